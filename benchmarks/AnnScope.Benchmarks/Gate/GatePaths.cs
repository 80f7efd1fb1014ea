namespace AnnScope.Benchmarks.Gate;

/// <summary>
/// A hot path the gate watches: its benchmark in <see cref="GateBenchmarks"/>, the managed reference it is compared
/// with (if any), and its work per call — floating-point operations where they are counted, 1 otherwise (the figure is
/// then calls per sgemm flop; only its ratio to the baseline matters).
/// </summary>
public sealed record GatePath(string Name, string Benchmark, string? Reference, double WorkPerCall);

/// <summary>The paths of the regression gate.</summary>
public static class GatePaths
{
    private const int FcBatch = Suites.CorrelationBenchmarks.Batch, Samples = Suites.CorrelationBenchmarks.Samples,
        Units = Suites.CorrelationBenchmarks.Units, N = Suites.HebbffBenchmarks.InputDim, M = Suites.HebbffBenchmarks.Hidden;

    /// <summary>Pearson FC: a B·T·M² cross-product (×2 flops) dominates.</summary>
    private const double FcFlop = 2.0 * FcBatch * Samples * Units * Units;

    /// <summary>
    /// A HebbFF epoch, counted at 10 M·N-sized multiply-adds per step (forward: W₁x, Ax, the plastic update; BPTT: the
    /// same three transposed plus the A gradient chain), ×2 flops.
    /// </summary>
    private const double HebbffFlop = 2.0 * 10 * M * N * Samples;

    /// <summary>The sgemm every rate is divided by.</summary>
    public const string Sgemm = nameof(GateBenchmarks.Sgemm);

    /// <summary>Every path, in report order.</summary>
    public static IReadOnlyList<GatePath> All { get; } =
    [
        new("fc-full", nameof(GateBenchmarks.FcFull), nameof(GateBenchmarks.FcFullReference), FcFlop),
        new("fc-windowed", nameof(GateBenchmarks.FcWindowed), nameof(GateBenchmarks.FcWindowedReference), FcFlop),
        new("hebbff-epoch-one", nameof(GateBenchmarks.HebbffEpochOne), nameof(GateBenchmarks.HebbffEpochReference), HebbffFlop),
        new("hebbff-epoch-batch", nameof(GateBenchmarks.HebbffEpochBatch), null, HebbffFlop * GateBenchmarks.HebbffBatch),
        new("louvain-multilayer", nameof(GateBenchmarks.MultilayerLouvain), null, 1),
        new("multilayer-communities-trained", nameof(GateBenchmarks.MultilayerCommunitiesTrained), null, 1),
        new("louvain-single-layer", nameof(GateBenchmarks.SingleLayerLouvain), null, 1),
        new("checkpoint-measures", nameof(GateBenchmarks.CheckpointMeasures), null, 1),
        new("mixed-model", nameof(GateBenchmarks.MixedModel), null, 1),
    ];
}
