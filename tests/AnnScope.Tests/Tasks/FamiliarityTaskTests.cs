using AnnScope.Models;
using AnnScope.Tasks;

namespace AnnScope.Tests.Tasks;

public class FamiliarityTaskTests
{
    private static bool SameItem(FamiliaritySequence s, int t, int u) => s.Item(t).SequenceEqual(s.Item(u));

    [Theory]
    [InlineData(100, 5, 0.5, 3000)]
    [InlineData(64, 2, 0.3, 500)] // N large enough that fresh items never collide by chance
    [InlineData(130, 1, 0.9, 800)]
    public void LabelsFollowTheRepeatRule(int n, int r, double p, int length)
    {
        var task = new FamiliarityTask { InputDim = n, RepeatInterval = r, RepeatProbability = p, Length = length };
        var s = task.Generate(11, 4, SequenceRole.Train);
        Assert.All(s.X, v => Assert.True(v is 1f or -1f));
        for (int t = 0; t < length; t++)
        {
            if (t < r)
            {
                Assert.Equal(0f, s.Y[t]);
                continue;
            }
            if (s.Y[t] == 1)
            {
                Assert.True(SameItem(s, t, t - r), $"step {t} is labelled familiar but differs from step {t - r}");
                Assert.Equal(0f, s.Y[t - r]); // without multiRep only novel items are repeated
            }
            else Assert.False(SameItem(s, t, t - r), $"step {t} is labelled novel but repeats step {t - r}");
        }
        // every item appears at most twice
        var counts = Enumerable.Range(0, length).GroupBy(t => string.Join(',', s.Item(t).ToArray())).Select(g => g.Count());
        Assert.True(counts.Max() <= 2);
    }

    [Theory]
    [InlineData(0.5, false, 1.0 / 3)]
    [InlineData(0.2, false, 0.2 / 1.2)]
    [InlineData(1.0, false, 0.5)]
    [InlineData(0.5, true, 0.5)]
    [InlineData(0.0, false, 0.0)]
    public void FamiliarFractionTendsToTheory(double p, bool multiRep, double expected)
    {
        var task = new FamiliarityTask { InputDim = 4, RepeatInterval = 3, RepeatProbability = p, Length = 60000, MultiRep = multiRep };
        var s = task.Generate(2, 0, SequenceRole.Test);
        Assert.Equal(expected, s.FamiliarFraction, 0.012);
    }

    [Fact]
    public void MultiRepRepeatsRepeats()
    {
        var task = new FamiliarityTask { InputDim = 16, RepeatInterval = 2, RepeatProbability = 0.8, Length = 400, MultiRep = true };
        var s = task.Generate(5, 0, SequenceRole.Train);
        Assert.Contains(Enumerable.Range(4, 396), t => s.Y[t] == 1 && s.Y[t - 2] == 1);
        for (int t = 2; t < 400; t++)
            if (s.Y[t] == 1) Assert.True(SameItem(s, t, t - 2));
    }

    [Fact]
    public void SequencesArePureFunctionsOfSeedInstanceAndRole()
    {
        var task = new FamiliarityTask { InputDim = 20, RepeatInterval = 3, Length = 200 };
        var a = task.Generate(7, 3, SequenceRole.Train);
        Assert.Equal(a.X, task.Generate(7, 3, SequenceRole.Train).X);
        Assert.Equal(a.Y, task.Generate(7, 3, SequenceRole.Train).Y);
        Assert.NotEqual(a.X, task.Generate(7, 3, SequenceRole.Test).X);
        Assert.NotEqual(a.X, task.Generate(7, 4, SequenceRole.Train).X);
        Assert.NotEqual(a.X, task.Generate(8, 3, SequenceRole.Train).X);

        // a batch generated in parallel holds exactly the per-instance sequences, whatever the order of work
        var config = new HebbffConfig { Instances = 6, InputDim = 20, Hidden = 4, RepeatInterval = 3, Length = 200, Seed = 7 };
        var (x, y) = HebbffTrainer.GenerateSequences(config, SequenceRole.Train);
        Assert.Equal(a.X, x.AsSpan(3 * 200 * 20, 200 * 20).ToArray());
        Assert.Equal(a.Y, y.AsSpan(3 * 200, 200).ToArray());
        var shared = HebbffTrainer.GenerateSequences(config with { SharedData = true }, SequenceRole.Train);
        Assert.Equal(shared.X.AsSpan(0, 4000).ToArray(), shared.X.AsSpan(5 * 4000, 4000).ToArray());
    }

    [Fact]
    public void ItemsAreFairCoinFlips()
    {
        var task = new FamiliarityTask { InputDim = 100, RepeatProbability = 0, Length = 2000 };
        var s = task.Generate(1, 0, SequenceRole.Train);
        Assert.Equal(0.0, s.X.Average(v => (double)v), 0.01);
        // neighbouring coordinates are uncorrelated
        double c = 0;
        for (int t = 0; t < 2000; t++)
        for (int j = 0; j + 1 < 100; j++) c += s.X[t * 100 + j] * s.X[t * 100 + j + 1];
        Assert.Equal(0.0, c / (2000 * 99), 0.01);
    }

    [Theory]
    [InlineData(0, 5, 0.5, 100, "input dimension")]
    [InlineData(10, 0, 0.5, 100, "repeat interval")]
    [InlineData(10, 100, 0.5, 100, "smaller than the sequence length")]
    [InlineData(10, 5, 1.5, 100, "repeat probability")]
    [InlineData(10, 5, double.NaN, 100, "repeat probability")]
    [InlineData(10, 5, 0.5, 0, "sequence length")]
    public void BadSettingsAreRefusedWithTheirName(int n, int r, double p, int length, string message)
    {
        var task = new FamiliarityTask { InputDim = n, RepeatInterval = r, RepeatProbability = p, Length = length };
        var e = Assert.Throws<ArgumentException>(() => task.Generate(0, 0, SequenceRole.Train));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void CounterRandomIsUniformAndNormal()
    {
        var rng = CounterRandom.For(3, 1, 2);
        var u = Enumerable.Range(0, 200000).Select(i => rng.Uniform((ulong)i)).ToArray();
        Assert.All(u, v => Assert.InRange(v, 0.0, 1.0 - 1e-17));
        Assert.Equal(0.5, u.Average(), 0.005);
        Assert.Equal(1.0 / 12, u.Select(v => (v - 0.5) * (v - 0.5)).Average(), 0.002);
        var z = Enumerable.Range(0, 100000).Select(i => rng.Normal((ulong)i)).ToArray();
        Assert.Equal(0.0, z.Average(), 0.02);
        Assert.Equal(1.0, z.Select(v => v * v).Average(), 0.02);
        Assert.Equal(3.0, z.Select(v => v * v * v * v).Average(), 0.15);
        Assert.NotEqual(CounterRandom.For(3, 1, 2).Bits(0), CounterRandom.For(3, 2, 1).Bits(0));
        Assert.Equal(CounterRandom.For(3, 1, 2).Bits(17), rng.Bits(17));
    }
}
