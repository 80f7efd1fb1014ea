using AnnScope.Benchmarks.Suites;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace AnnScope.Tests.Benchmarks;

/// <summary>Runs every benchmark once (dry, in process) so the suites never rot.</summary>
public class BenchmarkDryRunTests
{
    public static TheoryData<string> Suites()
    {
        var data = new TheoryData<string>();
        foreach (var t in typeof(CorrelationBenchmarks).Assembly.GetTypes()
                     .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0))
                     .OrderBy(t => t.Name))
            data.Add(t.FullName!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void SuiteRunsOnceWithoutErrors(string suite)
    {
        var type = typeof(CorrelationBenchmarks).Assembly.GetType(suite)!;
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessNoEmitToolchain.Instance))
            .AddLogger(BenchmarkDotNet.Loggers.NullLogger.Instance)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "annscope-bench-dry"));
        var summary = BenchmarkRunner.Run(type, config);
        Assert.False(summary.HasCriticalValidationErrors, string.Join("; ", summary.ValidationErrors.Select(e => e.Message)));
        Assert.NotEmpty(summary.Reports);
        Assert.All(summary.Reports, r => Assert.True(r.Success, $"{r.BenchmarkCase.DisplayInfo} failed"));
    }
}
