using static AnnScope.Statistics.Claims.ClaimMath;

namespace AnnScope.Statistics.Claims;

public static partial class PaperClaims
{
    /// <summary>The measures whose relation with accuracy is controlled for connection strength.</summary>
    public static IReadOnlyList<string> ControlledMeasures { get; } = [Modularity, Communities, Flexibility];

    private static IEnumerable<ClaimResult> DecorrelationControls(Judge j)
    {
        foreach (var m in ControlledMeasures) yield return StrengthControl(j, m);
        foreach (var m in ControlledMeasures) yield return ShuffleNull(j, m);
    }

    private static ClaimResult StrengthControl(Judge j, string measure)
    {
        var claim = new Claim($"control_strength_{measure}", "4D (control)",
            $"The relation of {measure} with accuracy is not just connection strength falling: it survives controlling for mean correlation.",
            $"partial r({measure}, accuracy | {Strength}) within windows and across instances",
            "each instance's mean within-window partial r keeps the sign of the uncontrolled one and is significant over instances (t, p < alpha); the across-instance partial r over later checkpoints is reported");
        if (j.Curves(measure) is not { } x) return claim.Untestable(Missing(measure));
        if (j.Curves(Strength) is not { } z) return claim.Untestable(Missing(Strength));
        if (j.Accuracy is not { } y) return claim.Untestable(Missing(j.Evidence.AccuracyColumn));
        if (!j.EnoughInstances(x)) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        var raw = Overall(Within(x, y, j.Evidence.CorrelationWindow), j.Rules);
        var controlled = Overall(Within(x, y, j.Evidence.CorrelationWindow, z), j.Rules);
        if (raw is null || controlled is null) return claim.Untestable("too few windows or defined correlations");
        var later = Enumerable.Range(j.EarlyEnd + 1, Math.Max(0, j.Checkpoints - j.EarlyEnd - 1))
            .Select(c => PartialCorrelation.Compute(x.Select(v => v[c]).ToArray(), y.Select(v => v[c]).ToArray(), z.Select(v => v[c]).ToArray()).R)
            .Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        bool holds = Math.Sign(controlled.Mean) == Math.Sign(raw.Mean) && controlled.P < j.Rules.Alpha;
        return claim.Verdict(holds, $"within: r {F(raw.Mean)} → partial {F(controlled.Mean)} (p {P(controlled.P)}); across later: partial {F(later)}",
            holds ? "survives the control" : "does not survive the control", controlled);
    }

    private static ClaimResult ShuffleNull(Judge j, string measure)
    {
        var claim = new Claim($"null_shuffle_{measure}", "4D (control)",
            $"The relation of {measure} with accuracy needs the units' co-activation: the same measure on activations shuffled per unit within each window relates to accuracy less.",
            $"within-window r({measure}, accuracy) against r(null {measure}, accuracy), on the checkpoints where the null was computed",
            "per instance, sign(observed) · (observed − null) mean within-window r, > 0 over instances (t, p < alpha)");
        if (j.Evidence.NullCurves is null || !j.Evidence.NullCurves.TryGetValue(measure, out var nullCurves))
            return claim.Untestable("the study computed no shuffled null (robustness.shuffle_null off)");
        if (j.Curves(measure) is not { } x) return claim.Untestable(Missing(measure));
        if (j.Accuracy is not { } y) return claim.Untestable(Missing(j.Evidence.AccuracyColumn));
        if (!j.EnoughInstances(x)) return claim.Untestable($"fewer than {j.Rules.MinimumInstances} instances");
        // the observed measure on the same checkpoints as the null
        var observed = x.Select((curve, i) => curve.Select((v, c) => double.IsFinite(nullCurves[i][c]) ? v : double.NaN).ToArray()).ToArray();
        int measured = nullCurves.Min(c => c.Count(double.IsFinite));
        int window = Math.Max(3, Math.Min(j.Evidence.CorrelationWindow, measured / 2));
        if (measured < window) return claim.Untestable($"the null was computed at {measured} checkpoint(s), fewer than 3");
        var real = Within(observed, y, window);
        var shuffled = Within(nullCurves, y, window);
        static double InstanceMean(double[] w) => w.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        var realMeans = real.Select(InstanceMean).ToArray();
        var nullMeans = shuffled.Select(InstanceMean).ToArray();
        double sign = Math.Sign(realMeans.Where(double.IsFinite).DefaultIfEmpty(0).Average());
        var excess = Mean(realMeans.Zip(nullMeans, (a, b) => sign * (a - b)), j.Rules.Alpha, j.Rules.MinimumInstances);
        if (excess is null || sign == 0) return claim.Untestable("too few defined correlations");
        bool holds = excess.Positive(j.Rules.Alpha);
        return claim.Verdict(holds, $"observed {F(realMeans.Where(double.IsFinite).Average())} vs null {F(nullMeans.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average())} ({measured} checkpoints, windows of {window})",
            holds ? "stronger than on shuffled activations" : "no stronger than on shuffled activations", excess);
    }
}
