using System.Diagnostics;
using System.Text.Json.Nodes;
using AnnScope.Tests.Support;
using Xunit.Abstractions;

namespace AnnScope.Tests.Cluster;

/// <summary>
/// End to end on a real (throwaway, single-node) Slurm cluster: the tiny sweep submitted with `annscope slurm
/// submit` as 2 conditions × 2 shards gives exactly the results of a single local process, also when an array
/// task is killed mid-run and requeued and another is cancelled and resubmitted.
/// </summary>
public class SlurmClusterTests(LocalSweep local, ITestOutputHelper output) : IClassFixture<LocalSweep>
{
    private static CliRunner.Result Annscope(params string[] args) => CliRunner.Run(args, TestCluster.Environment, 300);

    private string Submit(TempDir dir)
    {
        var run = dir.File("cluster");
        var submit = Annscope("slurm", "submit", "--sweep", local.SweepFile, "--shards", "2", "--out", run, "--cpus-per-task", "1", "--time", "10:00");
        Assert.True(submit.ExitCode == 0, submit.StdErr);
        var jobs = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "slurm", "jobs.json")))!;
        Assert.Equal(4, jobs["tasks"]!.AsArray().Count);
        Assert.Matches("^[0-9]+$", (string)jobs["submissions"]![0]!["array_job"]!);
        Assert.Matches("^[0-9]+$", (string)jobs["submissions"]![0]!["merge_job"]!);
        return run;
    }

    [ClusterFact]
    public void SubmittedSweepEqualsTheSingleProcessSweep()
    {
        using var dir = new TempDir();
        var clock = Stopwatch.StartNew();
        var run = Submit(dir);
        TestCluster.WaitForIdle(TimeSpan.FromMinutes(5));
        output.WriteLine($"tiny sweep (2 conditions × 4 instances): local single process {local.WallTime.TotalSeconds:F1} s, " +
                         $"test cluster (2 shards per condition, submit to merged) {clock.Elapsed.TotalSeconds:F1} s");
        var status = Annscope("slurm", "status", run);
        Assert.True(status.ExitCode == 0, status.StdErr);
        Assert.Equal(4, status.StdOut.Split('\n').Count(l => l.Contains("COMPLETED") && l.Contains("complete")));
        Assert.Contains("merged: 2/2", status.StdOut);
        local.AssertSameResults(run);
        Assert.Contains("nothing to resubmit", Annscope("slurm", "resubmit", run).StdOut);
    }

    [ClusterFact]
    public void AKilledAndRequeuedTaskAndACancelledAndResubmittedTaskStillGiveIdenticalResults()
    {
        using var dir = new TempDir();
        var run = Submit(dir);
        var arrayJob = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "slurm", "jobs.json")))!["submissions"]![0]!["array_job"]!;

        // task 0 (repeat-2, shard 1/2): killed by Slurm mid-run once a checkpoint is sealed, and requeued
        var shard0 = Path.Combine(run, "shards", "repeat-2", "1-of-2");
        WaitUntil(() => File.Exists(Path.Combine(shard0, "state.bin")) && Status(shard0) == "running", "task 0 to seal a checkpoint");
        var requeue = TestCluster.Client("scontrol", "requeue", $"{arrayJob}_0");
        Assert.True(requeue.ExitCode == 0, requeue.StdErr);
        Assert.NotEqual("complete", Status(shard0));

        // task 3 (repeat-3, shard 2/2): cancelled once it runs; its merge can then never start
        var shard3 = Path.Combine(run, "shards", "repeat-3", "2-of-2");
        WaitUntil(() => File.Exists(Path.Combine(shard3, "study.json")), "task 3 to start");
        Assert.Equal(0, TestCluster.Client("scancel", $"{arrayJob}_3").ExitCode);
        TestCluster.WaitForIdle(TimeSpan.FromMinutes(5));

        var status = Annscope("slurm", "status", run).StdOut;
        output.WriteLine(status);
        Assert.Contains("CANCELLED", status);
        Assert.Contains("merged: 0/2", status);
        var task0 = status.Split('\n').Single(l => l.StartsWith("0 ", StringComparison.Ordinal));
        Assert.Contains("restarts", task0);
        Assert.Contains("complete", task0);
        var log = File.ReadAllText(Path.Combine(run, "slurm", "logs", "task-0.log"));
        Assert.Equal(2, log.Split('\n').Count(l => l.StartsWith("annscope: task 0 ", StringComparison.Ordinal))); // appended, not overwritten

        var resubmit = Annscope("slurm", "resubmit", run);
        Assert.True(resubmit.ExitCode == 0, resubmit.StdErr);
        Assert.Contains("resubmitted tasks 3 ", resubmit.StdOut);
        TestCluster.WaitForIdle(TimeSpan.FromMinutes(5));
        Assert.Contains("merged: 2/2", Annscope("slurm", "status", run).StdOut);
        local.AssertSameResults(run);
    }

    private static string? Status(string shard)
    {
        try { return (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(shard, "study.json")))?["status"]; }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { return null; }
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"gave up waiting for {what}");
            Thread.Sleep(20);
        }
    }
}
