using AnnScope.Benchmarks.Gate;

namespace AnnScope.Tests.Benchmarks;

/// <summary>
/// The regression gate's comparison: measured figures are fed in directly (the gate's measurement itself runs in
/// <c>./build.sh bench-check</c>), built from seconds per call as the gate builds them.
/// </summary>
public class GateComparisonTests
{
    private static readonly Dictionary<string, double> Baseline = new()
    {
        ["Sgemm"] = 0.012, ["FcFull"] = 0.008, ["FcFullReference"] = 0.36, ["FcWindowed"] = 0.014, ["FcWindowedReference"] = 0.3,
        ["HebbffEpochOne"] = 0.012, ["HebbffEpochBatch"] = 0.17, ["HebbffEpochReference"] = 0.34, ["MultilayerLouvain"] = 0.018,
        ["MultilayerCommunitiesTrained"] = 0.0024, ["SingleLayerLouvain"] = 0.00015, ["CheckpointMeasures"] = 0.0116, ["MixedModel"] = 0.005,
    };

    private static GateFigures Figures(Dictionary<string, double> seconds) => GateFigures.From(seconds, "test");

    private static Dictionary<string, double> With(string benchmark, double factor)
    {
        var seconds = new Dictionary<string, double>(Baseline);
        seconds[benchmark] *= factor;
        return seconds;
    }

    [Fact]
    public void TheSameMeasurementPasses() => Assert.Empty(GateComparison.Failures(Figures(Baseline), Figures(Baseline)));

    [Fact]
    public void AMachineTwiceAsFastEverywherePasses() =>
        Assert.Empty(GateComparison.Failures(Figures(Baseline), Figures(Baseline.ToDictionary(p => p.Key, p => p.Value / 2))));

    [Theory]
    [InlineData("MultilayerLouvain", "louvain-multilayer")]
    [InlineData("MultilayerCommunitiesTrained", "multilayer-communities-trained")]
    [InlineData("SingleLayerLouvain", "louvain-single-layer")]
    [InlineData("HebbffEpochBatch", "hebbff-epoch-batch")]
    [InlineData("CheckpointMeasures", "checkpoint-measures")]
    [InlineData("MixedModel", "mixed-model")]
    public void AKernelSlowedByAThirdFailsNamingThePathAndBothFigures(string benchmark, string path)
    {
        var baseline = Figures(Baseline);
        var failures = GateComparison.Failures(baseline, Figures(With(benchmark, 1.0 / 0.7)));
        var failure = Assert.Single(failures);
        Assert.StartsWith($"{path}: rate vs sgemm", failure);
        Assert.Contains(baseline.Paths[path].RateVsSgemm.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), failure);
        Assert.Contains("30%", failure);
    }

    [Fact]
    public void ASlowedKernelWithAReferenceFailsOnBothFigures()
    {
        var failures = GateComparison.Failures(Figures(Baseline), Figures(With("FcWindowed", 1.5)));
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("fc-windowed: rate vs sgemm", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("fc-windowed: speed-up vs managed reference", StringComparison.Ordinal));
    }

    [Fact]
    public void ASlowdownWithinTheToleranceAndAFasterReferencePass()
    {
        var seconds = With("MultilayerLouvain", 1.2);
        seconds["FcFullReference"] *= 0.9;
        Assert.Empty(GateComparison.Failures(Figures(Baseline), Figures(seconds)));
    }

    [Fact]
    public void FailingPathsNamesEachPathThatFellOnceInTheBaselinesOrder()
    {
        // the gate measures exactly these paths again before it fails
        var seconds = With("MixedModel", 2);
        seconds["FcWindowed"] *= 2; // both of its figures fall
        seconds["SingleLayerLouvain"] *= 1.2; // within the tolerance
        Assert.Equal(["fc-windowed", "mixed-model"], GateComparison.FailingPaths(Figures(Baseline), Figures(seconds)));
        Assert.Empty(GateComparison.FailingPaths(Figures(Baseline), Figures(Baseline)));
    }

    [Fact]
    public void APathTheBaselineHasButTheRunLacksFails()
    {
        var seconds = new Dictionary<string, double>(Baseline);
        seconds.Remove("MixedModel");
        Assert.Contains("mixed-model: not measured (the baseline has it)", GateComparison.Failures(Figures(Baseline), Figures(seconds)));
    }

    [Fact]
    public void TheCommittedBaselineCoversEveryPath()
    {
        var committed = GateFigures.Read(Support.Repo.Root + "/benchmarks/baseline.json");
        foreach (var path in GatePaths.All) Assert.True(committed.Paths.ContainsKey(path.Name), $"baseline.json lacks {path.Name}");
    }

    [Fact]
    public void ABaselineRoundTripsThroughItsFile()
    {
        using var dir = new Support.TempDir();
        var path = Path.Combine(dir.Path, "baseline.json");
        Figures(Baseline).Write(path);
        Assert.Empty(GateComparison.Failures(GateFigures.Read(path), Figures(Baseline), tolerance: 1e-12));
    }

    [Fact]
    public void TheFastestRoundCountsSoRoundsSlowedByTheMachinePassButASlowedPathFails()
    {
        // a contended CPU slows scalar code more than MKL sgemm: in all rounds but one the path runs 1.6x and sgemm 1.2x
        // slower, which a median over the rounds would report as a 25% loss
        static IReadOnlyDictionary<string, double> Round(double sgemmLoad, double pathLoad, double slowdown) => new Dictionary<string, double>
        {
            ["Sgemm"] = Baseline["Sgemm"] * sgemmLoad, ["MultilayerLouvain"] = Baseline["MultilayerLouvain"] * pathLoad * slowdown,
        };
        var baseline = GateFigures.FromRounds([Round(1, 1, 1), Round(1, 1, 1), Round(1, 1, 1)], "test");
        var disturbed = GateFigures.FromRounds([Round(1.2, 1.6, 1), Round(1.2, 1.6, 1), Round(1, 1, 1), Round(1.2, 1.6, 1)], "test");
        Assert.Empty(GateComparison.Failures(baseline, disturbed, tolerance: 1e-9));
        var slowed = GateFigures.FromRounds([Round(1.2, 1.6, 2), Round(1, 1, 2), Round(1.2, 1.6, 2)], "test");
        Assert.StartsWith("louvain-multilayer: rate vs sgemm", Assert.Single(GateComparison.Failures(baseline, slowed)));
    }

    public static TheoryData<string> EveryPath() => new(GatePaths.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(EveryPath))]
    public void EveryPathSlowedTwofoldFailsOnEachOfItsFiguresAmongDisturbedRounds(string name)
    {
        var path = GatePaths.All.Single(p => p.Name == name);
        var rounds = Enumerable.Range(0, 6).Select(round => (IReadOnlyDictionary<string, double>)Baseline.ToDictionary(
            p => p.Key, p => p.Value * (round % 2 == 0 ? 1 : 1.3) * (p.Key == path.Benchmark ? 2 : 1))).ToList();
        var failures = GateComparison.Failures(Figures(Baseline), GateFigures.FromRounds(rounds, "test"));
        Assert.Equal(path.Reference is null ? 1 : 2, failures.Count);
        Assert.All(failures, f => Assert.StartsWith($"{name}: ", f));
        Assert.All(failures, f => Assert.Contains(" is 50% below its baseline ", f));
    }
}
