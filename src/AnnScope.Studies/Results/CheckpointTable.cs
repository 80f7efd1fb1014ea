namespace AnnScope.Results;

/// <summary>
/// checkpoints.csv as read back: one <see cref="CheckpointRow"/> per (checkpoint, instance), every checkpoint
/// complete for every instance, ordered by epoch then instance.
/// </summary>
public sealed class CheckpointTable
{
    /// <summary>Columns that may hold NaN (or ±Infinity): accuracies and parameters a source may not have, and
    /// measures that are undefined on degenerate activations (one run, a singular covariance, constant data).</summary>
    public static IReadOnlySet<string> UndefinedAllowed { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "accuracy", "tpr", "fpr", "balanced_accuracy", "paper_accuracy", "lambda", "eta", "loss",
        "multilayer_modularity_sd", "entropy", "kurtosis", "skewness", "mean_correlation", "pc1_ratio", "full_sync", "partial_sync",
    };

    private static readonly HashSet<string> Probabilities = ["accuracy", "tpr", "fpr", "balanced_accuracy", "paper_accuracy", "flexibility"];
    private static readonly HashSet<string> Correlations = ["multilayer_modularity", "multilayer_modularity_mean", "static_modularity", "mean_correlation"];

    public IReadOnlyList<CheckpointRow> Rows { get; }
    public int Instances { get; }

    /// <summary>The checkpoint epochs, increasing.</summary>
    public IReadOnlyList<int> Epochs { get; }

    private CheckpointTable(IReadOnlyList<CheckpointRow> rows, int instances, IReadOnlyList<int> epochs) =>
        (Rows, Instances, Epochs) = (rows, instances, epochs);

    public CheckpointRow this[int checkpoint, int instance] => Rows[checkpoint * Instances + instance];

    /// <summary>A numeric column as [checkpoint][instance].</summary>
    public double[][] Series(string column)
    {
        var series = new double[Epochs.Count][];
        for (int c = 0; c < Epochs.Count; c++)
        {
            series[c] = new double[Instances];
            for (int i = 0; i < Instances; i++) series[c][i] = this[c, i][column];
        }
        return series;
    }

    /// <summary>
    /// Reads the table, keeping the first <paramref name="completed"/> checkpoints. Rows past them are a
    /// study still running (ignored) unless the study is <paramref name="complete"/> (an error).
    /// </summary>
    internal static CheckpointTable Read(string path, int completed, bool complete)
    {
        if (completed < 1) throw new InvalidDataException($"{path}: the study has no completed checkpoint (study.json checkpoints_completed is {completed})");
        var csv = StoreCsv.Read(path, CheckpointRow.Columns);
        // blocks of consecutive rows sharing an epoch: (epoch, first row, row count)
        var blocks = new List<(int Epoch, int First, int Count)>();
        for (int r = 0; r < csv.Count; r++)
        {
            int epoch = csv.Int(r, "epoch", 0), instance = csv.Int(r, "instance", 0);
            if (blocks.Count > 0 && blocks[^1].Epoch == epoch) blocks[^1] = blocks[^1] with { Count = blocks[^1].Count + 1 };
            else
            {
                if (blocks.Count > 0 && epoch < blocks[^1].Epoch)
                    throw csv.Error(r, "epoch", $"epoch {epoch} after epoch {blocks[^1].Epoch}: rows must be ordered by epoch, then instance");
                if (blocks.Count > 0 && blocks.Take(blocks.Count - 1).Any(b => b.Epoch == epoch))
                    throw csv.Error(r, "epoch", $"epoch {epoch} appears in two separate runs of rows");
                blocks.Add((epoch, r, 1));
            }
            if (instance != blocks[^1].Count - 1)
                throw csv.Error(r, "instance", $"instance {instance} where {blocks[^1].Count - 1} was due: each epoch lists instances 0, 1, 2, ... in order");
        }
        if (blocks.Count < completed)
            throw new InvalidDataException($"{path}: {blocks.Count} checkpoints, but study.json records {completed} completed (rows are missing)");
        if (blocks.Count > completed && complete)
            throw new InvalidDataException($"{path}: {blocks.Count} checkpoints, but study.json records {completed} completed");
        // Rows past the completed checkpoints belong to one still being written: never trusted, never read.
        blocks.RemoveRange(completed, blocks.Count - completed);
        int instances = blocks[0].Count;
        foreach (var b in blocks)
            if (b.Count != instances)
                throw csv.Error(b.First, $"epoch {b.Epoch} has {b.Count} instances, epoch {blocks[0].Epoch} has {instances}");
        var rows = new List<CheckpointRow>(blocks.Count * instances);
        for (int r = 0; r < blocks.Count * instances; r++) rows.Add(ParseRow(csv, r));
        return new CheckpointTable(rows, instances, [.. blocks.Select(b => b.Epoch)]);
    }

