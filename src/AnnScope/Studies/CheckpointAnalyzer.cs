using AnnScope.Connectivity;

namespace AnnScope.Studies;

/// <summary>What one checkpoint contributes to the store.</summary>
public sealed record CheckpointAnalysis(
    IReadOnlyList<CheckpointRow> Rows,
    IReadOnlyList<RunRow> Runs,
    IReadOnlyList<HistogramRow> Histograms,
    AllegianceSnapshot? Allegiance);

/// <summary>Allegiance matrices (instances, M, M) and consensus module labels (instances, M) at a snapshot epoch.</summary>
public sealed record AllegianceSnapshot(float[] Matrices, double[] Modules);

/// <summary>
/// The analysis of one checkpoint for all instances: windowed and full FC in batched native calls (a few
/// instances at a time, so memory stays bounded), then per instance — in parallel, between native calls —
/// multilayer and static communities and the activation measures. Every random choice is seeded from
/// (study seed, instance, epoch), so a checkpoint's results do not depend on thread count or on resuming.
/// </summary>
public sealed partial class CheckpointAnalyzer
{
    /// <summary>Activation histogram: 20 bins on [−40, 40]; correlation histogram: 20 bins on [−1, 1] (science.md §7).</summary>
    public const int HistogramBins = 20;
    public const double ActivationRange = 40;

    private readonly StudyConfig config;
    private readonly ComputeContext context;
    private readonly int instances, samples, units, chunk;
    private readonly HashSet<int> allegianceEpochs;

    /// <summary>The snapshot epochs whose allegiance matrices are stored: six evenly spaced checkpoints, first and last included.</summary>
    public IReadOnlyList<int> AllegianceEpochs { get; }

    public CheckpointAnalyzer(StudyConfig config, int instances, int samples, int units, IReadOnlyList<int> epochs, ComputeContext context)
    {
        this.config = config;
        this.context = context;
        (this.instances, this.samples, this.units) = (instances, samples, units);
        if (samples % config.Windows != 0)
            throw new ArgumentException($"{samples} samples cannot be split into {config.Windows} equal windows");
        // a few instances per native call: enough windows to keep every core busy, little memory
        chunk = Math.Clamp(2 * Environment.ProcessorCount, 1, instances);
        int snapshots = Math.Min(6, epochs.Count);
        AllegianceEpochs = Enumerable.Range(0, snapshots)
            .Select(i => epochs[snapshots == 1 ? 0 : (int)Math.Round(i * (epochs.Count - 1) / (double)(snapshots - 1))])
            .Distinct().ToArray();
        allegianceEpochs = [.. AllegianceEpochs];
    }

