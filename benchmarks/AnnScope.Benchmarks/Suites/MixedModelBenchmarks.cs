using AnnScope.IO;
using AnnScope.Statistics;
using BenchmarkDotNet.Attributes;

namespace AnnScope.Benchmarks.Suites;

/// <summary>
/// The study-sized mixed model: `study_like` of the lme4 fixtures (120 groups × 100 observations), y ~ x + (x | g) by
/// REML. lme4 needs about 0.7 s for this fit on this class of machine (fixture README); the target is
/// 100 ms. "Fit" is the fit alone (residual df, as lme4's own timing has no df computation); the Satterthwaite row
/// adds lmerTest's degrees of freedom. Data are read once in GlobalSetup; the fit includes building the
/// per-group factors from the rows.
/// </summary>
[MemoryDiagnoser]
public class MixedModelBenchmarks
{
    private MixedModelData data = null!;

    [Params(RandomEffects.Correlated, RandomEffects.Uncorrelated, RandomEffects.InterceptOnly)]
    public RandomEffects Structure { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var table = CsvTable.Read(StudyLikeFixture());
        data = MixedModelData.Create(table.Numeric("y"), table.Numeric("x"), table.Text("g"));
    }

    [Benchmark(Baseline = true)]
    public double Fit() => LinearMixedModel.Fit(data, new MixedModelOptions
    {
        RandomEffects = Structure,
        DegreesOfFreedom = DegreesOfFreedomMethod.Residual,
    }).LogLikelihood;

    [Benchmark]
    public double FitWithSatterthwaite() => LinearMixedModel.Fit(data, new MixedModelOptions { RandomEffects = Structure })
        .FixedEffects[1].Df;

    /// <summary>tests/fixtures/stats/study_like.csv in the repository (found from the benchmark's folder).</summary>
    internal static string StudyLikeFixture()
    {
        var path = Path.Combine(RepositoryFile.Root(), "tests", "fixtures", "stats", "study_like.csv");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: the study-like table of tests/fixtures/stats is missing");
    }
}
