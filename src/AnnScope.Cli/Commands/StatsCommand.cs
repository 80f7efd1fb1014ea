using System.CommandLine;
using AnnScope.IO;
using AnnScope.Statistics;

namespace AnnScope.Cli.Commands;

/// <summary>
/// `annscope stats lmm` (a linear mixed model as lme4 fits it) and `annscope stats mediation` (X → M → Y with a
/// bootstrap over groups), both on a CSV table with a header row. Everything is computed before the output is
/// written, atomically: bad input leaves no file behind.
/// </summary>
internal static class StatsCommand
{
    internal static Command Create()
    {
        var command = new Command("stats", "statistics over instances: linear mixed models and mediation");
        command.Subcommands.Add(Lmm());
        command.Subcommands.Add(MediationCommand());
        return command;
    }

    private static Option<FileInfo> DataOption() =>
        new("--data") { Description = "input table (.csv with a header row)", Required = true };

    private static Option<string> Column(string name, string what) => new(name) { Description = what, Required = true };

    private static Option<FileInfo> OutOption(string what) => new("--out") { Description = what, Required = true };

    private static Option<RandomEffects> RandomOption(RandomEffects defaultValue) => Choice("--random",
        "random effects per group: corr = (x | g), uncorr = (x || g), intercept = (1 | g)", defaultValue,
        ("corr", RandomEffects.Correlated), ("uncorr", RandomEffects.Uncorrelated), ("intercept", RandomEffects.InterceptOnly));

    /// <summary>An option taking one of a few names (case-insensitive); anything else is a parse error (exit 2).</summary>
    private static Option<T> Choice<T>(string name, string description, T defaultValue, params (string Name, T Value)[] choices) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                var token = r.Tokens[0].Value.ToLowerInvariant();
                foreach (var (n, v) in choices)
                    if (n == token) return v;
                r.AddError($"unknown {name} '{token}' ({string.Join(", ", choices.Select(c => c.Name))})");
                return defaultValue;
            },
        };

    private static Command Lmm()
    {
        var data = DataOption();
        var y = Column("--y", "response column");
        var x = Column("--x", "covariate column (fixed effect and random slope)");
        var group = Column("--group", "grouping column (e.g. the instance)");
        var ml = new Option<bool>("--ml") { Description = "maximum likelihood instead of REML" };
        var random = RandomOption(RandomEffects.Correlated);
        var df = Choice("--df", "degrees of freedom of the t tests: satterthwaite (lmerTest's) or residual (n - p)",
            DegreesOfFreedomMethod.Satterthwaite,
            ("satterthwaite", DegreesOfFreedomMethod.Satterthwaite), ("residual", DegreesOfFreedomMethod.Residual));
        var output = OutOption("output FIT.json");
        var command = new Command("lmm", "fit y ~ x + (x | group) by REML (lme4's model) and write FIT.json")
        {
            data, y, x, group, ml, random, df, output,
        };
        command.SetAction(r =>
        {
            var table = CsvTable.Read(r.GetValue(data)!.FullName);
            var (yName, xName, gName) = (r.GetValue(y)!, r.GetValue(x)!, r.GetValue(group)!);
            var model = MixedModelData.Create(table.Numeric(yName), table.Numeric(xName), table.Text(gName), yName, xName, gName);
            var fit = LinearMixedModel.Fit(model, new MixedModelOptions
            {
                Reml = !r.GetValue(ml),
                RandomEffects = r.GetValue(random),
                DegreesOfFreedom = r.GetValue(df),
            });
            AtomicFile.Write(r.GetValue(output)!.FullName, s => StatisticsJson.Write(s, w => StatisticsJson.WriteFit(w, fit)));
            foreach (var w in fit.Warnings) Console.Error.WriteLine($"annscope: warning: {w}");
            return Cli.Ok;
        });
        return command;
    }

    private static Command MediationCommand()
    {
        var data = DataOption();
        var x = Column("--x", "cause column X");
        var mediator = Column("--mediator", "mediator column M");
        var y = Column("--y", "outcome column Y");
        var group = Column("--group", "grouping column (bootstrap resamples whole groups)");
        var boot = new Option<int>("--boot")
        {
            Description = "bootstrap resamples",
            DefaultValueFactory = _ => 1000,
            Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--boot must be >= 0"); } },
        };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 0 };
        var method = Choice("--method", "path estimates: mixed (fixed effects of mixed models) or ols",
            MediationEstimator.MixedModel,
            ("mixed", MediationEstimator.MixedModel), ("ols", MediationEstimator.OrdinaryLeastSquares));
        var random = RandomOption(RandomEffects.InterceptOnly);
        var ml = new Option<bool>("--ml") { Description = "maximum likelihood instead of REML for the mixed models" };
        var output = OutOption("output MED.json");
        var command = new Command("mediation", "mediation X -> M -> Y: a, b, direct, total and indirect a*b with a bootstrap CI")
        {
            data, x, mediator, y, group, boot, seed, method, random, ml, output,
        };
        command.SetAction(r =>
        {
            var table = CsvTable.Read(r.GetValue(data)!.FullName);
            var (xName, mName, yName, gName) = (r.GetValue(x)!, r.GetValue(mediator)!, r.GetValue(y)!, r.GetValue(group)!);
            var result = Mediation.Analyse(table.Numeric(xName), table.Numeric(mName), table.Numeric(yName), table.Text(gName),
                new MediationOptions
                {
                    Estimator = r.GetValue(method),
                    RandomEffects = r.GetValue(random),
                    Reml = !r.GetValue(ml),
                    BootstrapSamples = r.GetValue(boot),
                    Seed = r.GetValue(seed),
                }, xName, mName, yName, gName);
            AtomicFile.Write(r.GetValue(output)!.FullName, s => StatisticsJson.Write(s, w => StatisticsJson.WriteMediation(w, result, xName, mName, yName, gName)));
            if (result.BootstrapFailures > 0)
                Console.Error.WriteLine($"annscope: warning: {result.BootstrapFailures} bootstrap resamples could not be fitted and were skipped");
            return Cli.Ok;
        });
        return command;
    }
}
