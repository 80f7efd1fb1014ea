using AnnScope.Models;
using AnnScope.Tasks;

namespace AnnScope.Tests.Models;

/// <summary>Native gradients against the managed reference, and both against central finite differences.</summary>
public class HebbffGradientTests
{
    public static TheoryData<Plasticity> Modes() => new(Enum.GetValues<Plasticity>());

    private static HebbffConfig Small(Plasticity mode, NumericPrecision precision = NumericPrecision.Float64, int instances = 1, ulong seed = 9) => new()
    {
        Instances = instances, InputDim = 8, Hidden = 6, Length = 40, RepeatInterval = 2, Plasticity = mode, Precision = precision,
        Seed = seed,
    };

    /// <summary>A trainer whose test sequence is its training sequence, so Evaluate's loss is the trained loss.</summary>
    private static HebbffTrainer TrainerOnOneSequence(HebbffConfig config, out double[] x, out double[] y)
    {
        var trainer = new HebbffTrainer(config, Contexts.Single);
        var (xf, yf) = HebbffTrainer.GenerateSequences(config, SequenceRole.Train);
        x = xf.Select(v => (double)v).ToArray();
        y = yf.Select(v => (double)v).ToArray();
        trainer.SetSequences(SequenceRole.Test, xf, yf);
        return trainer;
    }

