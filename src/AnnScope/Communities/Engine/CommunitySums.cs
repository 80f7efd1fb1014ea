using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>What a row of B adds up to for one community: the sum, the row's stamp, and whether an entry was positive.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CommunityEntry
{
    public double Sum;
    public int Stamp;
    public int Positive;
}

/// <summary>
/// Per-community sums Σ_{j∈g} B_vj of one row of B, and whether g holds a j with B_vj &gt; 0 (GenLouvain's candidate
/// rule). Communities are touched in first-seen order; a stamp per community marks the touched ones and
/// <see cref="Clear"/> resets only those, so one row costs only its own entries. The three facts of a community share one
/// 16-byte entry (one cache line touched per community, not three). Lives on the stack; its refs point into a
/// <see cref="LouvainWorkspace"/>.
/// </summary>
internal ref struct CommunitySums
{
    private readonly ref CommunityEntry entries;
    private readonly ref int touched;
    private readonly int stamp;
    public int Count;

    public CommunitySums(LouvainWorkspace ws, int stamp)
    {
        entries = ref MemoryMarshal.GetArrayDataReference(ws.Entries);
        touched = ref MemoryMarshal.GetArrayDataReference(ws.Touched);
        this.stamp = stamp;
        Count = 0;
    }

    /// <summary>Adds B_vj = <paramref name="x"/> to community <paramref name="community"/> (in range: the caller guarantees it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int community, double x) => Add(community, x, x > 0);

    /// <summary>Adds a partial sum <paramref name="x"/> of a community whose entries include a positive one when <paramref name="anyPositive"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int community, double x, bool anyPositive)
    {
        // branch-free: whether the community is new in this row is data-dependent and would mispredict often
        ref CommunityEntry e = ref Unsafe.Add(ref entries, community);
        Unsafe.Add(ref touched, Count) = community;
        Count += e.Stamp != stamp ? 1 : 0;
        e.Stamp = stamp;
        e.Sum += x;
        e.Positive |= anyPositive ? 1 : 0;
    }

    /// <summary>
    /// Adds to a community's sum without registering it as touched: the caller registers every community it added to,
    /// once, with <see cref="Register"/> (cheaper when it knows them all in advance).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void AddUnregistered(int community, double x)
    {
        ref CommunityEntry e = ref Unsafe.Add(ref entries, community);
        e.Sum += x;
        e.Positive |= x > 0 ? 1 : 0;
    }

    /// <summary>Registers a community as touched (its sum may already hold unregistered additions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Register(int community)
    {
        ref CommunityEntry e = ref Unsafe.Add(ref entries, community);
        Unsafe.Add(ref touched, Count) = community;
        Count += e.Stamp != stamp ? 1 : 0;
        e.Stamp = stamp;
    }

    /// <summary>Zeroes the sums this row touched, ready for the next row (the workspace keeps them zero between rows).</summary>
    public readonly void Clear()
    {
        for (int k = 0; k < Count; k++)
        {
            ref CommunityEntry e = ref Unsafe.Add(ref entries, Unsafe.Add(ref touched, k));
            e.Sum = 0;
            e.Positive = 0;
        }
    }

    public readonly bool Contains(int community) => Unsafe.Add(ref entries, community).Stamp == stamp;

    public readonly int Touched(int k) => Unsafe.Add(ref touched, k);

    public readonly double Sum(int community) => Unsafe.Add(ref entries, community).Sum;

    /// <summary>
    /// Moves the touched communities into the workspace's candidate list (zeroing their sums) and returns how many;
    /// <paramref name="ownIndex"/> is where <paramref name="own"/> landed (−1 if untouched).
    /// </summary>
    public readonly int Drain(LouvainWorkspace ws, int own, out int ownIndex)
    {
        var community = ws.CandidateCommunity;
        var sum = ws.CandidateSum;
        var positive = ws.CandidatePositive;
        ownIndex = -1;
        for (int k = 0; k < Count; k++)
        {
            int c = Unsafe.Add(ref touched, k);
            ref CommunityEntry e = ref Unsafe.Add(ref entries, c);
            community[k] = c;
            sum[k] = e.Sum;
            positive[k] = -(long)e.Positive;
            e.Sum = 0;
            e.Positive = 0;
            if (c == own) ownIndex = k;
        }
        return Count;
    }
}
