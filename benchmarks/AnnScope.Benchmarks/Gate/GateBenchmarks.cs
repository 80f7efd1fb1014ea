using AnnScope.Benchmarks.Suites;
using AnnScope.Communities;
using AnnScope.Connectivity;
using AnnScope.IO;
using AnnScope.Models;
using AnnScope.Statistics;
using AnnScope.Tasks;
using BenchmarkDotNet.Attributes;

namespace AnnScope.Benchmarks.Gate;

/// <summary>
/// One short benchmark of each hot path that the regression gate (<c>./build.sh bench-check</c>) watches, with the MKL
/// sgemm it is measured against and the managed references it is compared with, all on one thread in one process.
/// The inputs are those of the full suites (<see cref="CorrelationBenchmarks"/>, <see cref="HebbffBenchmarks"/>,
/// <see cref="CommunityBenchmarks"/>, …) at sizes that keep the whole gate within a few minutes.
/// </summary>
public class GateBenchmarks
{
    /// <summary>HebbFF instances of the gate's batch epoch (the study trains 120; 16 keep one call under 0.2 s).</summary>
    public const int HebbffBatch = 16;

    private const int SgemmM = 120, SgemmN = 120, SgemmK = 2500, SgemmRepeats = 5;
    private ComputeContext context = null!;
    private float[] x32 = [], outFull = [], outWindowed = [], activations = [], fc = [];
    private double[] hebbParameters = [], hebbM = [], hebbV = [], hebbX = [], hebbY = [];
    private readonly double[][] hebbHistory = new double[HebbffBenchmarks.Length + 1][];
    private long hebbStep;
    private HebbffTrainer? one, batch;
    private ModularityMatrix single = null!;
    private MultilayerModularity multilayer = null!;
    private float[] hebbffWindows = [];
    private MixedModelData mixed = null!;

    /// <summary>Windows and units of the trained network's FC (tests/fixtures/community/engine-golden).</summary>
    private const int HebbffWindows = 20, HebbffUnits = 60;

    /// <summary>Builds every input once (the gate runs in process, so one setup serves all paths).</summary>
    [GlobalSetup]
    public void Setup()
    {
        context = new ComputeContext(ComputeBackend.Mkl, 1);
        (x32, _) = CorrelationBenchmarks.SeededInputs();
        var shape = new SeriesShape(CorrelationBenchmarks.Batch, CorrelationBenchmarks.Samples, CorrelationBenchmarks.Units);
        outFull = new float[shape.MatricesLength(CorrelationBenchmarks.Samples)];
        outWindowed = new float[shape.MatricesLength(CommunityBenchmarks.Window)];

        var reference = HebbffConfig(1) with { Precision = NumericPrecision.Float64 };
        hebbParameters = HebbffState.Initial(reference).Parameters;
        hebbM = new double[hebbParameters.Length];
        hebbV = new double[hebbParameters.Length];
        var (xf, yf) = HebbffTrainer.GenerateSequences(reference, SequenceRole.Train);
        hebbX = xf.Select(f => (double)f).ToArray();
        hebbY = yf.Select(f => (double)f).ToArray();
        one = new HebbffTrainer(HebbffConfig(1), context);
        batch = new HebbffTrainer(HebbffConfig(HebbffBatch), context);

        const int units = CommunityBenchmarks.Units, samples = CommunityBenchmarks.Samples, window = CommunityBenchmarks.Window;
        var planted = CommunityBenchmarks.PlantedActivations(seed: 7);
        var full = new double[units * units];
        FunctionalConnectivityReference.Pearson<double>(planted, new SeriesShape(1, samples, units), samples, full);
        var windowed = new double[samples / window * units * units];
        FunctionalConnectivityReference.Pearson<double>(planted, new SeriesShape(1, samples, units), window, windowed);
        single = ModularityMatrix.FromConnectivity(full, units, LayerObjective.Study);
        multilayer = MultilayerModularity.FromConnectivity(windowed, samples / window, units, LayerObjective.Study, 1.0);

        hebbffWindows = TrainedWindows();

        activations = planted.Select(v => (float)v).ToArray();
        fc = new float[units * units];
        FunctionalConnectivity.Pearson(activations, new SeriesShape(1, samples, units), samples, fc, context);

        var table = CsvTable.Read(MixedModelBenchmarks.StudyLikeFixture());
        mixed = MixedModelData.Create(table.Numeric("y"), table.Numeric("x"), table.Text("g"));
    }

    private static HebbffConfig HebbffConfig(int instances) => new()
    {
        Instances = instances, InputDim = HebbffBenchmarks.InputDim, Hidden = HebbffBenchmarks.Hidden,
        Length = HebbffBenchmarks.Length, RepeatInterval = 5, Seed = 1,
    };

