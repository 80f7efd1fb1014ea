namespace AnnScope.Statistics;

/// <summary>Which entries of an M×M correlation matrix summarise it (mean correlation and its histogram).</summary>
public enum CorrelationPairs
{
    /// <summary>Each pair once, i &lt; j (the diagonal excluded): M(M−1)/2 values.</summary>
    UpperTriangle,

    /// <summary>
    /// The study's original mask: lower triangle, diagonal and first superdiagonal (entries with j ≤ i + 1), so the
    /// unit diagonal and M − 1 pairs counted twice enter the mean.
    /// </summary>
    PaperMask,
}

/// <summary>Selects the entries of a correlation matrix for summaries.</summary>
public static class CorrelationEntries
{
    /// <summary>The selected entries, in row-major order.</summary>
    public static double[] Select(ReadOnlySpan<double> matrix, int m, CorrelationPairs pairs)
    {
        if (m < 2 || matrix.Length != (long)m * m)
            throw new ArgumentException($"an M×M matrix with M ≥ 2 is needed (got {matrix.Length} values for M = {m})");
        var values = new List<double>(m * m / 2 + m);
        for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            if (pairs == CorrelationPairs.UpperTriangle ? j > i : j <= i + 1)
                values.Add(matrix[i * m + j]);
        return [.. values];
    }

    /// <summary>Mean of the selected entries.</summary>
    public static double Mean(ReadOnlySpan<double> matrix, int m, CorrelationPairs pairs) => Select(matrix, m, pairs).Average();
}
