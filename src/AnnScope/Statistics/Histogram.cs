using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        h.AddRange(values);
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

        internal void Add(double v) => Add(v, counts);

        /// <summary>
        /// <see cref="Add(double)"/> for every value: four at a time, their bins computed in one vector (the same
        /// subtraction, product and truncation as one by one) and counted in four interleaved sets of counters summed at
        /// the end — values often fall into one bin, and one counter incremented back to back waits for its own last store.
        /// </summary>
        internal void AddRange(ReadOnlySpan<double> values)
        {
            int bins = counts.Length;
            Span<long> sets = bins <= 256 ? stackalloc long[4 * bins] : new long[4 * bins];
            sets.Clear();
            int i = 0;
            if (Avx.IsSupported)
            {
                Span<int> bin = stackalloc int[4];
                var low = Vector256.Create(min);
                var high = Vector256.Create(max);
                var factor = Vector256.Create(scale);
                for (; i + 4 <= values.Length; i += 4)
                {
                    var v = Vector256.Create(values.Slice(i, 4));
                    if (!Vector256.EqualsAll(v, v)) throw new ArithmeticException("a NaN value cannot be binned");
                    var under = Vector256.LessThan(v, low);
                    var over = Vector256.GreaterThan(v, high);
                    below += BitOperations.PopCount(under.ExtractMostSignificantBits());
                    above += BitOperations.PopCount(over.ExtractMostSignificantBits());
                    Avx.ConvertToVector128Int32WithTruncation((v - low) * factor).CopyTo(bin);
                    uint outside = (under | over).ExtractMostSignificantBits();
                    for (int lane = 0; lane < 4; lane++)
                        if ((outside & (1u << lane)) == 0) sets[lane * bins + Math.Min(bin[lane], bins - 1)]++;
                }
            }
            for (; i + 4 <= values.Length; i += 4)
            {
                Add(values[i], sets.Slice(0, bins));
                Add(values[i + 1], sets.Slice(bins, bins));
                Add(values[i + 2], sets.Slice(2 * bins, bins));
                Add(values[i + 3], sets.Slice(3 * bins, bins));
            }
            for (; i < values.Length; i++) Add(values[i], sets.Slice(0, bins));
            for (int b = 0; b < bins; b++) counts[b] += sets[b] + sets[bins + b] + sets[2 * bins + b] + sets[3 * bins + b];
        }

        private void Add(double v, Span<long> set)
        {
            if (double.IsNaN(v)) throw new ArithmeticException("a NaN value cannot be binned");
            if (v < min) { below++; return; }
            if (v > max) { above++; return; }
            int bin = (int)((v - min) * scale);
            set[Math.Min(bin, set.Length - 1)]++;
        }

        internal Histogram Finish() => new(min, max, counts, below, above);
    }
}
