using AnnScope.Communities;
using AnnScope.Dynamics;
using CsCheck;

namespace AnnScope.Tests.Communities;

/// <summary>
/// Properties on random signed problems: the optimiser's Q equals the independent evaluator's Q for its labels, and no
/// single-node move improves a returned partition by more than 1e-10.
/// </summary>
public class LouvainPropertyTests
{
    /// <summary>A random signed symmetric matrix (some entries exactly 0), as connectivity of n nodes.</summary>
    private static readonly Gen<(int N, double[] Fc)> SignedMatrix =
        from n in Gen.Int[1, 24]
        from values in Gen.Double[-1, 1].Array[n * n]
        from sparsity in Gen.Double[0, 0.6]
        select (n, Symmetric(values, n, sparsity));

    private static readonly Gen<LouvainOptions> Options =
        from rule in Gen.Enum<MoveRule>()
        from iterated in Gen.Bool
        select new LouvainOptions { Rule = rule, Iterated = iterated };

    private static readonly Gen<LayerObjective> Objectives =
        from model in Gen.Enum<LayerNullModel>()
        from gp in Gen.Double[0, 2]
        from gn in Gen.Double[0, 2]
        from zero in Gen.Bool
        select new LayerObjective(model, gp, gn, zero);

    private static double[] Symmetric(double[] values, int n, double sparsity)
    {
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double v = Math.Abs(values[j * n + i]) < sparsity ? 0 : values[i * n + j];
                a[i * n + j] = a[j * n + i] = v;
            }
        return a;
    }

    [Fact]
    public void SingleLayerQualityMatchesTheEvaluatorAndIsLocallyOptimal()
    {
        Gen.Select(SignedMatrix, Objectives, Options, Gen.Long).Sample((m, objective, options, seed) =>
        {
            var b = ModularityMatrix.FromConnectivity(m.Fc, m.N, objective);
            var run = Louvain.Run(b, seed, options);
            Assert.Equal(b.RawQuality(run.Labels), run.RawQuality, 1e-12 * Math.Max(1, Math.Abs(run.RawQuality)));
            Assert.Equal(b.Quality(run.Labels), run.Modularity, 1e-12);
            Assert.True(LocalOptimality.MaxSingleNodeGain(b, run.Labels) <= 1e-10);
            Assert.Equal(Partitions.Tidy(run.Labels), run.Labels);
            Assert.Equal(Partitions.CountCommunities(run.Labels), run.Communities);
        }, iter: 300);
    }

    [Fact]
    public void CallerSuppliedMatricesAreOptimisedToo()
    {
        Gen.Select(SignedMatrix, Gen.Enum<MoveRule>(), Gen.Long).Sample((m, rule, seed) =>
        {
            var b = ModularityMatrix.FromMatrix(m.Fc, m.N, normaliser: 3.5);
            var run = Louvain.Run(b, seed, new LouvainOptions { Rule = rule });
            Assert.Equal(b.RawQuality(run.Labels), run.RawQuality, 1e-12 * Math.Max(1, Math.Abs(run.RawQuality)));
            Assert.Equal(run.RawQuality / 3.5, run.Modularity, 1e-12);
            Assert.True(LocalOptimality.MaxSingleNodeGain(b, run.Labels) <= 1e-10);
        }, iter: 200);
    }

    [Fact]
    public void MultilayerQualityMatchesTheEvaluatorAndIsLocallyOptimal()
    {
        var problems =
            from layers in Gen.Int[1, 5]
            from nodes in Gen.Int[1, 10]
            from values in Gen.Double[-1, 1].Array[layers * nodes * nodes]
            from omega in Gen.Double[0, 1.5]
            select (layers, nodes, values, omega);
        Gen.Select(problems, Objectives, Options, Gen.Long).Sample((p, objective, options, seed) =>
        {
            var fc = new double[p.values.Length];
            int size = p.nodes * p.nodes;
            for (int s = 0; s < p.layers; s++)
                Symmetric(p.values[(s * size)..((s + 1) * size)], p.nodes, 0.2).CopyTo(fc, s * size);
            var b = MultilayerModularity.FromConnectivity(fc, p.layers, p.nodes, objective, p.omega);
            var run = Louvain.Run(b, seed, options);
            Assert.Equal(b.RawQuality(run.Labels), run.RawQuality, 1e-12 * Math.Max(1, Math.Abs(run.RawQuality)));
            Assert.Equal(b.Quality(run.Labels), run.Modularity, 1e-12);
            Assert.True(LocalOptimality.MaxSingleNodeGain(b, run.Labels) <= 1e-10);
        }, iter: 200);
    }

    [Fact]
    public void AnInitialPartitionIsNeverMadeWorse()
    {
        Gen.Select(SignedMatrix, Gen.Long).Sample((m, seed) =>
        {
            var b = ModularityMatrix.FromConnectivity(m.Fc, m.N, LayerObjective.Study);
            var rng = new Random((int)seed);
            var initial = Enumerable.Range(0, m.N).Select(_ => rng.Next(3) * 7).ToArray();
            var run = Louvain.Run(b, seed, null, initial);
            Assert.True(run.RawQuality >= b.RawQuality(initial) - 1e-12);
        }, iter: 200);
    }

    [Fact]
    public void ARunDependsOnlyOnItsSeedWhateverTheThreadCount()
    {
        var rng = new Random(3);
        var fc = Symmetric(Enumerable.Range(0, 8 * 30 * 30).Select(_ => rng.NextDouble() * 2 - 1).ToArray()[..(30 * 30)], 30, 0);
        var layers = new double[8 * 900];
        for (int s = 0; s < 8; s++)
            Symmetric(Enumerable.Range(0, 900).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 30, 0).CopyTo(layers, s * 900);
        var b = MultilayerModularity.FromConnectivity(layers, 8, 30, LayerObjective.Study, 0.3);
        var options = new LouvainOptions { Rule = MoveRule.MoveRandW, Iterated = true };
        var serial = Louvain.Runs(b, 6, 100, options, maxDegreeOfParallelism: 1);
        var parallel = Louvain.Runs(b, 6, 100, options, maxDegreeOfParallelism: 4);
        for (int r = 0; r < 6; r++)
        {
            Assert.Equal(100 + r, serial[r].Seed);
            Assert.Equal(serial[r].Labels, parallel[r].Labels);
            Assert.Equal(serial[r].RawQuality, parallel[r].RawQuality);
            Assert.Equal(serial[r].Labels, Louvain.Run(b, 100 + r, options).Labels);
        }
        Assert.Contains(serial, r => !r.Labels.SequenceEqual(serial[0].Labels));
        var single = ModularityMatrix.FromConnectivity(fc, 30, LayerObjective.Study);
        Assert.Equal(Louvain.Run(single, 9).Labels, Louvain.Run(single, 9).Labels);
    }
}
