using System.Reflection;
using AnnScope.Models;
using AnnScope.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// One HebbFF training epoch (forward over T steps, loss, exact gradient, Adam) at the study's size
/// (T 2500, N 100, M 120): the managed reference for one instance, the native kernel for one instance on one
/// thread, and the native batch of 120 instances on one thread and on every core. The "Study 120×1000" column
/// projects each row's median to the study's 120 instances × 1000 epochs; the GFLOP/s column counts the epoch's
/// arithmetic (<see cref="GFlopPerInstanceEpoch"/>) and each native setup prints the one-thread MKL sgemm rate of the
/// same process (120×100×2500, the shape of the epoch's dW1 GEMM) to read it against. Native memory of the batch
/// is printed in its setup.
/// dotnet run -c Release --project benchmarks/AnnScope.Benchmarks -- --filter '*Hebbff*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProjectionConfig))]
public class HebbffBenchmarks
{
    public const int Length = 2500, InputDim = 100, Hidden = 120, Batch = 120, StudyInstances = 120, StudyEpochs = 1000;

    private ComputeContext? context;
    private HebbffTrainer? trainer;
    private double[] parameters = [], m = [], v = [], x = [], y = [];
    private long step;

    private static HebbffConfig Config(int instances) => new()
    {
        Instances = instances, InputDim = InputDim, Hidden = Hidden, Length = Length, RepeatInterval = 5, Seed = 1,
    };

    [GlobalSetup(Target = nameof(ManagedReferenceOneInstance))]
    public void SetupReference()
    {
        var config = Config(1) with { Precision = NumericPrecision.Float64 };
        parameters = HebbffState.Initial(config).Parameters;
        m = new double[parameters.Length];
        v = new double[parameters.Length];
        var (xf, yf) = HebbffTrainer.GenerateSequences(config, SequenceRole.Train);
        x = xf.Select(f => (double)f).ToArray();
        y = yf.Select(f => (double)f).ToArray();
    }

    [GlobalSetup(Target = nameof(NativeOneInstanceOneThread))]
    public void SetupOne() => Setup(1, 1);

    [GlobalSetup(Target = nameof(NativeBatchOneThread))]
    public void SetupBatchOneThread() => Setup(Batch, 1);

    [GlobalSetup(Target = nameof(NativeBatchAllCores))]
    public void SetupBatchAllCores() => Setup(Batch, 0);

    private void Setup(int instances, int threads)
    {
        context = new ComputeContext(ComputeBackend.Mkl, threads);
        using (var single = new ComputeContext(ComputeBackend.Mkl, 1))
            Console.WriteLine($"// sgemm 120x100x2500, 1 thread: {single.MeasureSgemmRate(Hidden, InputDim, Length, 20):F1} GFLOP/s");
        trainer = new HebbffTrainer(Config(instances), context);
        var memory = trainer.Memory;
        Console.WriteLine($"// native memory, {instances} instance(s) on {memory.Threads} thread(s): resident {memory.ResidentBytes / 1e6:F1} MB, " +
                          $"scratch {memory.PerThreadBytes / 1e6:F2} MB per thread, peak {memory.PeakBytes / 1e6:F1} MB");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        trainer?.Dispose();
        context?.Dispose();
        trainer = null;
        context = null;
    }

    [Benchmark(Baseline = true), InstancesPerCall(1)]
    public double ManagedReferenceOneInstance()
    {
        var layout = new HebbffLayout(InputDim, Hidden);
        var pass = HebbffReference.Run(parameters, x, y, layout, Plasticity.Anti);
        HebbffReference.AdamStep(parameters, m, v, pass.Gradient, ++step);
        return pass.Loss;
    }

    [Benchmark, InstancesPerCall(1)]
    public double NativeOneInstanceOneThread() => trainer!.TrainEpoch()[0];

    [Benchmark, InstancesPerCall(Batch)]
    public double NativeBatchOneThread() => trainer!.TrainEpoch()[0];

    [Benchmark, InstancesPerCall(Batch)]
    public double NativeBatchAllCores() => trainer!.TrainEpoch()[0];

    /// <summary>
    /// Floating-point work of one instance-epoch, in GFLOP: per time step and entry of the M×N matrices 12 in the forward
    /// pass (plastic update, λ tangent, next pre-activation and tangent dot products) and 6 in the backward pass (δa·x,
    /// shared by the G update and dW1's sum, λG + δa·x, the dW1 addition and G·x); the O(T·M) vector work is left out.
    /// </summary>
    public static double GFlopPerInstanceEpoch => 18.0 * Hidden * InputDim * Length / 1e9;

    /// <summary>How many instance-epochs one call of a benchmark runs.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class InstancesPerCallAttribute(int instances) : Attribute
    {
        public int Instances { get; } = instances;
    }

    private sealed class ProjectionConfig : ManualConfig
    {
        public ProjectionConfig() => AddColumn(new StudyProjectionColumn(), new GflopsColumn(c =>
            GFlopPerInstanceEpoch * (c.Descriptor.WorkloadMethod.GetCustomAttribute<InstancesPerCallAttribute>()?.Instances ?? 1)));
    }

    /// <summary>The median per call scaled to 120 instances × 1000 epochs, in hours (training only; checkpoint evaluation adds about 3%).</summary>
    private sealed class StudyProjectionColumn : IColumn
    {
        public string Id => nameof(StudyProjectionColumn);
        public string ColumnName => $"Study {StudyInstances}×{StudyEpochs}";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"median scaled to {StudyInstances} instances × {StudyEpochs} epochs (training only)";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            var perCall = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<InstancesPerCallAttribute>()?.Instances ?? 1;
            if (statistics == null) return "NA";
            double seconds = statistics.Median / 1e9 * StudyInstances * StudyEpochs / perCall;
            return seconds >= 3600 ? $"{seconds / 3600:F2} h" : $"{seconds / 60:F1} min";
        }
    }
}
