namespace AnnScope.Communities;

/// <summary>
/// Multilayer community detection on windowed FC (science.md §5): the layer objective, the coupling ω, what each Louvain
/// run does, and how many seeded runs (run r uses seed <see cref="Seed"/> + r).
/// </summary>
public sealed record MultilayerOptions
{
    /// <summary>Layer objective (default the study's: signed split, γ⁺ = 1.02, γ⁻ = 1, diagonal kept).</summary>
    public LayerObjective Objective { get; init; } = LayerObjective.Study;

    /// <summary>Ordinal interlayer coupling ω ≥ 0 (default 1).</summary>
    public double Omega { get; init; } = 1.0;

    /// <summary>What each run does (default one <c>move</c> run).</summary>
    public LouvainOptions Louvain { get; init; } = LouvainOptions.Paper;

    /// <summary>Number of seeded runs R ≥ 1.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Seed of run 0.</summary>
    public long Seed { get; init; }

    /// <summary>Threads for the runs (−1 = all cores); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The paper preset: one <c>move</c> run, no iteration, no post-processing.</summary>
    public static MultilayerOptions Paper { get; } = new();

    /// <summary>The robust preset: 16 seeded runs of iterated <c>move</c> with ordinal post-processing.</summary>
    public static MultilayerOptions Robust { get; } = new() { Louvain = LouvainOptions.Robust, Runs = 16 };
}

/// <summary>Static (single-layer) community detection on a full FC: the same optimiser without coupling.</summary>
public sealed record StaticOptions
{
    /// <inheritdoc cref="MultilayerOptions.Objective"/>
    public LayerObjective Objective { get; init; } = LayerObjective.Study;

    /// <inheritdoc cref="MultilayerOptions.Louvain"/>
    public LouvainOptions Louvain { get; init; } = LouvainOptions.Paper;

    /// <inheritdoc cref="MultilayerOptions.Runs"/>
    public int Runs { get; init; } = 1;

    /// <inheritdoc cref="MultilayerOptions.Seed"/>
    public long Seed { get; init; }

    /// <inheritdoc cref="MultilayerOptions.MaxDegreeOfParallelism"/>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The paper preset: one <c>move</c> run.</summary>
    public static StaticOptions Paper { get; } = new();

    /// <summary>The robust preset: 16 seeded runs of iterated <c>move</c>.</summary>
    public static StaticOptions Robust { get; } = new() { Louvain = LouvainOptions.Robust, Runs = 16 };
}
