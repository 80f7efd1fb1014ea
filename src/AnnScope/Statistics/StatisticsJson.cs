using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnnScope.Statistics;

/// <summary>
/// The JSON forms of the statistics results — FIT.json of a mixed model, MED.json of a mediation — shared by
/// the `annscope stats` commands and a study's summary.json, so both say the same thing the same way.
/// </summary>
public static class StatisticsJson
{
    // a file, not HTML: keep "+" and "|" of formulas readable
    public static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a fit as the FIT.json object of `annscope stats lmm`.</summary>
    public static void WriteFit(Utf8JsonWriter w, MixedModelFit fit)
    {
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

    /// <summary>Writes a mediation as the MED.json object of `annscope stats mediation`.</summary>
    public static void WriteMediation(Utf8JsonWriter w, MediationResult result, string x, string m, string y, string g)
    {
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
        foreach (var path in new[] { result.A, result.B, result.Direct, result.Total, result.MediatorAlone })
        {
            if (path is null) continue;
            w.WriteStartObject(path.Name);
            Number(w, "estimate", path.Estimate);
            Number(w, "std_error", path.StdError);
            Number(w, "df", path.Df);
            Number(w, "f_value", path.FValue);
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
    public static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    /// <summary>Writes one JSON document to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Action<Utf8JsonWriter> write)
    {
        using var w = new Utf8JsonWriter(stream, Options);
        write(w);
    }
}
