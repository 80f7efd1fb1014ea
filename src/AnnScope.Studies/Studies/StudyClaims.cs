using System.Globalization;
using System.Text.Json;
using AnnScope.IO;
using AnnScope.Models;
using AnnScope.Results;
using AnnScope.Statistics;
using AnnScope.Statistics.Claims;

namespace AnnScope.Studies;

/// <summary>
/// The paper's claims judged on a study (summary.json <c>claims</c>, <c>claims_robustness</c>, <c>granger</c>): the
/// evidence is gathered from the study directory as stored — checkpoints.csv, histograms.csv, the allegiance
/// snapshots and variants.csv — so a trained study, a resumed one and <c>annscope analyze</c> are judged alike.
/// </summary>
internal static class StudyClaims
{
    /// <summary>The label of the claims evaluated on the study as configured.</summary>
    public const string Baseline = "as_configured";

    /// <summary>Writes the claims, their robustness over the variants and the Granger tests.</summary>
    public static void Write(Utf8JsonWriter w, StudyStore store, CheckpointTable table, StudyConfig config,
        IReadOnlyList<string>? modes, MediationResult? mediation)
    {
        var rules = config.Claims;
        var accuracy = config.AccuracyColumn;
        var curves = Curves(table);
        var variants = ReadVariants(store, table);
        var evidence = Evidence(table, config, curves, accuracy, modes, mediation) with
        {
            ActivationHistograms = Histograms(store, table, "activation"),
            CorrelationHistograms = Histograms(store, table, "correlation"),
            Allegiance = Allegiance(store, table),
            NullCurves = variants.TryGetValue(CheckpointVariants.ShuffleNull, out var nullCurves) ? nullCurves : null,
        };
        var claims = PaperClaims.Evaluate(evidence, rules);

        w.WriteStartObject("claims");
        w.WritePropertyName("rules");
        JsonSerializer.Serialize(w, rules, StudyConfigJson.Default.ClaimRules);
        w.WriteStartArray("items");
        foreach (var c in claims) WriteClaim(w, c);
        w.WriteEndArray();
        w.WriteEndObject();

        WriteGranger(w, evidence, curves, accuracy, rules);
        WriteRobustness(w, table, config, curves, variants, evidence, claims);
    }

    /// <summary>The evidence from curves alone (histograms, allegiance and null are added by the caller where they exist).</summary>
    private static ClaimEvidence Evidence(CheckpointTable table, StudyConfig config, IReadOnlyDictionary<string, double[][]> curves,
        string accuracy, IReadOnlyList<string>? modes, MediationResult? mediation)
    {
        var rules = config.Claims;
        var grangerOptions = new GrangerOptions { Differences = rules.GrangerDifferences, MaxLag = rules.GrangerMaxLag };
        GrangerCombined? forward = null, reverse = null;
        if (curves.TryGetValue(accuracy, out var acc) && acc.All(c => c.All(double.IsFinite)))
        {
            var mod = curves["multilayer_modularity"];
            forward = GrangerCausality.Combine(mod.Select((m, i) => GrangerCausality.Test(m, acc[i], grangerOptions)).ToArray(), rules.Alpha);
            reverse = GrangerCausality.Combine(mod.Select((m, i) => GrangerCausality.Test(acc[i], m, grangerOptions)).ToArray(), rules.Alpha);
        }
        return new ClaimEvidence
        {
            Epochs = table.Epochs,
            AccuracyColumn = accuracy,
            Curves = curves,
            CorrelationWindow = config.CorrelationWindow,
            LearningModes = modes,
            Mediation = mediation is { MediatorAlone: { } alone } ? new PaperMediation(mediation.A, alone, mediation.Total, mediation.Direct) : null,
            ModularityToAccuracy = forward,
            AccuracyToModularity = reverse,
        };
    }

    private static void WriteClaim(Utf8JsonWriter w, ClaimResult c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("figure", c.Figure);
        w.WriteString("statement", c.Statement);
        w.WriteString("measure", c.Measure);
        w.WriteString("rule", c.Rule);
        w.WriteString("value", c.Value);
        StatisticsJson.Number(w, "ci_lower", c.CiLower ?? double.NaN);
        StatisticsJson.Number(w, "ci_upper", c.CiUpper ?? double.NaN);
        if (c.Paper is null) w.WriteNull("paper"); else w.WriteString("paper", c.Paper);
        w.WriteString("verdict", c.VerdictName);
        w.WriteString("reason", c.Reason);
        w.WriteEndObject();
    }

