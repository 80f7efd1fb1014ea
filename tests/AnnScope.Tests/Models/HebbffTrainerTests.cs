using AnnScope.Models;
using AnnScope.Tasks;

namespace AnnScope.Tests.Models;

public class HebbffTrainerTests
{
    private static HebbffConfig Small(int instances = 3, int epochs = 6, int every = 2) => new()
    {
        Instances = instances, InputDim = 20, Hidden = 12, Length = 120, RepeatInterval = 3, Epochs = epochs, CheckpointEvery = every,
        Seed = 21,
    };

    private static void AssertSameCheckpoint(HebbffCheckpoint expected, HebbffCheckpoint actual)
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Activations, actual.Activations);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Metrics, actual.Metrics);
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var config = Small(instances: 5);
        using var one = new HebbffTrainer(config, Contexts.Single);
        using var two = new HebbffTrainer(config, Contexts.Two);
        var a = one.Train(includeHidden: true).ToList();
        var b = two.Train(includeHidden: true).ToList();
        Assert.Equal(4, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            AssertSameCheckpoint(a[i], b[i]);
            Assert.Equal(a[i].HiddenActivity, b[i].HiddenActivity);
        }
        var sa = one.ExportState();
        var sb = two.ExportState();
        Assert.Equal(sa.Parameters, sb.Parameters);
        Assert.Equal(sa.AdamM, sb.AdamM);
        Assert.Equal(sa.AdamV, sb.AdamV);
    }

    [Theory]
    [InlineData(NumericPrecision.Float32)]
    [InlineData(NumericPrecision.Float64)]
    public void AnEpochInPartsWhoseThreadsChangeIsTheWholeEpoch(NumericPrecision precision)
    {
        var config = Small(instances: 7) with { Precision = precision };
        using var whole = new HebbffTrainer(config, Contexts.Two);
        using var context = new ComputeContext(ComputeBackend.Mkl, 2);
        using var parted = new HebbffTrainer(config, context);
        var seen = new List<int>();
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            var expected = whole.TrainEpoch();
            seen.Clear();
            // a study lends and takes cores between parts: 2, 1, 2 threads
            var loss = parted.TrainEpoch(3, part =>
            {
                seen.Add(part);
                context.UseThreads(part % 2 == 0 ? 2 : 1);
            });
            Assert.Equal([0, 1, 2], seen);
            Assert.Equal(expected, loss);
            Assert.Equal(epoch, parted.Epoch);
        }
        Assert.Equal(whole.ExportState().Parameters, parted.ExportState().Parameters);
        Assert.Equal(whole.ExportState().AdamV, parted.ExportState().AdamV);
        Assert.Equal(whole.Evaluate().Metrics, parted.Evaluate().Metrics);
        Assert.Throws<ArgumentOutOfRangeException>(() => parted.TrainEpoch(0, null));
        Assert.Equal(3, parted.Epoch); // a refused call trains nothing
        Assert.Equal(whole.TrainEpoch(), parted.TrainEpoch(100, null)); // more parts than instances: one each
    }

    [Theory]
    [InlineData(NumericPrecision.Float32)]
    [InlineData(NumericPrecision.Float64)]
    public void AResumedRunReproducesTheUninterruptedRunBitForBit(NumericPrecision precision)
    {
        var config = Small() with { Precision = precision, Plasticity = Plasticity.Free };
        using var whole = new HebbffTrainer(config, Contexts.Two);
        var expected = whole.Train().ToList();
        Assert.Equal([0, 2, 4, 6], expected.Select(c => c.Epoch));

        HebbffState saved;
        using (var first = new HebbffTrainer(config, Contexts.Single))
        {
            foreach (var checkpoint in first.Train())
                if (checkpoint.Epoch == 2) break;
            saved = first.ExportState();
        }
        Assert.Equal(2, saved.Step);
        using var resumed = new HebbffTrainer(config, Contexts.Two);
        resumed.ImportState(saved);
        var rest = resumed.Train().ToList();
        Assert.Equal([4, 6], rest.Select(c => c.Epoch));
        AssertSameCheckpoint(expected[2], rest[0]);
        AssertSameCheckpoint(expected[3], rest[1]);
        Assert.Equal(whole.ExportState().Parameters, resumed.ExportState().Parameters);
        Assert.Equal(whole.ExportState().AdamV, resumed.ExportState().AdamV);
    }

    [Fact]
    public async Task TrainAsyncYieldsTheSameCheckpointsWhileTheCallerWorks()
    {
        var config = Small();
        using var sync = new HebbffTrainer(config, Contexts.Two);
        var expected = sync.Train().ToList();
        using var trainer = new HebbffTrainer(config, Contexts.Two);
        var got = new List<HebbffCheckpoint>();
        await foreach (var checkpoint in trainer.TrainAsync(buffered: 2))
        {
            await Task.Delay(20); // analysis of this checkpoint overlaps the next epochs
            got.Add(checkpoint);
        }
        Assert.Equal(expected.Count, got.Count);
        for (int i = 0; i < got.Count; i++) AssertSameCheckpoint(expected[i], got[i]);
        Assert.Equal(config.Epochs, trainer.Epoch);
    }

    [Fact]
    public async Task CancellingTrainAsyncStopsTraining()
    {
        using var trainer = new HebbffTrainer(Small(epochs: 10000, every: 1), Contexts.Single);
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in trainer.TrainAsync(cancellation: cancel.Token))
                if (++seen == 3) await cancel.CancelAsync();
        });
        Assert.InRange(trainer.Epoch, 2, 100);
    }

    [Fact]
    public void CheckpointMetricsFollowTheirDefinitions()
    {
        var config = Small(instances: 2) with { Precision = NumericPrecision.Float64 };
        using var trainer = new HebbffTrainer(config, Contexts.Single);
        var checkpoint = trainer.Evaluate();
        var state = trainer.ExportState();
        var (x, y) = HebbffTrainer.GenerateSequences(config, SequenceRole.Test);
        int n = config.InputDim, t = config.Length;
        for (int b = 0; b < 2; b++)
        {
            var labels = y.AsSpan(b * t, t).ToArray();
            var pass = HebbffReference.Run(state.ParametersOf(b).ToArray(), x.AsSpan(b * t * n, t * n).ToArray().Select(v => (double)v).ToArray(),
                labels.Select(v => (double)v).ToArray(), trainer.Layout, config.Plasticity, gradient: false);
            var expected = HebbffMetrics.Of(pass.Outputs, labels, pass.Lambda, pass.Eta);
            var actual = checkpoint.Metrics[b];
            Assert.Equal(expected.Accuracy, actual.Accuracy);
            Assert.Equal(expected.Tpr, actual.Tpr);
            Assert.Equal(expected.Fpr, actual.Fpr);
            Assert.Equal(expected.PaperAccuracy, actual.PaperAccuracy, 1e-15);
            Assert.Equal(expected.BalancedAccuracy, actual.BalancedAccuracy, 1e-15);
            Assert.Equal(expected.Loss, actual.Loss, 1e-12);
            Assert.Equal(labels.Count(v => v == 1) / (double)t, actual.FamiliarFraction);
            Assert.Equal(0.99, actual.Lambda, 1e-15);
            Assert.Equal(-5.0 / n, actual.Eta, 1e-15);
            var activations = checkpoint.ActivationsOf(b).ToArray();
            for (int k = 0; k < activations.Length; k++) Assert.Equal(pass.Activations[k], activations[k], 1e-5);
        }
        Assert.All(checkpoint.TrainLoss, l => Assert.True(double.IsNaN(l)));
    }

    [Fact]
    public void AnAlwaysNovelNetworkScoresTheFamiliarFractionAsPaperAccuracy()
    {
        var config = Small(instances: 1) with { Length = 3000, Plasticity = Plasticity.None };
        using var trainer = new HebbffTrainer(config, Contexts.Single);
        var state = trainer.ExportState();
        var layout = trainer.Layout;
        state.Parameters.AsSpan(layout.W2, config.Hidden).Clear();
        state.Parameters[layout.B2] = -30;
        trainer.ImportState(state);
        var m = trainer.Evaluate().Metrics[0];
        double f = m.FamiliarFraction;
        Assert.Equal(1.0 / 3, f, 0.03);
        Assert.Equal(1 - f, m.Accuracy, 1e-12);
        Assert.Equal(0.0, m.Tpr);
        Assert.Equal(0.0, m.Fpr);
        Assert.Equal(0.5, m.BalancedAccuracy);
        Assert.Equal(f, m.PaperAccuracy, 1e-12);
    }

    [Fact]
    public void LambdaIsClampedInPlaceBeforeASequenceRuns()
    {
        using var trainer = new HebbffTrainer(Small(instances: 1), Contexts.Single);
        var state = trainer.ExportState();
        state.Parameters[trainer.Layout.Lambda] = 1.5;
        trainer.ImportState(state);
        Assert.Equal(1.0, trainer.Evaluate().Metrics[0].Lambda);
        Assert.Equal(1.0, trainer.ExportState().Parameters[trainer.Layout.Lambda]);
    }

    [Fact]
    public void InitialParametersFollowTheSpecAndTheSeed()
    {
        var config = new HebbffConfig { Instances = 3, InputDim = 100, Hidden = 120, Length = 10, RepeatInterval = 2, Seed = 5 };
        var a = HebbffState.Initial(config);
        Assert.Equal(a.Parameters, HebbffState.Initial(config).Parameters);
        Assert.NotEqual(a.Parameters, HebbffState.Initial(config with { Seed = 6 }).Parameters);
        var layout = a.Layout;
        var w1 = a.ParametersOf(1)[..layout.B1].ToArray();
        Assert.Equal(0.0, w1.Average(), 0.005);
        Assert.Equal(1.0 / 100, w1.Select(v => v * v).Average(), 0.0005);
        var w2 = a.ParametersOf(1)[layout.W2..layout.B2].ToArray();
        Assert.Equal(1.0 / 120, w2.Select(v => v * v).Average(), 0.004);
        Assert.NotEqual(a.ParametersOf(0)[..10].ToArray(), a.ParametersOf(1)[..10].ToArray());
        Assert.Equal(0.99f, (float)a.Parameters[layout.Lambda]);
        Assert.Equal((float)Math.Log(0.05), (float)a.Parameters[layout.EtaParameter]);
        Assert.Equal(-0.05, HebbffState.Initial(config with { Plasticity = Plasticity.Free }).Parameters[layout.EtaParameter], 1e-9);
        Assert.All(a.AdamM.Concat(a.AdamV), v => Assert.Equal(0.0, v));
        Assert.Equal(0, a.Step);
    }

    [Fact]
    public void StudyScaleMemoryIsReportedAndBounded()
    {
        var config = new HebbffConfig { Instances = 4, Epochs = 0 };
        using var trainer = new HebbffTrainer(config, Contexts.Two);
        var memory = trainer.Memory;
        Assert.Equal(2, memory.Threads);
        // per thread: h(t) (T×M), the inputs widened from int8 (T×N) and one block of rows of W1, A, its tangent, G and
        // dW1: no T×M×N history
        Assert.InRange(memory.PerThreadBytes, 2500L * (120 + 100) * 4, 4L * 2500 * 120 * 4);
        Assert.Equal(memory.ResidentBytes + 2 * memory.PerThreadBytes, memory.PeakBytes);
    }
}
