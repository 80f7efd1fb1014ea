using MathNet.Numerics.LinearAlgebra;
using Vector = MathNet.Numerics.LinearAlgebra.Vector<double>;

namespace AnnScope.Statistics;

/// <summary>An ordinary least-squares fit y = Xb + e with an intercept: coefficients, standard errors, t, p.</summary>
public sealed record LeastSquaresFit(IReadOnlyList<FixedEffect> Coefficients, double ResidualSd, int ResidualDf)
{
    /// <summary>The coefficient called <paramref name="name"/> (<c>(Intercept)</c> or a covariate).</summary>
    /// <exception cref="KeyNotFoundException">No such coefficient.</exception>
    public FixedEffect this[string name] =>
        Coefficients.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"no coefficient named '{name}'");
}

/// <summary>A least-squares line y = Intercept + Slope·x.</summary>
public sealed record LineFit(double Intercept, double Slope);

/// <summary>Ordinary least squares by QR (MathNet), Cov(b) = s²(X'X)⁻¹ with s² = RSS/(n − p).</summary>
public static class OrdinaryLeastSquares
{
    /// <summary>Regresses y on an intercept and the named covariates.</summary>
    public static LeastSquaresFit Fit(ReadOnlySpan<double> y, IReadOnlyList<(string Name, double[] Values)> covariates)
    {
        int n = y.Length, p = covariates.Count + 1;
        if (n <= p) throw new ArgumentException($"{n} observations cannot estimate {p} coefficients and a residual variance");
        var x = Matrix<double>.Build.Dense(n, p);
        for (int i = 0; i < n; i++) x[i, 0] = 1;
        for (int c = 0; c < covariates.Count; c++)
        {
            var values = covariates[c].Values;
            if (values.Length != n) throw new ArgumentException($"{covariates[c].Name} has {values.Length} values, y has {n}");
            for (int i = 0; i < n; i++) x[i, c + 1] = values[i];
        }
        var yv = Vector.Build.DenseOfArray(y.ToArray());
        var qr = x.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var r = qr.R;
        double largest = Enumerable.Range(0, p).Max(j => Math.Abs(r[j, j]));
        for (int j = 0; j < p; j++)
            if (!(Math.Abs(r[j, j]) > 1e-12 * largest))
                throw new ArgumentException($"the design is rank deficient: {(j == 0 ? "the intercept" : covariates[j - 1].Name)} is constant or collinear");
        var b = qr.Solve(yv);
        var residual = yv - x * b;
        int df = n - p;
        double s2 = residual.DotProduct(residual) / df;
        var rInverse = r.Inverse();
        var unscaled = rInverse * rInverse.Transpose();
        var names = new[] { "(Intercept)" }.Concat(covariates.Select(c => c.Name)).ToArray();
        var coefficients = new FixedEffect[p];
        for (int j = 0; j < p; j++)
        {
            double se = Math.Sqrt(s2 * unscaled[j, j]);
            double t = b[j] / se;
            coefficients[j] = new FixedEffect(names[j], b[j], se, t, df, TailProbabilities.StudentTTwoSided(t, df));
        }
        return new LeastSquaresFit(coefficients, Math.Sqrt(s2), df);
    }

    /// <summary>The least-squares line of y on x.</summary>
    public static LineFit Line(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var fit = Fit(y, [("x", x.ToArray())]);
        return new LineFit(fit.Coefficients[0].Estimate, fit.Coefficients[1].Estimate);
    }
}
