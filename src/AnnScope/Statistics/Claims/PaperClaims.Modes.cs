using static AnnScope.Statistics.Claims.ClaimMath;

namespace AnnScope.Statistics.Claims;

public static partial class PaperClaims
{
    private static int[] Members(Judge j, string mode) =>
        j.Evidence.LearningModes is { } labels ? Enumerable.Range(0, labels.Count).Where(i => labels[i] == mode).ToArray() : [];

    private static double[][] Of(double[][] curves, int[] members) => members.Select(i => curves[i]).ToArray();

    private static ClaimResult TwoModes(Judge j)
    {
        var claim = new Claim("two_learning_modes", "6", "Networks learn in two modes: I (a plateau at chance, then a rise) and II (an early rise, a dip, a recovery).",
            "learning modes (the rule in summary.json learning_modes)", "modes I and II each hold >= minimum_mode_share of the instances");
        if (j.Evidence.LearningModes is not { } labels || labels.All(l => l == "unknown")) return claim.Untestable("no learning modes (no accuracy, or curves too short for the rule)");
        int n = labels.Count, one = Members(j, "I").Length, two = Members(j, "II").Length;
        bool holds = one > 0 && two > 0 && one >= j.Rules.MinimumModeShare * n && two >= j.Rules.MinimumModeShare * n;
        return claim.Verdict(holds, $"I {one}, II {two}, instant {Members(j, "instant").Length}, other {Members(j, "other").Length} of {n}",
            holds ? "both modes present" : "a mode is missing or rare");
    }

    private static ClaimResult ModeIPlateau(Judge j)
    {
        var claim = new Claim("mode_one_plateau", "6", "Mode I's accuracy is flat for about the first fifth of training (≈ 200 of 1000 epochs), then rises.",
            "accuracy of mode I instances", "median checkpoint at which a mode I instance first exceeds chance + half its gain is at or after early_fraction of training", "≈ epoch 200 of 1000");
        var members = Members(j, "I");
        if (j.Accuracy is not { } y) return claim.Untestable(Missing(j.Evidence.AccuracyColumn));
        if (members.Length == 0) return claim.Untestable("no mode I instance");
        var onset = members.Select(i => HalfGain(y[i])).Where(c => c >= 0).Select(c => j.Epoch(c)).Order().ToArray();
        if (onset.Length == 0) return claim.Untestable("no mode I curve gains");
        double median = onset.Length % 2 == 1 ? onset[onset.Length / 2] : 0.5 * (onset[onset.Length / 2 - 1] + onset[onset.Length / 2]);
        double threshold = j.Epoch(0) + j.Rules.EarlyFraction * (j.Epoch(j.Checkpoints - 1) - j.Epoch(0));
        bool holds = median >= threshold;
        return claim.Verdict(holds, $"median half-gain epoch {F(median)} over {onset.Length} instances (threshold {F(threshold)})",
            holds ? "long plateau, then a rise" : "rises before the early phase ends");
    }

    /// <summary>First checkpoint at which a curve passes half-way from its first value to its final level (−1 if never).</summary>
    private static int HalfGain(double[] curve)
    {
        double final = curve.Skip(Math.Max(0, curve.Length - 3)).Average(), half = curve[0] + 0.5 * (final - curve[0]);
        if (!(final > curve[0])) return -1;
        for (int c = 0; c < curve.Length; c++) if (curve[c] >= half) return c;
        return -1;
    }

    private static ClaimResult ModeIEntropy(Judge j)
    {
        var claim = new Claim("mode_one_entropy", "6", "In mode I, entropy rises early, dips during the accuracy surge and rises again at the end.",
            "entropy of mode I instances", "mean change first → end of early phase > 0 (paired t, p < alpha); during the surge (mode I mean accuracy between 20% and 80% of its gain) the mean entropy falls below its value at the surge's start; the last value exceeds that minimum");
        var members = Members(j, "I");
        if (j.Curves("entropy") is not { } h) return claim.Untestable(Missing("entropy"));
        if (j.Accuracy is not { } y) return claim.Untestable(Missing(j.Evidence.AccuracyColumn));
        if (members.Length < j.Rules.MinimumInstances) return claim.Untestable($"{members.Length} mode I instance(s), fewer than {j.Rules.MinimumInstances}");
        var entropy = Of(h, members);
        var rise = Change(entropy, 0, j.EarlyEnd, j.Rules)!;
        var meanAccuracy = MeanCurve(Of(y, members));
        var meanEntropy = MeanCurve(entropy);
        double a0 = meanAccuracy[0], gain = meanAccuracy[^1] - a0;
        var surge = Enumerable.Range(0, j.Checkpoints).Where(c => meanAccuracy[c] >= a0 + 0.2 * gain && meanAccuracy[c] <= a0 + 0.8 * gain).ToArray();
        if (surge.Length < 2 || !(gain > 0)) return claim.Untestable("no accuracy surge in mode I");
        int start = surge[0];
        double low = surge.Min(c => meanEntropy[c]);
        bool holds = rise.Positive(j.Rules.Alpha) && low < meanEntropy[start] && meanEntropy[^1] > low;
        return claim.Verdict(holds, $"early change {F(rise.Mean)} (p {P(rise.P)}); surge epochs {j.Epoch(surge[0])}–{j.Epoch(surge[^1])}: {F(meanEntropy[start])} → min {F(low)}; last {F(meanEntropy[^1])}",
            holds ? "rises, dips in the surge, rises again" : !rise.Positive(j.Rules.Alpha) ? "no early rise" : "no dip during the surge", rise);
    }

