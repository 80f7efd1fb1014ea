using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace AnnScope.Benchmarks.Gate;

/// <summary>
/// <c>bench-check [--update-baseline] [--baseline FILE]</c>: runs <see cref="GateBenchmarks"/> in process (one thread),
/// turns the times into <see cref="GateFigures"/> and compares them with <c>benchmarks/baseline.json</c>, or rewrites it.
/// Exit code 0 when every figure is within the tolerance, 1 when one fell, 2 for bad arguments or a missing baseline.
/// </summary>
public static class GateRunner
{
    /// <summary>Runs the gate; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        bool update = false;
        string baselinePath = Path.Combine(RepositoryFile.Root(), "benchmarks", "baseline.json");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--update-baseline": update = true; break;
                case "--baseline" when i + 1 < args.Length: baselinePath = args[++i]; break;
                default:
                    Console.Error.WriteLine($"bench-check: unknown argument '{args[i]}' (usage: bench-check [--update-baseline] [--baseline FILE])");
                    return 2;
            }
        }
        if (!update && !File.Exists(baselinePath))
        {
            Console.Error.WriteLine($"bench-check: no baseline at {baselinePath}; run with --update-baseline to make one");
            return 2;
        }

        var measured = GateFigures.From(Measure(), $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"// sgemm {measured.SgemmGflops:F1} GFLOP/s (1 thread)");
        foreach (var (name, figures) in measured.Paths)
            Console.WriteLine($"// {name,-22} rate vs sgemm {figures.RateVsSgemm,10:G4}   speed-up vs reference {(figures.SpeedupVsReference is { } s ? s.ToString("F1") : "-"),6}");
        if (update)
        {
            measured.Write(baselinePath);
            Console.WriteLine($"bench-check: baseline written to {baselinePath}");
            return 0;
        }
        var failures = GateComparison.Failures(GateFigures.Read(baselinePath), measured);
        foreach (var failure in failures) Console.Error.WriteLine($"bench-check: FAIL {failure}");
        Console.WriteLine(failures.Count == 0
            ? $"bench-check: every path within {GateComparison.Tolerance:P0} of {baselinePath}"
            : $"bench-check: {failures.Count} figure(s) fell more than {GateComparison.Tolerance:P0} below the baseline");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Seconds per call of every gate benchmark: the lower quartile of 15 iterations. Load on a shared machine only ever
    /// slows an iteration down, so the faster iterations are the repeatable ones; the quartile, unlike the minimum, is
    /// not one lucky iteration.
    /// </summary>
    private static Dictionary<string, double> Measure()
    {
        var job = Job.Default
            .WithToolchain(InProcessNoEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Throughput)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithOptions(ConfigOptions.DisableLogFile)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "annscope-bench-check"));
        var summary = BenchmarkRunner.Run<GateBenchmarks>(config);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var report in summary.Reports)
        {
            if (!report.Success || report.ResultStatistics is null)
                throw new InvalidOperationException($"the gate benchmark {report.BenchmarkCase.Descriptor.WorkloadMethod.Name} failed");
            seconds[report.BenchmarkCase.Descriptor.WorkloadMethod.Name] = report.ResultStatistics.Q1 / 1e9;
        }
        return seconds;
    }
}
