using AnnScope.Connectivity;
using BenchmarkDotNet.Attributes;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// Batched FC at the study's size: windowed (8, 2500, 120, Z = 50) and full (Z = 2500), native MKL against
/// the managed reference, float32 and float64. Single-threaded native rows isolate kernel quality; the
/// all-core rows show the batch parallelism. The sgemm ceiling is printed once per process (GlobalSetup).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CorrelationBenchmarks
{
    public const int Batch = 8, Samples = 2500, Units = 120;
    private float[] x32 = [], out32 = [];
    private double[] x64 = [], out64 = [];
    private ComputeContext single = null!, all = null!;

    [Params(50, 2500)]
    public int Window { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (x32, x64) = SeededInputs();
        var shape = new SeriesShape(Batch, Samples, Units);
        out32 = new float[shape.MatricesLength(Window)];
        out64 = new double[out32.Length];
        single = new ComputeContext(ComputeBackend.Mkl, 1);
        all = new ComputeContext(ComputeBackend.Mkl, 0);
        Console.WriteLine($"// sgemm ceiling (120x120x2500): 1 thread {single.MeasureSgemmRate():F1} GFLOP/s, " +
                          $"{all.Threads} threads {all.MeasureSgemmRate():F1} GFLOP/s");
        Console.WriteLine($"// FC work per call: {GFlop(Window):F3} GFLOP");
    }

    /// <summary>The seeded (Batch, Samples, Units) activations every correlation suite uses, as float32 and the same values as float64.</summary>
    public static (float[] X32, double[] X64) SeededInputs()
    {
        var rng = new Random(42);
        var x32 = new float[Batch * Samples * Units];
        var x64 = new double[x32.Length];
        for (int i = 0; i < x32.Length; i++) x64[i] = x32[i] = (float)(rng.NextDouble() * 2 - 1);
        return (x32, x64);
    }

    /// <summary>Floating-point work of the GEMM part of one call: B · L · 2 Z M² = 2 B T M², whatever the window.</summary>
    public static double GFlop(int window) => 2.0 * Batch * (Samples / window * window) * Units * Units / 1e9;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn(_ => GFlop(1)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        single.Dispose();
        all.Dispose();
    }

    private SeriesShape Shape => new(Batch, Samples, Units);

    [Benchmark(Baseline = true)]
    public long ManagedReferenceF32() => FunctionalConnectivityReference.Pearson<float>(x32, Shape, Window, out32);

    [Benchmark]
    public long NativeF32SingleThread() => FunctionalConnectivity.Pearson(x32, Shape, Window, out32, single);

    [Benchmark]
    public long NativeF32AllCores() => FunctionalConnectivity.Pearson(x32, Shape, Window, out32, all);

    [Benchmark]
    public long NativeF64SingleThread() => FunctionalConnectivity.Pearson(x64, Shape, Window, out64, single);

    [Benchmark]
    public long NativeF64AllCores() => FunctionalConnectivity.Pearson(x64, Shape, Window, out64, all);
}
