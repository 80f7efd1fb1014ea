using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// The first level of every problem: L dense symmetric layer blocks of M nodes (node v = s·M + i) plus, when ω &gt; 0, the
/// ordinal couplings (i, s) — (i, s ± 1); a single layer is L = 1. The (LM)² supra-matrix is never formed.
/// <para>
/// A visit scans the node's row of its layer block (O(M)). Once the layers hold few communities — after the first sweeps
/// from singletons, or when polishing a converged partition — phase 1 reads community sums from a per-layer cache
/// instead: the k communities present in a layer occupy slots 0..k−1, and node v keeps, side by side for each slot,
/// Σ_{j ∈ slot} B_s(i, j) and #{j ∈ slot : B_s(i, j) &gt; 0}. A visit then reads 2k contiguous numbers, and a move updates
/// two slots of each node of its layer.
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

    /// <summary>A cached visit costs O(k) but a move O(M) more than a scan's: worth it for k ≤ M/2.</summary>
    private const int CacheFactor = 2;

    /// <summary>Phase 1 starts from a new assignment: the slots are recounted and the cache data are stale.</summary>
    public void Prepare(int[] community)
    {
        cache.Enabled = false;
        for (int s = 0; s < layers; s++) cache.Assign(s, community);
    }

    /// <summary>
    /// Switches to the cache once the layers hold few communities — typically after the first sweeps from singletons
    /// have merged most nodes.
    /// </summary>
    public void BeginSweep(int[] community)
    {
        if (cache.Enabled) return;
        long slots = 0;
        for (int s = 0; s < layers; s++) slots += cache.SlotCount[s];
        if (slots * CacheFactor > (long)layers * nodes) return;
        cache.Enabled = true;
        cache.EnsureStorage();
        for (int s = 0; s < layers; s++) cache.Rebuild(s, blocks);
    }

    public int Candidates(int node, int[] community, LouvainWorkspace ws, out int ownIndex, out double self)
    {
        int s = node / nodes, m = nodes, layerBase = s * m;
        int k = cache.SlotCount[s];
        var candidateCommunity = ws.CandidateCommunity;
        var candidateSum = ws.CandidateSum;
        var candidatePositive = ws.CandidatePositive;
        cache.SlotCommunity.AsSpan(layerBase, k).CopyTo(candidateCommunity);
        if (cache.Enabled)
        {
            ref double slots = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.Data), (nint)node * m * 2);
            for (int slot = 0; slot < k; slot++)
            {
                candidateSum[slot] = Unsafe.Add(ref slots, 2 * slot);
                candidatePositive[slot] = Unsafe.Add(ref slots, 2 * slot + 1) > 0;
            }
        }
        else SumBySlot(node, layerBase, k, candidateSum, candidatePositive);
        int count = k;
        if (omega > 0)
        {
            if (s > 0) count = AddCoupling(community[node - m], count, ws);
            if (s + 1 < layers) count = AddCoupling(community[node + m], count, ws);
        }
        ownIndex = cache.SlotOf[node];
        self = diagonal[node];
        return count;
    }

    /// <summary>
    /// Scans the node's row of its layer block into per-slot sums: the slots of a layer are few and contiguous, so the
    /// sums stay in L1. Two banks (even and odd j) halve the add chains when consecutive nodes share a slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SumBySlot(int node, int layerBase, int k, double[] candidateSum, bool[] candidatePositive)
    {
        int m = nodes;
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)node * m);
        ref int slotOf = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.SlotOf), layerBase);
        ref double even = ref MemoryMarshal.GetArrayDataReference(cache.BankSum);
        ref double odd = ref Unsafe.Add(ref even, m);
        ref bool evenPositive = ref MemoryMarshal.GetArrayDataReference(cache.BankPositive);
        ref bool oddPositive = ref Unsafe.Add(ref evenPositive, m);
        int j = 0;
        for (; j + 1 < m; j += 2)
        {
            int a = Unsafe.Add(ref slotOf, j), b = Unsafe.Add(ref slotOf, j + 1);
            double x = Unsafe.Add(ref row, j), y = Unsafe.Add(ref row, j + 1);
            Unsafe.Add(ref even, a) += x;
            Unsafe.Add(ref evenPositive, a) |= x > 0;
            Unsafe.Add(ref odd, b) += y;
            Unsafe.Add(ref oddPositive, b) |= y > 0;
        }
        if (j < m)
        {
            int a = Unsafe.Add(ref slotOf, j);
            double x = Unsafe.Add(ref row, j);
            Unsafe.Add(ref even, a) += x;
            Unsafe.Add(ref evenPositive, a) |= x > 0;
        }
        // hand the sums over and leave the banks zero for the next visit
        for (int slot = 0; slot < k; slot++)
        {
            candidateSum[slot] = Unsafe.Add(ref even, slot) + Unsafe.Add(ref odd, slot);
            candidatePositive[slot] = Unsafe.Add(ref evenPositive, slot) | Unsafe.Add(ref oddPositive, slot);
            Unsafe.Add(ref even, slot) = 0;
            Unsafe.Add(ref odd, slot) = 0;
            Unsafe.Add(ref evenPositive, slot) = false;
            Unsafe.Add(ref oddPositive, slot) = false;
        }
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
        ws.CandidatePositive[index] = true;
        return count;
    }

    /// <summary>
    /// The row of B by (global) community, for aggregation: layer block row and couplings. The communities of the layer
    /// are known (its slots), so the row is added without per-entry bookkeeping and the slots are registered afterwards.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Scan(int node, int[] community, ref CommunitySums sums)
    {
        int s = node / nodes, start = s * nodes;
        ref double row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blocks), (nint)node * nodes);
        ref int c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(community), start);
        for (int j = 0; j < nodes; j++) sums.AddUnregistered(Unsafe.Add(ref c, j), Unsafe.Add(ref row, j));
        ref int slotCommunity = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.SlotCommunity), start);
        for (int slot = 0, k = cache.SlotCount[s]; slot < k; slot++) sums.Register(Unsafe.Add(ref slotCommunity, slot));
        if (omega > 0)
        {
            if (s > 0) sums.Add(community[node - nodes], omega);
            if (s + 1 < layers) sums.Add(community[node + nodes], omega);
        }
        return diagonal[node];
    }

    public void Moved(int node, int from, int to, int[] community) => cache.Move(node, to, blocks);

    public AggregateLevel Aggregate(int[] community, int groups, LouvainWorkspace ws)
    {
        long slots = 0;
        for (int s = 0; s < layers; s++) slots += cache.Assign(s, community);
        if (slots * CacheFactor <= (long)layers * nodes) return AggregateFromCache(community, groups, ws);
        var builder = new AggregateBuilder(groups, Entries);
        var (start, members) = AggregateLevel.Members(community, Count, groups);
        for (int g = 0; g < groups; g++)
        {
            var sums = ws.Begin();
            for (int k = start[g]; k < start[g + 1]; k++) Scan(members[k], community, ref sums);
            builder.AddRow(g, ref sums);
            sums.Clear();
        }
        return builder.Build();
    }

    /// <summary>
    /// Few communities per layer: each layer contributes a k × k block of community sums, read off a freshly rebuilt
    /// cache (exact, whatever ± updates it absorbed before).
    /// </summary>
    private AggregateLevel AggregateFromCache(int[] community, int groups, LouvainWorkspace ws)
    {
        Prepare(community);
        BeginSweep(community);
        if (!cache.Enabled) throw new InvalidOperationException("the layer cache must be in use for a cache-based aggregation");
        int m = nodes;
        var builder = new TripletBuilder(groups, ws);
        var block = new double[m * m];
        for (int s = 0; s < layers; s++)
        {
            int k = cache.SlotCount[s];
            // block (a, b) of layer s = Σ_{i ∈ a} Σ_{j ∈ b} B_s(i, j) = Σ_{i ∈ a} (slot b of node i)
            Array.Clear(block, 0, k * k);
            for (int i = 0; i < m; i++)
            {
                int a = cache.SlotOf[s * m + i];
                var slots = cache.Data.AsSpan((s * m + i) * m * 2, 2 * k);
                for (int b = 0; b < k; b++) block[a * k + b] += slots[2 * b];
            }
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    builder.Add(cache.SlotCommunity[s * m + a], cache.SlotCommunity[s * m + b], block[a * k + b]);
        }
        if (omega > 0)
            for (int v = 0; v + m < Count; v++)
            {
                builder.Add(community[v], community[v + m], omega);
                builder.Add(community[v + m], community[v], omega);
            }
        return builder.Build();
    }

    public double SelfWeight(int node) => diagonal[node];
}