    /// <summary>Releases the native trainers and context.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        one?.Dispose();
        batch?.Dispose();
        context.Dispose();
    }

    /// <summary>Floating-point work of one <see cref="Sgemm"/> call.</summary>
    public static double SgemmFlop => 2.0 * SgemmM * SgemmN * SgemmK * SgemmRepeats;

    private SeriesShape FcShape => new(CorrelationBenchmarks.Batch, CorrelationBenchmarks.Samples, CorrelationBenchmarks.Units);

    /// <summary>MKL sgemm (120 × 120 × 2500, 5 times): the rate every other path is measured against.</summary>
    [Benchmark]
    public double Sgemm() => context.MeasureSgemmRate(SgemmM, SgemmN, SgemmK, SgemmRepeats);

    /// <summary>Full FC of 8 × (2500, 120), float32.</summary>
    [Benchmark]
    public long FcFull() => FunctionalConnectivity.Pearson(x32, FcShape, CorrelationBenchmarks.Samples, outFull, context);

    /// <summary>The managed reference of <see cref="FcFull"/>.</summary>
    [Benchmark]
    public long FcFullReference() => FunctionalConnectivityReference.Pearson<float>(x32, FcShape, CorrelationBenchmarks.Samples, outFull);

    /// <summary>Windowed FC (Z 50) of 8 × (2500, 120), float32.</summary>
    [Benchmark]
    public long FcWindowed() => FunctionalConnectivity.Pearson(x32, FcShape, CommunityBenchmarks.Window, outWindowed, context);

    /// <summary>The managed reference of <see cref="FcWindowed"/>.</summary>
    [Benchmark]
    public long FcWindowedReference() => FunctionalConnectivityReference.Pearson<float>(x32, FcShape, CommunityBenchmarks.Window, outWindowed);

    /// <summary>A HebbFF training epoch of one instance (T 2500, N 100, M 120).</summary>
    [Benchmark]
    public double HebbffEpochOne() => one!.TrainEpoch()[0];

    /// <summary>A HebbFF training epoch of <see cref="HebbffBatch"/> instances.</summary>
    [Benchmark]
    public double HebbffEpochBatch() => batch!.TrainEpoch()[0];

    /// <summary>
    /// The managed (float64) reference epoch of one instance: forward, BPTT and Adam. Its A(t) history is kept between
    /// calls, so the call times the arithmetic, not the GC's page faults.
    /// </summary>
    [Benchmark]
    public double HebbffEpochReference()
    {
        var layout = new HebbffLayout(HebbffBenchmarks.InputDim, HebbffBenchmarks.Hidden);
        var pass = HebbffReference.Run(hebbParameters, hebbX, hebbY, layout, Plasticity.Anti, history: hebbHistory);
        HebbffReference.AdamStep(hebbParameters, hebbM, hebbV, pass.Gradient, ++hebbStep);
        return pass.Loss;
    }

    /// <summary>
    /// Multilayer Louvain <c>move</c>, 50 layers × 120 nodes, the study's objective, seeds 0–3: the same seeds every
    /// call, because the work of a run depends on its seed and the gate compares calls.
    /// </summary>
    [Benchmark]
    public double MultilayerLouvain()
    {
        double q = 0;
        for (int seed = 0; seed < 4; seed++) q += Louvain.Run(multilayer, seed).Modularity;
        return q;
    }

    /// <summary>
    /// What the study runs per instance and checkpoint, on a trained HebbFF network's windowed FC (weak modules, many
    /// levels and sweeps, unlike the planted problem): the problem built from the FC, one <c>move</c> run, flexibility and
    /// allegiance; seeds 0–3 every call.
    /// </summary>
    [Benchmark]
    public double MultilayerCommunitiesTrained()
    {
        double q = 0;
        for (int seed = 0; seed < 4; seed++)
            q += MultilayerCommunities.Detect(hebbffWindows, HebbffWindows, HebbffUnits,
                new MultilayerOptions { Objective = LayerObjective.Study, Omega = 1.0, Runs = 1, MaxDegreeOfParallelism = 1, Seed = seed }).Modularity;
        return q;
    }

    /// <summary>The fixture's float32 (20, 60, 60) windowed FC of a paper-study instance at epoch 1000.</summary>
    private static float[] TrainedWindows()
    {
        var path = Path.Combine(RepositoryFile.Root(), "tests", "fixtures", "community", "engine-golden", "hebbff-late-20x60.f32");
        var bytes = File.ReadAllBytes(path);
        var fc = new float[HebbffWindows * HebbffUnits * HebbffUnits];
        if (bytes.Length != fc.Length * sizeof(float)) throw new InvalidDataException($"{path}: {bytes.Length} bytes, expected {fc.Length * sizeof(float)}");
        Buffer.BlockCopy(bytes, 0, fc, 0, bytes.Length); // little-endian, as x64 reads it
        return fc;
    }

    /// <summary>Single-layer signed Louvain on a 120-unit full FC, seeds 0–15 every call.</summary>
    [Benchmark]
    public double SingleLayerLouvain()
    {
        double q = 0;
        for (int seed = 0; seed < CommunityBenchmarks.Seeds; seed++) q += Louvain.Run(single, seed).Modularity;
        return q;
    }

    /// <summary>The per-checkpoint measures (entropy, moments, synchronisation) of (2500, 120) activations.</summary>
    [Benchmark]
    public double CheckpointMeasures() => Statistics.CheckpointMeasures.Compute(activations, CommunityBenchmarks.Samples,
        CommunityBenchmarks.Units, fc, context: context).Entropy.Value;

    /// <summary>A correlated-slopes mixed model, REML with Satterthwaite df, on the study-like table.</summary>
    [Benchmark]
    public double MixedModel() => LinearMixedModel.Fit(mixed, new MixedModelOptions { RandomEffects = RandomEffects.Correlated })
        .FixedEffects[1].Df;
}
