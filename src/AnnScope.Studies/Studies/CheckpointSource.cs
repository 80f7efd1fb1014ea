namespace AnnScope.Studies;

/// <summary>The accuracy figures of one instance at a checkpoint (NaN where unknown).</summary>
internal readonly record struct CheckpointScores(
    double Accuracy, double Tpr, double Fpr, double BalancedAccuracy, double PaperAccuracy, double Lambda, double Eta, double Loss)
{
    public static CheckpointScores Unknown { get; } =
        new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// One checkpoint as it arrives for analysis: the activations of every instance (instances, T, M), their
/// scores, and the state that lets a later run continue right after this checkpoint.
/// </summary>
internal sealed record Checkpoint(
    int Epoch,
    int Index,
    float[] Activations,
    CheckpointScores[] Scores,
    IReadOnlyDictionary<string, double[]> ResumeState);

/// <summary>Where checkpoints come from: a network being trained, or activations a user brings.</summary>
internal interface ICheckpointSource : IDisposable
{
    int Instances { get; }
    /// <summary>The study-wide index of the first instance produced (non-zero for a shard of a study).</summary>
    int FirstInstance => 0;
    int Samples { get; }
    int Units { get; }
    /// <summary>Epochs of every checkpoint, in order.</summary>
    IReadOnlyList<int> Epochs { get; }
    /// <summary>Epochs of training in all (0 when nothing is trained).</summary>
    int EpochsTotal { get; }

    /// <summary>Restores the state saved with the checkpoint at <paramref name="epoch"/>; the next checkpoint produced follows it.</summary>
    void Restore(int epoch, IReadOnlyDictionary<string, double[]> state);

    /// <summary>Produces the remaining checkpoints; <paramref name="epochDone"/> is told each finished training epoch.</summary>
    IEnumerable<Checkpoint> Produce(Action<int> epochDone, CancellationToken cancel);

    /// <summary>A description for study.json (what produced the activations).</summary>
    string Describe();

    /// <summary>The analysis is done with <paramref name="checkpoint"/>: its activation buffer may be reused.</summary>
    void Release(Checkpoint checkpoint) { }
}
