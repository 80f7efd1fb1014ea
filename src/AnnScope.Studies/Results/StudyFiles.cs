namespace AnnScope.Results;

/// <summary>
/// The names inside a study directory (format in the README): one list shared by the pipeline that writes the
/// directory and the reader that checks it.
/// </summary>
public static class StudyFiles
{
    public const string StudyFile = "study.json", CheckpointsFile = "checkpoints.csv", RunsFile = "runs.csv",
        HistogramsFile = "histograms.csv", VariantsFile = "variants.csv", SummaryFile = "summary.json", StateFileName = "state.bin",
        AllegianceDir = "allegiance", SpoolDir = "spool";
}
