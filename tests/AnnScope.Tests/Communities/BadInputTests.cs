using AnnScope.Communities;

namespace AnnScope.Tests.Communities;

/// <summary>Bad input gives a clear error naming the problem; a graph without weight gives the documented trivial answer.</summary>
public class BadInputTests
{
    private static readonly double[] Fc3 = [1, 0.5, -0.2, 0.5, 1, 0.1, -0.2, 0.1, 1];

    [Fact]
    public void NonSquareConnectivity()
    {
        var e = Assert.Throws<ArgumentException>(() => ModularityMatrix.FromConnectivity(new double[6], 3, LayerObjective.Study));
        Assert.Contains("square", e.Message);
    }

    [Fact]
    public void NonSymmetricConnectivity()
    {
        var fc = (double[])Fc3.Clone();
        fc[1] = 0.4;
        var e = Assert.Throws<ArgumentException>(() => ModularityMatrix.FromConnectivity(fc, 3, LayerObjective.Study));
        Assert.Contains("not symmetric", e.Message);
        Assert.Throws<ArgumentException>(() => ModularityMatrix.FromMatrix(fc, 3));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteConnectivity(double bad)
    {
        var fc = (double[])Fc3.Clone();
        fc[4] = bad;
        var e = Assert.Throws<ArgumentException>(() => ModularityMatrix.FromConnectivity(fc, 3, LayerObjective.Study));
        Assert.Contains("non-finite", e.Message);
        var layers = Fc3.Concat(fc).ToArray();
        e = Assert.Throws<ArgumentException>(() => MultilayerModularity.FromConnectivity(layers, 2, 3, LayerObjective.Study, 1));
        Assert.Contains("layer 1", e.Message);
    }

    [Fact]
    public void FloatInputIsCheckedToo()
    {
        var fc = Fc3.Select(v => (float)v).ToArray();
        fc[2] = float.NaN;
        Assert.Throws<ArgumentException>(() => MultilayerCommunities.Detect(fc, 1, 3, MultilayerOptions.Paper));
    }

    [Fact]
    public void MismatchedLayerSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => MultilayerModularity.FromConnectivity(new double[2 * 9 + 1], 2, 3, LayerObjective.Study, 1));
        Assert.Contains("(L, M, M)", e.Message);
        var blocks = new[] { ModularityMatrix.FromConnectivity(Fc3, 3, LayerObjective.Study), ModularityMatrix.FromMatrix([1.0], 1) };
        e = Assert.Throws<ArgumentException>(() => MultilayerModularity.FromLayerMatrices(blocks, 1));
        Assert.Contains("same nodes", e.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void NegativeOrUndefinedCoupling(double omega)
    {
        var e = Assert.Throws<ArgumentException>(() => MultilayerModularity.FromConnectivity(Fc3, 1, 3, LayerObjective.Study, omega));
        Assert.Contains("ω", e.Message);
    }

    [Fact]
    public void EmptyGraphs()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => ModularityMatrix.FromConnectivity(Array.Empty<double>(), 0, LayerObjective.Study)).Message);
        Assert.Throws<ArgumentException>(() => MultilayerModularity.FromConnectivity(Array.Empty<double>(), 0, 3, LayerObjective.Study, 1));
        Assert.Throws<ArgumentException>(() => MultilayerModularity.FromConnectivity(Array.Empty<double>(), 2, 0, LayerObjective.Study, 1));
        Assert.Throws<ArgumentException>(() => MultilayerModularity.FromLayerMatrices([], 1));
    }

    [Fact]
    public void BadOptions()
    {
        var b = ModularityMatrix.FromConnectivity(Fc3, 3, LayerObjective.Study);
        Assert.Throws<ArgumentException>(() => ModularityMatrix.FromConnectivity(Fc3, 3, LayerObjective.Study with { GammaPositive = -1 }));
        Assert.Throws<ArgumentException>(() => Louvain.Runs(b, 0, 1));
        Assert.Throws<ArgumentException>(() => Louvain.Run(b, 1, new LouvainOptions { MaxIterations = 0 }));
        Assert.Throws<ArgumentException>(() => Louvain.Run(b, 1, null, [0, 1]));
        Assert.Throws<ArgumentException>(() => b.Quality([0, 1]));
    }

    [Theory]
    [InlineData(LayerNullModel.SignedSplit)]
    [InlineData(LayerNullModel.Positive)]
    [InlineData(LayerNullModel.NegativeSymmetric)]
    [InlineData(LayerNullModel.NegativeAsymmetric)]
    public void AGraphWithoutWeightLeavesEveryNodeAloneWithQZero(LayerNullModel model)
    {
        var objective = new LayerObjective(model, ZeroDiagonal: true);
        var b = ModularityMatrix.FromConnectivity(new double[16], 4, objective);
        var run = Louvain.Run(b, 1, LouvainOptions.Robust);
        Assert.Equal([0, 1, 2, 3], run.Labels);
        Assert.Equal(0.0, run.Modularity);
        Assert.Equal(0.0, b.Quality([0, 0, 1, 1]));
        var multi = MultilayerModularity.FromConnectivity(new double[3 * 16], 3, 4, objective, 0);
        var m = Louvain.Run(multi, 1);
        Assert.Equal(0.0, m.Modularity);
        Assert.Equal(12, m.Communities);
    }

    [Fact]
    public void ANegativeOnlyGraphHasNoPositivePartButStillPartitions()
    {
        // two positive-free groups repelling each other: the negative null alone drives the split, no 0/0 anywhere
        double[] fc = [0, -1, -1, -1, -1, 0, -1, -1, -1, -1, 0, -1, -1, -1, -1, 0];
        var b = ModularityMatrix.FromConnectivity(fc, 4, new LayerObjective(LayerNullModel.SignedSplit, ZeroDiagonal: true));
        Assert.Equal(12.0, b.Normaliser);
        var run = Louvain.Run(b, 1);
        Assert.True(double.IsFinite(run.Modularity));
        Assert.Equal(4, run.Communities);
    }

    [Fact]
    public void WithoutCouplingOrWeightTwoMuIsZeroAndQIsZero()
    {
        var multi = MultilayerModularity.FromConnectivity(new double[2 * 4], 2, 2, LayerObjective.Classic, 0);
        Assert.Equal(0.0, multi.TwoMu);
        Assert.Equal(0.0, multi.Quality([0, 0, 0, 0]));
    }
}
