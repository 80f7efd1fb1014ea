using static AnnScope.Statistics.Claims.ClaimMath;

namespace AnnScope.Statistics.Claims;

/// <summary>
/// The claims of the paper (science.md §11, Figs 2–6), each with the rule that tests it on a study's curves. Every
/// rule reads only <see cref="ClaimEvidence"/> and <see cref="ClaimRules"/>, so a study, a robustness variant and an
/// analysis of any network's activations are judged the same way; what a study lacks makes a claim not testable.
/// </summary>
public static partial class PaperClaims
{
    /// <summary>Tests every claim, in figure order.</summary>
    public static IReadOnlyList<ClaimResult> Evaluate(ClaimEvidence evidence, ClaimRules? rules = null)
    {
        rules = (rules ?? new ClaimRules()).Validate();
        var c = new Judge(evidence, rules);
        return
        [
            CommunitiesFall(c), ModularityRises(c), AllegianceModules(c),
            ActivationRiseThenFall(c), CorrelationFalls(c), KurtosisContractsThenExpands(c), SkewnessSplits(c),
            NearZeroActivationsGrow(c), CorrelationHistogramMoves(c),
            WithinModularityPositive(c), WithinModularityProfile(c), WithinCommunitiesOpposite(c),
            AcrossModularity(c), AcrossCommunities(c), SimpsonsParadox(c),
            MediationPathA(c), MediationPathC(c), MediationPathB(c), FullMediation(c), GrangerModularityToAccuracy(c),
            FlexibilityRisesWithAccuracy(c), AcrossFlexibility(c), WithinFlexibility(c),
            TwoModes(c), ModeIPlateau(c), ModeIEntropy(c), ModeIIDip(c), ModeIIRise(c), FlexibilityMonotoneInModes(c),
            .. DecorrelationControls(c),
        ];
    }

    /// <summary>The evidence and rules of one evaluation, with the verdict helpers every rule uses.</summary>
    private sealed class Judge(ClaimEvidence evidence, ClaimRules rules)
    {
        public ClaimEvidence Evidence { get; } = evidence;
        public ClaimRules Rules { get; } = rules;
        public int Checkpoints => Evidence.Epochs.Count;
        public int EarlyEnd => ClaimMath.EarlyEnd(Checkpoints, Rules);
        public int Epoch(int checkpoint) => Evidence.Epochs[checkpoint];

        /// <summary>A column's curves, or null when absent or never finite.</summary>
        public double[][]? Curves(string column) =>
            Evidence.Curves.TryGetValue(column, out var c) && c.Length > 0 && c.Any(x => x.Any(double.IsFinite)) ? c : null;

        public double[][]? Accuracy => Curves(Evidence.AccuracyColumn);

        public bool EnoughInstances(double[][] curves) => curves.Length >= Rules.MinimumInstances;
    }

    private sealed record Claim(string Id, string Figure, string Statement, string Measure, string Rule, string? Paper = null)
    {
        public ClaimResult Untestable(string reason) => new(Id, Figure, Statement, Measure, Rule, "", null, null, Paper, ClaimVerdict.NotTestable, reason);

        public ClaimResult Verdict(bool holds, string value, string reason, MeanTest? ci = null) =>
            new(Id, Figure, Statement, Measure, Rule, value, ci?.Lower, ci?.Upper, Paper, holds ? ClaimVerdict.Holds : ClaimVerdict.DoesNotHold, reason);
    }

    private static string Missing(string column) => $"the study has no {column}";

