using AnnScope.Models;
using AnnScope.Tasks;

namespace AnnScope.Tests.Models;

public class HebbffBadInputTests
{
    private static readonly HebbffConfig Valid = new() { Instances = 2, InputDim = 8, Hidden = 6, Length = 40, RepeatInterval = 2, Epochs = 2 };

    public static TheoryData<HebbffConfig, string> BadConfigs() => new()
    {
        { Valid with { RepeatInterval = 40 }, "repeat interval R (40) must be smaller than the sequence length T (40)" },
        { Valid with { RepeatInterval = 41 }, "repeat interval" },
        { Valid with { RepeatProbability = -0.1 }, "repeat probability P must be in [0, 1]" },
        { Valid with { RepeatProbability = 1.01 }, "repeat probability" },
        { Valid with { RepeatProbability = double.NaN }, "repeat probability" },
        { Valid with { InputDim = 0 }, "input dimension N must be positive" },
        { Valid with { Hidden = -3 }, "hidden units M must be positive" },
        { Valid with { Length = 0 }, "sequence length T must be positive" },
        { Valid with { Instances = 0 }, "number of instances must be positive" },
        { Valid with { Epochs = -1 }, "epochs" },
        { Valid with { CheckpointEvery = 0 }, "checkpoint interval k" },
        { Valid with { Beta2 = 1 }, "betas" },
        { Valid with { LearningRate = double.PositiveInfinity }, "learning rate" },
        { Valid with { Epsilon = 0 }, "epsilon" },
        { Valid with { Plasticity = (Plasticity)9 }, "plasticity" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void BadConfigurationsAreRefusedBeforeAnyNativeCall(HebbffConfig config, string message)
    {
        // a disposed context: any native call would throw ObjectDisposedException, not the validation's ArgumentException
        var dead = new ComputeContext(ComputeBackend.Mkl, 1);
        dead.Dispose();
        var e = Assert.Throws<ArgumentException>(() => new HebbffTrainer(config, dead));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void NaNOrInfiniteStateIsRefusedAndChangesNothing()
    {
        using var trainer = new HebbffTrainer(Valid, Contexts.Single);
        var good = trainer.ExportState();
        foreach (var (array, value) in new[] { (0, double.NaN), (1, double.PositiveInfinity), (2, double.NegativeInfinity) })
        {
            var bad = trainer.ExportState();
            (array == 0 ? bad.Parameters : array == 1 ? bad.AdamM : bad.AdamV)[trainer.Layout.Count + 7] = value;
            var e = Assert.Throws<ArithmeticException>(() => trainer.ImportState(bad));
            Assert.Contains("instance 1", e.Message);
            Assert.Contains("W1[0,7]", e.Message);
        }
        var negative = trainer.ExportState();
        negative.AdamV[3] = -1e-9;
        Assert.Contains("negative Adam second moment", Assert.Throws<ArgumentException>(() => trainer.ImportState(negative)).Message);
        var overflow = trainer.ExportState();
        overflow.Parameters[0] = 1e300; // finite in float64, infinite in this float32 trainer
        Assert.Throws<ArithmeticException>(() => trainer.ImportState(overflow));
        Assert.Equal(good.Parameters, trainer.ExportState().Parameters);
        Assert.Equal(good.AdamV, trainer.ExportState().AdamV);
    }

    [Fact]
    public void StatesAndSequencesOfTheWrongShapeAreRefused()
    {
        using var trainer = new HebbffTrainer(Valid, Contexts.Single);
        using var other = new HebbffTrainer(Valid with { Hidden = 7 }, Contexts.Single);
        Assert.Contains("M 7", Assert.Throws<ArgumentException>(() => trainer.ImportState(other.ExportState())).Message);
        var x = new float[2 * 40 * 8];
        var y = new float[2 * 40];
        Assert.Throws<ArgumentException>(() => trainer.SetSequences(SequenceRole.Train, x.AsSpan(1), y));
        y[5] = 0.5f;
        Assert.Contains("not 0 or 1", Assert.Throws<ArgumentException>(() => trainer.SetSequences(SequenceRole.Train, x, y)).Message);
        y[5] = 0;
        x[9] = float.NaN;
        Assert.Throws<ArithmeticException>(() => trainer.SetSequences(SequenceRole.Test, x, y));
        Assert.Throws<ArgumentException>(() => trainer.Evaluate(new float[3], [], [], []));
    }

    [Fact]
    public void ADisposedTrainerThrowsObjectDisposedException()
    {
        var trainer = new HebbffTrainer(Valid, Contexts.Single);
        var state = trainer.ExportState();
        trainer.Dispose();
        trainer.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => trainer.TrainEpoch());
        Assert.Throws<ObjectDisposedException>(() => trainer.Evaluate());
        Assert.Throws<ObjectDisposedException>(() => trainer.ExportState());
        Assert.Throws<ObjectDisposedException>(() => trainer.ImportState(state));
        Assert.Throws<ObjectDisposedException>(() => trainer.ComputeGradient());
        Assert.Throws<ObjectDisposedException>(() => trainer.Train());
        Assert.Throws<ObjectDisposedException>(() => trainer.Epoch);
    }
}
