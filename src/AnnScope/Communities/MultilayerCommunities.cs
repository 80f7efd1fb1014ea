using AnnScope.Dynamics;

namespace AnnScope.Communities;

/// <summary>
/// The study's multilayer step for one (instance, checkpoint): windowed FC shaped (L, M, M) in, the best of R seeded
/// Louvain runs out, with its flexibility and the allegiance over layers and runs (science.md §5–6).
/// </summary>
/// <example>
/// <code>
/// var result = MultilayerCommunities.Detect(windowedFc, layerCount: 50, nodes: 120, MultilayerOptions.Robust with { Seed = 7 });
/// double q = result.Modularity, flexibility = result.Flexibility;
/// </code>
/// </example>
public static class MultilayerCommunities
{
    /// <summary>Detects communities in windowed FC (L, M, M), C order.</summary>
    public static MultilayerCommunityResult Detect(ReadOnlySpan<double> layers, int layerCount, int nodes, MultilayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DetectDropping(MultilayerModularity.FromConnectivityReusingBlocks(layers, layerCount, nodes, options.Objective, options.Omega), options);
    }

    /// <inheritdoc cref="Detect(ReadOnlySpan{double}, int, int, MultilayerOptions)"/>
    public static MultilayerCommunityResult Detect(ReadOnlySpan<float> layers, int layerCount, int nodes, MultilayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DetectDropping(MultilayerModularity.FromConnectivityReusingBlocks(layers, layerCount, nodes, options.Objective, options.Omega), options);
    }

    /// <summary>The problem never leaves this call, so its blocks go back to the thread for the next one.</summary>
    private static MultilayerCommunityResult DetectDropping(MultilayerModularity problem, MultilayerOptions options)
    {
        try
        {
            return Detect(problem, options);
        }
        finally
        {
            problem.ReturnBlocks();
        }
    }

    /// <summary>
    /// Detects communities of an already built problem (its objective and ω, not those of <paramref name="options"/>, apply).
    /// </summary>
    public static MultilayerCommunityResult Detect(MultilayerModularity problem, MultilayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var runs = Louvain.Runs(problem, options.Runs, options.Seed, options.Louvain, options.MaxDegreeOfParallelism);
        return MultilayerCommunityResult.From(problem, runs);
    }

    /// <summary>
    /// The quality and measures of a partition found elsewhere (labels[s·M + i], any integers), without optimising.
    /// </summary>
    public static MultilayerCommunityResult Score(MultilayerModularity problem, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(problem);
        double raw = problem.RawQuality(labels);
        var run = LouvainRun.Given(labels, raw, problem.TwoMu);
        return MultilayerCommunityResult.From(problem, [run]);
    }
}

/// <summary>One multilayer run with its flexibility.</summary>
public sealed record MultilayerRun(long Seed, double Modularity, int Communities, double Flexibility, int[] Labels, int Iterations);

/// <summary>
/// Result of <see cref="MultilayerCommunities"/>: the best run's modularity (normalised by 2μ), communities, labels
/// (L × M, labels[s·M + i], tidy, 0-based) and flexibility; the allegiance over every layer of every run; every run; and
/// the mean and spread of the measures over runs.
/// </summary>
public sealed class MultilayerCommunityResult
{
    private MultilayerCommunityResult(MultilayerModularity problem, IReadOnlyList<MultilayerRun> runs, int best,
        double[] nodeFlexibility, double[] allegiance)
    {
        Layers = problem.Layers;
        Nodes = problem.Nodes;
        TwoMu = problem.TwoMu;
        Runs = runs;
        BestRun = best;
        NodeFlexibility = nodeFlexibility;
        Allegiance = allegiance;
        ModularityOverRuns = RunStatistics.Of(runs.Select(r => r.Modularity).ToList());
        FlexibilityOverRuns = RunStatistics.Of(runs.Select(r => r.Flexibility).ToList());
        CommunitiesOverRuns = RunStatistics.Of(runs.Select(r => (double)r.Communities).ToList());
    }

    /// <summary>Layers L.</summary>
    public int Layers { get; }

    /// <summary>Nodes per layer M.</summary>
    public int Nodes { get; }

    /// <summary>2μ of the problem.</summary>
    public double TwoMu { get; }

    /// <summary>Every run, in seed order.</summary>
    public IReadOnlyList<MultilayerRun> Runs { get; }

    /// <summary>Index of the best run (highest Q; the first on ties).</summary>
    public int BestRun { get; }

    /// <summary>Q of the best run, normalised by 2μ.</summary>
    public double Modularity => Runs[BestRun].Modularity;

    /// <summary>Communities of the best run (distinct labels over all layers).</summary>
    public int Communities => Runs[BestRun].Communities;

    /// <summary>Labels of the best run, labels[s·M + i].</summary>
    public int[] Labels => Runs[BestRun].Labels;

    /// <summary>The best run's partition.</summary>
    public MultilayerPartition Partition => new(Labels, Layers, Nodes);

    /// <summary>Flexibility of each node in the best run.</summary>
    public double[] NodeFlexibility { get; }

    /// <summary>System flexibility (mean node flexibility) of the best run.</summary>
    public double Flexibility => Runs[BestRun].Flexibility;

    /// <summary>Module allegiance M × M (row-major) over every layer of every run; diagonal 1.</summary>
    public double[] Allegiance { get; }

    /// <summary>Q over runs.</summary>
    public RunStatistics ModularityOverRuns { get; }

    /// <summary>System flexibility over runs.</summary>
    public RunStatistics FlexibilityOverRuns { get; }

    /// <summary>Number of communities over runs.</summary>
    public RunStatistics CommunitiesOverRuns { get; }

    internal static MultilayerCommunityResult From(MultilayerModularity problem, IReadOnlyList<LouvainRun> louvainRuns)
    {
        var allegiance = new ModuleAllegiance(problem.Nodes);
        var runs = new MultilayerRun[louvainRuns.Count];
        for (int r = 0; r < runs.Length; r++)
        {
            var run = louvainRuns[r];
            var partition = new MultilayerPartition(run.Labels, problem.Layers, problem.Nodes);
            allegiance.Add(partition);
            runs[r] = new MultilayerRun(run.Seed, run.Modularity, run.Communities, Dynamics.Flexibility.OfSystem(partition),
                run.Labels, run.Iterations);
        }
        int best = RunStatistics.Best(louvainRuns);
        var nodeFlexibility = Dynamics.Flexibility.OfNodes(new MultilayerPartition(runs[best].Labels, problem.Layers, problem.Nodes));
        return new MultilayerCommunityResult(problem, runs, best, nodeFlexibility, allegiance.ToMatrix());
    }
}
