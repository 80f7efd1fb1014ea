using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AnnScope.IO;

/// <summary>
/// A resumable snapshot: a position (e.g. the last completed epoch), a fingerprint of what produced it, and
/// named float64 arrays, written atomically and sealed with SHA-256 so a torn or foreign file is refused
/// rather than trusted.
/// </summary>
public static class StateFile
{
    private static readonly byte[] Magic = "ANNSTATE"u8.ToArray();
    private const int Version = 1;

    /// <summary>What a state file holds.</summary>
    public sealed record Snapshot(long Position, string Fingerprint, IReadOnlyDictionary<string, double[]> Arrays);

    /// <summary>Writes <paramref name="snapshot"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, Snapshot snapshot)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(snapshot.Position);
            w.Write(snapshot.Fingerprint);
            w.Write(snapshot.Arrays.Count);
            foreach (var (name, values) in snapshot.Arrays.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.Write(name);
                w.Write(values.LongLength);
                w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            }
        }
        var payload = body.ToArray();
        var hash = SHA256.HashData(payload);
        AtomicFile.Write(path, s =>
        {
            s.Write(Magic);
            s.Write(hash);
            s.Write(payload);
        });
    }

    /// <summary>Reads and verifies a state file; a damaged or foreign file is an <see cref="InvalidDataException"/>.</summary>
    public static Snapshot Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file", path);
        ReadLimits.CheckAllocation(path, "the state file", info.Length, 1);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not an AnnScope state file");
        int start = Magic.Length + 32;
        if (!SHA256.HashData(bytes.AsSpan(start)).AsSpan().SequenceEqual(bytes.AsSpan(Magic.Length, 32)))
            throw new InvalidDataException($"{path}: state file is damaged (checksum mismatch)");
        using var payload = new MemoryStream(bytes, start, bytes.Length - start, writable: false);
        using var r = new BinaryReader(payload, Encoding.UTF8);
        long Remaining() => payload.Length - payload.Position;
        try
        {
            if (r.ReadInt32() != Version) throw new InvalidDataException($"{path}: unsupported state file version");
            long position = r.ReadInt64();
            string fingerprint = r.ReadString();
            int count = r.ReadInt32();
            if (count < 0 || count > Remaining())
                throw new InvalidDataException($"{path}: state file declares {count} arrays in {Remaining()} bytes");
            var arrays = new Dictionary<string, double[]>();
            for (int i = 0; i < count; i++)
            {
                var name = r.ReadString();
                long length = r.ReadInt64();
                // the declared length is checked against the bytes really there before anything is allocated
                if (length < 0 || length > Remaining() / sizeof(double))
                    throw new InvalidDataException($"{path}: array '{name}' declares {length} values, the file holds at most {Remaining() / sizeof(double)}");
                var values = new double[length];
                r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                if (!arrays.TryAdd(name, values)) throw new InvalidDataException($"{path}: array '{name}' appears twice");
            }
            if (Remaining() != 0) throw new InvalidDataException($"{path}: {Remaining()} unexpected bytes after the last array");
            return new Snapshot(position, fingerprint, arrays);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: truncated state file");
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{path}: state file has a malformed string length");
        }
    }

    /// <summary>A stable fingerprint of a text (a config's JSON, say).</summary>
    public static string Fingerprint(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
