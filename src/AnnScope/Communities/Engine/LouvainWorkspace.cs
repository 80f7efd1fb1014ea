namespace AnnScope.Communities.Engine;

/// <summary>
/// Scratch memory of Louvain runs, sized for the node count so that the sweeps allocate nothing; one per thread, reused
/// by the thread's successive runs (every run leaves the community sums zeroed). Community ids at every level are below
/// the node count of level 0.
/// </summary>
internal sealed class LouvainWorkspace
{
    // two sizes, as for the layer cache: a study alternates a multilayer problem and a single-layer one on one thread
    [ThreadStatic] private static LouvainWorkspace? current, previous;

    /// <summary>
    /// This thread's workspace for <paramref name="nodes"/>: one of the two it used last when the size matches, else a
    /// new one that displaces the older of the two.
    /// </summary>
    public static LouvainWorkspace ForThread(int nodes)
    {
        if (current?.Capacity == nodes) return current;
        if (previous?.Capacity == nodes)
        {
            (current, previous) = (previous, current);
            return current;
        }
        var ws = new LouvainWorkspace(nodes);
        (current, previous) = (ws, current);
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

    /// <summary>Per node: its room (see <see cref="ILevel.Room"/>); it is visited when this is ≤ 0.</summary>
    public readonly double[] Room;
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
        Room = new double[nodes];
        LevelCommunity = new int[nodes];
    }

    public int Capacity { get; }

    /// <summary>
    /// Entries of aggregated levels, in two sets used in turn: a level is built while the one below it is read, and
    /// nothing older is alive. Kept between runs so that aggregation does not allocate (and fault in) fresh arrays.
    /// </summary>
    private readonly int[][] levelColumns = [[], []];
    private readonly double[][] levelValues = [[], []];
    private int levelTurn;

    /// <summary>The next set of level entry arrays (at least <paramref name="capacity"/> long) for a level being built.</summary>
    public (int[] Columns, double[] Values) NextLevelEntries(int capacity)
    {
        levelTurn ^= 1;
        return (Grow(ref levelColumns[levelTurn], capacity), Grow(ref levelValues[levelTurn], capacity));
    }

    /// <summary>Grows the set handed out last, keeping its entries, to at least <paramref name="capacity"/>.</summary>
    public (int[] Columns, double[] Values) GrowLevelEntries(int capacity) =>
        (Grow(ref levelColumns[levelTurn], capacity), Grow(ref levelValues[levelTurn], capacity));

    /// <summary>Triplets (row, column, value) of a level being aggregated; grown on demand and kept.</summary>
    public int[] TripletRows = [], TripletColumns = [], TripletOrder = [], TripletStart = [];

    /// <inheritdoc cref="TripletRows"/>
    public double[] TripletValues = [];

    /// <summary>An array of at least <paramref name="length"/> elements: <paramref name="array"/> itself, or a larger copy of its contents.</summary>
    public static T[] Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) Array.Resize(ref array, Math.Max(length, 2 * array.Length));
        return array;
    }

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
