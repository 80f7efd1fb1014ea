namespace AnnScope.Communities;

/// <summary>
/// Post-processing of an ordinal multilayer partition (Bazzi et al. 2016; GenLouvain's
/// <c>postprocess_ordinal_multilayer</c>): layer by layer, relabel the communities of layer s to maximise their node
/// overlap with the (already relabelled) communities of layer s − 1, by optimal assignment. Partitions within layers do
/// not change, so the intralayer part of Q is unchanged and the coupling part can only grow.
/// </summary>
public static class OrdinalPostprocessing
{
    /// <summary>
    /// Relabels <paramref name="labels"/> (layers × nodes, labels[s·M + i]) in place. A community of layer s keeps the
    /// label of the previous-layer community it is assigned to when they share a node, and gets a new label otherwise.
    /// </summary>
    public static void Apply(Span<int> labels, int layers, int nodes)
    {
        if (layers <= 0 || nodes <= 0 || labels.Length != (long)layers * nodes)
            throw new ArgumentException($"the partition must hold layers × nodes = {(long)layers * nodes} labels, got {labels.Length}");
        int next = 0;
        foreach (var l in labels[..nodes]) next = Math.Max(next, l);
        next++;
        var previousIds = new Dictionary<int, int>();
        var currentIds = new Dictionary<int, int>();
        var previousLabels = new List<int>();
        var currentLabels = new List<int>();
        var relabelled = new int[nodes];
        for (int s = 1; s < layers; s++)
        {
            var previous = labels.Slice((s - 1) * nodes, nodes);
            var current = labels.Slice(s * nodes, nodes);
            Index(previous, previousIds, previousLabels);
            Index(current, currentIds, currentLabels);
            int rows = currentLabels.Count, columns = previousLabels.Count;
            var overlap = new double[rows * columns];
            for (int i = 0; i < nodes; i++) overlap[currentIds[current[i]] * columns + previousIds[previous[i]]]++;
            var assigned = OptimalAssignment.Maximise(overlap, rows, columns);
            var label = new int[rows];
            for (int r = 0; r < rows; r++)
                label[r] = assigned[r] >= 0 && overlap[r * columns + assigned[r]] > 0 ? previousLabels[assigned[r]] : next++;
            for (int i = 0; i < nodes; i++) relabelled[i] = label[currentIds[current[i]]];
            relabelled.CopyTo(current);
        }
    }

    private static void Index(ReadOnlySpan<int> layer, Dictionary<int, int> ids, List<int> labels)
    {
        ids.Clear();
        labels.Clear();
        foreach (var l in layer)
        {
            if (ids.TryAdd(l, labels.Count)) labels.Add(l);
        }
    }
}