    private static double[] CentralDifferences(double[] parameters, Func<double[], double> loss)
    {
        const double h = 1e-6;
        var fd = new double[parameters.Length];
        for (int k = 0; k < parameters.Length; k++)
        {
            var probe = (double[])parameters.Clone();
            probe[k] = parameters[k] + h;
            double up = loss(probe);
            probe[k] = parameters[k] - h;
            fd[k] = (up - loss(probe)) / (2 * h);
        }
        return fd;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void NativeAndReferenceAgreeWithFiniteDifferencesForEveryParameter(Plasticity mode)
    {
        using var trainer = TrainerOnOneSequence(Small(mode), out var x, out var y);
        var start = trainer.ExportState();
        var layout = trainer.Layout;
        var native = trainer.ComputeGradient().Values;

        double NativeLoss(double[] p)
        {
            trainer.ImportState(new HebbffState(1, layout, 0, p, start.AdamM, start.AdamV));
            var m = new HebbffMetrics[1];
            trainer.Evaluate(Span<float>.Empty, Span<float>.Empty, Span<float>.Empty, m);
            return m[0].Loss;
        }
        double ReferenceLoss(double[] p) => HebbffReference.Run(p, x, y, layout, mode, gradient: false).Loss;

        var nativeFd = CentralDifferences(start.Parameters, NativeLoss);
        var referenceFd = CentralDifferences(start.Parameters, ReferenceLoss);
        var reference = HebbffReference.Run((double[])start.Parameters.Clone(), x, y, layout, mode).Gradient!;

        var (e1, g1) = Compare.PerGroup(layout, nativeFd, native);
        Assert.True(e1 < 1e-6, $"{mode}: native gradient of {g1} vs finite differences: {e1:e2}");
        var (e2, g2) = Compare.PerGroup(layout, referenceFd, reference);
        Assert.True(e2 < 1e-6, $"{mode}: reference gradient of {g2} vs finite differences: {e2:e2}");
        var (e3, g3) = Compare.PerGroup(layout, reference, native);
        Assert.True(e3 < 1e-10, $"{mode}: native vs reference gradient of {g3}: {e3:e2}");
        // every parameter really takes part (a silently dropped term would show as a zero gradient)
        bool plastic = mode != Plasticity.None;
        Assert.Equal(plastic, native[layout.Lambda] != 0 && native[layout.EtaParameter] != 0);
        Assert.True(native[layout.B2] != 0 && native[layout.W1] != 0 && native[layout.W2] != 0);
    }

    [Fact]
    public void AReusedHistoryGivesTheSameResultsAsAFreshOne()
    {
        // the benchmarks pass one history to every call: what an earlier run (another plasticity, longer sequence, other
        // parameters) left in it must not leak into the next, least of all A(0) or the unwritten A(t) of Plasticity.None
        var config = Small(Plasticity.Anti) with { Length = 60 };
        var layout = new HebbffLayout(config.InputDim, config.Hidden);
        var (xf, yf) = HebbffTrainer.GenerateSequences(config, SequenceRole.Train);
        var x = xf.Select(v => (double)v).ToArray();
        var y = yf.Select(v => (double)v).ToArray();
        var parameters = HebbffState.Initial(config).Parameters;
        var history = new double[config.Length + 1][];
        HebbffReference.Run(parameters.Select(v => v * 3).ToArray(), x, y, layout, Plasticity.Hebb, history: history);
        Assert.All(history, state => Assert.Equal(layout.Hidden * layout.InputDim, state.Length));
        history[0].AsSpan().Fill(0.5); // a run leaves A(0) = 0; a caller may not
        int steps = config.Length - 20;
        foreach (var mode in new[] { Plasticity.None, Plasticity.Anti, Plasticity.None })
        {
            var fresh = HebbffReference.Run((double[])parameters.Clone(), x.AsSpan(0, steps * config.InputDim), y.AsSpan(0, steps), layout, mode);
            var reused = HebbffReference.Run((double[])parameters.Clone(), x.AsSpan(0, steps * config.InputDim), y.AsSpan(0, steps), layout, mode,
                history: history);
            Assert.Equal(fresh.Loss, reused.Loss);
            Assert.Equal(fresh.Outputs, reused.Outputs);
            Assert.Equal(fresh.Gradient, reused.Gradient);
        }
        Assert.Throws<ArgumentException>(() => HebbffReference.Run((double[])parameters.Clone(), x, y, layout, Plasticity.Anti,
            history: new double[config.Length][]));
    }

    [Theory]
    [InlineData(Plasticity.Anti, 3)]
    [InlineData(Plasticity.Free, 4)]
    [InlineData(Plasticity.Hebb, 5)]
    public void Float32GradientsTrackTheReference(Plasticity mode, ulong seed)
    {
        var config = Small(mode, NumericPrecision.Float32, instances: 3, seed: seed) with { InputDim = 40, Hidden = 30, Length = 300, RepeatInterval = 5 };
        using var trainer = new HebbffTrainer(config, Contexts.Two);
        var state = trainer.ExportState();
        var native = trainer.ComputeGradient();
        var (xf, yf) = HebbffTrainer.GenerateSequences(config, SequenceRole.Train);
        long perX = (long)config.Length * config.InputDim;
        for (int b = 0; b < config.Instances; b++)
        {
            var x = xf.AsSpan((int)(b * perX), (int)perX).ToArray().Select(v => (double)v).ToArray();
            var y = yf.AsSpan(b * config.Length, config.Length).ToArray().Select(v => (double)v).ToArray();
            var pass = HebbffReference.Run(state.ParametersOf(b).ToArray(), x, y, trainer.Layout, mode);
            Assert.Equal(pass.Loss, native.Loss[b], 1e-5);
            var (e, group) = Compare.PerGroup(trainer.Layout, pass.Gradient!, native.Values.AsSpan(b * trainer.Layout.Count, trainer.Layout.Count));
            Assert.True(e < 1e-4, $"instance {b}: float32 gradient of {group} off by {e:e2}");
        }
    }

    [Fact]
    public void OneEpochIsTheGradientFollowedByPyTorchsAdam()
    {
        var config = Small(Plasticity.Anti, instances: 2) with { LearningRate = 3e-3, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6 };
        using var trainer = new HebbffTrainer(config);
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            var before = trainer.ExportState();
            var gradient = trainer.ComputeGradient().Values;
            trainer.TrainEpoch();
            var after = trainer.ExportState();
            Assert.Equal(epoch, after.Step);
            var p = (double[])before.Parameters.Clone();
            var m = (double[])before.AdamM.Clone();
            var v = (double[])before.AdamV.Clone();
            for (int b = 0; b < 2; b++)
            {
                var range = new Range(b * trainer.Layout.Count, (b + 1) * trainer.Layout.Count);
                HebbffReference.AdamStep(p.AsSpan(range), m.AsSpan(range), v.AsSpan(range), gradient.AsSpan(range), epoch,
                    config.LearningRate, config.Beta1, config.Beta2, config.Epsilon);
            }
            Assert.True(Compare.Relative(p, after.Parameters) < 1e-14);
            Assert.True(Compare.Relative(m, after.AdamM) < 1e-14);
            Assert.True(Compare.Relative(v, after.AdamV) < 1e-14);
        }
    }
}
