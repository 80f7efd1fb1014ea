namespace AnnScope.Communities;

/// <summary>
/// The modularity matrix B of one network (dense, symmetric) and the normaliser of its quality
/// Q = (1/normaliser) Σ_ij B_ij δ(g_i, g_j), summed over ordered pairs including i = j (the GenLouvain convention).
/// Build it from connectivity with a <see cref="LayerObjective"/>, from an unsigned adjacency (Newman–Girvan), or
/// take a caller-supplied B.
/// </summary>
public sealed class ModularityMatrix
{
    internal readonly double[] Values;

    private ModularityMatrix(double[] values, int nodes, double normaliser)
    {
        Values = values;
        Nodes = nodes;
        Normaliser = normaliser;
    }

    /// <summary>Number of nodes.</summary>
    public int Nodes { get; }

    /// <summary>
    /// Divides the raw quality: 2m⁺ + 2m⁻, 2m, or 1 for objectives that normalise B themselves. Zero only for a graph
    /// with no weight at all, whose B is zero and whose quality is defined as 0.
    /// </summary>
    public double Normaliser { get; }

    /// <summary>B_ij.</summary>
    public double this[int i, int j] => Values[checked(i * Nodes + j)];

    /// <summary>
    /// B of a connectivity matrix (row-major nodes × nodes; finite and symmetric up to rounding) under
    /// <paramref name="objective"/>.
    /// </summary>
    public static ModularityMatrix FromConnectivity(ReadOnlySpan<double> connectivity, int nodes, LayerObjective objective) =>
        Build(connectivity, nodes, objective);

    /// <inheritdoc cref="FromConnectivity(ReadOnlySpan{double}, int, LayerObjective)"/>
    public static ModularityMatrix FromConnectivity(ReadOnlySpan<float> connectivity, int nodes, LayerObjective objective) =>
        Build(connectivity, nodes, objective);

    /// <summary>
    /// Newman–Girvan B = A − γ k kᵀ/2m of an unsigned, symmetric adjacency (diagonal kept as given), normalised by 2m.
    /// </summary>
    public static ModularityMatrix NewmanGirvan(ReadOnlySpan<double> adjacency, int nodes, double gamma = 1.0)
    {
        CheckShape(adjacency.Length, nodes, "the adjacency matrix");
        foreach (var a in adjacency)
            if (a < 0) throw new ArgumentException("Newman–Girvan modularity needs non-negative weights; use a signed objective for signed graphs");
        return Build(adjacency, nodes, new LayerObjective(LayerNullModel.Positive, gamma, 1.0, ZeroDiagonal: false));
    }

    /// <summary>
    /// A caller-supplied B (row-major nodes × nodes, finite, symmetric up to rounding; symmetrised by averaging) and
    /// the normaliser its quality is divided by.
    /// </summary>
    public static ModularityMatrix FromMatrix(ReadOnlySpan<double> b, int nodes, double normaliser = 1.0)
    {
        CheckShape(b.Length, nodes, "the modularity matrix");
        if (!double.IsFinite(normaliser) || normaliser < 0)
            throw new ArgumentException($"the normaliser must be a finite number >= 0, got {normaliser}");
        LayerModularity.Validate(b, nodes, "the modularity matrix");
        var values = new double[b.Length];
        for (int i = 0; i < nodes; i++)
            for (int j = 0; j < nodes; j++)
                values[i * nodes + j] = i == j ? b[i * nodes + i] : 0.5 * (b[i * nodes + j] + b[j * nodes + i]);
        return new ModularityMatrix(values, nodes, normaliser);
    }

    /// <summary>Raw quality Σ_ij B_ij δ(g_i, g_j) of a partition (any integer labels), computed directly from B.</summary>
    public double RawQuality(ReadOnlySpan<int> labels)
    {
        if (labels.Length != Nodes) throw new ArgumentException($"the partition has {labels.Length} labels for {Nodes} nodes");
        double q = 0;
        for (int i = 0; i < Nodes; i++)
        {
            int gi = labels[i];
            var row = Values.AsSpan(i * Nodes, Nodes);
            for (int j = 0; j < Nodes; j++)
                if (labels[j] == gi) q += row[j];
        }
        return q;
    }

    /// <summary>Normalised quality Q of a partition; 0 when the normaliser is 0 (a graph without weight).</summary>
    public double Quality(ReadOnlySpan<int> labels)
    {
        double raw = RawQuality(labels);
        return Normaliser > 0 ? raw / Normaliser : 0.0;
    }

    private static ModularityMatrix Build<T>(ReadOnlySpan<T> connectivity, int nodes, LayerObjective objective)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(objective);
        objective.Validate();
        CheckShape(connectivity.Length, nodes, "the connectivity matrix");
        var values = new double[connectivity.Length];
        double normaliser = LayerModularity.Build(connectivity, nodes, objective, values, "the connectivity matrix");
        return new ModularityMatrix(values, nodes, normaliser);
    }

    internal static void CheckShape(long length, int nodes, string what)
    {
        if (nodes <= 0) throw new ArgumentException($"{what} is empty: a graph needs at least one node");
        if (length != (long)nodes * nodes)
            throw new ArgumentException($"{what} must be square: {nodes} × {nodes} = {(long)nodes * nodes} values, got {length}");
    }
}
