using AnnScope.Communities;

namespace AnnScope.Tests.Communities;

/// <summary>
/// Brute-force check of acceptance rule 4: the largest raw gain of moving one node to any other community present or to
/// a new one, from B's public entries (independent of the optimiser).
/// </summary>
public static class LocalOptimality
{
    public static double MaxSingleNodeGain(ModularityMatrix b, int[] labels) =>
        MaxGain(labels, (v, add) =>
        {
            for (int j = 0; j < b.Nodes; j++) add(j, b[v, j]);
        });

    public static double MaxSingleNodeGain(MultilayerModularity b, int[] labels)
    {
        int m = b.Nodes;
        return MaxGain(labels, (v, add) =>
        {
            int s = v / m, i = v % m;
            for (int j = 0; j < m; j++) add(s * m + j, b[s, i, j]);
            if (s > 0) add(v - m, b.Omega);
            if (s + 1 < b.Layers) add(v + m, b.Omega);
        });
    }

    private static double MaxGain(int[] labels, Action<int, Action<int, double>> row)
    {
        double best = double.NegativeInfinity;
        var sums = new Dictionary<int, double>();
        for (int v = 0; v < labels.Length; v++)
        {
            sums.Clear();
            foreach (var l in labels.Distinct()) sums[l] = 0;
            row(v, (j, x) =>
            {
                if (j != v) sums[labels[j]] += x;
            });
            double stay = sums[labels[v]];
            foreach (var (g, sum) in sums)
                if (g != labels[v]) best = Math.Max(best, sum - stay);
            best = Math.Max(best, -stay); // a community of its own
        }
        return best;
    }
}
