using System.Text.Json.Nodes;
using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

public class StudyCommandTests
{
    [Fact]
    public void PrintConfigShowsPresetsAndOverrides()
    {
        var quick = CliRunner.Run("study", "--print-config");
        Assert.Equal(0, quick.ExitCode);
        var json = JsonNode.Parse(quick.StdOut)!;
        Assert.Equal("quick", json["preset"]!.GetValue<string>());
        var paper = JsonNode.Parse(CliRunner.Run("study", "--preset", "paper", "--print-config").StdOut)!;
        Assert.Equal(120, paper["instances"]!.GetValue<int>());
        Assert.Equal(1000, paper["epochs"]!.GetValue<int>());
        Assert.Equal(1, paper["runs"]!.GetValue<int>());
        Assert.False(paper["iterated"]!.GetValue<bool>());

        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, """{"instances": 7, "gamma_pos": 1.1}""");
        var merged = JsonNode.Parse(CliRunner.Run("study", "--preset", "paper", "--config", config, "--print-config").StdOut)!;
        Assert.Equal(7, merged["instances"]!.GetValue<int>());
        Assert.Equal(1.1, merged["gamma_pos"]!.GetValue<double>());
        Assert.Equal(1000, merged["epochs"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"instancez": 3}""", "unknown config field 'instancez'")]
    [InlineData("""{"repeat": 400, "length": 300}""", "repeat")]
    [InlineData("""{"windows": 7}""", "windows")]
    [InlineData("""{"p": 1.5}""", "p must be in [0, 1]")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"instances": """, "invalid study config")]
    public void BadConfigsExitTwoNamingTheField(string json, string expected)
    {
        using var dir = new TempDir();
        var run = CliRunner.Run("study", "--config", StudyCli.WriteConfig(dir, json), "--out", dir.File("s"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StdErr);
        Assert.False(Directory.Exists(dir.File("s")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void RefusesANonEmptyOutputAndABadPreset()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("keep.txt"), "not a study");
        var run = CliRunner.Run("study", "--config", StudyCli.WriteConfig(dir), "--out", dir.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not empty", run.StdErr);
        Assert.Equal(2, CliRunner.Run("study", "--preset", "huge", "--print-config").ExitCode);
        // --resume starts a study in an absent or empty directory (StudyMergeTests' shards do), but never in one holding something else
        var foreign = CliRunner.Run("study", "--resume", "--out", dir.Path);
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("holds no study", foreign.StdErr);
    }

    [UnwritableDirectoryFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void RefusesAnUnwritableOutput()
    {
        using var dir = new TempDir();
        CliRunner.Result run;
        // root writes through permission bits, so as root the unwritable place is a read-only mount
        using var readOnly = Environment.UserName == "root" ? new Tmpfs(kilobytes: 64, readOnly: true) : null;
        var locked = readOnly?.Path ?? dir.File("locked");
        if (readOnly is null)
        {
            Directory.CreateDirectory(locked);
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        try
        {
            foreach (var target in new[] { locked, Path.Combine(locked, "inside") })
            {
                run = CliRunner.Run("study", "--config", StudyCli.WriteConfig(dir), "--out", target);
                Assert.True(run.ExitCode == 2, run.StdErr);
                Assert.Contains("not writable", run.StdErr);
                Assert.Single(run.StdErr.Trim().Split('\n'));
            }
        }
        finally
        {
            if (readOnly is null) File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TmpfsFact]
    public void AFullDiskStopsTheStudyAndAResumeWithSpaceMatchesAnUninterruptedRun()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir);
        var whole = dir.File("whole");
        Assert.Equal(0, CliRunner.Run("study", "--config", config, "--out", whole).ExitCode);

        using var disk = new Tmpfs(kilobytes: 160);
        var study = Path.Combine(disk.Path, "s");
        var full = CliRunner.Run("study", "--config", config, "--out", study);
        Assert.Equal(1, full.ExitCode);
        var lastLine = full.StdErr.Trim().Split('\n')[^1];
        Assert.StartsWith("annscope: error:", lastLine);
        Assert.Contains("No space left on device", lastLine);
        Assert.False(File.Exists(Path.Combine(study, "summary.json")));
        Assert.Empty(Directory.GetFiles(study, "*.tmp", SearchOption.AllDirectories));

        disk.Resize(kilobytes: 64 * 1024);
        var resumed = CliRunner.Run("study", "--config", config, "--out", study, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        foreach (var table in StudyCli.Tables)
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, table)), File.ReadAllBytes(Path.Combine(study, table)));
    }

    [Fact]
    public void AnalyzeRunsTheStudyOnActivationsFromAnyNetwork()
    {
        using var dir = new TempDir();
        // 3 instances × 5 checkpoints × 100 samples × 12 units, with structure growing over checkpoints
        const int instances = 3, checkpoints = 5, samples = 100, units = 12;
        var rng = new Random(3);
        var data = new float[instances * checkpoints * samples * units];
        for (int i = 0; i < instances; i++)
        for (int c = 0; c < checkpoints; c++)
        for (int t = 0; t < samples; t++)
        {
            double a = rng.NextDouble() - 0.5, b = rng.NextDouble() - 0.5;
            for (int u = 0; u < units; u++)
                data[((i * checkpoints + c) * samples + t) * units + u] = (float)((u < units / 2 ? a : b) * c + rng.NextDouble() - 0.5);
        }
        Npy.Write<float>(dir.File("act.npy"), data, instances, checkpoints, samples, units);
        File.WriteAllLines(dir.File("acc.csv"), ["instance,checkpoint,accuracy",
            .. Enumerable.Range(0, instances * checkpoints).Select(k => $"{k / checkpoints},{k % checkpoints},{0.5 + 0.1 * (k % checkpoints)}")]);
        var config = StudyCli.WriteConfig(dir, """{"windows": 5, "runs": 2, "correlation_window": 3, "mediation_bootstrap": 10, "claims": {"minimum_instances": 3}}""");
        var run = CliRunner.Run("analyze", "--activations", dir.File("act.npy"), "--accuracy", dir.File("acc.csv"),
            "--epochs", "0,10,20,30,40", "--config", config, "--out", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var rows = File.ReadAllLines(dir.File("out/checkpoints.csv"));
        Assert.Equal(1 + instances * checkpoints, rows.Length);
        Assert.StartsWith("2,40,0.9", rows[^1]);
        Assert.True(File.Exists(dir.File("out/report.html")));
        // the paper's claims are judged on any network's activations, with whatever measures exist
        var claims = JsonNode.Parse(File.ReadAllText(dir.File("out/summary.json")))!["claims"]!["items"]!.AsArray();
        Assert.Contains(claims, c => c!["id"]!.GetValue<string>() == "modularity_rises" && c["verdict"]!.GetValue<string>() != "not_testable");
        Assert.Contains("id=\"claims\"", File.ReadAllText(dir.File("out/report.html")));

        var bad = CliRunner.Run("analyze", "--activations", dir.File("acc.csv"), "--out", dir.File("out2"));
        Assert.Equal(2, bad.ExitCode);
        Npy.Write<float>(dir.File("flat.npy"), new float[60], 5, 12);
        bad = CliRunner.Run("analyze", "--activations", dir.File("flat.npy"), "--out", dir.File("out3"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("(instances, checkpoints, samples, units)", bad.StdErr);
        Assert.False(Directory.Exists(dir.File("out3")));
    }
}
