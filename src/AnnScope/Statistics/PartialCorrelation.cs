namespace AnnScope.Statistics;

/// <summary>
/// The correlation of x and y with a control z partialled out: r_xy·z = (r_xy − r_xz r_yz) / √((1 − r_xz²)(1 − r_yz²)),
/// the correlation of the residuals of x and y regressed on z, tested on n − 3 degrees of freedom. Used to ask whether
/// a measure's relation to accuracy survives once connection strength (mean correlation) is held fixed.
/// </summary>
public static class PartialCorrelation
{
    /// <summary>r(x, y | z) with its two-sided p-value; triples with a NaN are dropped, degenerate data give NaN.</summary>
    public static CorrelationResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z)
    {
        if (x.Length != y.Length || x.Length != z.Length)
            throw new ArgumentException($"x, y and z must have equal lengths (got {x.Length}, {y.Length}, {z.Length})");
        var xs = new List<double>(x.Length);
        var ys = new List<double>(x.Length);
        var zs = new List<double>(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i]) || double.IsNaN(z[i])) continue;
            xs.Add(x[i]);
            ys.Add(y[i]);
            zs.Add(z[i]);
        }
        int n = xs.Count;
        if (n < 4) return CorrelationResult.Undefined(n);
        double rxy = CorrelationTest.Compute(xs.ToArray(), ys.ToArray()).R;
        double rxz = CorrelationTest.Compute(xs.ToArray(), zs.ToArray()).R;
        double ryz = CorrelationTest.Compute(ys.ToArray(), zs.ToArray()).R;
        double denominator = Math.Sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
        if (!double.IsFinite(rxy) || !double.IsFinite(rxz) || !double.IsFinite(ryz) || !(denominator > 1e-12))
            return CorrelationResult.Undefined(n);
        double r = Math.Clamp((rxy - rxz * ryz) / denominator, -1, 1);
        return new CorrelationResult(r, PValue(r, n), n);
    }

    /// <summary>Two-sided p-value of a first-order partial correlation over n triples (t on n − 3 df).</summary>
    public static double PValue(double r, int n)
    {
        if (double.IsNaN(r) || n < 4) return double.NaN;
        if (Math.Abs(r) >= 1) return 0;
        return TailProbabilities.StudentTTwoSided(r * Math.Sqrt((n - 3) / (1 - r * r)), n - 3);
    }
}
