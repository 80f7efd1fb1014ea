using MathNet.Numerics;

namespace AnnScope.Statistics;

/// <summary>
/// Upper-tail probabilities computed directly from the regularised incomplete beta and gamma functions, so
/// that tiny p-values keep their relative precision (1 − CDF would round them to 0 below about 1e-16).
/// </summary>
internal static class TailProbabilities
{
    /// <summary>Two-sided p-value of a t statistic: 2 P(T_df &gt; |t|) = I_{df/(df+t²)}(df/2, 1/2).</summary>
    public static double StudentTTwoSided(double t, double df)
    {
        if (double.IsNaN(t) || double.IsNaN(df) || df <= 0) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        if (double.IsPositiveInfinity(df)) return 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(t));
        double x = df / (df + t * t);
        return Math.Clamp(SpecialFunctions.BetaRegularized(df / 2, 0.5, x), 0, 1);
    }

    /// <summary>P(χ²_df &gt; x).</summary>
    public static double ChiSquaredUpper(double x, double df)
    {
        if (double.IsNaN(x) || double.IsNaN(df) || df <= 0) return double.NaN;
        if (x <= 0) return 1;
        if (double.IsPositiveInfinity(x)) return 0;
        return Math.Clamp(SpecialFunctions.GammaUpperRegularized(df / 2, x / 2), 0, 1);
    }
}
