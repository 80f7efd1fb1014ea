using AnnScope.Interop;
using MathNet.Numerics.LinearAlgebra;

namespace AnnScope.Statistics;

/// <summary>What to do when a covariance matrix is not positive definite (its log-determinant is undefined).</summary>
public enum NonPositiveDefinitePolicy
{
    /// <summary>
    /// Robust preset: add a ridge δI, δ = 1e-10 × the mean variance (1e-10 when every variance is 0), multiplied by
    /// 10 until the Cholesky factorisation succeeds; the entropy is that of Σ + δI and the case is flagged.
    /// </summary>
    Ridge,

    /// <summary>Report the entropy as NaN and flag the case.</summary>
    NaN,
}

/// <summary>Differential entropy of a Gaussian with covariance Σ, and how it was obtained.</summary>
/// <param name="Value">H = ½ ln det Σ + ½ M (1 + ln 2π), natural log (nats).</param>
/// <param name="PositiveDefinite">False when Σ was not positive definite (then see <paramref name="Ridge"/>).</param>
/// <param name="Ridge">The δ added to the diagonal (0 when Σ was positive definite).</param>
public sealed record GaussianEntropy(double Value, bool PositiveDefinite, double Ridge)
{
    private const double InitialRidge = 1e-10;
    private const int MaxRidgeSteps = 16;

    /// <summary>
    /// Entropy from an M×M covariance matrix (row-major), log-determinant by Cholesky: with a
    /// <paramref name="context"/>, MKL LAPACK in the native core; without, MathNet (the managed reference).
    /// </summary>
    public static GaussianEntropy FromCovariance(ReadOnlySpan<double> covariance, int m,
        NonPositiveDefinitePolicy policy = NonPositiveDefinitePolicy.Ridge, ComputeContext? context = null)
    {
        if (m < 1 || covariance.Length != (long)m * m)
            throw new ArgumentException($"a {m}×{m} covariance needs {(long)m * m} values, got {covariance.Length}");
        // the native path factorises a copy of its own, so the covariance is only pinned; MathNet needs a matrix
        var sigma = context == null ? Matrix<double>.Build.DenseOfRowMajor(m, m, covariance.ToArray()) : null;
        double constant = 0.5 * m * (1 + Math.Log(2 * Math.PI));
        double logDet = LogDeterminant(covariance, m, 0, sigma, context);
        if (double.IsFinite(logDet)) return new GaussianEntropy(0.5 * logDet + constant, true, 0);
        if (policy == NonPositiveDefinitePolicy.NaN) return new GaussianEntropy(double.NaN, false, 0);

        double meanVariance = 0;
        for (int i = 0; i < m; i++) meanVariance += covariance[i * m + i];
        meanVariance /= m;
        double ridge = InitialRidge * (meanVariance > 0 && double.IsFinite(meanVariance) ? meanVariance : 1);
        for (int step = 0; step < MaxRidgeSteps; step++, ridge *= 10)
        {
            logDet = LogDeterminant(covariance, m, ridge, sigma, context);
            if (double.IsFinite(logDet)) return new GaussianEntropy(0.5 * logDet + constant, false, ridge);
        }
        return new GaussianEntropy(double.NaN, false, double.NaN);
    }

    private static double LogDeterminant(ReadOnlySpan<double> covariance, int m, double ridge, Matrix<double>? sigma,
        ComputeContext? context) =>
        context != null ? NativeLogDeterminant(covariance, m, ridge, context)
            : ManagedLogDeterminant(ridge == 0 ? sigma! : sigma! + Matrix<double>.Build.DiagonalIdentity(m) * ridge);

    private static unsafe double NativeLogDeterminant(ReadOnlySpan<double> covariance, int m, double ridge, ComputeContext context)
    {
        foreach (var v in covariance)
            if (!double.IsFinite(v)) return double.NaN; // as the managed path: no factorisation of NaN entries
        double logDet;
        fixed (double* a = covariance)
            NativeStatus.Check(NativeMethods.SymLogdetF64(context.Handle, a, 1, m, ridge, &logDet));
        return logDet;
    }

    private static double ManagedLogDeterminant(Matrix<double> sigma) =>
        TryLogDeterminant(sigma, out var logDet) ? logDet : double.NaN;

    private static bool TryLogDeterminant(Matrix<double> sigma, out double logDet)
    {
        logDet = double.NaN;
        // MathNet's Cholesky rejects a non-positive pivot; guard against NaN entries as well
        try
        {
            logDet = sigma.Cholesky().DeterminantLn;
            return double.IsFinite(logDet);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