/// <summary>
/// The per-layer slot cache of <see cref="OrdinalLevel"/>. Its data take twice the memory of B, so each thread keeps one
/// for the problem size it last saw (runs on one thread are sequential) only while that is small, and allocates the data
/// only once they are used.
/// </summary>
internal sealed class LayerCache
{
    [ThreadStatic] private static LayerCache? current;
    private readonly int layers, nodes;

    /// <summary>Node v's slot s: Data[(v·M + s)·2] = community sum, Data[(v·M + s)·2 + 1] = count of positive entries.</summary>
    public double[] Data = [];
    public readonly int[] SlotCommunity, SlotSize, SlotOf, SlotCount;

    /// <summary>Two banks of per-slot sums for a scanned row (kept zero between visits).</summary>
    public readonly double[] BankSum;
    public readonly bool[] BankPositive;
    private readonly int[] slotOfCommunity, stamp, members, memberStart;
    private int currentStamp;

    public LayerCache(int layers, int nodes)
    {
        this.layers = layers;
        this.nodes = nodes;
        SlotCommunity = new int[layers * nodes];
        SlotSize = new int[layers * nodes];
        SlotOf = new int[layers * nodes];
        SlotCount = new int[layers];
        BankSum = new double[2 * nodes];
        BankPositive = new bool[2 * nodes];
        slotOfCommunity = new int[layers * nodes];
        stamp = new int[layers * nodes];
        members = new int[nodes];
        memberStart = new int[nodes + 1];
    }

