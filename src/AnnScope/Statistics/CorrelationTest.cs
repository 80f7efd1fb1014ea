using MathNet.Numerics.Statistics;

namespace AnnScope.Statistics;

/// <summary>Which correlation coefficient a test computes.</summary>
public enum CorrelationMethod
{
    /// <summary>Pearson's product-moment r (the study's).</summary>
    Pearson,

    /// <summary>Pearson correlation of the ranks (ties get their average rank).</summary>
    Spearman,
}

/// <summary>A correlation coefficient with its two-sided p-value over <see cref="N"/> complete pairs.</summary>
public sealed record CorrelationResult(double R, double PValue, int N)
{
    /// <summary>No correlation over <paramref name="n"/> pairs: r and p are NaN.</summary>
    public static CorrelationResult Undefined(int n) => new(double.NaN, double.NaN, n);
}

/// <summary>
/// Correlation with its two-sided test: t = r √((n−2)/(1−r²)) on n − 2 degrees of freedom (science.md §8; for
/// Spearman the same t approximation, as scipy uses). Pairs with a NaN on either side are dropped. Fewer than 3
/// pairs, or a constant side, give an undefined (NaN) result rather than an error, since across many
/// checkpoints some will be degenerate.
/// </summary>
public static class CorrelationTest
{
    /// <summary>r of <paramref name="x"/> and <paramref name="y"/> (same length, NaN pairs dropped) with its two-sided p-value.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static CorrelationResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y,
        CorrelationMethod method = CorrelationMethod.Pearson)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} values but y has {y.Length}");
        var xs = new List<double>(x.Length);
        var ys = new List<double>(y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            if (double.IsInfinity(x[i]) || double.IsInfinity(y[i]))
                throw new ArithmeticException($"infinite value in pair {i}");
            xs.Add(x[i]);
            ys.Add(y[i]);
        }
        int n = xs.Count;
        if (n < 3 || IsConstant(xs) || IsConstant(ys)) return CorrelationResult.Undefined(n);
        double r = method == CorrelationMethod.Spearman ? Correlation.Spearman(xs, ys) : Correlation.Pearson(xs, ys);
        r = Math.Clamp(r, -1, 1);
        return new CorrelationResult(r, PValue(r, n), n);
    }

    /// <summary>Two-sided p-value of a correlation r over n pairs: I_{1−r²}((n−2)/2, 1/2).</summary>
    public static double PValue(double r, int n)
    {
        if (double.IsNaN(r) || n < 3) return double.NaN;
        if (Math.Abs(r) >= 1) return 0;
        double t = r * Math.Sqrt((n - 2) / (1 - r * r));
        return TailProbabilities.StudentTTwoSided(t, n - 2);
    }

    private static bool IsConstant(List<double> v)
    {
        for (int i = 1; i < v.Count; i++)
            if (v[i] != v[0]) return false;
        return true;
    }
}
