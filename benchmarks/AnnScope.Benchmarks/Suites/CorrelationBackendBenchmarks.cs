using AnnScope.Connectivity;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// The correlation suite's study-size calls (8 series × 2500 samples × 120 units, windows of 50 and the full
/// 2500) on every backend this machine has: MKL on all cores and, when an OpenCL device exists, OpenCL on
/// the device ANNSCOPE_OPENCL_DEVICE names (an `annscope devices` spec; default: the first GPU, else the
/// first device). Times include the host↔device copies, since a caller pays for them.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CorrelationBackendBenchmarks
{
    public const int Batch = CorrelationBenchmarks.Batch, Samples = CorrelationBenchmarks.Samples, Units = CorrelationBenchmarks.Units;
    private float[] x32 = [], out32 = [];
    private double[] x64 = [], out64 = [];
    private ComputeContext context = null!;

    [Params(50, 2500)]
    public int Window { get; set; }

    [ParamsSource(typeof(Backends), nameof(Backends.Available))]
    public ComputeBackend Backend { get; set; }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.Median, new GflopsColumn(_ => CorrelationBenchmarks.GFlop(1)));
    }

    [GlobalSetup]
    public void Setup()
    {
        (x32, x64) = CorrelationBenchmarks.SeededInputs();
        out32 = new float[Shape.MatricesLength(Window)];
        out64 = new double[out32.Length];
        context = Backends.Context(Backend);
        Console.WriteLine($"// {context.Description}");
        // the first OpenCL call builds the kernels: keep that out of the measurements
        FunctionalConnectivity.Pearson(x32, Shape, Window, out32, context);
        if (context.Device is not { SupportsFloat64: false }) FunctionalConnectivity.Pearson(x64, Shape, Window, out64, context);
    }

    [GlobalCleanup]
    public void Cleanup() => context.Dispose();

    private static SeriesShape Shape => new(Batch, Samples, Units);

    [Benchmark]
    public long PearsonF32() => FunctionalConnectivity.Pearson(x32, Shape, Window, out32, context);

    [Benchmark]
    public long PearsonF64() => context.Device is { SupportsFloat64: false }
        ? 0 // the device cannot: the row reads as "no work", the setup line says which device it was
        : FunctionalConnectivity.Pearson(x64, Shape, Window, out64, context);
}
