namespace AnnScope.Dynamics;

/// <summary>
/// Recruitment and integration of a given system assignment from a module-allegiance matrix P (Bassett et al. 2015;
/// NCT <c>recruitment</c>/<c>integration</c>): how often a node is found with the nodes of its own system, and with the
/// nodes of other systems. P's diagonal is never used.
/// </summary>
public static class Recruitment
{
    /// <summary>Recruitment of each node: mean of P(i, j) over the other nodes j of its system; NaN for a node alone in its system.</summary>
    public static double[] OfNodes(ReadOnlySpan<double> allegiance, ReadOnlySpan<int> systems) =>
        NodeMeans(allegiance, systems, sameSystem: true);

    /// <summary>
    /// K × K interaction between the K systems (numbered by first appearance in <paramref name="systems"/>): the diagonal is
    /// each system's recruitment, mean P(i, j) over distinct i, j in it (NaN for a one-node system); entry (k, l) is the
    /// integration of k with l, mean P(i, j) over i in k and j in l.
    /// </summary>
    public static double[] BetweenSystems(ReadOnlySpan<double> allegiance, ReadOnlySpan<int> systems, out int systemCount)
    {
        int m = Check(allegiance, systems);
        var system = Partitions.Tidy(systems);
        systemCount = system.Length == 0 ? 0 : system.Max() + 1;
        int k = systemCount;
        var sum = new double[k * k];
        var count = new long[k * k];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                if (i == j) continue;
                int cell = system[i] * k + system[j];
                sum[cell] += allegiance[i * m + j];
                count[cell]++;
            }
        for (int c = 0; c < sum.Length; c++) sum[c] = count[c] > 0 ? sum[c] / count[c] : double.NaN;
        return sum;
    }

    internal static double[] NodeMeans(ReadOnlySpan<double> allegiance, ReadOnlySpan<int> systems, bool sameSystem)
    {
        int m = Check(allegiance, systems);
        var result = new double[m];
        for (int i = 0; i < m; i++)
        {
            double sum = 0;
            int count = 0;
            for (int j = 0; j < m; j++)
            {
                if (j == i || (systems[j] == systems[i]) != sameSystem) continue;
                sum += allegiance[i * m + j];
                count++;
            }
            result[i] = count > 0 ? sum / count : double.NaN;
        }
        return result;
    }

    private static int Check(ReadOnlySpan<double> allegiance, ReadOnlySpan<int> systems)
    {
        int m = systems.Length;
        if (m == 0) throw new ArgumentException("the system assignment is empty");
        if (allegiance.Length != (long)m * m)
            throw new ArgumentException($"the allegiance must be {m} × {m} for {m} nodes, got {allegiance.Length} values");
        return m;
    }
}

/// <summary>Integration of a given system assignment from a module-allegiance matrix (see <see cref="Recruitment"/>).</summary>
public static class Integration
{
    /// <summary>Integration of each node: mean of P(i, j) over the nodes j of other systems; NaN when there is one system.</summary>
    public static double[] OfNodes(ReadOnlySpan<double> allegiance, ReadOnlySpan<int> systems) =>
        Recruitment.NodeMeans(allegiance, systems, sameSystem: false);
}
