using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

/// <summary>The vector passes of the pooled moments against the plain one-sum-per-pass reference.</summary>
public class PooledMomentsTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1001)]
    [InlineData(300_017)]
    public void VectorPassesMatchTheReferenceAndFloatsTheirDoubleCopy(int length)
    {
        var random = new Random(length);
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(3.5 + (random.Next(10) == 0 ? 40 : 2) * Simulated.Normal(random) * random.NextDouble());
        var wide = values.Select(v => (double)v).ToArray();

        var reference = PooledMoments.Reference<double>(wide);
        var moments = PooledMoments.Of(wide);
        Assert.Equal(reference.Count, moments.Count);
        Assert.Equal(reference.Mean, moments.Mean, 1e-13 * Math.Abs(reference.Mean));
        Assert.Equal(reference.Std, moments.Std, 1e-12 * reference.Std);
        Assert.Equal(reference.Kurtosis, moments.Kurtosis, 1e-12 * reference.Kurtosis);
        Assert.Equal(reference.Skewness, moments.Skewness, 1e-12);
        Assert.Equal(moments, PooledMoments.Of(values));
    }

    [Fact]
    public void NaNOrInfinityAnywhereIsRefused()
    {
        foreach (int at in new[] { 0, 7, 8, 16, 18 })
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity })
        {
            var values = Enumerable.Range(0, 19).Select(i => i / 10.0).ToArray();
            values[at] = bad;
            Assert.Throws<ArithmeticException>(() => PooledMoments.Of(values));
            Assert.Throws<ArithmeticException>(() => PooledMoments.Of(values.Select(v => (float)v).ToArray()));
        }
    }
}
