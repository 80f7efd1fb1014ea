namespace AnnScope.Communities;

/// <summary>
/// The ordinal multilayer modularity problem of Mucha et al. (science.md §5): L layers of M nodes, node-layer
/// (i, s) ↦ i + s·M; the supra-matrix is block-diagonal in the layers' B_s plus coupling ω between (i, s) and
/// (i, s + 1); 2μ = Σ_s normaliser_s + 2ωM(L − 1). Only the L dense M × M blocks are stored — the (LM)² supra-matrix
/// is never formed.
/// </summary>
public sealed class MultilayerModularity
{
    internal readonly double[] Blocks;
    private readonly double[] layerNormalisers;

    private MultilayerModularity(double[] blocks, double[] normalisers, int layers, int nodes, double omega)
    {
        Blocks = blocks;
        layerNormalisers = normalisers;
        Layers = layers;
        Nodes = nodes;
        Omega = omega;
        double total = 0;
        foreach (var v in normalisers) total += v;
        TwoMu = total + 2.0 * omega * nodes * (layers - 1);
    }

    /// <summary>Number of layers L.</summary>
    public int Layers { get; }

    /// <summary>Nodes per layer M.</summary>
    public int Nodes { get; }

    /// <summary>Ordinal coupling ω between a node's copies in consecutive layers.</summary>
    public double Omega { get; }

    /// <summary>2μ, the normaliser of the multilayer quality (0 only when there is no weight and no coupling).</summary>
    public double TwoMu { get; }

    /// <summary>Number of node-layers L·M.</summary>
    public int NodeLayers => Layers * Nodes;

    /// <summary>Normaliser of layer <paramref name="layer"/> (its 2m⁺ + 2m⁻, 2m, or 1).</summary>
    public double LayerNormaliser(int layer) => layerNormalisers[layer];

    /// <summary>Intralayer entry B_s(i, j).</summary>
    public double this[int layer, int i, int j]
    {
        get
        {
            if ((uint)layer >= (uint)Layers || (uint)i >= (uint)Nodes || (uint)j >= (uint)Nodes)
                throw new ArgumentOutOfRangeException(nameof(layer), $"({layer}, {i}, {j}) is outside {Layers} layers of {Nodes} nodes");
            return Blocks[((long)layer * Nodes + i) * Nodes + j];
        }
    }

    /// <summary>
    /// The problem for windowed connectivity shaped (L, M, M), C order, each layer under <paramref name="objective"/>,
    /// coupled by <paramref name="omega"/> ≥ 0.
    /// </summary>
    public static MultilayerModularity FromConnectivity(ReadOnlySpan<double> layers, int layerCount, int nodes,
        LayerObjective objective, double omega) => Build(layers, layerCount, nodes, objective, omega);

    /// <inheritdoc cref="FromConnectivity(ReadOnlySpan{double}, int, int, LayerObjective, double)"/>
    public static MultilayerModularity FromConnectivity(ReadOnlySpan<float> layers, int layerCount, int nodes,
        LayerObjective objective, double omega) => Build(layers, layerCount, nodes, objective, omega);

