using AnnScope.Statistics;
using AnnScope.Statistics.Claims;

namespace AnnScope.Tests.Statistics;

/// <summary>Each claim rule on constructed curves whose outcome is known by construction: holding, failing, untestable.</summary>
public class PaperClaimsTests
{
    private const int Instances = 20, Checkpoints = 41;
    private static readonly int[] Epochs = Enumerable.Range(0, Checkpoints).Select(c => 10 * c).ToArray();

    /// <summary>curve(instance, checkpoint, rng) for every instance.</summary>
    private static double[][] Curves(Func<int, int, Random, double> f, int seed = 1, int instances = Instances)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, instances).Select(i => Enumerable.Range(0, Checkpoints).Select(c => f(i, c, rng)).ToArray()).ToArray();
    }

    private static ClaimEvidence Evidence(params (string Name, double[][] Curves)[] curves) => new()
    {
        Epochs = Epochs,
        AccuracyColumn = "paper_accuracy",
        Curves = curves.ToDictionary(c => c.Name, c => c.Curves),
    };

    private static ClaimResult Claim(ClaimEvidence evidence, string id) => PaperClaims.Evaluate(evidence).Single(c => c.Id == id);

    private static double Noise(Random rng, double sd) => sd * Simulated.Normal(rng);

    /// <summary>Learning curves rising from chance to about 0.95, each instance at its own pace.</summary>
    private static double[][] Accuracy(int seed = 1) =>
        Curves((i, c, rng) => 1.0 / 3 + (0.62 + 0.002 * i) / (1 + Math.Exp(-(c - 8 - 0.3 * i) / 2.0)) + Noise(rng, 0.01), seed);

    [Fact]
    public void EveryClaimOfTheFiguresIsJudged()
    {
        var ids = PaperClaims.Evaluate(Evidence()).Select(c => c.Id).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        foreach (var figure in new[] { "2A", "2B", "2C", "3A", "3B", "3C", "3D", "3E", "3F", "4A", "4B", "4C", "4D", "S1", "5B", "5C", "5D", "6" })
            Assert.Contains(PaperClaims.Evaluate(Evidence()), c => c.Figure == figure);
        // nothing measured: nothing can be tested
        Assert.All(PaperClaims.Evaluate(Evidence()), c => Assert.Equal(ClaimVerdict.NotTestable, c.Verdict));
    }

    [Fact]
    public void ModularityRisesOrNot()
    {
        var rising = Curves((i, c, rng) => 0.02 + 0.001 * c + Noise(rng, 0.002));
        var flat = Curves((i, c, rng) => 0.02 + Noise(rng, 0.002));
        Assert.Equal(ClaimVerdict.Holds, Claim(Evidence(("multilayer_modularity", rising)), "modularity_rises").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(Evidence(("multilayer_modularity", flat)), "modularity_rises").Verdict);
        var few = Curves((i, c, rng) => 0.02 + 0.001 * c, instances: 3);
        Assert.Equal(ClaimVerdict.NotTestable, Claim(Evidence(("multilayer_modularity", few)), "modularity_rises").Verdict);
    }

    [Fact]
    public void CommunitiesMustFallEarlyNotLate()
    {
        var early = Curves((i, c, rng) => 8 + 35 * Math.Exp(-c / 3.0) + Noise(rng, 1));
        var late = Curves((i, c, rng) => 43 - 35.0 / (1 + Math.Exp(-(c - 30) / 2.0)) + Noise(rng, 1));
        Assert.Equal(ClaimVerdict.Holds, Claim(Evidence(("multilayer_communities", early)), "communities_fall_early").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(Evidence(("multilayer_communities", late)), "communities_fall_early").Verdict);
    }

    [Fact]
    public void CorrelationMustFallThroughout()
    {
        var steady = Curves((i, c, rng) => 0.82 - 0.009 * c + Noise(rng, 0.01));
        var bounce = Curves((i, c, rng) => 0.82 - 0.3 * Math.Sin(Math.PI * c / 40.0) + Noise(rng, 0.01));
        Assert.Equal(ClaimVerdict.Holds, Claim(Evidence(("mean_correlation", steady)), "correlation_falls").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(Evidence(("mean_correlation", bounce)), "correlation_falls").Verdict);
    }

    [Fact]
    public void ActivationRisesThenFalls()
    {
        var hump = Curves((i, c, rng) => -0.7 + (c <= 4 ? 0.05 * c : 0.2 - 0.01 * (c - 4)) + Noise(rng, 0.01));
        var falling = Curves((i, c, rng) => -0.7 - 0.01 * c + Noise(rng, 0.01));
        Assert.Equal(ClaimVerdict.Holds, Claim(Evidence(("mean_activation", hump)), "activation_rises_then_falls").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(Evidence(("mean_activation", falling)), "activation_rises_then_falls").Verdict);
    }

    [Fact]
    public void WithinWindowModularityFollowsAccuracy()
    {
        var accuracy = Accuracy();
        // modularity tracks accuracy tightly mid-training, loosely late: the paper's profile
        var tracking = Curves((i, c, rng) => 0.02 + 0.04 * accuracy[i][c] + Noise(rng, c > 30 ? 0.0012 : 0.0002), seed: 2);
        var unrelated = Curves((i, c, rng) => 0.02 + Noise(rng, 0.002), seed: 3);
        var tracked = Evidence(("paper_accuracy", accuracy), ("multilayer_modularity", tracking));
        Assert.Equal(ClaimVerdict.Holds, Claim(tracked, "within_modularity_positive").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Claim(tracked, "within_modularity_peaks_mid").Verdict);
        var untracked = Evidence(("paper_accuracy", accuracy), ("multilayer_modularity", unrelated));
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(untracked, "within_modularity_positive").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(untracked, "within_modularity_peaks_mid").Verdict);
        // two windows cannot show a peak in the middle
        var shortEvidence = tracked with { CorrelationWindow = 20 };
        Assert.Equal(ClaimVerdict.NotTestable, Claim(shortEvidence, "within_modularity_peaks_mid").Verdict);
    }

    [Fact]
    public void SimpsonsParadoxNeedsOppositeSigns()
    {
        var accuracy = Accuracy();
        double[] final = accuracy.Select(a => a[^1]).ToArray();
        double meanFinal = final.Average();
        // within an instance modularity follows accuracy; across instances, the better learners end less modular
        var paradox = Curves((i, c, rng) => 0.02 + 0.04 * accuracy[i][c] - 2.0 * (final[i] - meanFinal) * Math.Min(1, c / 20.0) + Noise(rng, 0.0003), seed: 4);
        var plain = Curves((i, c, rng) => 0.02 + 0.04 * accuracy[i][c] + Noise(rng, 0.0003), seed: 4);
        var e1 = Evidence(("paper_accuracy", accuracy), ("multilayer_modularity", paradox));
        var e2 = Evidence(("paper_accuracy", accuracy), ("multilayer_modularity", plain));
        Assert.Equal(ClaimVerdict.Holds, Claim(e1, "simpsons_paradox").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Claim(e1, "across_modularity_sign_change").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(e2, "simpsons_paradox").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(e2, "across_modularity_sign_change").Verdict);
    }

    private static MediationPath Path(string name, double estimate, double p) => new(name, estimate, Math.Abs(estimate) / 3, p, double.NaN, double.NaN);

    [Fact]
    public void FullMediationOnlyWhenTheDirectPathIsNotSignificant()
    {
        var full = Evidence() with { Mediation = new(Path("a", -0.112, 1e-9), Path("b_alone", 17.88, 1e-12), Path("total", -1.709, 1e-8), Path("direct", 0.28, 0.10)) };
        var partial = Evidence() with { Mediation = new(Path("a", -0.12, 1e-9), Path("b_alone", 14.2, 1e-12), Path("total", -1.689, 1e-8), Path("direct", -0.63, 1e-47)) };
        var none = Evidence() with { Mediation = new(Path("a", 0.01, 0.6), Path("b_alone", 14.2, 1e-12), Path("total", -1.689, 1e-8), Path("direct", -1.6, 1e-8)) };
        Assert.Equal(ClaimVerdict.Holds, Claim(full, "full_mediation").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(partial, "full_mediation").Verdict);
        Assert.Contains("partial", Claim(partial, "full_mediation").Reason);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(none, "full_mediation").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Claim(partial, "mediation_a").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(none, "mediation_a").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Claim(full, "mediation_b").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Claim(full, "mediation_c").Verdict);
        Assert.Equal(ClaimVerdict.NotTestable, Claim(Evidence(), "mediation_c").Verdict);
    }

    [Fact]
    public void GrangerClaimFollowsTheCombinedTest()
    {
        var yes = Evidence() with { ModularityToAccuracy = new GrangerCombined(20, 0, 12, 4.0, 3e-5, 90, 1e-6) };
        var no = Evidence() with { ModularityToAccuracy = new GrangerCombined(20, 0, 1, 0.2, 0.42, 35, 0.6) };
        Assert.Equal(ClaimVerdict.Holds, Claim(yes, "granger_modularity_to_accuracy").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(no, "granger_modularity_to_accuracy").Verdict);
    }

    [Fact]
    public void TwoModesNeedBothModes()
    {
        var both = Evidence() with { LearningModes = Enumerable.Range(0, Instances).Select(i => i % 2 == 0 ? "I" : "II").ToArray() };
        var one = Evidence() with { LearningModes = Enumerable.Range(0, Instances).Select(i => i % 2 == 0 ? "I" : "instant").ToArray() };
        Assert.Equal(ClaimVerdict.Holds, Claim(both, "two_learning_modes").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(one, "two_learning_modes").Verdict);
        Assert.Equal(ClaimVerdict.NotTestable, Claim(one, "flexibility_monotone_in_modes").Verdict);

        var rising = Curves((i, c, rng) => 0.001 * c + Noise(rng, 0.002));
        var humped = Curves((i, c, rng) => 0.02 * Math.Sin(Math.PI * c / 40.0) + Noise(rng, 0.002));
        Assert.Equal(ClaimVerdict.Holds, Claim(both with { Curves = new Dictionary<string, double[][]> { ["flexibility"] = rising } }, "flexibility_monotone_in_modes").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(both with { Curves = new Dictionary<string, double[][]> { ["flexibility"] = humped } }, "flexibility_monotone_in_modes").Verdict);
    }

    [Fact]
    public void HistogramClaims()
    {
        double[] edges = Enumerable.Range(0, 21).Select(b => -40 + 4.0 * b).ToArray();
        long[] Spread(int centre) => Enumerable.Range(0, 20).Select(b => (long)(1000 * Math.Exp(-Math.Pow(b - 9.5, 2) / (2 * centre * centre)))).ToArray();
        var narrowing = new HistogramSeries(edges, [.. Enumerable.Range(0, Checkpoints).Select(c => Spread(c < 20 ? 6 : 2))]);
        var widening = new HistogramSeries(edges, [.. Enumerable.Range(0, Checkpoints).Select(c => Spread(c < 20 ? 2 : 6))]);
        Assert.Equal(ClaimVerdict.Holds, Claim(Evidence() with { ActivationHistograms = narrowing }, "near_zero_activations_grow").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(Evidence() with { ActivationHistograms = widening }, "near_zero_activations_grow").Verdict);

        double[] r = Enumerable.Range(0, 21).Select(b => -1 + 0.1 * b).ToArray();
        long[] early = [.. Enumerable.Repeat(0L, 16), 10, 50, 200, 900];
        long[] lateWithPeak = [0, 0, 5, 20, 80, 200, 400, 600, 700, 650, 500, 350, 200, 100, 50, 20, 10, 5, 2, 120];
        long[] lateNoPeak = [0, 0, 5, 20, 80, 200, 400, 600, 700, 650, 500, 350, 200, 100, 50, 20, 10, 5, 2, 1];
        var moves = new HistogramSeries(r, [.. Enumerable.Range(0, Checkpoints).Select(c => c == 0 ? early : lateWithPeak)]);
        var noPeak = new HistogramSeries(r, [.. Enumerable.Range(0, Checkpoints).Select(c => c == 0 ? early : lateNoPeak)]);
        Assert.Equal(ClaimVerdict.Holds, Claim(Evidence() with { CorrelationHistograms = moves }, "correlations_move_to_zero").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(Evidence() with { CorrelationHistograms = noPeak }, "correlations_move_to_zero").Verdict);
    }

    [Fact]
    public void AllegianceModulesMustSharpen()
    {
        var rng = new Random(7);
        double[] Around(double v) => Enumerable.Range(0, Instances).Select(_ => v + Noise(rng, 0.02)).ToArray();
        var sharpening = Evidence() with { Allegiance = [new(0, Around(0)), new(100, Around(0.2)), new(400, Around(0.6))] };
        var blurring = Evidence() with { Allegiance = [new(0, Around(0)), new(100, Around(0.4)), new(400, Around(0.2))] };
        Assert.Equal(ClaimVerdict.Holds, Claim(sharpening, "allegiance_modules").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(blurring, "allegiance_modules").Verdict);
        Assert.Equal(ClaimVerdict.NotTestable, Claim(Evidence() with { Allegiance = [new(0, Around(0))] }, "allegiance_modules").Verdict);
    }

    [Fact]
    public void StrengthControlSeparatesARelationCarriedByStrength()
    {
        var accuracy = Accuracy();
        // connection strength falls as accuracy rises, each with its own noise
        var strength = Curves((i, c, rng) => 0.9 - 0.4 * accuracy[i][c] + Noise(rng, 0.01), seed: 8);
        // a modularity that is nothing but strength, and one that follows accuracy on its own
        var carried = Curves((i, c, rng) => 0.1 - 0.1 * strength[i][c] + Noise(rng, 0.00005), seed: 9);
        var own = Curves((i, c, rng) => 0.02 + 0.04 * accuracy[i][c] + Noise(rng, 0.0002), seed: 10);
        var e1 = Evidence(("paper_accuracy", accuracy), ("mean_correlation", strength), ("multilayer_modularity", carried));
        var e2 = Evidence(("paper_accuracy", accuracy), ("mean_correlation", strength), ("multilayer_modularity", own));
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(e1, "control_strength_multilayer_modularity").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Claim(e2, "control_strength_multilayer_modularity").Verdict);
    }

    [Fact]
    public void ShuffledNullMustRelateLess()
    {
        var accuracy = Accuracy();
        var own = Curves((i, c, rng) => 0.02 + 0.04 * accuracy[i][c] + Noise(rng, 0.0003), seed: 11);
        double[][] OnSubset(double[][] x) => x.Select(curve => curve.Select((v, c) => c % 2 == 0 ? v : double.NaN).ToArray()).ToArray();
        var noise = OnSubset(Curves((i, c, rng) => 0.01 + Noise(rng, 0.001), seed: 12));
        var same = OnSubset(own);
        var e = Evidence(("paper_accuracy", accuracy), ("multilayer_modularity", own));
        Assert.Equal(ClaimVerdict.Holds, Claim(e with { NullCurves = new Dictionary<string, double[][]> { ["multilayer_modularity"] = noise } }, "null_shuffle_multilayer_modularity").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Claim(e with { NullCurves = new Dictionary<string, double[][]> { ["multilayer_modularity"] = same } }, "null_shuffle_multilayer_modularity").Verdict);
        Assert.Equal(ClaimVerdict.NotTestable, Claim(e, "null_shuffle_multilayer_modularity").Verdict);
    }

    [Fact]
    public void RulesAreValidated()
    {
        Assert.Throws<ArgumentException>(() => PaperClaims.Evaluate(Evidence(), new ClaimRules { Alpha = 0 }));
        Assert.Throws<ArgumentException>(() => PaperClaims.Evaluate(Evidence(), new ClaimRules { MinimumInstances = 1 }));
        // a stricter threshold turns a holding claim into a failing one
        var accuracy = Accuracy();
        var tracking = Curves((i, c, rng) => 0.02 + 0.04 * accuracy[i][c] + Noise(rng, c > 30 ? 0.0012 : 0.0002), seed: 2);
        var e = Evidence(("paper_accuracy", accuracy), ("multilayer_modularity", tracking));
        Assert.Equal(ClaimVerdict.Holds, PaperClaims.Evaluate(e).Single(c => c.Id == "within_modularity_peaks_mid").Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, PaperClaims.Evaluate(e, new ClaimRules { NearOne = 1 }).Single(c => c.Id == "within_modularity_peaks_mid").Verdict);
    }
}
