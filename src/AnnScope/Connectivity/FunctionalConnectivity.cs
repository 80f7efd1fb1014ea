using AnnScope.Interop;

namespace AnnScope.Connectivity;

/// <summary>
/// Functional connectivity of activation series: Pearson correlation (and covariance) between units,
/// over all samples or over non-overlapping windows, for a whole batch in one native call.
/// Output is (batch, samples / window, units, units), exactly symmetric with unit diagonal. A unit that is
/// constant within a window gets a zero row and column (diagonal 1); the count of such cases is returned.
/// </summary>
public static unsafe class FunctionalConnectivity
{
    /// <summary>Windowed Pearson FC; <paramref name="window"/> = samples gives the full FC. Returns the constant-unit count.</summary>
    public static long Pearson(ReadOnlySpan<float> activations, SeriesShape shape, int window, Span<float> output,
        ComputeContext? context = null)
    {
        shape.Validate(activations.Length, output.Length, window);
        var ctx = context ?? ComputeContext.Default;
        long constant;
        fixed (float* x = activations)
        fixed (float* o = output)
            NativeStatus.Check(NativeMethods.CorrF32(ctx.Handle, x, shape.Batch, shape.Samples, shape.Units, window, o, &constant));
        return constant;
    }

    /// <inheritdoc cref="Pearson(ReadOnlySpan{float}, SeriesShape, int, Span{float}, ComputeContext?)"/>
    public static long Pearson(ReadOnlySpan<double> activations, SeriesShape shape, int window, Span<double> output,
        ComputeContext? context = null)
    {
        shape.Validate(activations.Length, output.Length, window);
        var ctx = context ?? ComputeContext.Default;
        long constant;
        fixed (double* x = activations)
        fixed (double* o = output)
            NativeStatus.Check(NativeMethods.CorrF64(ctx.Handle, x, shape.Batch, shape.Samples, shape.Units, window, o, &constant));
        return constant;
    }

    /// <summary>Unbiased covariance (divide by window − 1) of each window, same layout as <see cref="Pearson(ReadOnlySpan{float}, SeriesShape, int, Span{float}, ComputeContext?)"/>.</summary>
    public static void Covariance(ReadOnlySpan<float> activations, SeriesShape shape, int window, Span<float> output,
        ComputeContext? context = null)
    {
        shape.Validate(activations.Length, output.Length, window);
        var ctx = context ?? ComputeContext.Default;
        fixed (float* x = activations)
        fixed (float* o = output)
            NativeStatus.Check(NativeMethods.CovF32(ctx.Handle, x, shape.Batch, shape.Samples, shape.Units, window, o));
    }

    /// <inheritdoc cref="Covariance(ReadOnlySpan{float}, SeriesShape, int, Span{float}, ComputeContext?)"/>
    public static void Covariance(ReadOnlySpan<double> activations, SeriesShape shape, int window, Span<double> output,
        ComputeContext? context = null)
    {
        shape.Validate(activations.Length, output.Length, window);
        var ctx = context ?? ComputeContext.Default;
        fixed (double* x = activations)
        fixed (double* o = output)
            NativeStatus.Check(NativeMethods.CovF64(ctx.Handle, x, shape.Batch, shape.Samples, shape.Units, window, o));
    }
}
