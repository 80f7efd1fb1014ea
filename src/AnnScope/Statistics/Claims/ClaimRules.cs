namespace AnnScope.Statistics.Claims;

/// <summary>
/// The thresholds with which the paper's claims are tested (README, "The paper's claims"). Phases are fractions of
/// the checkpoints; correlations and ρ are in their own units. The study config holds them as its <c>claims</c> section.
/// </summary>
public sealed record ClaimRules
{
    /// <summary>Significance level of every test (paired changes, correlations, mediation paths, Granger).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The early phase: checkpoints up to this fraction of training (the rest is "later").</summary>
    public double EarlyFraction { get; init; } = 0.2;

    /// <summary>"Steeply early": at least this share of the whole change happens in the early phase.</summary>
    public double EarlyShare { get; init; } = 0.5;

    /// <summary>A correlation at least this high counts as "near one".</summary>
    public double NearOne { get; init; } = 0.8;

    /// <summary>A correlation of at most this magnitude counts as "near zero".</summary>
    public double NearZero { get; init; } = 0.25;

    /// <summary>"Throughout" / "monotonically": Spearman ρ of the instance-mean curve with epoch at least this (in the claimed direction).</summary>
    public double MonotoneRho { get; init; } = 0.7;

    /// <summary>Fewest instances for an across-instance correlation, a paired test or a per-mode curve.</summary>
    public int MinimumInstances { get; init; } = 5;

    /// <summary>Fewest within-instance windows for a claim about how the within-window correlation evolves.</summary>
    public int MinimumWindows { get; init; } = 3;

    /// <summary>A learning mode exists when at least this share of the instances has it.</summary>
    public double MinimumModeShare { get; init; } = 0.05;

    /// <summary>Skewness "splits in two groups" when each group holds at least this share of the instances.</summary>
    public double SplitShare { get; init; } = 0.1;

    /// <summary>A skewness curve "rises fast then declines" when it gives back at least this share of its later rise.</summary>
    public double SplitDecline { get; init; } = 0.25;

    /// <summary>Differences taken before the Granger test (stationarity).</summary>
    public int GrangerDifferences { get; init; } = 1;

    /// <summary>Largest lag of the Granger test (chosen by AIC up to it).</summary>
    public int GrangerMaxLag { get; init; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first threshold out of range.</summary>
    public ClaimRules Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException($"study config: claims.{message}");
        }
        Require(Alpha is > 0 and < 1, $"alpha must be in (0, 1) (got {Alpha})");
        Require(EarlyFraction is > 0 and < 1, $"early_fraction must be in (0, 1) (got {EarlyFraction})");
        Require(EarlyShare is >= 0 and <= 1, $"early_share must be in [0, 1] (got {EarlyShare})");
        Require(NearOne is > 0 and <= 1 && NearZero is >= 0 and < 1, "near_one must be in (0, 1] and near_zero in [0, 1)");
        Require(MonotoneRho is >= 0 and <= 1, $"monotone_rho must be in [0, 1] (got {MonotoneRho})");
        Require(MinimumInstances >= 3 && MinimumWindows >= 2, "minimum_instances must be >= 3 and minimum_windows >= 2");
        Require(MinimumModeShare is >= 0 and <= 1 && SplitShare is >= 0 and <= 0.5 && SplitDecline is > 0 and <= 1,
            "minimum_mode_share in [0, 1], split_share in [0, 0.5] and split_decline in (0, 1] required");
        Require(GrangerDifferences is >= 0 and <= 2 && GrangerMaxLag >= 1, "granger_differences in 0..2 and granger_max_lag >= 1 required");
        return this;
    }
}
