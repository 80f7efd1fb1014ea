using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnScope.Benchmarks.Gate;

/// <summary>
/// The machine-independent figures of one path: its rate as a fraction of the sgemm rate of the same process, and its
/// speed-up over its managed reference in the same run (null without a reference).
/// </summary>
public sealed record PathFigures(
    [property: JsonPropertyName("rate_vs_sgemm")] double RateVsSgemm,
    [property: JsonPropertyName("speedup_vs_reference")] double? SpeedupVsReference);

/// <summary>The figures of every path, plus what they were measured with (for the reader; never compared).</summary>
public sealed record GateFigures(
    [property: JsonPropertyName("paths")] IReadOnlyDictionary<string, PathFigures> Paths,
    [property: JsonPropertyName("sgemm_gflops")] double SgemmGflops,
    [property: JsonPropertyName("seconds_per_call")] IReadOnlyDictionary<string, double> SecondsPerCall,
    [property: JsonPropertyName("measured_on")] string MeasuredOn)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The figures from the seconds per call of each benchmark (by method name).</summary>
    public static GateFigures From(IReadOnlyDictionary<string, double> secondsPerCall, string measuredOn)
    {
        double sgemmRate = GateBenchmarks.SgemmFlop / Seconds(secondsPerCall, GatePaths.Sgemm);
        var paths = new SortedDictionary<string, PathFigures>(StringComparer.Ordinal);
        foreach (var path in GatePaths.All)
        {
            if (!secondsPerCall.ContainsKey(path.Benchmark)) continue;
            double seconds = secondsPerCall[path.Benchmark];
            double? speedup = path.Reference is { } reference && secondsPerCall.TryGetValue(reference, out var r) ? r / seconds : null;
            paths[path.Name] = new PathFigures(path.WorkPerCall / seconds / sgemmRate, speedup);
        }
        return new GateFigures(paths, sgemmRate / 1e9, secondsPerCall, measuredOn);
    }

    private static double Seconds(IReadOnlyDictionary<string, double> secondsPerCall, string benchmark) =>
        secondsPerCall.TryGetValue(benchmark, out var s) ? s : throw new InvalidOperationException($"the gate did not measure {benchmark}");

    /// <summary>Reads a baseline file; a missing or malformed one is an error naming the file.</summary>
    public static GateFigures Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<GateFigures>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path}: not a readable gate baseline ({e.Message})", e);
        }
    }

    /// <summary>Writes the figures as a baseline file (temporary name, then rename).</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
