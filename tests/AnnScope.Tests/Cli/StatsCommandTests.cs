using System.Globalization;
using System.Text.Json;
using AnnScope.Statistics;
using AnnScope.Tests.Statistics;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

public class StatsCommandTests
{
    private static readonly string[] FitFields =
    [
        "fixed_effects", "random", "residual_sd", "log_likelihood", "reml", "aic", "bic", "singular", "n_obs", "n_groups",
    ];

    [Theory]
    [InlineData("study_like", "corr", false)]
    [InlineData("simple", "intercept", true)]
    [InlineData("singular", "uncorr", false)]
    public void LmmWritesFitJsonMatchingLme4(string dataset, string kind, bool ml)
    {
        using var dir = new TempDir();
        var args = new List<string>
        {
            "stats", "lmm", "--data", Repo.Fixture("stats", dataset + ".csv"), "--y", "y", "--x", "x", "--group", "g",
            "--random", kind, "--out", dir.File("fit.json"),
        };
        if (ml) args.Add("--ml");
        var run = CliRunner.Run(args);
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("fit.json")));
        var fit = doc.RootElement;
        foreach (var field in FitFields) Assert.True(fit.TryGetProperty(field, out _), $"FIT.json lacks {field}");

        var reference = LmeFixtures.Fit(dataset, kind + (ml ? "_ML" : "_REML")).GetProperty("tight");
        var fixef = reference.GetProperty("fixef");
        var satt = reference.GetProperty("satterthwaite");
        var effects = fit.GetProperty("fixed_effects").EnumerateArray().ToArray();
        Assert.Equal(["(Intercept)", "x"], effects.Select(e => e.GetProperty("name").GetString()));
        for (int j = 0; j < 2; j++)
        {
            MixedModelFixtureTests.Relative([fixef.GetProperty("estimate").Doubles()[j]], [effects[j].GetProperty("estimate").GetDouble()], 1e-6, "estimate");
            MixedModelFixtureTests.Relative([fixef.GetProperty("std_error").Doubles()[j]], [effects[j].GetProperty("std_error").GetDouble()], 2e-5, "se");
            MixedModelFixtureTests.Relative([fixef.GetProperty("t_value").Doubles()[j]], [effects[j].GetProperty("t_value").GetDouble()], 2e-5, "t");
            MixedModelFixtureTests.Relative([satt.GetProperty("df").Doubles()[j]], [effects[j].GetProperty("df").GetDouble()], 1e-4, "df");
            var p = effects[j].GetProperty("p_value");
            MixedModelFixtureTests.LogP(satt.GetProperty("p_value").Doubles()[j], p.GetDouble(), 1e-4, "p");
        }
        var random = fit.GetProperty("random");
        var refRandom = reference.GetProperty("random");
        MixedModelFixtureTests.Relative([refRandom.Number("sd_intercept")], [random.GetProperty("sd_intercept").GetDouble()], 2e-5, "sd_intercept");
        if (kind == "intercept") Assert.Equal(JsonValueKind.Null, random.GetProperty("sd_slope").ValueKind);
        if (kind != "corr") Assert.Equal(JsonValueKind.Null, random.GetProperty("corr").ValueKind);
        else MixedModelFixtureTests.Near(refRandom.Number("corr"), random.GetProperty("corr").GetDouble(), 2e-5, "corr");
        MixedModelFixtureTests.Relative([reference.Number("residual_sd")], [fit.GetProperty("residual_sd").GetDouble()], 2e-5, "sigma");
        MixedModelFixtureTests.Near(reference.Number("logLik"), fit.GetProperty("log_likelihood").GetDouble(), 1e-6, "logLik");
        MixedModelFixtureTests.Near(reference.Number("AIC"), fit.GetProperty("aic").GetDouble(), 2e-6, "AIC");
        MixedModelFixtureTests.Near(reference.Number("BIC"), fit.GetProperty("bic").GetDouble(), 2e-6, "BIC");
        Assert.Equal(!ml, fit.GetProperty("reml").GetBoolean());
        Assert.Equal(reference.GetProperty("isSingular").GetBoolean(), fit.GetProperty("singular").GetBoolean());
        Assert.Equal(reference.GetProperty("nobs").GetInt32(), fit.GetProperty("n_obs").GetInt32());
        Assert.Equal(reference.GetProperty("ngrps").GetInt32(), fit.GetProperty("n_groups").GetInt32());
        if (reference.GetProperty("isSingular").GetBoolean()) Assert.Contains("singular", run.StdErr);
    }

    [Fact]
    public void MediationIsReproducibleForASeedAndMatchesTheLibrary()
    {
        using var dir = new TempDir();
        var (x, m, y, g) = MediationTests.Chain(seed: 4, groups: 20, perGroup: 12);
        var lines = new List<string> { "instance,epoch,\"modularity\",accuracy" };
        for (int i = 0; i < x.Length; i++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\"{g[i]}\",{x[i]:R},{m[i]:R},{y[i]:R}"));
        File.WriteAllLines(dir.File("t.csv"), lines);
        string[] Args(string output, int seed) =>
        [
            "stats", "mediation", "--data", dir.File("t.csv"), "--x", "epoch", "--mediator", "modularity", "--y", "accuracy",
            "--group", "instance", "--boot", "200", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", dir.File(output),
        ];
        var first = CliRunner.Run(Args("a.json", 9));
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.True(CliRunner.Run(Args("b.json", 9)).ExitCode == 0);
        Assert.True(CliRunner.Run(Args("c.json", 10)).ExitCode == 0);
        Assert.Equal(File.ReadAllText(dir.File("a.json")), File.ReadAllText(dir.File("b.json")));
        Assert.NotEqual(File.ReadAllText(dir.File("a.json")), File.ReadAllText(dir.File("c.json")));

        var expected = Mediation.Analyse(x, m, y, g, new MediationOptions { BootstrapSamples = 200, Seed = 9 });
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("a.json")));
        var root = doc.RootElement;
        Assert.Equal(expected.A.Estimate, root.GetProperty("a").GetProperty("estimate").GetDouble());
        Assert.Equal(expected.B.Estimate, root.GetProperty("b").GetProperty("estimate").GetDouble());
        Assert.Equal(expected.Direct.Estimate, root.GetProperty("direct").GetProperty("estimate").GetDouble());
        Assert.Equal(expected.Total.Estimate, root.GetProperty("total").GetProperty("estimate").GetDouble());
        var indirect = root.GetProperty("indirect");
        Assert.Equal(expected.Indirect, indirect.GetProperty("estimate").GetDouble());
        Assert.Equal(expected.IndirectCiLower, indirect.GetProperty("ci_lower").GetDouble());
        Assert.Equal(expected.IndirectCiUpper, indirect.GetProperty("ci_upper").GetDouble());
        Assert.Equal(200, root.GetProperty("bootstrap").GetProperty("samples").GetInt32());
        Assert.Equal(20, root.GetProperty("n_groups").GetInt32());
        Assert.Equal("mixed", root.GetProperty("method").GetString());
    }

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        // name, table, extra args (separated by spaces) → the error must mention the third item of each case
        { "missing column", "g,x,y\n1,1,2\n1,2,3\n2,1,2\n2,2,5\n", "--y nope" },
        { "NaN cell", "g,x,y\n1,1,2\n1,2,NaN\n2,1,2\n2,2,5\n3,1,1\n3,3,2\n", "" },
        { "non-numeric cell", "g,x,y\n1,1,2\n1,2,three\n2,1,2\n2,2,5\n", "" },
        { "one group", "g,x,y\n1,1,2\n1,2,3\n1,3,2\n1,4,5\n", "--random intercept" },
        { "too few observations", "g,x,y\n1,1,2\n1,2,3\n2,1,2\n2,2,5\n3,1,1\n3,3,2\n", "" },
        { "constant x", "g,x,y\n1,1,2\n1,1,3\n1,1,4\n2,1,2\n2,1,5\n2,1,1\n", "--random intercept" },
        { "bad random", "g,x,y\n1,1,2\n1,2,3\n2,1,2\n2,2,5\n", "--random wiggly" },
    };

    private static readonly Dictionary<string, string> ExpectedMessage = new()
    {
        ["missing column"] = "no column named 'nope'",
        ["NaN cell"] = "row 2, column 'y' is NaN",
        ["non-numeric cell"] = "row 2, column 'y': 'three' is not a number",
        ["one group"] = "at least 2 groups",
        ["too few observations"] = "unidentifiable",
        ["constant x"] = "covariate x is constant",
        ["bad random"] = "unknown --random 'wiggly' (corr, uncorr, intercept)",
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputExitsTwoWithOneLineAndWritesNothing(string name, string table, string extra)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("t.csv"), table);
        var args = new List<string> { "stats", "lmm", "--data", dir.File("t.csv"), "--x", "x", "--group", "g", "--out", dir.File("fit.json") };
        var extraArgs = extra.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!extraArgs.Contains("--y")) args.AddRange(["--y", "y"]);
        args.AddRange(extraArgs);
        var run = CliRunner.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(ExpectedMessage[name], run.StdErr);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([dir.File("t.csv")], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void MediationWithBadInputExitsTwoAndWritesNothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("t.csv"), "g,x,m,y\n1,1,2,3\n1,2,3,4\n2,1,2,5\n2,2,2,2\n3,1,1,1\n3,2,2,2\n");
        var run = CliRunner.Run("stats", "mediation", "--data", dir.File("t.csv"), "--x", "x", "--mediator", "m", "--y", "y",
            "--group", "nope", "--out", dir.File("med.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no column named 'nope'", run.StdErr);
        Assert.False(File.Exists(dir.File("med.json")));

        run = CliRunner.Run("stats", "mediation", "--data", dir.File("missing.csv"), "--x", "x", "--mediator", "m", "--y", "y",
            "--group", "g", "--out", dir.File("med.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.StdErr);
    }
}
