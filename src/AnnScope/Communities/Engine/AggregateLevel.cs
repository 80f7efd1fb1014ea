using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// An aggregated level M = PᵀBP in compressed rows: one row per community of the level below, every row holding its
/// diagonal (possibly 0) so that a node's own community is always among the touched ones.
/// </summary>
internal readonly struct AggregateLevel(int[] rowStart, int[] columns, double[] values, double[] diagonal, double[] rowWeight) : ILevel
{
    public int Count => diagonal.Length;

    public long Entries => rowStart[^1];

    public void Prepare(int[] community)
    {
    }

    public void BeginSweep(int[] community)
    {
    }

    public void Prefetch(int node)
    {
    }

    public CandidateList Candidates(int node, int[] community, LouvainWorkspace ws)
    {
        var sums = ws.Begin();
        double self = Row(node, community, ref sums);
        int count = sums.Drain(ws, community[node], out int ownIndex);
        return new CandidateList(ref MemoryMarshal.GetArrayDataReference(ws.CandidateSum), ref MemoryMarshal.GetArrayDataReference(ws.CandidateCommunity),
            ref MemoryMarshal.GetArrayDataReference(ws.CandidatePositive), count, ownIndex, self);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Row(int node, int[] community, ref CommunitySums sums)
    {
        int end = rowStart[node + 1];
        ref int col = ref MemoryMarshal.GetArrayDataReference(columns);
        ref double val = ref MemoryMarshal.GetArrayDataReference(values);
        ref int c = ref MemoryMarshal.GetArrayDataReference(community);
        // a local copy keeps the touched count in a register instead of a store-load chain through the caller's frame
        var local = sums;
        for (int k = rowStart[node]; k < end; k++)
            local.Add(Unsafe.Add(ref c, Unsafe.Add(ref col, k)), Unsafe.Add(ref val, k));
        sums = local;
        return diagonal[node];
    }

    /// <summary>
    /// Every visit sums the row afresh, so the gain it computes is within (n + 4)·ε·Σ|B_vj| of the exact one, n the row's
    /// length. The room is what is left below the threshold of the largest gain any community could offer — a valid
    /// candidate's, or 0 − stay for one holding no positive entry, an absent or an empty one — after the rounding of both
    /// the last visit and the next, shrunk by 2⁻²⁰ so that the rounding of the room's own updates cannot matter.
    /// </summary>
    public double Room(int node, double bestGain, double stay, bool mustRevisit)
    {
        double reach = Math.Max(bestGain, -stay);
        double rounding = 4.0 * (rowStart[node + 1] - rowStart[node] + 4) * Epsilon * rowWeight[node];
        return (LouvainEngine.GainThreshold - reach - rounding) * (1 - 9.5367431640625e-7); // 1 − 2⁻²⁰
    }

    /// <summary>
    /// A move of node u from a to b by weight w = B_vu changes v's sums of a and b and perhaps its stay, each by w: any
    /// gain of v grows by at most 2|w|.
    /// </summary>
    public void Moved(int node, int from, int to, int[] community, double[] room)
    {
        for (int k = rowStart[node]; k < rowStart[node + 1]; k++) room[columns[k]] -= 2 * Math.Abs(values[k]);
    }

    private const double Epsilon = 2.220446049250313e-16; // 2⁻⁵²

    public AggregateLevel Aggregate(int[] community, int groups, LouvainWorkspace ws)
    {
        var builder = new AggregateBuilder(groups, Entries, ws);
        var members = Members(community, Count, groups);
        for (int g = 0; g < groups; g++)
        {
            var sums = ws.Begin();
            for (int k = members.Start[g]; k < members.Start[g + 1]; k++) Row(members.Nodes[k], community, ref sums);
            builder.AddRow(g, ref sums);
            sums.Clear();
        }
        return builder.Build();
    }

    public double SelfWeight(int node) => diagonal[node];

    /// <summary>Indices 0..count−1 grouped by key (counting sort): key g holds Nodes[Start[g]..Start[g+1]).</summary>
    internal static (int[] Start, int[] Nodes) Members(int[] community, int count, int groups) =>
        Members(community, count, groups, new int[groups + 1], new int[count]);

    /// <inheritdoc cref="Members(int[], int, int)"/>
    internal static (int[] Start, int[] Nodes) Members(int[] community, int count, int groups, int[] start, int[] nodes)
    {
        Array.Clear(start, 0, groups + 1);
        for (int v = 0; v < count; v++) start[community[v] + 1]++;
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        var fill = start[..groups];
        for (int v = 0; v < count; v++) nodes[fill[community[v]]++] = v;
        return (start, nodes);
    }
}

/// <summary>
/// Compressed rows of the next level, one row at a time, in the workspace's next set of level arrays (grown as needed).
/// </summary>
internal sealed class AggregateBuilder
{
    private readonly int[] rowStart;
    private readonly double[] diagonal, rowWeight;
    private readonly long capacity;
    private readonly LouvainWorkspace ws;
    private int[] columns;
    private double[] values;
    private int nnz;

    public AggregateBuilder(int groups, long entriesBelow, LouvainWorkspace ws)
    {
        rowStart = new int[groups + 1];
        diagonal = new double[groups];
        rowWeight = new double[groups];
        capacity = Math.Min((long)groups * groups, entriesBelow + groups);
        this.ws = ws;
        (columns, values) = ws.NextLevelEntries((int)Math.Min(capacity, 1 << 16));
    }

    /// <summary>Row <paramref name="g"/> from the touched communities of <paramref name="sums"/> (rows in order).</summary>
    public void AddRow(int g, ref CommunitySums sums)
    {
        if (!sums.Contains(g)) sums.Add(g, 0.0);
        if (nnz + sums.Count > columns.Length)
            (columns, values) = ws.GrowLevelEntries((int)Math.Min(Math.Max(2L * columns.Length, nnz + sums.Count), capacity));
        double weight = 0;
        for (int k = 0; k < sums.Count; k++)
        {
            int h = sums.Touched(k);
            double x = sums.Sum(h);
            columns[nnz] = h;
            values[nnz++] = x;
            weight += Math.Abs(x);
        }
        diagonal[g] = sums.Sum(g);
        rowWeight[g] = weight;
        rowStart[g + 1] = nnz;
    }

    public AggregateLevel Build() => new(rowStart, columns, values, diagonal, rowWeight);
}
