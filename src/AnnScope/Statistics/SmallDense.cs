namespace AnnScope.Statistics;

/// <summary>
/// Cholesky factor and triangular solves for the tiny (≤ 4×4) row-major blocks of the mixed-model criterion,
/// which runs them once per group per evaluation: allocation-free loops beat a general library here.
/// L is lower triangular with L L' = A.
/// </summary>
internal static class SmallDense
{
    internal static void Cholesky(Span<double> a, int n)
    {
        if (!TryCholesky(a, n)) throw new ArithmeticException("a matrix that must be positive definite is not");
    }

    internal static bool TryCholesky(Span<double> a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
            if (!(s > 0)) return false;
            double djj = Math.Sqrt(s);
            a[j * n + j] = djj;
            for (int i = j + 1; i < n; i++)
            {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = t / djj;
            }
            for (int i = j + 1; i < n; i++) a[j * n + i] = 0;
        }
        return true;
    }

    /// <summary>v ← L⁻¹ v.</summary>
    internal static void ForwardSolve(ReadOnlySpan<double> l, int n, Span<double> v)
    {
        for (int i = 0; i < n; i++)
        {
            double s = v[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * v[k];
            v[i] = s / l[i * n + i];
        }
    }

    /// <summary>v ← L⁻ᵀ v.</summary>
    internal static void BackSolve(ReadOnlySpan<double> l, int n, Span<double> v)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            double s = v[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * v[k];
            v[i] = s / l[i * n + i];
        }
    }

    /// <summary>Column <paramref name="col"/> of the n×cols matrix m ← L⁻¹ column.</summary>
    internal static void ForwardSolveColumn(ReadOnlySpan<double> l, int n, Span<double> m, int cols, int col)
    {
        for (int i = 0; i < n; i++)
        {
            double s = m[i * cols + col];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * m[k * cols + col];
            m[i * cols + col] = s / l[i * n + i];
        }
    }

    /// <summary>Column <paramref name="col"/> of the n×cols matrix m ← L⁻ᵀ column.</summary>
    internal static void BackSolveColumn(ReadOnlySpan<double> l, int n, Span<double> m, int cols, int col)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            double s = m[i * cols + col];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * m[k * cols + col];
            m[i * cols + col] = s / l[i * n + i];
        }
    }

    /// <summary>v ← (L L')⁻¹ v.</summary>
    internal static void CholeskySolve(ReadOnlySpan<double> l, int n, Span<double> v)
    {
        ForwardSolve(l, n, v);
        BackSolve(l, n, v);
    }
}
