namespace AnnScope.Communities;

/// <summary>Mean, spread (sample standard deviation, n − 1; 0 for one run), minimum and maximum of a measure over runs.</summary>
public sealed record RunStatistics(double Mean, double StandardDeviation, double Min, double Max)
{
    /// <summary>Statistics of <paramref name="values"/> (at least one).</summary>
    public static RunStatistics Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("statistics need at least one value");
        double mean = values.Average();
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        double sd = values.Count > 1 ? Math.Sqrt(ss / (values.Count - 1)) : 0.0;
        return new RunStatistics(mean, sd, values.Min(), values.Max());
    }

    /// <summary>Index of the best run: highest quality, the first one on ties.</summary>
    internal static int Best(IReadOnlyList<LouvainRun> runs)
    {
        int best = 0;
        for (int r = 1; r < runs.Count; r++)
            if (runs[r].Modularity > runs[best].Modularity) best = r;
        return best;
    }
}
