using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace AnnScope.Statistics;

/// <summary>How the paths of a mediation model are estimated.</summary>
public enum MediationEstimator
{
    /// <summary>Fixed effects of linear mixed models with groups (instances) as the grouping factor.</summary>
    MixedModel,

    /// <summary>Ordinary least squares, ignoring groups (the bootstrap still resamples whole groups).</summary>
    OrdinaryLeastSquares,
}

public sealed record MediationOptions
{
    public MediationEstimator Estimator { get; init; } = MediationEstimator.MixedModel;

    /// <summary>
    /// Random effects of each path's mixed model; the random slope is on the path's focal predictor: X for the a path
    /// (M ~ X) and the total effect (Y ~ X), M for the b path (Y ~ M + X). Random intercepts by default: they keep
    /// every bootstrap refit well posed.
    /// </summary>
    public RandomEffects RandomEffects { get; init; } = RandomEffects.InterceptOnly;

    public bool Reml { get; init; } = true;

    /// <summary>Bootstrap resamples of whole groups (0 = no confidence intervals).</summary>
    public int BootstrapSamples { get; init; } = 1000;
    public int Seed { get; init; }
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Threads for the bootstrap refits (−1 = all cores); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>One path coefficient with its model-based standard error and p-value and its bootstrap interval.</summary>
public sealed record MediationPath(string Name, double Estimate, double StdError, double PValue, double CiLower, double CiUpper)
{
    /// <summary>Denominator degrees of freedom of the coefficient's test (Satterthwaite for mixed models); its F(1, df) = t².</summary>
    public double Df { get; init; } = double.NaN;

    /// <summary>The F statistic of the coefficient as lmerTest's anova reports it for one coefficient: t².</summary>
    public double FValue => StdError > 0 ? Math.Pow(Estimate / StdError, 2) : double.NaN;
}

/// <summary>
/// X → M → Y: a (X on M), b (M on Y given X), direct c' (X on Y given M), total c (X on Y alone) and the
/// indirect effect a·b with a percentile bootstrap interval over groups.
/// </summary>
public sealed record MediationResult(
    MediationPath A,
    MediationPath B,
    MediationPath Direct,
    MediationPath Total,
    double Indirect,
    double IndirectCiLower,
    double IndirectCiUpper,
    double IndirectBootstrapSe,
    double ProportionMediated,
    int BootstrapSamples,
    int BootstrapFailures,
    int Seed,
    double ConfidenceLevel,
    int ObservationCount,
    int GroupCount,
    MediationOptions Options)
{
    /// <summary>The b path as the study reported it: Y ~ M alone (random slope on M), without X in the model.</summary>
    public MediationPath? MediatorAlone { get; init; }
}

/// <summary>
/// Mediation analysis from regression paths (science.md §8): a from M ~ X, b and c' from Y ~ M + X, c from Y ~ X,
/// indirect = a·b. The bootstrap draws G groups with replacement (a group drawn twice enters as two groups),
/// refits the three paths and takes percentile intervals (R's type-7 quantiles). All draws come from one
/// Mersenne Twister seeded by <see cref="MediationOptions.Seed"/> before any fitting, and refits run in
/// parallel into fixed slots, so results do not depend on the thread count. A resample that cannot be fitted
/// (e.g. a constant X) is skipped and counted.
/// </summary>
public static class Mediation
{
    public static MediationResult Analyse(IReadOnlyList<double> x, IReadOnlyList<double> mediator, IReadOnlyList<double> y,
        IReadOnlyList<string> groups, MediationOptions? options = null, string xName = "x", string mediatorName = "m",
        string yName = "y", string groupName = "g")
    {
        options ??= new MediationOptions();
        if (options.BootstrapSamples < 0) throw new ArgumentException("the number of bootstrap samples must be >= 0");
        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
            throw new ArgumentException($"confidence level {options.ConfidenceLevel} must be in (0, 1)");
        if (new HashSet<string>([xName, mediatorName, yName]).Count != 3)
            throw new ArgumentException("x, mediator and y must be three different columns");
        var data = new MixedModelData(yName, y, [(xName, x), (mediatorName, mediator)], groupName, groups);
        var estimate = Paths(data, options, full: true);

        int b = options.BootstrapSamples;
        var draws = new int[b][];
        var rng = new MersenneTwister(options.Seed);
        for (int s = 0; s < b; s++)
        {
            draws[s] = new int[data.GroupCount];
            for (int g = 0; g < data.GroupCount; g++) draws[s][g] = rng.Next(data.GroupCount);
        }
        var replicates = new (double A, double B, double Direct, double Total)?[b];
        Parallel.For(0, b, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, s =>
        {
            try
            {
                var e = Paths(data.ResampleGroups(draws[s]), options, full: false);
                replicates[s] = (e.A.Estimate, e.B.Estimate, e.Direct.Estimate, e.Total.Estimate);
            }
            catch (Exception ex) when (ex is ArgumentException or ArithmeticException)
            {
                replicates[s] = null;
            }
        });
        var ok = replicates.Where(r => r is not null).Select(r => r!.Value).ToArray();
        int failures = b - ok.Length;
        if (b > 0 && ok.Length < Math.Max(2, b / 2))
            throw new ArithmeticException($"{failures} of {b} bootstrap resamples could not be fitted; the data are too degenerate for a bootstrap");

        double alpha = (1 - options.ConfidenceLevel) / 2;
        (double, double) Interval(Func<(double A, double B, double Direct, double Total), double> pick) =>
            ok.Length == 0 ? (double.NaN, double.NaN)
                : (ok.Select(pick).QuantileCustom(alpha, QuantileDefinition.R7),
                    ok.Select(pick).QuantileCustom(1 - alpha, QuantileDefinition.R7));
        MediationPath WithInterval(MediationPath p, Func<(double A, double B, double Direct, double Total), double> pick)
        {
            var (lo, hi) = Interval(pick);
            return p with { CiLower = lo, CiUpper = hi };
        }

        double indirect = estimate.A.Estimate * estimate.B.Estimate;
        var (indirectLo, indirectHi) = Interval(r => r.A * r.B);
        double indirectSe = ok.Length > 1 ? ok.Select(r => r.A * r.B).StandardDeviation() : double.NaN;
        return new MediationResult(
            WithInterval(estimate.A, r => r.A), WithInterval(estimate.B, r => r.B),
            WithInterval(estimate.Direct, r => r.Direct), WithInterval(estimate.Total, r => r.Total),
            indirect, indirectLo, indirectHi, indirectSe, indirect / estimate.Total.Estimate,
            b, failures, options.Seed, options.ConfidenceLevel, data.ObservationCount, data.GroupCount, options)
        {
            MediatorAlone = estimate.MediatorAlone,
        };
    }

