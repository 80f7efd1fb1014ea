using System.Globalization;
using AnnScope.IO;

namespace AnnScope.Studies;

/// <summary>
/// Checkpoints read from activations a user brings: an array (instances, checkpoints, samples, units) in a
/// .npy file, read one checkpoint at a time so the whole tensor is never in memory; optional accuracies
/// from a CSV with columns instance, epoch (or checkpoint), accuracy.
/// </summary>
public sealed class ActivationFileSource : ICheckpointSource
{
    private readonly string path;
    private readonly Func<int, float[]> readCheckpoint;
    private readonly IDisposable? owner;
    private readonly Dictionary<(int Instance, int Index), double> accuracy = new();
    private int next;

    public int Instances { get; }
    public int Samples { get; }
    public int Units { get; }
    public IReadOnlyList<int> Epochs { get; }
    public int EpochsTotal => 0;

    private ActivationFileSource(string path, long[] shape, Func<int, float[]> readCheckpoint, IReadOnlyList<int>? epochs,
        IDisposable? owner = null)
    {
        this.path = path;
        this.readCheckpoint = readCheckpoint;
        this.owner = owner;
        if (shape.Length != 4)
            throw new InvalidDataException($"{path}: activations must be shaped (instances, checkpoints, samples, units), found {Npy.FormatShape(shape)}");
        if (shape.Any(d => d < 1 || d > int.MaxValue))
            throw new InvalidDataException($"{path}: bad dimensions {Npy.FormatShape(shape)}");
        (Instances, Samples, Units) = ((int)shape[0], (int)shape[2], (int)shape[3]);
        int count = (int)shape[1];
        if (epochs != null && epochs.Count != count)
            throw new InvalidDataException($"{path}: {epochs.Count} epochs given for {count} checkpoints");
        Epochs = epochs ?? Enumerable.Range(0, count).ToArray();
        if ((long)Instances * Samples * Units > Array.MaxLength)
            throw new InvalidDataException($"{path}: one checkpoint of {Npy.FormatShape(shape)} is too large to analyse at once");
    }

    /// <summary>Opens a .npy activation file (any dtype Npy reads, C or Fortran order).</summary>
    public static ActivationFileSource OpenNpy(string path, IReadOnlyList<int>? epochs = null)
    {
        var header = Npy.ReadHeader(path);
        long[] shape = header.Shape;
        return new ActivationFileSource(path, shape, index =>
        {
            var data = new float[shape[0] * shape[2] * shape[3]];
            Npy.ReadAlong(path, header, axis: 1, index, data);
            return data;
        }, epochs);
    }

    /// <summary>Opens an activation source from a reader of (instances × samples × units) slabs per checkpoint (e.g. HDF5).</summary>
    public static ActivationFileSource FromReader(string path, long[] shape, Func<int, float[]> readCheckpoint,
        IReadOnlyList<int>? epochs = null, IDisposable? owner = null) => new(path, shape, readCheckpoint, epochs, owner);

    /// <summary>Reads accuracies from a CSV: columns instance, accuracy and one of epoch or checkpoint (0-based index).</summary>
    public void LoadAccuracy(string csvPath)
    {
        var table = CsvTable.Read(csvPath);
        if (table.RowCount == 0) throw new InvalidDataException($"{csvPath}: no rows");
        string? Column(string name) => table.Columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (Column("instance") is not { } ci || Column("accuracy") is not { } ca || (Column("epoch") is null && Column("checkpoint") is null))
            throw new InvalidDataException(
                $"{csvPath}: needs columns instance, accuracy and epoch or checkpoint (found {string.Join(',', table.Columns)})");
        var instances = table.Text(ci);
        var positions = table.Text(Column("checkpoint") ?? Column("epoch")!);
        bool byCheckpoint = Column("checkpoint") is not null;
        var values = table.Numeric(ca);
        for (int row = 0; row < table.RowCount; row++)
        {
            int instance = ParseInt(instances[row], csvPath, row, "instance");
            int position = ParseInt(positions[row], csvPath, row, byCheckpoint ? "checkpoint" : "epoch");
            int index = byCheckpoint ? position : IndexOfEpoch(position, csvPath, row);
            if (instance < 0 || instance >= Instances || index < 0 || index >= Epochs.Count)
                throw new InvalidDataException($"{csvPath}: row {row + 1}: instance {instance} / checkpoint {index} outside the activations");
            accuracy[(instance, index)] = values[row];
        }
    }

    private int IndexOfEpoch(int epoch, string csvPath, int row)
    {
        for (int i = 0; i < Epochs.Count; i++) if (Epochs[i] == epoch) return i;
        throw new InvalidDataException($"{csvPath}: row {row + 1}: epoch {epoch} is not one of the checkpoints");
    }

    private static int ParseInt(string cell, string csvPath, int row, string column) =>
        int.TryParse(cell.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{csvPath}: row {row + 1}: {column} '{cell}' is not an integer");

    public void Restore(int epoch, IReadOnlyDictionary<string, double[]> state)
    {
        next = Epochs.Count(e => e <= epoch);
    }

    public IEnumerable<Checkpoint> Produce(Action<int> epochDone, CancellationToken cancel)
    {
        for (; next < Epochs.Count; next++)
        {
            cancel.ThrowIfCancellationRequested();
            var data = readCheckpoint(next);
            foreach (var v in data)
                if (!float.IsFinite(v))
                    throw new InvalidDataException($"{path}: NaN or infinite activation at checkpoint {next}");
            var scores = new CheckpointScores[Instances];
            for (int i = 0; i < Instances; i++)
                scores[i] = accuracy.TryGetValue((i, next), out var a)
                    ? CheckpointScores.Unknown with { Accuracy = a }
                    : CheckpointScores.Unknown;
            yield return new Checkpoint(Epochs[next], next, data, scores, new Dictionary<string, double[]>());
        }
    }

    public string Describe() => $"activations from {Path.GetFileName(path)}";

    public void Dispose() => owner?.Dispose();
}