    private static ClaimResult CommunitiesFall(Judge j)
    {
        var claim = new Claim("communities_fall_early", "2A", "The number of communities falls steeply early in training.",
            "multilayer_communities", "mean change from the first checkpoint to the end of the early phase < 0 (paired t, p < alpha), and that early change is at least early_share of the change first → last");
        if (j.Curves("multilayer_communities") is not { } x) return claim.Untestable(Missing("multilayer_communities"));
        if (j.Checkpoints < 3) return claim.Untestable("fewer than 3 checkpoints");
        var early = Change(x, 0, j.EarlyEnd, j.Rules);
        var total = Change(x, 0, j.Checkpoints - 1, j.Rules);
        if (early is null || total is null) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        double share = total.Mean < 0 ? early.Mean / total.Mean : double.NaN;
        bool holds = early.Negative(j.Rules.Alpha) && share >= j.Rules.EarlyShare;
        return claim.Verdict(holds, $"early change {F(early.Mean)} (epochs {j.Epoch(0)}–{j.Epoch(j.EarlyEnd)}, p {P(early.P)}); whole change {F(total.Mean)}; early share {F(share)}",
            holds ? "falls, mostly early" : early.Mean >= 0 ? "does not fall early" : "the fall is not significant or not mostly early", early);
    }

    private static ClaimResult ModularityRises(Judge j)
    {
        var claim = new Claim("modularity_rises", "2B", "Multilayer modularity rises over training.",
            "multilayer_modularity", "mean change first → last checkpoint > 0 (paired t, p < alpha)");
        if (j.Curves("multilayer_modularity") is not { } x) return claim.Untestable(Missing("multilayer_modularity"));
        if (j.Checkpoints < 2) return claim.Untestable("fewer than 2 checkpoints");
        if (Change(x, 0, j.Checkpoints - 1, j.Rules) is not { } change) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        var mean = MeanCurve(x);
        bool holds = change.Positive(j.Rules.Alpha);
        return claim.Verdict(holds, $"{F(mean[0])} → {F(mean[^1])}: change {F(change.Mean)}, p {P(change.P)}", holds ? "rises" : "no significant rise", change);
    }

    private static ClaimResult AllegianceModules(Judge j)
    {
        var claim = new Claim("allegiance_modules", "2C",
            "Allegiance matrices show modules early in training, and sharper, more contrasting modules late.",
            "module allegiance (contrast: mean allegiance within consensus modules − between)",
            "contrast at the first snapshot after epoch 0 > 0 (t over instances, p < alpha), and last snapshot − that snapshot > 0 (paired t, p < alpha)");
        var snapshots = j.Evidence.Allegiance?.Where(s => s.Epoch > j.Evidence.Epochs[0]).ToArray() ?? [];
        if (snapshots.Length < 2) return claim.Untestable("fewer than two allegiance snapshots after the first checkpoint");
        var first = snapshots[0];
        var last = snapshots[^1];
        var early = Mean(first.PerInstance, j.Rules.Alpha, j.Rules.MinimumInstances);
        var sharper = Mean(last.PerInstance.Zip(first.PerInstance, (b, a) => b - a), j.Rules.Alpha, j.Rules.MinimumInstances);
        if (early is null || sharper is null) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        bool holds = early.Positive(j.Rules.Alpha) && sharper.Positive(j.Rules.Alpha);
        return claim.Verdict(holds, $"contrast {F(early.Mean)} at epoch {first.Epoch}, {F(last.PerInstance.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average())} at epoch {last.Epoch} (change p {P(sharper.P)})",
            holds ? "modules early, sharper late" : !early.Positive(j.Rules.Alpha) ? "no module structure at the early snapshot" : "modules do not sharpen", early);
    }

