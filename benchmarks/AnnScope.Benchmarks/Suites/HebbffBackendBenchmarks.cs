using AnnScope.Models;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// HebbFF at the study's network size (N 100, M 120, T 2500, anti-Hebbian, float32) on every backend this
/// machine has: one training epoch of the whole batch (forward, full BPTT, Adam) and one evaluation of the
/// test sequences with activation read-back. MKL runs instances in parallel on every core; OpenCL runs on the
/// device ANNSCOPE_OPENCL_DEVICE names (default: the first GPU, else the first device). The GFLOP/s column
/// counts the matrix work (<see cref="GFlop"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class HebbffBackendBenchmarks
{
    public const int InputDim = 100, Hidden = 120, Length = 2500;
    private ComputeContext context = null!;
    private HebbffTrainer trainer = null!;
    private float[] activations = [];
    private HebbffMetrics[] metrics = [];

    [Params(8)]
    public int Instances { get; set; }

    [ParamsSource(typeof(Backends), nameof(Backends.Available))]
    public ComputeBackend Backend { get; set; }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.Median, new GflopsColumn(c =>
            GFlop((int)c.Parameters["Instances"], c.Descriptor.WorkloadMethod.Name == nameof(TrainEpoch))));
    }

    /// <summary>Matrix work of one call: per step, instance and entry of the M×N matrices 18 flops for an epoch
    /// (<see cref="HebbffBenchmarks.GFlopPerInstanceEpoch"/>) and 6 for an evaluation (forward only).</summary>
    public static double GFlop(int instances, bool epoch) => (epoch ? 18.0 : 6.0) * Hidden * InputDim * Length * instances / 1e9;

    [GlobalSetup]
    public void Setup()
    {
        context = Backends.Context(Backend);
        Console.WriteLine($"// {context.Description}");
        var config = new HebbffConfig { Instances = Instances, InputDim = InputDim, Hidden = Hidden, Length = Length, Seed = 3 };
        trainer = new HebbffTrainer(config, context);
        activations = new float[(long)Instances * Length * Hidden];
        metrics = new HebbffMetrics[Instances];
        trainer.TrainEpoch(); // builds the OpenCL programs and allocates device scratch outside the measurements
        trainer.Evaluate(activations, [], [], metrics);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        trainer.Dispose();
        context.Dispose();
    }

    [Benchmark]
    public double[] TrainEpoch() => trainer.TrainEpoch();

    [Benchmark]
    public HebbffMetrics[] EvaluateWithActivations()
    {
        trainer.Evaluate(activations, [], [], metrics);
        return metrics;
    }
}
