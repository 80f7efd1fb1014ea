using System.Security.Cryptography;
using System.Text;
using AnnScope.IO;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Fuzz;

/// <summary>The readers fuzzed, each with valid seed files and its own structured edits.</summary>
public static class ReaderTargets
{
    private static byte[] Bytes(Action<string> write, string extension)
    {
        using var dir = new TempDir();
        var path = dir.File("seed" + extension);
        write(path);
        return File.ReadAllBytes(path);
    }

    private static byte[] NpyFile(string descr, string fortran, string shape, byte[] data, int version = 1)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";
        int prefix = version == 1 ? 10 : 12;
        var text = dict.PadRight(dict.Length + (64 - (prefix + dict.Length + 1) % 64) % 64) + "\n";
        var header = new byte[prefix];
        byte[] magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        magic.CopyTo(header, 0);
        header[6] = (byte)version;
        if (version == 1) BitConverter.GetBytes((ushort)text.Length).CopyTo(header, 8);
        else BitConverter.GetBytes((uint)text.Length).CopyTo(header, 8);
        return [.. header, .. Encoding.Latin1.GetBytes(text), .. data];
    }

    private static readonly string[] Descrs =
        ["<f4", "<f8", ">f8", ">f4", "|b1", "|i1", "<i2", "<i4", "<i8", ">u2", "<u8", "<f2", "<c8", "<U3", "|O", "<M8[ns]", "f4", "<f16", "<i3", "", "<f4'", "|V8"];

    private static readonly string[] Shapes =
        ["()", "(0,)", "(3,)", "(2, 3)", "(3, 2)", "(2, 2, 2)", "(1, 2, 3, 1)", "(99999999999, 99999)", "(4611686018427387904, 4)",
         "(-1,)", "(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)", "(2147483647,)", "(1e3,)", "(,)", "((2,),)", "(2 3)"];

    /// <summary>.npy (Npy.ReadFloat32 and Npy.ReadLabels).</summary>
    public static ReaderFuzzer.Target Npy() => new("npy", ".npy",
        [
            NpyFile("<f8", "False", "(2, 3)", [.. new double[] { 1, 2, 3, 4, 5, 6 }.SelectMany(BitConverter.GetBytes)]),
            NpyFile("<f4", "True", "(3, 2)", [.. new float[] { 1, 2, 3, 4, 5, 6 }.SelectMany(BitConverter.GetBytes)]),
            NpyFile("<i8", "False", "(4,)", [.. new long[] { 0, 1, 1, 2 }.SelectMany(BitConverter.GetBytes)], version: 2),
            NpyFile(">i2", "True", "(2, 2)", [0, 1, 0, 2, 0, 3, 0, 4], version: 3),
            NpyFile("|b1", "False", "(3,)", [1, 0, 1]),
        ],
        path =>
        {
            AnnScope.IO.Npy.ReadFloat32(path);
            AnnScope.IO.Npy.ReadLabels(path);
        },
        (rng, data) =>
        {
            var descr = Descrs[rng.Next(Descrs.Length)];
            var shape = Shapes[rng.Next(Shapes.Length)];
            var fortran = new[] { "True", "False", "'x'", "1" }[rng.Next(4)];
            var body = new byte[rng.Next(3) == 0 ? rng.Next(200) : 6 * (descr.Length > 2 && char.IsDigit(descr[^1]) ? descr[^1] - '0' : 8)];
            rng.NextBytes(body);
            if (rng.Next(3) == 0) // NaN and infinities in float data
                for (int i = 0; i + 8 <= body.Length; i += 8)
                    BitConverter.GetBytes(new[] { double.NaN, double.PositiveInfinity, -0.0, 1.5 }[rng.Next(4)]).CopyTo(body, i);
            return NpyFile(descr, fortran, shape, body, 1 + rng.Next(3));
        });

    /// <summary>HDF5 activations (Hdf5Activations.Open, every checkpoint read).</summary>
    public static ReaderFuzzer.Target Hdf5() => new("hdf5", ".h5",
        [
            Bytes(path =>
            {
                using var writer = Hdf5Activations.Create(path, 2, [0, 5], 3, 4, "{\"seed\": 1}");
                for (int c = 0; c < 2; c++) writer.WriteCheckpoint(c, Enumerable.Range(0, 24).Select(v => v * 0.25f - c).ToArray());
                writer.Complete();
            }, ".h5"),
        ],
        path =>
        {
            using var reader = Hdf5Activations.Open(path);
            for (int c = 0; c < reader.Checkpoints; c++) reader.ReadCheckpoint(c);
        },
        // PureHDF 2.2.0 allocates a buffer of a damaged size field (an int: < 2 GiB) before it finds the file too
        // short; AnnScope's own buffers are checked first (Hdf5ActivationReader.CheckDeclaredSize)
        AllocationSlack: 2L << 30);

    /// <summary>CSV tables (CsvTable.Read, then every column as text and as numbers).</summary>
    public static ReaderFuzzer.Target Csv() => new("csv", ".csv",
        [
            "instance,epoch,accuracy\n0,0,0.5\n0,10,0.75\n1,0,0.25\n"u8.ToArray(),
            "a,\"b, quoted\",c\r\n1,\"2\",3\r\n4,5,\"6\"\r\n"u8.ToArray(),
            "x\n1e-3\n-2.5E+4\n"u8.ToArray(),
        ],
        path =>
        {
            var table = CsvTable.Read(path);
            foreach (var column in table.Columns)
            {
                table.Text(column);
                table.Numeric(column);
            }
        },
        (rng, data) =>
        {
            string[] tokens = ["\"", ",", "\r\n", "\n", "\r", "NaN", "Infinity", "-inf", "1e999", "\xff\xfe", "\xc3", "\xed\xa0\x80", "\0",
                "\"\"", " ", "1,2", "x", "\"a\nb\"", new string(',', 500), "\uFEFF"];
            return ReaderFuzzer.Splice(rng, data, tokens[rng.Next(tokens.Length)]);
        },
        e => e is ArgumentException); // a column the table does not have (ColumnIndex) is the API's ArgumentException

    /// <summary>The JSON study config (StudyConfig.OverrideFromFile, then Validate).</summary>
    public static ReaderFuzzer.Target Config() => new("config", ".json",
        [
            "{\"instances\": 2, \"epochs\": 20, \"every\": 10, \"omega\": 0.5}"u8.ToArray(),
            "{\"preset\": \"paper\", \"plasticity\": \"hebb\", \"gamma_pos\": 1.02, \"seed\": 7}"u8.ToArray(),
            "{}"u8.ToArray(),
        ],
        path => new StudyConfig().OverrideFromFile(path).Validate(),
        (rng, data) =>
        {
            string[] fields = ["instances", "seed", "omega", "gamma_pos", "p", "length", "windows", "plasticity", "runs", "method", "preset", "unknown"];
            string[] values = ["NaN", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400", "-1", "1.5", "18446744073709551616", "null", "true",
                "\"anti\"", "[]", "{}", "\"\\ud800\"", "0", "2147483648"];
            return rng.Next(4) switch
            {
                0 => Encoding.UTF8.GetBytes(new string('[', rng.Next(1, 5000)) + new string(']', rng.Next(1, 5000))),
                1 => Encoding.UTF8.GetBytes($"{{\"{fields[rng.Next(fields.Length)]}\": {values[rng.Next(values.Length)]}}}"),
                2 => ReaderFuzzer.Splice(rng, data, new[] { "\xff", "\xc3\x28", "\uFEFF", "/*", "//", ",", "}", "{\"a\":" }[rng.Next(8)]),
                _ => Encoding.UTF8.GetBytes("{\"seed\": " + new string('{', rng.Next(1, 200)) + "}"),
            };
        },
        e => e is ArgumentException); // Validate names the first field that makes no sense

    /// <summary>state.bin (StateFile.Read); half the edits re-seal the checksum so they reach the parser.</summary>
    public static ReaderFuzzer.Target State() => new("state", ".bin",
        [
            Bytes(path => StateFile.Write(path, new StateFile.Snapshot(3, "ABC",
                new Dictionary<string, double[]> { ["w"] = [1, 2, 3], ["b"] = [], ["é"] = [double.NaN] })), ".bin"),
        ],
        path => StateFile.Read(path),
        (rng, data) =>
        {
            const int start = 8 + 32;
            if (data.Length < start) return data;
            var payload = data[start..];
            if (payload.Length > 0)
            {
                int at = rng.Next(payload.Length);
                if (rng.Next(2) == 0 && at + 8 <= payload.Length)
                    BitConverter.GetBytes(new[] { -1L, 1L << 40, long.MaxValue, int.MaxValue }[rng.Next(4)]).CopyTo(payload, at);
                else payload[at] = (byte)rng.Next(256);
                if (rng.Next(4) == 0) payload = payload[..rng.Next(payload.Length)];
            }
            return [.. data[..8], .. SHA256.HashData(payload), .. payload];
        });
}
