namespace AnnScope.Communities.Engine;

/// <summary>
/// Scratch memory of Louvain runs, sized for the node count so that the sweeps allocate nothing; one per thread, reused
/// by the thread's successive runs (every run leaves the community sums zeroed). Community ids at every level are below
/// the node count of level 0.
/// </summary>
internal sealed class LouvainWorkspace
{
    [ThreadStatic] private static LouvainWorkspace? current;

    /// <summary>This thread's workspace for <paramref name="nodes"/>, reused from its last run when the size matches.</summary>
    public static LouvainWorkspace ForThread(int nodes)
    {
        var ws = current;
        if (ws is null || ws.Capacity != nodes) current = ws = new LouvainWorkspace(nodes);
        return ws;
    }

    public readonly CommunityEntry[] Entries;
    public readonly int[] Touched;
    public readonly int[] Order;
    public readonly int[] Size;
    public readonly int[] Free;
    public readonly int[] Candidates;
    public readonly double[] Gains;

    /// <summary>
    /// The candidate list of the node being visited: community, Σ_{j∈g} B_vj, and whether some B_vj &gt; 0 as a lane mask
    /// (−1 when true, 0 when false) so that the move rule can select gains without branches. Padded to whole vectors.
    /// </summary>
    public readonly int[] CandidateCommunity;
    public readonly double[] CandidateSum;
    public readonly long[] CandidatePositive;
    public readonly int[] Relabel;
    public readonly int[] LevelCommunity;
    private int stamp;

    public LouvainWorkspace(int nodes)
    {
        Capacity = nodes;
        Entries = new CommunityEntry[nodes];
        Touched = new int[nodes + 1];
        Order = new int[nodes];
        Size = new int[nodes];
        Free = new int[nodes];
        Candidates = new int[nodes + 3];
        Gains = new double[nodes + 3];
        CandidateCommunity = new int[nodes + 2 + VectorPadding];
        CandidateSum = new double[nodes + 2 + VectorPadding];
        CandidatePositive = new long[nodes + 2 + VectorPadding];
        Relabel = new int[nodes];
        LevelCommunity = new int[nodes];
    }

    public int Capacity { get; }

    /// <summary>Room for one vector past the candidate list's end.</summary>
    internal const int VectorPadding = 8;

    /// <summary>The mask value of a condition: −1 (all bits set) when true.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static long Mask(bool condition) => -(long)(condition ? 1 : 0);

    /// <summary>Starts sums of a new row (or of a new aggregated community).</summary>
    public CommunitySums Begin()
    {
        if (++stamp == int.MaxValue)
        {
            for (int c = 0; c < Entries.Length; c++) Entries[c].Stamp = 0;
            stamp = 1;
        }
        return new CommunitySums(this, stamp);
    }
}
