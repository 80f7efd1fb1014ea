using static AnnScope.Statistics.Claims.ClaimMath;

namespace AnnScope.Statistics.Claims;

public static partial class PaperClaims
{
    private const string Modularity = "multilayer_modularity", Communities = "multilayer_communities", Flexibility = "flexibility",
        Strength = "mean_correlation";

    /// <summary>Within-window r [instance][window] of a column with accuracy, or the reason it cannot be had.</summary>
    private static (double[][]? Within, string? Why) WithinOf(Judge j, string column, int minimumWindows)
    {
        if (j.Curves(column) is not { } x) return (null, Missing(column));
        if (j.Accuracy is not { } y) return (null, Missing(j.Evidence.AccuracyColumn));
        if (!j.EnoughInstances(x)) return (null, $"fewer than {j.Rules.MinimumInstances} instances");
        var within = Within(x, y, j.Evidence.CorrelationWindow);
        int windows = within.Min(w => w.Length);
        return windows < minimumWindows ? (null, $"{windows} window(s) of {j.Evidence.CorrelationWindow} checkpoints, fewer than {minimumWindows}") : (within, null);
    }

    /// <summary>Across-instance r per checkpoint of a column with accuracy: early-phase peak and the mean over later checkpoints.</summary>
    private static (CorrelationResult[]? Across, string? Why) AcrossOf(Judge j, string column)
    {
        if (j.Curves(column) is not { } x) return (null, Missing(column));
        if (j.Accuracy is not { } y) return (null, Missing(j.Evidence.AccuracyColumn));
        if (!j.EnoughInstances(x)) return (null, $"fewer than {j.Rules.MinimumInstances} instances");
        if (j.Checkpoints < 3) return (null, "fewer than 3 checkpoints");
        return (Across(x, y, j.Rules), null);
    }

    private static (CorrelationResult Peak, int At, double Later, int LaterNegative) Phases(Judge j, CorrelationResult[] across, bool highest)
    {
        var early = Enumerable.Range(0, j.EarlyEnd + 1).Where(c => double.IsFinite(across[c].R)).ToArray();
        int at = early.Length == 0 ? 0 : highest ? early.MaxBy(c => across[c].R) : early.MinBy(c => across[c].R);
        var later = across.Skip(j.EarlyEnd + 1).Where(r => double.IsFinite(r.R)).ToArray();
        return (across[at], at, later.Length == 0 ? double.NaN : later.Average(r => r.R),
            later.Count(r => highest ? r.R < 0 && r.PValue < j.Rules.Alpha : r.R > 0 && r.PValue < j.Rules.Alpha));
    }

    private static ClaimResult WithinModularityPositive(Judge j)
    {
        var claim = new Claim("within_modularity_positive", "4A", "Within instances, modularity correlates positively with accuracy in every window.",
            $"r({Modularity}, accuracy) within windows of checkpoints", "every window's mean r > 0, and each instance's mean over windows is > 0 on average (t over instances, p < alpha)",
            "≈ 0.6 to ≈ 1, positive throughout");
        var (within, why) = WithinOf(j, Modularity, 1);
        if (within is null) return claim.Untestable(why!);
        var means = WindowMeans(within);
        var overall = Overall(within, j.Rules);
        if (overall is null) return claim.Untestable("too few defined correlations");
        bool holds = means.All(m => m > 0) && overall.Positive(j.Rules.Alpha);
        return claim.Verdict(holds, $"window means {string.Join(", ", means.Select(F))}; overall {F(overall.Mean)}",
            holds ? "positive in every window" : "not positive in every window", overall);
    }

    private static ClaimResult WithinModularityProfile(Judge j)
    {
        var claim = new Claim("within_modularity_peaks_mid", "4A", "That within-window correlation rises toward one mid-training and is about 0.6 late.",
            $"r({Modularity}, accuracy) within windows", "the highest window mean is neither the first nor the last window and >= near_one; the last window's mean is > 0 and below the peak",
            "≈ 1 mid-training, ≈ 0.6 late");
        var (within, why) = WithinOf(j, Modularity, j.Rules.MinimumWindows);
        if (within is null) return claim.Untestable(why!);
        var means = WindowMeans(within);
        int peak = Enumerable.Range(0, means.Length).Where(w => double.IsFinite(means[w])).DefaultIfEmpty(0).MaxBy(w => means[w]);
        bool holds = peak > 0 && peak < means.Length - 1 && means[peak] >= j.Rules.NearOne && means[^1] > 0 && means[^1] < means[peak];
        return claim.Verdict(holds, $"peak {F(means[peak])} in window {peak + 1} of {means.Length}; last {F(means[^1])}",
            holds ? "peaks mid-training near one, lower late" : means[peak] < j.Rules.NearOne ? "the peak is not near one" : "the peak is not mid-training or the late value is not below it");
    }

