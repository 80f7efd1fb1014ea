using AnnScope.Communities;
using AnnScope.Connectivity;
using AnnScope.Results;
using AnnScope.Statistics;

namespace AnnScope.Studies;

/// <summary>What one checkpoint contributes to the store.</summary>
internal sealed record CheckpointAnalysis(
    IReadOnlyList<CheckpointRow> Rows,
    IReadOnlyList<RunRow> Runs,
    IReadOnlyList<HistogramRow> Histograms,
    AllegianceSnapshot? Allegiance)
{
    /// <summary>The robustness variants of this checkpoint (empty unless it is one they run on).</summary>
    public IReadOnlyList<VariantRow> Variants { get; init; } = [];
}

/// <summary>Allegiance matrices (instances, M, M) and consensus module labels (instances, M, 1-based) at a snapshot epoch.</summary>
internal sealed record AllegianceSnapshot(float[] Matrices, double[] Modules);

/// <summary>
/// The analysis of one checkpoint for all instances: windowed and full FC in batched native calls (a few
/// instances at a time, so memory stays bounded), then per instance — in parallel, between native calls —
/// multilayer and static communities and the activation measures of science.md §5–7. Every random choice is
/// seeded from (study seed, instance, epoch), so results do not depend on thread count or on resuming.
/// The analyzer owns its contexts: one for the batched FC calls, whose threads follow the study's
/// <see cref="CoreBudget"/>, and a one-thread one for the calls made inside the parallel loop over instances.
/// </summary>
internal sealed class CheckpointAnalyzer : IDisposable
{
    private readonly StudyConfig config;
    private readonly ComputeContext context, single;
    private readonly CoreBudget budget;
    private readonly bool ownsContexts;
    private readonly float[] full, windowed;
    private readonly StudyProfile profile;
    private readonly int instances, samples, units, chunk, firstInstance;
    private readonly HashSet<int> allegianceEpochs;
    private readonly MultilayerOptions multilayer;
    private readonly StaticOptions staticOptions;
    private readonly CheckpointMeasureOptions measureOptions;
    private readonly CheckpointVariants variants;

    /// <summary>The snapshot epochs whose allegiance matrices are stored: six evenly spaced checkpoints, first and last included.</summary>
    public IReadOnlyList<int> AllegianceEpochs { get; }

    /// <summary>
    /// An analyzer of checkpoints holding <paramref name="instances"/> instances; the first is the study's instance
    /// <paramref name="firstInstance"/> (a shard's), which labels the rows and seeds the optimiser runs.
    /// </summary>
    public CheckpointAnalyzer(StudyConfig config, int instances, int samples, int units, IReadOnlyList<int> epochs, ComputeContext device,
        CoreBudget budget, StudyProfile profile, int firstInstance = 0)
    {
        this.profile = profile;
        this.config = config;
        this.firstInstance = firstInstance;
        this.budget = budget;
        (this.instances, this.samples, this.units) = (instances, samples, units);
        if (samples % config.Windows != 0)
            throw new ArgumentException($"{samples} samples cannot be split into {config.Windows} equal windows");
        // an OpenCL device is shared as it is; on MKL the analyzer's thread counts are its own
        ownsContexts = device.Backend == ComputeBackend.Mkl;
        context = ownsContexts ? new ComputeContext(ComputeBackend.Mkl, budget.Cores) : device;
        single = ownsContexts ? new ComputeContext(ComputeBackend.Mkl, 1) : device;
        // a few instances per native call: enough windows to keep every core busy, little memory
        chunk = Math.Clamp(2 * budget.Cores, 1, instances);
        full = new float[chunk * units * units];
        windowed = new float[(long)chunk * config.Windows * units * units];
        int snapshots = Math.Min(6, epochs.Count);
        AllegianceEpochs = Enumerable.Range(0, snapshots)
            .Select(i => epochs[snapshots == 1 ? 0 : (int)Math.Round(i * (epochs.Count - 1) / (double)(snapshots - 1))])
            .Distinct().ToArray();
        allegianceEpochs = [.. AllegianceEpochs];

        var objective = new LayerObjective(LayerNullModel.SignedSplit, config.GammaPositive, config.GammaNegative, ZeroDiagonal: false);
        var louvain = new LouvainOptions
        {
            MoveRule = config.MoveRule,
            Iterated = config.Iterated,
            OrdinalPostprocessing = config.Iterated,
        };
        // instances already run in parallel: each instance's runs stay on its thread
        multilayer = new MultilayerOptions { Objective = objective, Omega = config.Omega, Louvain = louvain, Runs = config.Runs, MaxDegreeOfParallelism = 1 };
        staticOptions = new StaticOptions { Objective = objective, Louvain = louvain, Runs = config.StaticRuns, MaxDegreeOfParallelism = 1 };
        measureOptions = config.PaperCorrelationMask ? CheckpointMeasureOptions.Paper : CheckpointMeasureOptions.Robust;
        variants = new CheckpointVariants(config, epochs, multilayer);
    }

