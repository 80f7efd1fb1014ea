using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>One process at a time in a study directory: a second exits 2 naming the first; a dead holder's lock is taken over.</summary>
public class StudyDirectoryLockTests
{
    [Fact]
    public void ASecondProcessOnARunningStudyExitsTwoNamingTheHolderAndTheLockOfAKilledOneIsTakenOver()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir);
        var study = dir.File("s");
        using var first = StudyCli.Start("study", "--config", config, "--out", study);
        first.ErrorDataReceived += (_, _) => { };
        first.BeginErrorReadLine();
        var holderFile = Path.Combine(study, StudyDirectoryLock.HolderFile);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(holderFile) && !first.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
        Assert.False(first.HasExited, "the study finished before a second process could meet it");

        var holder = $"pid {first.Id} host {Environment.MachineName}";
        foreach (var args in new[]
                 {
                     new[] { "study", "--config", config, "--out", study, "--resume" },
                     ["study", "--config", config, "--out", study],
                     ["report", "--study", study],
                 })
        {
            var second = CliRunner.Run(args);
            Assert.True(second.ExitCode == 2, $"{string.Join(' ', args)}: exit {second.ExitCode}: {second.StdErr}");
            var line = Assert.Single(second.StdErr.Trim().Split('\n'));
            Assert.Contains("in use by " + holder, line);
        }
        Assert.False(first.HasExited, "the holder ended while the others were refused: the test proved nothing");

        first.Kill(); // SIGKILL: no chance to release anything; the kernel drops the lock with the process
        Assert.True(first.WaitForExit(30_000));
        Assert.StartsWith(holder, File.ReadAllText(holderFile)); // the dead holder's name is still on disk
        var resumed = CliRunner.Run("study", "--config", config, "--out", study, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.False(File.Exists(holderFile), "a finished run leaves no holder behind");
        Assert.True(File.Exists(Path.Combine(study, "report.html")));
    }

    [Fact]
    public void TheLockIsExclusiveUntilDisposedAndLeavesAnEmptyDirectoryUsable()
    {
        using var dir = new TempDir();
        var target = dir.File("fresh");
        using (StudyDirectoryLock.Acquire(target))
        {
            Assert.True(Directory.Exists(target));
            var busy = Assert.Throws<StudyDirectoryBusyException>(() => StudyDirectoryLock.Acquire(target));
            Assert.Contains($"pid {Environment.ProcessId} host {Environment.MachineName}", busy.Message);
            Assert.Equal(Path.GetFullPath(target), busy.Directory);
        }
        using (StudyDirectoryLock.Acquire(target)) { }
        // the lock's own file does not make a directory non-empty for a new study
        using (var store = StudyStore.Create(target, StudyPresets.Get("quick")))
            Assert.True(File.Exists(store.PathOf(AnnScope.Results.StudyFiles.StudyFile)));

        File.WriteAllText(dir.File("a-file"), "");
        Assert.Throws<ArgumentException>(() => StudyDirectoryLock.Acquire(dir.File("a-file")));
    }
}
