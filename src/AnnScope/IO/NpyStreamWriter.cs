using System.Runtime.InteropServices;

namespace AnnScope.IO;

/// <summary>
/// Writes a large .npy array piece by piece — e.g. activations (instances, checkpoints, T, M) as checkpoints are
/// produced — into a temporary file beside the target, which <see cref="Commit"/> renames into place. Disposing
/// without a commit removes the temporary file, so a failed run leaves no partial output.
/// </summary>
public sealed class NpyStreamWriter : IDisposable
{
    private readonly string path;
    private readonly string temp;
    private readonly FileStream stream;
    private readonly long dataOffset;
    private readonly int itemSize;
    private bool committed;

    /// <summary>Creates the temporary file with the header of a C-order array of <paramref name="shape"/>.</summary>
    public NpyStreamWriter(string path, NpyType type, params long[] shape)
    {
        this.path = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(this.path)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"output directory {dir} does not exist");
        if (type is not (NpyType.Float32 or NpyType.Float64))
            throw new NotSupportedException($".npy output supports float32 and float64, not {type}");
        Count = shape.Aggregate(1L, (a, b) => checked(a * b));
        itemSize = type == NpyType.Float32 ? 4 : 8;
        Type = type;
        temp = Path.Combine(dir, $".{Path.GetFileName(this.path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        try
        {
            var header = Npy.BuildHeader(type, shape);
            stream.Write(header);
            dataOffset = header.Length;
            stream.SetLength(dataOffset + Count * itemSize);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Elements in the array.</summary>
    public long Count { get; }

    /// <summary>Element type.</summary>
    public NpyType Type { get; }

    /// <summary>Writes <paramref name="values"/> at element offset <paramref name="start"/> (C order).</summary>
    public void Write(long start, ReadOnlySpan<float> values)
    {
        if (Type != NpyType.Float32) throw new InvalidOperationException("this array holds float64 values");
        WriteBytes(start, values.Length, MemoryMarshal.AsBytes(values));
    }

    /// <inheritdoc cref="Write(long, ReadOnlySpan{float})"/>
    public void Write(long start, ReadOnlySpan<double> values)
    {
        if (Type != NpyType.Float64) throw new InvalidOperationException("this array holds float32 values");
        WriteBytes(start, values.Length, MemoryMarshal.AsBytes(values));
    }

    private void WriteBytes(long start, int count, ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(committed, this);
        if (start < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"elements [{start}, {start + count}) lie outside the array of {Count}");
        stream.Seek(dataOffset + start * itemSize, SeekOrigin.Begin);
        stream.Write(bytes);
    }

    /// <summary>Flushes the data to disk and renames the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(committed, this);
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(temp, path, overwrite: true);
        committed = true;
    }

    /// <summary>Closes the file; without a <see cref="Commit"/> the temporary file is removed.</summary>
    public void Dispose()
    {
        stream.Dispose();
        if (committed) return;
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
