using System.Text.Json.Nodes;
using AnnScope.Statistics.Claims;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>The claims as a user meets them: summary.json's sections, the report's tables, the config sections.</summary>
public class StudyClaimsTests
{
    [Fact]
    public void ARobustnessStudyJudgesEveryClaimUnderEveryVariant()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, StudyCli.TinyConfig.TrimEnd().TrimEnd('}') +
            """, "claims": {"minimum_instances": 3}, "robustness": {"every_checkpoints": 3, "runs": 2, "gamma_pos": [0.9], "omega": [2]}}""");
        var run = CliRunner.Run("study", "--config", config, "--robustness", "--out", dir.File("s"));
        Assert.True(run.ExitCode == 0, run.StdErr);

        var summary = JsonNode.Parse(File.ReadAllText(dir.File("s/summary.json")))!;
        var items = summary["claims"]!["items"]!.AsArray();
        var expected = PaperClaims.Evaluate(new ClaimEvidence { Epochs = [0, 1, 2], AccuracyColumn = "accuracy", Curves = new Dictionary<string, double[][]>() });
        Assert.Equal(expected.Select(c => c.Id), items.Select(i => i!["id"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Contains(i!["verdict"]!.GetValue<string>(), new[] { "holds", "does_not_hold", "not_testable" }));
        Assert.Equal(3, summary["claims"]!["rules"]!["minimum_instances"]!.GetValue<int>());
        // with four instances and seven checkpoints the study measures modularity and mean correlation: these claims are judged
        Assert.NotEqual("not_testable", items.Single(i => i!["id"]!.GetValue<string>() == "modularity_rises")!["verdict"]!.GetValue<string>());
        Assert.NotEqual("not_testable", items.Single(i => i!["id"]!.GetValue<string>() == "correlation_falls")!["verdict"]!.GetValue<string>());

        var robustness = summary["claims_robustness"]!;
        var variants = robustness["variants"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
        Assert.Equal(["as_configured", "plain_accuracy", "checkpoint_subset", "seeded_runs_2", "iterated_move", "gamma_pos_0.9", "omega_2"], variants);
        Assert.Equal([0, 30, 60], robustness["subset_epochs"]!.AsArray().Select(e => e!.GetValue<int>()));
        foreach (var item in items)
            Assert.Equal(variants, robustness["verdicts"]![item!["id"]!.GetValue<string>()]!.AsObject().Select(p => p.Key));
        // as_configured repeats the claims section
        Assert.All(items, i => Assert.Equal(i!["verdict"]!.GetValue<string>(),
            robustness["verdicts"]![i["id"]!.GetValue<string>()]!["as_configured"]!.GetValue<string>()));

        // variants.csv: 4 instances × 3 checkpoints × (4 variants + the shuffled null)
        var rows = File.ReadAllLines(dir.File("s/variants.csv"));
        Assert.Equal("instance,epoch,variant,multilayer_modularity,multilayer_communities,flexibility,mean_correlation", rows[0]);
        Assert.Equal(1 + 4 * 3 * 5, rows.Length);
        Assert.Contains(rows, r => r.Contains(",null_shuffle,"));
        // shuffling each unit within its windows destroys co-activation: the null's mean correlation is near 0
        var nullCorrelation = rows.Skip(1).Where(r => r.Contains(",null_shuffle,")).Select(r => double.Parse(r.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture));
        var observed = rows.Skip(1).Where(r => r.Contains(",iterated_move,")).Select(r => double.Parse(r.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(nullCorrelation.Average() < observed.Average(), $"null {nullCorrelation.Average()} vs observed {observed.Average()}");

        var mediation = summary["mediation"]!.AsObject().Single();
        Assert.Equal("mean_correlation->multilayer_modularity->paper_accuracy", mediation.Key);
        Assert.Equal("corr", mediation.Value!["random"]!.GetValue<string>());
        var a = mediation.Value!["a"]!;
        Assert.Equal(Math.Pow(a["estimate"]!.GetValue<double>() / a["std_error"]!.GetValue<double>(), 2), a["f_value"]!.GetValue<double>(), 8);
        Assert.NotNull(mediation.Value!["b_alone"]);
        Assert.NotNull(summary["granger"]);

        var html = File.ReadAllText(dir.File("s/report.html"));
        Assert.Contains("id=\"claims\"", html);
        Assert.Contains("Under which choices each claim holds", html);
        Assert.True(html.IndexOf("id=\"claims\"", StringComparison.Ordinal) < html.IndexOf("id=\"numbers\"", StringComparison.Ordinal), "the claims come first");
        // the report is regenerated the same way from the directory
        Assert.Equal(0, CliRunner.Run("report", "--study", dir.File("s")).ExitCode);
        Assert.Contains("Under which choices each claim holds", File.ReadAllText(dir.File("s/report.html")));
    }

    [Fact]
    public void ClaimAndRobustnessSectionsOverrideFieldByField()
    {
        using var dir = new TempDir();
        var config = StudyCli.WriteConfig(dir, """{"claims": {"alpha": 0.01}, "robustness": {"omega": [3]}}""");
        var json = JsonNode.Parse(CliRunner.Run("study", "--preset", "paper", "--config", config, "--print-config").StdOut)!;
        Assert.Equal(0.01, json["claims"]!["alpha"]!.GetValue<double>());
        Assert.Equal(0.8, json["claims"]!["near_one"]!.GetValue<double>());
        Assert.Equal([3.0], json["robustness"]!["omega"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(10, json["robustness"]!["every_checkpoints"]!.GetValue<int>());
        Assert.Equal("mean_correlation", json["mediation_x"]!.GetValue<string>());

        foreach (var (bad, message) in new[]
                 {
                     ("""{"claims": {"alphx": 0.01}}""", "claims.alphx"),
                     ("""{"claims": {"alpha": 2}}""", "claims.alpha"),
                     ("""{"robustness": {"every_checkpoints": 0}}""", "robustness.every_checkpoints"),
                     ("""{"mediation_x": "nonsense"}""", "mediation_x"),
                     ("""{"mediation_random": "slopes"}""", "mediation_random"),
                 })
        {
            var run = CliRunner.Run("study", "--config", StudyCli.WriteConfig(dir, bad), "--out", dir.File("s"));
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(message, run.StdErr);
            Assert.False(Directory.Exists(dir.File("s")));
        }
    }
}