    private static ClaimResult ActivationRiseThenFall(Judge j)
    {
        var claim = new Claim("activation_rises_then_falls", "3A", "Mean activation rises in the very first epochs, then falls.",
            "mean_activation", "the instance-mean curve peaks inside the early phase; change first → peak > 0 and peak → last < 0 (paired t, p < alpha)");
        if (j.Curves("mean_activation") is not { } x) return claim.Untestable(Missing("mean_activation"));
        if (j.Checkpoints < 3) return claim.Untestable("fewer than 3 checkpoints");
        var mean = MeanCurve(x);
        int peak = Enumerable.Range(1, j.EarlyEnd).MaxBy(c => mean[c]);
        var rise = Change(x, 0, peak, j.Rules);
        var fall = Change(x, peak, j.Checkpoints - 1, j.Rules);
        if (rise is null || fall is null) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        bool holds = rise.Positive(j.Rules.Alpha) && fall.Negative(j.Rules.Alpha);
        return claim.Verdict(holds, $"{F(mean[0])} → {F(mean[peak])} (epoch {j.Epoch(peak)}, p {P(rise.P)}) → {F(mean[^1])} (p {P(fall.P)})",
            holds ? "rises early, falls later" : !rise.Positive(j.Rules.Alpha) ? "no significant early rise" : "no significant later fall", rise);
    }

    private static ClaimResult CorrelationFalls(Judge j)
    {
        var claim = new Claim("correlation_falls", "3B", "Mean correlation (connection strength) falls throughout training.",
            "mean_correlation", "change first → last < 0 (paired t, p < alpha) and Spearman rho(epoch, instance-mean curve) <= -monotone_rho");
        if (j.Curves("mean_correlation") is not { } x) return claim.Untestable(Missing("mean_correlation"));
        if (j.Checkpoints < 3) return claim.Untestable("fewer than 3 checkpoints");
        if (Change(x, 0, j.Checkpoints - 1, j.Rules) is not { } change) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        var mean = MeanCurve(x);
        double rho = Trend(mean);
        bool holds = change.Negative(j.Rules.Alpha) && rho <= -j.Rules.MonotoneRho;
        return claim.Verdict(holds, $"{F(mean[0])} → {F(mean[^1])} (p {P(change.P)}), rho {F(rho)}",
            holds ? "falls throughout" : change.Negative(j.Rules.Alpha) ? "falls, but not steadily" : "no significant fall", change);
    }

    private static ClaimResult KurtosisContractsThenExpands(Judge j)
    {
        var claim = new Claim("kurtosis_contracts_then_expands", "3C", "Kurtosis contracts slightly early, then expands strongly late.",
            "kurtosis", "the instance-mean curve's early minimum is below the first value (paired t, p < alpha); last − first > 0 (paired t, p < alpha) and larger than the early contraction");
        if (j.Curves("kurtosis") is not { } x) return claim.Untestable(Missing("kurtosis"));
        if (j.Checkpoints < 3) return claim.Untestable("fewer than 3 checkpoints");
        var mean = MeanCurve(x);
        int low = Enumerable.Range(1, j.EarlyEnd).MinBy(c => mean[c]);
        var contraction = Change(x, 0, low, j.Rules);
        var expansion = Change(x, 0, j.Checkpoints - 1, j.Rules);
        if (contraction is null || expansion is null) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        bool holds = contraction.Negative(j.Rules.Alpha) && expansion.Positive(j.Rules.Alpha) && expansion.Mean > -contraction.Mean;
        return claim.Verdict(holds, $"{F(mean[0])} → {F(mean[low])} (epoch {j.Epoch(low)}, p {P(contraction.P)}) → {F(mean[^1])} (p {P(expansion.P)})",
            holds ? "slight early contraction, strong late expansion" : !contraction.Negative(j.Rules.Alpha) ? "no significant early contraction" : "no strong late expansion", expansion);
    }