    /// <summary>Analyses every instance of <paramref name="checkpoint"/>.</summary>
    public CheckpointAnalysis Analyze(Checkpoint checkpoint)
    {
        int m = units, layers = config.Windows, window = samples / layers;
        long perInstance = (long)samples * m;
        if (checkpoint.Activations.Length != instances * perInstance)
            throw new ArgumentException($"checkpoint {checkpoint.Epoch}: {checkpoint.Activations.Length} activations, expected {instances * perInstance}");
        bool snapshot = allegianceEpochs.Contains(checkpoint.Epoch);
        var rows = new CheckpointRow[instances];
        var runs = new RunRow[instances][];
        var activationCounts = new long[instances, HistogramBins];
        var correlationCounts = new long[instances, HistogramBins];
        var allegiance = snapshot ? new float[(long)instances * m * m] : null;
        var modules = snapshot ? new double[instances * m] : null;

        var full = new float[chunk * m * m];
        var windowed = new float[(long)chunk * layers * m * m];
        for (int first = 0; first < instances; first += chunk)
        {
            int count = Math.Min(chunk, instances - first);
            var slab = checkpoint.Activations.AsSpan((int)(first * perInstance), (int)(count * perInstance));
            var constantByInstance = new long[count];
            FunctionalConnectivity.Pearson(slab, new SeriesShape(count, samples, m), samples, full.AsSpan(0, count * m * m), context);
            FunctionalConnectivity.Pearson(slab, new SeriesShape(count, samples, m), window,
                windowed.AsSpan(0, count * layers * m * m), context);
            for (int i = 0; i < count; i++)
                constantByInstance[i] = CountConstantUnits(windowed.AsSpan(i * layers * m * m, layers * m * m), layers, m);

            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = context.Threads }, i =>
            {
                int instance = first + i;
                var activations = checkpoint.Activations.AsSpan((int)(instance * perInstance), (int)perInstance);
                var fullFc = full.AsSpan(i * m * m, m * m);
                var layerFc = windowed.AsSpan(i * layers * m * m, layers * m * m);
                var seed = SeedFor(instance, checkpoint.Epoch);
                var communities = DetectCommunities(layerFc, fullFc, layers, m, seed, snapshot);
                var measures = MeasureActivations(activations, fullFc, samples, m);
                Histogram(activations, -ActivationRange, ActivationRange, activationCounts, instance);
                UpperTriangleHistogram(fullFc, m, correlationCounts, instance);
                var s = checkpoint.Scores[instance];
                rows[instance] = new CheckpointRow
                {
                    Instance = instance, Epoch = checkpoint.Epoch,
                    Accuracy = s.Accuracy, Tpr = s.Tpr, Fpr = s.Fpr, BalancedAccuracy = s.BalancedAccuracy,
                    PaperAccuracy = s.PaperAccuracy, Lambda = s.Lambda, Eta = s.Eta, Loss = s.Loss,
                    MultilayerModularity = communities.Modularity, MultilayerCommunities = communities.Communities,
                    Flexibility = communities.Flexibility, MultilayerModularityMean = communities.ModularityMean,
                    MultilayerModularitySd = communities.ModularitySd, StaticModularity = communities.StaticModularity,
                    StaticCommunities = communities.StaticCommunities,
                    Entropy = measures.Entropy, MeanActivation = measures.Mean, StdActivation = measures.Std,
                    Kurtosis = measures.Kurtosis, Skewness = measures.Skewness, MeanCorrelation = measures.MeanCorrelation,
                    Pc1Ratio = measures.Pc1Ratio, FullSync = measures.FullSync, PartialSync = measures.PartialSync,
                    ConstantUnits = constantByInstance[i],
                };
                runs[instance] = config.Runs > 1
                    ? communities.Runs.Select((r, k) => new RunRow(instance, checkpoint.Epoch, k, r.Seed, r.Modularity, r.Communities, r.Flexibility)).ToArray()
                    : [];
                if (snapshot)
                {
                    communities.Allegiance!.CopyTo(allegiance.AsSpan(instance * m * m, m * m));
                    communities.Modules!.CopyTo(modules.AsSpan(instance * m, m));
                }
            });
        }

        var histograms = new List<HistogramRow>(2 * HistogramBins);
        AddPooled(histograms, checkpoint.Epoch, "activation", -ActivationRange, ActivationRange, activationCounts);
        AddPooled(histograms, checkpoint.Epoch, "correlation", -1, 1, correlationCounts);
        return new CheckpointAnalysis(rows, runs.SelectMany(r => r).ToArray(), histograms,
            snapshot ? new AllegianceSnapshot(allegiance!, modules!) : null);
    }

    /// <summary>A seed for the optimiser runs of one instance-checkpoint (SplitMix64 of the study seed, instance and epoch).</summary>
    internal ulong SeedFor(int instance, int epoch)
    {
        ulong z = config.Seed ^ ((ulong)(uint)instance << 32 | (uint)epoch) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>(window, unit) cases the FC kernel treated as constant: rows that are zero apart from the diagonal.</summary>
    private static long CountConstantUnits(ReadOnlySpan<float> layers, int count, int m)
    {
        long constant = 0;
        for (int l = 0; l < count; l++)
        for (int i = 0; i < m; i++)
        {
            var row = layers.Slice((l * m + i) * m, m);
            bool zero = true;
            for (int j = 0; j < m && zero; j++) zero = j == i || row[j] == 0;
            if (zero && m > 1) constant++;
        }
        return constant;
    }

    private static void Histogram(ReadOnlySpan<float> values, double lower, double upper, long[,] counts, int instance)
    {
        double width = (upper - lower) / HistogramBins;
        foreach (var v in values)
        {
            if (v < lower || v > upper) continue;
            int bin = Math.Min(HistogramBins - 1, (int)((v - lower) / width));
            counts[instance, bin]++;
        }
    }

    private static void UpperTriangleHistogram(ReadOnlySpan<float> fc, int m, long[,] counts, int instance)
    {
        for (int i = 0; i < m; i++) Histogram(fc.Slice(i * m + i + 1, m - i - 1), -1, 1, counts, instance);
    }

    private static void AddPooled(List<HistogramRow> rows, int epoch, string kind, double lower, double upper, long[,] counts)
    {
        double width = (upper - lower) / HistogramBins;
        for (int b = 0; b < HistogramBins; b++)
        {
            long total = 0;
            for (int i = 0; i < counts.GetLength(0); i++) total += counts[i, b];
            rows.Add(new HistogramRow(epoch, kind, b, lower + b * width, lower + (b + 1) * width, total));
        }
    }
}
