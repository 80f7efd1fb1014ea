namespace AnnScope.Statistics;

/// <summary>Options of a linear mixed-model fit. The defaults are lme4's: REML, correlated intercept and slope.</summary>
public sealed record MixedModelOptions
{
    /// <summary>Random effects per group (default lme4's <c>(1 + x | g)</c>: correlated intercept and slope).</summary>
    public RandomEffects RandomEffects { get; init; } = RandomEffects.Correlated;

    /// <summary>REML (lme4's default) or maximum likelihood.</summary>
    public bool Reml { get; init; } = true;

    /// <summary>Covariate that carries the random slope; null = the first covariate.</summary>
    public string? RandomSlope { get; init; }

    /// <summary>Denominator degrees of freedom of the fixed-effect t tests (default Satterthwaite, as lmerTest).</summary>
    public DegreesOfFreedomMethod DegreesOfFreedom { get; init; } = DegreesOfFreedomMethod.Satterthwaite;

    /// <summary>A fit is singular when a diagonal element of Λ is below this (lme4's <c>isSingular</c> default).</summary>
    public double SingularTolerance { get; init; } = 1e-4;

    /// <summary>Starting θ; null = lme4's start (1 on the diagonal of Λ, 0 below).</summary>
    public IReadOnlyList<double>? StartTheta { get; init; }
}

/// <summary>One fixed effect: estimate, standard error, t value, degrees of freedom and two-sided p-value.</summary>
public sealed record FixedEffect(string Name, double Estimate, double StdError, double TValue, double Df, double PValue);

/// <summary>
/// Variance components of the random effects (lme4's <c>VarCorr</c>): standard deviations, correlation and
/// (co)variances. A component that the structure lacks is NaN (the slope of an intercept-only model; the
/// correlation of an uncorrelated one, or of a component with zero variance).
/// </summary>
public sealed record VarianceComponents(double SdIntercept, double SdSlope, double Correlation,
    double VarIntercept, double VarSlope, double Covariance);

/// <summary>Conditional modes (BLUPs) of the random effects per group, in factor-level order.</summary>
public sealed record ConditionalModes(IReadOnlyList<string> Groups, double[] Intercept, double[]? Slope);

/// <summary>Pieces of the criterion at θ (lme4's <c>devcomp</c>).</summary>
internal sealed record CriterionEvaluation(double Criterion, double[] Beta, double Pwrss, double Wrss, double Ussq,
    double Ldl2, double LdRX2);

/// <summary>A fitted linear mixed model, with everything lme4 and lmerTest report for it.</summary>
public sealed record MixedModelFit
{
    /// <summary>The model in lme4 notation, e.g. <c>y ~ x + (1 + x | g)</c>.</summary>
    public required string Formula { get; init; }
    /// <summary>True for a REML fit, false for maximum likelihood.</summary>
    public required bool Reml { get; init; }
    /// <summary>The random-effects structure fitted.</summary>
    public required RandomEffects RandomEffects { get; init; }

    /// <summary>Intercept first, then the covariates in order.</summary>
    public required IReadOnlyList<FixedEffect> FixedEffects { get; init; }

    /// <summary>Cov(β̂) = σ̂²(X'V₀⁻¹X)⁻¹ (lme4's <c>vcov</c>).</summary>
    public required double[,] FixedEffectsCovariance { get; init; }

    /// <summary>How the t tests' degrees of freedom were computed.</summary>
    public required DegreesOfFreedomMethod DegreesOfFreedomMethod { get; init; }
    /// <summary>Standard deviations and correlation of the random effects (lme4's <c>VarCorr</c>).</summary>
    public required VarianceComponents Random { get; init; }
    /// <summary>σ̂, the residual standard deviation.</summary>
    public required double ResidualSd { get; init; }

    /// <summary>The REML log-likelihood for REML fits, the log-likelihood for ML fits (lme4's <c>logLik</c>).</summary>
    public required double LogLikelihood { get; init; }

    /// <summary>The criterion minimised: the REML criterion or the deviance, = −2 log-likelihood.</summary>
    public required double Criterion { get; init; }

    /// <summary>Estimated parameters: fixed effects + θ + σ.</summary>
    public required int ParameterCount { get; init; }
    /// <summary>AIC = −2ℓ + 2k with k = <see cref="ParameterCount"/>.</summary>
    public required double Aic { get; init; }
    /// <summary>BIC = −2ℓ + k ln n.</summary>
    public required double Bic { get; init; }

    /// <summary>lme4's variance parameters: the lower triangle of Λ column by column.</summary>
    public required double[] Theta { get; init; }
    /// <summary>Names of the θ entries, e.g. <c>g.(Intercept)</c>, as lme4 prints them.</summary>
    public required IReadOnlyList<string> ThetaNames { get; init; }
    /// <summary>The fit is on the boundary: a diagonal element of Λ is below the singular tolerance.</summary>
    public required bool IsSingular { get; init; }
    internal CriterionEvaluation Components { get; init; } = null!;
    /// <summary>The per-group random effects (lme4's <c>ranef</c>).</summary>
    public required ConditionalModes ConditionalModes { get; init; }
    /// <summary>n, observations fitted.</summary>
    public required int ObservationCount { get; init; }
    /// <summary>G, groups fitted.</summary>
    public required int GroupCount { get; init; }

    /// <summary>Objective evaluations and Newton iterations of the optimizer, and whether it converged.</summary>
    public required int Evaluations { get; init; }
    /// <summary>Newton iterations of the optimizer.</summary>
    public required int Iterations { get; init; }
    /// <summary>Whether the optimizer met its convergence criterion.</summary>
    public required bool Converged { get; init; }

    /// <summary>Warnings such as a singular (boundary) fit, as lme4 and lmerTest would give.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The fixed effect called <paramref name="name"/> (<c>(Intercept)</c> or a covariate).</summary>
    /// <exception cref="KeyNotFoundException">No such effect.</exception>
    public FixedEffect this[string name] =>
        FixedEffects.FirstOrDefault(e => e.Name == name) ?? throw new KeyNotFoundException($"no fixed effect named '{name}'");

    internal MixedModelData Data { get; init; } = null!;
    internal MixedModelOptions Options { get; init; } = null!;
}
