using System.Globalization;
using AnnScope.IO;

namespace AnnScope.Studies;

/// <summary>
/// Activations a user brings, for <see cref="Study.Analyze"/>: an array (instances, checkpoints, samples, units)
/// in a .npy file or an HDF5 dataset (float32 or float64), read one checkpoint at a time so the whole tensor is never
/// in memory; optional accuracies from a CSV with columns instance, epoch (or checkpoint), accuracy.
/// </summary>
public sealed class ActivationFileSource : ICheckpointSource
{
    private readonly string path;
    private readonly Func<int, float[]> readCheckpoint;
    private readonly IDisposable? owner;
    private readonly Dictionary<(int Instance, int Index), double> accuracy = new();
    private int next;

    /// <summary>B, the instances (networks) recorded.</summary>
    public int Instances { get; }

    /// <summary>T, samples (time steps) per checkpoint.</summary>
    public int Samples { get; }

    /// <summary>M, units recorded.</summary>
    public int Units { get; }

    /// <summary>The training epoch of every checkpoint, in order (0, 1, 2, … unless given).</summary>
    public IReadOnlyList<int> Epochs { get; }

    int ICheckpointSource.EpochsTotal => 0;

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

    /// <summary>
    /// Opens the activations in <paramref name="path"/>: a .npy file, or an .h5/.hdf5 file's <paramref name="dataset"/>
    /// (whose <c>epochs</c> attribute, when present, gives the checkpoint epochs).
    /// </summary>
    /// <param name="path">The .npy or HDF5 file.</param>
    /// <param name="dataset">The HDF5 dataset (ignored for .npy).</param>
    /// <param name="epochs">The epoch of every checkpoint; null = what the file says, else 0, 1, 2, ….</param>
    /// <exception cref="InvalidDataException">The file is not a 4-D array of finite floats, or the epochs do not match it.</exception>
    public static ActivationFileSource Open(string path, string dataset = Hdf5Activations.DefaultDataset, IReadOnlyList<int>? epochs = null)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy") return OpenNpy(path, epochs);
        if (extension is ".h5" or ".hdf5")
        {
            var reader = Hdf5Activations.Open(path, dataset);
            return new ActivationFileSource(path, reader.Shape, reader.ReadCheckpoint, epochs ?? reader.Epochs, reader);
        }
        throw new ArgumentException($"{path}: activations must be a .npy or .h5 file");
    }

    /// <summary>Opens a .npy activation file (any dtype Npy reads, C or Fortran order).</summary>
    internal static ActivationFileSource OpenNpy(string path, IReadOnlyList<int>? epochs = null)
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

    /// <summary>
    /// Reads accuracies from a CSV: columns instance, accuracy and one of epoch or checkpoint (0-based index); the
    /// study relates them to the measures as <c>accuracy</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">A missing column, a bad cell, or a row outside the activations.</exception>
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

    void ICheckpointSource.Restore(int epoch, IReadOnlyDictionary<string, double[]> state)
    {
        next = Epochs.Count(e => e <= epoch);
    }

    IEnumerable<Checkpoint> ICheckpointSource.Produce(Action<int> epochDone, CancellationToken cancel)
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

    string ICheckpointSource.Describe() => $"activations from {Path.GetFileName(path)}";

    /// <summary>Closes the file.</summary>
    public void Dispose() => owner?.Dispose();
}
