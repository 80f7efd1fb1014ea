using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AnnScope.Cli.Slurm;
using AnnScope.IO;
using AnnScope.Results;
using AnnScope.Studies;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope slurm submit|status|resubmit`: a study or sweep as one Slurm job array plus a merge job.</summary>
internal static class SlurmCommand
{
    internal static Command Create() => new("slurm", "run a study or sweep on a Slurm cluster: sharded job array, then a merge job")
    {
        Submit(), Status(), Resubmit(),
    };

    private static Command Submit()
    {
        var study = new Option<FileInfo?>("--study") { Description = "study config file (as `annscope study --config`)" };
        var sweep = new Option<FileInfo?>("--sweep") { Description = "sweep file (as `annscope sweep --config`)" };
        var shards = new Option<int>("--shards") { Description = "shards per study (array tasks per condition)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "output directory on a filesystem every node shares (new or empty)", Required = true };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition" };
        var time = new Option<string?>("--time") { Description = "time limit per task (Slurm's format, e.g. 2:00:00)" };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "cores per task (also annscope's --threads)" };
        var mem = new Option<string?>("--mem") { Description = "memory per task (Slurm's format, e.g. 8G)" };
        var extra = new Option<string?>("--extra") { Description = "further sbatch options for every job, e.g. \"--account=lab --qos=long\"" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the scripts and the sbatch commands; write and submit nothing" };
        var command = new Command("submit", "write the job-array and merge scripts into --out and submit them with sbatch")
        {
            study, sweep, shards, output, partition, time, cpus, mem, extra, dryRun,
        };
        command.SetAction(r =>
        {
            var studyFile = r.GetValue(study);
            var sweepFile = r.GetValue(sweep);
            if ((studyFile is null) == (sweepFile is null)) throw new ArgumentException("slurm submit: give exactly one of --study CONFIG or --sweep SWEEP.json");
            int n = r.GetValue(shards);
            if (n < 1) throw new ArgumentException($"--shards must be >= 1 (got {n})");
            if (r.GetValue(cpus) is < 1) throw new ArgumentException("--cpus-per-task must be >= 1");
            var dir = r.GetValue(output)!.FullName;
            var resources = new SlurmResources(r.GetValue(partition), r.GetValue(time), r.GetValue(cpus), r.GetValue(mem), r.GetValue(extra));

            SweepPlan? plan = null;
            StudyConfig? config = null;
            if (sweepFile != null) plan = SweepPlan.Read(sweepFile.FullName, new StudyConfig());
            else
            {
                if (!studyFile!.Exists) throw new FileNotFoundException($"config file {studyFile.FullName} does not exist");
                config = StudyPresets.Get("quick").OverrideFromFile(studyFile.FullName).Validate();
            }
            foreach (var c in plan?.Conditions.Select(c => c.Config) ?? [config!])
                (c with { Shard = new StudyShard(n, n) }).Validate();
            var layout = plan != null ? SlurmLayout.ForSweep(dir, n, plan) : SlurmLayout.ForStudy(dir, n);
            var annscope = SlurmLayout.AnnScopeCommand();
            var array = layout.ArrayScriptText(resources, annscope);
            var merge = layout.MergeScriptText(resources, annscope);
            if (r.GetValue(dryRun))
            {
                Console.WriteLine($"# {layout.SlurmPath(SlurmLayout.ArrayScript)}\n{array}");
                Console.WriteLine($"# {layout.SlurmPath(SlurmLayout.MergeScript)}\n{merge}");
                Console.WriteLine($"# submitted as:\nsbatch --parsable {layout.SlurmPath(SlurmLayout.ArrayScript)}");
                Console.WriteLine($"sbatch --parsable --dependency=afterok:ARRAY_JOB_ID --kill-on-invalid-dep=yes {layout.SlurmPath(SlurmLayout.MergeScript)}");
                return Cli.Ok;
            }

            if (File.Exists(dir)) throw new ArgumentException($"--out {dir} is a file, not a directory");
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new ArgumentException($"output directory {dir} is not empty (to continue a run there: annscope slurm status / resubmit {dir})");
            if (plan != null)
            {
                Sweep.Prepare(plan, dir);
                Directory.CreateDirectory(Path.Combine(dir, SlurmLayout.SlurmDir));
                File.Copy(sweepFile!.FullName, layout.SlurmPath(SlurmLayout.SweepInput));
            }
            else
            {
                Directory.CreateDirectory(Path.Combine(dir, Sweep.ConfigsDir));
                AtomicFile.WriteText(layout.Tasks[0].ConfigFile, config!.ToJson() + "\n");
            }
            Directory.CreateDirectory(layout.SlurmPath("logs"));
            AtomicFile.WriteText(layout.SlurmPath(SlurmLayout.ArrayScript), array);
            AtomicFile.WriteText(layout.SlurmPath(SlurmLayout.MergeScript), merge);
            var jobs = layout.JobsJson();
            layout.WriteJobs(jobs);
            var (arrayJob, mergeJob) = SubmitJobs(layout, null, []);
            Record(layout, jobs, arrayJob, $"0-{layout.Tasks.Count - 1}", mergeJob);
            Console.WriteLine($"submitted: job array {arrayJob} ({layout.Tasks.Count} tasks: {layout.Conditions.Count} condition(s) × {n} shard(s)), " +
                              $"merge job {mergeJob} after it");
            Console.WriteLine($"follow it with: annscope slurm status {dir}");
            return Cli.Ok;
        });
        return command;
    }

    /// <summary>Submits the array (all tasks, or only <paramref name="indices"/>) and the merge job that waits for it.</summary>
    private static (string Array, string Merge) SubmitJobs(SlurmLayout layout, string? previousArray, IReadOnlyList<int> indices)
    {
        var arrayOptions = indices.Count > 0 ? new[] { $"--array={string.Join(',', indices)}" } : [];
        var arrayJob = SlurmClient.Submit(layout.SlurmPath(SlurmLayout.ArrayScript), arrayOptions);
        // the merge also waits for whatever of an earlier array still runs; it checks every shard itself
        var dependency = previousArray is null ? $"afterok:{arrayJob}" : $"afterany:{previousArray},afterok:{arrayJob}";
        var mergeJob = SlurmClient.Submit(layout.SlurmPath(SlurmLayout.MergeScript), $"--dependency={dependency}", "--kill-on-invalid-dep=yes");
        return (arrayJob, mergeJob);
    }

    private static void Record(SlurmLayout layout, JsonObject jobs, string? arrayJob, string indices, string mergeJob)
    {
        // as a node: the generic Add<T> may wrap any T in a value by reflection, which the compiled-ahead CLI lacks
        jobs["submissions"]!.AsArray().Add((JsonNode)new JsonObject
        {
            ["array_job"] = arrayJob, ["array_tasks"] = indices, ["merge_job"] = mergeJob,
            ["submitted"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });
        layout.WriteJobs(jobs);
    }

    private static Argument<DirectoryInfo> RunDirectory() => new("DIR") { Description = "the --out directory of `annscope slurm submit`" };

    /// <summary>Each task's latest Slurm state (from the newest submission that ran it) and its shard on disk.</summary>
    private sealed record TaskStatus(SlurmTask Task, SlurmJobState? Slurm, string OnDisk, bool Complete);

    private static List<TaskStatus> Survey(SlurmLayout layout, JsonObject jobs)
    {
        var latest = new Dictionary<int, SlurmJobState>();
        foreach (var submission in jobs["submissions"]!.AsArray())
            if (submission!["array_job"]?.GetValue<string>() is { } arrayJob)
                foreach (var (task, state) in SlurmClient.ArrayTasks(arrayJob))
                    latest[task] = state;
        return [.. layout.Tasks.Select(t =>
        {
            var (text, complete) = OnDisk(t.Directory);
            return new TaskStatus(t, latest.GetValueOrDefault(t.Index), text, complete);
        })];
    }

    private static (string Text, bool Complete) OnDisk(string directory)
    {
        var studyFile = Path.Combine(directory, StudyFiles.StudyFile);
        if (!File.Exists(studyFile)) return ("not started", false);
        try
        {
            var manifest = StudyManifest.Read(studyFile);
            var total = manifest.Config.GetProperty("epochs").GetInt32() / manifest.Config.GetProperty("every").GetInt32() + 1;
            return manifest.IsComplete ? ("complete", true) : ($"{manifest.Status}, {manifest.CheckpointsCompleted}/{total} checkpoints", false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or KeyNotFoundException)
        {
            return ("unreadable study.json (being written?)", false);
        }
    }

    private static Command Status()
    {
        var dir = RunDirectory();
        var command = new Command("status", "each array task's Slurm state (squeue/scontrol, sacct where accounting exists) and its shard on disk") { dir };
        command.SetAction(r =>
        {
            var (layout, jobs) = SlurmLayout.Read(r.GetValue(dir)!.FullName);
            var tasks = Survey(layout, jobs);
            Console.WriteLine($"{"task",-5} {"condition",-28} {"shard",-6} {"job",-12} {"slurm",-22} on disk");
            foreach (var t in tasks)
            {
                var slurm = t.Slurm is { } s ? s.State + (s.Restarts > 0 ? $" ({s.Restarts} restarts)" : "") : "unknown to Slurm";
                Console.WriteLine($"{t.Task.Index,-5} {t.Task.Condition,-28} {t.Task.Shard + "/" + t.Task.Shards,-6} {t.Slurm?.JobId ?? "-",-12} {slurm,-22} {t.OnDisk}");
            }
            var submissions = jobs["submissions"]!.AsArray();
            if (submissions.Count > 0 && submissions[^1]!["merge_job"]?.GetValue<string>() is { } mergeJob)
            {
                var merge = SlurmClient.Job(mergeJob);
                Console.WriteLine($"merge job {mergeJob}: {(merge is null ? "unknown to Slurm" : $"{merge.State}{(merge.Reason is "" or "None" ? "" : $" ({merge.Reason})")}")}");
            }
            var merged = layout.Conditions.Count(c => OnDisk(layout.MergedDirectory(c)).Complete);
            Console.WriteLine($"merged: {merged}/{layout.Conditions.Count} condition(s); shards complete: {tasks.Count(t => t.Complete)}/{tasks.Count}");
            if (layout.Kind == "sweep")
                Console.WriteLine(File.Exists(Path.Combine(layout.Directory, Sweep.SummaryFile)) ? "sweep summary: written" : "sweep summary: not yet");
            return Cli.Ok;
        });
        return command;
    }

    private static Command Resubmit()
    {
        var dir = RunDirectory();
        var command = new Command("resubmit", "resubmit only the array tasks that failed (and a new merge job after them)") { dir };
        command.SetAction(r =>
        {
            var (layout, jobs) = SlurmLayout.Read(r.GetValue(dir)!.FullName);
            var tasks = Survey(layout, jobs);
            var failed = tasks.Where(t => !t.Complete && t.Slurm is not { Active: true }).Select(t => t.Task.Index).ToList();
            var submissions = jobs["submissions"]!.AsArray();
            var last = submissions.Count > 0 ? submissions[^1] : null;
            var oldMerge = last?["merge_job"]?.GetValue<string>();
            var mergeState = oldMerge is null ? null : SlurmClient.Job(oldMerge);
            bool allMerged = layout.Conditions.All(c => OnDisk(layout.MergedDirectory(c)).Complete)
                             && (layout.Kind != "sweep" || File.Exists(Path.Combine(layout.Directory, Sweep.SummaryFile)));
            if (failed.Count == 0)
            {
                if (allMerged) { Console.WriteLine("nothing to resubmit: every shard and merge is complete"); return Cli.Ok; }
                if (mergeState is { Active: true }) { Console.WriteLine($"nothing to resubmit: the merge job {oldMerge} is {mergeState.State}"); return Cli.Ok; }
                if (tasks.All(t => t.Complete))
                {
                    var merge = SlurmClient.Submit(layout.SlurmPath(SlurmLayout.MergeScript));
                    Record(layout, jobs, null, "", merge);
                    Console.WriteLine($"resubmitted the merge job only: {merge}");
                    return Cli.Ok;
                }
                Console.WriteLine("nothing to resubmit: the unfinished tasks are still queued or running");
                return Cli.Ok;
            }
            // the old merge job waits on a dependency that can no longer be met
            if (oldMerge != null && mergeState is { Active: true }) SlurmClient.Cancel(oldMerge);
            var previousArray = submissions.Select(s => s!["array_job"]?.GetValue<string>()).LastOrDefault(a => a != null);
            var (arrayJob, mergeJob) = SubmitJobs(layout, previousArray, failed);
            Record(layout, jobs, arrayJob, string.Join(',', failed), mergeJob);
            Console.WriteLine($"resubmitted tasks {string.Join(',', failed)} as job array {arrayJob}, merge job {mergeJob} after it");
            return Cli.Ok;
        });
        return command;
    }
}
