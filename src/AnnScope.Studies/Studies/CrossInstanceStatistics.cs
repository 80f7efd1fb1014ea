using System.Globalization;
using System.Text.Json;
using AnnScope.IO;
using AnnScope.Results;
using AnnScope.Statistics;

namespace AnnScope.Studies;

/// <summary>
/// The study's statistics over instances and epochs (science.md §8), computed from checkpoints.csv as
/// stored — so a resumed study gets exactly the summary of an uninterrupted one — and written as summary.json:
/// across-instance and within-window correlations of accuracy with the network measures, learning modes,
/// mixed-effects models of accuracy on modularity and flexibility (instance as group), and the mediation
/// epoch → multilayer modularity → accuracy.
/// </summary>
public static class CrossInstanceStatistics
{
    /// <summary>The measures related to accuracy.</summary>
    public static IReadOnlyList<string> Measures { get; } =
        ["multilayer_modularity", "flexibility", "entropy", "static_modularity", "multilayer_communities", "mean_correlation"];

    /// <summary>The predictors of the mixed models accuracy ~ x + (x | instance).</summary>
    public static IReadOnlyList<string> ModelPredictors { get; } = ["multilayer_modularity", "flexibility"];

    /// <summary>Computes the statistics of the study in <paramref name="store"/> and writes summary.json.</summary>
    public static void Write(StudyStore store, StudyConfig config, IReadOnlyList<int> epochs, int instances)
    {
        var table = CheckpointTable.Read(store.PathOf(StudyFiles.CheckpointsFile), epochs.Count, complete: true);
        if (table.Instances != instances)
            throw new InvalidDataException($"{StudyFiles.CheckpointsFile}: {table.Instances} instances, expected {instances}");
        AtomicFile.Write(store.PathOf(StudyFiles.SummaryFile), s => StatisticsJson.Write(s, w => Summarise(w, store, table, config)));
    }

