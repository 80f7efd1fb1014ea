using AnnScope.Communities;
using static AnnScope.Tests.Communities.CommunityFixtures;

namespace AnnScope.Tests.Communities;

/// <summary>Acceptance rule 1: Q recomputed for a given fixture partition matches to 1e-12.</summary>
public class FixtureQualityTests
{
    public static TheoryData<string, string> SingleCases => new()
    {
        { "full", "pos" }, { "full", "sym" }, { "full", "asym" },
        { "win1", "pos" }, { "win1", "sym" }, { "win1", "asym" },
    };

    internal static LayerObjective Objective(string name) => name switch
    {
        "pos" => LayerObjective.Classic,
        "sym" => new LayerObjective(LayerNullModel.NegativeSymmetric, ZeroDiagonal: true),
        "asym" => new LayerObjective(LayerNullModel.NegativeAsymmetric, ZeroDiagonal: true),
        _ => throw new ArgumentException(name),
    };

    internal static double[] Fc(string which) => which == "full" ? CorrFull : Window(0);

    [Theory]
    [MemberData(nameof(SingleCases))]
    public void SingleLayerBestPartitionHasTheBestKnownQ(string which, string objective)
    {
        var b = ModularityMatrix.FromConnectivity(Fc(which), Units, Objective(objective));
        var labels = ReadLabels(Path("planted120", "expected", $"single_{which}_{objective}_best_labels.csv"));
        double expected = Summary.GetProperty("single").GetProperty(which).GetProperty(objective).GetProperty("Q_best").GetDouble();
        Assert.Equal(expected, b.Quality(labels), 1e-12);
    }

    [Theory]
    [MemberData(nameof(SingleCases))]
    public void ZeroingTheDiagonalBeforehandChangesNothing(string which, string objective)
    {
        var kept = ModularityMatrix.FromConnectivity(ZeroDiagonal(Fc(which), Units), Units, Objective(objective) with { ZeroDiagonal = false });
        var zeroed = ModularityMatrix.FromConnectivity(Fc(which), Units, Objective(objective));
        var labels = ReadLabels(Path("planted120", "expected", $"single_{which}_{objective}_best_labels.csv"));
        Assert.Equal(zeroed.Quality(labels), kept.Quality(labels), 1e-15);
    }

    [Theory]
    [InlineData("120x50", 0, 50, 0, 120)]
    [InlineData("60x20", 17, 20, 0, 60)]
    public void MultilayerBestPartitionHasTheBestKnownQ(string name, int w0, int layers, int u0, int nodes)
    {
        var b = MultilayerModularity.FromConnectivity(SubWindows(w0, layers, u0, nodes), layers, nodes, LayerObjective.Classic, 1.0);
        var expected = Summary.GetProperty("multi").GetProperty(name);
        Assert.Equal(expected.GetProperty("two_mu").GetDouble(), b.TwoMu, 1e-9);
        var labels = ReadMultilayerLabels(Path("planted120", "expected", $"multi_{name}_best_S.csv"), out int n, out int l);
        Assert.Equal((nodes, layers), (n, l));
        Assert.Equal(expected.GetProperty("Q_best").GetDouble(), b.Quality(labels), 1e-12);
    }

    [Fact]
    public void PlantedPartitionQualityMatchesTheFixture()
    {
        var b = MultilayerModularity.FromConnectivity(CorrWindows, Windows, Units, LayerObjective.Classic, 1.0);
        var truth = ReadMultilayerLabels(Path("planted120", "truth_dynamic.csv"), out _, out _);
        double expected = Summary.GetProperty("multi").GetProperty("120x50").GetProperty("Q_truth_partition").GetDouble();
        Assert.Equal(expected, b.Quality(truth), 1e-12);
    }

    /// <summary>
    /// The signed 60 × 20 illustration applies the classic null to signed R (signed degrees and totals), which no
    /// named objective does: it goes through caller-supplied layer matrices.
    /// </summary>
    [Fact]
    public void SignedIllustrationThroughCallerSuppliedLayers()
    {
        const int layers = 20, nodes = 60;
        var fc = ZeroDiagonal(SubWindows(17, layers, 0, nodes), nodes);
        var blocks = new List<ModularityMatrix>();
        for (int s = 0; s < layers; s++)
        {
            var a = fc.AsSpan(s * nodes * nodes, nodes * nodes);
            var k = new double[nodes];
            double twoM = 0;
            for (int i = 0; i < nodes; i++)
                for (int j = 0; j < nodes; j++) k[i] += a[i * nodes + j];
            foreach (var v in k) twoM += v;
            var bs = new double[nodes * nodes];
            for (int i = 0; i < nodes; i++)
                for (int j = 0; j < nodes; j++) bs[i * nodes + j] = a[i * nodes + j] - k[i] * k[j] / twoM;
            blocks.Add(ModularityMatrix.FromMatrix(bs, nodes, twoM));
        }
        var b = MultilayerModularity.FromLayerMatrices(blocks, 1.0);
        var expected = Summary.GetProperty("multi").GetProperty("60x20signed");
        Assert.Equal(expected.GetProperty("two_mu").GetDouble(), b.TwoMu, 1e-9);
        var labels = ReadMultilayerLabels(Path("planted120", "expected", "multi_60x20signed_best_S.csv"), out _, out _);
        Assert.Equal(expected.GetProperty("Q_best").GetDouble(), b.Quality(labels), 1e-12);
    }
}
