using AnnScope.Models;

namespace AnnScope.Studies;

/// <summary>
/// Checkpoints from HebbFF instances trained per the study config: the test-sequence activations at epoch 0
/// and every k epochs, with the trainer's parameters and Adam state as the resume state (exported in float64,
/// which holds the float32 workspace exactly, so a resumed run continues bit for bit).
/// </summary>
internal sealed class HebbffSource : ICheckpointSource
{
    private readonly HebbffTrainer trainer;
    private readonly StudyConfig config;
    private int restoredEpoch = -1; // the checkpoint a resume starts after: never produced again

    public HebbffSource(StudyConfig config, ComputeContext context)
    {
        this.config = config;
        trainer = new HebbffTrainer(ToHebbff(config), context);
    }

    /// <summary>The training half of a study config.</summary>
    internal static HebbffConfig ToHebbff(StudyConfig c) => new()
    {
        Instances = c.InstanceRange.End - c.InstanceRange.First,
        FirstInstance = c.InstanceRange.First,
        InputDim = c.InputDim,
        Hidden = c.Hidden,
        RepeatInterval = c.Repeat,
        RepeatProbability = c.P,
        Length = c.Length,
        MultiRep = c.MultiRep,
        Epochs = c.Epochs,
        CheckpointEvery = c.Every,
        Plasticity = c.Plasticity switch
        {
            "anti" => Plasticity.Anti,
            "hebb" => Plasticity.Hebb,
            "free" => Plasticity.Free,
            "none" => Plasticity.None,
            _ => throw new ArgumentException($"unknown plasticity '{c.Plasticity}'"),
        },
        Seed = c.Seed,
    };

    public int Instances => config.InstanceRange.End - config.InstanceRange.First;
    public int FirstInstance => config.InstanceRange.First;
    public int Samples => config.Length;
    public int Units => config.Hidden;
    public IReadOnlyList<int> Epochs => config.CheckpointEpochs;
    public int EpochsTotal => config.Epochs;

    public void Restore(int epoch, IReadOnlyDictionary<string, double[]> state)
    {
        if (!state.TryGetValue("step", out var step) || step.Length != 1 || (long)step[0] != epoch)
            throw new InvalidDataException($"resume state does not belong to epoch {epoch}");
        trainer.ImportState(new HebbffState(Instances, trainer.Layout, epoch,
            Required(state, "parameters"), Required(state, "adam_m"), Required(state, "adam_v")));
        restoredEpoch = epoch;
    }

    private static double[] Required(IReadOnlyDictionary<string, double[]> state, string name) =>
        state.TryGetValue(name, out var values) ? values : throw new InvalidDataException($"resume state lacks '{name}'");

    public IEnumerable<Checkpoint> Produce(Action<int> epochDone, CancellationToken cancel)
    {
        int index = config.CheckpointEpochs.Count(e => e < trainer.Epoch || e == restoredEpoch);
        if (trainer.Epoch == 0 && restoredEpoch < 0) yield return Take(index++);
        for (int epoch = trainer.Epoch + 1; epoch <= config.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            trainer.TrainEpoch();
            epochDone(epoch);
            if (epoch % config.Every == 0) yield return Take(index++);
        }
    }

    private Checkpoint Take(int index)
    {
        var evaluation = trainer.Evaluate();
        var scores = new CheckpointScores[Instances];
        for (int i = 0; i < scores.Length; i++)
        {
            var m = evaluation.Metrics[i];
            scores[i] = new CheckpointScores(m.Accuracy, m.Tpr, m.Fpr, m.BalancedAccuracy, m.PaperAccuracy, m.Lambda, m.Eta, m.Loss);
        }
        var state = trainer.ExportState();
        return new Checkpoint(evaluation.Epoch, index, evaluation.Activations, scores, new Dictionary<string, double[]>
        {
            ["step"] = [state.Step],
            ["parameters"] = state.Parameters,
            ["adam_m"] = state.AdamM,
            ["adam_v"] = state.AdamV,
        });
    }

    public string Describe() => Description(config) +
        (config.Shard is { } shard ? $" (shard {shard}: instances {FirstInstance}–{FirstInstance + Instances - 1})" : "");

    /// <summary>What trained the activations of a whole study of <paramref name="c"/>.</summary>
    internal static string Description(StudyConfig c) => $"HebbFF ({c.Plasticity}), {c.Instances} instances trained for {c.Epochs} epochs";

    public void Dispose() => trainer.Dispose();
}
