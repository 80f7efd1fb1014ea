using System.Diagnostics;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cluster;

/// <summary>A tiny sweep (2 conditions: repeat 2 and 3; 4 instances each) run once by a single local process, the reference for the cluster runs.</summary>
public sealed class LocalSweep : IDisposable
{
    // 200 epochs, not 40: the CLI compiled ahead of time ran a 40-epoch shard's last checkpoints within about 0.1 s of its
    // first seal, and the requeue of SlurmClusterTests sometimes came after the task had completed
    public const string Json = """
        {"instances": 4, "epochs": 200, "every": 10, "length": 300, "windows": 10, "hidden": 24, "input_dim": 20,
         "runs": 2, "static_runs": 2, "mediation_bootstrap": 20, "correlation_window": 3, "seed": 3, "repeat": [2, 3]}
        """;

    public static readonly string[] Conditions = ["repeat-2", "repeat-3"];

    /// <summary>What a merged condition must reproduce byte for byte.</summary>
    public static readonly string[] Tables = ["checkpoints.csv", "runs.csv", "histograms.csv", "summary.json", "state.bin"];

    private readonly TempDir dir = new();

    public string SweepFile { get; }
    public string Directory { get; }
    public TimeSpan WallTime { get; }

    public LocalSweep()
    {
        SweepFile = dir.File("sweep.json");
        File.WriteAllText(SweepFile, Json);
        Directory = dir.File("local");
        var clock = Stopwatch.StartNew();
        var run = CliRunner.Run(["sweep", "--config", SweepFile, "--out", Directory], timeoutSeconds: 600);
        WallTime = clock.Elapsed;
        if (run.ExitCode != 0) throw new InvalidOperationException($"the local sweep failed: {run.StdErr}");
    }

    /// <summary>Asserts that the sweep in <paramref name="other"/> has exactly this sweep's results.</summary>
    public void AssertSameResults(string other)
    {
        foreach (var condition in Conditions)
            foreach (var table in Tables)
            {
                var expected = Path.Combine(Directory, "conditions", condition, table);
                var actual = Path.Combine(other, "conditions", condition, table);
                Assert.True(File.Exists(actual), $"{actual} is missing");
                Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(actual)), $"{condition}/{table} differs from the local sweep");
            }
        Assert.Equal(File.ReadAllText(Path.Combine(Directory, "sweep-summary.json")), File.ReadAllText(Path.Combine(other, "sweep-summary.json")));
        Assert.True(File.Exists(Path.Combine(other, "sweep-report.html")));
    }

    public void Dispose() => dir.Dispose();
}
