using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnScope.Communities.Engine;

/// <summary>
/// The first level of every problem: L dense symmetric layer blocks of M nodes (node v = s·M + i) plus, when ω &gt; 0, the
/// ordinal couplings (i, s) — (i, s ± 1); a single layer is L = 1. The (LM)² supra-matrix is never formed.
/// <para>
/// A visit scans the node's row of its layer block (O(M)). When the layers hold few communities — as when polishing a
/// converged partition — phase 1 instead reads community sums from a per-layer cache: the k communities present in a
/// layer occupy slots 0..k−1, Sums[s][slot][i] = Σ_{j ∈ slot} B_s(i, j) and Positives[s][slot][i] = #{j ∈ slot : B_s(i, j) &gt; 0},
/// so a visit costs O(k) and a move updates two slot rows with vector operations in O(M).
/// </para>
/// </summary>
internal readonly struct OrdinalLevel : ILevel
{
    private readonly double[] blocks;
    private readonly int layers, nodes;
    private readonly double omega;
    private readonly LayerCache cache;

    public OrdinalLevel(double[] blocks, int layers, int nodes, double omega)
    {
        this.blocks = blocks;
        this.layers = layers;
        this.nodes = nodes;
        this.omega = omega;
        cache = LayerCache.ForThread(layers, nodes);
    }

    public int Count => layers * nodes;

    public long Entries => (long)layers * nodes * nodes + 2L * nodes * Math.Max(layers - 1, 0);

    /// <summary>A cached visit reads k strided slots where a scan reads M contiguous entries: worth it for k ≤ M/4.</summary>
    private const int CacheFactor = 4;

    public void Prepare(int[] community)
    {
        long slots = 0;
        for (int s = 0; s < layers; s++) slots += cache.Assign(s, community);
        cache.Enabled = slots * CacheFactor <= (long)layers * nodes;
        if (!cache.Enabled) return;
        cache.EnsureStorage();
        for (int s = 0; s < layers; s++) cache.Rebuild(s, blocks);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int node, int[] community, ref CommunitySums sums)
    {
        if (!cache.Enabled) return Scan(node, community, ref sums);
        int s = node / nodes, i = node - s * nodes, m = nodes;
        int k = cache.SlotCount[s];
        ref int slotCommunity = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.SlotCommunity), s * m);
        ref double sum = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.Sums), (nint)s * m * m + i);
        ref double positive = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache.Positives), (nint)s * m * m + i);
        for (int slot = 0; slot < k; slot++)
            sums.Add(Unsafe.Add(ref slotCommunity, slot), Unsafe.Add(ref sum, slot * m), Unsafe.Add(ref positive, slot * m) > 0);
        if (omega > 0)
        {
            if (s > 0) sums.Add(community[node - m], omega);
            if (s + 1 < layers) sums.Add(community[node + m], omega);
        }
        return blocks[(long)node * m + i];
    }

    /// <summary>The row of B itself: layer block row and couplings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Scan(int node, int[] community, ref CommunitySums sums)
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

    public void Moved(int node, int from, int to, int[] community)
    {
        if (cache.Enabled) cache.Move(node, to, blocks);
    }

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
        if (!cache.Enabled) throw new InvalidOperationException("the layer cache must be in use for a cache-based aggregation");
        int m = nodes;
        var builder = new TripletBuilder(groups, ws);
        var slotGroup = new int[m];
        for (int s = 0; s < layers; s++)
        {
            int k = cache.SlotCount[s];
            for (int slot = 0; slot < k; slot++) slotGroup[slot] = cache.SlotCommunity[s * m + slot];
            // block (a, b) of layer s = Σ_{i ∈ b} Sums[s][a][i]
            for (int a = 0; a < k; a++)
            {
                var row = cache.Sums.AsSpan((s * m + a) * m, m);
                for (int b = 0; b < k; b++) cache.Block[b] = 0;
                for (int i = 0; i < m; i++) cache.Block[cache.SlotOf[s * m + i]] += row[i];
                for (int b = 0; b < k; b++) builder.Add(slotGroup[a], slotGroup[b], cache.Block[b]);
            }
        }
        if (omega > 0)
            for (int v = 0; v + m < Count; v++)
            {
                builder.Add(community[v], community[v + m], omega);
                builder.Add(community[v + m], community[v], omega);
            }
        return builder.Build();
    }

    public double SelfWeight(int node) => blocks[(long)node * nodes + node % nodes];
}

