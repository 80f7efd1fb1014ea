using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>One study of a sweep: its directory name, the swept fields' values, and its full config.</summary>
internal sealed record SweepCondition(string Name, IReadOnlyList<KeyValuePair<string, JsonNode>> Values, StudyConfig Config);

/// <summary>
/// A grid of studies from a sweep file: a JSON object like a study config file where any field may hold a
/// list (`"repeat": [3, 4, 5]`, `"plasticity": ["anti", "hebb"]`, `"seed": [1, 2]`) and "preset" names the
/// starting point. Every combination of the listed values is a condition, in the file's field order with the
/// last field varying fastest; the other fields apply to every condition.
/// </summary>
internal sealed class SweepPlan
{
    /// <summary>The fields given as lists, in the file's order.</summary>
    public IReadOnlyList<string> Swept { get; }

    /// <summary>Every condition, in grid order.</summary>
    public IReadOnlyList<SweepCondition> Conditions { get; }

    private SweepPlan(IReadOnlyList<string> swept, IReadOnlyList<SweepCondition> conditions)
    {
        Swept = swept;
        Conditions = conditions;
    }

    /// <summary>Reads a sweep file; execution settings (backend, threads, device) come from <paramref name="execution"/>.</summary>
    public static SweepPlan Read(string path, StudyConfig execution)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"sweep file {path} does not exist", path);
        return Parse(File.ReadAllText(path), path, execution);
    }

    /// <summary>Parses sweep JSON; <paramref name="source"/> names it in errors.</summary>
    public static SweepPlan Parse(string json, string source, StudyConfig execution)
    {
        JsonObject root;
        try { root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: a sweep must be a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: invalid sweep JSON: {e.Message}"); }

        var preset = "quick";
        if (root["preset"] is { } p)
            preset = p.GetValueKind() == JsonValueKind.String ? p.GetValue<string>()
                : throw new InvalidDataException($"{source}: preset must be one preset name (sweep other fields instead)");
        if (!StudyPresets.Names.Contains(preset)) throw new InvalidDataException($"{source}: unknown preset '{preset}'");

        var fixedFields = new JsonObject();
        var axes = new List<(string Field, JsonNode[] Values)>();
        foreach (var (name, value) in root)
        {
            if (name == "preset") continue;
            if (value is JsonArray list)
            {
                if (list.Count == 0) throw new InvalidDataException($"{source}: {name}: an empty list sweeps nothing");
                if (list.Any(v => v is null or JsonArray or JsonObject))
                    throw new InvalidDataException($"{source}: {name}: list values must be numbers, strings or booleans");
                var values = list.Select(v => v!.DeepClone()).ToArray();
                for (int i = 0; i < values.Length; i++)
                    for (int j = 0; j < i; j++)
                        if (JsonNode.DeepEquals(values[i], values[j]))
                            throw new InvalidDataException($"{source}: {name}: value {values[i].ToJsonString()} is listed twice");
                axes.Add((name, values));
            }
            else fixedFields[name] = value?.DeepClone();
        }

        var start = StudyPresets.Get(preset) with
        {
            Backend = execution.Backend, Threads = execution.Threads, Device = execution.Device,
        };
        var common = start.Override(fixedFields.ToJsonString(), source);
        var conditions = new List<SweepCondition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var combination in Combinations(axes))
        {
            var overrides = new JsonObject();
            foreach (var (field, value) in combination) overrides[field] = value.DeepClone();
            StudyConfig config;
            try { config = common.Override(overrides.ToJsonString(), source).Validate(); }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                // Override names the source itself (a value no option is spelled as); say it once
                var reason = e.Message.StartsWith($"{source}: ", StringComparison.Ordinal) ? e.Message[(source.Length + 2)..] : e.Message;
                throw new InvalidDataException($"{source}: condition {Describe(combination)}: {reason}");
            }
            var name = combination.Count == 0 ? "study" : string.Join("_", combination.Select(c => $"{c.Key}-{Safe(c.Value)}"));
            if (!names.Add(name)) throw new InvalidDataException($"{source}: two conditions would share the directory name '{name}'");
            conditions.Add(new SweepCondition(name, combination, config));
        }
        return new SweepPlan([.. axes.Select(a => a.Field)], conditions);
    }

    private static List<IReadOnlyList<KeyValuePair<string, JsonNode>>> Combinations(List<(string Field, JsonNode[] Values)> axes)
    {
        var result = new List<IReadOnlyList<KeyValuePair<string, JsonNode>>> { Array.Empty<KeyValuePair<string, JsonNode>>() };
        foreach (var (field, values) in axes)
            result = [.. result.SelectMany(prefix => values.Select(v => (IReadOnlyList<KeyValuePair<string, JsonNode>>)[.. prefix, KeyValuePair.Create(field, v)]))];
        return result;
    }

    /// <summary>"repeat = 3, plasticity = anti".</summary>
    public static string Describe(IReadOnlyList<KeyValuePair<string, JsonNode>> values) =>
        values.Count == 0 ? "(no swept field)" : string.Join(", ", values.Select(v => $"{v.Key} = {Text(v.Value)}"));

    /// <summary>A value as a person reads it (strings unquoted).</summary>
    public static string Text(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static string Safe(JsonNode value)
    {
        var text = new StringBuilder();
        foreach (char c in Text(value)) text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' ? c : '_');
        return text.ToString();
    }

    /// <summary>The plan as sweep.json records it: swept fields and each condition's values and full config.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = "annscope-sweep/1",
        ["swept"] = new JsonArray([.. Swept.Select(s => (JsonNode?)s)]),
        ["conditions"] = new JsonArray([.. Conditions.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["values"] = new JsonObject(c.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value.DeepClone()))),
            ["config"] = JsonNode.Parse(c.Config.ToJson()),
        })]),
    };

    /// <summary>A value's position on a numeric axis, or null for a non-numeric value.</summary>
    public static double? Numeric(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d : null;
}
