using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

/// <summary>The histogram counts, four values at a time, exactly what binning one value after another counts.</summary>
public class HistogramTests
{
    /// <summary>The plain reference: each value below, above, or in bin ⌊(v − min)·bins/(max − min)⌋ (max in the last).</summary>
    private static (long[] Counts, long Below, long Above) Reference(double[] values, int bins, double min, double max)
    {
        var counts = new long[bins];
        long below = 0, above = 0;
        double scale = bins / (max - min);
        foreach (var v in values)
        {
            if (v < min) below++;
            else if (v > max) above++;
            else counts[Math.Min((int)((v - min) * scale), bins - 1)]++;
        }
        return (counts, below, above);
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(3, 20)]
    [InlineData(1001, 20)]
    [InlineData(4096, 7)]
    [InlineData(4097, 1)]
    public void CountsMatchOneValueAtATime(int length, int bins)
    {
        var random = new Random(length + bins);
        double min = -1, max = 1;
        var values = new double[length];
        double[] edges = [min, max, -0.0, 0.0, min - 1e-300, max + 1e-16, double.NegativeInfinity, double.PositiveInfinity, 1e300, -1e300];
        for (int i = 0; i < length; i++)
            values[i] = random.Next(5) == 0 ? edges[random.Next(edges.Length)] : random.NextDouble() * 2.6 - 1.3;
        // bin edges exactly
        for (int i = 0; i + 1 < length && i <= bins; i += 2) values[i] = min + (max - min) * i / bins;
        var expected = Reference(values, bins, min, max);
        var h = Histogram.Count(values, bins, min, max);
        Assert.Equal(expected.Counts, h.Counts);
        Assert.Equal(expected.Below, h.Below);
        Assert.Equal(expected.Above, h.Above);
        Assert.Equal(length, h.Counts.Sum() + h.Below + h.Above);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(6)]
    public void ANaNAnywhereIsRefused(int at)
    {
        var values = Enumerable.Range(0, 7).Select(i => i / 10.0).ToArray();
        values[at] = double.NaN;
        var error = Assert.Throws<ArithmeticException>(() => Histogram.Count(values, 20, -1, 1));
        Assert.Contains("NaN", error.Message);
    }
}
