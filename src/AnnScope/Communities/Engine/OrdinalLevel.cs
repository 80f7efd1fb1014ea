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
/// sums in place (no pass over the node's row, no copy; the couplings are corrections), and a move updates two slots of
/// each node of its layer. The cache is built once per phase 1 and kept current by the moves, so aggregation reads it too.
/// </para>
/// <para>
/// A node that stays is skipped until the moves in its layer could have lifted a gain to the threshold (see
/// <see cref="Room"/>), which in the slow merging sweeps of a multilayer run is most of its layer.
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
        cache.SetSlack(blocks, omega);
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
        int k = cache.SlotCount[cache.LayerOf(node)];
        fixed (double* sum = &cache.Sum[node * nodes])
            for (int offset = 0; offset < k; offset += 8) Sse.Prefetch0(sum + offset);
    }

    /// <summary>
    /// The node's slot sums, read in place, and the couplings to its copies as corrections. Only a community holding some
    /// B_vj &gt; 0 is a candidate, which a positive sum proves. A community whose sum is ≤ 0 can gain Σ − stay &gt; 1e-10
    /// only when stay &lt; 0: then (rarely) the row says which communities hold a positive entry; otherwise every community
    /// may be listed, as those with Σ ≤ 0 cannot gain.
    /// </summary>
    public CandidateList Candidates(int node, int[] community, LouvainWorkspace ws)
    {
        int s = cache.LayerOf(node), m = nodes, layerBase = s * m;
        int k = cache.SlotCount[s];
        int ownIndex = cache.SlotOf[node];
        double self = diagonal[node];
        ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.Sum), (nint)node * m);
        ref long positive = ref Unsafe.NullRef<long>();
        if (Unsafe.Add(ref sum, ownIndex) - self < 0)
        {
            PositiveBySlot(node, layerBase, k, ws.CandidatePositive);
            positive = ref MemoryMarshal.GetArrayDataReference(ws.CandidatePositive);
        }
        var list = new CandidateList(ref sum, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.SlotCommunity), layerBase),
            ref positive, k, ownIndex, self);
        if (omega > 0)
        {
            if (s > 0) list.Couple(community[node - m], omega);
            if (s + 1 < layers) list.Couple(community[node + m], omega);
        }
        return list;
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

    /// <summary>
    /// A node stays until some move could have lifted one of its gains to the threshold. The cache's sums carry the
    /// rounding of every move since they were built, but a gain changes between two visits only by the moves in between:
    /// each adds its weight B_vu to at most two sums and to the stay (at most 2|B_vu| to a gain, see
    /// <see cref="Moved"/>) plus the rounding of two updates, bounded by the node's <see cref="LayerCache.Slack"/>. The
    /// room is what is left below the threshold of the largest gain any community could offer — a candidate's, or
    /// 0 − stay for one without a positive entry or absent from the layer — after the rounding of this visit and the
    /// next, shrunk by 2⁻²⁰ so that the rounding of the room's own updates cannot matter.
    /// </summary>
    public double Room(int node, double bestGain, double stay, bool mustRevisit)
    {
        if (mustRevisit) return 0;
        double reach = Math.Max(bestGain, -stay);
        return (LouvainEngine.GainThreshold - reach - 2 * cache.Slack[node]) * (1 - 9.5367431640625e-7);
    }

    /// <summary>
    /// The move updates the layer's cache and takes 2|B_vu| plus the rounding slack from the room of every node v of the
    /// layer; the node itself and its copies in the layers either side (whose couplings changed) are visited again.
    /// </summary>
    public void Moved(int node, int from, int to, int[] community, double[] room)
    {
        cache.Move(node, to, blocks, room);
        room[node] = 0;
        if (omega > 0)
        {
            int s = cache.LayerOf(node);
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

    /// <summary>⌈2⁶⁴ / M⌉: node / M is the high half of its product with node (Lemire's division by a constant).</summary>
    private readonly ulong layerDivider;

    /// <summary>Node v's slot s: Sum[v·M + s] = Σ_{j ∈ slot} B_s(v, j).</summary>
    public readonly double[] Sum;
    public readonly int[] SlotCommunity, SlotSize, SlotOf, SlotCount;

    /// <summary>
    /// Node v's bound on the rounding one move adds to its gains: 4ε (Σ_j |B_s(v, j)| + 2ω), twice the worst case of
    /// the two updated sums, each at most Σ_j |B_s(v, j)| + 2ω in size.
    /// </summary>
    public readonly double[] Slack;
    private readonly int[] slotOfCommunity, stamp;
    private int currentStamp;

    public LayerCache(int layers, int nodes)
    {
        this.layers = layers;
        this.nodes = nodes;
        layerDivider = nodes > 1 ? ulong.MaxValue / (ulong)nodes + 1 : 0;
        SlotCommunity = new int[layers * nodes];
        SlotSize = new int[layers * nodes];
        SlotOf = new int[layers * nodes];
        SlotCount = new int[layers];
        Sum = new double[layers * nodes * nodes];
        Slack = new double[layers * nodes];
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

    /// <summary>The layer of a node, node / M, without a division instruction on the visit's path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LayerOf(int node) => layerDivider == 0 ? node : (int)Math.BigMul(layerDivider, (ulong)(uint)node, out _);

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
        int m = nodes, k = SlotCount[s], layerBase = s * m, i = 0;
        if (k < m && Vector256.IsHardwareAccelerated)
            for (; i + ColumnBlock <= m; i += ColumnBlock) RebuildColumns(s, i, k, blocks);
        for (; i < m; i++) RebuildRow(layerBase, i, k, blocks);
    }

    /// <summary>Every node's <see cref="Slack"/> for the problem of <paramref name="blocks"/> and <paramref name="omega"/>.</summary>
    public void SetSlack(double[] blocks, double omega)
    {
        int m = nodes;
        for (int v = 0; v < layers * m; v++)
            Slack[v] = 4 * Epsilon * (AbsoluteSum(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)v * m), m) + 2 * omega);
    }

    /// <summary>Nodes whose sums <see cref="RebuildColumns"/> builds together: four vectors of four.</summary>
    private const int ColumnBlock = 16;

    /// <summary>
    /// The slot sums of nodes i0..i0+15 at once. B_s is symmetric, so node i's sum over a slot is the slot's rows of column
    /// i, added in increasing row order as <see cref="RebuildRow"/> adds them: the same bits. Row by row, consecutive
    /// entries of one slot form a chain of dependent additions through memory; a row of the layer adds to sixteen nodes
    /// at once, in four independent vectors.
    /// </summary>
    private void RebuildColumns(int s, int i0, int k, double[] blocks)
    {
        int m = nodes, layerBase = s * m;
        var scratch = columnScratch ??= new double[nodes * ColumnBlock];
        scratch.AsSpan(0, k * ColumnBlock).Clear();
        ref double acc = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref int slotOf = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(SlotOf), layerBase);
        ref double column = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)layerBase * m + i0);
        for (int j = 0; j < m; j++)
        {
            ref double a = ref Unsafe.Add(ref acc, (nint)Unsafe.Add(ref slotOf, j) * ColumnBlock);
            ref double b = ref Unsafe.Add(ref column, (nint)j * m);
            (Vector256.LoadUnsafe(ref a, 0) + Vector256.LoadUnsafe(ref b, 0)).StoreUnsafe(ref a, 0);
            (Vector256.LoadUnsafe(ref a, 4) + Vector256.LoadUnsafe(ref b, 4)).StoreUnsafe(ref a, 4);
            (Vector256.LoadUnsafe(ref a, 8) + Vector256.LoadUnsafe(ref b, 8)).StoreUnsafe(ref a, 8);
            (Vector256.LoadUnsafe(ref a, 12) + Vector256.LoadUnsafe(ref b, 12)).StoreUnsafe(ref a, 12);
        }
        for (int r = 0; r < ColumnBlock; r++)
        {
            ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Sum), (nint)(layerBase + i0 + r) * m);
            for (int g = 0; g < k; g++) Unsafe.Add(ref sum, g) = Unsafe.Add(ref acc, g * ColumnBlock + r);
        }
    }

    private double[]? columnScratch;

    /// <summary>The slot sums of node i of the layer starting at node <paramref name="layerBase"/>, from its row.</summary>
    private void RebuildRow(int layerBase, int i, int k, double[] blocks)
    {
        int m = nodes, v = layerBase + i;
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)v * m);
        ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Sum), (nint)v * m);
        if (k == m)
        {
            // every node alone (the usual start): slot j is node j, and its sum is 0 + B_s(v, j)
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j + Vector256<double>.Count <= m; j += Vector256<double>.Count)
                    (Vector256<double>.Zero + Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref sum, (nuint)j);
            for (; j < m; j++) Unsafe.Add(ref sum, j) = 0.0 + Unsafe.Add(ref row, j);
            return;
        }
        ref int slotOf = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(SlotOf), layerBase);
        Sum.AsSpan(v * m, k).Clear();
        for (int j = 0; j < m; j++) Unsafe.Add(ref sum, Unsafe.Add(ref slotOf, j)) += Unsafe.Add(ref row, j);
    }

    private const double Epsilon = 2.220446049250313e-16;

    private static double AbsoluteSum(ref double row, int m)
    {
        int j = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && m >= Vector256<double>.Count)
        {
            var acc = Vector256<double>.Zero;
            for (; j + Vector256<double>.Count <= m; j += Vector256<double>.Count) acc += Vector256.Abs(Vector256.LoadUnsafe(ref row, (nuint)j));
            total = Vector256.Sum(acc);
        }
        for (; j < m; j++) total += Math.Abs(Unsafe.Add(ref row, j));
        return total;
    }

    /// <summary>
    /// Node v joins community <paramref name="to"/>: it changes slot (the slots always list the layer's communities) and
    /// its column leaves one slot of every node i of the layer and enters another, taking 2|B_vi| + Slack[i] from i's
    /// <paramref name="room"/> on the way. A slot it empties takes the last slot's place, keeping slots 0..k−1 contiguous.
    /// </summary>
    public void Move(int v, int to, double[] blocks, double[] room)
    {
        int m = nodes, s = LayerOf(v), layerBase = s * m;
        int from = SlotOf[v];
        int k = SlotCount[s];
        int target = SlotCommunity.AsSpan(layerBase, k).IndexOf(to);
        bool alone = SlotSize[layerBase + from] == 1;
        // B_s is symmetric: column v is row v
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)v * m);
        ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Sum), (nint)layerBase * m);
        ref double slack = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Slack), layerBase);
        ref double r = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(room), layerBase);
        if (target < 0)
        {
            if (alone)
            {
                // a node alone in its slot moving to a community absent from the layer: same members, new name — which
                // can merge the slot with a neighbour's coupling, so the rooms are spent all the same
                SlotCommunity[layerBase + from] = to;
                Spend(ref row, ref slack, ref r, m);
                return;
            }
            // here some slot holds two nodes, so fewer than M slots are in use: the new slot's sums start at 0
            target = k;
            SlotCount[s] = k + 1;
            SlotCommunity[layerBase + target] = to;
            SlotSize[layerBase + target] = 1;
            SlotSize[layerBase + from]--;
            SlotOf[v] = target;
            for (int i = 0; i < m; i++)
            {
                double x = Unsafe.Add(ref row, i);
                nint node = (nint)i * m;
                Unsafe.Add(ref sum, node + from) -= x;
                Unsafe.Add(ref sum, node + target) = 0.0 + x;
                Unsafe.Add(ref r, i) -= 2 * Math.Abs(x) + Unsafe.Add(ref slack, i);
            }
            return;
        }
        SlotOf[v] = target;
        SlotSize[layerBase + target]++;
        if (!alone)
        {
            SlotSize[layerBase + from]--;
            for (int i = 0; i < m; i++)
            {
                double x = Unsafe.Add(ref row, i);
                nint node = (nint)i * m;
                Unsafe.Add(ref sum, node + from) -= x;
                Unsafe.Add(ref sum, node + target) += x;
                Unsafe.Add(ref r, i) -= 2 * Math.Abs(x) + Unsafe.Add(ref slack, i);
            }
            return;
        }
        // the emptied slot's sums are dropped, not updated
        int last = SlotCount[s] = k - 1;
        if (from == last)
        {
            for (int i = 0; i < m; i++)
            {
                double x = Unsafe.Add(ref row, i);
                Unsafe.Add(ref sum, (nint)i * m + target) += x;
                Unsafe.Add(ref r, i) -= 2 * Math.Abs(x) + Unsafe.Add(ref slack, i);
            }
            return;
        }
        SlotCommunity[layerBase + from] = SlotCommunity[layerBase + last];
        SlotSize[layerBase + from] = SlotSize[layerBase + last];
        ref int slotOf = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(SlotOf), layerBase);
        for (int i = 0; i < m; i++)
        {
            double x = Unsafe.Add(ref row, i);
            nint node = (nint)i * m;
            Unsafe.Add(ref sum, node + target) += x;
            Unsafe.Add(ref sum, node + from) = Unsafe.Add(ref sum, node + last);
            Unsafe.Add(ref r, i) -= 2 * Math.Abs(x) + Unsafe.Add(ref slack, i);
            ref int slot = ref Unsafe.Add(ref slotOf, i);
            if (slot == last) slot = from;
        }
    }

    /// <summary>Takes 2|B_vi| + Slack[i] from each node i's room, B_v the moved node's row.</summary>
    private static void Spend(ref double row, ref double slack, ref double room, int m)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<double>.Count <= m; i += Vector256<double>.Count)
            {
                var x = Vector256.Abs(Vector256.LoadUnsafe(ref row, (nuint)i));
                (Vector256.LoadUnsafe(ref room, (nuint)i) - (x + x + Vector256.LoadUnsafe(ref slack, (nuint)i))).StoreUnsafe(ref room, (nuint)i);
            }
        for (; i < m; i++) Unsafe.Add(ref room, i) -= 2 * Math.Abs(Unsafe.Add(ref row, i)) + Unsafe.Add(ref slack, i);
    }
}
