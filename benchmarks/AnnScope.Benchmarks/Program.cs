using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/AnnScope.Benchmarks -- --filter '*Correlation*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
