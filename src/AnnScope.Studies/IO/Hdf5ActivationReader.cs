using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace AnnScope.IO;

/// <summary>
/// Streams (instance, checkpoint) slabs of a 4-D activation dataset (instances, checkpoints, samples, units)
/// from an HDF5 file written by AnnScope, h5py, MATLAB or any HDF5 library; float32 or float64, contiguous or
/// chunked (compressed chunks included). Only one slab is in memory at a time. Every failure — not HDF5, a
/// truncated file, a missing dataset, a wrong rank or type, NaN or infinite values — is an
/// <see cref="InvalidDataException"/> naming the file and the problem. Not thread-safe: one reader per thread.
/// </summary>
public sealed class Hdf5ActivationReader : IDisposable
{
    private readonly NativeFile file;
    private readonly ReadBudgetStream stream;
    private readonly IH5Dataset dataset;
    private float[]? single;
    private double[]? wide;

    public string Path { get; }

    /// <summary>The dataset read, as an absolute HDF5 path.</summary>
    public string Dataset { get; }

    public int Instances { get; }
    public int Checkpoints { get; }
    public int Samples { get; }
    public int Units { get; }

    /// <summary>The dataset's shape (instances, checkpoints, samples, units).</summary>
    public long[] Shape => [Instances, Checkpoints, Samples, Units];

    /// <summary>True when the file stores float64 (slabs are converted on reading as float32).</summary>
    public bool IsFloat64 { get; }

    /// <summary>The checkpoint epochs from /epochs when the file has them (one per checkpoint), else null.</summary>
    public IReadOnlyList<int>? Epochs { get; }

    private readonly Lazy<string?> config;

    /// <summary>The root attribute `config` (AnnScope's study config as JSON) when present, else null; read on first use.</summary>
    public string? Config => config.Value;

    /// <summary>Values in one slab (samples × units).</summary>
    public int SlabLength => Samples * Units;

