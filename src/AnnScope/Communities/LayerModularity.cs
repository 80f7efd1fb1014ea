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
        double tolerance = SymmetryTolerance<T>();
        for (int i = 0; i < nodes; i++)
        {
            for (int j = i; j < nodes; j++)
            {
                double a = double.CreateTruncating(fc[i * nodes + j]), b = double.CreateTruncating(fc[j * nodes + i]);
                if (!double.IsFinite(a) || !double.IsFinite(b))
                    throw new ArgumentException($"{what} holds a non-finite value (NaN or infinity) at ({Math.Min(i, j)}, {Math.Max(i, j)})");
                if (Math.Abs(a - b) > tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b))))
                    throw new ArgumentException($"{what} is not symmetric: entry ({i}, {j}) = {a} but ({j}, {i}) = {b}");
            }
        }
    }

    /// <summary>
    /// Writes B (row-major, nodes²) for one layer into <paramref name="b"/> and returns the layer's normaliser:
    /// 2m⁺ + 2m⁻ (signed split), 2m⁺ (positive) or 1 (the BCT objectives, which normalise B itself). The input is
    /// symmetrised by averaging (it was checked symmetric up to rounding), so B is exactly symmetric.
    /// </summary>
    internal static double Build<T>(ReadOnlySpan<T> fc, int nodes, LayerObjective objective, Span<double> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = nodes;
        Span<double> kp = n <= 512 ? stackalloc double[n] : new double[n];
        Span<double> kn = n <= 512 ? stackalloc double[n] : new double[n];
        kp.Clear();
        kn.Clear();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double a = Weight(fc, n, i, j, objective.ZeroDiagonal);
                b[i * n + j] = a;
                if (a > 0) kp[i] += a;
                else if (a < 0) kn[i] -= a;
            }
        }
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
        {
            var row = b.Slice(i * n, n);
            double pi = kp[i], ni = kn[i];
            for (int j = 0; j < n; j++)
            {
                // k_i·k_j first: the product commutes exactly, so B stays exactly symmetric
                double a = row[j];
                double positive = Math.Max(a, 0.0) - pi * kp[j] * nullPositive;
                double negative = negativePart ? Math.Max(-a, 0.0) - ni * kn[j] * nullNegative : 0.0;
                row[j] = scalePositive * positive - scaleNegative * negative;
            }
        }
        return normaliser;
    }

    private static double Weight<T>(ReadOnlySpan<T> fc, int n, int i, int j, bool zeroDiagonal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (i == j) return zeroDiagonal ? 0.0 : double.CreateTruncating(fc[i * n + i]);
        return 0.5 * (double.CreateTruncating(fc[i * n + j]) + double.CreateTruncating(fc[j * n + i]));
    }
}
