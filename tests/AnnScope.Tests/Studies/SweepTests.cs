using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>A sweep is a grid of ordinary studies, run condition after condition, resumable, then compared.</summary>
public class SweepTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const string Tiny = """
        {"instances": 4, "epochs": 20, "every": 10, "length": 300, "windows": 10, "hidden": 24, "input_dim": 20,
         "runs": 2, "static_runs": 2, "mediation_bootstrap": 20, "correlation_window": 3, "seed": 4, "repeat": [2, 3]}
        """;

    [Fact]
    public void EveryCombinationOfTheListedValuesIsAConditionLastFieldFastest()
    {
        var plan = SweepPlan.Parse("""{"preset": "quick", "repeat": [3, 5], "hidden": 30, "plasticity": ["anti", "hebb", "none"]}""", "t", new StudyConfig());
        Assert.Equal(["repeat", "plasticity"], plan.Swept);
        Assert.Equal(["repeat-3_plasticity-anti", "repeat-3_plasticity-hebb", "repeat-3_plasticity-none",
                      "repeat-5_plasticity-anti", "repeat-5_plasticity-hebb", "repeat-5_plasticity-none"], plan.Conditions.Select(c => c.Name));
        Assert.All(plan.Conditions, c => Assert.Equal(30, c.Config.Hidden));
        Assert.Equal(5, plan.Conditions[4].Config.Repeat);
        Assert.Equal("hebb", plan.Conditions[4].Config.Plasticity);
        Assert.Equal(StudyPresets.Get("quick").Epochs, plan.Conditions[0].Config.Epochs);
    }

    [Theory]
    [InlineData("""{"repeat": []}""", "empty list")]
    [InlineData("""{"repeat": [3, 3]}""", "listed twice")]
    [InlineData("""{"plasticity": ["anti", "sideways"]}""", "plasticity = sideways")]
    [InlineData("""{"colour": [1, 2]}""", "unknown config field 'colour'")]
    [InlineData("""{"preset": ["quick", "paper"]}""", "one preset name")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    public void ABadSweepFileIsRefusedNamingTheProblem(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => SweepPlan.Parse(json, "sweep.json", new StudyConfig()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AnInterruptedSweepResumesWhereItStoppedAndEqualsAnUninterruptedOne()
    {
        using var dir = new TempDir();
        var file = dir.File("sweep.json");
        File.WriteAllText(file, Tiny);
        var whole = dir.File("whole");
        var run = CliRunner.Run("sweep", "--config", file, "--out", whole);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(whole, "sweep-summary.json")))!;
        var conditions = summary["conditions"]!.AsArray();
        Assert.Equal(2, conditions.Count);
        foreach (var c in conditions)
            foreach (var q in SweepStatistics.Quantities)
            {
                var e = c!["estimates"]![q]!;
                if (e["value"] is null || e["ci_low"] is null) continue;
                Assert.InRange((double)e["value"]!, (double)e["ci_low"]!, (double)e["ci_high"]!);
            }
        Assert.True(File.Exists(Path.Combine(whole, "figures", "sweep.png")));
        Assert.Contains("repeat = 3", File.ReadAllText(Path.Combine(whole, "sweep-report.html")));

        // stopped while the second condition trains, then run again
        var broken = dir.File("broken");
        using (var process = CliRunner.Start(["sweep", "--config", file, "--out", broken]))
        {
            var second = Path.Combine(broken, "conditions", "repeat-3", "checkpoints.csv");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(second) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
            Assert.False(process.HasExited, "the sweep finished before it could be interrupted");
            kill(process.Id, 9);
            Assert.True(process.WaitForExit(60_000));
        }
        var firstStudy = Path.Combine(broken, "conditions", "repeat-2", "study.json");
        var before = File.ReadAllText(firstStudy);
        var resumed = CliRunner.Run("sweep", "--config", file, "--out", broken);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.DoesNotContain("condition 1/2", resumed.StdErr); // the finished condition is not run again
        Assert.Contains("condition 2/2", resumed.StdErr);
        Assert.Equal(before, File.ReadAllText(firstStudy));
        foreach (var condition in new[] { "repeat-2", "repeat-3" })
            foreach (var table in new[] { "checkpoints.csv", "runs.csv", "histograms.csv", "summary.json" })
                Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "conditions", condition, table)),
                             File.ReadAllBytes(Path.Combine(broken, "conditions", condition, table)));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "sweep-summary.json")), File.ReadAllText(Path.Combine(broken, "sweep-summary.json")));

        // the same directory never takes another grid
        File.WriteAllText(file, Tiny.Replace("[2, 3]", "[2, 4]"));
        var other = CliRunner.Run("sweep", "--config", file, "--out", broken);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("holds a different sweep", other.StdErr);
    }
}
