using AnnScope.Dynamics;

namespace AnnScope.Communities;

/// <summary>What one Louvain run does (science.md §5).</summary>
public sealed record LouvainOptions
{
    /// <summary>The move rule (default <see cref="MoveRule.Move"/>).</summary>
    public MoveRule Rule { get; init; } = MoveRule.Move;

    /// <summary>
    /// Iterated mode: restart Louvain from its last partition until the partition stops changing (GenLouvain's
    /// <c>iterated_genlouvain</c>).
    /// </summary>
    public bool Iterated { get; init; }

    /// <summary>
    /// In iterated multilayer runs, relabel each layer's communities before each restart to maximise their overlap
    /// with the previous layer's (optimal assignment), which never lowers Q. Ignored for a single layer.
    /// </summary>
    public bool OrdinalPostprocessing { get; init; } = true;

    /// <summary>
    /// End every run at a partition no single-node move (into any community, or a new one) improves by more than
    /// 1e-10: when one does, the node moves and Louvain restarts from there. Plain GenLouvain can, rarely, stop short
    /// of that; on by default.
    /// </summary>
    public bool EnsureLocalOptimum { get; init; } = true;

    /// <summary>Most Louvain passes in iterated mode.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>One <c>move</c> run: the study's code.</summary>
    public static LouvainOptions Paper { get; } = new();

    /// <summary>Iterated <c>move</c> runs with ordinal post-processing.</summary>
    public static LouvainOptions Robust { get; } = new() { Iterated = true, OrdinalPostprocessing = true };

    internal void Validate()
    {
        if (!Enum.IsDefined(Rule)) throw new ArgumentException($"unknown move rule {Rule}");
        if (MaxIterations < 1) throw new ArgumentException($"MaxIterations must be >= 1, got {MaxIterations}");
    }
}

/// <summary>
/// One seeded Louvain run: its tidy labels (0-based, numbered by first appearance; for a multilayer problem
/// labels[s·M + i] for node i in layer s), its quality normalised and raw, the number of communities, and the number
/// of Louvain passes (1 unless iterated).
/// </summary>
public sealed record LouvainRun(long Seed, int[] Labels, double Modularity, double RawQuality, int Communities, int Iterations)
{
    /// <summary>A partition found elsewhere, as a run: tidy labels, its raw quality and that quality normalised (0 when the normaliser is 0).</summary>
    internal static LouvainRun Given(ReadOnlySpan<int> labels, double rawQuality, double normaliser)
    {
        var tidy = Partitions.Tidy(labels);
        return new LouvainRun(0, tidy, normaliser > 0 ? rawQuality / normaliser : 0.0, rawQuality, Partitions.CountCommunities(tidy), 0);
    }
}
