using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>A study killed at any moment and resumed gives exactly the tables of an uninterrupted run.</summary>
public class StudyResumeTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigInt = 2, SigKill = 9;

    [Theory]
    [InlineData(SigKill, 2)]   // killed after two checkpoints are on disk
    [InlineData(SigKill, 5)]
    [InlineData(SigInt, 3)]    // asked to stop: finishes the checkpoint in hand, exits 130
    public void KilledAndResumedMatchesUninterruptedByteForByte(int signal, int checkpointsBeforeKill)
    {
        using var dir = new TempDir();
        // a stop request is honoured after the checkpoint in hand: with the tiny study's 7 checkpoints, one that arrives
        // after 3 could find the rest already analysed (the study then completes), so this case trains for 21
        var config = StudyCli.WriteConfig(dir, signal == SigInt ? StudyCli.TinyConfig.Replace("\"epochs\": 60", "\"epochs\": 200") : StudyCli.TinyConfig);
        var whole = dir.File("whole");
        var run = CliRunner.Run("study", "--config", config, "--out", whole, "--seed", "11");
        Assert.True(run.ExitCode == 0, run.StdErr);

        var broken = dir.File("broken");
        using (var process = StudyCli.Start("study", "--config", config, "--out", broken, "--seed", "11"))
        {
            var clock = Stopwatch.StartNew();
            while (StudyCli.Rows(broken) < checkpointsBeforeKill * 4 && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(5);
            Assert.False(process.HasExited, "the study finished before it could be interrupted");
            kill(process.Id, signal);
            Assert.True(process.WaitForExit(60_000));
            if (signal == SigInt)
            {
                Assert.Equal(130, process.ExitCode);
                Assert.Contains("--resume", process.StandardError.ReadToEnd());
            }
        }
        Assert.False(File.Exists(Path.Combine(broken, "summary.json")), "an interrupted study must not have a summary");

        var resumed = CliRunner.Run("study", "--config", config, "--out", broken, "--seed", "11", "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        StudyCli.AssertSameResults(whole, broken);
        Assert.True(File.Exists(Path.Combine(broken, "report.html")));
    }

    [Fact]
    public void AStudyKilledWhileCreatingItsTablesResumesFromTheStart()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir);
        var whole = dir.File("whole");
        Assert.Equal(0, CliRunner.Run("study", "--config", config, "--out", whole).ExitCode);

        // what a kill between creating a table and flushing its header leaves: the config written, one table whole,
        // one empty, one with half a header, nothing sealed
        var early = dir.File("early");
        Directory.CreateDirectory(early);
        var stored = JsonNode.Parse(File.ReadAllText(Path.Combine(whole, "study.json")))!["config"]!.DeepClone();
        File.WriteAllText(Path.Combine(early, "study.json"),
            new JsonObject { ["format"] = "annscope-study/1", ["status"] = "starting", ["config"] = stored, ["shard"] = null }.ToJsonString());
        File.WriteAllText(Path.Combine(early, "checkpoints.csv"), File.ReadLines(Path.Combine(whole, "checkpoints.csv")).First() + "\n");
        File.WriteAllText(Path.Combine(early, "runs.csv"), "");
        File.WriteAllText(Path.Combine(early, "histograms.csv"), "epoch,ki");

        var resumed = CliRunner.Run("study", "--config", config, "--out", early, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        StudyCli.AssertSameResults(whole, early);
    }

    [Fact]
    public void ResumeCutsATornTailAndRefusesADamagedState()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir);
        var whole = dir.File("whole");
        Assert.Equal(0, CliRunner.Run("study", "--config", config, "--out", whole).ExitCode);

        // a run that died mid-write: the tables hold a torn row past the last sealed checkpoint
        var torn = dir.File("torn");
        Directory.CreateDirectory(torn);
        foreach (var file in Directory.GetFiles(whole)) File.Copy(file, Path.Combine(torn, Path.GetFileName(file)));
        Directory.CreateDirectory(Path.Combine(torn, "allegiance"));
        foreach (var file in Directory.GetFiles(Path.Combine(whole, "allegiance")))
            File.Copy(file, Path.Combine(torn, "allegiance", Path.GetFileName(file)));
        File.Delete(Path.Combine(torn, "summary.json"));
        File.AppendAllText(Path.Combine(torn, "checkpoints.csv"), "0,70,0.5,0.1");
        var resumed = CliRunner.Run("study", "--config", config, "--out", torn, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "checkpoints.csv")), File.ReadAllBytes(Path.Combine(torn, "checkpoints.csv")));

        var state = Path.Combine(torn, "state.bin");
        var bytes = File.ReadAllBytes(state);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(state, bytes);
        var damaged = CliRunner.Run("study", "--config", config, "--out", torn, "--resume");
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("damaged", damaged.StdErr);

        var other = CliRunner.Run("study", "--config", config, "--out", whole, "--resume", "--seed", "99");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("different config", other.StdErr);
    }
}
