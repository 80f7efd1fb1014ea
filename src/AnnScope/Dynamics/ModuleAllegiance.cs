namespace AnnScope.Dynamics;

/// <summary>
/// Module allegiance P(i, j): the fraction of layers — pooled over every partition given, e.g. over runs — in which nodes
/// i and j share a label (Bassett et al. 2015); diagonal 1. For single-layer partitions this is the co-assignment matrix.
/// </summary>
public sealed class ModuleAllegiance
{
    private readonly long[] together;
    private long layers;

    /// <summary>An empty accumulator for partitions of <paramref name="nodes"/> nodes.</summary>
    public ModuleAllegiance(int nodes)
    {
        if (nodes <= 0) throw new ArgumentException($"allegiance needs at least one node, got {nodes}");
        Nodes = nodes;
        together = new long[(long)nodes * nodes];
    }

    /// <summary>Nodes.</summary>
    public int Nodes { get; }

    /// <summary>Layers pooled so far.</summary>
    public long LayersPooled => layers;

    /// <summary>Adds every layer of <paramref name="partition"/>.</summary>
    public void Add(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (partition.Nodes != Nodes) throw new ArgumentException($"the partition has {partition.Nodes} nodes, the allegiance {Nodes}");
        for (int s = 0; s < partition.Layers; s++) AddLayer(partition.Layer(s));
    }

    /// <summary>Adds one layer's labels.</summary>
    public void AddLayer(ReadOnlySpan<int> labels)
    {
        if (labels.Length != Nodes) throw new ArgumentException($"the layer has {labels.Length} labels, the allegiance {Nodes} nodes");
        int m = Nodes;
        for (int i = 0; i < m; i++)
        {
            int li = labels[i];
            var row = together.AsSpan(i * m, m);
            for (int j = 0; j < m; j++)
                if (labels[j] == li) row[j]++;
        }
        layers++;
    }

    /// <summary>P as a row-major M × M matrix (diagonal 1).</summary>
    public double[] ToMatrix()
    {
        if (layers == 0) throw new InvalidOperationException("no partition was added to the allegiance");
        var p = new double[together.Length];
        for (int k = 0; k < p.Length; k++) p[k] = (double)together[k] / layers;
        return p;
    }

    /// <summary>P of <paramref name="partitions"/> pooled (all with the same nodes).</summary>
    public static double[] Of(IEnumerable<MultilayerPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ModuleAllegiance? allegiance = null;
        foreach (var p in partitions)
        {
            allegiance ??= new ModuleAllegiance(p.Nodes);
            allegiance.Add(p);
        }
        return (allegiance ?? throw new ArgumentException("allegiance needs at least one partition")).ToMatrix();
    }

    /// <inheritdoc cref="Of(IEnumerable{MultilayerPartition})"/>
    public static double[] Of(params MultilayerPartition[] partitions) => Of((IEnumerable<MultilayerPartition>)partitions);
}
