namespace AnnScope.Statistics;

/// <summary>
/// Counts in equal-width bins over [Min, Max], numpy's convention: each bin is closed on the left, the last also
/// on the right. Values outside the range are not in any bin; they are counted in <see cref="Below"/> and
/// <see cref="Above"/> so nothing is lost silently.
/// </summary>
public sealed record Histogram(double Min, double Max, long[] Counts, long Below, long Above)
{
    /// <summary>The number of bins.</summary>
    public int Bins => Counts.Length;

    /// <summary>Bin edges, Bins + 1 values from Min to Max.</summary>
    public double[] Edges() => Enumerable.Range(0, Bins + 1).Select(i => Min + (Max - Min) * i / Bins).ToArray();

    /// <summary>Counts <paramref name="values"/> into <paramref name="bins"/> equal bins over [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Histogram Count(ReadOnlySpan<double> values, int bins, double min, double max)
    {
        var h = Empty(bins, min, max);
        foreach (var v in values) h.Add(v);
        return h.Finish();
    }

    /// <inheritdoc cref="Count(ReadOnlySpan{double}, int, double, double)"/>
    public static Histogram Count(ReadOnlySpan<float> values, int bins, double min, double max)
    {
        var h = Empty(bins, min, max);
        foreach (var v in values) h.Add(v);
        return h.Finish();
    }

    internal static Builder Empty(int bins, double min, double max)
    {
        if (bins < 1) throw new ArgumentException($"a histogram needs at least one bin (got {bins})");
        if (!(double.IsFinite(min) && double.IsFinite(max) && max > min))
            throw new ArgumentException($"histogram range [{min}, {max}] must be finite with max > min");
        return new Builder(bins, min, max);
    }

    internal sealed class Builder(int bins, double min, double max)
    {
        private readonly long[] counts = new long[bins];
        private readonly double scale = bins / (max - min);
        private long below, above;

        internal void Add(double v)
        {
            if (double.IsNaN(v)) throw new ArithmeticException("a NaN value cannot be binned");
            if (v < min) { below++; return; }
            if (v > max) { above++; return; }
            int bin = (int)((v - min) * scale);
            counts[Math.Min(bin, counts.Length - 1)]++;
        }

        internal Histogram Finish() => new(min, max, counts, below, above);
    }
}
