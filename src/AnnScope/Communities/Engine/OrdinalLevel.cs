using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnnScope.Communities.Engine;

/// <summary>
/// The first level of every problem: L dense symmetric layer blocks of M nodes (node v = s·M + i) plus, when ω &gt; 0, the
/// ordinal couplings (i, s) — (i, s ± 1); a single layer is L = 1. The (LM)² supra-matrix is never formed.
/// <para>
/// Phase 1 reads community sums from a per-layer cache: the k communities present in a layer occupy slots 0..k−1, and
/// node v keeps, for each slot, Σ_{j ∈ slot} B_s(i, j). A visit reads k contiguous
/// sums (no pass over the node's row), and a move updates two slots of each node of its layer. The cache is built once
/// per phase 1 and kept current by the moves, so aggregation reads it too.
/// </para>
/// </summary>
internal readonly struct OrdinalLevel : ILevel
{
    private readonly double[] blocks, diagonal;
    private readonly int layers, nodes;
    private readonly double omega;
    private readonly LayerCache cache;

    public OrdinalLevel(double[] blocks, int layers, int nodes, double omega)
    {
        this.blocks = blocks;
        this.layers = layers;
        this.nodes = nodes;
        this.omega = omega;
        // self-weights apart: reading them from the blocks would cost a cache miss per visit
        diagonal = new double[layers * nodes];
        for (int v = 0; v < diagonal.Length; v++) diagonal[v] = blocks[(long)v * nodes + v % nodes];
        cache = LayerCache.ForThread(layers, nodes);
    }

    public int Count => layers * nodes;

    public long Entries => (long)layers * nodes * nodes + 2L * nodes * Math.Max(layers - 1, 0);

    /// <summary>Phase 1 starts from a new assignment: the slots are recounted and their sums rebuilt.</summary>
    public void Prepare(int[] community)
    {
        for (int s = 0; s < layers; s++)
        {
            cache.Assign(s, community);
            cache.Rebuild(s, blocks);
        }
    }

    public void BeginSweep(int[] community)
    {
    }

    /// <summary>
    /// The cache of all layers is several MB and visits jump between layers at random: without a prefetch nearly every
    /// visit waits for memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int node)
    {
        if (!Sse.IsSupported) return;
        int k = cache.SlotCount[node / nodes];
        fixed (double* sum = &cache.Sum[node * nodes])
            for (int offset = 0; offset < k; offset += 8) Sse.Prefetch0(sum + offset);
    }

    public int Candidates(int node, int[] community, LouvainWorkspace ws, out int ownIndex, out double self)
    {
        int s = node / nodes, m = nodes, layerBase = s * m;
        int k = cache.SlotCount[s];
        cache.SlotCommunity.AsSpan(layerBase, k).CopyTo(ws.CandidateCommunity);
        cache.Sum.AsSpan(node * m, k).CopyTo(ws.CandidateSum);
        ownIndex = cache.SlotOf[node];
        self = diagonal[node];
        // Only a community holding some B_vj > 0 is a candidate, which a positive sum proves. A community whose sum is
        // ≤ 0 can gain Σ − stay > 1e-10 only when stay < 0: then (rarely) the row says which communities hold a positive
        // entry; otherwise every community may be listed, as those with Σ ≤ 0 cannot gain.
        if (ws.CandidateSum[ownIndex] - self < 0) PositiveBySlot(node, layerBase, k, ws.CandidatePositive);
        else ws.CandidatePositive.AsSpan(0, k).Fill(-1);
        int count = k;
        if (omega > 0)
        {
            if (s > 0) count = AddCoupling(community[node - m], count, ws);
            if (s + 1 < layers) count = AddCoupling(community[node + m], count, ws);
        }
        return count;
    }

    /// <summary>Which slots of the layer hold a j with B_s(i, j) &gt; 0, as lane masks, from the node's row.</summary>
    private void PositiveBySlot(int node, int layerBase, int k, long[] masks)
    {
        int m = nodes;
        var row = blocks.AsSpan(node * m, m);
        var slotOf = cache.SlotOf.AsSpan(layerBase, m);
        masks.AsSpan(0, k).Clear();
        for (int j = 0; j < m; j++)
            if (row[j] > 0) masks[slotOf[j]] = -1;
    }

    /// <summary>The coupling ω to a copy in community <paramref name="c"/>: added to its slot, or listed when absent from the layer.</summary>
    private int AddCoupling(int c, int count, LouvainWorkspace ws)
    {
        int index = ws.CandidateCommunity.AsSpan(0, count).IndexOf(c);
        if (index < 0)
        {
            index = count++;
            ws.CandidateCommunity[index] = c;
            ws.CandidateSum[index] = 0;
        }
        ws.CandidateSum[index] += omega;
        ws.CandidatePositive[index] = -1;
        return count;
    }

    public void Moved(int node, int from, int to, int[] community) => cache.Move(node, to, blocks);

    /// <summary>
    /// The cache's sums are updated move by move, so their rounding is not bounded by one row's: a node that stays is
    /// skipped only until a neighbour moves.
    /// </summary>
    public double Room(int node, double bestGain, double stay, bool mustRevisit) => mustRevisit ? 0 : double.PositiveInfinity;

    /// <summary>The node's whole layer (its block is dense) and its copies in the layers either side are visited again.</summary>
    public void Spend(int node, double[] room)
    {
        int s = node / nodes;
        room.AsSpan(s * nodes, nodes).Clear();
        if (omega > 0)
        {
            if (s > 0) room[node - nodes] = 0;
            if (s + 1 < layers) room[node + nodes] = 0;
        }
    }

    /// <summary>
    /// Phase 2. The next level lists each row's communities in the order the layers' communities first appear (and the
    /// random move rules pick by position in that list), so both ways of building it follow that order: with few
    /// communities per layer, k × k blocks of community sums read off the cache, which phase 1 left current; with many,
    /// the rows of the members' layer blocks.
    /// </summary>
    public AggregateLevel Aggregate(int[] community, int groups, LouvainWorkspace ws)
    {
        int m = nodes;
        // per layer s, its communities by first appearance: appearing[s·M + a], a < appearingCount[s]
        var appearing = new int[Count];
        var appearingCount = new int[layers];
        var seenIn = new int[Count];
        Array.Fill(seenIn, -1);
        long slots = 0;
        for (int s = 0; s < layers; s++)
        {
            int k = 0;
            for (int i = 0; i < m; i++)
            {
                int c = community[s * m + i];
                if (seenIn[c] == s) continue;
                seenIn[c] = s;
                appearing[s * m + k++] = c;
            }
            appearingCount[s] = k;
            slots += k;
        }
        return slots * ScanFactor <= (long)layers * nodes
            ? AggregateFromCache(community, groups, ws, appearing, appearingCount)
            : AggregateFromRows(community, groups, ws, appearing, appearingCount);
    }

    /// <summary>Below this share of communities per node in a layer, the cache's k × k blocks are cheaper than the rows.</summary>
    private const int ScanFactor = 2;

    private AggregateLevel AggregateFromCache(int[] community, int groups, LouvainWorkspace ws, int[] appearing, int[] appearingCount)
    {
        int m = nodes;
        var builder = new TripletBuilder(groups, ws);
        var block = cache.Block;
        var slotAt = cache.SlotAt;
        var positionOfSlot = cache.PositionOfSlot;
        for (int s = 0; s < layers; s++)
        {
            int k = appearingCount[s];
            // the cache's slot of each community of the layer, by position of first appearance
            for (int i = 0; i < m; i++)
            {
                int slot = cache.SlotOf[s * m + i];
                int a = appearing.AsSpan(s * m, k).IndexOf(community[s * m + i]);
                slotAt[a] = slot;
                positionOfSlot[slot] = a;
            }
            // block (a, b) of layer s = Σ_{i ∈ a} Σ_{j ∈ b} B_s(i, j) = Σ_{i ∈ a} (slot b of node i)
            Array.Clear(block, 0, k * k);
            for (int i = 0; i < m; i++)
            {
                int a = positionOfSlot[cache.SlotOf[s * m + i]];
                var sums = cache.Sum.AsSpan((s * m + i) * m, m);
                for (int b = 0; b < k; b++) block[a * k + b] += sums[slotAt[b]];
            }
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    builder.Add(appearing[s * m + a], appearing[s * m + b], block[a * k + b]);
        }
        if (omega > 0)
            for (int v = 0; v + m < Count; v++)
            {
                builder.Add(community[v], community[v + m], omega);
                builder.Add(community[v + m], community[v], omega);
            }
        return builder.Build();
    }

    private AggregateLevel AggregateFromRows(int[] community, int groups, LouvainWorkspace ws, int[] appearing, int[] appearingCount)
    {
        var builder = new AggregateBuilder(groups, Entries, ws);
        var (start, members) = AggregateLevel.Members(community, Count, groups);
        for (int g = 0; g < groups; g++)
        {
            var sums = ws.Begin();
            for (int k = start[g]; k < start[g + 1]; k++) Scan(members[k], community, appearing, appearingCount, ref sums);
            builder.AddRow(g, ref sums);
            sums.Clear();
        }
        return builder.Build();
    }

    /// <summary>
    /// The row of B by (global) community, for aggregation: layer block row and couplings. The communities of the layer
    /// are known, so the row is added without per-entry bookkeeping and they are registered afterwards.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scan(int node, int[] community, int[] appearing, int[] appearingCount, ref CommunitySums sums)
    {
        int s = node / nodes, start = s * nodes;
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)node * nodes);
        ref int c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(community), start);
        for (int j = 0; j < nodes; j++) sums.AddUnregistered(Unsafe.Add(ref c, j), Unsafe.Add(ref row, j));
        for (int a = 0; a < appearingCount[s]; a++) sums.Register(appearing[start + a]);
        if (omega > 0)
        {
            if (s > 0) sums.Add(community[node - nodes], omega);
            if (s + 1 < layers) sums.Add(community[node + nodes], omega);
        }
    }

    public double SelfWeight(int node) => diagonal[node];
}

