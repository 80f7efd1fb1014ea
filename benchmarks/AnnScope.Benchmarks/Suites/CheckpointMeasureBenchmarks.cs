using AnnScope.Connectivity;
using AnnScope.Statistics;
using BenchmarkDotNet.Attributes;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// All per-checkpoint measures of one (instance, checkpoint) at the study's size, T = 2500 samples × M = 120 units:
/// entropy (native double covariance by SYRK + MKL LAPACK Cholesky), pooled moments, histograms, mean correlation
/// and the synchronisation spectrum (MKL LAPACK eigenvalues of the 120×120 FC). The setup prints the one-thread
/// sgemm rate of the same process. "WithFc" reuses a full FC the pipeline
/// already has; "ComputingFc" computes it too. Native calls use one thread.
/// </summary>
[MemoryDiagnoser]
public class CheckpointMeasureBenchmarks
{
    public const int Samples = 2500, Units = 120;
    private float[] activations = [], fc = [];
    private ComputeContext context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        activations = new float[Samples * Units];
        for (int t = 0; t < Samples; t++)
        {
            double common = rng.NextDouble() * 2 - 1;
            for (int j = 0; j < Units; j++) activations[t * Units + j] = (float)(4 * common * (j % 3) + 10 * (rng.NextDouble() - 0.5));
        }
        context = new ComputeContext(ComputeBackend.Mkl, 1);
        Console.WriteLine($"// sgemm 120x120x2500, 1 thread: {context.MeasureSgemmRate():F1} GFLOP/s");
        fc = new float[Units * Units];
        FunctionalConnectivity.Pearson(activations, new SeriesShape(1, Samples, Units), Samples, fc, context);
    }

    [GlobalCleanup]
    public void Cleanup() => context.Dispose();

    [Benchmark(Baseline = true)]
    public double WithFc() => CheckpointMeasures.Compute(activations, Samples, Units, fc, context: context).Entropy.Value;

    [Benchmark]
    public double ComputingFc() => CheckpointMeasures.Compute(activations, Samples, Units, context: context).Entropy.Value;
}
