namespace AnnScope.Results;

/// <summary>Reads runs.csv and histograms.csv, keeping the rows of completed checkpoints.</summary>
internal static class StoreTables
{
    public static IReadOnlyList<RunRow> ReadRuns(string path, CheckpointTable table, bool complete) =>
        ReadRuns(path, table.Epochs, 0, table.Instances, complete);

    /// <summary>The runs of instances [<paramref name="first"/>, <paramref name="end"/>) (a shard's) at <paramref name="checkpoints"/>.</summary>
    public static IReadOnlyList<RunRow> ReadRuns(string path, IReadOnlyList<int> checkpoints, int first, int end, bool complete)
    {
        var csv = StoreCsv.Read(path, RunRow.Columns);
        var epochs = checkpoints.ToHashSet();
        int last = checkpoints[^1];
        var rows = new List<RunRow>(csv.Count);
        for (int r = 0; r < csv.Count; r++)
        {
            int epoch = csv.Int(r, "epoch", 0);
            if (epoch > last && !complete) continue; // a checkpoint still being written
            if (!epochs.Contains(epoch)) throw csv.Error(r, "epoch", $"epoch {epoch} is not a checkpoint of checkpoints.csv");
            double flexibility = csv.Number(r, "flexibility"), modularity = csv.Number(r, "modularity");
            if (flexibility is < 0 or > 1) throw csv.Error(r, "flexibility", $"{flexibility} is outside [0, 1]");
            if (modularity is < -1 or > 1) throw csv.Error(r, "modularity", $"{modularity} is outside [-1, 1]");
            rows.Add(new RunRow(csv.Int(r, "instance", first, end - 1), epoch, csv.Int(r, "run", 0), csv.UnsignedInteger(r, "seed"),
                modularity, csv.Int(r, "communities", 1), flexibility));
        }
        return rows;
    }

    /// <summary>Histograms by (epoch, kind): every completed checkpoint has an activation and a correlation histogram of contiguous bins.</summary>
    public static IReadOnlyList<HistogramRow> ReadHistograms(string path, CheckpointTable table, bool complete) =>
        ReadHistograms(path, table.Epochs, complete);

    /// <summary>Histograms by (epoch, kind) at <paramref name="checkpoints"/>.</summary>
    public static IReadOnlyList<HistogramRow> ReadHistograms(string path, IReadOnlyList<int> checkpoints, bool complete)
    {
        var csv = StoreCsv.Read(path, HistogramRow.Columns);
        var epochs = checkpoints.ToHashSet();
        int last = checkpoints[^1];
        var groups = new Dictionary<(int Epoch, string Kind), List<(HistogramRow Row, int Line)>>();
        for (int r = 0; r < csv.Count; r++)
        {
            int epoch = csv.Int(r, "epoch", 0);
            if (epoch > last && !complete) continue;
            if (!epochs.Contains(epoch)) throw csv.Error(r, "epoch", $"epoch {epoch} is not a checkpoint of checkpoints.csv");
            var kind = csv.Text(r, "kind");
            if (kind is not ("activation" or "correlation")) throw csv.Error(r, "kind", $"unknown histogram kind '{kind}' (activation or correlation)");
            var row = new HistogramRow(epoch, kind, csv.Int(r, "bin", 0), csv.Number(r, "lower"), csv.Number(r, "upper"), csv.Integer(r, "count", 0));
            if (row.Upper <= row.Lower) throw csv.Error(r, $"bin upper edge {row.Upper} is not above its lower edge {row.Lower}");
            if (!groups.TryGetValue((epoch, kind), out var list)) groups[(epoch, kind)] = list = [];
            list.Add((row, r));
        }
        var rows = new List<HistogramRow>(csv.Count);
        foreach (int epoch in checkpoints)
            foreach (var kind in new[] { "activation", "correlation" })
            {
                if (!groups.TryGetValue((epoch, kind), out var bins))
                    throw new InvalidDataException($"{path}: no {kind} histogram for epoch {epoch}");
                for (int b = 0; b < bins.Count; b++)
                {
                    var (row, line) = bins[b];
                    if (row.Bin != b) throw csv.Error(line, "bin", $"bin {row.Bin} where bin {b} of the {kind} histogram of epoch {epoch} was due");
                    if (b > 0 && Math.Abs(row.Lower - bins[b - 1].Row.Upper) > 1e-9 * Math.Max(1, Math.Abs(row.Lower)))
                        throw csv.Error(line, "lower", $"bin {b} starts at {row.Lower}, bin {b - 1} ends at {bins[b - 1].Row.Upper}");
                    rows.Add(row);
                }
            }
        return rows;
    }
}
