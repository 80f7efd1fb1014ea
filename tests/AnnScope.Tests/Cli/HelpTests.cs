using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

public class HelpTests
{
    [Theory]
    [InlineData("")]
    [InlineData("study")]
    [InlineData("analyze")]
    [InlineData("report")]
    [InlineData("train")]
    [InlineData("fc")]
    [InlineData("communities")]
    [InlineData("stats")]
    [InlineData("stats lmm")]
    [InlineData("stats mediation")]
    [InlineData("devices")]
    public void EveryCommandsHelpNamesTheTool(string command)
    {
        var path = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var run = CliRunner.Run([.. path, "--help"]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var usage = run.StdOut.Split('\n').SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1).First().Trim();
        Assert.StartsWith(string.Join(' ', ["annscope", .. path]) + " ", usage);
        Assert.DoesNotContain("AnnScope.Cli", run.StdOut);
    }
}
