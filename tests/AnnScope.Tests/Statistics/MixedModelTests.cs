using AnnScope.Statistics;
using MathNet.Numerics.LinearAlgebra;

namespace AnnScope.Tests.Statistics;

public class MixedModelTests
{
    [Fact]
    public void RecoversKnownParametersOfASimulatedStudy()
    {
        // 150 groups x 40 observations: estimates must lie within a few standard errors of the truth
        var data = Simulated.MixedModel(seed: 11, groups: 150, perGroup: 40, mu: 2, beta: -1.5, sdU: 0.8, sdV: 0.6,
            rho: -0.4, sigma: 0.5);
        var fit = LinearMixedModel.Fit(data);
        Assert.True(fit.Converged);
        Assert.False(fit.IsSingular);
        Assert.InRange((fit.FixedEffects[0].Estimate - 2) / fit.FixedEffects[0].StdError, -4, 4);
        Assert.InRange((fit.FixedEffects[1].Estimate + 1.5) / fit.FixedEffects[1].StdError, -4, 4);
        Assert.InRange(fit.Random.SdIntercept, 0.8 * 0.8, 0.8 * 1.2);
        Assert.InRange(fit.Random.SdSlope, 0.6 * 0.8, 0.6 * 1.2);
        Assert.InRange(fit.Random.Correlation, -0.65, -0.15);
        Assert.InRange(fit.ResidualSd, 0.5 * 0.95, 0.5 * 1.05);
        // Satterthwaite df for between-group effects are close to the number of groups
        Assert.InRange(fit.FixedEffects[1].Df, 100, 200);
    }

    [Theory]
    [InlineData(true, RandomEffects.Correlated)]
    [InlineData(false, RandomEffects.Correlated)]
    [InlineData(true, RandomEffects.Uncorrelated)]
    [InlineData(true, RandomEffects.InterceptOnly)]
    public void LogLikelihoodEqualsADirectDenseEvaluationAtTheEstimate(bool reml, RandomEffects structure)
    {
        var data = Simulated.MixedModel(seed: 3, groups: 12, perGroup: 9, mu: 1, beta: 0.5, sdU: 1, sdV: 0.7, rho: 0.5, sigma: 1);
        var fit = LinearMixedModel.Fit(data, new MixedModelOptions { Reml = reml, RandomEffects = structure });
        var cov = Matrix<double>.Build.Dense(2, 2);
        cov[0, 0] = fit.Random.VarIntercept;
        if (structure != RandomEffects.InterceptOnly) cov[1, 1] = fit.Random.VarSlope;
        if (structure == RandomEffects.Correlated) cov[0, 1] = cov[1, 0] = fit.Random.Covariance;
        double expected = DenseLogLikelihood(data, [data.Covariate(0).ToArray()], cov, fit.ResidualSd,
            fit.FixedEffects.Select(f => f.Estimate).ToArray(), reml);
        Assert.Equal(expected, fit.LogLikelihood, 9);
    }