    private sealed record PathSet(MediationPath A, MediationPath B, MediationPath Direct, MediationPath Total, MediationPath? MediatorAlone = null);

    private static PathSet Paths(MixedModelData data, MediationOptions options, bool full)
    {
        string xName = data.CovariateNames[0], mName = data.CovariateNames[1];
        var x = data.CovariateArray(0);
        var m = data.CovariateArray(1);
        var y = data.ResponseArray;
        FixedEffect a, b, direct, total;
        FixedEffect? alone = null;
        if (options.Estimator == MediationEstimator.OrdinaryLeastSquares)
        {
            a = OrdinaryLeastSquares.Fit(m, [(xName, x)])[xName];
            var both = OrdinaryLeastSquares.Fit(y, [(mName, m), (xName, x)]);
            b = both[mName];
            direct = both[xName];
            total = OrdinaryLeastSquares.Fit(y, [(xName, x)])[xName];
            if (full) alone = OrdinaryLeastSquares.Fit(y, [(mName, m)])[mName];
        }
        else
        {
            var fitOptions = new MixedModelOptions
            {
                RandomEffects = options.RandomEffects,
                Reml = options.Reml,
                DegreesOfFreedom = full ? DegreesOfFreedomMethod.Satterthwaite : DegreesOfFreedomMethod.Residual,
            };
            a = LinearMixedModel.Fit(data.WithColumns(mName, m, [xName], [x]), fitOptions)[xName];
            var both = LinearMixedModel.Fit(data.WithColumns(data.ResponseName, y, [mName, xName], [m, x]),
                fitOptions with { RandomSlope = mName });
            b = both[mName];
            direct = both[xName];
            total = LinearMixedModel.Fit(data.WithColumns(data.ResponseName, y, [xName], [x]), fitOptions)[xName];
            if (full) alone = LinearMixedModel.Fit(data.WithColumns(data.ResponseName, y, [mName], [m]), fitOptions)[mName];
        }
        static MediationPath Path(string name, FixedEffect e) => new(name, e.Estimate, e.StdError, e.PValue, double.NaN, double.NaN) { Df = e.Df };
        return new PathSet(Path("a", a), Path("b", b), Path("direct", direct), Path("total", total), alone is null ? null : Path("b_alone", alone));
    }
}
