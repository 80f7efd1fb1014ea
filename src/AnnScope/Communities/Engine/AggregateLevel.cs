using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// An aggregated level M = PᵀBP in compressed rows: one row per community of the level below, every row holding its
/// diagonal (possibly 0) so that a node's own community is always among the touched ones.
/// </summary>
internal readonly struct AggregateLevel(int[] rowStart, int[] columns, double[] values, double[] diagonal) : ILevel
{
    public int Count => diagonal.Length;

    public long Entries => rowStart[^1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Gather(int node, int[] community, ref CommunitySums sums)
    {
        int end = rowStart[node + 1];
        ref int col = ref MemoryMarshal.GetArrayDataReference(columns);
        ref double val = ref MemoryMarshal.GetArrayDataReference(values);
        ref int c = ref MemoryMarshal.GetArrayDataReference(community);
        for (int k = rowStart[node]; k < end; k++)
            sums.Add(Unsafe.Add(ref c, Unsafe.Add(ref col, k)), Unsafe.Add(ref val, k));
        return diagonal[node];
    }

    public double SelfWeight(int node) => diagonal[node];
}
