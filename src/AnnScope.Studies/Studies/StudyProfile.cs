using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AnnScope.Studies;

/// <summary>
/// Where a study's time goes, kernel by kernel: calls, wall seconds and core seconds (wall × the threads the call
/// ran on), summed from every thread. study.json carries it as "profile", so a slow study can be read without a
/// profiler and before/after comparisons of speed work use the study itself.
/// </summary>
internal sealed class StudyProfile
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (long Calls, double Wall, double Core)> kernels = new();

    /// <summary>A timestamp to pass to <see cref="Add"/> when the kernel returns.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Adds one call of <paramref name="kernel"/> that began at <paramref name="started"/> and ran on <paramref name="threads"/> threads.</summary>
    public void Add(string kernel, long started, int threads = 1) =>
        AddCoreSeconds(kernel, started, Stopwatch.GetElapsedTime(started).TotalSeconds * threads);

    /// <summary>Adds one call of <paramref name="kernel"/> that began at <paramref name="started"/> and used <paramref name="coreSeconds"/>.</summary>
    public void AddCoreSeconds(string kernel, long started, double coreSeconds)
    {
        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        lock (gate)
        {
            var (calls, w, c) = kernels.GetValueOrDefault(kernel);
            kernels[kernel] = (calls + 1, w + wall, c + coreSeconds);
        }
    }

    /// <summary>The profile as study.json's "profile" object, costliest kernel (by core seconds) first.</summary>
    public JsonObject ToJson()
    {
        lock (gate)
            return new JsonObject(kernels.OrderByDescending(k => k.Value.Core).Select(k => KeyValuePair.Create(k.Key, (JsonNode?)new JsonObject
            {
                ["calls"] = k.Value.Calls,
                ["wall_seconds"] = Math.Round(k.Value.Wall, 3),
                ["core_seconds"] = Math.Round(k.Value.Core, 3),
            })));
    }
}