    /// <summary>
    /// The largest cache (its data, in doubles: 8 MiB) a thread keeps between runs. A larger problem's cache belongs to
    /// its run alone and goes with it, so a thread never holds 2·L·M² doubles of a problem it finished long ago.
    /// </summary>
    public const long RetainedDataLimit = 1L << 20;

    /// <summary>
    /// A cache for <paramref name="layers"/> × <paramref name="nodes"/>: this thread's, reused from its last run when the
    /// size matches and small enough to keep (<see cref="RetainedDataLimit"/>), else a new one for this run only.
    /// </summary>
    public static LayerCache ForThread(int layers, int nodes)
    {
        var cache = current;
        if (cache is null || cache.layers != layers || cache.nodes != nodes)
        {
            cache = new LayerCache(layers, nodes);
            current = 2L * layers * nodes * nodes <= RetainedDataLimit ? cache : null;
        }
        cache.Enabled = false;
        return cache;
    }

    public void EnsureStorage()
    {
        if (Data.Length == 0) Data = new double[2L * layers * nodes * nodes];
    }

    /// <summary>Whether phase 1 reads this cache (set by <see cref="OrdinalLevel.BeginSweep"/>).</summary>
    public bool Enabled;

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

    /// <summary>The data of layer <paramref name="s"/> for its assigned slots, from scratch: per slot, sums over its members.</summary>
    public void Rebuild(int s, double[] blocks)
    {
        int m = nodes, k = SlotCount[s];
        memberStart.AsSpan(0, k + 1).Clear();
        for (int i = 0; i < m; i++) memberStart[SlotOf[s * m + i] + 1]++;
        for (int a = 0; a < k; a++) memberStart[a + 1] += memberStart[a];
        Span<int> fill = k <= 256 ? stackalloc int[k] : new int[k];
        memberStart.AsSpan(0, k).CopyTo(fill);
        for (int i = 0; i < m; i++) members[fill[SlotOf[s * m + i]]++] = i;
        for (int i = 0; i < m; i++)
        {
            var row = blocks.AsSpan((s * m + i) * m, m);
            var slots = Data.AsSpan((s * m + i) * m * 2, 2 * k);
            for (int a = 0; a < k; a++)
            {
                double sum = 0, positive = 0;
                for (int t = memberStart[a]; t < memberStart[a + 1]; t++)
                {
                    double x = row[members[t]];
                    sum += x;
                    positive += x > 0 ? 1 : 0;
                }
                slots[2 * a] = sum;
                slots[2 * a + 1] = positive;
            }
        }
    }

    /// <summary>
    /// Node v joins community <paramref name="to"/>: it changes slot (the slots always list the layer's communities) and,
    /// with the data in use, its column leaves one slot of every node of the layer and enters another.
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
            if (Enabled)
                for (int i = 0; i < m; i++)
                {
                    Data[((layerBase + i) * m + target) * 2] = 0;
                    Data[((layerBase + i) * m + target) * 2 + 1] = 0;
                }
        }
        if (Enabled) MoveData(v, from, target, blocks);
        SlotOf[v] = target;
        SlotSize[layerBase + target]++;
        if (--SlotSize[layerBase + from] == 0) Release(s, from);
    }

    private void MoveData(int v, int from, int target, double[] blocks)
    {
        int m = nodes, layerBase = v / m * m;
        // B_s is symmetric: column v is row v
        var row = blocks.AsSpan(v * m, m);
        ref double data = ref MemoryMarshal.GetArrayDataReference(Data);
        for (int i = 0; i < m; i++)
        {
            double x = row[i], positive = x > 0 ? 1 : 0;
            ref double node = ref Unsafe.Add(ref data, (nint)(layerBase + i) * m * 2);
            Unsafe.Add(ref node, 2 * from) -= x;
            Unsafe.Add(ref node, 2 * from + 1) -= positive;
            Unsafe.Add(ref node, 2 * target) += x;
            Unsafe.Add(ref node, 2 * target + 1) += positive;
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
            if (!Enabled) continue;
            int node = (layerBase + i) * m * 2;
            Data[node + 2 * slot] = Data[node + 2 * last];
            Data[node + 2 * slot + 1] = Data[node + 2 * last + 1];
        }
    }
}
