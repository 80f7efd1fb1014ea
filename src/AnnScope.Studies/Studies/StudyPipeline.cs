using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>
/// The streaming study: checkpoints flow from a source (training, or stored activations) through a bounded
/// channel to the analysis, so training of the next epochs overlaps analysis of the last checkpoint and
/// at most two checkpoints' activations are in memory. Each analysed checkpoint is flushed to the store and
/// then sealed with its resume state; a killed run resumes from the last sealed checkpoint and produces the
/// same bytes as an uninterrupted one. Cancellation stops after the checkpoint being analysed is sealed.
/// <paramref name="budget"/> (shared with the source and the analyzer) learns when each side works or waits.
/// </summary>
internal sealed class StudyPipeline(StudyConfig config, ICheckpointSource source, CheckpointAnalyzer analyzer, CoreBudget budget,
    StudyProfile profile)
{
    /// <summary>Wall-clock seconds per stage, as recorded in study.json.</summary>
    public Dictionary<string, double> Timings { get; } = new();

    /// <summary>Runs (or resumes) the study into <paramref name="store"/>. Returns false when cancelled.</summary>
    public bool Run(StudyStore store, StateFileResume? resume, IProgress<StudyProgress>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var epochs = source.Epochs;
        int analysed = 0, epochsDone = 0;
        if (resume is { } r)
        {
            source.Restore(r.Epoch, r.State);
            analysed = epochs.Count(e => e <= r.Epoch);
            epochsDone = Math.Min(r.Epoch, source.EpochsTotal);
        }
        WriteStudyJson(store, "running", analysed, clock.Elapsed);
        var reportGate = new Lock(); // training and analysis report from different threads
        void Report(string stage)
        {
            lock (reportGate) progress?.Report(new StudyProgress(stage, epochsDone, source.EpochsTotal, analysed, epochs.Count, clock.Elapsed));
        }
        Report("starting");

        var channel = Channel.CreateBounded<Checkpoint>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        double trainSeconds = 0, analysisSeconds = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var producer = Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            // a source that only reads stored activations leaves every core to the analysis
            bool trains = source.EpochsTotal > 0;
            try
            {
                budget.Training(trains);
                foreach (var checkpoint in source.Produce(e => { epochsDone = e; Report("training"); }, stop.Token))
                {
                    trainSeconds += watch.Elapsed.TotalSeconds;
                    budget.Training(false);
                    budget.AnalysisQueued();
                    channel.Writer.WriteAsync(checkpoint, stop.Token).AsTask().GetAwaiter().GetResult();
                    budget.Training(trains);
                    watch.Restart();
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
            finally
            {
                budget.Training(false);
            }
        }, CancellationToken.None);

        bool completed = true;
        try
        {
            foreach (var checkpoint in channel.Reader.ReadAllAsync(CancellationToken.None).ToBlockingEnumerable())
            {
                var watch = Stopwatch.StartNew();
                var result = analyzer.Analyze(checkpoint);
                store.AppendCheckpoint(result.Rows, result.Runs, result.Histograms);
                store.AppendVariants(result.Variants);
                if (result.Allegiance is { } allegiance)
                    store.WriteAllegiance(checkpoint.Epoch, allegiance.Matrices, allegiance.Modules, source.Instances, source.Units);
                if (config.SaveActivations) StudyActivations.Spool(store, checkpoint, source.Instances, source.Samples, source.Units);
                store.SaveState(checkpoint.Epoch, checkpoint.ResumeState);
                source.Release(checkpoint);
                budget.AnalysisDone();
                analysisSeconds += watch.Elapsed.TotalSeconds;
                analysed++;
                Report("analysis");
                if (cancel.IsCancellationRequested)
                {
                    completed = analysed == epochs.Count;
                    break;
                }
            }
        }
        finally
        {
            stop.Cancel(); // a producer still training stops at its next epoch
            try { producer.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { }
        }
        Timings["training"] = trainSeconds;
        Timings["analysis"] = analysisSeconds;
        Timings["streaming_total"] = clock.Elapsed.TotalSeconds;
        WriteStudyJson(store, completed ? "running" : "interrupted", analysed, clock.Elapsed);
        return completed;
    }

    /// <summary>Writes study.json with the config, host, timings and status.</summary>
    public void WriteStudyJson(StudyStore store, string status, int checkpointsCompleted, TimeSpan elapsed)
    {
        var node = new JsonObject
        {
            ["format"] = "annscope-study/1",
            ["version"] = typeof(StudyPipeline).Assembly.GetName().Version?.ToString(3),
            ["status"] = status,
            ["config"] = JsonNode.Parse(config.ToJson()),
            ["seed"] = config.Seed,
            ["backend"] = config.Backend.ToString().ToLowerInvariant(),
            ["threads"] = config.Threads,
            ["source"] = source.Describe(),
            ["host"] = new JsonObject
            {
                ["machine"] = Environment.MachineName,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["cores"] = Environment.ProcessorCount,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["native"] = ComputeContext.NativeBuildInfo.Trim(),
            },
            ["timings"] = new JsonObject(Timings.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)Math.Round(t.Value, 3)))),
            ["profile"] = profile.ToJson(),
            ["process_cpu_seconds"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 3),
            ["elapsed_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
            ["peak_memory_bytes"] = Process.GetCurrentProcess().PeakWorkingSet64,
            ["checkpoints_completed"] = checkpointsCompleted,
            ["checkpoints_total"] = source.Epochs.Count,
            ["allegiance_epochs"] = new JsonArray(analyzer.AllegianceEpochs.Select(e => (JsonNode?)e).ToArray()),
        };
        if (config.Shard is { } shard)
        {
            // a shard's directory says which instances it holds; merge checks that the shards tile the study
            var (first, end) = config.InstanceRange;
            node["shard"] = new JsonObject { ["index"] = shard.Index, ["count"] = shard.Count, ["first_instance"] = first, ["end_instance"] = end };
        }
        store.WriteJson(StudyFiles.StudyFile, node);
    }
}

/// <summary>Where a resumed study continues: the last sealed checkpoint and its state.</summary>
internal readonly record struct StateFileResume(int Epoch, IReadOnlyDictionary<string, double[]> State);
