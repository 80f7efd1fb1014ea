using System.Text.Json.Nodes;
using AnnScope.Models;
using AnnScope.Results;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>Shards of a study merged equal the single-process study byte for byte; a bad set of shards is refused whole.</summary>
public class StudyMergeTests
{
    /// <summary>5 instances (so 2 and 3 shards split unevenly), 20 epochs, three checkpoints.</summary>
    private const string Config = """
        {"instances": 5, "epochs": 20, "every": 10, "length": 300, "windows": 10, "hidden": 24, "input_dim": 20,
         "repeat": 3, "runs": 2, "static_runs": 2, "mediation_bootstrap": 20, "correlation_window": 3}
        """;

    private static readonly string[] Tables = ["checkpoints.csv", "runs.csv", "histograms.csv", "summary.json", "state.bin"];

    private static string Shard(TempDir dir, string config, int i, int n, string seed = "7")
    {
        var path = dir.File($"shard-{i}-of-{n}-seed{seed}");
        var run = CliRunner.Run("study", "--config", config, "--out", path, "--seed", seed, "--shard", $"{i}/{n}", "--resume");
        Assert.True(run.ExitCode == 0, run.StdErr);
        return path;
    }

    [Fact]
    public void MergedShardsEqualTheSingleProcessStudyForOneTwoAndThreeShards()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, Config);
        var whole = dir.File("whole");
        var run = CliRunner.Run("study", "--config", config, "--out", whole, "--seed", "7");
        Assert.True(run.ExitCode == 0, run.StdErr);
        foreach (int n in new[] { 1, 2, 3 })
        {
            var shards = Enumerable.Range(1, n).Select(i => Shard(dir, config, i, n)).Reverse().ToArray(); // order given does not matter
            var shardStudy = JsonNode.Parse(File.ReadAllText(Path.Combine(shards[^1], "study.json")))!;
            Assert.Equal(n, (int)shardStudy["shard"]!["count"]!);
            Assert.False(File.Exists(Path.Combine(shards[^1], "summary.json")), "a shard must not compute cross-instance statistics");

            var merged = dir.File($"merged-{n}");
            var merge = CliRunner.Run(["merge", "--out", merged, .. shards]);
            Assert.True(merge.ExitCode == 0, merge.StdErr);
            foreach (var table in Tables)
                Assert.True(File.ReadAllBytes(Path.Combine(whole, table)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, table))),
                    $"{table} of {n} merged shards differs from the single-process study");
            var snapshots = Directory.GetFiles(Path.Combine(whole, "allegiance"));
            Assert.NotEmpty(snapshots);
            foreach (var file in snapshots)
                Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(merged, "allegiance", Path.GetFileName(file))));
            Assert.True(File.Exists(Path.Combine(merged, "report.html")));
            var study = StudyManifest.Read(Path.Combine(merged, "study.json"));
            Assert.True(study.IsComplete);
            Assert.Null(study.Shard);
        }
    }

    [Fact]
    public void RobustnessVariantsOfShardsMergeIntoTheSingleProcessTable()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, Config);
        var whole = dir.File("whole");
        var run = CliRunner.Run("study", "--config", config, "--out", whole, "--seed", "7", "--robustness");
        Assert.True(run.ExitCode == 0, run.StdErr);
        var shards = Enumerable.Range(1, 2).Select(i =>
        {
            var path = dir.File($"robust-shard-{i}");
            var shard = CliRunner.Run("study", "--config", config, "--out", path, "--seed", "7", "--shard", $"{i}/2", "--robustness");
            Assert.True(shard.ExitCode == 0, shard.StdErr);
            return path;
        }).ToArray();
        var merged = dir.File("merged");
        var merge = CliRunner.Run(["merge", "--out", merged, .. shards]);
        Assert.True(merge.ExitCode == 0, merge.StdErr);
        var expected = File.ReadAllBytes(Path.Combine(whole, "variants.csv"));
        Assert.True(expected.Length > 200, "the robustness pass wrote no variants");
        foreach (var table in Tables.Append("variants.csv"))
            Assert.True(File.ReadAllBytes(Path.Combine(whole, table)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, table))),
                $"{table} of merged --robustness shards differs from the single-process study");

        // a shard without the robustness pass does not belong with shards that have it
        var plain = Shard(dir, config, 2, 2);
        var refused = CliRunner.Run(["merge", "--out", dir.File("mixed"), shards[0], plain]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("robustness", refused.StdErr);
        Assert.False(Directory.Exists(dir.File("mixed")));
    }

    [Fact]
    public void MissingOverlappingMismatchedOrUnfinishedShardsAreRefusedWithNothingWritten()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, Config);
        var a = Shard(dir, config, 1, 3);
        var b = Shard(dir, config, 2, 3);
        var c = Shard(dir, config, 3, 3);
        var half = Shard(dir, config, 1, 2);      // instances 0–1: overlaps shard 2/3
        var otherSeed = Shard(dir, config, 3, 3, seed: "8");
        var otherConfig = dir.File("other-config");
        File.WriteAllText(dir.File("other.json"), Config.Replace("\"repeat\": 3", "\"repeat\": 4"));
        Assert.Equal(0, CliRunner.Run("study", "--config", dir.File("other.json"), "--out", otherConfig, "--seed", "7", "--shard", "3/3").ExitCode);
        var unfinished = dir.File("unfinished");
        CopyDirectory(c, unfinished);
        var studyJson = Path.Combine(unfinished, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace("\"status\": \"complete\"", "\"status\": \"interrupted\""));

        void Refused(string expected, params string[] shards)
        {
            var output = dir.File("merged-" + Guid.NewGuid().ToString("N"));
            var merge = CliRunner.Run(["merge", "--out", output, .. shards]);
            Assert.Equal(2, merge.ExitCode);
            Assert.Contains(expected, merge.StdErr);
            Assert.Single(merge.StdErr.Trim().Split('\n'));
            Assert.False(Directory.Exists(output), $"a refused merge wrote {output}");
        }
        Refused("gap: instances 1–2 are in no shard", a, c);
        Refused("gap: instances 3–4 are in no shard", a, b);
        Refused("overlap: instance 1 is in both", half, b, c);
        Refused("overlap: instance 0 is in both", a, b, c, a);
        Refused("mismatch: ", a, b, otherSeed);
        Refused("seed: 8 vs 7", a, b, otherSeed);
        Refused("repeat: 4 vs 3", a, b, otherConfig);
        Refused("is not finished", a, b, unfinished);
        Refused("does not exist", a, b, dir.File("nowhere"));

        // an existing, non-empty --out is never touched
        var occupied = dir.File("occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "keep.txt"), "mine");
        var into = CliRunner.Run("merge", "--out", occupied, a, b, c);
        Assert.Equal(2, into.ExitCode);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(occupied).Select(Path.GetFileName));
    }

    [Fact]
    public void AShardResumesOnlyAsTheSameShard()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, Config);
        var a = Shard(dir, config, 1, 3);
        var wrong = CliRunner.Run("study", "--config", config, "--out", a, "--seed", "7", "--shard", "2/3", "--resume");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("is shard 1/3, not shard 2/3", wrong.StdErr);
        var bad = CliRunner.Run("study", "--config", config, "--out", dir.File("x"), "--shard", "0/3");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("numbered from 1", bad.StdErr);
        var empty = CliRunner.Run("study", "--config", config, "--out", dir.File("y"), "--shard", "6/6");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("6 shards of 5 instances", empty.StdErr);
    }

    [Theory]
    [InlineData(1, 5, 2)]
    [InlineData(3, 5, 2)]
    [InlineData(4, 7, 3)]
    public void ShardRangesTileTheInstancesInOrder(int shards, int instances, int probe)
    {
        var ranges = Enumerable.Range(1, shards).Select(i => new StudyShard(i, shards)).Select(s => (s.Start(instances), s.End(instances))).ToArray();
        Assert.Equal(0, ranges[0].Item1);
        Assert.Equal(instances, ranges[^1].Item2);
        for (int i = 1; i < ranges.Length; i++) Assert.Equal(ranges[i - 1].Item2, ranges[i].Item1);
        Assert.All(ranges, r => Assert.True(r.Item2 > r.Item1));
        Assert.Equal(new StudyShard(probe, shards + probe), StudyShard.Parse($"{probe}/{shards + probe}"));
    }

    [Fact]
    public void ABatchStartingAtInstanceKTrainsExactlyAsInstancesKOnwardOfTheWholeBatch()
    {
        // the premise of sharding: an instance's data, initialisation and training depend only on (seed, instance)
        var config = new HebbffConfig { Instances = 4, InputDim = 12, Hidden = 10, RepeatInterval = 3, Length = 80, Epochs = 3, Seed = 21 };
        using var whole = new HebbffTrainer(config);
        using var part = new HebbffTrainer(config with { Instances = 2, FirstInstance = 1 });
        for (int e = 0; e < 3; e++)
        {
            whole.TrainEpoch();
            part.TrainEpoch();
        }
        var w = whole.ExportState();
        var p = part.ExportState();
        int count = whole.Layout.Count;
        Assert.Equal(w.Parameters.AsSpan(count, 2 * count).ToArray(), p.Parameters);
        Assert.Equal(w.AdamV.AsSpan(count, 2 * count).ToArray(), p.AdamV);
        var we = whole.Evaluate();
        var pe = part.Evaluate();
        Assert.Equal(we.Activations.AsSpan(we.Activations.Length / 4, we.Activations.Length / 2).ToArray(), pe.Activations);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
