namespace AnnScope.Connectivity;

/// <summary>
/// The plain, obviously-correct managed reference for <see cref="FunctionalConnectivity"/>: two-pass
/// Pearson in double precision, one pair at a time. Tests and benchmarks compare the native kernels to it.
/// </summary>
internal static class FunctionalConnectivityReference
{
    /// <summary>Same contract as <see cref="FunctionalConnectivity.Pearson(ReadOnlySpan{double}, SeriesShape, int, Span{double}, ComputeContext?)"/>.</summary>
    public static long Pearson<T>(ReadOnlySpan<T> activations, SeriesShape shape, int window, Span<T> output)
        where T : struct, IFloatingPoint<T> => Compute(activations, shape, window, output, correlation: true);

    /// <summary>Same contract as <see cref="FunctionalConnectivity.Covariance(ReadOnlySpan{double}, SeriesShape, int, Span{double}, ComputeContext?)"/>.</summary>
    public static void Covariance<T>(ReadOnlySpan<T> activations, SeriesShape shape, int window, Span<T> output)
        where T : struct, IFloatingPoint<T> => Compute(activations, shape, window, output, correlation: false);

    private static long Compute<T>(ReadOnlySpan<T> x, SeriesShape shape, int window, Span<T> output, bool correlation)
        where T : struct, IFloatingPoint<T>
    {
        shape.Validate(x.Length, output.Length, window);
        int m = shape.Units, windows = shape.Windows(window);
        long constant = 0;
        var mean = new double[m];
        var norm = new double[m];
        var isConstant = new bool[m];
        var values = new double[window * m]; // one window, overwritten by every window
        for (int b = 0; b < shape.Batch; b++)
        for (int w = 0; w < windows; w++)
        {
            long start = ((long)b * shape.Samples + (long)w * window) * m;
            for (int i = 0; i < values.Length; i++) values[i] = double.CreateChecked(x[(int)(start + i)]);
            double At(int t, int j) => values[t * m + j];
            for (int j = 0; j < m; j++)
            {
                double sum = 0;
                for (int t = 0; t < window; t++) sum += At(t, j);
                if (!double.IsFinite(sum))
                    throw new ArithmeticException($"NaN or infinite value in series {b}, window {w}");
                mean[j] = sum / window;
                double ss = 0;
                bool same = true;
                for (int t = 0; t < window; t++)
                {
                    double d = At(t, j) - mean[j];
                    ss += d * d;
                    same &= At(t, j) == At(0, j);
                }
                norm[j] = Math.Sqrt(ss);
                isConstant[j] = correlation && (same || ss == 0);
                if (isConstant[j]) constant++;
            }
            long outStart = ((long)b * windows + w) * m * m;
            for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double value;
                if (correlation && i == j) value = 1;
                else if (correlation && (isConstant[i] || isConstant[j])) value = 0;
                else
                {
                    double s = 0;
                    for (int t = 0; t < window; t++) s += (At(t, i) - mean[i]) * (At(t, j) - mean[j]);
                    value = correlation ? Math.Clamp(s / (norm[i] * norm[j]), -1, 1) : s / (window - 1);
                }
                output[(int)(outStart + (long)i * m + j)] = T.CreateChecked(value);
            }
        }
        return constant;
    }
}
