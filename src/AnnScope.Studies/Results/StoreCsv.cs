using System.Globalization;
using AnnScope.IO;

namespace AnnScope.Results;

/// <summary>
/// A study table read strictly, in the store's one dialect (<see cref="StoreCsvDialect"/>): a header naming at
/// least the required columns, then rows of exactly as many non-empty cells, every record ended by a newline. A
/// row cut short by a killed writer, an empty cell, text that is not UTF-8 or a number that does not parse is an <see cref="InvalidDataException"/> naming the file, line and column.
/// </summary>
internal sealed class StoreCsv
{
    private readonly Dictionary<string, int> index;
    private readonly List<string[]> rows = [];

    public string Path { get; }

    public int Count => rows.Count;

    private StoreCsv(string path, string[] header)
    {
        Path = path;
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
            if (!index.TryAdd(header[i], i)) throw new InvalidDataException($"{path}: column '{header[i]}' appears twice in the header");
    }

    public static StoreCsv Read(string path, IReadOnlyList<string> required)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new InvalidDataException($"{path}: empty file (no header)");
        var fields = new List<string>();
        var outcome = StoreCsvDialect.ReadRecord(bytes, 0, fields, out int next, out var problem);
        if (outcome != StoreCsvDialect.Outcome.Record) throw Damaged(path, 1, outcome, problem);
        string[] header = [.. fields];
        var table = new StoreCsv(path, header);
        var missing = required.Where(c => !table.index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"{path}: not an AnnScope table of this kind: missing column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} (header: {string.Join(',', header)})");
        for (int line = 2; next < bytes.Length; line++)
        {
            outcome = StoreCsvDialect.ReadRecord(bytes, next, fields, out next, out problem);
            if (outcome != StoreCsvDialect.Outcome.Record) throw Damaged(path, line, outcome, problem);
            if (fields is [""]) throw new InvalidDataException($"{path}: line {line} is empty");
            if (fields.Count != header.Length)
                throw new InvalidDataException($"{path}: line {line} has {fields.Count} cells, the header {header.Length}: a truncated or damaged row");
            int empty = fields.IndexOf("");
            if (empty >= 0) throw new InvalidDataException($"{path}: line {line}, column {header[empty]}: empty cell");
            table.rows.Add([.. fields]);
        }
        return table;
    }

    /// <summary>1-based line number of a row in the file.</summary>
    public static int Line(int row) => row + 2;

    public string Text(int row, string column) => rows[row][index[column]];

    /// <summary>A number; NaN and ±Infinity only where <paramref name="undefinedAllowed"/>.</summary>
    public double Number(int row, string column, bool undefinedAllowed = false)
    {
        var cell = Text(row, column);
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            throw Error(row, column, $"'{cell}' is not a number");
        if (!undefinedAllowed && !double.IsFinite(v))
            throw Error(row, column, $"{cell} where a finite value is required");
        return v;
    }

    /// <summary>An integer written as such (a count, an index, an epoch).</summary>
    public long Integer(int row, string column, long min = long.MinValue, long max = long.MaxValue)
    {
        var cell = Text(row, column);
        if (!long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw Error(row, column, $"'{cell}' is not an integer");
        if (v < min || v > max) throw Error(row, column, $"{v} is outside [{min}, {max}]");
        return v;
    }

    public int Int(int row, string column, int min = int.MinValue, int max = int.MaxValue) => (int)Integer(row, column, min, max);

    public ulong UnsignedInteger(int row, string column)
    {
        var cell = Text(row, column);
        return ulong.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw Error(row, column, $"'{cell}' is not a non-negative integer");
    }

    public InvalidDataException Error(int row, string column, string message) =>
        new($"{Path}: line {Line(row)}, column {column}: {message}");

    public InvalidDataException Error(int row, string message) => new($"{Path}: line {Line(row)}: {message}");

    private static InvalidDataException Damaged(string path, int line, StoreCsvDialect.Outcome outcome, string? problem) =>
        new(outcome == StoreCsvDialect.Outcome.Torn
            ? $"{path}: the last line has no newline: a row cut short by an interrupted write"
            : $"{path}: line {line}: not a store table record ({problem})");
}
