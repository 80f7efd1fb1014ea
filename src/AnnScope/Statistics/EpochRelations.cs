using MathNet.Numerics.Statistics;

namespace AnnScope.Statistics;

/// <summary>Settings of the within-instance relations.</summary>
public sealed record WindowRelationOptions
{
    /// <summary>Checkpoints per window (10 checkpoints = 100 epochs in the study).</summary>
    public int Window { get; init; } = 10;

    /// <summary>Bins of the histogram of per-instance r over [−1, 1].</summary>
    public int HistogramBins { get; init; } = 20;

    /// <summary>The coefficient of each window (Pearson, the study's, or Spearman).</summary>
    public CorrelationMethod Method { get; init; } = CorrelationMethod.Pearson;
}

/// <summary>
/// One window of checkpoints: the r of each instance over the window's points, their histogram, mean ± SEM
/// (SEM = sd/√k over the k defined r, sd with k − 1; undefined r are dropped and counted), and the pooled r over
/// all instances' points with its least-squares line y = a + b·x (null when undefined).
/// </summary>
public sealed record WindowRelation(int FirstCheckpoint, int Length, double[] InstanceR, Histogram Histogram, double MeanR,
    double SemR, int NaNCount, CorrelationResult Pooled, LineFit? PooledLine);

/// <summary>
/// Relations between two quantities measured per instance and checkpoint (science.md §8), e.g. x = a network
/// measure and y = accuracy. Inputs are one array per instance, all of the same length (checkpoints).
/// </summary>
public static class EpochRelations
{
    /// <summary>At each checkpoint, the correlation of x and y over the instances.</summary>
    public static CorrelationResult[] AcrossInstances(IReadOnlyList<double[]> x, IReadOnlyList<double[]> y,
        CorrelationMethod method = CorrelationMethod.Pearson)
    {
        int checkpoints = CheckShapes(x, y);
        var result = new CorrelationResult[checkpoints];
        var xs = new double[x.Count];
        var ys = new double[y.Count];
        for (int c = 0; c < checkpoints; c++)
        {
            for (int i = 0; i < x.Count; i++)
            {
                xs[i] = x[i][c];
                ys[i] = y[i][c];
            }
            result[c] = CorrelationTest.Compute(xs, ys, method);
        }
        return result;
    }

    /// <summary>
    /// Windows of <see cref="WindowRelationOptions.Window"/> consecutive checkpoints from checkpoint 0; a final
    /// partial window is left out (e.g. checkpoint 100 of 0…100 with windows of 10).
    /// </summary>
    public static WindowRelation[] WithinInstances(IReadOnlyList<double[]> x, IReadOnlyList<double[]> y,
        WindowRelationOptions? options = null)
    {
        options ??= new WindowRelationOptions();
        int checkpoints = CheckShapes(x, y);
        int w = options.Window;
        if (w < 3) throw new ArgumentException($"a window needs at least 3 checkpoints for a correlation (got {w})");
        int windows = checkpoints / w;
        if (windows == 0) throw new ArgumentException($"{checkpoints} checkpoints do not fill one window of {w}");
        var result = new WindowRelation[windows];
        for (int k = 0; k < windows; k++)
        {
            int first = k * w;
            var r = new double[x.Count];
            var pooledX = new List<double>();
            var pooledY = new List<double>();
            for (int i = 0; i < x.Count; i++)
            {
                var xi = x[i].AsSpan(first, w);
                var yi = y[i].AsSpan(first, w);
                r[i] = CorrelationTest.Compute(xi, yi, options.Method).R;
                for (int c = 0; c < w; c++)
                {
                    if (double.IsNaN(xi[c]) || double.IsNaN(yi[c])) continue;
                    pooledX.Add(xi[c]);
                    pooledY.Add(yi[c]);
                }
            }
            var defined = r.Where(v => !double.IsNaN(v)).ToArray();
            double mean = defined.Length > 0 ? defined.Average() : double.NaN;
            double sem = defined.Length > 1 ? defined.StandardDeviation() / Math.Sqrt(defined.Length) : double.NaN;
            var histogram = Histogram.Count(defined, options.HistogramBins, -1, 1);
            var pooled = CorrelationTest.Compute(pooledX.ToArray(), pooledY.ToArray(), options.Method);
            LineFit? line = double.IsNaN(pooled.R)
                ? null
                : OrdinaryLeastSquares.Line(pooledX.ToArray(), pooledY.ToArray());
            result[k] = new WindowRelation(first, w, r, histogram, mean, sem, r.Length - defined.Length, pooled, line);
        }
        return result;
    }

    /// <summary>Mean over instances at each checkpoint, NaN values skipped (NaN where every instance is NaN).</summary>
    public static double[] InstanceMean(IReadOnlyList<double[]> curves)
    {
        int checkpoints = CheckShapes(curves, curves);
        var mean = new double[checkpoints];
        for (int c = 0; c < checkpoints; c++)
        {
            double sum = 0;
            int count = 0;
            foreach (var curve in curves)
            {
                if (double.IsNaN(curve[c])) continue;
                sum += curve[c];
                count++;
            }
            mean[c] = count > 0 ? sum / count : double.NaN;
        }
        return mean;
    }

    private static int CheckShapes(IReadOnlyList<double[]> x, IReadOnlyList<double[]> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0) throw new ArgumentException("no instances");
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} instances but y has {y.Count}");
        int checkpoints = x[0].Length;
        for (int i = 0; i < x.Count; i++)
            if (x[i].Length != checkpoints || y[i].Length != checkpoints)
                throw new ArgumentException($"instance {i} has {x[i].Length} and {y[i].Length} checkpoints; every instance needs {checkpoints}");
        return checkpoints;
    }
}
