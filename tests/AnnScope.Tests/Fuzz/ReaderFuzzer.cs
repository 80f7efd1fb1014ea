using System.Text;
using System.Text.RegularExpressions;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Fuzz;

/// <summary>
/// Seeded mutation fuzzing of one file reader: case k of reader seed s is always the same input (truncations, bit
/// flips, byte overwrites with boundary values, inserted and deleted spans, and the reader's own structured edits),
/// so a failure names its case and reproduces. Every input must be read or refused with the reader's typed exception
/// and a one-line message, within a time limit, without writing a file, and without allocating much more than the
/// file's size (a declared size is checked before anything is allocated for it).
/// </summary>
public static partial class ReaderFuzzer
{
    /// <summary>Cases per reader: ANNSCOPE_FUZZ_CASES for the full run (./build.sh fuzz), else the quick seeded subset.</summary>
    public static int Cases(int quick) =>
        int.TryParse(Environment.GetEnvironmentVariable("ANNSCOPE_FUZZ_CASES"), out var n) && n > 0 ? n : quick;

    public sealed record Report(string Reader, int Cases, int Accepted, int Refused, int DistinctErrors, IReadOnlyList<string> Crashes)
    {
        public override string ToString() =>
            $"{Reader}: {Cases} cases, {Accepted} read, {Refused} refused with {DistinctErrors} distinct errors, {Crashes.Count} crashes";
    }

    /// <summary>A reader under test: how to make inputs and how to read one.</summary>
    public sealed record Target(
        string Name, string Extension, byte[][] Seeds, Action<string> Read,
        Func<Random, byte[], byte[]>? Structured = null, Func<Exception, bool>? Typed = null, long AllocationSlack = 8 << 20);

    private static readonly byte[] Boundary = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, (byte)'\n', (byte)'"', (byte)','];

    /// <summary>The input of case <paramref name="k"/>.</summary>
    public static byte[] Input(Target target, int seed, int k)
    {
        var rng = new Random(unchecked(seed * 1_000_003 + k));
        var data = target.Seeds[rng.Next(target.Seeds.Length)];
        if (rng.Next(20) == 0) return data; // some valid inputs stay valid
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++) data = Mutate(rng, data, target.Structured);
        return data;
    }

    private static byte[] Mutate(Random rng, byte[] data, Func<Random, byte[], byte[]>? structured)
    {
        int n = data.Length;
        switch (rng.Next(structured is null ? 6 : 9))
        {
            case 0:
                return data[..rng.Next(n + 1)];
            case 1:
                if (n == 0) return data;
                data = (byte[])data.Clone();
                data[rng.Next(n)] ^= (byte)(1 << rng.Next(8));
                return data;
            case 2:
                if (n == 0) return data;
                data = (byte[])data.Clone();
                data[rng.Next(n)] = rng.Next(2) == 0 ? Boundary[rng.Next(Boundary.Length)] : (byte)rng.Next(256);
                return data;
            case 3:
            {
                int at = rng.Next(n + 1);
                var insert = new byte[1 + rng.Next(16)];
                rng.NextBytes(insert);
                return [.. data[..at], .. insert, .. data[at..]];
            }
            case 4:
            {
                if (n == 0) return data;
                int at = rng.Next(n), length = 1 + rng.Next(Math.Min(32, n - at));
                return [.. data[..at], .. data[(at + length)..]];
            }
            case 5:
            {
                // a little-endian integer field set to a huge or negative value (declared sizes, offsets, counts)
                if (n < 8) return data;
                data = (byte[])data.Clone();
                long[] values = [-1, int.MaxValue, uint.MaxValue, 1L << 40, long.MaxValue, 0];
                int width = rng.Next(2) == 0 ? 4 : 8, at = rng.Next(n - width + 1);
                BitConverter.GetBytes(values[rng.Next(values.Length)]).AsSpan(0, width).CopyTo(data.AsSpan(at));
                return data;
            }
            default:
                return structured!(rng, data);
        }
    }

    /// <summary>Runs <paramref name="cases"/> cases of <paramref name="target"/>.</summary>
    public static Report Run(Target target, int seed, int cases)
    {
        using var dir = new TempDir();
        var path = dir.File("input" + target.Extension);
        var errors = new HashSet<string>();
        var crashes = new List<string>();
        int accepted = 0, refused = 0;
        for (int k = 0; k < cases && crashes.Count < 20; k++)
        {
            var input = Input(target, seed, k);
            File.WriteAllBytes(path, input);
            Exception? error = null;
            long allocated = 0;
            var worker = new Thread(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { target.Read(path); }
                catch (Exception e) { error = e; }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }, 16 << 20);
            worker.Start();
            if (!worker.Join(TimeSpan.FromSeconds(30)))
            {
                crashes.Add($"case {k}: no answer after 30 s (hang)");
                break;
            }
            string Case() => $"case {k} ({input.Length} bytes)";
            if (error is null) accepted++;
            else if (error is InvalidDataException || target.Typed?.Invoke(error) == true)
            {
                refused++;
                var message = error.Message;
                if (message.Length == 0 || message.Contains('\n')) crashes.Add($"{Case()}: not a one-line message: {message}");
                errors.Add(Normalise(message, path));
            }
            else crashes.Add($"{Case()}: {error.GetType().Name}: {error.Message}");
            if (allocated > 16L * input.Length + target.AllocationSlack)
                crashes.Add($"{Case()}: allocated {allocated} bytes for a {input.Length}-byte file");
            if (Directory.GetFiles(dir.Path).Length != 1) crashes.Add($"{Case()}: the reader left a file behind");
        }
        var report = new Report(target.Name, cases, accepted, refused, errors.Count, crashes);
        // keep each crashing input (tests/fixtures/fuzz turns them into regression tests)
        if (Environment.GetEnvironmentVariable("ANNSCOPE_FUZZ_CRASH_DIR") is { Length: > 0 } keep)
            foreach (var crash in crashes)
                if (CaseNumber().Match(crash) is { Success: true } m)
                {
                    Directory.CreateDirectory(keep);
                    int k = int.Parse(m.Groups[1].Value);
                    File.WriteAllBytes(Path.Combine(keep, $"{target.Name}-seed{seed}-case{k}{target.Extension}"), Input(target, seed, k));
                }
        if (Environment.GetEnvironmentVariable("ANNSCOPE_FUZZ_REPORT") is { Length: > 0 } file)
            File.AppendAllText(file, report + Environment.NewLine);
        return report;
    }

    /// <summary>An error's kind: the message without the file name, numbers and quoted content.</summary>
    private static string Normalise(string message, string path)
    {
        var text = message.Replace(path, "").Replace(Path.GetFileName(path), "");
        text = Quoted().Replace(text, "'…'");
        text = Digits().Replace(text, "#");
        return text.Length > 60 ? text[..60] : text;
    }

    [GeneratedRegex("'[^']*'|\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("^case ([0-9]+)")]
    private static partial Regex CaseNumber();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    /// <summary>Splices <paramref name="text"/> into <paramref name="data"/> at a random place.</summary>
    public static byte[] Splice(Random rng, byte[] data, string text)
    {
        int at = rng.Next(data.Length + 1);
        return [.. data[..at], .. Encoding.Latin1.GetBytes(text), .. data[at..]];
    }
}
