namespace AnnScope.Results;

/// <summary>Everything a finished study stored, read back and checked (see <see cref="StudyStoreReader"/>).</summary>
public sealed record StudyResults
{
    /// <summary>The study directory (absolute).</summary>
    public required string Directory { get; init; }

    /// <summary>study.json.</summary>
    public required StudyManifest Manifest { get; init; }
    /// <summary>checkpoints.csv: accuracies and measures per instance and checkpoint.</summary>
    public required CheckpointTable Checkpoints { get; init; }

    /// <summary>One row per optimisation run; empty when the study made one run per checkpoint (no runs.csv).</summary>
    public required IReadOnlyList<RunRow> Runs { get; init; }

    /// <summary>Pooled activation and correlation histograms of every checkpoint, bins in order.</summary>
    public required IReadOnlyList<HistogramRow> Histograms { get; init; }

    /// <summary>The allegiance snapshots, by increasing epoch.</summary>
    public required IReadOnlyList<StoredAllegiance> Allegiance { get; init; }

    /// <summary>summary.json: the cross-instance statistics.</summary>
    public required StudySummary Summary { get; init; }

    /// <summary>B, the instances of the study.</summary>
    public int Instances => Checkpoints.Instances;
    /// <summary>The checkpoint epochs, increasing.</summary>
    public IReadOnlyList<int> Epochs => Checkpoints.Epochs;

    /// <summary>The bins of one histogram (kind "activation" or "correlation") at one epoch.</summary>
    public IReadOnlyList<HistogramRow> Histogram(int epoch, string kind) =>
        [.. Histograms.Where(h => h.Epoch == epoch && h.Kind == kind)];
}
