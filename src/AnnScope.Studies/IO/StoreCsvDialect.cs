using System.Text;

namespace AnnScope.IO;

/// <summary>
/// The one CSV dialect of the study store, written by <see cref="AppendOnlyTable"/> and read back by the store
/// readers: RFC 4180 fields separated by commas, each record ended by a line feed. A field holding a comma,
/// a double quote, CR or LF is quoted, its quotes doubled; any other field (every number) is written bare, so a
/// numeric table is plain comma-separated lines. A record is complete only with its line feed: what a killed
/// writer left after the last one is a torn record, not a row.
/// </summary>
internal static class StoreCsvDialect
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    /// <summary>Appends one record (its fields and the ending line feed).</summary>
    public static void AppendRecord(StringBuilder text, IEnumerable<string> fields)
    {
        bool first = true;
        foreach (var field in fields)
        {
            if (!first) text.Append(',');
            first = false;
            AppendField(text, field);
        }
        text.Append('\n');
    }

    /// <summary>One record as text, line feed included.</summary>
    public static string Record(IEnumerable<string> fields)
    {
        var text = new StringBuilder();
        AppendRecord(text, fields);
        return text.ToString();
    }

    private static void AppendField(StringBuilder text, string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Append(field);
            return;
        }
        text.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>How reading one record ended.</summary>
    public enum Outcome
    {
        /// <summary>A whole record, line feed included.</summary>
        Record,
        /// <summary>The bytes end before the record's line feed (a write cut short).</summary>
        Torn,
        /// <summary>Not RFC 4180 (a stray quote, text after a closing quote, invalid UTF-8).</summary>
        Malformed,
    }

    /// <summary>
    /// Reads the record that starts at byte <paramref name="start"/> into <paramref name="fields"/>;
    /// <paramref name="next"/> is the offset after its line feed. A CR before the line feed (outside quotes) is
    /// dropped. For <see cref="Outcome.Malformed"/>, <paramref name="problem"/> says what is wrong.
    /// </summary>
    public static Outcome ReadRecord(ReadOnlySpan<byte> bytes, int start, List<string> fields, out int next, out string? problem)
    {
        fields.Clear();
        next = start;
        problem = null;
        int i = start;
        var quoted = new List<byte>();
        while (true)
        {
            if (i >= bytes.Length) return Outcome.Torn;
            string field;
            if (bytes[i] == (byte)'"')
            {
                quoted.Clear();
                i++;
                while (true)
                {
                    int close = bytes[i..].IndexOf((byte)'"');
                    if (close < 0) return Outcome.Torn;
                    quoted.AddRange(bytes.Slice(i, close));
                    i += close + 1;
                    if (i < bytes.Length && bytes[i] == (byte)'"')
                    {
                        quoted.Add((byte)'"');
                        i++;
                        continue;
                    }
                    break;
                }
                if (i >= bytes.Length) return Outcome.Torn;
                if (bytes[i] == (byte)'\r' && i + 1 < bytes.Length && bytes[i + 1] == (byte)'\n') i++;
                if (bytes[i] != (byte)',' && bytes[i] != (byte)'\n')
                {
                    problem = $"text after the closing quote of field {fields.Count + 1}";
                    return Outcome.Malformed;
                }
                if (!TryDecode(quoted.ToArray(), out field))
                {
                    problem = $"field {fields.Count + 1} is not UTF-8 text";
                    return Outcome.Malformed;
                }
            }
            else
            {
                int end = bytes[i..].IndexOfAny((byte)',', (byte)'\n');
                if (end < 0) return Outcome.Torn;
                var raw = bytes.Slice(i, end);
                if (bytes[i + end] == (byte)'\n' && raw.Length > 0 && raw[^1] == (byte)'\r') raw = raw[..^1];
                if (raw.IndexOf((byte)'"') >= 0)
                {
                    problem = $"a double quote inside unquoted field {fields.Count + 1}";
                    return Outcome.Malformed;
                }
                if (!TryDecode(raw, out field))
                {
                    problem = $"field {fields.Count + 1} is not UTF-8 text";
                    return Outcome.Malformed;
                }
                i += end;
            }
            fields.Add(field);
            if (bytes[i] == (byte)'\n')
            {
                next = i + 1;
                return Outcome.Record;
            }
            i++; // the comma
        }
    }

    private static bool TryDecode(ReadOnlySpan<byte> raw, out string text)
    {
        try
        {
            text = Strict.GetString(raw);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
