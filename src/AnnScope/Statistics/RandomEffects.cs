using System.Text.Json.Serialization;

namespace AnnScope.Statistics;

/// <summary>
/// The random-effect structure per group of a linear mixed model with one random slope variable, named as
/// lme4 formulas: <c>y ~ x + (x | g)</c>, <c>y ~ x + (x || g)</c>, <c>y ~ x + (1 | g)</c>; config files and the command
/// line spell them corr, uncorr and intercept.
/// </summary>
public enum RandomEffects
{
    /// <summary>Correlated random intercept and slope, <c>(x | g)</c>: θ = (L11, L21, L22).</summary>
    [JsonStringEnumMemberName("corr")] Correlated,

    /// <summary>Independent random intercept and slope, <c>(x || g)</c>: θ = (L11, L22).</summary>
    [JsonStringEnumMemberName("uncorr")] Uncorrelated,

    /// <summary>Random intercept only, <c>(1 | g)</c>: θ = L11.</summary>
    [JsonStringEnumMemberName("intercept")] InterceptOnly,
}

/// <summary>How the degrees of freedom of the fixed-effect t tests are obtained (spelled satterthwaite, residual).</summary>
public enum DegreesOfFreedomMethod
{
    /// <summary>
    /// Satterthwaite's approximation as lmerTest computes it: numerical (Richardson) Hessian of the
    /// deviance in (θ, σ) and Jacobian of Cov(β̂); df = 2 (l'Cl)² / (g'Ag).
    /// </summary>
    [JsonStringEnumMemberName("satterthwaite")] Satterthwaite,

    /// <summary>Residual degrees of freedom n − p, as an ordinary regression would use.</summary>
    [JsonStringEnumMemberName("residual")] Residual,
}

internal static class RandomEffectsLayout
{
    /// <summary>Number of random effects per group (q).</summary>
    internal static int Size(this RandomEffects r) => r == RandomEffects.InterceptOnly ? 1 : 2;

    /// <summary>Positions (row, column) in the relative Cholesky factor Λ of each θ, lme4's order.</summary>
    internal static (int Row, int Col)[] ThetaPositions(this RandomEffects r) => r switch
    {
        RandomEffects.Correlated => [(0, 0), (1, 0), (1, 1)],
        RandomEffects.Uncorrelated => [(0, 0), (1, 1)],
        _ => [(0, 0)],
    };

    /// <summary>lme4's names for θ.</summary>
    internal static string[] ThetaNames(this RandomEffects r, string group, string slope) => r switch
    {
        RandomEffects.Correlated => [$"{group}.(Intercept)", $"{group}.{slope}.(Intercept)", $"{group}.{slope}"],
        RandomEffects.Uncorrelated => [$"{group}.(Intercept)", $"{group}.{slope}"],
        _ => [$"{group}.(Intercept)"],
    };

    /// <summary>The lme4 formula text for a response, fixed covariates and this structure.</summary>
    internal static string Formula(this RandomEffects r, string response, IReadOnlyList<string> covariates, string slope,
        string group)
    {
        var fixedPart = string.Join(" + ", covariates);
        var randomPart = r switch
        {
            RandomEffects.Correlated => $"({slope} | {group})",
            RandomEffects.Uncorrelated => $"({slope} || {group})",
            _ => $"(1 | {group})",
        };
        return $"{response} ~ {fixedPart} + {randomPart}";
    }
}