    private static void WriteGranger(Utf8JsonWriter w, ClaimEvidence evidence, IReadOnlyDictionary<string, double[][]> curves, string accuracy, ClaimRules rules)
    {
        w.WriteStartObject("granger");
        w.WriteNumber("differences", rules.GrangerDifferences);
        w.WriteNumber("max_lag", rules.GrangerMaxLag);
        w.WriteString("lag_criterion", "aic");
        w.WriteString("combination", "stouffer");
        foreach (var (name, result) in new[] { ($"multilayer_modularity->{accuracy}", evidence.ModularityToAccuracy), ($"{accuracy}->multilayer_modularity", evidence.AccuracyToModularity) })
        {
            if (result is null) continue;
            w.WriteStartObject(name);
            w.WriteNumber("tested", result.Tested);
            w.WriteNumber("untestable", result.Untestable);
            w.WriteNumber("significant", result.Significant);
            StatisticsJson.Number(w, "stouffer_z", result.StoufferZ);
            StatisticsJson.Number(w, "stouffer_p", result.StoufferP);
            StatisticsJson.Number(w, "fisher_chi_squared", result.FisherChiSquared);
            StatisticsJson.Number(w, "fisher_p", result.FisherP);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// The claims again per variant: on the checkpoints the variants ran on, with the base measures ("subset") and each
    /// variant's measures in their place; and on all checkpoints with plain accuracy in place of the configured score.
    /// </summary>
    private static void WriteRobustness(Utf8JsonWriter w, CheckpointTable table, StudyConfig config, IReadOnlyDictionary<string, double[][]> curves,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[][]>> variants, ClaimEvidence evidence, IReadOnlyList<ClaimResult> claims)
    {
        var columns = new List<(string Name, IReadOnlyList<ClaimResult> Claims)> { (Baseline, claims) };
        if (config.AccuracyMeasure != AccuracyMeasure.Accuracy && curves.TryGetValue("accuracy", out var plain) && plain.All(c => c.All(double.IsFinite)))
        {
            var modes = CrossInstanceStatistics.Classify(plain, "accuracy");
            var mediation = CrossInstanceStatistics.MediationOf(table, config with { AccuracyMeasure = AccuracyMeasure.Accuracy, MediationBootstrap = 0 }, out _);
            var e = Evidence(table, config, curves, "accuracy", modes, mediation) with
            {
                ActivationHistograms = evidence.ActivationHistograms, CorrelationHistograms = evidence.CorrelationHistograms,
                Allegiance = evidence.Allegiance, NullCurves = evidence.NullCurves,
            };
            columns.Add(("plain_accuracy", PaperClaims.Evaluate(e, config.Claims)));
        }
        int[] subset = [];
        var measured = variants.Where(v => v.Key != CheckpointVariants.ShuffleNull).ToArray();
        if (measured.Length > 0)
        {
            var first = measured[0].Value["multilayer_modularity"];
            subset = Enumerable.Range(0, table.Epochs.Count).Where(c => double.IsFinite(first[0][c])).ToArray();
            columns.Add(("checkpoint_subset", Subset(table, config, curves, subset, null, evidence)));
            foreach (var (name, measures) in measured)
                columns.Add((name, Subset(table, config, curves, subset, measures, evidence)));
        }

        w.WriteStartObject("claims_robustness");
        w.WriteStartArray("subset_epochs");
        foreach (var c in subset) w.WriteNumberValue(table.Epochs[c]);
        w.WriteEndArray();
        w.WriteStartArray("variants");
        foreach (var (name, _) in columns) w.WriteStringValue(name);
        w.WriteEndArray();
        w.WriteStartObject("verdicts");
        for (int k = 0; k < claims.Count; k++)
        {
            w.WriteStartObject(claims[k].Id);
            foreach (var (name, results) in columns) w.WriteString(name, results[k].VerdictName);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The claims on the subset checkpoints, with a variant's measures (or the base ones) in place.</summary>
    private static IReadOnlyList<ClaimResult> Subset(CheckpointTable table, StudyConfig config, IReadOnlyDictionary<string, double[][]> curves,
        int[] subset, IReadOnlyDictionary<string, double[][]>? replaced, ClaimEvidence full)
    {
        var cut = new Dictionary<string, double[][]>(StringComparer.Ordinal);
        foreach (var (name, c) in curves)
        {
            var source = replaced is not null && replaced.TryGetValue(name, out var v) ? v : c;
            cut[name] = source.Select(curve => subset.Select(s => curve[s]).ToArray()).ToArray();
        }
        var epochs = subset.Select(s => table.Epochs[s]).ToArray();
        var accuracy = config.AccuracyColumn;
        var modes = cut.TryGetValue(accuracy, out var acc) && acc.All(x => x.All(double.IsFinite)) ? CrossInstanceStatistics.Classify(acc, accuracy) : null;
        MediationResult? mediation = null;
        try
        {
            var stacked = Enumerable.Range(0, table.Instances).SelectMany(i => subset.Select(s => (i, s))).ToArray();
            double[] Column(string name) => stacked.Select(p => cut[name][p.i][Array.IndexOf(subset, p.s)]).ToArray();
            mediation = CrossInstanceStatistics.Mediate(Column(config.MediationX), Column(config.MediationMediator), Column(accuracy),
                stacked.Select(p => p.i.ToString(CultureInfo.InvariantCulture)).ToArray(), config with { MediationBootstrap = 0 });
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException or KeyNotFoundException) { }
        var evidence = Evidence(table, config, cut, accuracy, modes, mediation) with
        {
            Epochs = epochs,
            CorrelationWindow = Math.Max(3, Math.Min(config.CorrelationWindow, subset.Length / config.Claims.MinimumWindows)),
            ActivationHistograms = Cut(full.ActivationHistograms, subset),
            CorrelationHistograms = Cut(full.CorrelationHistograms, subset),
            Allegiance = full.Allegiance,
        };
        return PaperClaims.Evaluate(evidence, config.Claims);
    }

    private static HistogramSeries? Cut(HistogramSeries? h, int[] subset) => h is null ? null : h with { Counts = subset.Select(s => h.Counts[s]).ToArray() };

    /// <summary>Every numeric column of checkpoints.csv as [instance][checkpoint].</summary>
    private static Dictionary<string, double[][]> Curves(CheckpointTable table)
    {
        var curves = new Dictionary<string, double[][]>(StringComparer.Ordinal);
        foreach (var column in CheckpointRow.Columns.Where(c => c is not ("instance" or "epoch")))
        {
            var series = table.Series(column);
            curves[column] = Enumerable.Range(0, table.Instances).Select(i => series.Select(row => row[i]).ToArray()).ToArray();
        }
        return curves;
    }

    /// <summary>variants.csv as variant → measure → [instance][checkpoint] (NaN at checkpoints a variant did not run on).</summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[][]>> ReadVariants(StudyStore store, CheckpointTable table)
    {
        var path = store.PathOf(StudyFiles.VariantsFile);
        var result = new Dictionary<string, IReadOnlyDictionary<string, double[][]>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return result;
        var csv = StoreCsv.Read(path, VariantRow.Columns);
        var index = table.Epochs.Select((e, c) => (e, c)).ToDictionary(p => p.e, p => p.c);
        var measures = new[] { "multilayer_modularity", "multilayer_communities", "flexibility", "mean_correlation" };
        for (int r = 0; r < csv.Count; r++)
        {
            int epoch = csv.Int(r, "epoch", 0), instance = csv.Int(r, "instance", 0, table.Instances - 1);
            if (!index.TryGetValue(epoch, out int c)) throw csv.Error(r, "epoch", $"epoch {epoch} is not a checkpoint of {StudyFiles.CheckpointsFile}");
            var name = csv.Text(r, "variant");
            if (!result.TryGetValue(name, out var byMeasure))
                result[name] = byMeasure = measures.ToDictionary(m => m,
                    _ => Enumerable.Range(0, table.Instances).Select(_ => Enumerable.Repeat(double.NaN, table.Epochs.Count).ToArray()).ToArray());
            foreach (var m in measures) byMeasure[m][instance][c] = csv.Number(r, m);
        }
        return result;
    }

    private static HistogramSeries? Histograms(StudyStore store, CheckpointTable table, string kind)
    {
        var path = store.PathOf(StudyFiles.HistogramsFile);
        if (!File.Exists(path)) return null;
        var rows = StoreTables.ReadHistograms(path, table, complete: true).Where(r => r.Kind == kind).ToArray();
        var byEpoch = rows.GroupBy(r => r.Epoch).OrderBy(g => g.Key).Select(g => g.OrderBy(r => r.Bin).ToArray()).ToArray();
        if (byEpoch.Length != table.Epochs.Count) return null;
        var edges = byEpoch[0].Select(r => r.Lower).Append(byEpoch[0][^1].Upper).ToArray();
        return new HistogramSeries(edges, byEpoch.Select(bins => bins.Select(b => b.Count).ToArray()).ToArray());
    }

    /// <summary>The module contrast of every stored allegiance snapshot.</summary>
    private static IReadOnlyList<AllegianceContrast> Allegiance(StudyStore store, CheckpointTable table)
    {
        var folder = store.PathOf(StudyFiles.AllegianceDir);
        var result = new List<AllegianceContrast>();
        foreach (int epoch in table.Epochs)
        {
            if (!File.Exists(Path.Combine(folder, StoredAllegiance.FileNames(epoch).Matrices))) continue;
            var snapshot = StoredAllegiance.Read(folder, epoch, table.Instances);
            result.Add(new AllegianceContrast(epoch, Enumerable.Range(0, table.Instances)
                .Select(i => Contrast(snapshot.Matrix(i), snapshot.Modules(i), snapshot.Units)).ToArray()));
        }
        return result;
    }

    /// <summary>Mean allegiance of pairs in the same module minus that of pairs in different modules (NaN with one module).</summary>
    internal static double Contrast(ReadOnlySpan<float> allegiance, ReadOnlySpan<double> modules, int units)
    {
        double within = 0, between = 0;
        long nWithin = 0, nBetween = 0;
        for (int i = 0; i < units; i++)
            for (int j = i + 1; j < units; j++)
            {
                if (modules[i] == modules[j]) { within += allegiance[i * units + j]; nWithin++; }
                else { between += allegiance[i * units + j]; nBetween++; }
            }
        return nWithin == 0 || nBetween == 0 ? double.NaN : within / nWithin - between / nBetween;
    }
}
