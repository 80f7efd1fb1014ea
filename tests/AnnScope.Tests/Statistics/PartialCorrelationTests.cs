using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

public class PartialCorrelationTests
{
    /// <summary>The plain definition: the correlation of the residuals of x and y after least squares on z.</summary>
    private static double Reference(double[] x, double[] y, double[] z)
    {
        double[] Residual(double[] v)
        {
            double mz = z.Average(), mv = v.Average();
            double slope = z.Zip(v, (a, b) => (a - mz) * (b - mv)).Sum() / z.Sum(a => (a - mz) * (a - mz));
            return v.Select((b, i) => b - mv - slope * (z[i] - mz)).ToArray();
        }
        var rx = Residual(x);
        var ry = Residual(y);
        return rx.Zip(ry, (a, b) => a * b).Sum() / Math.Sqrt(rx.Sum(a => a * a) * ry.Sum(b => b * b));
    }

    [Fact]
    public void EqualsTheCorrelationOfResiduals()
    {
        var rng = new Random(3);
        var z = Enumerable.Range(0, 40).Select(_ => Simulated.Normal(rng)).ToArray();
        var x = z.Select(v => 2 * v + Simulated.Normal(rng)).ToArray();
        var y = z.Select((v, i) => -v + 0.5 * x[i] + Simulated.Normal(rng)).ToArray();
        var r = PartialCorrelation.Compute(x, y, z);
        Assert.Equal(Reference(x, y, z), r.R, 12);
        Assert.Equal(40, r.N);
        // t on n − 3 df
        double t = r.R * Math.Sqrt(37 / (1 - r.R * r.R));
        Assert.Equal(TailProbabilities.StudentTTwoSided(t, 37), r.PValue, 12);
    }

    [Fact]
    public void ARelationCarriedByTheControlVanishes()
    {
        var rng = new Random(5);
        var z = Enumerable.Range(0, 200).Select(_ => Simulated.Normal(rng)).ToArray();
        var x = z.Select(v => v + 0.3 * Simulated.Normal(rng)).ToArray();
        var y = z.Select(v => v + 0.3 * Simulated.Normal(rng)).ToArray();
        Assert.True(CorrelationTest.Compute(x, y).R > 0.8);
        Assert.True(Math.Abs(PartialCorrelation.Compute(x, y, z).R) < 0.2);
    }

    [Fact]
    public void DegenerateDataGiveUndefined()
    {
        Assert.True(double.IsNaN(PartialCorrelation.Compute([1.0, 2, 3], [1.0, 2, 4], [0.0, 1, 1]).R));
        Assert.True(double.IsNaN(PartialCorrelation.Compute([1.0, 2, 3, 4], [2.0, 4, 6, 8], [1.0, 2, 3, 4]).R));
        Assert.Throws<ArgumentException>(() => PartialCorrelation.Compute([1.0, 2], [1.0], [1.0, 2]));
    }
}
