namespace AnnScope.Dynamics;

/// <summary>Flexibility: how often nodes change community (Bassett et al. 2011; NCT <c>flexibility</c>).</summary>
public static class Flexibility
{
    /// <summary>
    /// Temporal flexibility of each node: #{s &lt; L − 1 : S(i, s) ≠ S(i, s + 1)} / (L − 1). With one layer nothing can
    /// change, and every node's flexibility is 0.
    /// </summary>
    public static double[] OfNodes(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        int m = partition.Nodes, l = partition.Layers;
        var flexibility = new double[m];
        if (l < 2) return flexibility;
        var labels = partition.Labels;
        for (int i = 0; i < m; i++)
        {
            int changes = 0;
            for (int s = 0; s + 1 < l; s++)
                if (labels[s * m + i] != labels[(s + 1) * m + i]) changes++;
            flexibility[i] = (double)changes / (l - 1);
        }
        return flexibility;
    }

    /// <summary>System flexibility: the mean of the nodes' temporal flexibility.</summary>
    public static double OfSystem(MultilayerPartition partition) => OfNodes(partition).Average();

    /// <summary>
    /// Categorical flexibility of each node: label disagreements over ordered pairs of distinct layers / (L(L − 1))
    /// (NCT's 'cat'); 0 with one layer.
    /// </summary>
    public static double[] Categorical(MultilayerPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        int m = partition.Nodes, l = partition.Layers;
        var flexibility = new double[m];
        if (l < 2) return flexibility;
        var labels = partition.Labels;
        for (int i = 0; i < m; i++)
        {
            long disagreements = 0;
            for (int s = 0; s < l; s++)
                for (int t = 0; t < l; t++)
                    if (s != t && labels[s * m + i] != labels[t * m + i]) disagreements++;
            flexibility[i] = (double)disagreements / ((long)l * (l - 1));
        }
        return flexibility;
    }
}
