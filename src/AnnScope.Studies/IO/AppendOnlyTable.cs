using System.Globalization;
using System.Text;

namespace AnnScope.IO;

/// <summary>
/// A table that grows row by row and survives being killed: rows are appended and flushed to disk in
/// batches (one batch per checkpoint), and <see cref="Trim"/> cuts off whatever a killed run left after its
/// last complete batch. Numbers use the invariant culture and round-trip formatting; text is quoted per
/// <see cref="StoreCsvDialect"/>, the store's one CSV dialect.
/// </summary>
public sealed class AppendOnlyTable : IDisposable
{
    private readonly FileStream stream;
    private readonly StringBuilder pending = new();

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The file behind the table.</summary>
    public string Path { get; }

    private AppendOnlyTable(string path, IReadOnlyList<string> columns, FileStream stream)
    {
        Path = path;
        Columns = columns;
        this.stream = stream;
    }

    /// <summary>Creates a new table (an existing file is replaced) with its header written and flushed.</summary>
    public static AppendOnlyTable Create(string path, IReadOnlyList<string> columns)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var table = new AppendOnlyTable(path, columns, stream);
        StoreCsvDialect.AppendRecord(table.pending, columns);
        table.Flush();
        return table;
    }

    /// <summary>
    /// Opens an existing table for appending after keeping only the complete rows that <paramref name="keep"/>
    /// accepts from the start of the file; the first row it rejects and everything after it is cut off. The
    /// header must match <paramref name="columns"/> exactly.
    /// </summary>
    public static AppendOnlyTable Resume(string path, IReadOnlyList<string> columns, Func<IReadOnlyList<string>, bool> keep)
    {
        long cut = Trim(path, columns, keep);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(cut);
        stream.Seek(cut, SeekOrigin.Begin);
        return new AppendOnlyTable(path, columns, stream);
    }

    /// <summary>The byte length of the header plus the leading complete rows that <paramref name="keep"/> accepts.</summary>
    public static long Trim(string path, IReadOnlyList<string> columns, Func<IReadOnlyList<string>, bool> keep)
    {
        var bytes = File.ReadAllBytes(path);
        var cells = new List<string>();
        if (StoreCsvDialect.ReadRecord(bytes, 0, cells, out int start, out _) != StoreCsvDialect.Outcome.Record
            || !cells.SequenceEqual(columns, StringComparer.Ordinal))
            throw new InvalidDataException($"{path}: not the expected table (header differs from: {StoreCsvDialect.Record(columns).TrimEnd('\n')})");
        long kept = start;
        while (start < bytes.Length)
        {
            // a torn record (cut mid-write) or a damaged one ends what is kept
            if (StoreCsvDialect.ReadRecord(bytes, start, cells, out int next, out _) != StoreCsvDialect.Outcome.Record) break;
            if (cells.Count != columns.Count || !keep(cells)) break;
            kept = start = next;
        }
        return kept;
    }

    /// <summary>Queues one row; it reaches the disk at the next <see cref="Flush"/>.</summary>
    public void Append(params object[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"{Path}: row has {cells.Length} cells, the table has {Columns.Count} columns");
        StoreCsvDialect.AppendRecord(pending, cells.Select(Format));
    }

    /// <summary>Writes the queued rows and forces them to disk: a batch is either wholly there or cut by <see cref="Trim"/>.</summary>
    public void Flush()
    {
        if (pending.Length == 0) return;
        stream.Write(Encoding.UTF8.GetBytes(pending.ToString()));
        pending.Clear();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>A cell as written: invariant culture, round-trip doubles, NaN as NaN.</summary>
    public static string Format(object value) => value switch
    {
        double d => double.IsNaN(d) ? "NaN" : d.ToString("R", CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "NaN" : f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public void Dispose()
    {
        Flush();
        stream.Dispose();
    }
}