    /// <summary>
    /// The rows of a shard's complete table: at each of <paramref name="epochs"/>, instances [<paramref name="first"/>,
    /// <paramref name="end"/>) in order, nothing else.
    /// </summary>
    internal static IReadOnlyList<CheckpointRow> ReadShard(string path, IReadOnlyList<int> epochs, int first, int end)
    {
        var csv = StoreCsv.Read(path, CheckpointRow.Columns);
        int width = end - first;
        if (csv.Count != epochs.Count * width)
            throw new InvalidDataException($"{path}: {csv.Count} rows where {epochs.Count} checkpoints × {width} instances ({first}–{end - 1}) were due");
        var rows = new List<CheckpointRow>(csv.Count);
        for (int r = 0; r < csv.Count; r++)
        {
            int epoch = epochs[r / width], instance = first + r % width;
            var row = ParseRow(csv, r);
            if (row.Epoch != epoch) throw csv.Error(r, "epoch", $"epoch {row.Epoch} where epoch {epoch} was due");
            if (row.Instance != instance) throw csv.Error(r, "instance", $"instance {row.Instance} where instance {instance} was due");
            rows.Add(row);
        }
        return rows;
    }

    private static CheckpointRow ParseRow(StoreCsv csv, int r)
    {
        double N(string column)
        {
            double v = csv.Number(r, column, UndefinedAllowed.Contains(column));
            if (double.IsFinite(v))
            {
                if (Probabilities.Contains(column) && v is < 0 or > 1) throw csv.Error(r, column, $"{v} is outside [0, 1]");
                if (Correlations.Contains(column) && v is < -1 or > 1) throw csv.Error(r, column, $"{v} is outside [-1, 1]");
            }
            return v;
        }
        double std = N("std_activation");
        if (std < 0) throw csv.Error(r, "std_activation", $"negative standard deviation {std}");
        return new CheckpointRow
        {
            Instance = csv.Int(r, "instance"),
            Epoch = csv.Int(r, "epoch"),
            Accuracy = N("accuracy"),
            Tpr = N("tpr"),
            Fpr = N("fpr"),
            BalancedAccuracy = N("balanced_accuracy"),
            PaperAccuracy = N("paper_accuracy"),
            Lambda = N("lambda"),
            Eta = N("eta"),
            Loss = N("loss"),
            MultilayerModularity = N("multilayer_modularity"),
            MultilayerCommunities = csv.Int(r, "multilayer_communities", 1),
            Flexibility = N("flexibility"),
            MultilayerModularityMean = N("multilayer_modularity_mean"),
            MultilayerModularitySd = N("multilayer_modularity_sd"),
            StaticModularity = N("static_modularity"),
            StaticCommunities = csv.Int(r, "static_communities", 1),
            Entropy = N("entropy"),
            MeanActivation = N("mean_activation"),
            StdActivation = std,
            Kurtosis = N("kurtosis"),
            Skewness = N("skewness"),
            MeanCorrelation = N("mean_correlation"),
            Pc1Ratio = N("pc1_ratio"),
            FullSync = N("full_sync"),
            PartialSync = N("partial_sync"),
            ConstantUnits = csv.Integer(r, "constant_units", 0),
        };
    }
}
