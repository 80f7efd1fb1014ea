// The examples of docs/api.md, compiled and run by ApiExampleTests. Every block between "// doc:begin" and
// "// doc:end" appears in docs/api.md as a csharp block, verbatim and in this order (ApiDocTests checks it).
// doc:begin
using AnnScope;
using AnnScope.Communities;
using AnnScope.Connectivity;
using AnnScope.Dynamics;
using AnnScope.IO;
using AnnScope.Models;
using AnnScope.Results;
using AnnScope.Statistics;
using AnnScope.Studies;
// doc:end

namespace AnnScope.Tests.Docs;

public static class ApiExamples
{
    // doc:begin
    /// <summary>Trains HebbFF instances and records a(t) at every checkpoint in the layout `annscope analyze` reads.</summary>
    public static HebbffCheckpoint TrainAndRecord(string activationsPath)
    {
        var config = new HebbffConfig
        {
            Instances = 4, InputDim = 20, Hidden = 24, RepeatInterval = 3, Length = 300,
            Epochs = 40, CheckpointEvery = 10, Seed = 1,
        };
        using var context = new ComputeContext(ComputeBackend.Mkl);
        using var trainer = new HebbffTrainer(config, context);
        int checkpoints = config.CheckpointCount, perInstance = config.Length * config.Hidden;
        // (instances, checkpoints, samples, units), C order
        var recorded = new float[config.Instances * checkpoints * perInstance];
        HebbffCheckpoint? last = null;
        int c = 0;
        foreach (var checkpoint in trainer.Train())
        {
            for (int i = 0; i < config.Instances; i++)
                checkpoint.ActivationsOf(i).CopyTo(recorded.AsSpan((i * checkpoints + c) * perInstance, perInstance));
            Console.WriteLine($"epoch {checkpoint.Epoch}: accuracy of instance 0 {checkpoint.Metrics[0].PaperAccuracy:F3}");
            last = checkpoint;
            c++;
        }
        Npy.Write<float>(activationsPath, recorded, config.Instances, checkpoints, config.Length, config.Hidden);
        return last!;
    }
    // doc:end

    // doc:begin
    /// <summary>Full and windowed functional connectivity of one network's activations (samples × units, C order).</summary>
    public static (float[] Full, float[] Windowed, int Layers) Connectivity(ReadOnlySpan<float> activations, int samples, int units)
    {
        var shape = new SeriesShape(1, samples, units);
        var full = new float[units * units];
        FunctionalConnectivity.Pearson(activations, shape, samples, full);
        int window = samples / 10; // ten non-overlapping windows become the layers
        var windowed = new float[shape.MatricesLength(window)];
        FunctionalConnectivity.Pearson(activations, shape, window, windowed);
        return (full, windowed, shape.Windows(window));
    }
    // doc:end

    // doc:begin
    /// <summary>Signed Louvain communities of the full FC: the best of 16 seeded runs.</summary>
    public static StaticCommunityResult SingleLayerCommunities(ReadOnlySpan<float> fullFc, int units)
    {
        var result = StaticCommunities.Detect(fullFc, units, StaticOptions.Robust with { Seed = 1 });
        Console.WriteLine($"static modularity {result.Modularity:F3}, {result.Communities} communities");
        return result;
    }
    // doc:end

    // doc:begin
    /// <summary>Multilayer communities of the windowed FC, with flexibility and module allegiance.</summary>
    public static MultilayerCommunityResult MultilayerCommunitiesOf(ReadOnlySpan<float> windowedFc, int layers, int units)
    {
        var result = MultilayerCommunities.Detect(windowedFc, layers, units, MultilayerOptions.Robust with { Seed = 1 });
        double[] nodeFlexibility = Flexibility.OfNodes(result.Partition);
        Console.WriteLine($"multilayer modularity {result.Modularity:F3}, flexibility {result.Flexibility:F3} " +
                          $"(most flexible unit {Array.IndexOf(nodeFlexibility, nodeFlexibility.Max())})");
        // result.Allegiance: units × units, the fraction of layers and runs in which two units share a community
        return result;
    }
    // doc:end

    // doc:begin
    /// <summary>Entropy, moments, histograms and synchronisation of one checkpoint's activations.</summary>
    public static CheckpointMeasures Measures(ReadOnlySpan<float> activations, int samples, int units)
    {
        var measures = CheckpointMeasures.Compute(activations, samples, units);
        Console.WriteLine($"entropy {measures.Entropy.Value:F2}, kurtosis {measures.Moments.Kurtosis:F2}, " +
                          $"mean correlation {measures.MeanCorrelation:F3}, PC1 ratio {measures.Synchronisation.Pc1Ratio:F3}");
        return measures;
    }
    // doc:end

    // doc:begin
    /// <summary>accuracy ~ modularity + (modularity | instance), then modularity → flexibility → accuracy.</summary>
    public static (MixedModelFit Fit, MediationResult Mediation) Relate(
        double[] modularity, double[] flexibility, double[] accuracy, string[] instance)
    {
        // REML with Satterthwaite degrees of freedom, as lme4 and lmerTest fit it
        var fit = LinearMixedModel.Fit(MixedModelData.Create(accuracy, modularity, instance, "accuracy", "modularity", "instance"));
        var slope = fit["modularity"];
        Console.WriteLine($"modularity {slope.Estimate:F3} ± {slope.StdError:F3}, df {slope.Df:F1}, p {slope.PValue:G3}");
        // the indirect effect a·b with a percentile bootstrap over whole instances
        var mediation = Mediation.Analyse(modularity, flexibility, accuracy, instance,
            new MediationOptions { BootstrapSamples = 200, Seed = 1 });
        Console.WriteLine($"indirect {mediation.Indirect:F3} [{mediation.IndirectCiLower:F3}, {mediation.IndirectCiUpper:F3}]");
        return (fit, mediation);
    }
    // doc:end

    // doc:begin
    /// <summary>The whole study, small: train, analyse every checkpoint, statistics, figures and report.html.</summary>
    public static StudyResults WholeStudy(string directory)
    {
        var config = StudyPresets.Quick with
        {
            Instances = 4, Epochs = 60, Every = 10, Length = 300, Windows = 10, Hidden = 24, InputDim = 20, Repeat = 3,
            Runs = 2, StaticRuns = 2, MediationBootstrap = 20, CorrelationWindow = 3,
        };
        Study.Run(config, directory, resume: false, progress: null, CancellationToken.None);
        Console.WriteLine(StudyReportStage.Summary(directory));
        // study.json, checkpoints.csv, runs.csv, histograms.csv, summary.json, figures/*.png and report.html, read back and checked
        return StudyStoreReader.Read(directory);
    }
    // doc:end
}
