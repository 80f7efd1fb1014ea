using System.Globalization;
using System.Text;
using AnnScope.Reports;
using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>The last stage of a study: figures and report.html, and the short text a person reads at the end of a run.</summary>
public static class StudyReportStage
{
    /// <summary>Writes figures/*.png and report.html from the store.</summary>
    public static StudyReportOutput Write(StudyStore store) => StudyReport.Generate(store.Directory);

    /// <summary>A few lines with the study's headline numbers, read back from its store.</summary>
    public static string Summary(string directory)
    {
        var results = StudyStoreReader.Read(directory);
        var text = new StringBuilder();
        var key = results.Summary.KeyNumbers.ToDictionary(k => k.Key, k => k.Value);
        string Get(string name) => key.TryGetValue(name, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? (name.EndsWith("_epoch", StringComparison.Ordinal) ? d.ToString("F0", CultureInfo.InvariantCulture) : d.ToString("F3", CultureInfo.InvariantCulture))
            : key.GetValueOrDefault(name, "n/a");
        text.AppendLine($"study: {results.Instances} instances, {results.Epochs.Count} checkpoints (epochs {results.Epochs[0]}–{results.Epochs[^1]})");
        text.AppendLine($"mean {results.Summary.AccuracyColumn}: first {Get("mean_accuracy_first")}, last {Get("mean_accuracy_last")}");
        text.AppendLine($"mean multilayer modularity: first {Get("mean_multilayer_modularity_first")}, last {Get("mean_multilayer_modularity_last")}");
        text.AppendLine($"across-instance r(modularity, accuracy): middle of training {Get("mean_across_instance_r_multilayer_modularity_middle")}, " +
                        $"peak {Get("peak_across_instance_r_multilayer_modularity")} at epoch {Get("peak_across_instance_r_multilayer_modularity_epoch")}");
        text.AppendLine($"within-window r(modularity, accuracy), mean over windows: {Get("mean_within_window_r_multilayer_modularity")}");
        var modes = results.Summary.LearningModes.Counts.Select(c => $"{c.Key} {c.Value}");
        text.Append($"learning modes: {string.Join(", ", modes)}");
        return text.ToString();
    }
}
