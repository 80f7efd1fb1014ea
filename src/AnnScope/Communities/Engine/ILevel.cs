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

    /// <summary>A hint that <paramref name="node"/> is visited soon: the level may start loading what the visit reads.</summary>
    void Prefetch(int node);

    /// <summary>Called before each sweep of phase 1.</summary>
    void BeginSweep(int[] community);

    /// <summary>
    /// The candidate list of <paramref name="node"/>: every community holding a j with B(node, j) ≠ 0 (its own included),
    /// with Σ_{j∈g} B(node, j) and whether one of those entries is positive. It stays valid until the level next changes.
    /// </summary>
    CandidateList Candidates(int node, int[] community, LouvainWorkspace ws);

    /// <summary>
    /// Phase 1 moved <paramref name="node"/> (community[node] already holds <paramref name="to"/>): the level follows, and
    /// takes from each neighbour's <paramref name="room"/> (see <see cref="Room"/>) what the move can add to its best gain.
    /// </summary>
    void Moved(int node, int from, int to, int[] community, double[] room);

    /// <summary>
    /// After phase 1 found that <paramref name="node"/> stays: by how much its best gain may still grow, through moves of
    /// its neighbours, before it might move — &gt; 0 to skip its visits until then, ≤ 0 to visit it again.
    /// <paramref name="bestGain"/> is the largest gain over its valid candidates (−∞ if none); <paramref name="mustRevisit"/>
    /// says that something besides its row (whether it may leave for an empty community) could change its choice.
    /// </summary>
    double Room(int node, double bestGain, double stay, bool mustRevisit);

    /// <summary>Phase 2: the level of the <paramref name="groups"/> communities (ids 0..groups−1), M = PᵀBP.</summary>
    AggregateLevel Aggregate(int[] community, int groups, LouvainWorkspace ws);

    /// <summary>B(node, node).</summary>
    double SelfWeight(int node);
}
