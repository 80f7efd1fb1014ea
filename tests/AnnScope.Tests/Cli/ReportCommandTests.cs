using AnnScope.Tests.Reports;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public void DrawsTheReportOfAStudyDirectory()
    {
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 4, Epochs = 100 }.Write(dir.Path);
        var run = CliRunner.Run("report", "--study", dir.Path);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("report.html", run.StdOut);
        Assert.True(File.Exists(Path.Combine(dir.Path, "report.html")));
        Assert.Equal(StudyReportTests.ExpectedFigures.Order(), Directory.GetFiles(Path.Combine(dir.Path, "figures")).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("missing directory")]
    [InlineData("no study")]
    [InlineData("corrupt table")]
    [InlineData("corrupt summary")]
    public void BadStudiesExitTwoWithOneLineAndNoReport(string kind)
    {
        using var dir = new TempDir();
        var study = kind == "missing directory" ? dir.File("absent") : dir.Path;
        if (kind != "no study" && kind != "missing directory") new SyntheticStudy { Instances = 3, Epochs = 60 }.Write(dir.Path);
        if (kind == "no study") File.WriteAllText(dir.File("notes.txt"), "hello");
        if (kind == "corrupt table") File.AppendAllText(dir.File("checkpoints.csv"), "0,70,0.5");
        if (kind == "corrupt summary") File.WriteAllText(dir.File("summary.json"), File.ReadAllText(dir.File("summary.json"))[..100]);

        var run = CliRunner.Run("report", "--study", study);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.StartsWith("annscope: error:", run.StdErr);
        Assert.False(File.Exists(dir.File("report.html")));
        Assert.False(Directory.Exists(dir.File("figures")));
        // no temporary leftovers; the directory lock's file is the study's own (README), not one
        Assert.All(Directory.GetFileSystemEntries(dir.Path, ".*"), e => Assert.True(AnnScope.Studies.StudyDirectoryLock.IsLockFile(e), e));
        Assert.False(File.Exists(Path.Combine(dir.Path, AnnScope.Studies.StudyDirectoryLock.HolderFile)));
    }

    [Fact]
    public void MissingOptionExitsTwo()
    {
        var run = CliRunner.Run("report");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--study", run.StdErr);
    }
}
