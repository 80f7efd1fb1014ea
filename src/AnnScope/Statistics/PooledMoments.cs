namespace AnnScope.Statistics;

/// <summary>
/// Moments of all values pooled together (the study's definitions): mean, standard deviation with n − 1,
/// kurtosis m₄/m₂² (biased, not excess: 3 for a Gaussian) and skewness m₃/m₂^{3/2} (biased), where m_k are the
/// central moments dividing by n. Computed in double precision in two passes.
/// </summary>
public sealed record PooledMoments(long Count, double Mean, double Std, double Kurtosis, double Skewness)
{
    /// <summary>The moments of every value of <paramref name="values"/> pooled.</summary>
    public static PooledMoments Of(ReadOnlySpan<float> values) => Compute(values);

    /// <inheritdoc cref="Of(ReadOnlySpan{float})"/>
    public static PooledMoments Of(ReadOnlySpan<double> values) => Compute(values);

    private static PooledMoments Compute<T>(ReadOnlySpan<T> values) where T : struct, IFloatingPoint<T>
    {
        long n = values.Length;
        if (n < 2) throw new ArgumentException($"moments need at least 2 values (got {n})");
        double sum = 0;
        foreach (var v in values) sum += double.CreateTruncating(v);
        if (!double.IsFinite(sum)) throw new ArithmeticException("the values contain NaN or infinite entries");
        double mean = sum / n;
        double s2 = 0, s3 = 0, s4 = 0;
        foreach (var v in values)
        {
            double d = double.CreateTruncating(v) - mean, d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }
        double m2 = s2 / n, m3 = s3 / n, m4 = s4 / n;
        // constant data: the standardised moments are undefined
        double kurtosis = m2 > 0 ? m4 / (m2 * m2) : double.NaN;
        double skewness = m2 > 0 ? m3 / Math.Pow(m2, 1.5) : double.NaN;
        return new PooledMoments(n, mean, Math.Sqrt(s2 / (n - 1)), kurtosis, skewness);
    }
}
