using AnnScope.Interop;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace AnnScope.Statistics;

/// <summary>
/// Synchronisation of a network from the singular values σ₁ ≥ … ≥ σ_M of its correlation matrix: PC1 ratio σ₁/M,
/// full synchronisation 1/std(σ₁…σ_M) and partial synchronisation 1/std(σ₂…σ_M) (std with n − 1; a spread of 0
/// gives +∞). With a compute context the singular values are the absolute eigenvalues from MKL LAPACK (values only)
/// in the native core; without, MathNet's SVD (the managed reference).
/// </summary>
public sealed record Synchronisation(double[] SingularValues, double Pc1Ratio, double Full, double Partial)
{
    /// <summary>Synchronisation of an M×M correlation matrix (row-major); <paramref name="context"/> chooses the native path.</summary>
    public static Synchronisation FromCorrelation(ReadOnlySpan<double> correlation, int m, ComputeContext? context = null)
    {
        if (m < 3 || correlation.Length != (long)m * m)
            throw new ArgumentException($"synchronisation needs an M×M correlation with M ≥ 3 (got {correlation.Length} values for M = {m})");
        foreach (var v in correlation)
            if (!double.IsFinite(v)) throw new ArithmeticException("the correlation matrix contains NaN or infinite values");
        var sv = context != null ? NativeSingularValues(correlation, m, context)
            : Matrix<double>.Build.DenseOfRowMajor(m, m, correlation.ToArray()).Svd(computeVectors: false).S.OrderDescending().ToArray();
        double full = 1 / sv.StandardDeviation();
        double partial = 1 / sv.Skip(1).StandardDeviation();
        return new Synchronisation(sv, sv[0] / m, full, partial);
    }

    private static unsafe double[] NativeSingularValues(ReadOnlySpan<double> correlation, int m, ComputeContext context)
    {
        var values = new double[m];
        fixed (double* a = correlation)
        fixed (double* v = values)
            NativeStatus.Check(NativeMethods.SymSingularValuesF64(context.Handle, a, 1, m, v));
        return values;
    }
}
