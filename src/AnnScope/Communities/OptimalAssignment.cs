namespace AnnScope.Communities;

/// <summary>
/// The linear assignment problem solved exactly by the Hungarian method (shortest augmenting paths with dual
/// potentials, O(r²c) for r ≤ c): pair rows with distinct columns to minimise the total cost. Rectangular problems
/// assign min(rows, columns) pairs.
/// </summary>
internal static class OptimalAssignment
{
    /// <summary>
    /// For a rows × columns cost matrix (row-major, finite) returns the column of each row, or −1 for rows left
    /// unassigned when there are more rows than columns.
    /// </summary>
    public static int[] Minimise(ReadOnlySpan<double> cost, int rows, int columns)
    {
        if (rows < 0 || columns < 0 || cost.Length != (long)rows * columns)
            throw new ArgumentException($"the cost matrix must hold rows × columns = {(long)rows * columns} values, got {cost.Length}");
        foreach (var c in cost)
            if (!double.IsFinite(c)) throw new ArgumentException("the cost matrix holds a non-finite value");
        if (rows <= columns) return Solve(cost, rows, columns, transposed: false);
        var byColumn = Solve(cost, columns, rows, transposed: true);
        var rowToColumn = new int[rows];
        Array.Fill(rowToColumn, -1);
        for (int c = 0; c < columns; c++) rowToColumn[byColumn[c]] = c;
        return rowToColumn;
    }

    /// <summary>As <see cref="Minimise"/>, maximising the total instead (e.g. overlaps).</summary>
    public static int[] Maximise(ReadOnlySpan<double> gain, int rows, int columns)
    {
        var cost = new double[gain.Length];
        for (int k = 0; k < gain.Length; k++) cost[k] = -gain[k];
        return Minimise(cost, rows, columns);
    }

    /// <summary>
    /// n ≤ m. Rows are added one at a time; each addition grows a shortest-path tree over columns in reduced costs
    /// until it reaches a free column, then flips the path. Potentials u, v keep reduced costs non-negative.
    /// </summary>
    private static int[] Solve(ReadOnlySpan<double> cost, int n, int m, bool transposed)
    {
        // 1-based columns with column 0 a virtual root; owner[j] = row (1-based) holding column j, 0 if free
        var u = new double[n + 1];
        var v = new double[m + 1];
        var owner = new int[m + 1];
        var via = new int[m + 1];
        var slack = new double[m + 1];
        var done = new bool[m + 1];
        for (int row = 1; row <= n; row++)
        {
            owner[0] = row;
            int j0 = 0;
            Array.Fill(slack, double.PositiveInfinity);
            Array.Clear(done);
            do
            {
                done[j0] = true;
                int i0 = owner[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= m; j++)
                {
                    if (done[j]) continue;
                    double c = At(cost, i0 - 1, j - 1, n, m, transposed) - u[i0] - v[j];
                    if (c < slack[j])
                    {
                        slack[j] = c;
                        via[j] = j0;
                    }
                    if (slack[j] < delta)
                    {
                        delta = slack[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= m; j++)
                {
                    if (done[j])
                    {
                        u[owner[j]] += delta;
                        v[j] -= delta;
                    }
                    else slack[j] -= delta;
                }
                j0 = j1;
            } while (owner[j0] != 0);
            do
            {
                int j1 = via[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var assignment = new int[n];
        for (int j = 1; j <= m; j++)
            if (owner[j] != 0) assignment[owner[j] - 1] = j - 1;
        return assignment;
    }

    private static double At(ReadOnlySpan<double> cost, int row, int column, int n, int m, bool transposed) =>
        transposed ? cost[column * n + row] : cost[row * m + column];
}
