using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace AnnScope.IO;

/// <summary>
/// Writes activations.h5 slab by slab as a study produces them: one (samples × units) slab per instance and
/// checkpoint, each stored as one chunk and released at once, so memory stays at one slab whatever the study's
/// size. The file is built under a temporary name beside the target and renamed into place by
/// <see cref="Complete"/>; disposing an incomplete writer deletes it, so no half-written file is ever left
/// under the real name. Not thread-safe: one producer writes.
/// </summary>
public sealed class Hdf5ActivationWriter : IDisposable
{
    private readonly string temp;
    private readonly H5Dataset<float[]> dataset;
    private readonly H5NativeWriter writer;
    private readonly bool[] written;
    private readonly float[] buffer;
    private int count;
    private bool closed;

    /// <summary>The file the activations end up in.</summary>
    public string Path { get; }

    public int Instances { get; }
    public int Checkpoints { get; }
    public int Samples { get; }
    public int Units { get; }

    /// <summary>Slabs written so far (of <see cref="Instances"/> × <see cref="Checkpoints"/>).</summary>
    public int SlabsWritten => count;

    internal Hdf5ActivationWriter(string path, int instances, IReadOnlyList<int> epochs, int samples, int units, string configJson)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(configJson);
        if (instances < 1 || samples < 1 || units < 1 || epochs.Count < 1)
            throw new ArgumentException($"activations need at least one instance, checkpoint, sample and unit (got {instances}, {epochs.Count}, {samples}, {units})");
        if ((long)samples * units > Array.MaxLength)
            throw new ArgumentException($"one slab of {samples} × {units} values is too large");
        for (int c = 1; c < epochs.Count; c++)
            if (epochs[c] <= epochs[c - 1])
                throw new ArgumentException($"checkpoint epochs must increase (epoch {epochs[c]} follows {epochs[c - 1]})");
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"output directory {dir} does not exist");
        (Instances, Checkpoints, Samples, Units) = (instances, epochs.Count, samples, units);
        written = new bool[instances * Checkpoints];
        buffer = new float[samples * units];
        temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

        dataset = new H5Dataset<float[]>(
            fileDims: [(ulong)instances, (ulong)Checkpoints, (ulong)samples, (ulong)units],
            chunks: [1, 1, (uint)samples, (uint)units],
            datasetCreation: new H5DatasetCreation { ChunkCache = new SlabChunkCache() });
        var file = new H5File
        {
            [DatasetName(Hdf5Activations.DefaultDataset)] = dataset,
            [DatasetName(Hdf5Activations.EpochsDataset)] = epochs.ToArray(),
        };
        file.Attributes[Hdf5Activations.ConfigAttribute] = configJson;
        try
        {
            writer = file.BeginWrite(temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes the (samples × units) activations of one instance at one checkpoint (row-major, each slab exactly once).</summary>
    public void WriteSlab(int instance, int checkpoint, ReadOnlySpan<float> slab)
    {
        ObjectDisposedException.ThrowIf(closed, this);
        if ((uint)instance >= (uint)Instances) throw new ArgumentOutOfRangeException(nameof(instance), $"instance {instance} outside 0..{Instances - 1}");
        if ((uint)checkpoint >= (uint)Checkpoints) throw new ArgumentOutOfRangeException(nameof(checkpoint), $"checkpoint {checkpoint} outside 0..{Checkpoints - 1}");
        if (slab.Length != buffer.Length)
            throw new ArgumentException($"a slab holds {Samples} × {Units} = {buffer.Length} values, got {slab.Length}");
        ref bool done = ref written[instance * Checkpoints + checkpoint];
        if (done) throw new InvalidOperationException($"instance {instance} at checkpoint {checkpoint} was already written");
        int bad = slab.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        if (bad >= 0)
            throw new ArgumentException($"activation of instance {instance}, checkpoint {checkpoint} is {slab[bad]} at sample {bad / Units}, unit {bad % Units}");
        slab.CopyTo(buffer);
        var selection = new HyperslabSelection(4,
            starts: [(ulong)instance, (ulong)checkpoint, 0, 0],
            strides: [1, 1, 1, 1],
            counts: [1, 1, (ulong)Samples, (ulong)Units],
            blocks: [1, 1, 1, 1]);
        writer.Write(dataset, buffer, fileSelection: selection);
        done = true;
        count++;
    }

    /// <summary>Writes every instance's slab of one checkpoint from an (instances × samples × units) array.</summary>
    public void WriteCheckpoint(int checkpoint, ReadOnlySpan<float> activations)
    {
        if (activations.Length != (long)Instances * buffer.Length)
            throw new ArgumentException($"a checkpoint holds {Instances} × {Samples} × {Units} values, got {activations.Length}");
        for (int i = 0; i < Instances; i++)
            WriteSlab(i, checkpoint, activations.Slice(i * buffer.Length, buffer.Length));
    }

    /// <summary>Closes the file and renames it into place; every slab must have been written.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(closed, this);
        if (count != written.Length)
        {
            int missing = Array.IndexOf(written, false);
            throw new InvalidOperationException(
                $"{Path}: {written.Length - count} of {written.Length} slabs not written (first: instance {missing / Checkpoints}, checkpoint {missing % Checkpoints})");
        }
        closed = true;
        try
        {
            writer.Dispose();
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Abandons an incomplete file (nothing appears under <see cref="Path"/>); after <see cref="Complete"/> does nothing.</summary>
    public void Dispose()
    {
        if (closed) return;
        closed = true;
        try { writer.Dispose(); }
        catch (Exception) { /* the file is being discarded; its close error changes nothing */ }
        finally { TryDelete(temp); }
    }

    private static string DatasetName(string path) => path.TrimStart('/');

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
