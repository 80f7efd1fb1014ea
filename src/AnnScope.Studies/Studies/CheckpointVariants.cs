using AnnScope.Communities;
using AnnScope.Connectivity;
using AnnScope.Statistics;

namespace AnnScope.Studies;

/// <summary>The multilayer measures of one instance-checkpoint under one robustness variant (variants.csv).</summary>
public sealed record VariantRow(int Instance, int Epoch, string Variant, double MultilayerModularity, int MultilayerCommunities,
    double Flexibility, double MeanCorrelation)
{
    /// <summary>The columns of variants.csv.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["instance", "epoch", "variant", "multilayer_modularity", "multilayer_communities", "flexibility", "mean_correlation"];

    /// <summary>The row's cells in column order.</summary>
    public object[] Cells() => [Instance, Epoch, Variant, MultilayerModularity, MultilayerCommunities, Flexibility, MeanCorrelation];
}

/// <summary>
/// The robustness variants of a checkpoint (<see cref="RobustnessOptions"/>), run by <see cref="CheckpointAnalyzer"/> while
/// the checkpoint's activations and FCs are in memory: the same windowed FC under several seeded runs, iterated
/// <c>move</c>, other γ⁺ and ω; and, as the decorrelation null, the measures on FCs of activations whose samples were
/// shuffled per unit within each window (each unit keeps its values in every window, the units' co-activation is lost).
/// </summary>
internal sealed class CheckpointVariants
{
    /// <summary>The name of the shuffled-null variant in variants.csv.</summary>
    public const string ShuffleNull = "null_shuffle";

    private readonly StudyConfig config;
    private readonly HashSet<int> epochs;
    private readonly IReadOnlyList<(string Name, MultilayerOptions Options)> variants;
    private readonly MultilayerOptions baseline;
    private readonly CorrelationPairs pairs;

    public CheckpointVariants(StudyConfig config, IReadOnlyList<int> checkpointEpochs, MultilayerOptions baseline)
    {
        this.config = config;
        this.baseline = baseline;
        var r = config.Robustness;
        epochs = r.Enabled ? [.. Covered(checkpointEpochs, r.EveryCheckpoints)] : [];
        var list = new List<(string, MultilayerOptions)>
        {
            ($"seeded_runs_{r.Runs}", baseline with { Runs = r.Runs }),
            ("iterated_move", baseline with { Louvain = baseline.Louvain with { Iterated = true, OrdinalPostprocessing = true } }),
        };
        foreach (var g in r.GammaPos.Where(g => g != config.GammaPos))
            list.Add((Invariant($"gamma_pos_{g}"), baseline with { Objective = baseline.Objective with { GammaPositive = g } }));
        foreach (var w in r.Omega.Where(w => w != config.Omega))
            list.Add((Invariant($"omega_{w}"), baseline with { Omega = w }));
        variants = list;
        pairs = config.PaperCorrelationMask ? CorrelationPairs.PaperMask : CorrelationPairs.UpperTriangle;
    }

    /// <summary>The checkpoint epochs the variants run on: every n-th checkpoint and the last.</summary>
    public static IReadOnlyList<int> Covered(IReadOnlyList<int> epochs, int every) =>
        epochs.Where((_, c) => c % every == 0 || c == epochs.Count - 1).ToArray();

    /// <summary>The variant names, in variants.csv order.</summary>
    public IEnumerable<string> Names => variants.Select(v => v.Name).Concat(config.Robustness.ShuffleNull ? [ShuffleNull] : []);

    public bool Covers(int epoch) => epochs.Contains(epoch);

    /// <summary>The shuffled copy of a slab of (instances, samples, units) activations, each unit's samples permuted within each window.</summary>
    public float[]? Shuffled(ReadOnlySpan<float> slab, int count, int samples, int units, int epoch, int firstInstance, Func<int, int, ulong> seedFor)
    {
        if (!config.Robustness.ShuffleNull || !Covers(epoch)) return null;
        var shuffled = slab.ToArray();
        int window = samples / config.Windows;
        for (int i = 0; i < count; i++)
        {
            var random = new Random((int)(seedFor(firstInstance + i, epoch) & int.MaxValue) ^ 0x5EED);
            int offset = i * samples * units;
            for (int start = 0; start < samples; start += window)
                for (int u = 0; u < units; u++)
                    for (int t = window - 1; t > 0; t--)
                    {
                        int s = random.Next(t + 1);
                        int a = offset + (start + t) * units + u, b = offset + (start + s) * units + u;
                        (shuffled[a], shuffled[b]) = (shuffled[b], shuffled[a]);
                    }
        }
        return shuffled;
    }

    /// <summary>
    /// The variant rows of one instance: <paramref name="layerFc"/> is its windowed FC, <paramref name="nullLayerFc"/> and
    /// <paramref name="nullFullFc"/> the FCs of its shuffled activations (empty when the null is off).
    /// </summary>
    public IEnumerable<VariantRow> Analyze(int instance, int epoch, ReadOnlySpan<float> layerFc, ReadOnlySpan<float> nullLayerFc,
        ReadOnlySpan<float> nullFullFc, double meanCorrelation, long seed)
    {
        var rows = new List<VariantRow>();
        int m = config.Hidden, layers = config.Windows;
        foreach (var (name, options) in variants)
        {
            var result = MultilayerCommunities.Detect(layerFc, layers, m, options with { Seed = seed });
            rows.Add(new VariantRow(instance, epoch, name, result.Modularity, result.Communities, result.Flexibility, meanCorrelation));
        }
        if (!nullLayerFc.IsEmpty)
        {
            var result = MultilayerCommunities.Detect(nullLayerFc, layers, m, baseline with { Seed = seed });
            var full = new double[m * m];
            for (int k = 0; k < full.Length; k++) full[k] = nullFullFc[k];
            rows.Add(new VariantRow(instance, epoch, ShuffleNull, result.Modularity, result.Communities, result.Flexibility,
                CorrelationEntries.Mean(full, m, pairs)));
        }
        return rows;
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
