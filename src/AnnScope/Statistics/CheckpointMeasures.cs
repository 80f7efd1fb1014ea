using System.Buffers;
using AnnScope.Connectivity;

namespace AnnScope.Statistics;

/// <summary>Settings of the per-checkpoint measures (science.md §7). Defaults are the robust preset.</summary>
public sealed record CheckpointMeasureOptions
{
    public int HistogramBins { get; init; } = 20;
    public double ActivationHistogramMin { get; init; } = -40;
    public double ActivationHistogramMax { get; init; } = 40;
    public double CorrelationHistogramMin { get; init; } = -1;
    public double CorrelationHistogramMax { get; init; } = 1;

    /// <summary>Entries of the full FC that the mean correlation and the correlation histogram use.</summary>
    public CorrelationPairs CorrelationPairs { get; init; } = CorrelationPairs.UpperTriangle;

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
    public static CheckpointMeasures Compute(ReadOnlySpan<float> activations, int samples, int units,
        ReadOnlySpan<float> fullCorrelation = default, CheckpointMeasureOptions? options = null, ComputeContext? context = null)
    {
        options ??= CheckpointMeasureOptions.Robust;
        if (samples < 2 || units < 3)
            throw new ArgumentException($"activations must have at least 2 samples and 3 units (got {samples} × {units})");
        long length = (long)samples * units;
        if (activations.Length != length)
            throw new ArgumentException($"activations hold {activations.Length} values but {samples} × {units} needs {length}");
        int mm = units * units;
        if (!fullCorrelation.IsEmpty && fullCorrelation.Length != mm)
            throw new ArgumentException($"the full FC holds {fullCorrelation.Length} values but {units} × {units} needs {mm}");

        var ctx = context ?? ComputeContext.Default;
        var shape = new SeriesShape(1, samples, units);
        var x = ArrayPool<double>.Shared.Rent((int)length);
        try
        {
            // one pass over the float activations: the double copy the covariance needs, and the histogram
            var values = x.AsSpan(0, (int)length);
            var histogram = Histogram.Empty(options.HistogramBins, options.ActivationHistogramMin, options.ActivationHistogramMax);
            for (int i = 0; i < values.Length; i++)
            {
                double v = activations[i];
                values[i] = v;
                if (!double.IsNaN(v)) histogram.Add(v);
            }
            var moments = PooledMoments.Of(values); // refuses NaN and infinite values before anything is reported
            var activationHistogram = histogram.Finish();
            var covariance = new double[mm];
            FunctionalConnectivity.Covariance(values, shape, samples, covariance, ctx);
            int constant = 0;
            for (int j = 0; j < units; j++)
                if (covariance[j * units + j] == 0) constant++;
            var entropy = GaussianEntropy.FromCovariance(covariance, units, options.NonPositiveDefinite, ctx);

            var fc = new double[mm];
            if (fullCorrelation.IsEmpty) CorrelationFromCovariance(covariance, units, fc);
            else
                for (int i = 0; i < mm; i++) fc[i] = fullCorrelation[i];
            var pairs = CorrelationEntries.Select(fc, units, options.CorrelationPairs);
            var correlationHistogram = Histogram.Count(pairs, options.HistogramBins, options.CorrelationHistogramMin,
                options.CorrelationHistogramMax);
            return new CheckpointMeasures(entropy, moments, activationHistogram, correlationHistogram, pairs.Average(),
                Synchronisation.FromCorrelation(fc, units, ctx), constant);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
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
