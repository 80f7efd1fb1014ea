namespace AnnScope.Results;

/// <summary>Everything a finished study stored, read back and checked (see <see cref="StudyStoreReader"/>).</summary>
public sealed record StudyResults
{
    /// <summary>The study directory (absolute).</summary>
    public required string Directory { get; init; }

    public required StudyManifest Manifest { get; init; }
    public required CheckpointTable Checkpoints { get; init; }

    /// <summary>One row per optimisation run; empty when the study made one run per checkpoint (no runs.csv).</summary>
    public required IReadOnlyList<RunRow> Runs { get; init; }

    /// <summary>Pooled activation and correlation histograms of every checkpoint, bins in order.</summary>
    public required IReadOnlyList<HistogramRow> Histograms { get; init; }

    /// <summary>The allegiance snapshots, by increasing epoch.</summary>
    public required IReadOnlyList<StoredAllegiance> Allegiance { get; init; }

    public required StudySummary Summary { get; init; }

    public int Instances => Checkpoints.Instances;
    public IReadOnlyList<int> Epochs => Checkpoints.Epochs;

    /// <summary>The bins of one histogram (kind "activation" or "correlation") at one epoch.</summary>
    public IReadOnlyList<HistogramRow> Histogram(int epoch, string kind) =>
        [.. Histograms.Where(h => h.Epoch == epoch && h.Kind == kind)];
}
