using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

public class MediationTests
{
    internal const double TrueA = 0.6, TrueB = 0.8, TrueDirect = 0.3;

    /// <summary>x → m → y with a group offset on m and y: m = a x + u_m + e, y = b m + c' x + u_y + e.</summary>
    internal static (double[] X, double[] M, double[] Y, string[] G) Chain(int seed, int groups, int perGroup)
    {
        var rng = new Random(seed);
        int n = groups * perGroup;
        var x = new double[n];
        var m = new double[n];
        var y = new double[n];
        var g = new string[n];
        for (int i = 0; i < groups; i++)
        {
            double um = 0.5 * Simulated.Normal(rng), uy = 0.5 * Simulated.Normal(rng);
            for (int j = 0; j < perGroup; j++)
            {
                int k = i * perGroup + j;
                x[k] = j + Simulated.Normal(rng);
                m[k] = TrueA * x[k] + um + Simulated.Normal(rng);
                y[k] = TrueB * m[k] + TrueDirect * x[k] + uy + Simulated.Normal(rng);
                g[k] = "instance " + i;
            }
        }
        return (x, m, y, g);
    }

    [Fact]
    public void OrdinaryLeastSquaresPathsSatisfyTotalEqualsDirectPlusIndirect()
    {
        var (x, m, y, g) = Chain(1, 30, 15);
        var r = Mediation.Analyse(x, m, y, g, new MediationOptions { Estimator = MediationEstimator.OrdinaryLeastSquares, BootstrapSamples = 0 });
        // an algebraic identity of least squares, whatever the data
        Assert.Equal(r.Total.Estimate, r.Direct.Estimate + r.A.Estimate * r.B.Estimate, 10);
        Assert.Equal(r.A.Estimate * r.B.Estimate, r.Indirect, 14);
        Assert.True(double.IsNaN(r.IndirectCiLower));
        // and the paths match a direct least-squares fit
        var both = OrdinaryLeastSquares.Fit(y, [("m", m), ("x", x)]);
        Assert.Equal(both["m"].Estimate, r.B.Estimate, 12);
        Assert.Equal(both["m"].StdError, r.B.StdError, 12);
    }

    [Fact]
    public void MixedModelPathsRecoverTheGeneratingEffectsWithBootstrapIntervals()
    {
        var (x, m, y, g) = Chain(2, 40, 15);
        var r = Mediation.Analyse(x, m, y, g, new MediationOptions { BootstrapSamples = 300, Seed = 5 });
        Assert.InRange(r.A.Estimate, TrueA - 4 * r.A.StdError, TrueA + 4 * r.A.StdError);
        Assert.InRange(r.B.Estimate, TrueB - 4 * r.B.StdError, TrueB + 4 * r.B.StdError);
        Assert.InRange(r.Direct.Estimate, TrueDirect - 4 * r.Direct.StdError, TrueDirect + 4 * r.Direct.StdError);
        Assert.InRange(TrueA * TrueB, r.IndirectCiLower, r.IndirectCiUpper);
        Assert.True(r.IndirectCiLower < r.Indirect && r.Indirect < r.IndirectCiUpper);
        Assert.InRange(r.A.Estimate, r.A.CiLower, r.A.CiUpper);
        Assert.Equal(0, r.BootstrapFailures);
        Assert.Equal(40, r.GroupCount);
        Assert.InRange(r.ProportionMediated, 0.4, 0.9);
        // the a path is the fixed effect of a mixed model M ~ X + (1 | g)
        var a = LinearMixedModel.Fit(MixedModelData.Create(m, x, g, "m", "x", "g"), new MixedModelOptions { RandomEffects = RandomEffects.InterceptOnly });
        Assert.Equal(a["x"].Estimate, r.A.Estimate, 12);
        Assert.Equal(a["x"].PValue, r.A.PValue, 12);
    }

    [Fact]
    public void BootstrapIsReproducibleForASeed()
    {
        var (x, m, y, g) = Chain(3, 15, 10);
        var options = new MediationOptions { BootstrapSamples = 100, Seed = 42 };
        var first = Mediation.Analyse(x, m, y, g, options);
        var second = Mediation.Analyse(x, m, y, g, options);
        var other = Mediation.Analyse(x, m, y, g, options with { Seed = 43 });
        Assert.Equal(first.IndirectCiLower, second.IndirectCiLower);
        Assert.Equal(first.IndirectCiUpper, second.IndirectCiUpper);
        Assert.Equal(first.IndirectBootstrapSe, second.IndirectBootstrapSe);
        Assert.NotEqual(first.IndirectCiLower, other.IndirectCiLower);
        Assert.Equal(first.Indirect, other.Indirect);
        var oneThread = Mediation.Analyse(x, m, y, g, options with { MaxDegreeOfParallelism = 1 });
        Assert.Equal(first, oneThread with { Options = first.Options });
    }

    [Fact]
    public void RandomSlopesFollowEachPathsFocalPredictor()
    {
        var (x, m, y, g) = Chain(6, 25, 12);
        var r = Mediation.Analyse(x, m, y, g, new MediationOptions { RandomEffects = RandomEffects.Correlated, BootstrapSamples = 20, Seed = 1 });
        // b and c' come from Y ~ M + X + (M | g)
        var bModel = LinearMixedModel.Fit(new MixedModelData("y", y, [("m", m), ("x", x)], "g", g),
            new MixedModelOptions { RandomSlope = "m", DegreesOfFreedom = DegreesOfFreedomMethod.Residual });
        Assert.Equal(bModel["m"].Estimate, r.B.Estimate, 12);
        Assert.Equal(bModel["x"].Estimate, r.Direct.Estimate, 12);
        var total = LinearMixedModel.Fit(MixedModelData.Create(y, x, g), new MixedModelOptions { DegreesOfFreedom = DegreesOfFreedomMethod.Residual });
        Assert.Equal(total["x"].Estimate, r.Total.Estimate, 12);
        Assert.Equal(20, r.BootstrapSamples - r.BootstrapFailures);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        var (x, m, y, g) = Chain(3, 5, 6);
        Assert.Throws<ArgumentException>(() => Mediation.Analyse(x, m, y, g, new MediationOptions { BootstrapSamples = -1 }));
        Assert.Throws<ArgumentException>(() => Mediation.Analyse(x, m, y, g, new MediationOptions { ConfidenceLevel = 1 }));
        Assert.Throws<ArgumentException>(() => Mediation.Analyse(x, m, y, g, null, "a", "a", "b"));
        var constant = x.Select(_ => 1.0).ToArray();
        Assert.Throws<ArgumentException>(() => Mediation.Analyse(constant, m, y, g, new MediationOptions { BootstrapSamples = 0 }));
    }
}
