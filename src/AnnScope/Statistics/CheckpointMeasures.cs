using System.Buffers;
using System.Runtime.Intrinsics;
using AnnScope.Connectivity;

namespace AnnScope.Statistics;

/// <summary>Settings of the per-checkpoint measures (science.md §7). Defaults are the robust preset.</summary>
public sealed record CheckpointMeasureOptions
{
    /// <summary>Bins of the activation and correlation histograms (20 in the study).</summary>
    public int HistogramBins { get; init; } = 20;
    /// <summary>Lower edge of the activation histogram (−40: the pre-activations a(t)).</summary>
    public double ActivationHistogramMin { get; init; } = -40;
    /// <summary>Upper edge of the activation histogram (40).</summary>
    public double ActivationHistogramMax { get; init; } = 40;
    /// <summary>Lower edge of the correlation histogram (−1).</summary>
    public double CorrelationHistogramMin { get; init; } = -1;
    /// <summary>Upper edge of the correlation histogram (1).</summary>
    public double CorrelationHistogramMax { get; init; } = 1;

    /// <summary>Entries of the full FC that the mean correlation and the correlation histogram use.</summary>
    public CorrelationPairs CorrelationPairs { get; init; } = CorrelationPairs.UpperTriangle;

    /// <summary>What the Gaussian entropy does when the covariance is not positive definite (a constant unit makes it singular).</summary>
    public NonPositiveDefinitePolicy NonPositiveDefinite { get; init; } = NonPositiveDefinitePolicy.Ridge;

    /// <summary>Robust preset: pairs i &lt; j, ridge for a non-positive-definite covariance.</summary>
    public static CheckpointMeasureOptions Robust { get; } = new();

    /// <summary>Paper preset: the original mean-correlation mask; a non-positive-definite covariance gives NaN.</summary>
    public static CheckpointMeasureOptions Paper { get; } = new()
    {
        CorrelationPairs = CorrelationPairs.PaperMask,
        NonPositiveDefinite = NonPositiveDefinitePolicy.NaN,
    };
}

