using System.Diagnostics;

namespace AnnScope.Tests.Support;

/// <summary>
/// The throwaway Slurm cluster of tests/cluster/start-slurm.sh: the one `./build.sh test` started (its folder
/// in ANNSCOPE_TEST_SLURM), else one started here on first use and stopped when the tests end. When it cannot
/// start, <see cref="SkipReason"/> holds the script's message (the daemon's own error).
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<(string? Dir, string? Error)> cluster = new(Start);

    /// <summary>Null when a cluster is up; otherwise why not.</summary>
    public static string? SkipReason => cluster.Value.Error;

    /// <summary>The environment every Slurm client (and annscope slurm) needs: SLURM_CONF and PATH with /usr/sbin.</summary>
    public static IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SLURM_CONF"] = Path.Combine(cluster.Value.Dir ?? throw new InvalidOperationException(SkipReason), "slurm.conf"),
        ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin",
    };

    private static (string?, string?) Start()
    {
        var given = System.Environment.GetEnvironmentVariable("ANNSCOPE_TEST_SLURM");
        if (!string.IsNullOrEmpty(given))
            return File.Exists(Path.Combine(given, "slurm.conf")) ? (given, null) : (null, $"ANNSCOPE_TEST_SLURM={given} holds no cluster (slurm.conf missing)");
        var script = Path.Combine(Repo.Root, "tests", "cluster", "start-slurm.sh");
        var result = ExternalTools.Run("bash", [script], 900);
        if (result.ExitCode != 0)
            return (null, $"the test Slurm cluster did not start: {result.StdErr.Trim().ReplaceLineEndings(" | ")}");
        var dir = result.StdOut.Trim().Split('\n')[^1];
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            ExternalTools.Run("bash", [Path.Combine(Repo.Root, "tests", "cluster", "stop-slurm.sh"), dir], 120);
        return (dir, null);
    }

    /// <summary>Runs a Slurm client command against the cluster.</summary>
    public static ExternalTools.Result Client(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in Environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ExternalTools.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Waits until the cluster has no job left (queued, running or requeued).</summary>
    public static void WaitForIdle(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var queue = Client("squeue", "-h", "-o", "%i %T");
            if (queue.ExitCode == 0 && queue.StdOut.Trim().Length == 0) return;
            Thread.Sleep(250);
        }
        throw new TimeoutException($"the Slurm jobs did not finish in {limit.TotalSeconds} s: {Client("squeue").StdOut}");
    }
}

/// <summary>A fact that needs the test Slurm cluster: skipped with the daemon's error when it cannot start.</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (TestCluster.SkipReason is { } reason) Skip = reason;
    }
}
