using AnnScope.Benchmarks.Gate;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/AnnScope.Benchmarks -- --filter '*Correlation*'
// dotnet run -c Release --project benchmarks/AnnScope.Benchmarks -- bench-check [--update-baseline]
if (args is ["bench-check", .. var rest]) return GateRunner.Run(rest);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