    private static ClaimResult SkewnessSplits(Judge j)
    {
        var claim = new Claim("skewness_declines_then_splits", "3D",
            "Skewness first declines, then splits into two groups: one rising steadily, one rising fast then declining.",
            "skewness", "early minimum of the mean curve below the first value (paired t, p < alpha); after the early phase, an instance 'rises then declines' when it ends at least split_decline of its later rise below its later maximum, else 'rises steadily'; each group holds >= split_share of the instances");
        if (j.Curves("skewness") is not { } x) return claim.Untestable(Missing("skewness"));
        if (j.Checkpoints < 5) return claim.Untestable("fewer than 5 checkpoints");
        var mean = MeanCurve(x);
        int low = Enumerable.Range(1, j.EarlyEnd).MinBy(c => mean[c]);
        if (Change(x, 0, low, j.Rules) is not { } decline) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        int declining = 0, steady = 0;
        foreach (var curve in x)
        {
            var later = curve.Skip(j.EarlyEnd).ToArray();
            if (later.Length < 2 || !later.All(double.IsFinite)) continue;
            double start = later.Min(), top = later.Max();
            int topAt = Array.IndexOf(later, top);
            double rise = top - later[0];
            if (rise <= 0) continue; // does not rise at all after the early phase: neither group
            if (topAt < later.Length - 1 && top - later[^1] >= j.Rules.SplitDecline * (top - start)) declining++;
            else steady++;
        }
        double n = x.Length;
        bool split = declining >= j.Rules.SplitShare * n && steady >= j.Rules.SplitShare * n && declining > 0 && steady > 0;
        bool holds = decline.Negative(j.Rules.Alpha) && split;
        return claim.Verdict(holds, $"early {F(mean[0])} → {F(mean[low])} (p {P(decline.P)}); rising steadily {steady}, rising then declining {declining} of {x.Length}",
            holds ? "declines, then splits" : !decline.Negative(j.Rules.Alpha) ? "no significant early decline" : "no split into two groups", decline);
    }

    private static ClaimResult NearZeroActivationsGrow(Judge j)
    {
        var claim = new Claim("near_zero_activations_grow", "3E", "The share of near-zero activations grows.",
            "activation histogram (pooled over instances)", "share of the bins touching 0 at the last checkpoint > at the first");
        if (j.Evidence.ActivationHistograms is not { } h || h.Counts.Length < 2) return claim.Untestable("no activation histograms");
        var near = Enumerable.Range(0, h.Edges.Length - 1).Where(b => h.Edges[b] <= 0 && h.Edges[b + 1] >= 0).ToArray();
        double Share(long[] counts) => counts.Sum() is var total && total > 0 ? near.Sum(b => (double)counts[b]) / total : double.NaN;
        double first = Share(h.Counts[0]), last = Share(h.Counts[^1]);
        if (!double.IsFinite(first) || !double.IsFinite(last)) return claim.Untestable("empty histograms");
        return claim.Verdict(last > first, $"{F(first)} → {F(last)}", last > first ? "grows" : "does not grow");
    }

    private static ClaimResult CorrelationHistogramMoves(Judge j)
    {
        var claim = new Claim("correlations_move_to_zero", "3F",
            "Correlations start near one; their histogram moves toward zero, with an isolated peak at one.",
            "correlation histogram (pooled)", "histogram mean at the first checkpoint > 0.5, the histogram mean falls first → last, and the last histogram's top bin exceeds the bin below it");
        if (j.Evidence.CorrelationHistograms is not { } h || h.Counts.Length < 2) return claim.Untestable("no correlation histograms");
        double Mean(long[] counts)
        {
            double total = counts.Sum();
            return total > 0 ? Enumerable.Range(0, counts.Length).Sum(b => counts[b] * 0.5 * (h.Edges[b] + h.Edges[b + 1])) / total : double.NaN;
        }
        double first = Mean(h.Counts[0]), last = Mean(h.Counts[^1]);
        var top = h.Counts[^1];
        bool peak = top.Length >= 2 && top[^1] > top[^2];
        bool holds = first > 0.5 && last < first && peak;
        return claim.Verdict(holds, $"histogram mean {F(first)} → {F(last)}; last top bin {top[^1]} vs {(top.Length >= 2 ? top[^2] : 0)} below it",
            holds ? "moves toward zero with an isolated peak at one" : first <= 0.5 ? "correlations do not start high" : last >= first ? "does not move toward zero" : "no isolated peak at one");
    }
}
