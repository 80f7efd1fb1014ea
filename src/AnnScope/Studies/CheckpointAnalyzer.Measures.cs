namespace AnnScope.Studies;

public sealed partial class CheckpointAnalyzer
{
    /// <summary>The community results of one instance-checkpoint.</summary>
    internal sealed record CommunityResult(
        double Modularity, int Communities, double Flexibility, double ModularityMean, double ModularitySd,
        double StaticModularity, int StaticCommunities,
        IReadOnlyList<(ulong Seed, double Modularity, int Communities, double Flexibility)> Runs,
        float[]? Allegiance, double[]? Modules);

    /// <summary>The activation measures of one instance-checkpoint.</summary>
    internal sealed record ActivationMeasures(
        double Entropy, double Mean, double Std, double Kurtosis, double Skewness, double MeanCorrelation,
        double Pc1Ratio, double FullSync, double PartialSync);

    private CommunityResult DetectCommunities(ReadOnlySpan<float> layers, ReadOnlySpan<float> full, int layerCount, int m, ulong seed, bool allegiance) =>
        throw new NotImplementedException("waiting for AnnScope.Communities");

    private ActivationMeasures MeasureActivations(ReadOnlySpan<float> activations, ReadOnlySpan<float> full, int samples, int m) =>
        throw new NotImplementedException("waiting for AnnScope.Statistics");
}