/// <summary>
/// The per-layer slot cache of <see cref="OrdinalLevel"/>. Its sums take as much memory as B, so each thread keeps one
/// for the problem size it last saw (runs on one thread are sequential) and allocates the sums only once they are used.
/// </summary>
internal sealed class LayerCache
{
    [ThreadStatic] private static LayerCache? current;
    private readonly int layers, nodes;
    public double[] Sums = [], Positives = [];
    public readonly int[] SlotCommunity, SlotSize, SlotOf, SlotCount;
    public readonly double[] Block;
    private readonly int[] slotOfCommunity;
    private readonly int[] stamp;
    private int currentStamp;

    public LayerCache(int layers, int nodes)
    {
        this.layers = layers;
        this.nodes = nodes;
        SlotCommunity = new int[layers * nodes];
        SlotSize = new int[layers * nodes];
        SlotOf = new int[layers * nodes];
        SlotCount = new int[layers];
        Block = new double[nodes];
        slotOfCommunity = new int[layers * nodes];
        stamp = new int[layers * nodes];
    }

    /// <summary>This thread's cache for <paramref name="layers"/> × <paramref name="nodes"/>, reused from its last run when the size matches.</summary>
    public static LayerCache ForThread(int layers, int nodes)
    {
        var cache = current;
        if (cache is null || cache.layers != layers || cache.nodes != nodes) current = cache = new LayerCache(layers, nodes);
        cache.Enabled = false;
        return cache;
    }

    public void EnsureStorage()
    {
        if (Sums.Length > 0) return;
        long size = (long)layers * nodes * nodes;
        Sums = new double[size];
        Positives = new double[size];
    }

    /// <summary>Whether phase 1 reads this cache (set by <see cref="OrdinalLevel.Prepare"/>).</summary>
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

    /// <summary>The sums of layer <paramref name="s"/> for its assigned slots, from scratch.</summary>
    public void Rebuild(int s, double[] blocks)
    {
        int m = nodes, k = SlotCount[s];
        var sums = Sums.AsSpan(s * m * m, k * m);
        var positives = Positives.AsSpan(s * m * m, k * m);
        sums.Clear();
        positives.Clear();
        for (int j = 0; j < m; j++)
        {
            int slot = SlotOf[s * m + j];
            // B_s is symmetric: row j is column j
            Accumulate(blocks.AsSpan((s * m + j) * m, m), sums.Slice(slot * m, m), positives.Slice(slot * m, m), +1);
        }
    }

    /// <summary>Node v joins community <paramref name="to"/>: its row leaves one slot and enters another.</summary>
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
            Sums.AsSpan((layerBase + target) * m, m).Clear();
            Positives.AsSpan((layerBase + target) * m, m).Clear();
        }
        var row = blocks.AsSpan(v * m, m);
        Accumulate(row, Sums.AsSpan((layerBase + from) * m, m), Positives.AsSpan((layerBase + from) * m, m), -1);
        Accumulate(row, Sums.AsSpan((layerBase + target) * m, m), Positives.AsSpan((layerBase + target) * m, m), +1);
        SlotOf[v] = target;
        SlotSize[layerBase + target]++;
        if (--SlotSize[layerBase + from] == 0) Release(s, from);
    }

    /// <summary>An emptied slot takes the last slot's place, keeping slots 0..k−1 contiguous.</summary>
    private void Release(int s, int slot)
    {
        int m = nodes, layerBase = s * m, last = --SlotCount[s];
        if (slot == last) return;
        SlotCommunity[layerBase + slot] = SlotCommunity[layerBase + last];
        SlotSize[layerBase + slot] = SlotSize[layerBase + last];
        Sums.AsSpan((layerBase + last) * m, m).CopyTo(Sums.AsSpan((layerBase + slot) * m, m));
        Positives.AsSpan((layerBase + last) * m, m).CopyTo(Positives.AsSpan((layerBase + slot) * m, m));
        for (int i = 0; i < m; i++)
            if (SlotOf[layerBase + i] == last) SlotOf[layerBase + i] = slot;
    }

    /// <summary>sums ± row and positives ± [row &gt; 0], vectorised.</summary>
    private static void Accumulate(ReadOnlySpan<double> row, Span<double> sums, Span<double> positives, int sign)
    {
        int n = row.Length, j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var s = new Vector<double>((double)sign);
            for (; j <= n - Vector<double>.Count; j += Vector<double>.Count)
            {
                var x = new Vector<double>(row[j..]);
                (new Vector<double>(sums[j..]) + s * x).CopyTo(sums[j..]);
                var isPositive = Vector.GreaterThan(x, Vector<double>.Zero);
                (new Vector<double>(positives[j..]) + Vector.ConditionalSelect(isPositive, s, Vector<double>.Zero)).CopyTo(positives[j..]);
            }
        }
        for (; j < n; j++)
        {
            sums[j] += sign * row[j];
            if (row[j] > 0) positives[j] += sign;
        }
    }
}
