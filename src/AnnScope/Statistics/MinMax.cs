namespace AnnScope.Statistics;

/// <summary>Min–max normalisation of a curve to [0, 1] for overlays (science.md §8).</summary>
internal static class MinMax
{
    /// <summary>
    /// (v − min)/(max − min) over the finite values; NaN stays NaN. A constant curve has no scale and becomes all
    /// NaN (an overlay would otherwise show an invented level).
    /// </summary>
    public static double[] Normalise(ReadOnlySpan<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (double.IsInfinity(v)) throw new ArithmeticException("cannot normalise a curve with infinite values");
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var result = new double[values.Length];
        double range = max - min;
        for (int i = 0; i < values.Length; i++)
            result[i] = range > 0 ? (values[i] - min) / range : double.NaN;
        return result;
    }
}