    [Fact]
    public void TwoCovariateModelWithSlopeOnTheSecondMatchesTheDenseLikelihood()
    {
        var rng = new Random(21);
        int n = 120;
        var m = Enumerable.Range(0, n).Select(_ => Simulated.Normal(rng)).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => Simulated.Normal(rng)).ToArray();
        var groups = Enumerable.Range(0, n).Select(i => "inst" + (i % 10)).ToArray();
        var groupEffect = Enumerable.Range(0, 10).Select(_ => Simulated.Normal(rng)).ToArray();
        var slopeEffect = Enumerable.Range(0, 10).Select(_ => 0.5 * Simulated.Normal(rng)).ToArray();
        var y = Enumerable.Range(0, n)
            .Select(i => 1 + groupEffect[i % 10] + (0.7 + slopeEffect[i % 10]) * m[i] - 0.3 * x[i] + 0.5 * Simulated.Normal(rng))
            .ToArray();
        var data = new MixedModelData("y", y, [("m", m), ("x", x)], "g", groups);
        var fit = LinearMixedModel.Fit(data, new MixedModelOptions { RandomSlope = "m" });
        Assert.Equal(["(Intercept)", "m", "x"], fit.FixedEffects.Select(f => f.Name));
        Assert.Equal("y ~ m + x + (m | g)", fit.Formula);
        var cov = Matrix<double>.Build.DenseOfArray(new[,]
        {
            { fit.Random.VarIntercept, fit.Random.Covariance },
            { fit.Random.Covariance, fit.Random.VarSlope },
        });
        double expected = DenseLogLikelihood(data, [m, x], cov, fit.ResidualSd, fit.FixedEffects.Select(f => f.Estimate).ToArray(),
            reml: true, slopeColumn: 0);
        Assert.Equal(expected, fit.LogLikelihood, 9);
        Assert.InRange(fit["m"].Estimate, 0.7 - 4 * fit["m"].StdError, 0.7 + 4 * fit["m"].StdError);
    }

    /// <summary>
    /// −½[log|V| + r'V⁻¹r + (n) log 2π] for ML, and for REML −½[log|V| + log|X'V⁻¹X| + r'V⁻¹r + (n−p) log 2π], with
    /// V = σ²I + Z G Z' built in full (n×n) and r = y − Xβ̂.
    /// </summary>
    internal static double DenseLogLikelihood(MixedModelData data, double[][] covariates, Matrix<double> g, double sigma,
        double[] beta, bool reml, int slopeColumn = 0)
    {
        int n = data.ObservationCount, p = covariates.Length + 1;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => j == 0 ? 1 : covariates[j - 1][i]);
        var v = Matrix<double>.Build.DenseIdentity(n) * (sigma * sigma);
        var groups = data.GroupIndex.ToArray();
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            if (groups[i] != groups[j]) continue;
            double zi1 = covariates[slopeColumn][i], zj1 = covariates[slopeColumn][j];
            v[i, j] += g[0, 0] + g[0, 1] * zj1 + g[1, 0] * zi1 + g[1, 1] * zi1 * zj1;
        }
        var r = Vector<double>.Build.DenseOfArray(data.Response.ToArray()) - x * Vector<double>.Build.DenseOfArray(beta);
        var chol = v.Cholesky();
        double quad = r.DotProduct(chol.Solve(r));
        double value = chol.DeterminantLn + quad;
        if (!reml) return -0.5 * (value + n * Math.Log(2 * Math.PI));
        var xtvx = x.TransposeThisAndMultiply(chol.Solve(x));
        return -0.5 * (value + Math.Log(xtvx.Determinant()) + (n - p) * Math.Log(2 * Math.PI));
    }

    [Theory]
    [InlineData(RandomEffects.Correlated, true)]
    [InlineData(RandomEffects.Correlated, false)]
    [InlineData(RandomEffects.Uncorrelated, true)]
    [InlineData(RandomEffects.InterceptOnly, false)]
    public void AnalyticGradientMatchesFiniteDifferences(RandomEffects structure, bool reml)
    {
        var data = LmeFixtures.Data("unbalanced");
        var options = new MixedModelOptions { RandomEffects = structure, Reml = reml };
        double[] theta = structure switch
        {
            RandomEffects.Correlated => [0.7, -0.3, 0.4],
            RandomEffects.Uncorrelated => [0.7, 0.4],
            _ => [0.7],
        };
        var gradient = LinearMixedModel.CriterionGradient(data, options, theta);
        for (int j = 0; j < theta.Length; j++)
        {
            double h = 1e-5;
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (LinearMixedModel.EvaluateCriterion(data, options, plus).Criterion -
                              LinearMixedModel.EvaluateCriterion(data, options, minus).Criterion) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)),
                $"∂/∂θ[{j}]: analytic {gradient[j]}, numeric {numeric}");
        }
    }

    [Fact]
    public void RowOrderAndGroupLabelsDoNotChangeTheFit()
    {
        var data = LmeFixtures.Data("simple");
        var n = data.ObservationCount;
        var order = Enumerable.Range(0, n).OrderBy(i => (i * 7919) % n).ToArray();
        var y = order.Select(i => data.Response[i]).ToArray();
        var x = order.Select(i => data.Covariate(0)[i]).ToArray();
        var g = order.Select(i => "group " + data.GroupLabels[data.GroupIndex[i]]).ToArray();
        var shuffled = LinearMixedModel.Fit(MixedModelData.Create(y, x, g));
        var original = LmeFixtures.OurFit("simple", "corr", true);
        Assert.Equal(original.LogLikelihood, shuffled.LogLikelihood, 8);
        Assert.Equal(original.FixedEffects[1].Estimate, shuffled.FixedEffects[1].Estimate, 8);
        // labels are not all numeric: ordinal order, "group 1", "group 10", …
        Assert.Equal("group 1", shuffled.ConditionalModes.Groups[0]);
        Assert.Equal("group 10", shuffled.ConditionalModes.Groups[1]);
    }

    [Fact]
    public void IntegerGroupLabelsAreOrderedNumericallyLikeAFactor()
    {
        var data = MixedModelData.Create([1.0, 2, 3, 4, 5, 6], [1.0, 2, 3, 1, 2, 3], ["10", "10", "9", "9", "2", "2"]);
        Assert.Equal(["2", "9", "10"], data.GroupLabels);
    }

    [Fact]
    public void SingularFitIsReportedWithAWarningNotAnError()
    {
        // no slope variation at all: the random-slope variance sits at zero
        var rng = new Random(8);
        var groups = Enumerable.Range(0, 300).Select(i => i / 10).ToArray();
        var intercepts = Enumerable.Range(0, 30).Select(_ => Simulated.Normal(rng)).ToArray();
        var x = Enumerable.Range(0, 300).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 300).Select(i => intercepts[groups[i]] + 2 * x[i] + 0.1 * Simulated.Normal(rng)).ToArray();
        var fit = LinearMixedModel.Fit(MixedModelData.Create(y, x, groups), new MixedModelOptions { RandomEffects = RandomEffects.Uncorrelated, Reml = false });
        Assert.True(fit.IsSingular);
        Assert.Contains(fit.Warnings, w => w.Contains("singular"));
        Assert.True(fit.Random.SdSlope < 1e-4 * fit.ResidualSd);
        Assert.InRange(fit.FixedEffects[1].Estimate, 1.9, 2.1);
    }

    public static TheoryData<string, Func<MixedModelData>, RandomEffects> BadData() => new()
    {
        { "at least 2 groups", () => MixedModelData.Create([1.0, 2, 3, 4], [1.0, 2, 3, 5], [1, 1, 1, 1]), RandomEffects.InterceptOnly },
        { "exceed the number of groups", () => MixedModelData.Create([1.0, 2, 3], [1.0, 2, 3], [1, 2, 3]), RandomEffects.InterceptOnly },
        { "unidentifiable", () => MixedModelData.Create([1.0, 2, 3, 4, 5, 6], [1.0, 2, 3, 4, 5, 7], [1, 1, 2, 2, 3, 3]), RandomEffects.Correlated },
        { "covariate x is constant", () => MixedModelData.Create([1.0, 2, 3, 4, 5, 6], [1.0, 1, 1, 1, 1, 1], [1, 1, 1, 2, 2, 2]), RandomEffects.InterceptOnly },
        { "response y is constant", () => MixedModelData.Create([1.0, 1, 1, 1, 1, 1], [1.0, 2, 3, 4, 5, 6], [1, 1, 1, 2, 2, 2]), RandomEffects.InterceptOnly },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void DataTheModelCannotFitGiveAClearError(string message, Func<MixedModelData> data, RandomEffects structure)
    {
        var e = Assert.Throws<ArgumentException>(() => LinearMixedModel.Fit(data(), new MixedModelOptions { RandomEffects = structure }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void UncorrelatedTermsAreCheckedOneByOneAsLme4Does()
    {
        // 2 observations per group: too few for the 2G effects of (x | g), enough for (1 | g) + (0 + x | g)
        var rng = new Random(4);
        var x = Enumerable.Range(0, 40).Select(_ => Simulated.Normal(rng)).ToArray();
        var y = x.Select(v => 1 + v + Simulated.Normal(rng)).ToArray();
        var g = Enumerable.Range(0, 40).Select(i => i / 2).ToArray();
        var data = MixedModelData.Create(y, x, g);
        Assert.Throws<ArgumentException>(() => LinearMixedModel.Fit(data));
        var fit = LinearMixedModel.Fit(data, new MixedModelOptions { RandomEffects = RandomEffects.Uncorrelated });
        Assert.Equal(20, fit.GroupCount);
    }

    [Fact]
    public void NonFiniteValuesAndMismatchedColumnsAreRejectedWhenTheTableIsBuilt()
    {
        var e = Assert.Throws<ArgumentException>(() => MixedModelData.Create([1.0, double.NaN, 3], [1.0, 2, 3], [1, 2, 3]));
        Assert.Contains("y is NaN in observation 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => MixedModelData.Create([1.0, 2, 3], [1.0, 2], [1, 2, 3]));
        Assert.Contains("x has 2 values", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinearMixedModel.Fit(LmeFixtures.Data("simple"), new MixedModelOptions { RandomSlope = "z" }));
        Assert.Contains("'z' is not a covariate", e.Message);
    }

    [Fact]
    public void LikelihoodRatioTestNeedsNestedOrderAndSameData()
    {
        var small = LmeFixtures.OurFit("simple", "intercept", false);
        var large = LmeFixtures.OurFit("simple", "corr", false);
        Assert.Throws<ArgumentException>(() => LikelihoodRatioTest.Compare(large, small));
        Assert.Throws<ArgumentException>(() => LikelihoodRatioTest.Compare(small, LmeFixtures.OurFit("unbalanced", "corr", false)));
        var test = LikelihoodRatioTest.Compare(small, large);
        Assert.False(test.RefittedWithMaximumLikelihood);
        Assert.Equal(2, test.Df);
    }

    [Fact]
    public void ResidualDegreesOfFreedomAreNMinusP()
    {
        var fit = LinearMixedModel.Fit(LmeFixtures.Data("simple"), new MixedModelOptions { DegreesOfFreedom = DegreesOfFreedomMethod.Residual });
        Assert.All(fit.FixedEffects, f => Assert.Equal(598, f.Df));
        var satterthwaite = LmeFixtures.OurFit("simple", "corr", true);
        Assert.Equal(satterthwaite.FixedEffects[1].Estimate, fit.FixedEffects[1].Estimate, 12);
        double p = 2 * (1 - MathNet.Numerics.Distributions.StudentT.CDF(0, 1, 598, Math.Abs(fit.FixedEffects[1].TValue)));
        Assert.Equal(p, fit.FixedEffects[1].PValue, 10);
    }
}