/// <summary>
/// The per-layer slot cache of <see cref="OrdinalLevel"/>. Its data take the memory of B, so each thread keeps
/// one for the problem size it last saw (runs on one thread are sequential) only while that is small.
/// </summary>
internal sealed class LayerCache
{
    // two shapes, because a study alternates a multilayer problem and a single-layer one on the same thread: keeping one
    // shape rebuilt (and page-faulted in) megabytes for every multilayer run
    [ThreadStatic] private static LayerCache? current, previous;
    private readonly int layers, nodes;

    /// <summary>Node v's slot s: Sum[v·M + s] = Σ_{j ∈ slot} B_s(v, j).</summary>
    public readonly double[] Sum;
    public readonly int[] SlotCommunity, SlotSize, SlotOf, SlotCount;
    private readonly int[] slotOfCommunity, stamp;
    private int currentStamp;

    public LayerCache(int layers, int nodes)
    {
        this.layers = layers;
        this.nodes = nodes;
        SlotCommunity = new int[layers * nodes];
        SlotSize = new int[layers * nodes];
        SlotOf = new int[layers * nodes];
        SlotCount = new int[layers];
        Sum = new double[layers * nodes * nodes];
        slotOfCommunity = new int[layers * nodes];
        stamp = new int[layers * nodes];
    }

