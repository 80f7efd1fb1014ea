using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
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

    private static readonly Choices<RandomEffects> RandomChoices = new(
        ("corr", RandomEffects.Correlated), ("uncorr", RandomEffects.Uncorrelated), ("intercept", RandomEffects.InterceptOnly));

    private static Option<string> RandomOption(string defaultName) => RandomChoices.Option("--random",
        "random effects per group: corr = (x | g), uncorr = (x || g), intercept = (1 | g)", defaultName);

    /// <summary>
    /// Named choices of an option: help lists the names, anything else is a parse error (exit 2), and the action
    /// maps the name to its value.
    /// </summary>
    private sealed class Choices<T>(params (string Name, T Value)[] choices)
    {
        internal Option<string> Option(string name, string description, string defaultName)
        {
            var names = choices.Select(c => c.Name).ToArray();
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

        internal T this[string name] => choices.First(c => c.Name == name).Value;
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
            AtomicFile.Write(r.GetValue(output)!.FullName, s => WriteFit(s, fit));
            foreach (var w in fit.Warnings) Console.Error.WriteLine($"annscope: warning: {w}");
            return Cli.Ok;
        });
        return command;
    }

    private static readonly Choices<DegreesOfFreedomMethod> DfChoices = new(
        ("satterthwaite", DegreesOfFreedomMethod.Satterthwaite), ("residual", DegreesOfFreedomMethod.Residual));

    private static readonly Choices<MediationEstimator> MethodChoices = new(
        ("mixed", MediationEstimator.MixedModel), ("ols", MediationEstimator.OrdinaryLeastSquares));

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
            AtomicFile.Write(r.GetValue(output)!.FullName, s => WriteMediation(s, result, xName, mName, yName, gName));
            if (result.BootstrapFailures > 0)
                Console.Error.WriteLine($"annscope: warning: {result.BootstrapFailures} bootstrap resamples could not be fitted and were skipped");
            return Cli.Ok;
        });
        return command;
    }

    // a file, not HTML: keep "+" and "|" of formulas readable
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteFit(Stream stream, MixedModelFit fit)
    {
        using var w = new Utf8JsonWriter(stream, JsonOptions);
        w.WriteStartObject();
        w.WriteString("formula", fit.Formula);
        w.WriteStartArray("fixed_effects");
        foreach (var e in fit.FixedEffects)
        {
            w.WriteStartObject();
            w.WriteString("name", e.Name);
            Number(w, "estimate", e.Estimate);
            Number(w, "std_error", e.StdError);
            Number(w, "t_value", e.TValue);
            Number(w, "df", e.Df);
            Number(w, "p_value", e.PValue);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("df_method", fit.DegreesOfFreedomMethod == DegreesOfFreedomMethod.Satterthwaite ? "satterthwaite" : "residual");
        w.WriteStartObject("random");
        Number(w, "sd_intercept", fit.Random.SdIntercept);
        Number(w, "sd_slope", fit.Random.SdSlope);
        Number(w, "corr", fit.Random.Correlation);
        w.WriteEndObject();
        Number(w, "residual_sd", fit.ResidualSd);
        Number(w, "log_likelihood", fit.LogLikelihood);
        w.WriteBoolean("reml", fit.Reml);
        Number(w, "aic", fit.Aic);
        Number(w, "bic", fit.Bic);
        w.WriteBoolean("singular", fit.IsSingular);
        w.WriteNumber("n_obs", fit.ObservationCount);
        w.WriteNumber("n_groups", fit.GroupCount);
        w.WriteStartArray("theta");
        foreach (var t in fit.Theta) w.WriteNumberValue(t);
        w.WriteEndArray();
        w.WriteStartArray("warnings");
        foreach (var s in fit.Warnings) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMediation(Stream stream, MediationResult result, string x, string m, string y, string g)
    {
        using var w = new Utf8JsonWriter(stream, JsonOptions);
        w.WriteStartObject();
        w.WriteString("method", result.Options.Estimator == MediationEstimator.MixedModel ? "mixed" : "ols");
        if (result.Options.Estimator == MediationEstimator.MixedModel)
        {
            w.WriteString("random", result.Options.RandomEffects switch
            {
                RandomEffects.Correlated => "corr",
                RandomEffects.Uncorrelated => "uncorr",
                _ => "intercept",
            });
            w.WriteBoolean("reml", result.Options.Reml);
        }
        w.WriteString("x", x);
        w.WriteString("mediator", m);
        w.WriteString("y", y);
        w.WriteString("group", g);
        foreach (var path in new[] { result.A, result.B, result.Direct, result.Total })
        {
            w.WriteStartObject(path.Name);
            Number(w, "estimate", path.Estimate);
            Number(w, "std_error", path.StdError);
            Number(w, "p_value", path.PValue);
            Number(w, "ci_lower", path.CiLower);
            Number(w, "ci_upper", path.CiUpper);
            w.WriteEndObject();
        }
        w.WriteStartObject("indirect");
        Number(w, "estimate", result.Indirect);
        Number(w, "ci_lower", result.IndirectCiLower);
        Number(w, "ci_upper", result.IndirectCiUpper);
        Number(w, "boot_se", result.IndirectBootstrapSe);
        w.WriteEndObject();
        Number(w, "proportion_mediated", result.ProportionMediated);
        w.WriteStartObject("bootstrap");
        w.WriteNumber("samples", result.BootstrapSamples);
        w.WriteNumber("failed", result.BootstrapFailures);
        w.WriteNumber("seed", result.Seed);
        Number(w, "confidence_level", result.ConfidenceLevel);
        w.WriteEndObject();
        w.WriteNumber("n_obs", result.ObservationCount);
        w.WriteNumber("n_groups", result.GroupCount);
        w.WriteEndObject();
    }

    /// <summary>JSON has no NaN: an undefined quantity is written as null.</summary>
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