    private static ClaimResult WithinCommunitiesOpposite(Judge j)
    {
        var claim = new Claim("within_communities_opposite", "4B", "Within instances, the number of communities runs opposite to accuracy, near zero late.",
            $"r({Communities}, accuracy) within windows", "each instance's mean over windows is < 0 on average (t over instances, p < alpha) and the last window's mean |r| <= near_zero");
        var (within, why) = WithinOf(j, Communities, 1);
        if (within is null) return claim.Untestable(why!);
        var means = WindowMeans(within);
        var overall = Overall(within, j.Rules);
        if (overall is null) return claim.Untestable("too few defined correlations");
        bool holds = overall.Negative(j.Rules.Alpha) && Math.Abs(means[^1]) <= j.Rules.NearZero;
        return claim.Verdict(holds, $"overall {F(overall.Mean)}; last window {F(means[^1])}",
            holds ? "opposite, near zero late" : !overall.Negative(j.Rules.Alpha) ? "not significantly negative" : "not near zero late", overall);
    }

    private static ClaimResult AcrossModularity(Judge j)
    {
        var claim = new Claim("across_modularity_sign_change", "4C", "Across instances, modularity correlates positively with accuracy early and negatively in the middle and late stages.",
            $"r({Modularity}, accuracy) across instances per checkpoint", "the early phase's highest r > 0 with p < alpha, and the mean r over later checkpoints < 0",
            "positive early, negative middle and late");
        var (across, why) = AcrossOf(j, Modularity);
        if (across is null) return claim.Untestable(why!);
        var (peak, at, later, negatives) = Phases(j, across, highest: true);
        bool holds = peak.R > 0 && peak.PValue < j.Rules.Alpha && later < 0;
        return claim.Verdict(holds, $"early peak {F(peak.R)} at epoch {j.Epoch(at)} (p {P(peak.PValue)}); later mean {F(later)}, {negatives} later checkpoint(s) significantly negative",
            holds ? "positive early, negative later" : !(peak.R > 0 && peak.PValue < j.Rules.Alpha) ? "no significant positive early correlation" : "not negative later");
    }

    private static ClaimResult AcrossCommunities(Judge j)
    {
        var claim = new Claim("across_communities_opposite", "4C", "Across instances, the number of communities runs opposite to modularity and stays positive late.",
            $"r({Communities}, accuracy) across instances", "the early phase's lowest r < 0 and the mean r over later checkpoints > 0");
        var (across, why) = AcrossOf(j, Communities);
        if (across is null) return claim.Untestable(why!);
        var (low, at, later, positives) = Phases(j, across, highest: false);
        bool holds = low.R < 0 && later > 0;
        return claim.Verdict(holds, $"early low {F(low.R)} at epoch {j.Epoch(at)}; later mean {F(later)}, {positives} later checkpoint(s) significantly positive",
            holds ? "opposite to modularity, positive late" : "not opposite to modularity");
    }

    private static ClaimResult SimpsonsParadox(Judge j)
    {
        var claim = new Claim("simpsons_paradox", "4C", "Modularity relates to accuracy positively within instances but negatively across instances later in training (a Simpson's paradox).",
            $"{Modularity}: within-window overall mean r and later across-instance mean r", "within: positive (t over instances, p < alpha); across: mean r over later checkpoints < 0");
        var (within, whyWithin) = WithinOf(j, Modularity, 1);
        var (across, whyAcross) = AcrossOf(j, Modularity);
        if (within is null || across is null) return claim.Untestable(whyWithin ?? whyAcross!);
        var overall = Overall(within, j.Rules);
        if (overall is null) return claim.Untestable("too few defined correlations");
        double later = Phases(j, across, highest: true).Later;
        bool holds = overall.Positive(j.Rules.Alpha) && later < 0;
        return claim.Verdict(holds, $"within {F(overall.Mean)}; across later {F(later)}", holds ? "opposite signs: the paradox" : "no sign reversal", overall);
    }

