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

    /// <summary>The figures from the seconds per call of each benchmark (by method name), all measured together.</summary>
    public static GateFigures From(IReadOnlyDictionary<string, double> secondsPerCall, string measuredOn)
    {
        var (sgemmRate, paths) = Figures(secondsPerCall);
        return new GateFigures(paths, sgemmRate / 1e9, secondsPerCall, measuredOn);
    }

    /// <summary>
    /// The figures from rounds of measurements, each holding the seconds per call of some benchmarks: every benchmark
    /// counts with its fastest round. Timed in thread CPU time, a call is only ever slowed by the rest of the machine
    /// (a contended core or cache), never sped up, so the fastest of many rounds spread over the run and the CPUs is
    /// what the code itself can do; a median instead follows the share of rounds that were disturbed.
    /// </summary>
    public static GateFigures FromRounds(IReadOnlyList<IReadOnlyDictionary<string, double>> rounds, string measuredOn) =>
        From(rounds.SelectMany(r => r).GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(p => p.Value), StringComparer.Ordinal), measuredOn);

    private static (double SgemmRate, SortedDictionary<string, PathFigures> Paths) Figures(IReadOnlyDictionary<string, double> secondsPerCall)
    {
        double sgemmRate = GateBenchmarks.SgemmFlop / Seconds(secondsPerCall, GatePaths.Sgemm);
        var paths = new SortedDictionary<string, PathFigures>(StringComparer.Ordinal);
        foreach (var path in GatePaths.All)
        {
            if (!secondsPerCall.TryGetValue(path.Benchmark, out var seconds)) continue;
            double? speedup = path.Reference is { } reference && secondsPerCall.TryGetValue(reference, out var r) ? r / seconds : null;
            paths[path.Name] = new PathFigures(path.WorkPerCall / seconds / sgemmRate, speedup);
        }
        return (sgemmRate, paths);
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
