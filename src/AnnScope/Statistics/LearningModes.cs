namespace AnnScope.Statistics;

/// <summary>The study's shapes of learning curves (science.md §8).</summary>
public enum LearningMode
{
    /// <summary>Sits at the chance plateau for a while, then rises.</summary>
    ModeI,

    /// <summary>Rises early, dips, then recovers.</summary>
    ModeII,

    /// <summary>Learns at once: no plateau and no dip.</summary>
    Instant,

    /// <summary>None of the above (including curves that never learn).</summary>
    Other,
}

/// <summary>
/// Thresholds of the learning-mode rule. Progress p(t) = (s(t) − chance)/(learned − chance) rescales a curve s
/// so that 0 is chance and 1 its learned level; every threshold is in progress units or checkpoints.
/// </summary>
public sealed record LearningModeRule
{
    /// <summary>Accuracy of a network that has learned nothing: 1/3 for the study's paper_accuracy ("always novel").</summary>
    public double ChanceLevel { get; init; } = 1.0 / 3;

    /// <summary>The learned level is the mean of the last this-many checkpoints.</summary>
    public int FinalCheckpoints { get; init; } = 10;

    /// <summary>A curve whose learned level exceeds chance by less than this (accuracy units) never learned.</summary>
    public double MinimumGain { get; init; } = 0.1;

    /// <summary>Progress below this counts as being at chance.</summary>
    public double PlateauBand { get; init; } = 0.2;

    /// <summary>Mode I needs at least this many leading checkpoints at chance (the study saw 10–30).</summary>
    public int MinimumPlateau { get; init; } = 5;

    /// <summary>The early peak of mode II (and the rise of an instant learner) lies within these first checkpoints.</summary>
    public int EarlyWindow { get; init; } = 10;

    /// <summary>Mode II's early peak reaches at least this progress.</summary>
    public double EarlyRise { get; init; } = 0.5;

    /// <summary>Mode II falls at least this far below its early peak, and climbs at least this far back.</summary>
    public double DipDepth { get; init; } = 0.25;

    /// <summary>Progress that counts as learned (or recovered after the dip).</summary>
    public double Learned { get; init; } = 0.8;

    /// <summary>An instant learner has at most this many leading checkpoints at chance.</summary>
    public int InstantOnset { get; init; } = 2;

    /// <summary>Running-median width applied before the rule (odd; 1 = none), so single noisy checkpoints do not decide.</summary>
    public int Smoothing { get; init; } = 3;

    internal void Validate()
    {
        if (FinalCheckpoints < 1 || MinimumPlateau < 1 || EarlyWindow < 1 || InstantOnset < 0)
            throw new ArgumentException("learning-mode checkpoint counts must be positive");
        if (Smoothing < 1 || Smoothing % 2 == 0) throw new ArgumentException($"Smoothing must be odd and positive (got {Smoothing})");
        if (!(MinimumGain > 0 && PlateauBand > 0 && EarlyRise > PlateauBand && DipDepth > 0 && Learned > PlateauBand))
            throw new ArgumentException("learning-mode thresholds must satisfy 0 < PlateauBand < EarlyRise, Learned and positive gain and dip");
    }
}

/// <summary>The label of one curve and the features that decided it (progress units, checkpoints).</summary>
public sealed record LearningModeLabel(LearningMode Mode, double LearnedLevel, int PlateauLength, double EarlyPeak,
    int EarlyPeakCheckpoint, double Dip, int? LearnedCheckpoint, string Reason);

/// <summary>Per-mode mean curve over the instances with that label.</summary>
public sealed record ModeCurve(LearningMode Mode, int Instances, double[] Mean);

