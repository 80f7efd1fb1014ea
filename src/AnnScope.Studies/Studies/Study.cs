using System.Diagnostics;

namespace AnnScope.Studies;

/// <summary>How a study run ended.</summary>
public enum StudyOutcome
{
    /// <summary>Every checkpoint analysed, the statistics and the report written.</summary>
    Complete,
    /// <summary>Stopped on request after sealing a checkpoint; continue with resume.</summary>
    Interrupted,
}

/// <summary>
/// The study, end to end: train HebbFF instances (or read activations), analyse every checkpoint as it
/// arrives, then the cross-instance statistics, figures and report, all in one study directory.
/// </summary>
public static class Study
{
    /// <summary>
    /// Trains and analyses per <paramref name="config"/> into <paramref name="directory"/>, which must be empty or
    /// absent unless <paramref name="resume"/> continues a study there; read the results with
    /// <see cref="Results.StudyStoreReader.Read"/>.
    /// </summary>
    /// <param name="config">What to train and how to analyse it (validated first).</param>
    /// <param name="directory">The study directory.</param>
    /// <param name="resume">Continue the unfinished study in <paramref name="directory"/> after its last sealed checkpoint.</param>
    /// <param name="progress">Told about every epoch and checkpoint; may be null.</param>
    /// <param name="cancel">Stops the study after the checkpoint in progress is sealed (<see cref="StudyOutcome.Interrupted"/>).</param>
    /// <exception cref="ArgumentException">A bad config; a directory that is not empty, not writable, or (on resume) holds no study or another config's.</exception>
    /// <exception cref="InvalidDataException">On resume, a damaged study file.</exception>
    /// <exception cref="StudyDirectoryBusyException">Another process is working in <paramref name="directory"/>.</exception>
    public static StudyOutcome Run(StudyConfig config, string directory, bool resume, IProgress<StudyProgress>? progress,
        CancellationToken cancel)
    {
        config.Validate();
        if (config.Shard is { } shard && config.SaveActivations)
            throw new ArgumentException($"--shard {shard}: --save-activations is not available for shards (run the study whole to keep activations)");
        using var context = new ComputeContext(config.Backend, config.Threads, config.Device);
        var budget = CoresOf(config, context);
        var profile = new StudyProfile();
        using var source = new HebbffSource(config, context, budget, profile);
        return Execute(config, source, directory, resume, context, budget, profile, progress, cancel);
    }

    /// <summary>
    /// Analyses activations a user brings (<see cref="ActivationFileSource"/>) into <paramref name="directory"/>: the
    /// same measures and statistics as <see cref="Run"/>, with the instances, samples, units and checkpoints taken
    /// from <paramref name="source"/> and the analysis settings from <paramref name="config"/>.
    /// </summary>
    /// <param name="config">The analysis settings (validated once the source's shape is filled in).</param>
    /// <param name="source">The activations (and accuracies, if loaded).</param>
    /// <param name="directory">The study directory.</param>
    /// <param name="resume">Continue the unfinished analysis in <paramref name="directory"/>.</param>
    /// <param name="progress">Told about every checkpoint; may be null.</param>
    /// <param name="cancel">Stops after the checkpoint in progress is sealed (<see cref="StudyOutcome.Interrupted"/>).</param>
    /// <exception cref="ArgumentException">A bad config or directory, as for <see cref="Run"/>.</exception>
    /// <exception cref="InvalidDataException">Activations that are not finite, or a damaged study on resume.</exception>
    public static StudyOutcome Analyze(StudyConfig config, ActivationFileSource source, string directory, bool resume,
        IProgress<StudyProgress>? progress, CancellationToken cancel)
    {
        config = config with
        {
            Instances = source.Instances, Length = source.Samples, Hidden = source.Units,
            Epochs = Math.Max(1, source.Epochs[^1]), CheckpointEvery = 1,
        };
        config.Validate();
        using var context = new ComputeContext(config.Backend, config.Threads, config.Device);
        return Execute(config, source, directory, resume, context, CoresOf(config, context), new StudyProfile(), progress, cancel);
    }

    /// <summary>The cores a study shares between training and analysis: --threads, else every core.</summary>
    private static CoreBudget CoresOf(StudyConfig config, ComputeContext context) =>
        new(context.Backend == ComputeBackend.Mkl ? context.Threads : config.Threads > 0 ? config.Threads : Environment.ProcessorCount);

    private static StudyOutcome Execute(StudyConfig config, ICheckpointSource source, string directory, bool resume,
        ComputeContext context, CoreBudget budget, StudyProfile profile, IProgress<StudyProgress>? progress, CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        StateFileResume? from = null;
        StudyStore store;
        if (resume && StudyStore.ResumableOrCleared(directory))
        {
            store = StudyStore.Resume(directory, config, out var state);
            if (state != null) from = new StateFileResume((int)state.Position, state.Arrays);
        }
        else store = StudyStore.Create(directory, config);
        using (store)
        {
            using var analyzer = new CheckpointAnalyzer(config, source.Instances, source.Samples, source.Units, source.Epochs, context,
                budget, profile, source.FirstInstance);
            var pipeline = new StudyPipeline(config, source, analyzer, budget, profile);
            if (!pipeline.Run(store, from, progress, cancel)) return StudyOutcome.Interrupted;
            if (config.Shard is not null)
            {
                // cross-instance statistics need every instance: they run once the shards are merged
                pipeline.WriteStudyJson(store, "complete", source.Epochs.Count, total.Elapsed);
                return StudyOutcome.Complete;
            }

            var clock = Stopwatch.StartNew();
            CrossInstanceStatistics.Write(store, config, source.Epochs, source.Instances);
            pipeline.Timings["statistics"] = clock.Elapsed.TotalSeconds;
            if (config.SaveActivations)
            {
                clock.Restart();
                StudyActivations.Assemble(store, config, source);
                pipeline.Timings["activations_h5"] = clock.Elapsed.TotalSeconds;
            }
            // every result is on disk: the study is complete (the report can always be regenerated from it)
            pipeline.WriteStudyJson(store, "complete", source.Epochs.Count, total.Elapsed);
            clock.Restart();
            StudyReportStage.Write(store);
            pipeline.Timings["report"] = clock.Elapsed.TotalSeconds;
            pipeline.WriteStudyJson(store, "complete", source.Epochs.Count, total.Elapsed);
            return StudyOutcome.Complete;
        }
    }
}
