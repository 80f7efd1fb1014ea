using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnScope.IO;
using AnnScope.Studies;

namespace AnnScope.Cli.Slurm;

/// <summary>One array task: shard I/N of one condition, and where it writes.</summary>
internal sealed record SlurmTask(int Index, string Condition, int Shard, int Shards, string ConfigFile, string Directory);

/// <summary>What the job array's tasks and the merge job need, beside the study or sweep directory.</summary>
internal sealed record SlurmResources(string? Partition, string? Time, int? CpusPerTask, string? Memory, string? Extra);

/// <summary>
/// The files of a Slurm run in --out: slurm/array.sh (one array task per condition × shard, each a plain
/// `annscope study --shard I/N --resume`), slurm/merge.sh (merges every condition, then the sweep summary),
/// slurm/jobs.json (tasks and submitted job ids) and slurm/logs/. Shards go to shards/CONDITION/I-of-N; a
/// study is merged into study/, a sweep's conditions into conditions/CONDITION/ as a local sweep would.
/// </summary>
internal sealed class SlurmLayout
{
    public const string SlurmDir = "slurm", ShardsDir = "shards", JobsFile = "jobs.json", ArrayScript = "array.sh",
        MergeScript = "merge.sh", SweepInput = "sweep-input.json", StudyDir = "study";

    public string Directory { get; }
    public string Kind { get; }
    public int Shards { get; }
    public IReadOnlyList<string> Conditions { get; }
    public IReadOnlyList<SlurmTask> Tasks { get; }

    private SlurmLayout(string directory, string kind, int shards, IReadOnlyList<string> conditions, Func<string, string> configOf)
    {
        Directory = directory;
        Kind = kind;
        Shards = shards;
        Conditions = conditions;
        Tasks = [.. conditions.SelectMany((c, ci) => Enumerable.Range(1, shards).Select(s =>
            new SlurmTask(ci * shards + s - 1, c, s, shards, configOf(c), Path.Combine(directory, ShardsDir, c, $"{s}-of-{shards}"))))];
    }

    public static SlurmLayout ForStudy(string directory, int shards) =>
        new(directory, "study", shards, [StudyDir], _ => Path.Combine(directory, Sweep.ConfigsDir, StudyDir + ".json"));

    public static SlurmLayout ForSweep(string directory, int shards, SweepPlan plan) =>
        new(directory, "sweep", shards, [.. plan.Conditions.Select(c => c.Name)], c => Path.Combine(directory, Sweep.ConfigsDir, c + ".json"));

    public string SlurmPath(string name) => Path.Combine(Directory, SlurmDir, name);

    /// <summary>Where condition <paramref name="condition"/> is merged.</summary>
    public string MergedDirectory(string condition) =>
        Kind == "study" ? Path.Combine(Directory, StudyDir) : Path.Combine(Directory, Sweep.ConditionsDir, condition);

