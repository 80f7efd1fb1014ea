namespace AnnScope.Communities.Engine;

/// <summary>
/// Entries (row, column, value) of the next level in any order, duplicates summed, turned into compressed rows.
/// </summary>
internal sealed class TripletBuilder(int groups, LouvainWorkspace ws)
{
    private int[] rows = new int[1024], columns = new int[1024];
    private double[] values = new double[1024];
    private int count;

    public void Add(int row, int column, double value)
    {
        if (count == rows.Length)
        {
            Array.Resize(ref rows, 2 * count);
            Array.Resize(ref columns, 2 * count);
            Array.Resize(ref values, 2 * count);
        }
        rows[count] = row;
        columns[count] = column;
        values[count++] = value;
    }

    public AggregateLevel Build()
    {
        var (start, order) = AggregateLevel.Members(rows, count, groups);
        var builder = new AggregateBuilder(groups, count);
        for (int g = 0; g < groups; g++)
        {
            var sums = ws.Begin();
            for (int k = start[g]; k < start[g + 1]; k++) sums.Add(columns[order[k]], values[order[k]]);
            builder.AddRow(g, ref sums);
            sums.Clear();
        }
        return builder.Build();
    }
}
