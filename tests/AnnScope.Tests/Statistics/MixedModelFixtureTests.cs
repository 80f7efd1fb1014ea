using System.Text.Json;
using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

/// <summary>
/// Every fit of every lme4 fixture dataset against the tightly converged lme4 results (README's left-hand
/// tolerances) and against lme4's default results (right-hand tolerances); objective values at fixed θ; anova.
/// </summary>
public class MixedModelFixtureTests
{
    public static TheoryData<string, string, bool> AllFits()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var d in LmeFixtures.Datasets)
        foreach (var k in LmeFixtures.Kinds)
        foreach (var reml in new[] { true, false })
            data.Add(d, k, reml);
        return data;
    }

    private sealed record Tolerances(double Fixef, double Se, double Sd, double Corr, double Df, double LogP, double Ranef);

    private static readonly Tolerances Tight = new(1e-6, 2e-5, 2e-5, 2e-5, 1e-4, 1e-4, 1e-5);
    private static readonly Tolerances Lme4Default = new(1e-5, 1e-4, 2e-4, 1e-4, 5e-4, 5e-4, 1e-4);

    [Theory]
    [MemberData(nameof(AllFits))]
    public void FitMatchesTightlyConvergedLme4(string dataset, string kind, bool reml) =>
        Compare(dataset, kind, reml, "tight", Tight);

    [Theory]
    [MemberData(nameof(AllFits))]
    public void FitMatchesLme4Defaults(string dataset, string kind, bool reml) =>
        Compare(dataset, kind, reml, "lme4", Lme4Default);

    private static void Compare(string dataset, string kind, bool reml, string block, Tolerances tol)
    {
        var fitId = kind + (reml ? "_REML" : "_ML");
        var reference = LmeFixtures.Fit(dataset, fitId).GetProperty(block);
        var fit = LmeFixtures.OurFit(dataset, kind, reml);
        var what = $"{dataset} {fitId} vs {block}";

        Assert.True(fit.Converged, $"{what}: not converged");
        Assert.Equal(reference.GetProperty("nobs").GetInt32(), fit.ObservationCount);
        Assert.Equal(reference.GetProperty("ngrps").GetInt32(), fit.GroupCount);
        Assert.Equal(reference.GetProperty("n_params").GetInt32(), fit.ParameterCount);
        bool singular = reference.GetProperty("isSingular").GetBoolean();
        Assert.Equal(singular, fit.IsSingular);
        Assert.Equal(singular, fit.Warnings.Any(w => w.Contains("singular")));

        // likelihood and information criteria
        Near(reference.Number("logLik"), fit.LogLikelihood, 1e-6, what + " logLik");
        Near(reference.Number(reml ? "REMLcrit" : "deviance"), fit.Criterion, 2e-6, what + " criterion");
        Near(reference.Number("AIC"), fit.Aic, 2e-6, what + " AIC");
        Near(reference.Number("BIC"), fit.Bic, 2e-6, what + " BIC");
        // the criterion not optimised, at the reference θ: no optimisation involved, so it must agree tightly
        var referenceTheta = reference.GetProperty("theta").Doubles();
        var other = LinearMixedModel.EvaluateCriterion(LmeFixtures.Data(dataset),
            new MixedModelOptions { RandomEffects = LmeFixtures.Structure(kind), Reml = !reml }, referenceTheta);
        Relative([reference.Number(reml ? "deviance_ML_at_estimates" : "REMLcrit_at_estimates")], [other.Criterion], 1e-10,
            what + " other criterion at the reference θ");

        // fixed effects
        var fixef = reference.GetProperty("fixef");
        Assert.Equal(fixef.GetProperty("names").EnumerateArray().Select(e => e.GetString()), fit.FixedEffects.Select(f => f.Name));
        Relative(fixef.GetProperty("estimate").Doubles(), fit.FixedEffects.Select(f => f.Estimate), tol.Fixef, what + " estimate");
        Relative(fixef.GetProperty("std_error").Doubles(), fit.FixedEffects.Select(f => f.StdError), tol.Se, what + " std error");
        Relative(fixef.GetProperty("t_value").Doubles(), fit.FixedEffects.Select(f => f.TValue), tol.Se, what + " t value");
        if (reference.TryGetProperty("vcov_fixef", out var vcov))
        {
            // relative to √(v_aa v_bb): an off-diagonal covariance near 0 has no relative precision of its own
            // (lme4's default result is 1.9e-4 off the tight one in that sense on singular corr_ML)
            var rows = vcov.EnumerateArray().Select(r => r.Doubles()).ToArray();
            for (int a = 0; a < rows.Length; a++)
            for (int b = 0; b < rows.Length; b++)
                Near(rows[a][b], fit.FixedEffectsCovariance[a, b], tol.Se * Math.Sqrt(rows[a][a] * rows[b][b]),
                    what + $" vcov[{a},{b}]");
        }

        // variance components
        double sigma = reference.Number("residual_sd");
        Relative([sigma], [fit.ResidualSd], tol.Sd, what + " residual sd");
        var random = reference.GetProperty("random");
        Relative([random.Number("sd_intercept")], [fit.Random.SdIntercept], tol.Sd, what + " sd_intercept");
        double refSlope = random.Number("sd_slope"), refCorr = random.Number("corr");
        bool boundarySlope = singular && kind != "intercept";
        if (kind == "intercept")
        {
            Assert.True(double.IsNaN(fit.Random.SdSlope));
            Assert.True(double.IsNaN(fit.Random.Correlation));
        }
        else if (boundarySlope)
            Near(refSlope, fit.Random.SdSlope, 1e-4 * sigma, what + " boundary sd_slope");
        else
            Relative([refSlope], [fit.Random.SdSlope], tol.Sd, what + " sd_slope");
        if (kind == "corr")
        {
            if (singular && Math.Abs(refCorr) > 0.999) Near(refCorr, fit.Random.Correlation, 1e-3, what + " boundary corr");
            else Near(refCorr, fit.Random.Correlation, tol.Corr, what + " corr");
        }
        else if (kind == "uncorr") Assert.True(double.IsNaN(fit.Random.Correlation));

        // θ: boundary diagonal elements in absolute terms
        var theta = referenceTheta;
        var positions = kind switch { "corr" => new[] { true, false, true }, "uncorr" => [true, true], _ => [true] };
        Assert.Equal(theta.Length, fit.Theta.Length);
        double boundaryTheta = 0;
        for (int j = 0; j < theta.Length; j++)
        {
            if (singular && positions[j] && theta[j] < 1e-4)
            {
                Near(theta[j], fit.Theta[j], 1e-4, what + $" boundary theta[{j}]");
                boundaryTheta = Math.Max(boundaryTheta, theta[j]);
            }
            else Relative([theta[j]], [fit.Theta[j]], tol.Sd, what + $" theta[{j}]");
        }

        // Satterthwaite
        var satt = reference.GetProperty("satterthwaite");
        Relative(satt.GetProperty("df").Doubles(), fit.FixedEffects.Select(f => f.Df), tol.Df, what + " Satterthwaite df");
        var p = satt.GetProperty("p_value").Doubles();
        for (int j = 0; j < p.Length; j++) LogP(p[j], fit.FixedEffects[j].PValue, tol.LogP, what + $" p[{j}]");

        // conditional modes
        if (reference.TryGetProperty("ranef", out var ranef))
        {
            Assert.Equal(ranef.GetProperty("group").EnumerateArray().Select(g => g.GetInt32().ToString()), fit.ConditionalModes.Groups);
            var refInt = ranef.GetProperty("intercept").Doubles();
            double tolInt = tol.Ranef * random.Number("sd_intercept");
            for (int i = 0; i < refInt.Length; i++) Near(refInt[i], fit.ConditionalModes.Intercept[i], tolInt, what + $" ranef intercept {i}");
            if (kind != "intercept")
            {
                var refSl = ranef.GetProperty("slope").Doubles();
                // At a boundary (L22 → 0) the slope modes are (L21/L11)·intercept modes, so they carry θ's relative
                // tolerance; and the reference stops short of the boundary (e.g. L22 = 2e-7 instead of 0), which
                // moves them by about L22·σ·|u/σ|: allow ten times the reference's own boundary θ for that.
                for (int i = 0; i < refSl.Length; i++)
                {
                    double allowed = boundarySlope
                        ? tol.Ranef * Math.Max(refSlope, 1e-4 * sigma) + tol.Sd * Math.Abs(refSl[i]) + 10 * boundaryTheta * sigma
                        : tol.Ranef * refSlope;
                    Near(refSl[i], fit.ConditionalModes.Slope![i], allowed, what + $" ranef slope {i}");
                }
            }
            else Assert.Null(fit.ConditionalModes.Slope);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void ObjectiveAtGivenThetaMatchesLme4AndTheDenseCheck(string dataset)
    {
        var data = LmeFixtures.Data(dataset);
        int count = 0;
        foreach (var check in LmeFixtures.Root(dataset).GetProperty("objective_checks").EnumerateArray())
        {
            var options = new MixedModelOptions
            {
                RandomEffects = LmeFixtures.Structure(check.GetProperty("model").GetString()!),
                Reml = check.GetProperty("REML").GetBoolean(),
            };
            var theta = check.GetProperty("theta").Doubles();
            var ours = LinearMixedModel.EvaluateCriterion(data, options, theta);
            var what = $"{dataset} {check.GetProperty("formula").GetString()} REML={options.Reml} θ=({string.Join(", ", theta)})";
            Relative([check.Number("criterion")], [ours.Criterion], 1e-10, what + " criterion");
            Relative([check.Number("criterion_dense_check")], [ours.Criterion], 1e-10, what + " dense criterion");
            Relative(check.GetProperty("beta").Doubles(), ours.Beta, 1e-8, what + " beta");
            Relative([check.Number("pwrss")], [ours.Pwrss], 1e-9, what + " pwrss");
            Relative([check.Number("ldL2")], [ours.Ldl2], 1e-10, what + " ldL2");
            Relative([check.Number("ldRX2")], [ours.LdRX2], 1e-9, what + " ldRX2");
            count++;
        }
        Assert.Equal(30, count);
    }

    public static TheoryData<string> Datasets() => new(LmeFixtures.Datasets);

    [Theory]
    [MemberData(nameof(Datasets))]
    public void LikelihoodRatioTestsMatchAnova(string dataset)
    {
        var anova = LmeFixtures.Root(dataset).GetProperty("anova");
        Check("intercept_vs_corr", LmeFixtures.OurFit(dataset, "intercept", false), LmeFixtures.OurFit(dataset, "corr", false), false);
        Check("intercept_vs_uncorr", LmeFixtures.OurFit(dataset, "intercept", false), LmeFixtures.OurFit(dataset, "uncorr", false), false);
        Check("uncorr_vs_corr", LmeFixtures.OurFit(dataset, "uncorr", false), LmeFixtures.OurFit(dataset, "corr", false), false);
        Check("intercept_vs_corr_refit_from_REML", LmeFixtures.OurFit(dataset, "intercept", true),
            LmeFixtures.OurFit(dataset, "corr", true), true);

        void Check(string name, MixedModelFit reduced, MixedModelFit full, bool refit)
        {
            var reference = anova.GetProperty(name);
            var test = LikelihoodRatioTest.Compare(reduced, full);
            var what = $"{dataset} {name}";
            Assert.Equal(refit, test.RefittedWithMaximumLikelihood);
            Assert.Equal(reference.GetProperty("Df").GetInt32(), test.Df);
            Assert.Equal(reference.GetProperty("npar").Doubles(), new double[] { test.Reduced.ParameterCount, test.Full.ParameterCount });
            Near(reference.Number("Chisq"), test.ChiSquared, 2e-6, what + " Chisq");
            var logLik = reference.GetProperty("logLik").Doubles();
            Near(logLik[0], test.Reduced.LogLikelihood, 1e-6, what + " logLik0");
            Near(logLik[1], test.Full.LogLikelihood, 1e-6, what + " logLik1");
            var aic = reference.GetProperty("AIC").Doubles();
            Near(aic[1], test.Full.Aic, 2e-6, what + " AIC");
            var bic = reference.GetProperty("BIC").Doubles();
            Near(bic[0], test.Reduced.Bic, 2e-6, what + " BIC");
            var dev = reference.GetProperty("deviance").Doubles();
            Near(dev[1], test.Full.Deviance, 2e-6, what + " deviance");
            LogP(reference.Number("p_value"), test.PValue, 1e-4, what + " p");
        }
    }

    internal static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E2} > {tolerance:E2})");

    internal static void Relative(IEnumerable<double> expected, IEnumerable<double> actual, double tolerance, string what)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            double diff = Math.Abs(e[i] - a[i]), scale = Math.Max(Math.Abs(e[i]), Math.Abs(a[i]));
            Assert.True(diff <= tolerance * scale,
                $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R} (relative {diff / scale:E2} > {tolerance:E2})");
        }
    }

    /// <summary>README: |log10 p − log10 p_ref| ≤ tol·max(1, |log10 p_ref|); p below 1e-300 equals a stored 0.</summary>
    internal static void LogP(double expected, double actual, double tolerance, string what)
    {
        if (expected < 1e-300 || actual < 1e-300)
        {
            Assert.True(expected < 1e-300 && actual < 1e-300, $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }
        double le = Math.Log10(expected), la = Math.Log10(actual);
        Assert.True(Math.Abs(le - la) <= tolerance * Math.Max(1, Math.Abs(le)),
            $"{what}: expected p {expected:R}, got {actual:R} (log10 diff {Math.Abs(le - la):E2})");
    }
}
