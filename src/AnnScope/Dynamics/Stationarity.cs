namespace AnnScope.Dynamics;

/// <summary>
/// Stationarity of communities (Mucha et al. 2010; Bassett et al. 2013): for a community spanning layers t₀..t₁ (its
/// first and last), the mean over consecutive layers t₀ ≤ t &lt; t₁ of the Jaccard index |C(t) ∩ C(t+1)| / |C(t) ∪ C(t+1)|
/// (0 for a layer it skips). A community present in one layer only has no stationarity.
/// </summary>
public static class Stationarity
{
    /// <summary>Stationarity of each community, keyed by label; NaN for a community spanning a single layer.</summary>
    public static IReadOnlyDictionary<int, double> OfCommunities(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        int m = partition.Nodes, l = partition.Layers;
        var labels = partition.Labels;
        var span = new Dictionary<int, (int First, int Last)>();
        for (int s = 0; s < l; s++)
            for (int i = 0; i < m; i++)
            {
                int g = labels[s * m + i];
                span[g] = span.TryGetValue(g, out var r) ? (r.First, s) : (s, s);
            }
        var result = new Dictionary<int, double>();
        foreach (var (g, (first, last)) in span)
        {
            if (first == last)
            {
                result[g] = double.NaN;
                continue;
            }
            double sum = 0;
            for (int s = first; s < last; s++)
            {
                int both = 0, either = 0;
                for (int i = 0; i < m; i++)
                {
                    bool a = labels[s * m + i] == g, b = labels[(s + 1) * m + i] == g;
                    if (a && b) both++;
                    if (a || b) either++;
                }
                if (either > 0) sum += (double)both / either;
            }
            result[g] = sum / (last - first);
        }
        return result;
    }

    /// <summary>Mean stationarity over the communities spanning at least two layers; NaN when there are none.</summary>
    public static double Mean(MultilayerPartition partition)
    {
        var defined = OfCommunities(partition).Values.Where(v => !double.IsNaN(v)).ToList();
        return defined.Count == 0 ? double.NaN : defined.Average();
    }
}

/// <summary>Sizes of communities within layers.</summary>
public static class CommunitySize
{
    /// <summary>
    /// Mean number of nodes of a community within a layer, over every (community, layer) in which the community is
    /// present: L·M / Σ_s (communities in layer s).
    /// </summary>
    public static double Mean(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        long present = 0;
        for (int s = 0; s < partition.Layers; s++) present += new HashSet<int>(partition.Layer(s).ToArray()).Count;
        return (double)partition.Layers * partition.Nodes / present;
    }
}
