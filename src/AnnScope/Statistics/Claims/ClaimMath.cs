using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace AnnScope.Statistics.Claims;

/// <summary>A mean over instances with its t confidence interval and two-sided p-value against 0.</summary>
internal sealed record MeanTest(double Mean, double Lower, double Upper, double P, int N)
{
    public bool Positive(double alpha) => Mean > 0 && P < alpha;
    public bool Negative(double alpha) => Mean < 0 && P < alpha;
}

/// <summary>The small computations the claim rules share.</summary>
internal static class ClaimMath
{
    /// <summary>Mean of the finite values with a t interval at 1 − α; null when fewer than <paramref name="minimum"/> values.</summary>
    public static MeanTest? Mean(IEnumerable<double> values, double alpha, int minimum)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length < Math.Max(2, minimum)) return null;
        double mean = v.Average(), sd = v.StandardDeviation(), se = sd / Math.Sqrt(v.Length);
        if (!(se > 0)) return new MeanTest(mean, mean, mean, mean == 0 ? 1 : 0, v.Length);
        double q = StudentT.InvCDF(0, 1, v.Length - 1, 1 - alpha / 2);
        return new MeanTest(mean, mean - q * se, mean + q * se, TailProbabilities.StudentTTwoSided(mean / se, v.Length - 1), v.Length);
    }

    /// <summary>Per-instance change from checkpoint <paramref name="from"/> to <paramref name="to"/>, tested over instances.</summary>
    public static MeanTest? Change(double[][] curves, int from, int to, ClaimRules rules) =>
        Mean(curves.Select(c => c[to] - c[from]), rules.Alpha, rules.MinimumInstances);

    /// <summary>The mean over instances at each checkpoint (finite values only).</summary>
    public static double[] MeanCurve(double[][] curves) =>
        Enumerable.Range(0, curves[0].Length).Select(c =>
        {
            var v = curves.Select(x => x[c]).Where(double.IsFinite).ToArray();
            return v.Length == 0 ? double.NaN : v.Average();
        }).ToArray();

    /// <summary>Spearman ρ of a curve with time (finite points only).</summary>
    public static double Trend(double[] curve)
    {
        var t = Enumerable.Range(0, curve.Length).Where(c => double.IsFinite(curve[c])).ToArray();
        if (t.Length < 3) return double.NaN;
        return CorrelationTest.Compute(t.Select(c => (double)c).ToArray(), t.Select(c => curve[c]).ToArray(), CorrelationMethod.Spearman).R;
    }

    /// <summary>Across-instance r(measure, accuracy) at every checkpoint (NaN below the minimum instances).</summary>
    public static CorrelationResult[] Across(double[][] measure, double[][] accuracy, ClaimRules rules) =>
        Enumerable.Range(0, accuracy[0].Length).Select(c =>
        {
            var r = CorrelationTest.Compute(measure.Select(x => x[c]).ToArray(), accuracy.Select(x => x[c]).ToArray());
            return r.N >= rules.MinimumInstances ? r : CorrelationResult.Undefined(r.N);
        }).ToArray();

    /// <summary>
    /// Within-instance correlations per window of <paramref name="window"/> consecutive measured checkpoints: [instance][window].
    /// Checkpoints where either curve is NaN are skipped, so a measure taken on a subset of checkpoints gets windows of its own.
    /// </summary>
    public static double[][] Within(double[][] measure, double[][] accuracy, int window, double[][]? control = null)
    {
        var result = new double[accuracy.Length][];
        for (int i = 0; i < accuracy.Length; i++)
        {
            var at = Enumerable.Range(0, accuracy[i].Length)
                .Where(c => double.IsFinite(measure[i][c]) && double.IsFinite(accuracy[i][c]) && (control is null || double.IsFinite(control[i][c])))
                .ToArray();
            int windows = at.Length / window;
            result[i] = new double[windows];
            for (int w = 0; w < windows; w++)
            {
                var idx = at.Skip(w * window).Take(window).ToArray();
                var x = idx.Select(c => measure[i][c]).ToArray();
                var y = idx.Select(c => accuracy[i][c]).ToArray();
                result[i][w] = control is null
                    ? CorrelationTest.Compute(x, y).R
                    : PartialCorrelation.Compute(x, y, idx.Select(c => control[i][c]).ToArray()).R;
            }
        }
        return result;
    }

    /// <summary>Mean over instances of each window's r.</summary>
    public static double[] WindowMeans(double[][] within)
    {
        int windows = within.Length == 0 ? 0 : within.Min(w => w.Length);
        return Enumerable.Range(0, windows).Select(w =>
        {
            var v = within.Select(x => x[w]).Where(double.IsFinite).ToArray();
            return v.Length == 0 ? double.NaN : v.Average();
        }).ToArray();
    }

    /// <summary>Each instance's mean over its windows, tested over instances: the within-instance relation as a whole.</summary>
    public static MeanTest? Overall(double[][] within, ClaimRules rules) =>
        Mean(within.Select(w => w.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()), rules.Alpha, rules.MinimumInstances);

    /// <summary>Last checkpoint of the early phase (at least 1).</summary>
    public static int EarlyEnd(int checkpoints, ClaimRules rules) =>
        Math.Clamp((int)Math.Round(rules.EarlyFraction * (checkpoints - 1)), 1, Math.Max(1, checkpoints - 2));

    public static string F(double v) => double.IsFinite(v) ? v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : "undefined";

    public static string P(double p) => !double.IsFinite(p) ? "undefined"
        : p < 1e-4 ? p.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture)
        : p.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
}
