namespace AnnScope.Communities.Engine;

/// <summary>
/// One level of the Louvain hierarchy: a symmetric matrix over the level's nodes with a node → community assignment
/// that phase 1 changes one move at a time. Implemented by structs so that the sweep loop is specialised and inlined
/// for each layout.
/// </summary>
internal interface ILevel
{
    /// <summary>Nodes at this level.</summary>
    int Count { get; }

    /// <summary>Stored entries (for sizing).</summary>
    long Entries { get; }

    /// <summary>Called before phase 1 with the assignment it starts from.</summary>
    void Prepare(int[] community);

    /// <summary>Called before each sweep of phase 1.</summary>
    void BeginSweep(int[] community);

    /// <summary>Adds row <paramref name="node"/> of B into <paramref name="sums"/> by community; returns B(node, node).</summary>
    double Row(int node, int[] community, ref CommunitySums sums);

    /// <summary>Called after phase 1 moved <paramref name="node"/> (community[node] already holds <paramref name="to"/>).</summary>
    void Moved(int node, int from, int to, int[] community);

    /// <summary>Phase 2: the level of the <paramref name="groups"/> communities (ids 0..groups−1), M = PᵀBP.</summary>
    AggregateLevel Aggregate(int[] community, int groups, LouvainWorkspace ws);

    /// <summary>B(node, node).</summary>
    double SelfWeight(int node);
}
