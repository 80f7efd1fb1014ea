using AnnScope.Communities;
using AnnScope.Connectivity;
using BenchmarkDotNet.Attributes;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// Louvain at the study's size on realistic FC: one single-layer run on a 120-unit full FC, and one multilayer run on
/// 50 windows × 120 units for each move rule, under the study's objective (signed split, γ⁺ = 1.02, diagonal kept, ω = 1)
/// and the classic one. The FC comes from planted-module activations like the community fixtures': six modules of 20
/// units driven by AR(1) factors (two pairs anti-correlated), a weak global factor, unit noise, and units that switch
/// module for a third of the windows. Each call runs one seed; seeds cycle over 16 so the median covers several
/// optimisation paths. Every run is single-threaded.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[IterationTime(250)]
public class CommunityBenchmarks
{
    public const int Units = 120, Samples = 2500, Window = 50, Seeds = 16;
    private ModularityMatrix single = null!;
    private MultilayerModularity multilayer = null!;
    private double[] windowed = [];
    private long next;

    [Params("study", "classic")]
    public string Objective { get; set; } = "study";

    private LayerObjective Layer => Objective == "study" ? LayerObjective.Study : LayerObjective.Classic;

    [GlobalSetup]
    public void Setup()
    {
        var x = PlantedActivations(seed: 7);
        var full = new double[Units * Units];
        FunctionalConnectivityReference.Pearson<double>(x, new SeriesShape(1, Samples, Units), Samples, full);
        windowed = new double[Samples / Window * Units * Units];
        FunctionalConnectivityReference.Pearson<double>(x, new SeriesShape(1, Samples, Units), Window, windowed);
        single = ModularityMatrix.FromConnectivity(full, Units, Layer);
        multilayer = MultilayerModularity.FromConnectivity(windowed, Samples / Window, Units, Layer, 1.0);
    }

    private long Seed() => next++ % Seeds;

    [Benchmark]
    public double SingleLayerMove() => Louvain.Run(single, Seed()).Modularity;

    [Benchmark]
    public double MultilayerMove() => Louvain.Run(multilayer, Seed()).Modularity;

    [Benchmark]
    public double MultilayerMoveRand() => Louvain.Run(multilayer, Seed(), new LouvainOptions { MoveRule = MoveRule.MoveRand }).Modularity;

    [Benchmark]
    public double MultilayerMoveRandW() => Louvain.Run(multilayer, Seed(), new LouvainOptions { MoveRule = MoveRule.MoveRandW }).Modularity;

    /// <summary>Building the 50 layer matrices from the windowed FC (once per instance-checkpoint, shared by all runs).</summary>
    [Benchmark]
    public double BuildMultilayerProblem() => MultilayerModularity.FromConnectivity(windowed, Samples / Window, Units, Layer, 1.0).TwoMu;

    /// <summary>Samples × units activations with six planted modules (see the class summary).</summary>
    public static double[] PlantedActivations(int seed)
    {
        const int modules = 6, size = Units / modules;
        var rng = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var factors = new double[modules];
        var x = new double[Samples * Units];
        double global = 0;
        for (int t = 0; t < Samples; t++)
        {
            for (int k = 0; k < modules; k++) factors[k] = 0.6 * factors[k] + Gaussian();
            global = 0.6 * global + Gaussian();
            for (int i = 0; i < Units; i++)
            {
                int module = i / size;
                // the first two units of each module switch to the next module for the middle third of the samples
                if (i % size < 2 && t >= Samples / 3 && t < 2 * Samples / 3) module = (module + 1) % modules;
                // modules 1 and 3 follow the negated factors of modules 0 and 2: real negative blocks
                double f = module is 1 or 3 ? -factors[module - 1] : factors[module];
                x[t * Units + i] = f + 0.2 * global + Gaussian();
            }
        }
        return x;
    }
}
