using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Studies;

/// <summary>
/// One owner of a study's cores: training and analysis together never ask for more threads than cores, whichever
/// waits lends its cores, the activation buffers are reused rather than reallocated, and none of it changes results.
/// </summary>
public class StudyThreadingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    public void TrainingAndAnalysisTogetherNeverAskForMoreThreadsThanCores(int cores)
    {
        var budget = new CoreBudget(cores);
        budget.Training(true);
        budget.AnalysisQueued();
        Assert.True(budget.TrainingThreads + budget.AnalysisThreads <= cores,
            $"{budget.TrainingThreads} training + {budget.AnalysisThreads} analysis threads on {cores} cores");
        Assert.True(budget.TrainingThreads >= 1 && budget.AnalysisThreads >= 1);
        // training costs about three times the analysis: it keeps most of the cores
        Assert.True(budget.TrainingThreads >= budget.AnalysisThreads);
    }

    [Fact]
    public void WhicheverSideWaitsLendsItsCoresToTheOther()
    {
        var budget = new CoreBudget(4);
        budget.Training(true);
        Assert.Equal(4, budget.TrainingThreads); // the analysis has nothing to do
        budget.AnalysisQueued(); // a checkpoint handed over: the next epoch already leaves the analysis its share
        budget.AnalysisQueued(); // and another behind it
        Assert.Equal(3, budget.TrainingThreads);
        Assert.Equal(1, budget.AnalysisThreads);
        budget.AnalysisDone();
        Assert.Equal(3, budget.TrainingThreads); // one still waits for the analysis
        budget.Training(false); // training waits for a buffer, or is done
        Assert.Equal(4, budget.AnalysisThreads);
        budget.AnalysisDone();
        budget.Training(true);
        Assert.Equal(4, budget.TrainingThreads);
    }

    [Fact]
    public void OneCoreIsSharedNotRefused()
    {
        var budget = new CoreBudget(0);
        Assert.Equal(1, budget.Cores);
        budget.Training(true);
        budget.AnalysisQueued();
        Assert.Equal(1, budget.TrainingThreads);
        Assert.Equal(1, budget.AnalysisThreads);
    }

    [Fact]
    public void TheBudgetSetsTheThreadsOfTheContextEachSideOwns()
    {
        using var context = new ComputeContext(ComputeBackend.Mkl, 4);
        var budget = new CoreBudget(4);
        budget.Training(true);
        budget.AnalysisQueued();
        Assert.Equal(1, budget.ForAnalysis(context));
        Assert.Equal(1, context.Threads);
        budget.AnalysisDone();
        Assert.Equal(4, budget.ForTraining(context));
        Assert.Equal(4, context.Threads);
    }

    [Fact]
    public void ActivationBuffersAreReusedAndASourceRunningAheadWaits()
    {
        using var buffers = new ActivationBuffers(2, 1000);
        var first = buffers.Rent(CancellationToken.None);
        var second = buffers.Rent(CancellationToken.None);
        Assert.NotSame(first, second);
        using (var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            Assert.ThrowsAny<OperationCanceledException>(() => buffers.Rent(soon.Token));

        buffers.Return(first);
        buffers.Return(first); // twice: ignored, not a second free buffer
        buffers.Return(new float[1000]); // not one of the pool's
        Assert.Same(first, buffers.Rent(CancellationToken.None));
        using (var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            Assert.ThrowsAny<OperationCanceledException>(() => buffers.Rent(soon.Token));
        Assert.Equal(2, buffers.Created);
    }

    [Fact]
    public void AStudyGivesTheSameBytesOnOneTwoAndThreeThreads()
    {
        using var dir = new TempDir();
        var config = StudyPresets.Quick with
        {
            Instances = 5, Epochs = 30, CheckpointEvery = 10, Length = 200, Windows = 10, Hidden = 16, InputDim = 16, RepeatInterval = 3,
            Runs = 2, StaticRuns = 2, MediationBootstrap = 10, CorrelationWindow = 3,
        };
        string[] tables = ["checkpoints.csv", "runs.csv", "histograms.csv"];
        string[]? expected = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var study = dir.File($"threads-{threads}");
            Assert.Equal(StudyOutcome.Complete, Study.Run(config with { Threads = threads }, study, resume: false, progress: null, CancellationToken.None));
            var bytes = tables.Select(t => File.ReadAllText(Path.Combine(study, t))).ToArray();
            // study.json profiles the run kernel by kernel: one training call per epoch, one multilayer
            // detection per instance-checkpoint (5 instances x 4 checkpoints)
            var profile = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(study, "study.json")))!["profile"]!;
            Assert.Equal(30, (long)profile["hebbff_train_epoch"]!["calls"]!);
            Assert.Equal(20, (long)profile["multilayer_communities"]!["calls"]!);
            Assert.True((double)profile["multilayer_communities"]!["core_seconds"]! > 0);
            if (expected is null) expected = bytes;
            else
                for (int k = 0; k < tables.Length; k++)
                    Assert.True(expected[k] == bytes[k], $"{tables[k]} differs on {threads} threads");
        }
    }
}
