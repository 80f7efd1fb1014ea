using System.Globalization;
using System.Text.Json;

namespace AnnScope.Results;

/// <summary>
/// A JSON value of a study file with its location, so every complaint names the file and the field
/// (e.g. "summary.json: across_instance.flexibility[3].r: expected a number or null, found String").
/// </summary>
internal readonly record struct StoreJson(JsonElement Element, string File, string Where)
{
    public static StoreJson Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{path}: missing", path);
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: expected a JSON object, found {doc.RootElement.ValueKind}");
            return new StoreJson(doc.RootElement.Clone(), path, "");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (truncated or damaged): {e.Message}");
        }
    }

    public InvalidDataException Error(string message) =>
        new(Where.Length == 0 ? $"{File}: {message}" : $"{File}: {Where}: {message}");

    public bool IsNull => Element.ValueKind == JsonValueKind.Null;

    public StoreJson this[string name] => Optional(name) ?? throw Error($"missing field '{name}'");

    public StoreJson? Optional(string name)
    {
        if (Element.ValueKind != JsonValueKind.Object) throw Error($"expected an object, found {Element.ValueKind}");
        return Element.TryGetProperty(name, out var value) ? new StoreJson(value, File, Child(name)) : null;
    }

    public IEnumerable<(string Name, StoreJson Value)> Properties()
    {
        if (Element.ValueKind != JsonValueKind.Object) throw Error($"expected an object, found {Element.ValueKind}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Element.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw Error($"field '{p.Name}' appears twice");
            yield return (p.Name, new StoreJson(p.Value, File, Child(p.Name)));
        }
    }

    public IReadOnlyList<StoreJson> Items()
    {
        if (Element.ValueKind != JsonValueKind.Array) throw Error($"expected an array, found {Element.ValueKind}");
        var items = new List<StoreJson>();
        int i = 0;
        foreach (var e in Element.EnumerateArray()) items.Add(new StoreJson(e, File, $"{Where}[{i++}]"));
        return items;
    }

    public string String() =>
        Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error($"expected a string, found {Element.ValueKind}");

    public bool Bool() => Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        var k => throw Error($"expected true or false, found {k}"),
    };

    /// <summary>A finite number.</summary>
    public double Number() =>
        Element.ValueKind == JsonValueKind.Number && Element.TryGetDouble(out var v) && double.IsFinite(v)
            ? v : throw Error($"expected a finite number, found {Describe()}");

    /// <summary>A finite number, or null (also the named literal "NaN") for an undefined value.</summary>
    public double? NumberOrNull() =>
        IsNull || (Element.ValueKind == JsonValueKind.String && Element.GetString() == "NaN") ? null : Number();

    public long Integer(long min = long.MinValue, long max = long.MaxValue)
    {
        if (Element.ValueKind != JsonValueKind.Number || !Element.TryGetInt64(out var v))
            throw Error($"expected an integer, found {Describe()}");
        return v >= min && v <= max ? v : throw Error($"{v} is outside [{min}, {max}]");
    }

    public int Int(int min = int.MinValue, int max = int.MaxValue) => (int)Integer(min, max);

    public ulong UnsignedInteger() =>
        Element.ValueKind == JsonValueKind.Number && Element.TryGetUInt64(out var v)
            ? v : throw Error($"expected a non-negative integer, found {Describe()}");

    /// <summary>Leaf values under this one as (dotted path, display text), for tables of free-form content.</summary>
    public IEnumerable<(string Path, string Text)> Flatten(string prefix = "")
    {
        switch (Element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var (name, value) in Properties())
                    foreach (var leaf in value.Flatten(prefix.Length == 0 ? name : $"{prefix}.{name}"))
                        yield return leaf;
                break;
            case JsonValueKind.Array when Element.EnumerateArray().All(e => e.ValueKind is JsonValueKind.Number or JsonValueKind.Null):
                yield return (prefix, "[" + string.Join(", ", Element.EnumerateArray().Select(Text)) + "]");
                break;
            case JsonValueKind.Array:
                var items = Items();
                for (int i = 0; i < items.Count; i++)
                    foreach (var leaf in items[i].Flatten($"{prefix}[{i}]"))
                        yield return leaf;
                break;
            default:
                yield return (prefix, Text(Element));
                break;
        }
    }

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture)
            : e.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Null => "undefined",
        _ => e.GetRawText(),
    };

    private string Describe() => Element.ValueKind switch
    {
        JsonValueKind.String => $"\"{Element.GetString()}\"",
        JsonValueKind.Number => Element.GetRawText(),
        var k => k.ToString(),
    };

    private string Child(string name) => Where.Length == 0 ? name : $"{Where}.{name}";
}
