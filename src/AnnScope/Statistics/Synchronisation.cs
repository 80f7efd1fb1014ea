using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace AnnScope.Statistics;

/// <summary>
/// Synchronisation of a network from the singular values σ₁ ≥ … ≥ σ_M of its correlation matrix: PC1 ratio σ₁/M,
/// full synchronisation 1/std(σ₁…σ_M) and partial synchronisation 1/std(σ₂…σ_M) (std with n − 1; a spread of 0
/// gives +∞). Singular values by MathNet's SVD without singular vectors, which is faster here than a symmetric
/// eigendecomposition that forms the eigenvectors.
/// </summary>
public sealed record Synchronisation(double[] SingularValues, double Pc1Ratio, double Full, double Partial)
{
    /// <summary>The synchronisation of a row-major <paramref name="m"/> × <paramref name="m"/> correlation matrix (m ≥ 3).</summary>
    /// <exception cref="ArgumentException">The matrix is not m × m, or m &lt; 3.</exception>
    public static Synchronisation FromCorrelation(ReadOnlySpan<double> correlation, int m)
    {
        if (m < 3 || correlation.Length != (long)m * m)
            throw new ArgumentException($"synchronisation needs an M×M correlation with M ≥ 3 (got {correlation.Length} values for M = {m})");
        foreach (var v in correlation)
            if (!double.IsFinite(v)) throw new ArithmeticException("the correlation matrix contains NaN or infinite values");
        var matrix = Matrix<double>.Build.DenseOfRowMajor(m, m, correlation.ToArray());
        var sv = matrix.Svd(computeVectors: false).S.OrderDescending().ToArray();
        double full = 1 / sv.StandardDeviation();
        double partial = 1 / sv.Skip(1).StandardDeviation();
        return new Synchronisation(sv, sv[0] / m, full, partial);
    }
}
