namespace AnnScope.Statistics;

/// <summary>The information of one model in a likelihood-ratio test (a row of lme4's <c>anova</c> table).</summary>
public sealed record ModelComparisonRow(string Formula, int ParameterCount, double Aic, double Bic, double LogLikelihood,
    double Deviance);

/// <summary>χ² = 2(ℓ₁ − ℓ₀) on Df = difference in parameter counts, p = P(χ²_Df &gt; χ²).</summary>
public sealed record LikelihoodRatioResult(ModelComparisonRow Reduced, ModelComparisonRow Full, double ChiSquared, int Df,
    double PValue, bool RefittedWithMaximumLikelihood);

/// <summary>
/// Likelihood-ratio test between nested mixed models fitted to the same data, as lme4's <c>anova</c>: REML fits
/// are first refitted by maximum likelihood (from their θ), since REML likelihoods of models are comparable only
/// when the fixed effects agree.
/// </summary>
public static class LikelihoodRatioTest
{
    /// <summary>Tests <paramref name="full"/> against <paramref name="reduced"/> (nested, fitted to the same data; REML fits are refitted by ML first, as lme4's <c>anova</c> does).</summary>
    public static LikelihoodRatioResult Compare(MixedModelFit reduced, MixedModelFit full)
    {
        ArgumentNullException.ThrowIfNull(reduced);
        ArgumentNullException.ThrowIfNull(full);
        if (!ReferenceEquals(reduced.Data, full.Data) &&
            (reduced.ObservationCount != full.ObservationCount || !reduced.Data.Response.SequenceEqual(full.Data.Response)))
            throw new ArgumentException("the two models were not fitted to the same data");
        if (reduced.ParameterCount >= full.ParameterCount)
            throw new ArgumentException(
                $"the reduced model ({reduced.Formula}, {reduced.ParameterCount} parameters) must have fewer parameters than the full one ({full.Formula}, {full.ParameterCount})");
        bool refit = reduced.Reml || full.Reml;
        var r = MaximumLikelihood(reduced);
        var f = MaximumLikelihood(full);
        double chi = Math.Max(0, 2 * (f.LogLikelihood - r.LogLikelihood));
        int df = f.ParameterCount - r.ParameterCount;
        return new LikelihoodRatioResult(Row(r), Row(f), chi, df, TailProbabilities.ChiSquaredUpper(chi, df), refit);
    }

    /// <summary>The ML fit (refitted from the REML θ, without degrees of freedom, which the test does not use).</summary>
    private static MixedModelFit MaximumLikelihood(MixedModelFit fit) => fit.Reml
        ? LinearMixedModel.Fit(fit.Data, fit.Options with
        {
            Reml = false,
            StartTheta = fit.Theta,
            DegreesOfFreedom = DegreesOfFreedomMethod.Residual,
        })
        : fit;

    private static ModelComparisonRow Row(MixedModelFit fit) =>
        new(fit.Formula, fit.ParameterCount, fit.Aic, fit.Bic, fit.LogLikelihood, fit.Criterion);
}
