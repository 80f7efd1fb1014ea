using System.Text.Json;
using System.Text.Json.Nodes;
using AnnScope.IO;
using AnnScope.Reports;

using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>
/// A sweep directory: sweep.json (the grid), configs/NAME.json (each condition's full config),
/// conditions/NAME/ (an ordinary study directory per condition), and once every condition is complete
/// sweep-summary.json, figures/sweep.png and sweep-report.html comparing them. A local run goes condition
/// after condition; run again, it skips complete conditions and resumes the one it stopped in. Conditions
/// completed elsewhere (merged from Slurm shards) count as complete.
/// </summary>
internal static class Sweep
{
    /// <summary>The grid: swept fields, and each condition's values and config.</summary>
    public const string PlanFile = "sweep.json";

    /// <summary>The folder of each condition's full config file, NAME.json.</summary>
    public const string ConfigsDir = "configs";

    /// <summary>The folder of each condition's study directory, NAME/.</summary>
    public const string ConditionsDir = "conditions";

    /// <summary>The cross-condition estimates.</summary>
    public const string SummaryFile = "sweep-summary.json";

    /// <summary>The cross-condition report.</summary>
    public const string ReportFile = "sweep-report.html";

    /// <summary>The study directory of <paramref name="condition"/> in the sweep at <paramref name="directory"/>.</summary>
    public static string ConditionDirectory(string directory, SweepCondition condition) =>
        Path.Combine(Path.GetFullPath(directory), ConditionsDir, condition.Name);

    /// <summary>The config file of <paramref name="condition"/> (what `study --config` of a shard reads).</summary>
    public static string ConfigFile(string directory, SweepCondition condition) =>
        Path.Combine(Path.GetFullPath(directory), ConfigsDir, condition.Name + ".json");

    /// <summary>
    /// Lays out the sweep directory (or checks that an existing one holds this same grid) and writes each
    /// condition's config; nothing is trained.
    /// </summary>
    public static void Prepare(SweepPlan plan, string directory)
    {
        var dir = Path.GetFullPath(directory);
        var planPath = Path.Combine(dir, PlanFile);
        var json = plan.ToJson();
        if (File.Exists(planPath))
        {
            JsonNode? stored;
            try { stored = JsonNode.Parse(File.ReadAllText(planPath)); }
            catch (JsonException e) { throw new InvalidDataException($"{planPath}: damaged sweep file: {e.Message}"); }
            if (!JsonNode.DeepEquals(stored, json))
                throw new ArgumentException($"{dir} holds a different sweep ({PlanFile} differs): use a new --out or the same sweep file");
        }
        else
        {
            if (File.Exists(dir)) throw new ArgumentException($"--out {dir} is a file, not a directory");
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new ArgumentException($"output directory {dir} is not empty and holds no sweep ({PlanFile} missing)");
            Directory.CreateDirectory(dir);
        }
        Directory.CreateDirectory(Path.Combine(dir, ConfigsDir));
        Directory.CreateDirectory(Path.Combine(dir, ConditionsDir));
        foreach (var c in plan.Conditions) AtomicFile.WriteText(ConfigFile(dir, c), c.Config.ToJson() + "\n");
        if (!File.Exists(planPath)) AtomicFile.WriteText(planPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>
    /// False for the manifest a study writes when it starts (no version, host or timings yet: a condition stopped
    /// that early is resumed, not read as a finished study); true otherwise, for <see cref="StudyManifest.Read"/> to check.
    /// </summary>
    private static bool HasFullManifest(string studyFile)
    {
        try { return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(studyFile))?["status"]?.GetValue<string>() != "starting"; }
        catch (System.Text.Json.JsonException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    /// <summary>True when the condition's study is complete; a complete study made with another config is an error.</summary>
    public static bool IsComplete(string directory, SweepCondition condition)
    {
        var dir = ConditionDirectory(directory, condition);
        var studyFile = Path.Combine(dir, StudyFiles.StudyFile);
        if (!File.Exists(studyFile) || !HasFullManifest(studyFile)) return false;
        var manifest = StudyManifest.Read(studyFile);
        if (!manifest.IsComplete || !File.Exists(Path.Combine(dir, StudyFiles.SummaryFile))) return false;
        var stored = manifest.Config.Deserialize(StudyConfigJson.Default.StudyConfig)!;
        if (stored.ToJson() != condition.Config.ToJson())
            throw new InvalidDataException($"{dir}: the study there was made with a different config than condition {condition.Name} of {PlanFile}");
        return true;
    }

    /// <summary>Runs every condition not yet complete, one after the other, then the cross-condition summary and report.</summary>
    public static StudyOutcome Run(SweepPlan plan, string directory, Action<SweepCondition, int>? starting,
        IProgress<StudyProgress>? progress, CancellationToken cancel)
    {
        Prepare(plan, directory);
        // one sweep process per directory: a second would run the same conditions (each study also locks its own)
        using var held = StudyDirectoryLock.Acquire(directory);
        for (int i = 0; i < plan.Conditions.Count; i++)
        {
            var condition = plan.Conditions[i];
            if (IsComplete(directory, condition)) continue;
            starting?.Invoke(condition, i);
            var outcome = Study.Run(condition.Config, ConditionDirectory(directory, condition), resume: true, progress, cancel);
            if (outcome != StudyOutcome.Complete) return outcome;
        }
        Summarise(plan, directory);
        return StudyOutcome.Complete;
    }

    /// <summary>Writes sweep-summary.json, figures/sweep.png and sweep-report.html from the complete conditions.</summary>
    public static void Summarise(SweepPlan plan, string directory)
    {
        var dir = Path.GetFullPath(directory);
        var missing = plan.Conditions.Where(c => !IsComplete(dir, c)).Select(c => c.Name).ToList();
        if (missing.Count > 0) throw new ArgumentException($"sweep {dir}: conditions not complete: {string.Join(", ", missing)}");
        var rows = plan.Conditions.Select(c => SweepStatistics.Of(c, StudyStoreReader.Read(ConditionDirectory(dir, c)))).ToArray();
        AtomicFile.WriteText(Path.Combine(dir, SummaryFile),
            SweepStatistics.ToJson(plan, rows).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        SweepReport.Write(dir, plan, rows);
    }
}
