namespace AnnScope.Dynamics;

/// <summary>
/// Ordinal persistence (Bazzi et al. 2016): how many node-layers keep their label into the next layer — the quantity the
/// coupling term of multilayer modularity rewards.
/// </summary>
public static class Persistence
{
    /// <summary>Σ_s Σ_i δ(S(i, s), S(i, s + 1)).</summary>
    public static long Count(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        int m = partition.Nodes;
        var labels = partition.Labels;
        long persistent = 0;
        for (int s = 0; s + 1 < partition.Layers; s++)
            for (int i = 0; i < m; i++)
                if (labels[s * m + i] == labels[(s + 1) * m + i]) persistent++;
        return persistent;
    }

    /// <summary>The count as a fraction of the M(L − 1) consecutive pairs (= 1 − system flexibility); 1 with one layer.</summary>
    public static double Normalised(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        long pairs = (long)partition.Nodes * (partition.Layers - 1);
        return pairs == 0 ? 1.0 : (double)Count(partition) / pairs;
    }
}
