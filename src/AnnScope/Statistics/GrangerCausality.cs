using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace AnnScope.Statistics;

/// <summary>How a series' own past is modelled in a Granger test.</summary>
public sealed record GrangerOptions
{
    /// <summary>Times each series is differenced before the test, so trends (a learning curve) do not pass for causation.</summary>
    public int Differences { get; init; } = 1;

    /// <summary>The largest lag tried; the lag is chosen by AIC (and capped so the unrestricted model keeps residual df).</summary>
    public int MaxLag { get; init; } = 3;
}

/// <summary>One Granger F test: does the cause's past improve the prediction of the effect beyond the effect's own past?</summary>
public sealed record GrangerTest(int Lag, double F, int Df1, int Df2, double PValue, int Observations);

/// <summary>Granger tests of many instances combined: Stouffer's z (the decision) and Fisher's χ², with the counts.</summary>
public sealed record GrangerCombined(int Tested, int Untestable, int Significant, double StoufferZ, double StoufferP,
    double FisherChiSquared, double FisherP);

/// <summary>
/// Granger causality between two series as the study's supplement ran it, per instance: each series is differenced
/// (<see cref="GrangerOptions.Differences"/>), the lag order p is chosen by AIC over 1…MaxLag on a common sample, and
/// the restricted model effect_t ~ 1 + effect_{t−1..t−p} is compared with the unrestricted one that adds
/// cause_{t−1..t−p} by F = ((RSS_r − RSS_u)/p) / (RSS_u/(n − 2p − 1)). Instances combine by Stouffer's z of the
/// one-sided p-values (Fisher's method is reported beside it).
/// </summary>
public static class GrangerCausality
{
    /// <summary>The test of cause → effect; null when the series are too short or degenerate (constant after differencing).</summary>
    public static GrangerTest? Test(ReadOnlySpan<double> cause, ReadOnlySpan<double> effect, GrangerOptions? options = null)
    {
        options ??= new GrangerOptions();
        if (options.Differences < 0 || options.MaxLag < 1) throw new ArgumentException("Granger: differences must be >= 0 and max_lag >= 1");
        if (cause.Length != effect.Length) throw new ArgumentException($"Granger: series of {cause.Length} and {effect.Length} values");
        var x = Difference(cause.ToArray(), options.Differences);
        var y = Difference(effect.ToArray(), options.Differences);
        if (x.Any(v => !double.IsFinite(v)) || y.Any(v => !double.IsFinite(v))) return null;
        int n = y.Length;
        // the unrestricted model needs 2p + 1 coefficients and a few residual df on n − p observations
        int maxLag = Math.Min(options.MaxLag, (n - 4) / 3);
        if (maxLag < 1) return null;
        int bestLag = 0;
        double bestAic = double.PositiveInfinity;
        for (int p = 1; p <= maxLag; p++)
        {
            var rss = ResidualSumOfSquares(y, x, maxLag, p, withCause: true);
            if (rss is not { } value) return null;
            int observations = n - maxLag;
            double aic = observations * Math.Log(Math.Max(value, 1e-300) / observations) + 2 * (2 * p + 1);
            if (aic < bestAic) (bestAic, bestLag) = (aic, p);
        }
        int start = bestLag, nEff = n - start;
        var unrestricted = ResidualSumOfSquares(y, x, start, bestLag, withCause: true);
        var restricted = ResidualSumOfSquares(y, x, start, bestLag, withCause: false);
        if (unrestricted is not { } ru || restricted is not { } rr) return null;
        int df1 = bestLag, df2 = nEff - 2 * bestLag - 1;
        if (df2 < 1) return null;
        double f = ru > 0 ? Math.Max(0, (rr - ru) / df1) / (ru / df2) : double.PositiveInfinity;
        double pValue = double.IsPositiveInfinity(f) ? 0 : 1 - FisherSnedecor.CDF(df1, df2, f);
        return new GrangerTest(bestLag, f, df1, df2, Math.Clamp(pValue, 0, 1), nEff);
    }

    /// <summary>Combines per-instance tests (null = untestable) into one decision over instances.</summary>
    public static GrangerCombined Combine(IReadOnlyList<GrangerTest?> tests, double alpha = 0.05)
    {
        var p = tests.Where(t => t is not null).Select(t => Math.Clamp(t!.PValue, 1e-300, 1 - 1e-16)).ToArray();
        int untestable = tests.Count - p.Length;
        if (p.Length == 0) return new GrangerCombined(0, untestable, 0, double.NaN, double.NaN, double.NaN, double.NaN);
        double z = p.Sum(v => -Normal.InvCDF(0, 1, v)) / Math.Sqrt(p.Length);
        double chi = -2 * p.Sum(Math.Log);
        return new GrangerCombined(p.Length, untestable, p.Count(v => v < alpha), z, 1 - Normal.CDF(0, 1, z), chi,
            TailProbabilities.ChiSquaredUpper(chi, 2 * p.Length));
    }

    /// <summary>The series differenced <paramref name="times"/> times.</summary>
    internal static double[] Difference(double[] series, int times)
    {
        for (int d = 0; d < times && series.Length > 0; d++)
            series = Enumerable.Range(1, series.Length - 1).Select(t => series[t] - series[t - 1]).ToArray();
        return series;
    }

    /// <summary>RSS of y_t on 1, y_{t−1..t−p} (and x_{t−1..t−p}) for t = start … n−1; null when the design is singular.</summary>
    internal static double? ResidualSumOfSquares(double[] y, double[] x, int start, int p, bool withCause)
    {
        int n = y.Length - start, k = 1 + p * (withCause ? 2 : 1);
        if (n <= k) return null;
        var design = Matrix<double>.Build.Dense(n, k);
        var response = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(n);
        for (int r = 0; r < n; r++)
        {
            int t = start + r;
            response[r] = y[t];
            design[r, 0] = 1;
            for (int l = 1; l <= p; l++)
            {
                design[r, l] = y[t - l];
                if (withCause) design[r, p + l] = x[t - l];
            }
        }
        var qr = design.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        double largest = Enumerable.Range(0, k).Max(j => Math.Abs(qr.R[j, j]));
        if (!(largest > 0) || Enumerable.Range(0, k).Any(j => !(Math.Abs(qr.R[j, j]) > 1e-10 * largest))) return null;
        var residual = response - design * qr.Solve(response);
        return residual.DotProduct(residual);
    }
}