    /// <summary>
    /// The largest cache (its data, in doubles: 8 MiB) a thread keeps between runs. A larger problem's cache belongs to
    /// its run alone and goes with it, so a thread never holds the L·M² doubles of a problem it finished long ago.
    /// </summary>
    public const long RetainedDataLimit = 1L << 20;

    /// <summary>
    /// A cache for <paramref name="layers"/> × <paramref name="nodes"/>: one of the two this thread used last when the
    /// shape matches, else a new one, kept (displacing the older of the two) only when small enough
    /// (<see cref="RetainedDataLimit"/>).
    /// </summary>
    public static LayerCache ForThread(int layers, int nodes)
    {
        if (Fits(current, layers, nodes)) return current!;
        if (Fits(previous, layers, nodes))
        {
            (current, previous) = (previous, current);
            return current!;
        }
        var cache = new LayerCache(layers, nodes);
        if ((long)layers * nodes * nodes <= RetainedDataLimit) (current, previous) = (cache, current);
        return cache;
    }

    private static bool Fits(LayerCache? cache, int layers, int nodes) => cache is not null && cache.layers == layers && cache.nodes == nodes;

    /// <summary>Aggregation's k × k block of one layer (k ≤ M), reused by every aggregation of this shape.</summary>
    public double[] Block => block ??= new double[nodes * nodes];

    /// <summary>Aggregation's slot of each community position and position of each slot in one layer.</summary>
    public int[] SlotAt => slotAt ??= new int[nodes];

