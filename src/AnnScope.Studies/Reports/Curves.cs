namespace AnnScope.Reports;

/// <summary>Summaries of per-instance curves for display: mean ± SEM over instances, min–max normalisation.</summary>
internal static class Curves
{
    /// <summary>Mean and standard error (sd/√n, sd with n−1) over the finite instance values at each checkpoint; NaN where none.</summary>
    public static (double[] Mean, double[] Sem) MeanSem(double[][] series)
    {
        var mean = new double[series.Length];
        var sem = new double[series.Length];
        for (int c = 0; c < series.Length; c++)
        {
            var values = series[c].Where(double.IsFinite).ToArray();
            mean[c] = values.Length > 0 ? values.Average() : double.NaN;
            sem[c] = values.Length > 1
                ? Math.Sqrt(values.Sum(v => (v - mean[c]) * (v - mean[c])) / (values.Length - 1) / values.Length)
                : values.Length == 1 ? 0 : double.NaN;
        }
        return (mean, sem);
    }

    /// <summary>The curve rescaled to [0, 1] by its finite minimum and maximum; null when it is constant or undefined.</summary>
    public static double[]? MinMax(double[] curve)
    {
        var finite = curve.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return null;
        double lo = finite.Min(), hi = finite.Max();
        if (!(hi > lo)) return null;
        return [.. curve.Select(v => double.IsFinite(v) ? (v - lo) / (hi - lo) : double.NaN)];
    }

    /// <summary>One instance's curve out of a [checkpoint][instance] series.</summary>
    public static double[] Instance(double[][] series, int instance) => [.. series.Select(s => s[instance])];

    /// <summary>Runs of consecutive points where both x and y are finite (lines break at undefined values).</summary>
    public static IEnumerable<(double[] X, double[] Y)> FiniteRuns(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int start = -1;
        for (int k = 0; k <= x.Count; k++)
        {
            bool ok = k < x.Count && double.IsFinite(x[k]) && double.IsFinite(y[k]);
            if (ok && start < 0) start = k;
            if (!ok && start >= 0)
            {
                yield return ([.. Enumerable.Range(start, k - start).Select(i => x[i])], [.. Enumerable.Range(start, k - start).Select(i => y[i])]);
                start = -1;
            }
        }
    }

    /// <summary>Indices of six evenly spaced checkpoints out of <paramref name="count"/>, first and last included (fewer when there are fewer).</summary>
    public static int[] SixOf(int count) =>
        [.. Enumerable.Range(0, 6).Select(k => (int)Math.Round(k * (count - 1) / 5.0)).Distinct()];

    public static bool AnyFinite(double[][] series) => series.Any(s => s.Any(double.IsFinite));
}
