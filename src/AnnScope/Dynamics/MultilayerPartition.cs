namespace AnnScope.Dynamics;

/// <summary>
/// A partition S of M nodes in each of L ordered layers (science.md §6): S(i, s) = Labels[s·M + i], labels shared across
/// layers (equal labels in two layers mean the same community). A single-layer partition is the case L = 1.
/// </summary>
public sealed class MultilayerPartition
{
    private readonly int[] labels;

    /// <summary>Copies <paramref name="labels"/> (layers × nodes, any integers).</summary>
    public MultilayerPartition(ReadOnlySpan<int> labels, int layers, int nodes)
    {
        if (layers <= 0 || nodes <= 0) throw new ArgumentException($"a partition needs at least one layer and one node, got {layers} × {nodes}");
        if (labels.Length != (long)layers * nodes)
            throw new ArgumentException($"the partition must hold layers × nodes = {(long)layers * nodes} labels, got {labels.Length}");
        this.labels = labels.ToArray();
        Layers = layers;
        Nodes = nodes;
    }

    /// <summary>
    /// A partition given as nodes × layers, row-major: S(i, s) = <paramref name="s"/>[i·L + s] (rows nodes, columns
    /// layers; the NCT and GenLouvain layout).
    /// </summary>
    public static MultilayerPartition FromNodesByLayers(ReadOnlySpan<int> s, int nodes, int layers)
    {
        if (layers <= 0 || nodes <= 0) throw new ArgumentException($"a partition needs at least one layer and one node, got {layers} × {nodes}");
        if (s.Length != (long)layers * nodes)
            throw new ArgumentException($"the partition must hold nodes × layers = {(long)layers * nodes} labels, got {s.Length}");
        var labels = new int[layers * nodes];
        for (int i = 0; i < nodes; i++)
            for (int t = 0; t < layers; t++) labels[t * nodes + i] = s[i * layers + t];
        return new MultilayerPartition(labels, layers, nodes);
    }

    /// <summary>Number of layers L.</summary>
    public int Layers { get; }

    /// <summary>Nodes per layer M.</summary>
    public int Nodes { get; }

    /// <summary>All labels, layer by layer.</summary>
    public ReadOnlySpan<int> Labels => labels;

    /// <summary>S(node, layer).</summary>
    public int this[int node, int layer] => labels[layer * Nodes + node];

    /// <summary>Labels of one layer.</summary>
    public ReadOnlySpan<int> Layer(int layer) => labels.AsSpan(layer * Nodes, Nodes);

    /// <summary>Number of communities: distinct labels over all layers.</summary>
    public int Communities => new HashSet<int>(labels).Count;
}
