using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>A dense symmetric B (row-major), the first level of single-layer problems.</summary>
internal readonly struct DenseLevel(double[] values, int count) : ILevel
{
    public int Count => count;

    public long Entries => (long)count * count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Gather(int node, int[] community, ref CommunitySums sums)
    {
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), (nint)node * count);
        ref int c = ref MemoryMarshal.GetArrayDataReference(community);
        for (int j = 0; j < count; j++) sums.Add(Unsafe.Add(ref c, j), Unsafe.Add(ref row, j));
        return Unsafe.Add(ref row, node);
    }

    public double SelfWeight(int node) => values[(long)node * count + node];
}
