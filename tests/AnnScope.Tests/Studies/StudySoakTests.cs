using System.Diagnostics;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>
/// A tiny study interrupted again and again at seeded random moments — SIGKILL, or the disk filling up — and
/// resumed each time, ends with exactly the tables of an uninterrupted run and no half-written leftovers.
/// </summary>
public class StudySoakTests
{
    /// <summary>3 instances, 40 epochs, a checkpoint every 5: 9 small checkpoints, so kills land between and inside them.</summary>
    private const string SoakConfig = """
        {"instances": 3, "epochs": 40, "every": 5, "length": 200, "windows": 10, "hidden": 16, "input_dim": 16,
         "repeat": 3, "runs": 1, "static_runs": 1, "mediation_bootstrap": 10, "correlation_window": 3}
        """;

    private const int Kills = 20, DiskFills = 6;

    [Fact]
    public void TwentySigkillsAtRandomMomentsThenAResumeMatchTheUninterruptedRun()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, SoakConfig);
        var clock = Stopwatch.StartNew();
        var whole = Uninterrupted(dir, config);
        // the moments scale with the run as this build runs it: fixed moments (they were 0-4 s) let the CLI compiled
        // ahead of time, which starts in milliseconds, finish the study after a few kills
        var length = clock.Elapsed;
        var study = dir.File("killed");
        var rng = new Random(20261205);
        int killed = 0;
        for (int attempt = 0; attempt < Kills; attempt++)
        {
            // a moment anywhere from process start-up through checkpoints, statistics and report
            var moment = length * (0.6 * rng.NextDouble());
            var (process, error) = StartStudy(config, study);
            using (process)
            {
                bool kill = !process.WaitForExit(moment);
                if (kill)
                {
                    process.Kill();
                    killed++;
                }
                Assert.True(process.WaitForExit(60_000));
                // drains the redirected output: until then the reader thread may still append to the error text, and
                // formatting it for the message below while it grows threw from StringBuilder.ToString (CI, 2026-12-05)
                process.WaitForExit();
                // SIGKILL shows as 128 + 9; a run that finished before its moment must have succeeded
                Assert.True(process.ExitCode == 0 || (kill && process.ExitCode == 137), $"attempt {attempt}: exit {process.ExitCode}: {error}");
            }
        }
        Assert.True(killed >= Kills / 2, $"only {killed} of {Kills} attempts were still running at their moment");
        FinishAndCompare(config, study, whole);
    }

    [TmpfsFact]
    public void TheDiskFillingAtRandomMomentsThenAResumeWithSpaceMatchTheUninterruptedRun()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, SoakConfig);
        var whole = Uninterrupted(dir, config);
        using var disk = new Tmpfs(kilobytes: 32 * 1024);
        var study = Path.Combine(disk.Path, "s");
        var filler = Path.Combine(disk.Path, "filler");
        var rng = new Random(5);
        int filled = 0;
        for (int attempt = 0; attempt < DiskFills; attempt++)
        {
            var moment = TimeSpan.FromMilliseconds(rng.Next(0, 3000));
            var (process, error) = StartStudy(config, study);
            using (process)
            {
                if (!process.WaitForExit(moment))
                {
                    Fill(filler);
                    filled++;
                }
                Assert.True(process.WaitForExit(120_000));
                process.WaitForExit(); // drains the redirected output
                // a run that met the full disk stops with the one-line error; one that finished before it is complete
                if (process.ExitCode != 0)
                {
                    var lastLine = error.ToString().Trim().Split('\n')[^1];
                    Assert.True(process.ExitCode is 1 or 2, $"attempt {attempt}: exit {process.ExitCode}: {error}");
                    Assert.StartsWith("annscope: error:", lastLine);
                    Assert.True(lastLine.Contains("No space left on device"), $"attempt {attempt}: {lastLine}");
                }
            }
            File.Delete(filler);
        }
        Assert.True(filled >= DiskFills / 2, $"only {filled} of {DiskFills} attempts were still running at their moment");
        FinishAndCompare(config, study, whole);
    }

    private static string Uninterrupted(TempDir dir, string config)
    {
        var whole = dir.File("whole");
        var run = CliRunner.Run("study", "--config", config, "--out", whole, "--seed", "3");
        Assert.True(run.ExitCode == 0, run.StdErr);
        return whole;
    }

    /// <summary>Starts the study, resuming once a run has left its study.json; stderr is collected as it comes.</summary>
    private static (Process Process, System.Text.StringBuilder Error) StartStudy(string config, string study)
    {
        string[] args = ["study", "--config", config, "--out", study, "--seed", "3"];
        var process = StudyCli.Start(File.Exists(Path.Combine(study, "study.json")) ? [.. args, "--resume"] : args);
        var error = new System.Text.StringBuilder();
        // both pipes are read as they fill, so that a full pipe never stalls the run
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error) error.Append(e.Data).Append('\n');
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, error);
    }

    private static void Fill(string filler)
    {
        var block = new byte[64 * 1024];
        // unbuffered, so the write that meets the full disk throws here, not in Dispose
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException) { } // no space left: that is the point
        try
        {
            while (true) stream.Write(block, 0, 512); // the last few blocks
        }
        catch (IOException) { }
    }

    private static void FinishAndCompare(string config, string study, string whole)
    {
        var (last, error) = StartStudy(config, study);
        using (last)
        {
            Assert.True(last.WaitForExit(300_000));
            last.WaitForExit();
            Assert.True(last.ExitCode == 0, error.ToString());
        }
        StudyCli.AssertSameResults(whole, study);
        Assert.Empty(Directory.GetFiles(study, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(study, ".figures.*"));
        Assert.True(File.Exists(Path.Combine(study, "report.html")));
    }
}
