using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

public class LearningModesTests
{
    private const double Chance = 1.0 / 3, Final = 0.93;

    /// <summary>A curve from a shape function of the checkpoint, with seeded noise, 101 checkpoints.</summary>
    private static double[] Curve(Func<int, double> shape, int seed, double noise = 0.01)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 101).Select(c => shape(c) + noise * Simulated.Normal(rng)).ToArray();
    }

    private static double Rise(int c, int onset, double rate) =>
        c < onset ? Chance : Chance + (Final - Chance) * (1 - Math.Exp(-(c - onset) / rate));

    internal static double[] ModeOne(int seed, int plateau = 20) => Curve(c => Rise(c, plateau, 4), seed);

    internal static double[] ModeTwo(int seed) => Curve(c =>
        c < 4 ? Chance + (0.85 - Chance) * c / 4.0
        : c < 20 ? 0.85 - (0.85 - 0.5) * (c - 4) / 16.0
        : 0.5 + (Final - 0.5) * (1 - Math.Exp(-(c - 20) / 6.0)), seed);

    internal static double[] InstantLearner(int seed) => Curve(c => Rise(c, 0, 1.5), seed);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SyntheticCurvesOfEachShapeGetTheirMode(int seed)
    {
        Assert.Equal(LearningMode.ModeI, LearningModes.Classify(ModeOne(seed)).Mode);
        Assert.Equal(LearningMode.ModeI, LearningModes.Classify(ModeOne(seed, plateau: 30)).Mode);
        Assert.Equal(LearningMode.ModeII, LearningModes.Classify(ModeTwo(seed)).Mode);
        Assert.Equal(LearningMode.Instant, LearningModes.Classify(InstantLearner(seed)).Mode);
        // never learns; a plateau too short for mode I and too long for instant; learns at once, then partly forgets
        Assert.Equal(LearningMode.Other, LearningModes.Classify(Curve(_ => Chance, seed)).Mode);
        Assert.Equal(LearningMode.Other, LearningModes.Classify(Curve(c => Rise(c, 3, 2), seed)).Mode);
        Assert.Equal(LearningMode.Other, LearningModes.Classify(Curve(c => c < 3 ? Rise(c, 0, 1) : c < 30 ? 0.9 : 0.6, seed)).Mode);
    }

    [Fact]
    public void LabelReportsTheFeaturesThatDecidedIt()
    {
        var one = LearningModes.Classify(ModeOne(4, plateau: 15));
        Assert.InRange(one.PlateauLength, 14, 17);
        Assert.Equal(Final, one.LearnedLevel, 0.02);
        Assert.Contains("checkpoints at chance", one.Reason);
        var two = LearningModes.Classify(ModeTwo(4));
        Assert.InRange(two.EarlyPeakCheckpoint, 3, 5);
        Assert.InRange(two.Dip, 0.5, 0.7);
        var never = LearningModes.Classify(Curve(_ => Chance, 4));
        Assert.Contains("never learned", never.Reason);
    }

    [Fact]
    public void ThresholdsAreConfigurable()
    {
        var shortPlateau = ModeOne(5, plateau: 3);
        Assert.Equal(LearningMode.Other, LearningModes.Classify(shortPlateau).Mode);
        Assert.Equal(LearningMode.ModeI, LearningModes.Classify(shortPlateau, new LearningModeRule { MinimumPlateau = 3 }).Mode);
        // with plain accuracy the chance level is 2/3: a curve from 2/3 to 0.95 after a plateau is mode I there
        var plain = Curve(c => c < 12 ? 2.0 / 3 : 2.0 / 3 + (0.95 - 2.0 / 3) * (1 - Math.Exp(-(c - 12) / 4.0)), 6, 0.005);
        Assert.Equal(LearningMode.ModeI, LearningModes.Classify(plain, new LearningModeRule { ChanceLevel = 2.0 / 3 }).Mode);
        Assert.Throws<ArgumentException>(() => LearningModes.Classify(plain, new LearningModeRule { Smoothing = 2 }));
        Assert.Throws<ArgumentException>(() => LearningModes.Classify(plain.AsSpan(0, 5)));
    }

    [Fact]
    public void LabelsAreReproducibleAndPerModeCurvesAverageTheirMembers()
    {
        var curves = new[] { ModeOne(1), ModeOne(2), ModeTwo(3), InstantLearner(4) };
        var labels = LearningModes.Classify(curves);
        Assert.Equal(labels, LearningModes.Classify(curves));
        var perMode = LearningModes.MeanCurves(curves, labels);
        Assert.Equal([LearningMode.ModeI, LearningMode.ModeII, LearningMode.Instant], perMode.Select(p => p.Mode));
        Assert.Equal(2, perMode[0].Instances);
        Assert.Equal((curves[0][50] + curves[1][50]) / 2, perMode[0].Mean[50], 14);
    }
}