/// <summary>
/// Everything science.md §7 measures from the full activations of one (instance, checkpoint): Gaussian entropy,
/// pooled moments, histograms of activations and correlations, mean correlation and the synchronisation
/// spectrum. <see cref="ConstantUnits"/> counts units with zero variance (their correlations are 0, and they
/// make the covariance singular).
/// </summary>
public sealed record CheckpointMeasures(
    GaussianEntropy Entropy,
    PooledMoments Moments,
    Histogram ActivationHistogram,
    Histogram CorrelationHistogram,
    double MeanCorrelation,
    Synchronisation Synchronisation,
    int ConstantUnits)
{
    /// <summary>
    /// Computes all measures from activations a(t) shaped T×M (C order). The covariance comes from the native
    /// kernel in double precision, since the log-determinant of a nearly singular covariance needs it, and its
    /// Cholesky factor and the correlation's spectrum from MKL LAPACK in the native core (<paramref name="context"/>,
    /// default <see cref="ComputeContext.Default"/>); when
    /// <paramref name="fullCorrelation"/> is empty the full FC is derived from it. Pass the M×M full FC already
    /// computed by the pipeline to reuse it.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 samples or 3 units, or spans that do not match the shape.</exception>
    public static CheckpointMeasures Compute(ReadOnlySpan<float> activations, int samples, int units,
        ReadOnlySpan<float> fullCorrelation = default, CheckpointMeasureOptions? options = null, ComputeContext? context = null)
    {
        options ??= CheckpointMeasureOptions.Robust;
        Check(activations.Length, fullCorrelation.Length, samples, units);
        int length = samples * units;
        var x = ArrayPool<double>.Shared.Rent(length);
        var fc = ArrayPool<double>.Shared.Rent(fullCorrelation.Length);
        try
        {
            // the double copies the covariance needs (float to double is exact), then as for double activations
            var values = x.AsSpan(0, length);
            Widen(activations, values);
            var wideCorrelation = fc.AsSpan(0, fullCorrelation.Length);
            Widen(fullCorrelation, wideCorrelation);
            var moments = PooledMoments.Of(values); // refuses NaN and infinite values before anything is reported
            var histogram = Histogram.Count(values, options.HistogramBins, options.ActivationHistogramMin, options.ActivationHistogramMax);
            return FromMoments(values, samples, units, wideCorrelation, moments, histogram, options, context ?? ComputeContext.Default);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(fc);
            ArrayPool<double>.Shared.Return(x);
        }
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, CheckpointMeasureOptions?, ComputeContext?)"/>
    public static CheckpointMeasures Compute(ReadOnlySpan<double> activations, int samples, int units,
        ReadOnlySpan<double> fullCorrelation = default, CheckpointMeasureOptions? options = null, ComputeContext? context = null)
    {
        options ??= CheckpointMeasureOptions.Robust;
        Check(activations.Length, fullCorrelation.Length, samples, units);
        var moments = PooledMoments.Of(activations); // refuses NaN and infinite values before anything is reported
        return FromMoments(activations, samples, units, fullCorrelation, moments,
            Histogram.Count(activations, options.HistogramBins, options.ActivationHistogramMin, options.ActivationHistogramMax),
            options, context ?? ComputeContext.Default);
    }

    private static void Widen(ReadOnlySpan<float> from, Span<double> to)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<float>.Count <= from.Length; i += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(from.Slice(i, Vector256<float>.Count)));
                lower.CopyTo(to.Slice(i));
                upper.CopyTo(to.Slice(i + Vector256<double>.Count));
            }
        for (; i < from.Length; i++) to[i] = from[i];
    }

    private static void Check(long activations, long fullCorrelation, int samples, int units)
    {
        if (samples < 2 || units < 3)
            throw new ArgumentException($"activations must have at least 2 samples and 3 units (got {samples} × {units})");
        long length = (long)samples * units;
        if (activations != length)
            throw new ArgumentException($"activations hold {activations} values but {samples} × {units} needs {length}");
        long mm = (long)units * units;
        if (fullCorrelation != 0 && fullCorrelation != mm)
            throw new ArgumentException($"the full FC holds {fullCorrelation} values but {units} × {units} needs {mm}");
    }

    /// <summary>The measures of the covariance and FC, given the moments and histogram of the activations as supplied.</summary>
    private static CheckpointMeasures FromMoments(ReadOnlySpan<double> values, int samples, int units,
        ReadOnlySpan<double> fullCorrelation, PooledMoments moments, Histogram activationHistogram,
        CheckpointMeasureOptions options, ComputeContext context)
    {
        int mm = units * units;
        // pooled: a fresh 115 KB array per matrix came from the large-object heap, paid for in page faults
        var matrices = ArrayPool<double>.Shared.Rent(fullCorrelation.IsEmpty ? 2 * mm : mm);
        try
        {
            var covariance = matrices.AsSpan(0, mm);
            FunctionalConnectivity.Covariance(values, new SeriesShape(1, samples, units), samples, covariance, context);
            int constant = 0;
            for (int j = 0; j < units; j++)
                if (covariance[j * units + j] == 0) constant++;
            var entropy = GaussianEntropy.FromCovariance(covariance, units, options.NonPositiveDefinite, context);

            ReadOnlySpan<double> fc = fullCorrelation;
            if (fullCorrelation.IsEmpty)
            {
                var derived = matrices.AsSpan(mm, mm);
                CorrelationFromCovariance(covariance, units, derived);
                fc = derived;
            }
            var pairs = CorrelationEntries.Select(fc, units, options.CorrelationPairs);
            var correlationHistogram = Histogram.Count(pairs, options.HistogramBins, options.CorrelationHistogramMin,
                options.CorrelationHistogramMax);
            return new CheckpointMeasures(entropy, moments, activationHistogram, correlationHistogram, pairs.Average(),
                Synchronisation.FromCorrelation(fc, units, context), constant);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(matrices);
        }
    }

    /// <summary>
    /// Pearson correlation from the covariance, with the FC kernel's conventions: unit diagonal, a constant unit
    /// (zero variance: every value equal) gets zero correlations, values clamped to [−1, 1]. Saves a second pass
    /// over the activations.
    /// </summary>
    private static void CorrelationFromCovariance(ReadOnlySpan<double> covariance, int m, Span<double> fc)
    {
        for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
        {
            double vi = covariance[i * m + i], vj = covariance[j * m + j];
            fc[i * m + j] = i == j ? 1 : vi > 0 && vj > 0 ? Math.Clamp(covariance[i * m + j] / Math.Sqrt(vi * vj), -1, 1) : 0;
        }
    }
}
