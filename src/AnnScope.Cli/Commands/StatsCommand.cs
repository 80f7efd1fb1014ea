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

    private static readonly Choices<RandomEffects> RandomChoices = new();

    private static Option<string> RandomOption(string defaultName) => RandomChoices.Option("--random",
        "random effects per group: corr = (x | g), uncorr = (x || g), intercept = (1 | g)", defaultName);

    /// <summary>
    /// The spellings of an option (<see cref="OptionNames"/>): help lists the names, anything else is a parse error
    /// (exit 2), and the action maps the name to its value.
    /// </summary>
    private sealed class Choices<T> where T : struct, Enum
    {
        internal Option<string> Option(string name, string description, string defaultName)
        {
            var names = OptionNames.All<T>().ToArray();
            var option = new Option<string>(name)
            {
                Description = description,
                DefaultValueFactory = _ => defaultName,
                HelpName = string.Join('|', names),
            };
            // one-line message (the CLI's rule for bad input), unlike the built-in AcceptOnlyFromAmong
            option.Validators.Add(r =>
            {
                var value = r.GetValueOrDefault<string>();
                if (!names.Contains(value)) r.AddError($"unknown {name} '{value}' ({string.Join(", ", names)})");
            });
            return option;
        }

        internal T this[string name] => OptionNames.Parse<T>(name, name);
    }

    private static Command Lmm()
    {
        var data = DataOption();
        var y = Column("--y", "response column");
        var x = Column("--x", "covariate column (fixed effect and random slope)");
        var group = Column("--group", "grouping column (e.g. the instance)");
        var ml = new Option<bool>("--ml") { Description = "maximum likelihood instead of REML" };
        var random = RandomOption("corr");
        var df = DfChoices.Option("--df", "degrees of freedom of the t tests: satterthwaite (lmerTest's) or residual (n - p)",
            "satterthwaite");
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
                RandomEffects = RandomChoices[r.GetValue(random)!],
                DegreesOfFreedom = DfChoices[r.GetValue(df)!],
            });
            AtomicFile.Write(r.GetValue(output)!.FullName, s => StatisticsJson.Write(s, w => StatisticsJson.WriteFit(w, fit)));
            foreach (var w in fit.Warnings) Console.Error.WriteLine($"annscope: warning: {w}");
            return Cli.Ok;
        });
        return command;
    }

    private static readonly Choices<DegreesOfFreedomMethod> DfChoices = new();

    private static readonly Choices<MediationEstimator> MethodChoices = new();

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
        var method = MethodChoices.Option("--method", "path estimates: mixed (fixed effects of mixed models) or ols", "mixed");
        var random = RandomOption("intercept");
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
                    Estimator = MethodChoices[r.GetValue(method)!],
                    RandomEffects = RandomChoices[r.GetValue(random)!],
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
