namespace AnnScope.Communities.Engine;

/// <summary>
/// Entries (row, column, value) of the next level in any order, duplicates summed, turned into compressed rows. The
/// triplets live in the workspace, which keeps them between aggregations.
/// </summary>
internal sealed class TripletBuilder(int groups, LouvainWorkspace ws)
{
    private int count;

    public void Add(int row, int column, double value)
    {
        if (count == ws.TripletRows.Length)
        {
            int grown = Math.Max(1024, 2 * count);
            LouvainWorkspace.Grow(ref ws.TripletRows, grown);
            LouvainWorkspace.Grow(ref ws.TripletColumns, grown);
            LouvainWorkspace.Grow(ref ws.TripletValues, grown);
        }
        ws.TripletRows[count] = row;
        ws.TripletColumns[count] = column;
        ws.TripletValues[count++] = value;
    }

    public AggregateLevel Build()
    {
        var (start, order) = AggregateLevel.Members(ws.TripletRows, count, groups,
            LouvainWorkspace.Grow(ref ws.TripletStart, groups + 1), LouvainWorkspace.Grow(ref ws.TripletOrder, count));
        var columns = ws.TripletColumns;
        var values = ws.TripletValues;
        var builder = new AggregateBuilder(groups, count, ws);
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
