namespace AnnScope.Results;

/// <summary>
/// The names inside a study directory (format in the README): one list shared by the pipeline that writes the
/// directory and the reader that checks it.
/// </summary>
public static class StudyFiles
{
    /// <summary>The study's manifest: config, versions, status, timings (<see cref="StudyManifest"/>).</summary>
    public const string StudyFile = "study.json";

    /// <summary>One row per instance × checkpoint: accuracies and every measure (<see cref="CheckpointRow"/>).</summary>
    public const string CheckpointsFile = "checkpoints.csv";

    /// <summary>One row per optimisation run when there are several (<see cref="RunRow"/>).</summary>
    public const string RunsFile = "runs.csv";

    /// <summary>Activation and correlation histograms pooled over instances (<see cref="HistogramRow"/>).</summary>
    public const string HistogramsFile = "histograms.csv";

    /// <summary>Robustness variants of the analysis, one row per variant and instance-checkpoint.</summary>
    public const string VariantsFile = "variants.csv";

    /// <summary>The cross-instance statistics (<see cref="StudySummary"/>).</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The sealed resume point of an unfinished study.</summary>
    public const string StateFileName = "state.bin";

    /// <summary>Module allegiance at the snapshot epochs (<see cref="StoredAllegiance"/>).</summary>
    public const string AllegianceDir = "allegiance";

    /// <summary>Per-checkpoint activations kept for activations.h5 until the study completes.</summary>
    public const string SpoolDir = "spool";
}
