using System.Diagnostics;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>A tiny study config (seconds, not minutes) and helpers to run `annscope study` as a separate process.</summary>
internal static class StudyCli
{
    /// <summary>4 instances, 60 epochs, a checkpoint every 10: 7 checkpoints of 4 × 300 × 24 activations.</summary>
    public const string TinyConfig = """
        {"instances": 4, "epochs": 60, "every": 10, "length": 300, "windows": 10, "hidden": 24, "input_dim": 20,
         "repeat": 3, "runs": 2, "static_runs": 2, "mediation_bootstrap": 20, "correlation_window": 3}
        """;

    public static string WriteConfig(TempDir dir, string json = TinyConfig)
    {
        var path = dir.File("config.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Starts `annscope` without waiting.</summary>
    public static Process Start(params string[] args) => CliRunner.Start(args);

    /// <summary>The study's tables, which a resumed run must reproduce byte for byte.</summary>
    public static readonly string[] Tables = ["checkpoints.csv", "runs.csv", "histograms.csv", "summary.json"];

    /// <summary>Rows of checkpoints.csv on disk now (0 when absent).</summary>
    public static int Rows(string dir)
    {
        var path = Path.Combine(dir, "checkpoints.csv");
        if (!File.Exists(path)) return 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n') - 1;
    }

    /// <summary>Asserts that <paramref name="study"/> holds exactly the tables and allegiance files of <paramref name="whole"/>.</summary>
    public static void AssertSameResults(string whole, string study)
    {
        foreach (var table in Tables)
            Assert.True(File.ReadAllBytes(Path.Combine(whole, table)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(study, table))),
                $"{table} differs from the uninterrupted run's");
        foreach (var file in Directory.GetFiles(Path.Combine(whole, "allegiance")))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(study, "allegiance", Path.GetFileName(file))));
    }
}