    internal Hdf5ActivationReader(string path, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetName);
        Path = System.IO.Path.GetFullPath(path);
        Dataset = "/" + datasetName.Trim().TrimStart('/');
        if (!File.Exists(Path)) throw new FileNotFoundException($"{Path}: no such file", Path);
        stream = new ReadBudgetStream(Path);
        stream.Allow(StructureReads);
        try
        {
            file = H5File.Open(stream, leaveOpen: false);
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            stream.Dispose();
            throw new InvalidDataException($"{Path}: not a readable HDF5 file ({Describe(e)}; truncated or not HDF5)", e);
        }
        try
        {
            dataset = FindDataset(Dataset);
            var dims = dataset.Space.Dimensions;
            if (dims.Length != 4)
                throw Bad($"{Dataset} has {dims.Length} dimensions {FormatShape(dims)}; activations must be (instances, checkpoints, samples, units)");
            if (dims.Any(d => d < 1 || d > int.MaxValue))
                throw Bad($"{Dataset} has unusable dimensions {FormatShape(dims)}");
            if (dims[2] * dims[3] > (ulong)Array.MaxLength)
                throw Bad($"{Dataset}: one slab of {dims[2]} × {dims[3]} values is too large");
            (Instances, Checkpoints, Samples, Units) = ((int)dims[0], (int)dims[1], (int)dims[2], (int)dims[3]);
            var type = dataset.Type;
            if (type.Class != H5DataTypeClass.FloatingPoint || type.Size is not (4 or 8))
                throw Bad($"{Dataset} holds {type.Class} values of {type.Size} bytes; activations must be float32 or float64");
            IsFloat64 = type.Size == 8;
            CheckDeclaredSize(dims, (int)type.Size);
            Epochs = ReadEpochs();
            config = new Lazy<string?>(ReadConfig);
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            file.Dispose();
            throw Bad($"cannot read the file's structure ({Describe(e)})", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    // A dataset's declared shape is checked against the bytes the file really has before any slab buffer exists: stored
    // data fill at most the file; compressed chunks expand at most ~1032× (deflate's limit, the filter h5py and
    // AnnScope use), so a larger claim is a damaged header, not data.
    private const long MaxExpansion = 1100;

    // reads (and seeks) allowed for opening the file, or for one slab beyond one per value: far more than a sound
    // file needs, far fewer than a damaged header's endless walk
    private const long StructureReads = 1_000_000;

    private void CheckDeclaredSize(ulong[] dims, int itemSize)
    {
        long fileLength = new FileInfo(Path).Length;
        double declared = (double)dims[0] * dims[1] * dims[2] * dims[3] * itemSize;
        bool chunked = dataset.Layout.Class == H5DataLayoutClass.Chunked;
        double limit = chunked ? (double)fileLength * MaxExpansion : fileLength;
        if (declared > limit)
            throw Bad($"{Dataset} declares {FormatShape(dims)} values ({declared:0} bytes), more than the {fileLength}-byte file can hold" +
                      (chunked ? " even compressed" : "") + "; the file is damaged or truncated");
        ReadLimits.CheckAllocation(Path, $"one slab of {Dataset}", (long)(dims[2] * dims[3]), sizeof(double));
    }

    /// <summary>Reads the (samples × units) activations of one instance at one checkpoint as float32.</summary>
    public void ReadSlab(int instance, int checkpoint, Span<float> destination)
    {
        CheckSlab(instance, checkpoint, destination.Length);
        if (IsFloat64)
        {
            var data = ReadRaw(instance, checkpoint, wide ??= new double[SlabLength]);
            for (int i = 0; i < data.Length; i++) destination[i] = (float)data[i];
        }
        else ReadRaw(instance, checkpoint, single ??= new float[SlabLength]).CopyTo(destination);
        int bad = destination.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        if (bad >= 0) throw NonFinite(instance, checkpoint, bad, destination[bad]);
    }

    /// <summary>Reads the (samples × units) activations of one instance at one checkpoint as float64.</summary>
    public void ReadSlab(int instance, int checkpoint, Span<double> destination)
    {
        CheckSlab(instance, checkpoint, destination.Length);
        if (IsFloat64) ReadRaw(instance, checkpoint, wide ??= new double[SlabLength]).CopyTo(destination);
        else
        {
            var data = ReadRaw(instance, checkpoint, single ??= new float[SlabLength]);
            for (int i = 0; i < data.Length; i++) destination[i] = data[i];
        }
        int bad = destination.IndexOfAnyExceptInRange(double.MinValue, double.MaxValue);
        if (bad >= 0) throw NonFinite(instance, checkpoint, bad, destination[bad]);
    }

    /// <summary>Reads every instance at one checkpoint into an (instances × samples × units) float32 span.</summary>
    public void ReadCheckpoint(int checkpoint, Span<float> destination)
    {
        if (destination.Length != (long)Instances * SlabLength)
            throw new ArgumentException($"a checkpoint holds {Instances} × {Samples} × {Units} values, the destination {destination.Length}");
        for (int i = 0; i < Instances; i++) ReadSlab(i, checkpoint, destination.Slice(i * SlabLength, SlabLength));
    }

    /// <summary>Reads every instance at one checkpoint as a new (instances × samples × units) float32 array.</summary>
    public float[] ReadCheckpoint(int checkpoint)
    {
        if ((long)Instances * SlabLength > Array.MaxLength)
            throw new InvalidDataException($"{Path}: one checkpoint of {FormatShape([.. Shape.Select(d => (ulong)d)])} is too large to read at once; read slabs");
        var data = new float[Instances * SlabLength];
        ReadCheckpoint(checkpoint, data);
        return data;
    }

    public void Dispose() => file.Dispose();

    private T[] ReadRaw<T>(int instance, int checkpoint, T[] buffer)
    {
        var selection = new HyperslabSelection(4,
            starts: [(ulong)instance, (ulong)checkpoint, 0, 0],
            strides: [1, 1, 1, 1],
            counts: [1, 1, (ulong)Samples, (ulong)Units],
            blocks: [1, 1, 1, 1]);
        try
        {
            stream.Allow(StructureReads + SlabLength);
            dataset.Read(buffer, fileSelection: selection);
            return buffer;
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            throw Bad($"cannot read {Dataset}[{instance}, {checkpoint}] ({Describe(e)}; the file is damaged or truncated)", e);
        }
    }

    private void CheckSlab(int instance, int checkpoint, int length)
    {
        if ((uint)instance >= (uint)Instances) throw new ArgumentOutOfRangeException(nameof(instance), $"instance {instance} outside 0..{Instances - 1}");
        if ((uint)checkpoint >= (uint)Checkpoints) throw new ArgumentOutOfRangeException(nameof(checkpoint), $"checkpoint {checkpoint} outside 0..{Checkpoints - 1}");
        if (length != SlabLength) throw new ArgumentException($"a slab holds {Samples} × {Units} = {SlabLength} values, the destination {length}");
    }

    private IH5Dataset FindDataset(string name)
    {
        var link = name.TrimStart('/');
        if (!file.LinkExists(link))
        {
            var found = file.Children().Select(c => "/" + c.Name).ToList();
            throw Bad($"no dataset {name} (the file holds {(found.Count == 0 ? "nothing" : string.Join(", ", found))}; choose one with --dataset)");
        }
        return file.Get(link) as IH5Dataset ?? throw Bad($"{name} is a group, not a dataset");
    }

    private int[]? ReadEpochs()
    {
        var link = Hdf5Activations.EpochsDataset.TrimStart('/');
        if (!file.LinkExists(link) || file.Get(link) is not IH5Dataset epochs) return null;
        var dims = epochs.Space.Dimensions;
        if (dims.Length != 1 || dims[0] != (ulong)Checkpoints) return null;
        var type = epochs.Type;
        if (type.Class != H5DataTypeClass.FixedPoint || type.Size is not (4 or 8))
            throw Bad($"{Hdf5Activations.EpochsDataset} must hold integers, found {type.Class} of {type.Size} bytes");
        long[] values = type.Size == 4
            ? [.. epochs.Read<int[]>().Select(v => (long)v)]
            : epochs.Read<long[]>();
        for (int c = 0; c < values.Length; c++)
        {
            if (values[c] < 0 || values[c] > int.MaxValue)
                throw Bad($"{Hdf5Activations.EpochsDataset}[{c}] = {values[c]} is not a usable epoch");
            if (c > 0 && values[c] <= values[c - 1])
                throw Bad($"{Hdf5Activations.EpochsDataset} must increase (epoch {values[c]} follows {values[c - 1]})");
        }
        return [.. values.Select(v => (int)v)];
    }

    private string? ReadConfig()
    {
        stream.Allow(StructureReads);
        try { return ReadConfigAttribute(); }
        // PureHDF allocates a global-heap object's declared size before reading it: a damaged size fails here
        catch (Exception e) when (IsLibraryFailure(e) || e is OutOfMemoryException)
        {
            throw Bad($"cannot read attribute {Hdf5Activations.ConfigAttribute} ({Describe(e)}; the file is damaged)", e);
        }
    }

    private string? ReadConfigAttribute()
    {
        if (!file.AttributeExists(Hdf5Activations.ConfigAttribute)) return null;
        var attribute = file.Attribute(Hdf5Activations.ConfigAttribute);
        // fixed-length (class String) or variable-length (class VariableLength) strings, as h5py and PureHDF write them
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
            throw Bad($"attribute {Hdf5Activations.ConfigAttribute} holds {attribute.Type.Class}, expected a JSON string");
        return attribute.Read<string>();
    }

    private InvalidDataException Bad(string message, Exception? inner = null) => new($"{Path}: {message}", inner);

    private InvalidDataException NonFinite(int instance, int checkpoint, int index, double value) =>
        Bad($"{Dataset}[{instance}, {checkpoint}] holds {value} at sample {index / Units}, unit {index % Units}; activations must be finite");

    // PureHDF reports malformed files with plain exceptions of several types; ours are already specific.
    // (ArgumentException included: PureHDF throws ArgumentOutOfRangeException for a negative offset read from a damaged file)
    private static bool IsLibraryFailure(Exception e) =>
        e is not (InvalidDataException or OutOfMemoryException or FileNotFoundException or UnauthorizedAccessException);

    private static string FormatShape(ulong[] dims) => "(" + string.Join(", ", dims) + ")";

    // PureHDF quotes raw bytes of a damaged file (line breaks included); messages are one line
    private static string Describe(Exception e) => e.Message.ReplaceLineEndings(" ").TrimEnd('.');
}
