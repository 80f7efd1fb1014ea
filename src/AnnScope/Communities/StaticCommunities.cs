using AnnScope.Dynamics;

namespace AnnScope.Communities;

/// <summary>
/// Static (single-layer) community detection on a full FC (M, M): the best of R seeded Louvain runs, with the
/// co-assignment of nodes over runs.
/// </summary>
public static class StaticCommunities
{
    /// <summary>Detects communities in a full FC (M, M), C order.</summary>
    public static StaticCommunityResult Detect(ReadOnlySpan<double> connectivity, int nodes, StaticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Detect(ModularityMatrix.FromConnectivity(connectivity, nodes, options.Objective), options);
    }

    /// <inheritdoc cref="Detect(ReadOnlySpan{double}, int, StaticOptions)"/>
    public static StaticCommunityResult Detect(ReadOnlySpan<float> connectivity, int nodes, StaticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Detect(ModularityMatrix.FromConnectivity(connectivity, nodes, options.Objective), options);
    }

    /// <summary>Detects communities of an already built modularity matrix (its objective applies).</summary>
    public static StaticCommunityResult Detect(ModularityMatrix problem, StaticOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var runs = Louvain.Runs(problem, options.Runs, options.Seed, options.Louvain, options.MaxDegreeOfParallelism);
        return StaticCommunityResult.From(problem, runs);
    }

    /// <summary>The quality of a partition found elsewhere (any integer labels), without optimising.</summary>
    public static StaticCommunityResult Score(ModularityMatrix problem, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(problem);
        double raw = problem.RawQuality(labels);
        var run = LouvainRun.Given(labels, raw, problem.Normaliser);
        return StaticCommunityResult.From(problem, [run]);
    }
}

/// <summary>
/// Result of <see cref="StaticCommunities"/>: the best run's modularity, communities and labels (tidy, 0-based), the
/// co-assignment over runs (M × M, diagonal 1), every run, and the spread over runs.
/// </summary>
public sealed class StaticCommunityResult
{
    private StaticCommunityResult(IReadOnlyList<LouvainRun> runs, int best, double[] coAssignment, double normaliser)
    {
        Runs = runs;
        BestRun = best;
        CoAssignment = coAssignment;
        Normaliser = normaliser;
        ModularityOverRuns = RunStatistics.Of(runs.Select(r => r.Modularity).ToList());
        CommunitiesOverRuns = RunStatistics.Of(runs.Select(r => (double)r.Communities).ToList());
    }

    /// <summary>Every run, in seed order.</summary>
    public IReadOnlyList<LouvainRun> Runs { get; }

    /// <summary>Index of the best run (highest Q; the first on ties).</summary>
    public int BestRun { get; }

    /// <summary>The normaliser of Q (2m⁺ + 2m⁻, 2m or 1).</summary>
    public double Normaliser { get; }

    /// <summary>Q of the best run.</summary>
    public double Modularity => Runs[BestRun].Modularity;

    /// <summary>Communities of the best run.</summary>
    public int Communities => Runs[BestRun].Communities;

    /// <summary>Labels of the best run.</summary>
    public int[] Labels => Runs[BestRun].Labels;

    /// <summary>Fraction of runs putting each pair of nodes together (M × M, row-major).</summary>
    public double[] CoAssignment { get; }

    /// <summary>Q over runs.</summary>
    public RunStatistics ModularityOverRuns { get; }

    /// <summary>Number of communities over runs.</summary>
    public RunStatistics CommunitiesOverRuns { get; }

    internal static StaticCommunityResult From(ModularityMatrix problem, IReadOnlyList<LouvainRun> runs)
    {
        var coAssignment = new ModuleAllegiance(problem.Nodes);
        foreach (var run in runs) coAssignment.AddLayer(run.Labels);
        return new StaticCommunityResult(runs, RunStatistics.Best(runs), coAssignment.ToMatrix(), problem.Normaliser);
    }
}
