using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// The communities a visited node could join, with Σ_{j∈g} B_vj for each: <see cref="Count"/> sums and ids read where the
/// level keeps them (a layer's slot cache is read in place, not copied), plus up to two corrections for the interlayer
/// couplings — a listed community whose sum ω raises, or a community the list lacks, appended after it in order.
/// <para>
/// A correction's sum is never below the listed one it replaces (ω ≥ 0), so a maximum over the listed sums and the
/// corrections equals the maximum over the corrected list, and an entry whose listed gain equals that maximum belongs to
/// a community that reaches it. The list is the level's scratch while the visit lasts: the engine may overwrite the own
/// community's sum and restores it before the level changes.
/// </para>
/// </summary>
internal ref struct CandidateList
{
    /// <summary>The listed sums (the first of <see cref="Count"/>).</summary>
    public ref double Sum;

    /// <summary>The listed communities.</summary>
    public ref int Community;

    /// <summary>Per listed community, all ones when it holds a j with B_vj &gt; 0; a null ref when every one may be taken.</summary>
    public ref long Positive;

    public int Count;

    /// <summary>Where the node's own community is listed.</summary>
    public int OwnIndex;

    /// <summary>B_vv.</summary>
    public double Self;

    /// <summary>How many corrections there are (0–2), in list order.</summary>
    public int Corrections;

    /// <summary>Per correction: the listed index it replaces, or −1 when it is appended; its community and its sum.</summary>
    public int Index0, Index1, Community0, Community1;

    /// <inheritdoc cref="Index0"/>
    public double Sum0, Sum1;

    public CandidateList(ref double sum, ref int community, ref long positive, int count, int ownIndex, double self)
    {
        Sum = ref sum;
        Community = ref community;
        Positive = ref positive;
        Count = count;
        OwnIndex = ownIndex;
        Self = self;
    }

    /// <summary>Whether every listed community may be taken (no mask).</summary>
    public readonly bool AllPositive => Unsafe.IsNullRef(ref Positive);

    /// <summary>The own community's sum, corrected.</summary>
    public readonly double OwnSum =>
        Corrections > 0 && Index0 == OwnIndex ? Sum0
        : Corrections > 1 && Index1 == OwnIndex ? Sum1
        : Unsafe.Add(ref Sum, OwnIndex);

    /// <summary>
    /// Adds ω for a coupled copy in community <paramref name="community"/>: to its correction when it has one, else as a new
    /// correction of its listed sum (or of 0 when unlisted), in the order GenLouvain adds couplings to a row.
    /// </summary>
    public void Couple(int community, double omega)
    {
        if (Corrections > 0 && Community0 == community)
        {
            Sum0 += omega;
            return;
        }
        int index = MemoryMarshal.CreateReadOnlySpan(ref Community, Count).IndexOf(community);
        double sum = (index >= 0 ? Unsafe.Add(ref Sum, index) : 0) + omega;
        if (Corrections++ == 0)
        {
            Index0 = index;
            Community0 = community;
            Sum0 = sum;
        }
        else
        {
            Index1 = index;
            Community1 = community;
            Sum1 = sum;
        }
    }
}
