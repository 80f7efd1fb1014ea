using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace AnnScope.IO;

/// <summary>Element types of .npy files AnnScope reads (any byte order); it writes float32 and float64.</summary>
public enum NpyType
{
    /// <summary>float32, 'f4'</summary>
    Float32,
    /// <summary>float64, 'f8'</summary>
    Float64,
    /// <summary>NumPy bool, 'b1' (read as 0 and 1)</summary>
    Bool,
    /// <summary>int8, 'i1'</summary>
    Int8,
    /// <summary>uint8, 'u1'</summary>
    UInt8,
    /// <summary>int16, 'i2'</summary>
    Int16,
    /// <summary>uint16, 'u2'</summary>
    UInt16,
    /// <summary>int32, 'i4'</summary>
    Int32,
    /// <summary>uint32, 'u4'</summary>
    UInt32,
    /// <summary>int64, 'i8'</summary>
    Int64,
    /// <summary>uint64, 'u8'</summary>
    UInt64,
    /// <summary>float16, 'f2'</summary>
    Float16,
}

/// <summary>The parsed header of a .npy file.</summary>
public sealed record NpyHeader(NpyType Type, long[] Shape, long DataOffset)
{
    /// <summary>True when the data is stored column-major (NumPy's fortran_order, e.g. a saved transposed view).</summary>
    public bool FortranOrder { get; init; }

    /// <summary>True when the elements are big-endian ('&gt;' in the dtype).</summary>
    public bool BigEndian { get; init; }

    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Bytes per element.</summary>
    public int ItemSize => Npy.SizeOf(Type);

    /// <summary>The shape as NumPy prints it, e.g. (8, 2500, 120).</summary>
    public string ShapeText => Npy.FormatShape(Shape);
}