/// <summary>
/// Automatic, reproducible labelling of accuracy curves into learning modes. The rule, applied to the running
/// median of the curve (see <see cref="LearningModeRule"/> for each threshold):
/// <list type="number">
/// <item>learned = mean of the last checkpoints (raw curve); if learned − chance &lt; MinimumGain → Other.</item>
/// <item>p(t) = progress; plateau = leading checkpoints with p &lt; PlateauBand; early peak = max p in the first
/// EarlyWindow checkpoints; dip = early peak − min p after it; recovery = max p after that minimum.</item>
/// <item>early peak ≥ EarlyRise, dip ≥ DipDepth, recovery ≥ Learned and recovery − minimum ≥ DipDepth → Mode II.</item>
/// <item>plateau ≤ InstantOnset, p ≥ Learned within EarlyWindow and dip &lt; DipDepth → Instant.</item>
/// <item>plateau ≥ MinimumPlateau and p ≥ Learned later → Mode I.</item>
/// <item>anything else → Other.</item>
/// </list>
/// </summary>
public static class LearningModes
{
    /// <summary>The learning mode of one instance from its accuracy at every checkpoint, in epoch order.</summary>
    /// <exception cref="ArgumentException">Too few checkpoints for the rule's windows, or a bad rule.</exception>
    public static LearningModeLabel Classify(ReadOnlySpan<double> accuracy, LearningModeRule? rule = null)
    {
        rule ??= new LearningModeRule();
        rule.Validate();
        int n = accuracy.Length;
        if (n < Math.Max(rule.FinalCheckpoints, rule.EarlyWindow) + 1)
            throw new ArgumentException($"a curve of {n} checkpoints is too short for the rule (needs more than {Math.Max(rule.FinalCheckpoints, rule.EarlyWindow)})");
        foreach (var v in accuracy)
            if (!double.IsFinite(v)) throw new ArithmeticException("accuracy curves must be finite to be labelled");

        double learned = 0;
        for (int t = n - rule.FinalCheckpoints; t < n; t++) learned += accuracy[t];
        learned /= rule.FinalCheckpoints;
        double gain = learned - rule.ChanceLevel;
        if (gain < rule.MinimumGain)
            return new LearningModeLabel(LearningMode.Other, learned, n, 0, 0, 0, null,
                $"never learned: final level {learned:F3} is within {rule.MinimumGain} of chance {rule.ChanceLevel:F3}");

        var smooth = RunningMedian(accuracy, rule.Smoothing);
        var p = smooth.Select(s => (s - rule.ChanceLevel) / gain).ToArray();
        int plateau = 0;
        while (plateau < n && p[plateau] < rule.PlateauBand) plateau++;
        int peakAt = 0;
        for (int t = 1; t < rule.EarlyWindow; t++)
            if (p[t] > p[peakAt]) peakAt = t;
        double peak = p[peakAt];
        int minAt = peakAt;
        for (int t = peakAt + 1; t < n; t++)
            if (p[t] < p[minAt]) minAt = t;
        double dip = peak - p[minAt];
        double recovery = double.NegativeInfinity;
        for (int t = minAt; t < n; t++) recovery = Math.Max(recovery, p[t]);
        int? learnedAt = null;
        for (int t = 0; t < n && learnedAt is null; t++)
            if (p[t] >= rule.Learned) learnedAt = t;

        LearningModeLabel Label(LearningMode mode, string reason) =>
            new(mode, learned, plateau, peak, peakAt, dip, learnedAt, reason);

        if (peak >= rule.EarlyRise && dip >= rule.DipDepth && recovery >= rule.Learned && recovery - p[minAt] >= rule.DipDepth)
            return Label(LearningMode.ModeII, $"early peak {peak:F2} at checkpoint {peakAt}, dip {dip:F2}, recovered to {recovery:F2}");
        if (plateau <= rule.InstantOnset && learnedAt < rule.EarlyWindow && dip < rule.DipDepth)
            return Label(LearningMode.Instant, $"learned at checkpoint {learnedAt} with {plateau} checkpoint(s) at chance");
        if (plateau >= rule.MinimumPlateau && learnedAt is not null)
            return Label(LearningMode.ModeI, $"{plateau} checkpoints at chance, learned at checkpoint {learnedAt}");
        return Label(LearningMode.Other,
            $"plateau {plateau}, early peak {peak:F2}, dip {dip:F2}, learned at {(learnedAt is null ? "never" : learnedAt.ToString())}: no mode's rule applies");
    }

    /// <summary>Labels every instance's curve.</summary>
    public static LearningModeLabel[] Classify(IReadOnlyList<double[]> curves, LearningModeRule? rule = null) =>
        curves.Select(c => Classify(c, rule)).ToArray();

    /// <summary>Mean curve per mode (modes without instances are left out), in enum order.</summary>
    public static ModeCurve[] MeanCurves(IReadOnlyList<double[]> curves, IReadOnlyList<LearningModeLabel> labels)
    {
        if (curves.Count != labels.Count) throw new ArgumentException($"{curves.Count} curves but {labels.Count} labels");
        var result = new List<ModeCurve>();
        foreach (var mode in Enum.GetValues<LearningMode>())
        {
            var members = curves.Where((_, i) => labels[i].Mode == mode).ToArray();
            if (members.Length > 0) result.Add(new ModeCurve(mode, members.Length, EpochRelations.InstanceMean(members)));
        }
        return [.. result];
    }

    private static double[] RunningMedian(ReadOnlySpan<double> x, int width)
    {
        var result = new double[x.Length];
        int half = width / 2;
        var window = new List<double>(width);
        for (int t = 0; t < x.Length; t++)
        {
            window.Clear();
            for (int s = Math.Max(0, t - half); s <= Math.Min(x.Length - 1, t + half); s++) window.Add(x[s]);
            window.Sort();
            int c = window.Count;
            result[t] = c % 2 == 1 ? window[c / 2] : 0.5 * (window[c / 2 - 1] + window[c / 2]);
        }
        return result;
    }
}
