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
    private readonly ComputeContext context;
    private readonly CoreBudget budget;
    private readonly StudyProfile profile;
    // two: the analysis reads one checkpoint while training fills the next
    private readonly ActivationBuffers buffers;
    private int restoredEpoch = -1; // the checkpoint a resume starts after: never produced again

    /// <summary>
    /// A source training on <paramref name="context"/>, which it owns for the study: before each epoch it takes
    /// the threads <paramref name="budget"/> allows.
    /// </summary>
    public HebbffSource(StudyConfig config, ComputeContext context, CoreBudget budget, StudyProfile profile)
    {
        this.profile = profile;
        this.config = config;
        this.context = context;
        this.budget = budget;
        trainer = new HebbffTrainer(ToHebbff(config), context);
        buffers = new ActivationBuffers(2, (long)Instances * config.Length * config.Hidden);
    }

    /// <summary>The training half of a study config.</summary>
    internal static HebbffConfig ToHebbff(StudyConfig c) => new()
    {
        Instances = c.InstanceRange.End - c.InstanceRange.First,
        FirstInstance = c.InstanceRange.First,
        InputDim = c.InputDim,
        Hidden = c.Hidden,
        RepeatInterval = c.RepeatInterval,
        RepeatProbability = c.RepeatProbability,
        Length = c.Length,
        MultiRep = c.MultiRep,
        Epochs = c.Epochs,
        CheckpointEvery = c.CheckpointEvery,
        Plasticity = c.Plasticity,
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
        if (trainer.Epoch == 0 && restoredEpoch < 0) yield return Take(index++, cancel);
        for (int epoch = trainer.Epoch + 1; epoch <= config.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            // The epoch runs in parts that each take the cores the budget gives at that moment: an analysis that
            // finishes mid-epoch hands its core to the training within a part, not at the next epoch.
            long started = StudyProfile.Start(), partStarted = started;
            int threads = 0;
            double coreSeconds = 0;
            trainer.TrainEpoch(EpochParts, _ =>
            {
                coreSeconds += PartCoreSeconds(partStarted, threads);
                partStarted = StudyProfile.Start();
                threads = Math.Min(budget.ForTraining(context), Instances);
            });
            coreSeconds += PartCoreSeconds(partStarted, threads);
            profile.AddCoreSeconds("hebbff_train_epoch", started, coreSeconds);
            epochDone(epoch);
            if (epoch % config.CheckpointEvery == 0) yield return Take(index++, cancel);
        }
    }

    /// <summary>
    /// Parts per training epoch: a part on all cores takes about four instance-epochs per core (≈ 50 ms at paper scale),
    /// fine enough to follow the analysis, and each part keeps every core equally busy when its size is a multiple of them.
    /// </summary>
    private int EpochParts => Math.Max(1, Instances / (4 * budget.Cores));

    private static double PartCoreSeconds(long started, int threads) =>
        threads == 0 ? 0 : System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds * threads;

    private Checkpoint Take(int index, CancellationToken cancel)
    {
        // waiting for the analysis to give a buffer back lends it the training's cores
        budget.Training(false);
        var activations = buffers.Rent(cancel);
        budget.Training(true);
        int threads = budget.ForTraining(context);
        var metrics = new HebbffMetrics[Instances];
        int epoch = trainer.Epoch;
        long started = StudyProfile.Start();
        trainer.Evaluate(activations, default, default, metrics);
        profile.Add("hebbff_evaluate", started, Math.Min(threads, Instances));
        var scores = new CheckpointScores[Instances];
        for (int i = 0; i < scores.Length; i++)
        {
            var m = metrics[i];
            scores[i] = new CheckpointScores(m.Accuracy, m.Tpr, m.Fpr, m.BalancedAccuracy, m.PaperAccuracy, m.Lambda, m.Eta, m.Loss);
        }
        var state = trainer.ExportState();
        return new Checkpoint(epoch, index, activations, scores, new Dictionary<string, double[]>
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
    internal static string Description(StudyConfig c) =>
        $"HebbFF ({OptionNames.Name(c.Plasticity)}), {c.Instances} instances trained for {c.Epochs} epochs";

    public void Release(Checkpoint checkpoint) => buffers.Return(checkpoint.Activations);

    public void Dispose()
    {
        trainer.Dispose();
        buffers.Dispose();
    }
}
