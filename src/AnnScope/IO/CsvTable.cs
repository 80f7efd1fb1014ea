using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace AnnScope.IO;

/// <summary>
/// A CSV table read whole into memory as text (RFC 4180: quoted fields, embedded commas and quotes), with a
/// required header row. Numeric columns are parsed on request with errors that name the row and column.
/// Row numbers in messages count data rows from 1 (the header is not a row).
/// </summary>
public sealed class CsvTable
{
    private readonly string[] columns;
    private readonly List<string[]> rows;

    private CsvTable(string source, string[] columns, List<string[]> rows)
    {
        Source = source;
        this.columns = columns;
        this.rows = rows;
    }

    /// <summary>Where the table came from (file name), used in error messages.</summary>
    public string Source { get; }
    public IReadOnlyList<string> Columns => columns;
    public int RowCount => rows.Count;

    /// <summary>Reads a CSV file; throws <see cref="InvalidDataException"/> for a malformed file.</summary>
    public static CsvTable Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"table {path} does not exist", path);
        // read whole as UTF-16 text: about two bytes of memory per byte of file
        ReadLimits.CheckAllocation(path, "the table", info.Length, 2 * sizeof(char));
        using var text = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try { return Read(text, Path.GetFileName(path)); }
        catch (DecoderFallbackException e) { throw new InvalidDataException($"{Path.GetFileName(path)}: not UTF-8 text (invalid byte {Convert.ToHexString(e.BytesUnknown ?? [])})", e); }
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Read(TextReader text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var options = new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', Culture = CultureInfo.InvariantCulture };
        try
        {
            using var reader = CsvDataReader.Create(text, options);
            int fields = reader.FieldCount;
            var header = new string[fields];
            for (int c = 0; c < fields; c++) header[c] = reader.GetName(c).Trim();
            if (fields == 0 || header.All(string.IsNullOrEmpty))
                throw new InvalidDataException($"{source}: no header row (the first line must name the columns)");
            for (int c = 0; c < fields; c++)
            {
                if (header[c].Length == 0) throw new InvalidDataException($"{source}: column {c + 1} of the header has no name");
                for (int e = 0; e < c; e++)
                    if (header[e] == header[c]) throw new InvalidDataException($"{source}: the header names column '{OneLine(header[c])}' twice");
            }
            var rows = new List<string[]>();
            while (reader.Read())
            {
                int count = reader.RowFieldCount;
                if (count == 1 && fields > 1 && reader.GetString(0).Length == 0) continue; // blank line
                if (count != fields)
                    throw new InvalidDataException($"{source}: row {rows.Count + 1} has {count} fields but the header has {fields}");
                var row = new string[fields];
                for (int c = 0; c < fields; c++) row[c] = reader.GetString(c);
                rows.Add(row);
            }
            return new CsvTable(source, header, rows);
        }
        catch (CsvMissingHeadersException e)
        {
            throw new InvalidDataException($"{source}: no header row (the file is empty)", e);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{source}: malformed CSV near row {e.RowNumber}: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>Index of a column; throws <see cref="ArgumentException"/> naming the available columns.</summary>
    public int ColumnIndex(string name)
    {
        int index = Array.IndexOf(columns, name);
        if (index < 0)
            throw new ArgumentException($"{Source}: no column named '{OneLine(name)}' (columns: {OneLine(string.Join(", ", columns))})");
        return index;
    }

    /// <summary>The raw text of a column (e.g. group labels); empty cells are an error.</summary>
    public string[] Text(string name)
    {
        int c = ColumnIndex(name);
        var values = new string[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            values[r] = rows[r][c].Trim();
            if (values[r].Length == 0) throw new InvalidDataException($"{Source}: row {r + 1}, column '{OneLine(name)}' is empty");
        }
        return values;
    }

    /// <summary>A column parsed as finite numbers (invariant culture); NaN, infinite, empty or non-numeric cells are errors.</summary>
    public double[] Numeric(string name)
    {
        int c = ColumnIndex(name);
        var values = new double[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            var cell = rows[r][c].Trim();
            if (cell.Length == 0) throw new InvalidDataException($"{Source}: row {r + 1}, column '{OneLine(name)}' is empty");
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new InvalidDataException($"{Source}: row {r + 1}, column '{OneLine(name)}': '{OneLine(cell)}' is not a number");
            if (!double.IsFinite(v))
                throw new InvalidDataException($"{Source}: row {r + 1}, column '{OneLine(name)}' is {cell}; values must be finite numbers");
            values[r] = v;
        }
        return values;
    }

    // a quoted field may hold line breaks; messages are one line
    private static string OneLine(string text) => text.ReplaceLineEndings("\\n");
}
