using AnnScope.Models;

namespace AnnScope.Tests.Models;

public class HebbffLearningTests
{
    /// <summary>
    /// The acceptance setting: N 100, M 100, R 3, T 500, P 0.5, anti-Hebbian, 8 seeded instances, 1000
    /// epochs. The original code reaches about 0.95 test accuracy here; untrained networks sit near chance.
    /// The one slow test of the area (about 15 s on two idle cores).
    /// </summary>
    [Fact]
    public void AntiHebbianInstancesLearnTheFamiliarityTask()
    {
        var config = new HebbffConfig
        {
            Instances = 8, InputDim = 100, Hidden = 100, RepeatInterval = 3, RepeatProbability = 0.5, Length = 500,
            Plasticity = Plasticity.Anti, Epochs = 1000, CheckpointEvery = 1000, Seed = 2024,
        };
        using var trainer = new HebbffTrainer(config, Contexts.Two);
        var checkpoints = trainer.Train().ToList();
        Assert.Equal([0, 1000], checkpoints.Select(c => c.Epoch));
        double Median(IEnumerable<double> v) { var s = v.Order().ToArray(); return (s[3] + s[4]) / 2; }
        double before = Median(checkpoints[0].Metrics.Select(m => m.Accuracy));
        double after = Median(checkpoints[1].Metrics.Select(m => m.Accuracy));
        double paper = Median(checkpoints[1].Metrics.Select(m => m.PaperAccuracy));
        Assert.True(before < 0.75, $"untrained median accuracy {before:F3}");
        Assert.True(after >= 0.90, $"median test accuracy after 1000 epochs {after:F3} (paper_accuracy {paper:F3})");
        Assert.True(paper >= 0.85, $"median paper_accuracy after 1000 epochs {paper:F3}");
        Assert.All(checkpoints[1].Metrics, m => Assert.True(m.Eta < 0, "anti-Hebbian η must stay negative"));
    }
}