    /// <summary>The command that runs this very AnnScope on a node (the CLI must sit on the shared filesystem).</summary>
    public static string AnnScopeCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where annscope runs from");
        // run as `dotnet AnnScope.Cli.dll` (tests, `dotnet run`): the nodes need the same
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"{Quote(process)} {Quote(Path.Combine(AppContext.BaseDirectory, typeof(SlurmLayout).Assembly.GetName().Name + ".dll"))}"
            : Quote(process);
    }

    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    private static void Directives(StringBuilder script, SlurmResources r)
    {
        if (r.Partition is { } p) script.Append($"#SBATCH --partition={p}\n");
        if (r.Time is { } t) script.Append($"#SBATCH --time={t}\n");
        if (r.CpusPerTask is { } c) script.Append($"#SBATCH --cpus-per-task={c}\n");
        if (r.Memory is { } m) script.Append($"#SBATCH --mem={m}\n");
        if (r.Extra is { } extra)
            foreach (var option in extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)) script.Append($"#SBATCH {option}\n");
    }

    /// <summary>The job-array script: task i is condition i / N, shard i % N + 1.</summary>
    public string ArrayScriptText(SlurmResources resources, string annscope)
    {
        var s = new StringBuilder("#!/bin/bash\n");
        s.Append($"# AnnScope {Kind}: {Conditions.Count} condition(s) x {Shards} shard(s); task i = condition i / {Shards}, shard i % {Shards} + 1\n");
        s.Append($"#SBATCH --job-name=annscope-shards\n#SBATCH --array=0-{Tasks.Count - 1}\n");
        s.Append($"#SBATCH --output={Quote(SlurmPath("logs"))}/task-%a.log\n");
        // a requeued task appends to its log and resumes from its last sealed checkpoint
        s.Append("#SBATCH --open-mode=append\n#SBATCH --requeue\n");
        Directives(s, resources);
        s.Append("set -euo pipefail\n");
        s.Append($"conditions=({string.Join(' ', Conditions.Select(Quote))})\n");
        s.Append($"shards={Shards}\n");
        s.Append("task=${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}\n");
        s.Append("condition=${conditions[$((task / shards))]}\n");
        s.Append("shard=$((task % shards + 1))\n");
        s.Append("echo \"annscope: task $task (job ${SLURM_JOB_ID:-?}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname): $condition shard $shard/$shards\"\n");
        s.Append($"exec {annscope} study --config {Quote(Path.Combine(Directory, Sweep.ConfigsDir))}/\"$condition\".json --shard \"$shard/$shards\" " +
                 $"--out {Quote(Path.Combine(Directory, ShardsDir))}/\"$condition\"/\"$shard-of-$shards\" --resume --threads \"${{SLURM_CPUS_PER_TASK:-0}}\"\n");
        return s.ToString();
    }

    /// <summary>The merge job: each condition not yet merged is merged from its shards; a sweep then writes its summary.</summary>
    public string MergeScriptText(SlurmResources resources, string annscope)
    {
        var s = new StringBuilder("#!/bin/bash\n");
        s.Append($"# AnnScope {Kind}: merge the shards of every condition once all array tasks succeeded\n");
        s.Append($"#SBATCH --job-name=annscope-merge\n#SBATCH --output={Quote(SlurmPath("logs"))}/merge.log\n#SBATCH --open-mode=append\n");
        Directives(s, resources);
        s.Append("set -euo pipefail\n");
        foreach (var condition in Conditions)
        {
            var merged = Quote(MergedDirectory(condition));
            var shards = string.Join(' ', Tasks.Where(t => t.Condition == condition).Select(t => Quote(t.Directory)));
            // a merge killed half-way left a partial directory: start that condition's merge again
            s.Append($"if ! grep -qs '\"status\": \"complete\"' {merged}/study.json || [ ! -f {merged}/summary.json ]; then\n");
            s.Append($"  rm -rf {merged}\n  {annscope} merge --out {merged} {shards}\nfi\n");
        }
        if (Kind == "sweep")
            s.Append($"{annscope} sweep --config {Quote(SlurmPath(SweepInput))} --out {Quote(Directory)} --threads \"${{SLURM_CPUS_PER_TASK:-0}}\"\n");
        return s.ToString();
    }

    /// <summary>jobs.json as first written: the tasks, with no submission yet.</summary>
    public JsonObject JobsJson() => new()
    {
        ["format"] = "annscope-slurm/1",
        ["kind"] = Kind,
        ["shards"] = Shards,
        ["tasks"] = new JsonArray([.. Tasks.Select(t => (JsonNode?)new JsonObject
        {
            ["task"] = t.Index, ["condition"] = t.Condition, ["shard"] = $"{t.Shard}/{t.Shards}", ["directory"] = t.Directory,
        })]),
        ["merged"] = new JsonArray([.. Conditions.Select(c => (JsonNode?)MergedDirectory(c))]),
        ["submissions"] = new JsonArray(),
    };

    /// <summary>Reads back the layout recorded in <paramref name="directory"/>/slurm/jobs.json.</summary>
    public static (SlurmLayout Layout, JsonObject Jobs) Read(string directory)
    {
        var dir = Path.GetFullPath(directory);
        var path = Path.Combine(dir, SlurmDir, JobsFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{dir} holds no Slurm run ({SlurmDir}/{JobsFile} missing)", path);
        JsonObject jobs;
        try { jobs = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: damaged: {e.Message}"); }
        if (jobs["format"]?.GetValue<string>() != "annscope-slurm/1") throw new InvalidDataException($"{path}: not an AnnScope Slurm record");
        var kind = jobs["kind"]!.GetValue<string>();
        int shards = jobs["shards"]!.GetValue<int>();
        var conditions = jobs["tasks"]!.AsArray().Select(t => t!["condition"]!.GetValue<string>()).Distinct().ToList();
        var layout = new SlurmLayout(dir, kind, shards, conditions, c => Path.Combine(dir, Sweep.ConfigsDir, c + ".json"));
        return (layout, jobs);
    }

    public void WriteJobs(JsonObject jobs) =>
        AtomicFile.WriteText(SlurmPath(JobsFile), jobs.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
