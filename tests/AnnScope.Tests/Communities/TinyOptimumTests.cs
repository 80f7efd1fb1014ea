using AnnScope.Communities;
using static AnnScope.Tests.Communities.CommunityFixtures;
using AnnScope.Dynamics;

namespace AnnScope.Tests.Communities;

/// <summary>The hand-checkable fixtures, whose optima were proven by exhaustive enumeration: every seeded run reaches one.</summary>
public class TinyOptimumTests
{
    private static readonly long[] Seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    private static void AssertReachesAnOptimum(Func<long, LouvainRun> run, double optimum, IReadOnlyList<int[]> optimal)
    {
        foreach (var seed in Seeds)
        {
            var r = run(seed);
            Assert.Equal(optimum, r.Modularity, 1e-12);
            Assert.Contains(optimal, o => Partitions.SamePartition(o, r.Labels));
        }
    }

    [Fact]
    public void TwoCliquesSplitAtTheBridge()
    {
        var json = Json("tiny", "two_cliques.json");
        var b = ModularityMatrix.NewmanGirvan(Matrix(json.GetProperty("adjacency"), out int n), n);
        Assert.Equal(26.0, b.Normaliser);
        Assert.Equal(11.0 / 26.0, json.GetProperty("Q_optimum").GetDouble(), 1e-15);
        var optimal = json.GetProperty("optimal_partitions").EnumerateArray().Select(IntArray).ToList();
        foreach (var rule in Enum.GetValues<MoveRule>())
            AssertReachesAnOptimum(s => Louvain.Run(b, s, new LouvainOptions { Rule = rule }), 11.0 / 26.0, optimal);
    }

    [Theory]
    [InlineData(LayerNullModel.NegativeSymmetric, "sym", 15.0 / 34.0)]
    [InlineData(LayerNullModel.NegativeAsymmetric, "asym", 239.0 / 442.0)]
    [InlineData(LayerNullModel.Positive, "pos", 11.0 / 26.0)]
    public void SignedToySplitsIntoItsTwoTriangles(LayerNullModel model, string name, double exact)
    {
        var json = Json("tiny", "signed_toy.json");
        var b = ModularityMatrix.FromConnectivity(Matrix(json.GetProperty("W"), out int n), n, new LayerObjective(model, ZeroDiagonal: true));
        Assert.Equal(exact, json.GetProperty($"Q_{name}_optimum").GetDouble(), 1e-15);
        var optimal = json.GetProperty($"{name}_optimal_partitions").EnumerateArray().Select(IntArray).ToList();
        AssertReachesAnOptimum(s => Louvain.Run(b, s), exact, optimal);
        AssertReachesAnOptimum(s => Louvain.Run(b, s, LouvainOptions.Robust), exact, optimal);
    }

    [Fact]
    public void SignedSplitWithUnitResolutionsIsTheSymmetricObjective()
    {
        var json = Json("tiny", "signed_toy.json");
        var w = Matrix(json.GetProperty("W"), out int n);
        var split = ModularityMatrix.FromConnectivity(w, n, new LayerObjective(LayerNullModel.SignedSplit, 1, 1, ZeroDiagonal: true));
        Assert.Equal(17.0, split.Normaliser);
        Assert.Equal(15.0 / 34.0, split.Quality([1, 1, 1, 2, 2, 2]), 1e-15);
    }

    [Fact]
    public void ThreeLayerToyReachesTheEnumeratedOptimumForEachCoupling()
    {
        var json = Json("tiny", "three_layer_toy.json");
        var layers = json.GetProperty("layers").EnumerateArray().SelectMany(l => Matrix(l, out _)).ToArray();
        foreach (var c in json.GetProperty("cases").EnumerateArray())
        {
            double omega = c.GetProperty("omega").GetDouble();
            var b = MultilayerModularity.FromConnectivity(layers, 3, 4, LayerObjective.Classic, omega);
            Assert.Equal(c.GetProperty("two_mu").GetDouble(), b.TwoMu, 1e-12);
            var optimal = c.GetProperty("optimal_partitions_NxT").EnumerateArray()
                .Select(p => MultilayerLabels(p, out _, out _)).ToList();
            double optimum = c.GetProperty("Q_optimum").GetDouble();
            foreach (var p in optimal) Assert.Equal(optimum, b.Quality(p), 1e-12);
            foreach (var options in new[] { LouvainOptions.Paper, LouvainOptions.Robust, new LouvainOptions { Rule = MoveRule.MoveRandW, Iterated = true } })
                AssertReachesAnOptimum(s => Louvain.Run(b, s, options), optimum, optimal);
        }
    }
}
