namespace AnnScope.Studies;

/// <summary>A snapshot of a running study, reported whenever an epoch or a checkpoint completes.</summary>
public readonly record struct StudyProgress(
    string Stage,
    int EpochsDone,
    int EpochsTotal,
    int CheckpointsAnalysed,
    int CheckpointsTotal,
    TimeSpan Elapsed)
{
    /// <summary>Fraction of the whole job done, counting training and analysis equally.</summary>
    public double Fraction => 0.5 * EpochsDone / Math.Max(1, EpochsTotal) + 0.5 * CheckpointsAnalysed / Math.Max(1, CheckpointsTotal);

    /// <summary>Estimated time left from the rate so far; null until there is a rate.</summary>
    public TimeSpan? Remaining => Fraction is > 0.01 and < 1
        ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (1 - Fraction) / Fraction)
        : null;
}