    private static ClaimResult FlexibilityRisesWithAccuracy(Judge j)
    {
        var claim = new Claim("flexibility_rises_with_accuracy", "5B", "Flexibility rises with accuracy over learning.",
            Flexibility, "change first → last > 0 (paired t, p < alpha), and each instance's r(flexibility, accuracy) over all checkpoints is > 0 on average (t, p < alpha)");
        if (j.Curves(Flexibility) is not { } x) return claim.Untestable(Missing(Flexibility));
        if (j.Accuracy is not { } y) return claim.Untestable(Missing(j.Evidence.AccuracyColumn));
        if (j.Checkpoints < 3) return claim.Untestable("fewer than 3 checkpoints");
        var change = Change(x, 0, j.Checkpoints - 1, j.Rules);
        var r = Mean(x.Zip(y, (a, b) => CorrelationTest.Compute(a, b).R), j.Rules.Alpha, j.Rules.MinimumInstances);
        if (change is null || r is null) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        bool holds = change.Positive(j.Rules.Alpha) && r.Positive(j.Rules.Alpha);
        return claim.Verdict(holds, $"change {F(change.Mean)} (p {P(change.P)}); mean r over training {F(r.Mean)}",
            holds ? "rises with accuracy" : "does not rise with accuracy", r);
    }

    private static ClaimResult AcrossFlexibility(Judge j)
    {
        var claim = new Claim("across_flexibility_sign_change", "5C", "Across instances, flexibility's correlation with accuracy rises early and turns negative later.",
            $"r({Flexibility}, accuracy) across instances", "the early phase's highest r > 0 with p < alpha, and the mean r over later checkpoints < 0");
        var (across, why) = AcrossOf(j, Flexibility);
        if (across is null) return claim.Untestable(why!);
        var (peak, at, later, negatives) = Phases(j, across, highest: true);
        bool holds = peak.R > 0 && peak.PValue < j.Rules.Alpha && later < 0;
        return claim.Verdict(holds, $"early peak {F(peak.R)} at epoch {j.Epoch(at)} (p {P(peak.PValue)}); later mean {F(later)}, {negatives} significantly negative",
            holds ? "positive early, negative later" : "no sign change");
    }

    private static ClaimResult WithinFlexibility(Judge j)
    {
        var claim = new Claim("within_flexibility_peaks_early", "5D", "Within windows, flexibility correlates positively with accuracy, peaks earlier than modularity's correlation and falls near zero late.",
            $"r({Flexibility}, accuracy) and r({Modularity}, accuracy) within windows", "overall mean r(flexibility) > 0 (t, p < alpha); its peak window precedes modularity's; the last window's mean |r| <= near_zero",
            "peaks in epochs 101–300, near zero late");
        var (flex, why) = WithinOf(j, Flexibility, j.Rules.MinimumWindows);
        var (mod, whyMod) = WithinOf(j, Modularity, j.Rules.MinimumWindows);
        if (flex is null || mod is null) return claim.Untestable(why ?? whyMod!);
        var f = WindowMeans(flex);
        var m = WindowMeans(mod);
        var overall = Overall(flex, j.Rules);
        if (overall is null) return claim.Untestable("too few defined correlations");
        int fPeak = Enumerable.Range(0, f.Length).Where(w => double.IsFinite(f[w])).DefaultIfEmpty(0).MaxBy(w => f[w]);
        int mPeak = Enumerable.Range(0, m.Length).Where(w => double.IsFinite(m[w])).DefaultIfEmpty(0).MaxBy(w => m[w]);
        bool holds = overall.Positive(j.Rules.Alpha) && fPeak < mPeak && Math.Abs(f[^1]) <= j.Rules.NearZero;
        return claim.Verdict(holds, $"overall {F(overall.Mean)}; flexibility peaks in window {fPeak + 1} ({F(f[fPeak])}), modularity in window {mPeak + 1}; last {F(f[^1])}",
            holds ? "positive, peaks earlier, near zero late" : !overall.Positive(j.Rules.Alpha) ? "not positive" : fPeak >= mPeak ? "does not peak before modularity" : "not near zero late", overall);
    }
}