    private static void Summarise(Utf8JsonWriter w, StudyStore store, CheckpointTable table, StudyConfig config)
    {
        string accuracyColumn = config.AccuracyMeasure;
        var accuracy = PerInstance(table, accuracyColumn);
        bool haveAccuracy = accuracy.All(curve => curve.All(double.IsFinite));
        var measures = haveAccuracy ? Measures : [];
        var keyNumbers = new List<(string, object?)>();

        w.WriteStartObject();
        w.WriteString("format", "annscope-summary/1");
        w.WriteString("accuracy_column", accuracyColumn);
        w.WriteNumber("instances", table.Instances);
        w.WriteStartArray("epochs");
        foreach (var e in table.Epochs) w.WriteNumberValue(e);
        w.WriteEndArray();
        w.WriteStartArray("measures");
        foreach (var m in measures) w.WriteStringValue(m);
        w.WriteEndArray();

        var across = new Dictionary<string, CorrelationResult[]>();
        var within = new Dictionary<string, WindowRelation[]>();
        int window = Math.Min(config.CorrelationWindow, table.Epochs.Count);
        foreach (var m in measures)
        {
            var x = PerInstance(table, m);
            across[m] = EpochRelations.AcrossInstances(x, accuracy);
            within[m] = window >= 3 ? EpochRelations.WithinInstances(x, accuracy, new WindowRelationOptions { Window = window }) : [];
        }

        w.WriteStartObject("across_instance");
        foreach (var (m, results) in across)
        {
            w.WriteStartArray(m);
            for (int c = 0; c < results.Length; c++)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", table.Epochs[c]);
                StatisticsJson.Number(w, "r", results[c].R);
                StatisticsJson.Number(w, "p", results[c].PValue);
                w.WriteNumber("n", results[c].N);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();

        WriteWindows(w, "within_window", within, table.Epochs, win =>
        {
            w.WriteStartArray("r");
            foreach (var r in win.InstanceR)
                if (double.IsFinite(r)) w.WriteNumberValue(r); else w.WriteNullValue();
            w.WriteEndArray();
            StatisticsJson.Number(w, "mean", win.MeanR);
            StatisticsJson.Number(w, "sem", win.SemR);
            w.WriteNumber("nan_count", win.NaNCount);
            w.WriteStartObject("histogram");
            w.WriteStartArray("edges");
            foreach (var edge in win.Histogram.Edges()) w.WriteNumberValue(edge);
            w.WriteEndArray();
            w.WriteStartArray("counts");
            foreach (var count in win.Histogram.Counts) w.WriteNumberValue(count);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        WriteWindows(w, "pooled_window", within, table.Epochs, win =>
        {
            StatisticsJson.Number(w, "r", win.Pooled.R);
            StatisticsJson.Number(w, "p", win.Pooled.PValue);
            w.WriteNumber("n", win.Pooled.N);
            StatisticsJson.Number(w, "slope", win.PooledLine?.Slope ?? double.NaN);
            StatisticsJson.Number(w, "intercept", win.PooledLine?.Intercept ?? double.NaN);
        });

        var modes = WriteLearningModes(w, accuracy, haveAccuracy, accuracyColumn, table.Epochs);

        w.WriteStartObject("mixed_models");
        if (haveAccuracy)
            foreach (var predictor in ModelPredictors)
            {
                var name = $"{accuracyColumn}~{predictor}";
                try
                {
                    var (y, x) = Stacked(table, accuracyColumn, predictor, out var group);
                    var fit = LinearMixedModel.Fit(MixedModelData.Create(y, x, group, accuracyColumn, predictor, "instance"));
                    w.WritePropertyName(name);
                    StatisticsJson.WriteFit(w, fit);
                }
                catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException)
                {
                    keyNumbers.Add(($"{name}_not_fitted", e.Message));
                }
            }
        w.WriteEndObject();

        w.WriteStartObject("mediation");
        MediationResult? mediation = null;
        if (haveAccuracy && config.MediationBootstrap >= 0)
        {
            var name = $"{config.MediationX}->{config.MediationMediator}->{accuracyColumn}";
            try
            {
                mediation = MediationOf(table, config, out _);
                w.WritePropertyName(name);
                StatisticsJson.WriteMediation(w, mediation, config.MediationX, config.MediationMediator, accuracyColumn, "instance");
            }
            catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException)
            {
                keyNumbers.Add(($"{name}_not_fitted", e.Message));
            }
        }
        w.WriteEndObject();

        StudyClaims.Write(w, store, table, config, modes, mediation);

        var meanAccuracy = Enumerable.Range(0, table.Epochs.Count).Select(c => accuracy.Average(curve => curve[c])).ToArray();
        if (haveAccuracy)
        {
            keyNumbers.Add(("mean_accuracy_first", meanAccuracy[0]));
            keyNumbers.Add(("mean_accuracy_last", meanAccuracy[^1]));
        }
        var modularity = PerInstance(table, "multilayer_modularity");
        keyNumbers.Add(("mean_multilayer_modularity_first", modularity.Average(c => c[0])));
        keyNumbers.Add(("mean_multilayer_modularity_last", modularity.Average(c => c[^1])));
        foreach (var (m, results) in across)
        {
            var finite = results.Select((r, c) => (r.R, c)).Where(t => double.IsFinite(t.R)).ToList();
            if (finite.Count == 0) continue;
            var peak = finite.MaxBy(t => t.R);
            keyNumbers.Add(($"peak_across_instance_r_{m}", peak.R));
            keyNumbers.Add(($"peak_across_instance_r_{m}_epoch", table.Epochs[peak.c]));
            // the middle of training: the checkpoints between 25% and 75% of the epochs
            var middle = finite.Where(t => t.c >= results.Length / 4 && t.c <= 3 * results.Length / 4).Select(t => t.R).ToList();
            if (middle.Count > 0) keyNumbers.Add(($"mean_across_instance_r_{m}_middle", middle.Average()));
        }
        foreach (var (m, windows) in within)
        {
            var means = windows.Select(win => win.MeanR).Where(double.IsFinite).ToList();
            if (means.Count > 0) keyNumbers.Add(($"mean_within_window_r_{m}", means.Average()));
        }
        w.WriteStartObject("key_numbers");
        foreach (var (key, value) in keyNumbers)
        {
            switch (value)
            {
                case double d: StatisticsJson.Number(w, key, d); break;
                case int i: w.WriteNumber(key, i); break;
                default: w.WriteString(key, value?.ToString()); break;
            }
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The learning-mode rule for curves of <paramref name="checkpoints"/> points of an accuracy column.</summary>
    internal static LearningModeRule RuleFor(string column, int checkpoints) => new()
    {
        // "always novel" scores 1/3 in the study's weighted score, 2/3 in plain accuracy, 1/2 balanced
        ChanceLevel = column switch { "accuracy" => 2.0 / 3, "balanced_accuracy" => 0.5, _ => 1.0 / 3 },
        FinalCheckpoints = Math.Max(1, Math.Min(10, checkpoints / 4)),
    };

    /// <summary>The learning mode of each curve (I, II, instant, other), or null when the curves are too short for the rule.</summary>
    internal static string[]? Classify(IReadOnlyList<double[]> accuracy, string column)
    {
        try { return LearningModes.Classify(accuracy, RuleFor(column, accuracy[0].Length)).Select(l => Name(l.Mode)).ToArray(); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>The study's mediation X → M → accuracy with the config's paths and random effects.</summary>
    internal static MediationResult MediationOf(CheckpointTable table, StudyConfig config, out int[] group)
    {
        var rows = table.Rows.OrderBy(r => r.Instance).ThenBy(r => r.Epoch).ToArray();
        group = rows.Select(r => r.Instance).ToArray();
        return Mediate(rows.Select(r => r[config.MediationX]).ToArray(), rows.Select(r => r[config.MediationMediator]).ToArray(),
            rows.Select(r => r[config.AccuracyMeasure]).ToArray(), group.Select(g => g.ToString(CultureInfo.InvariantCulture)).ToArray(), config);
    }

    /// <summary>X → M → Y over instances as the config asks (random effects, bootstrap, seed).</summary>
    internal static MediationResult Mediate(double[] x, double[] m, double[] y, string[] groups, StudyConfig config) =>
        Mediation.Analyse(x, m, y, groups,
            new MediationOptions
            {
                BootstrapSamples = config.MediationBootstrap, Seed = (int)(config.Seed % int.MaxValue),
                RandomEffects = config.MediationRandom switch
                {
                    "intercept" => RandomEffects.InterceptOnly,
                    "uncorr" => RandomEffects.Uncorrelated,
                    _ => RandomEffects.Correlated,
                },
            },
            config.MediationX, config.MediationMediator, config.AccuracyMeasure, "instance");

    private static string[]? WriteLearningModes(Utf8JsonWriter w, IReadOnlyList<double[]> accuracy, bool haveAccuracy, string column, IReadOnlyList<int> epochs)
    {
        var rule = RuleFor(column, accuracy[0].Length);
        string[] labels;
        LearningModeLabel[] details = [];
        string? unclassified = haveAccuracy ? null : "no accuracy";
        try
        {
            details = haveAccuracy ? LearningModes.Classify(accuracy, rule) : [];
            labels = details.Select(l => Name(l.Mode)).ToArray();
        }
        catch (ArgumentException e)
        {
            unclassified = e.Message; // too few checkpoints for the rule
            labels = [];
        }
        if (unclassified != null) labels = Enumerable.Repeat("unknown", accuracy.Count).ToArray();
        w.WriteStartObject("learning_modes");
        w.WriteString("rule",
            "accuracy is rescaled to progress p = (a - chance) / (learned - chance), learned = mean of the last checkpoints, " +
            "after a running median; mode II: early peak >= early_rise, dip >= dip_depth, recovery >= learned; instant: at most " +
            "instant_onset checkpoints at chance and p >= learned within early_window; mode I: at least minimum_plateau checkpoints " +
            "at chance (p < plateau_band), then p >= learned; other: the rest, including curves that gain less than minimum_gain");
        if (unclassified != null) w.WriteString("unclassified_because", unclassified);
        w.WriteStartObject("thresholds");
        w.WriteNumber("chance_level", rule.ChanceLevel);
        w.WriteNumber("final_checkpoints", rule.FinalCheckpoints);
        w.WriteNumber("minimum_gain", rule.MinimumGain);
        w.WriteNumber("plateau_band", rule.PlateauBand);
        w.WriteNumber("minimum_plateau", rule.MinimumPlateau);
        w.WriteNumber("early_window", rule.EarlyWindow);
        w.WriteNumber("early_rise", rule.EarlyRise);
        w.WriteNumber("dip_depth", rule.DipDepth);
        w.WriteNumber("learned", rule.Learned);
        w.WriteNumber("instant_onset", rule.InstantOnset);
        w.WriteNumber("smoothing", rule.Smoothing);
        w.WriteEndObject();
        w.WriteStartArray("instances");
        foreach (var l in labels) w.WriteStringValue(l);
        w.WriteEndArray();
        w.WriteStartObject("counts");
        foreach (var mode in unclassified == null ? new[] { "I", "II", "instant", "other" } : ["unknown"])
            w.WriteNumber(mode, labels.Count(l => l == mode));
        w.WriteEndObject();
        if (details.Length > 0) LearningModeEvidence.Write(w, accuracy, details, labels, epochs);
        w.WriteEndObject();
        return unclassified == null ? labels : null;
    }

    private static string Name(LearningMode mode) => mode switch
    {
        LearningMode.ModeI => "I",
        LearningMode.ModeII => "II",
        LearningMode.Instant => "instant",
        _ => "other",
    };

    /// <summary>One object per measure, holding one entry per window of checkpoints: its bounds, then <paramref name="body"/>.</summary>
    private static void WriteWindows(Utf8JsonWriter w, string name, Dictionary<string, WindowRelation[]> within,
        IReadOnlyList<int> epochs, Action<WindowRelation> body)
    {
        w.WriteStartObject(name);
        foreach (var (m, windows) in within)
        {
            w.WriteStartArray(m);
            for (int k = 0; k < windows.Length; k++)
            {
                var win = windows[k];
                w.WriteStartObject();
                w.WriteNumber("window", k);
                w.WriteNumber("epoch_start", epochs[win.FirstCheckpoint]);
                w.WriteNumber("epoch_end", epochs[win.FirstCheckpoint + win.Length - 1]);
                body(win);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>A column as one curve per instance (checkpoints in order).</summary>
    private static double[][] PerInstance(CheckpointTable table, string column)
    {
        var byCheckpoint = table.Series(column);
        var curves = new double[table.Instances][];
        for (int i = 0; i < table.Instances; i++)
            curves[i] = byCheckpoint.Select(row => row[i]).ToArray();
        return curves;
    }

    /// <summary>Two columns stacked instance by instance (rows ordered by instance, then epoch), with the instance of each row.</summary>
    private static (double[] Y, double[] X) Stacked(CheckpointTable table, string y, string x, out int[] group)
    {
        var rows = table.Rows.OrderBy(r => r.Instance).ThenBy(r => r.Epoch).ToArray();
        group = rows.Select(r => r.Instance).ToArray();
        return (rows.Select(r => r[y]).ToArray(), rows.Select(r => r[x]).ToArray());
    }
}