    /// <summary>
    /// The problem from caller-supplied layer matrices (all with the same node count); each layer's normaliser enters 2μ.
    /// </summary>
    public static MultilayerModularity FromLayerMatrices(IReadOnlyList<ModularityMatrix> layers, double omega)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("a multilayer network needs at least one layer");
        CheckOmega(omega);
        int nodes = layers[0].Nodes;
        var blocks = new double[checked(layers.Count * nodes * nodes)];
        var normalisers = new double[layers.Count];
        for (int s = 0; s < layers.Count; s++)
        {
            if (layers[s].Nodes != nodes)
                throw new ArgumentException($"layer {s} has {layers[s].Nodes} nodes but layer 0 has {nodes}: every layer needs the same nodes");
            layers[s].Values.CopyTo(blocks, (long)s * nodes * nodes);
            normalisers[s] = layers[s].Normaliser;
        }
        return new MultilayerModularity(blocks, normalisers, layers.Count, nodes, omega);
    }

    /// <summary>
    /// Raw quality Σ B δ over ordered node-layer pairs of a partition given as labels[s·M + i] (layers × nodes),
    /// computed directly: Σ_s Σ_ij B_s(i,j) δ + 2ω Σ_s Σ_i δ(g(i,s), g(i,s+1)).
    /// </summary>
    public double RawQuality(ReadOnlySpan<int> labels)
    {
        if (labels.Length != NodeLayers)
            throw new ArgumentException($"the partition has {labels.Length} labels for {Layers} layers × {Nodes} nodes = {NodeLayers} node-layers");
        int m = Nodes;
        double intra = 0;
        for (int s = 0; s < Layers; s++)
        {
            var layer = labels.Slice(s * m, m);
            for (int i = 0; i < m; i++)
            {
                var row = Blocks.AsSpan((s * m + i) * m, m);
                for (int j = 0; j < m; j++)
                    if (layer[j] == layer[i]) intra += row[j];
            }
        }
        long persistent = 0;
        for (int s = 0; s + 1 < Layers; s++)
            for (int i = 0; i < m; i++)
                if (labels[s * m + i] == labels[(s + 1) * m + i]) persistent++;
        return intra + 2.0 * Omega * persistent;
    }

    /// <summary>Normalised quality Q = raw / 2μ; 0 when 2μ is 0.</summary>
    public double Quality(ReadOnlySpan<int> labels)
    {
        double raw = RawQuality(labels);
        return TwoMu > 0 ? raw / TwoMu : 0.0;
    }

    /// <summary>
    /// This thread's spare block array: the study builds a 5.8 MB problem per checkpoint and instance, and a fresh array
    /// each time cost ~1,400 page faults per problem.
    /// </summary>
    [ThreadStatic] private static double[]? spareBlocks;

    /// <summary>Largest block array (in doubles, 8 MiB) a thread keeps as its spare.</summary>
    internal const long RetainedBlocksLimit = 1L << 20;

    /// <summary>
    /// <see cref="FromConnectivity(ReadOnlySpan{float}, int, int, LayerObjective, double)"/> into this thread's spare
    /// block array, for a caller that drops the problem before it returns and then calls <see cref="ReturnBlocks"/>.
    /// </summary>
    internal static MultilayerModularity FromConnectivityReusingBlocks<T>(ReadOnlySpan<T> layers, int layerCount, int nodes,
        LayerObjective objective, double omega) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spare = spareBlocks;
        bool fits = spare is not null && spare.LongLength == (long)layerCount * nodes * nodes;
        if (fits) spareBlocks = null;
        return Build(layers, layerCount, nodes, objective, omega, fits ? spare : null);
    }

    /// <summary>Hands the blocks of a problem built by <see cref="FromConnectivityReusingBlocks"/> back to this thread.</summary>
    internal void ReturnBlocks()
    {
        if (Blocks.LongLength <= RetainedBlocksLimit) spareBlocks = Blocks;
    }

    private static MultilayerModularity Build<T>(ReadOnlySpan<T> layers, int layerCount, int nodes, LayerObjective objective,
        double omega, double[]? reuse = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(objective);
        objective.Validate();
        CheckOmega(omega);
        if (layerCount <= 0) throw new ArgumentException("a multilayer network needs at least one layer");
        if (nodes <= 0) throw new ArgumentException("the layers are empty: a graph needs at least one node");
        long perLayer = (long)nodes * nodes;
        if (layers.Length != perLayer * layerCount)
            throw new ArgumentException(
                $"windowed connectivity must be (L, M, M) = ({layerCount}, {nodes}, {nodes}): {perLayer * layerCount} values, got {layers.Length}");
        if (perLayer * layerCount > Array.MaxLength) throw new ArgumentException("the multilayer problem is too large for one call");
        // every entry is written below: a reused array needs no clearing
        var blocks = reuse ?? new double[perLayer * layerCount];
        var normalisers = new double[layerCount];
        for (int s = 0; s < layerCount; s++)
        {
            var fc = layers.Slice((int)(s * perLayer), (int)perLayer);
            normalisers[s] = LayerModularity.Build(fc, nodes, objective, blocks.AsSpan((int)(s * perLayer), (int)perLayer),
                $"layer {s} of the connectivity");
        }
        return new MultilayerModularity(blocks, normalisers, layerCount, nodes, omega);
    }

    private static void CheckOmega(double omega)
    {
        if (!double.IsFinite(omega) || omega < 0)
            throw new ArgumentException($"the interlayer coupling ω must be a finite number >= 0, got {omega}");
    }
}
