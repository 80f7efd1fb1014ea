using AnnScope.Statistics;
using MathNet.Numerics.Distributions;

namespace AnnScope.Tests.Statistics;

public class CorrelationTestTests
{
    [Fact]
    public void PearsonOfAHandCheckableCase()
    {
        // Σ(x−x̄)(y−ȳ) = 6, Σ(x−x̄)² = 10, Σ(y−ȳ)² = 6: r = 6/√60
        double[] x = [1, 2, 3, 4, 5], y = [2, 4, 5, 4, 5];
        var r = CorrelationTest.Compute(x, y);
        Assert.Equal(6 / Math.Sqrt(60), r.R, 14);
        Assert.Equal(5, r.N);
        double t = r.R * Math.Sqrt(3 / (1 - r.R * r.R));
        Assert.Equal(2 * (1 - StudentT.CDF(0, 1, 3, t)), r.PValue, 12);
    }

    [Fact]
    public void SpearmanRanksWithTiesAveraged()
    {
        // ranks of y = [1, 2.5, 2.5, 4]: Pearson of ranks
        double[] x = [10, 20, 30, 40], y = [1, 5, 5, 9];
        var r = CorrelationTest.Compute(x, y, CorrelationMethod.Spearman);
        double[] ry = [1, 2.5, 2.5, 4], rx = [1, 2, 3, 4];
        Assert.Equal(CorrelationTest.Compute(rx, ry).R, r.R, 14);
        Assert.Equal(Math.Sqrt(0.9), r.R, 14);
    }

    [Fact]
    public void NaNPairsAreDroppedAndDegenerateInputIsUndefined()
    {
        var r = CorrelationTest.Compute([1, 2, double.NaN, 4, 5], [2, 4, 7, double.NaN, 10]);
        Assert.Equal(3, r.N);
        Assert.Equal(1, r.R, 14);
        Assert.True(r.PValue < 1e-6); // one degree of freedom: rounding in r alone leaves p near 1e-8
        Assert.Equal(0, CorrelationTest.PValue(1, 10));
        Assert.True(double.IsNaN(CorrelationTest.Compute([1, 1, 1, 1], [1, 2, 3, 4]).R));
        Assert.True(double.IsNaN(CorrelationTest.Compute([1, 2], [1, 2]).PValue));
        Assert.Throws<ArgumentException>(() => CorrelationTest.Compute([1, 2, 3], [1, 2]));
    }

    [Fact]
    public void TinyPValuesKeepTheirPrecision()
    {
        // r = 0.9 over 500 pairs: p is far below 1e-16, where 1 − CDF would be 0
        // exact: p = I_{1−r²}(df/2, 1/2), df = 498, by mpmath's betainc at 40 digits: 1.0193140088263035828e-181
        double p = CorrelationTest.PValue(0.9, 500);
        Assert.Equal(1, p / 1.0193140088263035828e-181, 10);
        // the two-sided t tail against the closed form for 1 degree of freedom (Cauchy): p = 1 − (2/π) atan|t|
        Assert.Equal(1 - 2 / Math.PI * Math.Atan(3.0), TailProbabilities.StudentTTwoSided(3, 1), 12);
        // χ² with 2 df: P(χ² > x) = exp(−x/2) exactly, even far in the tail
        Assert.Equal(Math.Exp(-100), TailProbabilities.ChiSquaredUpper(200, 2), 1e-55);
        Assert.Equal(1, Math.Exp(-100) / TailProbabilities.ChiSquaredUpper(200, 2), 10);
    }
}
