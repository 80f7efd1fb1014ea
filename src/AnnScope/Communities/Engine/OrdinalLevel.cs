using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// The ordinal supra-matrix without forming it: node v = s·M + i reads its layer's dense row B_s(i, ·) and, when ω &gt; 0,
/// the couplings to (i, s − 1) and (i, s + 1).
/// </summary>
internal readonly struct OrdinalLevel(double[] blocks, int layers, int nodes, double omega) : ILevel
{
    public int Count => layers * nodes;

    public long Entries => (long)layers * nodes * nodes + 2L * nodes * Math.Max(layers - 1, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Gather(int node, int[] community, ref CommunitySums sums)
    {
        int s = node / nodes, start = s * nodes;
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)node * nodes);
        ref int c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(community), start);
        for (int j = 0; j < nodes; j++) sums.Add(Unsafe.Add(ref c, j), Unsafe.Add(ref row, j));
        if (omega > 0)
        {
            if (s > 0) sums.Add(community[node - nodes], omega);
            if (s + 1 < layers) sums.Add(community[node + nodes], omega);
        }
        return Unsafe.Add(ref row, node - start);
    }

    public double SelfWeight(int node) => blocks[(long)node * nodes + node % nodes];
}