    private static ClaimResult ModeIIDip(Judge j)
    {
        var claim = new Claim("mode_two_dip", "6", "Mode II's accuracy rises in the first epochs, drops (around epoch 100 of 1000), then recovers.",
            "accuracy of mode II instances", "the mode II mean curve's lowest point after its early peak lies in the first half of training, below the peak, and the last value exceeds the peak", "drop ≈ epoch 100 of 1000");
        var members = Members(j, "II");
        if (j.Accuracy is not { } y) return claim.Untestable(Missing(j.Evidence.AccuracyColumn));
        if (members.Length == 0) return claim.Untestable("no mode II instance");
        var mean = MeanCurve(Of(y, members));
        int peak = Enumerable.Range(0, j.EarlyEnd + 1).MaxBy(c => mean[c]);
        int dip = Enumerable.Range(peak, j.Checkpoints - peak).MinBy(c => mean[c]);
        bool holds = dip > peak && dip <= (j.Checkpoints - 1) / 2 && mean[^1] > mean[peak];
        return claim.Verdict(holds, $"{members.Length} instances: peak {F(mean[peak])} at epoch {j.Epoch(peak)}, dip {F(mean[dip])} at epoch {j.Epoch(dip)}, last {F(mean[^1])}",
            holds ? "early rise, dip, recovery" : "the mean mode II curve does not rise, dip early and recover");
    }

    private static ClaimResult ModeIIRise(Judge j)
    {
        var claim = new Claim("mode_two_flexibility_entropy_rise", "6", "In mode II, flexibility and entropy rise throughout training.",
            "flexibility and entropy of mode II instances", "for both: change first → last > 0 (paired t, p < alpha) and Spearman rho(epoch, mode-mean curve) >= monotone_rho");
        var members = Members(j, "II");
        if (j.Curves(Flexibility) is not { } f || j.Curves("entropy") is not { } h) return claim.Untestable(Missing("flexibility or entropy"));
        if (members.Length < j.Rules.MinimumInstances) return claim.Untestable($"{members.Length} mode II instance(s), fewer than {j.Rules.MinimumInstances}");
        var cf = Change(Of(f, members), 0, j.Checkpoints - 1, j.Rules)!;
        var ch = Change(Of(h, members), 0, j.Checkpoints - 1, j.Rules)!;
        double rf = Trend(MeanCurve(Of(f, members))), rh = Trend(MeanCurve(Of(h, members)));
        bool holds = cf.Positive(j.Rules.Alpha) && ch.Positive(j.Rules.Alpha) && rf >= j.Rules.MonotoneRho && rh >= j.Rules.MonotoneRho;
        return claim.Verdict(holds, $"flexibility change {F(cf.Mean)} (rho {F(rf)}); entropy change {F(ch.Mean)} (rho {F(rh)})",
            holds ? "both rise throughout" : "not both rising throughout");
    }

    private static ClaimResult FlexibilityMonotoneInModes(Judge j)
    {
        var claim = new Claim("flexibility_monotone_in_modes", "6", "Flexibility grows monotonically in both modes.",
            "flexibility of mode I and mode II instances", "Spearman rho(epoch, mode-mean flexibility) >= monotone_rho in mode I and in mode II");
        if (j.Curves(Flexibility) is not { } f) return claim.Untestable(Missing(Flexibility));
        var one = Members(j, "I");
        var two = Members(j, "II");
        if (one.Length == 0 || two.Length == 0) return claim.Untestable("mode I or mode II has no instance");
        double r1 = Trend(MeanCurve(Of(f, one))), r2 = Trend(MeanCurve(Of(f, two)));
        bool holds = r1 >= j.Rules.MonotoneRho && r2 >= j.Rules.MonotoneRho;
        return claim.Verdict(holds, $"rho mode I {F(r1)}, mode II {F(r2)}", holds ? "monotone in both" : "not monotone in both");
    }
}
