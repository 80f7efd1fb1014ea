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
        /// subtraction, product and truncation as one by one) and counted in eight interleaved sets of counters summed at
        /// the end — values often fall into one bin, and one counter incremented back to back waits for its own last store.
        /// A value below or above the range goes to one of two extra counters of its set, chosen in the vector, so the
        /// lanes take no branch (branching per lane held 300,000 activations to 0.39 ms).
        /// </summary>
        internal void AddRange(ReadOnlySpan<double> values)
        {
            int bins = counts.Length, stride = bins + 2; // a set: the bins, then below, then above
            Span<long> sets = bins <= 64 ? stackalloc long[8 * stride] : new long[8 * stride];
            sets.Clear();
            int i = 0;
            if (Avx.IsSupported)
            {
                Span<int> slot = stackalloc int[8];
                var low = Vector256.Create(min);
                var high = Vector256.Create(max);
                var factor = Vector256.Create(scale);
                var last = Vector256.Create((double)(bins - 1));
                var under = Vector256.Create((double)bins);
                var over = Vector256.Create((double)(bins + 1));
                var first = Vector256.Create(0.0, stride, 2 * stride, 3 * stride);
                var second = first + Vector256.Create(4.0 * stride);
                for (; i + 8 <= values.Length; i += 8)
                {
                    Slots(Vector256.Create(values.Slice(i, 4)), first).CopyTo(slot);
                    Slots(Vector256.Create(values.Slice(i + 4, 4)), second).CopyTo(slot.Slice(4));
                    for (int lane = 0; lane < 8; lane++) sets[slot[lane]]++;
                }

                // each lane's counter in the sets: its bin (as Add), or the below or above counter; offsets pick the set
                Vector128<int> Slots(Vector256<double> v, Vector256<double> offsets)
                {
                    if (!Vector256.EqualsAll(v, v)) throw new ArithmeticException("a NaN value cannot be binned");
                    var bin = Vector256.Min(Avx.RoundToZero((v - low) * factor), last);
                    bin = Vector256.ConditionalSelect(Vector256.LessThan(v, low), under,
                        Vector256.ConditionalSelect(Vector256.GreaterThan(v, high), over, bin));
                    return Avx.ConvertToVector128Int32WithTruncation(bin + offsets);
                }
            }
            for (; i + 4 <= values.Length; i += 4)
            {
                Add(values[i], sets.Slice(0, bins));
                Add(values[i + 1], sets.Slice(stride, bins));
                Add(values[i + 2], sets.Slice(2 * stride, bins));
                Add(values[i + 3], sets.Slice(3 * stride, bins));
            }
            for (; i < values.Length; i++) Add(values[i], sets.Slice(0, bins));
            for (int set = 0; set < 8; set++)
            {
                for (int b = 0; b < bins; b++) counts[b] += sets[set * stride + b];
                below += sets[set * stride + bins];
                above += sets[set * stride + bins + 1];
            }
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
