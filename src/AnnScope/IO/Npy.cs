using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace AnnScope.IO;

/// <summary>Element types AnnScope reads and writes in .npy files.</summary>
public enum NpyType
{
    /// <summary>little-endian float32, '&lt;f4'</summary>
    Float32,
    /// <summary>little-endian float64, '&lt;f8'</summary>
    Float64,
}

/// <summary>The parsed header of a .npy file.</summary>
public sealed record NpyHeader(NpyType Type, long[] Shape, long DataOffset)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Bytes per element.</summary>
    public int ItemSize => Type == NpyType.Float32 ? 4 : 8;

    /// <summary>The shape as NumPy prints it, e.g. (8, 2500, 120).</summary>
    public string ShapeText => Npy.FormatShape(Shape);
}

/// <summary>
/// NumPy .npy files (format versions 1.0–3.0), float32/float64, C order. The reader refuses anything it
/// cannot read exactly — bad magic, malformed header, other dtypes, big-endian, Fortran order, truncated or
/// over-long data — with an <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads and validates the header of <paramref name="path"/> (including the file length).</summary>
    public static NpyHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Reads a float32 array, converting float64 data to float32.</summary>
    public static (float[] Data, long[] Shape) ReadFloat32(string path)
    {
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path);
        var data = new float[checked((int)header.Count)];
        if (header.Type == NpyType.Float32) ReadExactly(stream, MemoryMarshal.AsBytes(data.AsSpan()), path);
        else
        {
            var wide = new double[data.Length];
            ReadExactly(stream, MemoryMarshal.AsBytes(wide.AsSpan()), path);
            for (int i = 0; i < data.Length; i++) data[i] = (float)wide[i];
        }
        return (data, header.Shape);
    }

    /// <summary>Reads a float64 array, widening float32 data.</summary>
    public static (double[] Data, long[] Shape) ReadFloat64(string path)
    {
        using var stream = OpenRead(path);
        return ReadFloat64(stream, path);
    }

    /// <summary>
    /// Reads a float64 array (widening float32 data) from the rest of <paramref name="stream"/> — e.g. an entry of an
    /// .npz archive, which need not be seekable; <paramref name="name"/> names it in error messages.
    /// </summary>
    public static (double[] Data, long[] Shape) ReadFloat64(Stream stream, string name)
    {
        if (!stream.CanSeek || stream.Position != 0)
        {
            var buffered = new MemoryStream();
            stream.CopyTo(buffered);
            buffered.Position = 0;
            stream = buffered;
        }
        var header = ReadHeader(stream, name);
        var data = new double[checked((int)header.Count)];
        if (header.Type == NpyType.Float64) ReadExactly(stream, MemoryMarshal.AsBytes(data.AsSpan()), name);
        else
        {
            var narrow = new float[data.Length];
            ReadExactly(stream, MemoryMarshal.AsBytes(narrow.AsSpan()), name);
            for (int i = 0; i < data.Length; i++) data[i] = narrow[i];
        }
        return (data, header.Shape);
    }

    /// <summary>Reads elements [<paramref name="start"/>, start + destination.Length) of a float32 file (for streaming large arrays).</summary>
    public static void ReadSlice(string path, NpyHeader header, long start, Span<float> destination)
    {
        if (header.Type != NpyType.Float32) throw new InvalidDataException($"{path}: expected float32 data, found float64");
        if (start < 0 || start + destination.Length > header.Count) throw new ArgumentOutOfRangeException(nameof(start));
        using var stream = OpenRead(path);
        stream.Seek(header.DataOffset + start * 4, SeekOrigin.Begin);
        ReadExactly(stream, MemoryMarshal.AsBytes(destination), path);
    }

    /// <summary>Writes a C-order array atomically (temporary file, then rename).</summary>
    public static void Write<T>(string path, ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        var type = typeof(T) == typeof(float) ? NpyType.Float32
            : typeof(T) == typeof(double) ? NpyType.Float64
            : throw new NotSupportedException($".npy output supports float and double, not {typeof(T).Name}");
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        if (count != data.Length) throw new ArgumentException($"shape {FormatShape(shape)} needs {count} values, got {data.Length}");
        var header = BuildHeader(type, shape);
        var bytes = MemoryMarshal.AsBytes(data).ToArray();
        AtomicFile.Write(path, s =>
        {
            s.Write(header);
            s.Write(bytes);
        });
    }

    internal static byte[] BuildHeader(NpyType type, long[] shape)
    {
        var dict = $"{{'descr': '{(type == NpyType.Float32 ? "<f4" : "<f8")}', 'fortran_order': False, 'shape': {FormatShape(shape)}, }}";
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        var text = dict + new string(' ', padding) + "\n";
        var header = new byte[Magic.Length + 4 + text.Length];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(10));
        return header;
    }

    internal static string FormatShape(long[] shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape) + ")",
    };

    private static FileStream OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) != buffer.Length)
            throw new InvalidDataException($"{path}: truncated .npy data");
    }

    private static NpyHeader ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[12];
        int got = stream.ReadAtLeast(prefix, 10, throwOnEndOfStream: false);
        if (got < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a .npy file (bad magic)");
        int major = prefix[6];
        long headerLength, offset;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            if (got < 12) throw new InvalidDataException($"{path}: truncated .npy header");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            offset = 12;
        }
        else throw new InvalidDataException($"{path}: unsupported .npy format version {major}.{prefix[7]}");
        if (headerLength > 1 << 20) throw new InvalidDataException($"{path}: implausible .npy header length {headerLength}");
        stream.Seek(offset, SeekOrigin.Begin);
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) != headerBytes.Length)
            throw new InvalidDataException($"{path}: truncated .npy header");
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes).Trim();
        var match = HeaderPattern().Match(text);
        if (!match.Success) throw new InvalidDataException($"{path}: malformed .npy header: {text}");
        var entries = new Dictionary<string, string>();
        foreach (Capture c in match.Groups["entry"].Captures)
        {
            var m = EntryPattern().Match(c.Value);
            if (!m.Success || !entries.TryAdd(m.Groups["key"].Value, m.Groups["value"].Value.Trim()))
                throw new InvalidDataException($"{path}: malformed .npy header: {text}");
        }
        if (!entries.TryGetValue("descr", out var descr) || !entries.TryGetValue("fortran_order", out var fortran) ||
            !entries.TryGetValue("shape", out var shapeText) || entries.Count != 3)
            throw new InvalidDataException($"{path}: .npy header needs exactly descr, fortran_order and shape: {text}");
        var type = descr.Trim('\'', '"') switch
        {
            "<f4" => NpyType.Float32,
            "<f8" => NpyType.Float64,
            var other => throw new InvalidDataException(
                $"{path}: unsupported dtype {other}; AnnScope reads little-endian float32 ('<f4') or float64 ('<f8')"),
        };
        if (fortran == "True") throw new InvalidDataException($"{path}: Fortran-order arrays are not supported; save with C order");
        if (fortran != "False") throw new InvalidDataException($"{path}: bad fortran_order value {fortran}");
        var shape = ParseShape(shapeText, path);
        var header = new NpyHeader(type, shape, offset + headerLength);
        long expected;
        try { expected = checked(header.DataOffset + header.Count * header.ItemSize); }
        catch (OverflowException) { throw new InvalidDataException($"{path}: shape {header.ShapeText} is too large"); }
        if (stream.Length < expected)
            throw new InvalidDataException(
                $"{path}: truncated .npy data: shape {header.ShapeText} needs {expected} bytes, the file has {stream.Length}");
        if (stream.Length > expected)
            throw new InvalidDataException(
                $"{path}: {stream.Length - expected} unexpected bytes after the data of shape {header.ShapeText}");
        return header;
    }

    private static long[] ParseShape(string text, string path)
    {
        var inner = text.Trim();
        if (!inner.StartsWith('(') || !inner.EndsWith(')')) throw new InvalidDataException($"{path}: bad shape {text}");
        var parts = inner[1..^1].Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 1 && parts[^1] == "") parts = parts[..^1];
        if (parts is [""]) return [];
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new InvalidDataException($"{path}: bad shape {text}");
        return shape;
    }

    [GeneratedRegex(@"^\{\s*(?:(?<entry>'[a-z_]+'\s*:\s*(?:'[^']*'|\([^)]*\)|True|False))\s*(?:,\s*|(?=\})))*\}$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^'(?<key>[a-z_]+)'\s*:\s*(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex EntryPattern();
}
