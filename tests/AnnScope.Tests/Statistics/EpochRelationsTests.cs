using AnnScope.Statistics;
using MathNet.Numerics.Statistics;

namespace AnnScope.Tests.Statistics;

public class EpochRelationsTests
{
    private static (double[][] X, double[][] Y) Curves(int instances, int checkpoints, int seed)
    {
        var rng = new Random(seed);
        var x = new double[instances][];
        var y = new double[instances][];
        for (int i = 0; i < instances; i++)
        {
            x[i] = Enumerable.Range(0, checkpoints).Select(c => 0.02 + 0.0003 * c + 0.002 * Simulated.Normal(rng)).ToArray();
            y[i] = x[i].Select(v => 0.3 + 10 * v + 0.01 * Simulated.Normal(rng)).ToArray();
        }
        return (x, y);
    }

    [Fact]
    public void AcrossInstancesCorrelatesEachCheckpointColumn()
    {
        var (x, y) = Curves(30, 21, 1);
        var result = EpochRelations.AcrossInstances(x, y);
        Assert.Equal(21, result.Length);
        for (int c = 0; c < 21; c++)
        {
            var expected = CorrelationTest.Compute(x.Select(v => v[c]).ToArray(), y.Select(v => v[c]).ToArray());
            Assert.Equal(expected, result[c]);
            Assert.Equal(30, result[c].N);
        }
        Assert.All(result, r => Assert.True(r.R > 0.5));
    }

    [Fact]
    public void WithinInstancesSummarisesEachWindowAndCountsUndefinedR()
    {
        var (x, y) = Curves(12, 31, 2);
        // instance 0 is constant in the second window: its r there is undefined
        for (int c = 10; c < 20; c++) x[0][c] = 0.03;
        var windows = EpochRelations.WithinInstances(x, y);
        Assert.Equal(3, windows.Length); // 31 checkpoints: the last (partial) window is left out
        Assert.Equal([0, 10, 20], windows.Select(w => w.FirstCheckpoint));
        var second = windows[1];
        Assert.Equal(1, second.NaNCount);
        Assert.True(double.IsNaN(second.InstanceR[0]));
        var defined = second.InstanceR.Skip(1).ToArray();
        Assert.Equal(defined.Average(), second.MeanR, 14);
        Assert.Equal(defined.StandardDeviation() / Math.Sqrt(11), second.SemR, 14);
        Assert.Equal(11, second.Histogram.Counts.Sum());
        Assert.Equal(CorrelationTest.Compute(x[3].AsSpan(10, 10), y[3].AsSpan(10, 10)).R, second.InstanceR[3]);
        Assert.Equal(12 * 10, windows[0].Pooled.N);
    }

    [Fact]
    public void PooledLineIsTheLeastSquaresLine()
    {
        // exactly y = 3 + 2x in every instance: r = 1 and the line is (3, 2)
        var x = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 10).Select(c => (double)(c * (i + 1))).ToArray()).ToArray();
        var y = x.Select(c => c.Select(v => 3 + 2 * v).ToArray()).ToArray();
        var w = Assert.Single(EpochRelations.WithinInstances(x, y));
        Assert.Equal(1, w.Pooled.R, 12);
        Assert.Equal(3, w.PooledLine!.Intercept, 10);
        Assert.Equal(2, w.PooledLine.Slope, 12);
        Assert.All(w.InstanceR, r => Assert.Equal(1, r, 12));
        Assert.Equal(4, w.Histogram.Counts[^1]);
    }

    [Fact]
    public void ShapesMustAgree()
    {
        Assert.Throws<ArgumentException>(() => EpochRelations.AcrossInstances([[1.0, 2]], [[1.0]]));
        Assert.Throws<ArgumentException>(() => EpochRelations.WithinInstances([[1.0, 2, 3]], [[1.0, 2, 3]]));
    }

    [Fact]
    public void MinMaxNormalisation()
    {
        Assert.Equal([0, 0.5, 1, double.NaN, 0.25], MinMax.Normalise([2, 4, 6, double.NaN, 3]));
        Assert.All(MinMax.Normalise([5, 5, 5]), v => Assert.True(double.IsNaN(v)));
    }
}