    /// <summary>Analyses every instance of <paramref name="checkpoint"/>.</summary>
    public CheckpointAnalysis Analyze(Checkpoint checkpoint)
    {
        int m = units, layers = config.Windows, window = samples / layers, mm = m * m;
        long perInstance = (long)samples * m;
        if (checkpoint.Activations.Length != instances * perInstance)
            throw new ArgumentException($"checkpoint {checkpoint.Epoch}: {checkpoint.Activations.Length} activations, expected {instances * perInstance}");
        bool snapshot = allegianceEpochs.Contains(checkpoint.Epoch);
        var rows = new CheckpointRow[instances];
        var runs = new RunRow[instances][];
        var measures = new CheckpointMeasures[instances];
        var allegiance = snapshot ? new float[(long)instances * mm] : null;
        var modules = snapshot ? new double[instances * m] : null;

        bool vary = variants.Covers(checkpoint.Epoch);
        var variantRows = new IEnumerable<VariantRow>[instances];
        var nullFull = config.Robustness.ShuffleNull && vary ? new float[chunk * mm] : [];
        var nullWindowed = config.Robustness.ShuffleNull && vary ? new float[(long)chunk * layers * mm] : [];
        for (int first = 0; first < instances; first += chunk)
        {
            int count = Math.Min(chunk, instances - first);
            int threads = budget.ForAnalysis(context);
            var slab = checkpoint.Activations.AsSpan((int)(first * perInstance), (int)(count * perInstance));
            long started = StudyProfile.Start();
            FunctionalConnectivity.Pearson(slab, new SeriesShape(count, samples, m), samples, full.AsSpan(0, count * mm), context);
            profile.Add("fc_full", started, threads);
            started = StudyProfile.Start();
            FunctionalConnectivity.Pearson(slab, new SeriesShape(count, samples, m), window, windowed.AsSpan(0, count * layers * mm), context);
            profile.Add("fc_windowed", started, threads);
            started = StudyProfile.Start();
            if (variants.Shuffled(slab, count, samples, m, checkpoint.Epoch, firstInstance + first, SeedFor) is { } shuffled)
            {
                FunctionalConnectivity.Pearson(shuffled, new SeriesShape(count, samples, m), samples, nullFull.AsSpan(0, count * mm), context);
                FunctionalConnectivity.Pearson(shuffled, new SeriesShape(count, samples, m), window, nullWindowed.AsSpan(0, count * layers * mm), context);
                profile.Add("robustness_null_fc", started, threads);
            }

            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                int instance = first + i;
                var activations = checkpoint.Activations.AsSpan((int)(instance * perInstance), (int)perInstance);
                var fullFc = full.AsSpan(i * mm, mm);
                var layerFc = windowed.AsSpan(i * layers * mm, layers * mm);
                int global = firstInstance + instance;
                long seed = (long)(SeedFor(global, checkpoint.Epoch) >> 1);
                long began = StudyProfile.Start();
                var dynamic = MultilayerCommunities.Detect(layerFc, layers, m, multilayer with { Seed = seed });
                profile.Add("multilayer_communities", began);
                began = StudyProfile.Start();
                var still = StaticCommunities.Detect(fullFc, m, staticOptions with { Seed = seed });
                profile.Add("static_communities", began);
                began = StudyProfile.Start();
                var measure = measures[instance] = CheckpointMeasures.Compute(activations, samples, m, fullFc, measureOptions, single);
                profile.Add("checkpoint_measures", began);
                var s = checkpoint.Scores[instance];
                rows[instance] = new CheckpointRow
                {
                    Instance = global, Epoch = checkpoint.Epoch,
                    Accuracy = s.Accuracy, Tpr = s.Tpr, Fpr = s.Fpr, BalancedAccuracy = s.BalancedAccuracy,
                    PaperAccuracy = s.PaperAccuracy, Lambda = s.Lambda, Eta = s.Eta, Loss = s.Loss,
                    MultilayerModularity = dynamic.Modularity, MultilayerCommunities = dynamic.Communities,
                    Flexibility = dynamic.Flexibility, MultilayerModularityMean = dynamic.ModularityOverRuns.Mean,
                    MultilayerModularitySd = dynamic.ModularityOverRuns.StandardDeviation,
                    StaticModularity = still.Modularity, StaticCommunities = still.Communities,
                    Entropy = measure.Entropy.Value, MeanActivation = measure.Moments.Mean, StdActivation = measure.Moments.Std,
                    Kurtosis = measure.Moments.Kurtosis, Skewness = measure.Moments.Skewness,
                    MeanCorrelation = measure.MeanCorrelation, Pc1Ratio = measure.Synchronisation.Pc1Ratio,
                    FullSync = measure.Synchronisation.Full, PartialSync = measure.Synchronisation.Partial,
                    ConstantUnits = measure.ConstantUnits,
                };
                if (vary)
                {
                    began = StudyProfile.Start();
                    variantRows[instance] = variants.Analyze(global, checkpoint.Epoch, layerFc,
                        nullWindowed.Length == 0 ? [] : nullWindowed.AsSpan(i * layers * mm, layers * mm),
                        nullFull.Length == 0 ? [] : nullFull.AsSpan(i * mm, mm), measure.MeanCorrelation, seed);
                    profile.Add("robustness_variants", began);
                }
                runs[instance] = config.Runs > 1
                    ? dynamic.Runs.Select((r, k) => new RunRow(global, checkpoint.Epoch, k, (ulong)r.Seed, r.Modularity, r.Communities, r.Flexibility)).ToArray()
                    : [];
                if (snapshot)
                {
                    began = StudyProfile.Start();
                    for (int k = 0; k < mm; k++) allegiance![instance * mm + k] = (float)dynamic.Allegiance[k];
                    var consensus = Consensus.Partition(dynamic.Allegiance, m, seed);
                    for (int k = 0; k < m; k++) modules![instance * m + k] = consensus.Labels[k] + 1;
                    profile.Add("allegiance_consensus", began);
                }
            });
        }

        var histograms = new List<HistogramRow>();
        AddPooled(histograms, checkpoint.Epoch, "activation", measures.Select(x => x.ActivationHistogram).ToList());
        AddPooled(histograms, checkpoint.Epoch, "correlation", measures.Select(x => x.CorrelationHistogram).ToList());
        return new CheckpointAnalysis(rows, runs.SelectMany(r => r).ToArray(), histograms,
            snapshot ? new AllegianceSnapshot(allegiance!, modules!) : null)
        {
            Variants = vary ? variantRows.SelectMany(r => r).ToArray() : [],
        };
    }

    public void Dispose()
    {
        if (!ownsContexts) return;
        context.Dispose();
        single.Dispose();
    }

    /// <summary>A seed for the optimiser runs of one instance-checkpoint (SplitMix64 of the study seed, instance and epoch).</summary>
    internal ulong SeedFor(int instance, int epoch)
    {
        ulong z = config.Seed ^ ((ulong)(uint)instance << 32 | (uint)epoch) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void AddPooled(List<HistogramRow> rows, int epoch, string kind, IReadOnlyList<Histogram> histograms)
    {
        var first = histograms[0];
        var edges = first.Edges();
        for (int b = 0; b < first.Bins; b++)
            rows.Add(new HistogramRow(epoch, kind, b, edges[b], edges[b + 1], histograms.Sum(h => h.Counts[b])));
    }
}
