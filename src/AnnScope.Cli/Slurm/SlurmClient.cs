using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AnnScope.Cli.Slurm;

/// <summary>A job's state as Slurm reports it (JobState, Reason, ExitCode, Restarts).</summary>
internal sealed record SlurmJobState(string JobId, string State, string Reason, string ExitCode, int Restarts)
{
    /// <summary>Still to run or running: nothing to resubmit.</summary>
    public bool Active => State is "PENDING" or "RUNNING" or "REQUEUED" or "CONFIGURING" or "COMPLETING" or "RESIZING"
        or "SUSPENDED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "SIGNALING" or "STAGE_OUT";
}

/// <summary>
/// Slurm's own commands (sbatch, squeue, scontrol, sacct, scancel) run as a user would run them; the cluster
/// and its configuration come from the environment (SLURM_CONF and PATH) as for any client.
/// </summary>
internal static partial class SlurmClient
{
    private sealed record Output(int ExitCode, string StdOut, string StdErr);

    private static Output Run(string tool, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run Slurm's {tool}: {e.Message} (is Slurm installed and on PATH?)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new Output(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>Submits a batch script; returns the job id.</summary>
    public static string Submit(string script, params string[] options)
    {
        var result = Run("sbatch", ["--parsable", .. options, script]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"sbatch {string.Join(' ', options)} {script} failed: {result.StdErr.Trim()}");
        var id = result.StdOut.Trim().Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? id : throw new InvalidOperationException($"sbatch gave no job id: '{result.StdOut.Trim()}'");
    }

    /// <summary>Cancels a job (quietly: a job already gone is fine).</summary>
    public static void Cancel(string jobId) => Run("scancel", ["--quiet", jobId]);

    /// <summary>
    /// Each task of an array job by task index, from squeue (queued and running tasks), scontrol (recently
    /// finished ones) and sacct where accounting exists; tasks Slurm no longer knows are absent.
    /// </summary>
    public static Dictionary<int, SlurmJobState> ArrayTasks(string arrayJob)
    {
        var states = new Dictionary<int, SlurmJobState>();
        foreach (var record in Show(arrayJob))
            foreach (int task in TaskIndices(record.GetValueOrDefault("ArrayTaskId", "")))
                states[task] = State($"{arrayJob}_{task}", record);
        // squeue's word on queued and running tasks (JOB_i: array tasks get job ids of their own)
        var queue = Run("squeue", ["-h", "-r", "-j", arrayJob, "-o", "%K|%i|%T|%r"]);
        if (queue.ExitCode == 0)
            foreach (var line in Lines(queue.StdOut))
            {
                var f = line.Split('|');
                if (f.Length == 4 && int.TryParse(f[0], out int task))
                    states[task] = new SlurmJobState(f[1], f[2], f[3], "", states.TryGetValue(task, out var known) ? known.Restarts : 0);
            }
        foreach (var (id, state, exit) in Accounting(arrayJob))
        {
            var m = ArrayTaskId().Match(id);
            if (m.Success && int.TryParse(m.Groups[1].Value, out int task) && !states.ContainsKey(task))
                states[task] = new SlurmJobState(id, state, "", exit, 0);
        }
        return states;
    }

    /// <summary>One job's state (null when Slurm no longer knows it).</summary>
    public static SlurmJobState? Job(string jobId)
    {
        var record = Show(jobId).FirstOrDefault();
        if (record != null) return State(jobId, record);
        var accounted = Accounting(jobId).FirstOrDefault(a => a.Id == jobId);
        return accounted.Id is null ? null : new SlurmJobState(jobId, accounted.State, "", accounted.Exit, 0);
    }

    private static SlurmJobState State(string id, Dictionary<string, string> r) =>
        new(id, r.GetValueOrDefault("JobState", "UNKNOWN"), r.GetValueOrDefault("Reason", ""), r.GetValueOrDefault("ExitCode", ""),
            int.TryParse(r.GetValueOrDefault("Restarts", "0"), out int n) ? n : 0);

    private static IEnumerable<Dictionary<string, string>> Show(string jobId)
    {
        var result = Run("scontrol", ["show", "job", "-o", jobId]);
        if (result.ExitCode != 0) yield break; // purged after MinJobAge: squeue/sacct or the shard directory tell the rest
        foreach (var line in Lines(result.StdOut))
            yield return Field().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>sacct's records (none where accounting is not configured).</summary>
    private static IEnumerable<(string Id, string State, string Exit)> Accounting(string jobId)
    {
        Output result;
        try { result = Run("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode"]); }
        catch (InvalidOperationException) { yield break; }
        if (result.ExitCode != 0) yield break;
        foreach (var line in Lines(result.StdOut))
        {
            var f = line.Split('|');
            if (f.Length == 3) yield return (f[0], f[1].Split(' ')[0], f[2]);
        }
    }

    /// <summary>"3", "0-3", "1,4-5%2" → the task indices.</summary>
    internal static IEnumerable<int> TaskIndices(string text)
    {
        foreach (var part in text.Split('%')[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            if (range.Length == 1 && int.TryParse(range[0], out int single)) yield return single;
            else if (range.Length == 2 && int.TryParse(range[0], out int a) && int.TryParse(range[1], out int b))
                for (int i = a; i <= b; i++) yield return i;
        }
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"(\w+)=(\S*)")]
    private static partial Regex Field();

    [GeneratedRegex(@"^\d+_(\d+)$")]
    private static partial Regex ArrayTaskId();
}
