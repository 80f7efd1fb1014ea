using System.Text.Json;
using AnnScope.Statistics;

namespace AnnScope.Studies;

/// <summary>
/// What relates the learning-mode groups to the paper's two modes (summary.json <c>learning_modes.evidence</c>): per
/// instance the features the rule used (time to the learned level, plateau, early peak, dip), per mode their quartiles
/// and the mode-mean accuracy curve, and whether the instant learners are separated from mode I by a gap in the time to
/// the learned level (a third mode) or continue it (its fast end).
/// </summary>
internal static class LearningModeEvidence
{
    public static void Write(Utf8JsonWriter w, IReadOnlyList<double[]> accuracy, IReadOnlyList<LearningModeLabel> details,
        IReadOnlyList<string> labels, IReadOnlyList<int> epochs)
    {
        double LearnedEpoch(LearningModeLabel l) => l.LearnedCheckpoint is { } c ? epochs[c] : double.NaN;
        w.WriteStartObject("evidence");
        w.WriteStartArray("instances");
        foreach (var l in details)
        {
            w.WriteStartObject();
            StatisticsJson.Number(w, "learned_epoch", LearnedEpoch(l));
            w.WriteNumber("plateau_checkpoints", l.PlateauLength);
            StatisticsJson.Number(w, "early_peak", l.EarlyPeak);
            StatisticsJson.Number(w, "dip", l.Dip);
            w.WriteString("reason", l.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("per_mode");
        foreach (var mode in new[] { "I", "II", "instant", "other" })
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == mode).ToArray();
            if (members.Length == 0) continue;
            w.WriteStartObject(mode);
            w.WriteNumber("instances", members.Length);
            Quartiles(w, "learned_epoch", members.Select(i => LearnedEpoch(details[i])));
            Quartiles(w, "plateau_checkpoints", members.Select(i => (double)details[i].PlateauLength));
            Quartiles(w, "early_peak", members.Select(i => details[i].EarlyPeak));
            Quartiles(w, "dip", members.Select(i => details[i].Dip));
            w.WriteStartArray("mean_accuracy");
            foreach (var v in EpochRelations.InstanceMean(members.Select(i => accuracy[i]).ToArray())) w.WriteNumberValue(Math.Round(v, 6));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();

        // the instant group against mode I: a gap in time to the learned level makes it a mode of its own
        var instant = Enumerable.Range(0, labels.Count).Where(i => labels[i] == "instant").Select(i => LearnedEpoch(details[i])).Where(double.IsFinite).ToArray();
        var one = Enumerable.Range(0, labels.Count).Where(i => labels[i] == "I").Select(i => LearnedEpoch(details[i])).Where(double.IsFinite).ToArray();
        int spacing = epochs.Count > 1 ? epochs[1] - epochs[0] : 1;
        w.WriteStartObject("instant_vs_mode_i");
        if (instant.Length > 0 && one.Length > 0)
        {
            double gap = one.Min() - instant.Max();
            w.WriteNumber("instant_latest_learned_epoch", instant.Max());
            w.WriteNumber("mode_i_earliest_learned_epoch", one.Min());
            w.WriteNumber("gap_epochs", gap);
            w.WriteNumber("checkpoint_spacing", spacing);
            w.WriteString("reading", gap <= 2 * spacing
                ? "no gap: the instant learners continue mode I's distribution of time to the learned level (its fast end, with no plateau)"
                : $"a gap of {gap} epochs ({gap / spacing:F0} checkpoints) separates them from mode I: a group of their own");
        }
        else w.WriteString("reading", "not comparable: no instant or no mode I instance");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Quartiles(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        w.WriteStartObject(name);
        w.WriteNumber("n", v.Length);
        double Q(double q) => v.Length == 0 ? double.NaN : MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(v, q, MathNet.Numerics.Statistics.QuantileDefinition.R7);
        StatisticsJson.Number(w, "min", v.Length == 0 ? double.NaN : v[0]);
        StatisticsJson.Number(w, "q1", Q(0.25));
        StatisticsJson.Number(w, "median", Q(0.5));
        StatisticsJson.Number(w, "q3", Q(0.75));
        StatisticsJson.Number(w, "max", v.Length == 0 ? double.NaN : v[^1]);
        w.WriteEndObject();
    }
}