/// <summary>
/// NumPy .npy files (format versions 1.0–3.0). Readers accept every numeric dtype NumPy writes for real arrays —
/// bool, signed and unsigned integers of 1–8 bytes, float16/32/64 — in either byte order and in C or Fortran order,
/// converting on read to C-order values; anything else (bad magic, malformed header, complex, string or structured
/// dtypes, truncated or over-long data, sizes beyond memory) is an <see cref="InvalidDataException"/> naming the
/// file and the problem. Nothing is allocated for the data before its declared size is checked against the file's
/// length and the memory available.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int ChunkElements = 1 << 14;

    /// <summary>Reads and validates the header of <paramref name="path"/> (including the file length).</summary>
    public static NpyHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Reads an array as float32 in C order, converting other dtypes, byte orders and Fortran order.</summary>
    public static (float[] Data, long[] Shape) ReadFloat32(string path)
    {
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path);
        ReadLimits.CheckAllocation(path, $"shape {header.ShapeText}", header.Count, sizeof(float));
        var data = new float[header.Count];
        ReadAll<float>(stream, header, data, path);
        return (data, header.Shape);
    }

    /// <summary>Reads an array as float64 in C order, converting other dtypes, byte orders and Fortran order.</summary>
    public static (double[] Data, long[] Shape) ReadFloat64(string path)
    {
        using var stream = OpenRead(path);
        return ReadFloat64(stream, path);
    }

    /// <summary>
    /// Reads a float64 array (converting as <see cref="ReadFloat64(string)"/>) from the rest of <paramref name="stream"/>
    /// — e.g. an entry of an .npz archive, which need not be seekable; <paramref name="name"/> names it in error messages.
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
        ReadLimits.CheckAllocation(name, $"shape {header.ShapeText}", header.Count, sizeof(double));
        var data = new double[header.Count];
        ReadAll<double>(stream, header, data, name);
        return (data, header.Shape);
    }

    /// <summary>
    /// Reads labels of a partition (community or module labels): integers of any width, signed or unsigned, bool, or
    /// floats holding whole numbers, in C order. Any other entry — a fraction, NaN, infinity, a value outside the int
    /// range — is an <see cref="InvalidDataException"/> naming the first such entry by its index.
    /// </summary>
    public static (int[] Labels, long[] Shape) ReadLabels(string path)
    {
        var (values, shape) = ReadFloat64(path);
        var labels = new int[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            double v = values[k];
            if (!double.IsFinite(v) || v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                throw new InvalidDataException(
                    $"{path}: entry {FormatIndex(k, shape)} is {v.ToString(CultureInfo.InvariantCulture)}; labels must be whole numbers in the int range");
            labels[k] = (int)v;
        }
        return (labels, shape);
    }

    /// <summary>
    /// Reads the sub-array at <paramref name="index"/> along <paramref name="axis"/> (e.g. one checkpoint of
    /// (instances, checkpoints, samples, units) activations) as float32 in C order of the remaining axes, reading only
    /// that sub-array's bytes from the file, whatever the file's dtype, byte order or memory order.
    /// </summary>
    public static void ReadAlong(string path, NpyHeader header, int axis, long index, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(header);
        var shape = header.Shape;
        if ((uint)axis >= (uint)shape.Length) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} outside the {shape.Length} axes of {path}");
        if (index < 0 || index >= shape[axis]) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} outside 0..{shape[axis] - 1} on axis {axis}");
        long before = Product(shape.AsSpan(0, axis)), after = Product(shape.AsSpan(axis + 1));
        if (destination.Length != before * after)
            throw new ArgumentException($"the sub-array holds {before * after} values, the destination {destination.Length}");
        // runs of contiguous elements: the axes after `axis` in C order, the axes before it in Fortran order
        long runs = header.FortranOrder ? after : before, run = header.FortranOrder ? before : after;
        var fileOrder = header.FortranOrder && shape.Length > 2 ? new float[destination.Length] : null;
        Span<float> target = fileOrder is null ? destination : fileOrder;
        using var stream = OpenRead(path);
        for (long r = 0; r < runs; r++)
        {
            stream.Seek(header.DataOffset + (r * shape[axis] + index) * run * header.ItemSize, SeekOrigin.Begin);
            ReadElements(stream, header, target.Slice((int)(r * run), (int)run), path);
        }
        if (fileOrder is not null) FortranToC<float>(fileOrder, [.. shape[..axis], .. shape[(axis + 1)..]], destination);
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
        var descr = type switch
        {
            NpyType.Float32 => "<f4",
            NpyType.Float64 => "<f8",
            _ => throw new NotSupportedException($".npy output supports float32 and float64, not {type}"),
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {FormatShape(shape)}, }}";
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

    /// <summary>Fills <paramref name="destination"/> (C order) from the data that follows the header.</summary>
    private static void ReadAll<T>(Stream stream, NpyHeader header, Span<T> destination, string path) where T : unmanaged
    {
        if (!header.FortranOrder || header.Shape.Length < 2)
        {
            ReadElements(stream, header, destination, path);
            return;
        }
        var fileOrder = new T[destination.Length];
        ReadElements<T>(stream, header, fileOrder, path);
        FortranToC<T>(fileOrder, header.Shape, destination);
    }

    /// <summary>Reads destination.Length elements in file order, converting to float or double.</summary>
    private static void ReadElements<T>(Stream stream, NpyHeader header, Span<T> destination, string path) where T : unmanaged
    {
        bool wide = typeof(T) == typeof(double);
        if (!header.BigEndian && header.Type == (wide ? NpyType.Float64 : NpyType.Float32))
        {
            ReadExactly(stream, MemoryMarshal.AsBytes(destination), path);
            return;
        }
        int size = header.ItemSize;
        var raw = new byte[Math.Min(destination.Length, ChunkElements) * size];
        var values = new double[Math.Min(destination.Length, ChunkElements)];
        for (int done = 0; done < destination.Length;)
        {
            int n = Math.Min(values.Length, destination.Length - done);
            ReadExactly(stream, raw.AsSpan(0, n * size), path);
            Decode(raw.AsSpan(0, n * size), header.Type, header.BigEndian, values.AsSpan(0, n));
            if (wide) values.AsSpan(0, n).CopyTo(MemoryMarshal.Cast<T, double>(destination.Slice(done, n)));
            else
            {
                var narrow = MemoryMarshal.Cast<T, float>(destination.Slice(done, n));
                for (int i = 0; i < n; i++) narrow[i] = (float)values[i];
            }
            done += n;
        }
    }

    private static void Decode(ReadOnlySpan<byte> raw, NpyType type, bool big, Span<double> values)
    {
        int size = SizeOf(type);
        for (int i = 0; i < values.Length; i++)
        {
            var b = raw.Slice(i * size, size);
            values[i] = type switch
            {
                NpyType.Bool => b[0] != 0 ? 1 : 0,
                NpyType.Int8 => (sbyte)b[0],
                NpyType.UInt8 => b[0],
                NpyType.Int16 => big ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
                NpyType.UInt16 => big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                NpyType.Int32 => big ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
                NpyType.UInt32 => big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                NpyType.Int64 => big ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
                NpyType.UInt64 => big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
                NpyType.Float16 => (double)(big ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b)),
                NpyType.Float32 => big ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
                _ => big ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
            };
        }
    }

    /// <summary>Copies a column-major array of <paramref name="shape"/> into row-major order.</summary>
    private static void FortranToC<T>(ReadOnlySpan<T> source, long[] shape, Span<T> destination)
    {
        int rank = shape.Length;
        Span<long> cStride = stackalloc long[rank], at = stackalloc long[rank];
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--) { cStride[d] = stride; stride *= shape[d]; }
        long offset = 0;
        for (int p = 0; p < source.Length; p++)
        {
            destination[(int)offset] = source[p];
            for (int d = 0; d < rank; d++) // the first axis varies fastest in the file
            {
                offset += cStride[d];
                if (++at[d] < shape[d]) break;
                offset -= cStride[d] * shape[d];
                at[d] = 0;
            }
        }
    }

    private static long Product(ReadOnlySpan<long> dims)
    {
        long p = 1;
        foreach (var d in dims) p *= d;
        return p;
    }

    /// <summary>A C-order element index as NumPy writes it, e.g. [2, 5].</summary>
    private static string FormatIndex(long k, long[] shape)
    {
        if (shape.Length == 0) return "[]";
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { index[d] = k % shape[d]; k /= shape[d]; }
        return "[" + string.Join(", ", index) + "]";
    }

    internal static int SizeOf(NpyType type) => type switch
    {
        NpyType.Bool or NpyType.Int8 or NpyType.UInt8 => 1,
        NpyType.Int16 or NpyType.UInt16 or NpyType.Float16 => 2,
        NpyType.Int32 or NpyType.UInt32 or NpyType.Float32 => 4,
        _ => 8,
    };

    private static (NpyType Type, bool BigEndian) ParseDescr(string descr, string path)
    {
        var m = DescrPattern().Match(descr);
        if (m.Success)
        {
            NpyType? type = (m.Groups["kind"].Value, m.Groups["size"].Value) switch
            {
                ("b", "1") => NpyType.Bool,
                ("i", "1") => NpyType.Int8,
                ("u", "1") => NpyType.UInt8,
                ("i", "2") => NpyType.Int16,
                ("u", "2") => NpyType.UInt16,
                ("i", "4") => NpyType.Int32,
                ("u", "4") => NpyType.UInt32,
                ("i", "8") => NpyType.Int64,
                ("u", "8") => NpyType.UInt64,
                ("f", "2") => NpyType.Float16,
                ("f", "4") => NpyType.Float32,
                ("f", "8") => NpyType.Float64,
                _ => null,
            };
            if (type is { } t) return (t, m.Groups["order"].Value == ">" && SizeOf(t) > 1);
        }
        throw new InvalidDataException(
            $"{path}: unsupported dtype {Shorten(descr)}; AnnScope reads bool, integers (i1–i8, u1–u8) and floats (f2, f4, f8)");
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
        if (offset + headerLength > stream.Length)
            throw new InvalidDataException($"{path}: truncated .npy header ({headerLength} bytes declared, the file has {stream.Length})");
        stream.Seek(offset, SeekOrigin.Begin);
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) != headerBytes.Length)
            throw new InvalidDataException($"{path}: truncated .npy header");
        string text;
        try { text = (major == 3 ? StrictUtf8 : Encoding.Latin1).GetString(headerBytes).Trim(); }
        catch (DecoderFallbackException) { throw new InvalidDataException($"{path}: .npy header is not valid UTF-8"); }
        var match = HeaderPattern().Match(text);
        if (!match.Success) throw new InvalidDataException($"{path}: malformed .npy header: {Shorten(text)}");
        var entries = new Dictionary<string, string>();
        foreach (Capture c in match.Groups["entry"].Captures)
        {
            var m = EntryPattern().Match(c.Value);
            if (!m.Success || !entries.TryAdd(m.Groups["key"].Value, m.Groups["value"].Value.Trim()))
                throw new InvalidDataException($"{path}: malformed .npy header: {Shorten(text)}");
        }
        if (!entries.TryGetValue("descr", out var descr) || !entries.TryGetValue("fortran_order", out var fortran) ||
            !entries.TryGetValue("shape", out var shapeText) || entries.Count != 3)
            throw new InvalidDataException($"{path}: .npy header needs exactly descr, fortran_order and shape: {Shorten(text)}");
        var (type, big) = ParseDescr(descr.Trim('\'', '"'), path);
        bool fortranOrder = fortran switch
        {
            "True" => true,
            "False" => false,
            _ => throw new InvalidDataException($"{path}: bad fortran_order value {Shorten(fortran)}"),
        };
        var shape = ParseShape(shapeText, path);
        var header = new NpyHeader(type, shape, offset + headerLength) { FortranOrder = fortranOrder, BigEndian = big };
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

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    // a damaged header can be a megabyte of noise: messages quote its start only, on one line
    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 120 ? line : line[..120] + "…";
    }

    private static long[] ParseShape(string text, string path)
    {
        var inner = text.Trim();
        if (!inner.StartsWith('(') || !inner.EndsWith(')')) throw new InvalidDataException($"{path}: bad shape {Shorten(text)}");
        var parts = inner[1..^1].Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 1 && parts[^1] == "") parts = parts[..^1];
        if (parts is [""]) return [];
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new InvalidDataException($"{path}: bad shape {Shorten(text)}");
        return shape;
    }

    [GeneratedRegex(@"^\{\s*(?:(?<entry>'[a-z_]+'\s*:\s*(?:'[^']*'|\([^)]*\)|True|False))\s*(?:,\s*|(?=\})))*\}$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^(?<order>[<>|=]?)(?<kind>[a-zA-Z])(?<size>[0-9]+)$")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"^'(?<key>[a-z_]+)'\s*:\s*(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex EntryPattern();
}
