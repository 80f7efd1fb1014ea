using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// Per-community sums Σ_{j∈g} B_vj of one row of B, and whether g holds a j with B_vj &gt; 0 (GenLouvain's candidate
/// rule). Communities are touched in first-seen order; a stamp per community replaces clearing, so one row costs only
/// its own entries. Lives on the stack; its refs point into a <see cref="LouvainWorkspace"/>.
/// </summary>
internal ref struct CommunitySums
{
    private readonly ref double sum;
    private readonly ref int stamps;
    private readonly ref bool positive;
    private readonly ref int touched;
    private readonly int stamp;
    public int Count;

    public CommunitySums(LouvainWorkspace ws, int stamp)
    {
        sum = ref MemoryMarshal.GetArrayDataReference(ws.Sum);
        stamps = ref MemoryMarshal.GetArrayDataReference(ws.Stamp);
        positive = ref MemoryMarshal.GetArrayDataReference(ws.Positive);
        touched = ref MemoryMarshal.GetArrayDataReference(ws.Touched);
        this.stamp = stamp;
        Count = 0;
    }

    /// <summary>Adds B_vj = <paramref name="x"/> to community <paramref name="community"/> (in range: the caller guarantees it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int community, double x)
    {
        ref int s = ref Unsafe.Add(ref stamps, community);
        if (s != stamp)
        {
            s = stamp;
            Unsafe.Add(ref sum, community) = x;
            Unsafe.Add(ref positive, community) = x > 0;
            Unsafe.Add(ref touched, Count++) = community;
        }
        else
        {
            Unsafe.Add(ref sum, community) += x;
            Unsafe.Add(ref positive, community) |= x > 0;
        }
    }

    public readonly bool Contains(int community) => Unsafe.Add(ref stamps, community) == stamp;

    public readonly int Touched(int k) => Unsafe.Add(ref touched, k);

    public readonly double Sum(int community) => Unsafe.Add(ref sum, community);

    public readonly bool HasPositive(int community) => Unsafe.Add(ref positive, community);
}
