using AnnScope.IO;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Fuzz;

/// <summary>A few fuzzed inputs given to the CLI as a user would: exit 2, one line naming the problem, no output file.</summary>
public class FuzzedInputsThroughTheCliTests
{
    private static IEnumerable<byte[]> Refused(ReaderFuzzer.Target target, int seed, Action<string> check, int count)
    {
        using var dir = new TempDir();
        var path = dir.File("probe" + target.Extension);
        for (int k = 0, found = 0; found < count && k < 1000; k++)
        {
            var input = ReaderFuzzer.Input(target, seed, k);
            File.WriteAllBytes(path, input);
            bool refused = false;
            try { check(path); }
            catch (Exception e) when (e is InvalidDataException or ArgumentException) { refused = true; }
            if (!refused) continue;
            found++;
            yield return input;
        }
    }

    private static void AssertRefused(CliRunner.Result run, string outputPath, string what)
    {
        Assert.True(run.ExitCode == 2, $"{what}: exit {run.ExitCode}: {run.StdErr}");
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.StartsWith("annscope: error:", run.StdErr);
        Assert.False(File.Exists(outputPath) || Directory.Exists(outputPath), $"{what}: output written");
    }

    [Fact]
    public void DamagedNpyGivenAsFcExitsTwo()
    {
        using var dir = new TempDir();
        int n = 0;
        foreach (var input in Refused(ReaderTargets.Npy(), 11, p => Npy.ReadHeader(p), 5))
        {
            File.WriteAllBytes(dir.File("fc.npy"), input);
            AssertRefused(CliRunner.Run("communities", "--fc", dir.File("fc.npy"), "--out", dir.File("r.json")), dir.File("r.json"), $"input {n++}");
        }
        Assert.Equal(5, n);
    }

    [Fact]
    public void DamagedConfigExitsTwo()
    {
        using var dir = new TempDir();
        int n = 0;
        foreach (var input in Refused(ReaderTargets.Config(), 12, p => new StudyConfig().OverrideFromFile(p).Validate(), 5))
        {
            File.WriteAllBytes(dir.File("c.json"), input);
            AssertRefused(CliRunner.Run("study", "--config", dir.File("c.json"), "--out", dir.File("study")), dir.File("study"), $"input {n++}");
        }
        Assert.Equal(5, n);
    }
}
