using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnnScope.Communities;

/// <summary>
/// Builds one layer's dense modularity matrix from its connectivity (science.md §5), the one place where null
/// models, resolutions, the diagonal choice and the zero-total guards live.
/// </summary>
internal static class LayerModularity
{
    /// <summary>Largest |A_ij − A_ji| accepted as rounding, relative to max(1, |A_ij|, |A_ji|).</summary>
    internal static double SymmetryTolerance<T>() => typeof(T) == typeof(float) ? 1e-5 : 1e-9;

    /// <summary>
    /// Checks that <paramref name="fc"/> is a finite, symmetric <paramref name="nodes"/>² matrix; <paramref name="what"/>
    /// names it in messages (e.g. "layer 3 of the FC").
    /// </summary>
    internal static void Validate<T>(ReadOnlySpan<T> fc, int nodes, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < nodes; i++)
            for (int j = i; j < nodes; j++)
                Check(fc, nodes, i, j, SymmetryTolerance<T>(), what);
    }

    /// <summary>Entry (i, j) and its mirror are finite and agree up to rounding, else the error names them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double A, double B) Check<T>(ReadOnlySpan<T> fc, int nodes, int i, int j, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = double.CreateTruncating(fc[i * nodes + j]), b = double.CreateTruncating(fc[j * nodes + i]);
        if (!double.IsFinite(a) || !double.IsFinite(b))
            throw new ArgumentException($"{what} holds a non-finite value (NaN or infinity) at ({Math.Min(i, j)}, {Math.Max(i, j)})");
        if (Math.Abs(a - b) > tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b))))
            throw new ArgumentException($"{what} is not symmetric: entry ({i}, {j}) = {a} but ({j}, {i}) = {b}");
        return (a, b);
    }

    /// <summary>
    /// Checks <paramref name="fc"/> as <see cref="Validate"/> does (<paramref name="what"/> names it), writes B (row-major,
    /// nodes²) for one layer into <paramref name="b"/> and returns the layer's normaliser: 2m⁺ + 2m⁻ (signed split), 2m⁺
    /// (positive) or 1 (the BCT objectives, which normalise B itself). The input is symmetrised by averaging (it was
    /// checked symmetric up to rounding), so B is exactly symmetric.
    /// </summary>
    internal static double Build<T>(ReadOnlySpan<T> fc, int nodes, LayerObjective objective, Span<double> b, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = nodes;
        // the check and the symmetrised weights in one pass over the upper triangle, each weight written to both sides
        double tolerance = SymmetryTolerance<T>();
        for (int i = 0; i < n; i++)
        {
            var (diagonal, _) = Check(fc, n, i, i, tolerance, what);
            b[i * n + i] = objective.ZeroDiagonal ? 0.0 : diagonal;
            for (int j = i + 1; j < n; j++)
            {
                var (upper, lower) = Check(fc, n, i, j, tolerance, what);
                b[i * n + j] = b[j * n + i] = 0.5 * (upper + lower);
            }
        }
        Span<double> kp = n <= 512 ? stackalloc double[n] : new double[n];
        Span<double> kn = n <= 512 ? stackalloc double[n] : new double[n];
        Strengths(b, n, kp, kn);
        double vp = 0, vn = 0;
        for (int i = 0; i < n; i++)
        {
            vp += kp[i];
            vn += kn[i];
        }

        bool negativePart = objective.NullModel != LayerNullModel.Positive;
        double scalePositive, scaleNegative, normaliser;
        switch (objective.NullModel)
        {
            case LayerNullModel.SignedSplit:
                (scalePositive, scaleNegative, normaliser) = (1.0, 1.0, vp + vn);
                break;
            case LayerNullModel.Positive:
                (scalePositive, scaleNegative, normaliser) = (1.0, 0.0, vp);
                break;
            case LayerNullModel.NegativeSymmetric:
                double total = vp + vn;
                (scalePositive, scaleNegative, normaliser) = total > 0 ? (1.0 / total, 1.0 / total, 1.0) : (0.0, 0.0, 1.0);
                break;
            default:
                double all = vp + vn;
                (scalePositive, scaleNegative, normaliser) = (vp > 0 ? 1.0 / vp : 0.0, all > 0 ? 1.0 / all : 0.0, 1.0);
                break;
        }
        // a null-model term whose total is zero is taken as 0 (its A part is then zero too): never 0/0
        double nullPositive = vp > 0 ? objective.GammaPositive / vp : 0.0;
        double nullNegative = vn > 0 && negativePart ? objective.GammaNegative / vn : 0.0;
        for (int i = 0; i < n; i++)
            NullModelRow(b.Slice(i * n, n), kp[i], kn[i], kp, kn, nullPositive, nullNegative, scalePositive, scaleNegative, negativePart);
        return normaliser;
    }

    /// <summary>
    /// k⁺_i = Σ_j max(A_ij, 0) and k⁻_i = Σ_j max(−A_ij, 0), each summed over j in ascending order. A is symmetric, so
    /// column i holds row i: a vector of rows i..i+3 advances through j together, each lane adding in its own row's order.
    /// </summary>
    private static void Strengths(ReadOnlySpan<double> a, int n, Span<double> kp, Span<double> kn)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                Vector256<double> p = Vector256<double>.Zero, q = Vector256<double>.Zero;
                for (int j = 0; j < n; j++)
                {
                    var x = Vector256.Create(a.Slice(j * n + i, Vector256<double>.Count));
                    p += Positive(x);
                    q += Positive(-x);
                }
                p.CopyTo(kp.Slice(i));
                q.CopyTo(kn.Slice(i));
            }
        }
        for (; i < n; i++)
        {
            double p = 0, q = 0;
            for (int j = 0; j < n; j++)
            {
                double x = a[i * n + j];
                p += x > 0 ? x : 0.0;
                q += x < 0 ? -x : 0.0;
            }
            kp[i] = p;
            kn[i] = q;
        }
    }

    /// <summary>max(x, 0) per lane, +0 for −0 as <see cref="Math.Max(double, double)"/> gives it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Positive(Vector256<double> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), x, Vector256<double>.Zero);

    /// <summary>
    /// One row of B from its weights: sp·(max(A_ij, 0) − k⁺_i·k⁺_j·γ⁺/v⁺) − sn·(max(−A_ij, 0) − k⁻_i·k⁻_j·γ⁻/v⁻), the
    /// product k_i·k_j taken first so that it commutes exactly and B stays exactly symmetric.
    /// </summary>
    private static void NullModelRow(Span<double> row, double pi, double ni, ReadOnlySpan<double> kp, ReadOnlySpan<double> kn,
        double nullPositive, double nullNegative, double scalePositive, double scaleNegative, bool negativePart)
    {
        int n = row.Length, j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var sp = Vector256.Create(scalePositive);
            var sn = Vector256.Create(scaleNegative);
            for (; j + Vector256<double>.Count <= n; j += Vector256<double>.Count)
            {
                var a = Vector256.Create(row.Slice(j, Vector256<double>.Count));
                var positive = Positive(a) - Vector256.Create(pi) * Vector256.Create(kp.Slice(j, Vector256<double>.Count)) * Vector256.Create(nullPositive);
                var negative = negativePart
                    ? Positive(-a) - Vector256.Create(ni) * Vector256.Create(kn.Slice(j, Vector256<double>.Count)) * Vector256.Create(nullNegative)
                    : Vector256<double>.Zero;
                (sp * positive - sn * negative).CopyTo(row.Slice(j));
            }
        }
        for (; j < n; j++)
        {
            double a = row[j];
            double positive = Math.Max(a, 0.0) - pi * kp[j] * nullPositive;
            double negative = negativePart ? Math.Max(-a, 0.0) - ni * kn[j] * nullNegative : 0.0;
            row[j] = scalePositive * positive - scaleNegative * negative;
        }
    }
}