    /// <inheritdoc cref="SlotAt"/>
    public int[] PositionOfSlot => positionOfSlot ??= new int[nodes];

    private double[]? block;
    private int[]? slotAt, positionOfSlot;

    /// <summary>Slots of layer <paramref name="s"/> by first appearance; returns how many.</summary>
    public int Assign(int s, int[] community)
    {
        int m = nodes, k = 0;
        if (++currentStamp == int.MaxValue)
        {
            Array.Clear(stamp);
            currentStamp = 1;
        }
        for (int i = 0; i < m; i++)
        {
            int c = community[s * m + i];
            if (stamp[c] != currentStamp)
            {
                stamp[c] = currentStamp;
                slotOfCommunity[c] = k;
                SlotCommunity[s * m + k] = c;
                SlotSize[s * m + k] = 0;
                k++;
            }
            int slot = slotOfCommunity[c];
            SlotOf[s * m + i] = slot;
            SlotSize[s * m + slot]++;
        }
        SlotCount[s] = k;
        return k;
    }

    /// <summary>
    /// The data of layer <paramref name="s"/> for its assigned slots, from scratch: per slot, sums over its members in
    /// increasing order.
    /// </summary>
    public void Rebuild(int s, double[] blocks)
    {
        int m = nodes, k = SlotCount[s], layerBase = s * m;
        ref int slotOf = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(SlotOf), layerBase);
        for (int i = 0; i < m; i++)
        {
            int v = layerBase + i;
            ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)v * m);
            ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Sum), (nint)v * m);
            Sum.AsSpan(v * m, k).Clear();
            for (int j = 0; j < m; j++) Unsafe.Add(ref sum, Unsafe.Add(ref slotOf, j)) += Unsafe.Add(ref row, j);
        }
    }

    /// <summary>
    /// Node v joins community <paramref name="to"/>: it changes slot (the slots always list the layer's communities) and
    /// its column leaves one slot of every node of the layer and enters another.
    /// </summary>
    public void Move(int v, int to, double[] blocks)
    {
        int m = nodes, s = v / m, layerBase = s * m;
        int from = SlotOf[v];
        int k = SlotCount[s];
        int target = -1;
        for (int slot = 0; slot < k; slot++)
            if (SlotCommunity[layerBase + slot] == to)
            {
                target = slot;
                break;
            }
        if (target < 0 && SlotSize[layerBase + from] == 1)
        {
            // a node alone in its slot moving to a community absent from the layer: same members, new name
            SlotCommunity[layerBase + from] = to;
            return;
        }
        if (target < 0)
        {
            // here some slot holds two nodes, so fewer than M slots are in use
            target = k;
            SlotCount[s] = k + 1;
            SlotCommunity[layerBase + target] = to;
            SlotSize[layerBase + target] = 0;
            for (int i = 0; i < m; i++)
            {
                Sum[(layerBase + i) * m + target] = 0;
            }
        }
        MoveData(v, from, target, blocks);
        SlotOf[v] = target;
        SlotSize[layerBase + target]++;
        if (--SlotSize[layerBase + from] == 0) Release(s, from);
    }

    private void MoveData(int v, int from, int target, double[] blocks)
    {
        int m = nodes, layerBase = v / m * m;
        // B_s is symmetric: column v is row v
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)v * m);
        ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Sum), (nint)layerBase * m);
        for (int i = 0; i < m; i++)
        {
            double x = Unsafe.Add(ref row, i);
            nint node = (nint)i * m;
            Unsafe.Add(ref sum, node + from) -= x;
            Unsafe.Add(ref sum, node + target) += x;
        }
    }

    /// <summary>An emptied slot takes the last slot's place, keeping slots 0..k−1 contiguous.</summary>
    private void Release(int s, int slot)
    {
        int m = nodes, layerBase = s * m, last = --SlotCount[s];
        if (slot == last) return;
        SlotCommunity[layerBase + slot] = SlotCommunity[layerBase + last];
        SlotSize[layerBase + slot] = SlotSize[layerBase + last];
        for (int i = 0; i < m; i++)
        {
            if (SlotOf[layerBase + i] == last) SlotOf[layerBase + i] = slot;
            int node = (layerBase + i) * m;
            Sum[node + slot] = Sum[node + last];
        }
    }
}
