using System.Text.Json;
using AnnScope.Communities;
using AnnScope.IO;
using AnnScope.Tests.Support;
using static AnnScope.Tests.Communities.CommunityFixtures;

namespace AnnScope.Tests.Communities;

/// <summary>`annscope communities` run as a user would, against the library and the fixtures.</summary>
public class CommunitiesCommandTests
{
    private static JsonElement Result(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static int[] Labels(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    [Fact]
    public void StaticRunsReportTheBestRunEveryRunAndTheCoAssignment()
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("fc.npy"), CorrFull, Units, Units);
        var run = CliRunner.Run("communities", "--fc", dir.File("fc.npy"), "--null", "pos", "--zero-diagonal", "--runs", "3",
            "--seed", "5", "--out", dir.File("r.json"), "--allegiance", dir.File("a.npy"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var r = Result(dir.File("r.json"));
        double bestKnown = Summary.GetProperty("single").GetProperty("full").GetProperty("pos").GetProperty("Q_best").GetDouble();
        Assert.Equal(bestKnown, r.GetProperty("modularity").GetDouble(), 1e-9);
        Assert.Equal(6, r.GetProperty("communities").GetInt32());
        var labels = Labels(r.GetProperty("labels"));
        Assert.Equal(Units, labels.Length);
        Assert.Equal(1, labels.Min());
        var library = StaticCommunities.Detect(CorrFull, Units, new StaticOptions { Objective = LayerObjective.Classic, Runs = 3, Seed = 5 });
        Assert.Equal(library.Labels.Select(l => l + 1), labels);
        var runs = r.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal([5L, 6L, 7L], runs.Select(x => x.GetProperty("seed").GetInt64()));
        Assert.All(runs, x => Assert.Equal(6, x.GetProperty("communities").GetInt32()));
        var (a, shape) = Npy.ReadFloat64(dir.File("a.npy"));
        Assert.Equal([120L, 120L], shape);
        Assert.Equal(library.CoAssignment, a);
    }

    [Fact]
    public void MultilayerReportsLayersByNodesFlexibilityAndRuns()
    {
        using var dir = new TempDir();
        var fc = SubWindows(17, 20, 0, 60);
        Npy.Write<float>(dir.File("fc.npy"), fc.Select(v => (float)v).ToArray(), 20, 60, 60);
        var run = CliRunner.Run("communities", "--fc", dir.File("fc.npy"), "--multilayer", "--null", "pos", "--zero-diagonal",
            "--iterated", "--runs", "2", "--seed", "11", "--omega", "1", "--out", dir.File("r.json"), "--allegiance", dir.File("a.npy"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var r = Result(dir.File("r.json"));
        var layers = r.GetProperty("labels").EnumerateArray().Select(Labels).ToArray();
        Assert.Equal(20, layers.Length);
        Assert.All(layers, l => Assert.Equal(60, l.Length));
        var nodeFlexibility = r.GetProperty("node_flexibility").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(60, nodeFlexibility.Length);
        Assert.Equal(nodeFlexibility.Average(), r.GetProperty("flexibility").GetDouble(), 1e-12);
        var library = MultilayerCommunities.Detect(fc.Select(v => (float)v).ToArray(), 20, 60, new MultilayerOptions
        {
            Objective = LayerObjective.Classic, Louvain = LouvainOptions.Robust, Runs = 2, Seed = 11,
        });
        Assert.Equal(library.Modularity, r.GetProperty("modularity").GetDouble());
        Assert.Equal(library.Labels.Select(l => l + 1), layers.SelectMany(l => l));
        Assert.Equal(2, r.GetProperty("runs").GetArrayLength());
        Assert.All(r.GetProperty("runs").EnumerateArray(), x => Assert.True(x.TryGetProperty("flexibility", out _)));
        Assert.Equal(library.Allegiance, Npy.ReadFloat64(dir.File("a.npy")).Data);
    }

    [Fact]
    public void ScoringAGivenPartitionSkipsTheOptimiser()
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("fc.npy"), SubWindows(17, 20, 0, 60), 20, 60, 60);
        var s = ReadMultilayerLabels(Path("planted120", "expected", "multi_60x20_best_S.csv"), out _, out _);
        Npy.Write<double>(dir.File("s.npy"), s.Select(v => (double)v).ToArray(), 20, 60);
        var run = CliRunner.Run("communities", "--fc", dir.File("fc.npy"), "--multilayer", "--null", "pos", "--zero-diagonal",
            "--score", dir.File("s.npy"), "--out", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var r = Result(dir.File("r.json"));
        var expected = Summary.GetProperty("multi").GetProperty("60x20");
        Assert.Equal(expected.GetProperty("Q_best").GetDouble(), r.GetProperty("modularity").GetDouble(), 1e-12);
        Assert.Equal(expected.GetProperty("mean_flexibility_best").GetDouble(), r.GetProperty("flexibility").GetDouble(), 1e-15);
        Assert.Equal(expected.GetProperty("n_communities").GetInt32(), r.GetProperty("communities").GetInt32());
        Assert.False(r.TryGetProperty("runs", out _));

        Npy.Write<double>(dir.File("full.npy"), Window(0), Units, Units);
        var single = ReadLabels(Path("planted120", "expected", "single_win1_asym_best_labels.csv"));
        Npy.Write<double>(dir.File("l.npy"), single.Select(v => (double)v).ToArray(), Units);
        run = CliRunner.Run("communities", "--fc", dir.File("full.npy"), "--null", "asym", "--zero-diagonal",
            "--score", dir.File("l.npy"), "--out", dir.File("s.json"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(Summary.GetProperty("single").GetProperty("win1").GetProperty("asym").GetProperty("Q_best").GetDouble(),
            Result(dir.File("s.json")).GetProperty("modularity").GetDouble(), 1e-12);
    }

    [Fact]
    public void AGraphWithoutWeightGivesTheTrivialAnswer()
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("fc.npy"), new double[25], 5, 5);
        var run = CliRunner.Run("communities", "--fc", dir.File("fc.npy"), "--out", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var r = Result(dir.File("r.json"));
        Assert.Equal(0.0, r.GetProperty("modularity").GetDouble());
        Assert.Equal(5, r.GetProperty("communities").GetInt32());
    }

    public static TheoryData<string, string[]> BadInputs => new()
    {
        { "non-square", ["--fc", "rect.npy"] },
        { "2-D with --multilayer", ["--fc", "fc.npy", "--multilayer"] },
        { "3-D without --multilayer", ["--fc", "layers.npy"] },
        { "NaN", ["--fc", "nan.npy"] },
        { "non-symmetric", ["--fc", "asym.npy"] },
        { "negative omega", ["--fc", "layers.npy", "--multilayer", "--omega", "-1"] },
        { "omega without layers", ["--fc", "fc.npy", "--omega", "1"] },
        { "zero runs", ["--fc", "fc.npy", "--runs", "0"] },
        { "unknown method", ["--fc", "fc.npy", "--method", "jump"] },
        { "unknown null", ["--fc", "fc.npy", "--null", "neg"] },
        { "negative gamma", ["--fc", "fc.npy", "--gamma-pos", "-1"] },
        { "labels of the wrong shape", ["--fc", "fc.npy", "--score", "layers-labels.npy"] },
        { "fractional labels", ["--fc", "fc.npy", "--score", "fraction.npy"] },
        { "mismatched layer labels", ["--fc", "layers.npy", "--multilayer", "--score", "labels.npy"] },
        { "empty graph", ["--fc", "empty.npy"] },
        { "missing file", ["--fc", "missing.npy"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputExitsTwoWithOneLineAndWritesNothing(string problem, string[] args)
    {
        using var dir = new TempDir();
        double[] fc = [1, 0.3, -0.2, 0.3, 1, 0.5, -0.2, 0.5, 1];
        Npy.Write<double>(dir.File("fc.npy"), fc, 3, 3);
        Npy.Write<double>(dir.File("layers.npy"), [.. fc, .. fc], 2, 3, 3);
        Npy.Write<double>(dir.File("rect.npy"), new double[12], 3, 4);
        Npy.Write<double>(dir.File("nan.npy"), fc.Select((v, k) => k == 4 ? double.NaN : v).ToArray(), 3, 3);
        Npy.Write<double>(dir.File("asym.npy"), fc.Select((v, k) => k == 1 ? 0.9 : v).ToArray(), 3, 3);
        Npy.Write<double>(dir.File("layers-labels.npy"), new double[6], 2, 3);
        Npy.Write<double>(dir.File("labels.npy"), new double[3], 3);
        Npy.Write<double>(dir.File("fraction.npy"), [1, 1.5, 2], 3);
        Npy.Write<double>(dir.File("empty.npy"), [], 0, 0);
        var before = Directory.GetFiles(dir.Path).Length;
        var full = args.Select(a => a.EndsWith(".npy") ? dir.File(a) : a)
            .Concat(["--out", dir.File("r.json"), "--allegiance", dir.File("a.npy")]).ToArray();
        var run = CliRunner.Run(["communities", .. full]);
        Assert.True(run.ExitCode == 2, $"{problem}: exit {run.ExitCode}, {run.StdErr}");
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.StartsWith("annscope:", run.StdErr);
        Assert.Equal(before, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void AMissingOutputDirectoryWritesNothing()
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("fc.npy"), [1, 0.3, 0.3, 1], 2, 2);
        var run = CliRunner.Run("communities", "--fc", dir.File("fc.npy"), "--out", dir.File("r.json"),
            "--allegiance", System.IO.Path.Combine(dir.Path, "nowhere", "a.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(dir.File("r.json")));
    }
}
