using AnnScope.Models;
using AnnScope.Tasks;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Models;

/// <summary>
/// The HebbFF trainer on every native backend (MKL, OpenCL) against the float64 managed reference and against
/// each other, from the same seeded parameters and sequences. Tolerances, float32 gradients relative to the
/// largest entry of an instance's gradient: 1e-4 against the reference (measured: ≤ 2e-5 on both backends; the
/// λ gradient in Hebbian mode, where A feeds back positively, is the least precise entry, other entries
/// ≤ 6e-7); float64: 1e-10. After 50 Adam epochs: parameters within 1e-5 of the reference (measured 6e-7)
/// and 2e-5 between backends, test losses within 1e-5, accuracies within one prediction.
/// </summary>
public class HebbffBackendParityTests
{
    private static HebbffConfig Small(Plasticity plasticity = Plasticity.Anti, NumericPrecision precision = NumericPrecision.Float32,
        int epochs = 0) => new()
    {
        Instances = 2, InputDim = 12, Hidden = 10, Length = 60, RepeatInterval = 3, Epochs = epochs, CheckpointEvery = 10,
        Plasticity = plasticity, Precision = precision, Seed = 17,
    };

    /// <summary>What the reference sees: the trainer's initial state (rounded as the trainer stores it) and its sequences.</summary>
    private static (double[] Parameters, double[] X, double[] Y) ReferenceInputs(HebbffConfig config, SequenceRole role)
    {
        var parameters = HebbffState.Initial(config).Parameters;
        if (config.Precision == NumericPrecision.Float32)
            for (int k = 0; k < parameters.Length; k++) parameters[k] = (float)parameters[k];
        var (x, y) = HebbffTrainer.GenerateSequences(config, role);
        return (parameters, x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray());
    }

    private static HebbffReference.Pass ReferencePass(HebbffConfig config, Span<double> parameters, double[] x, double[] y, int b,
        bool gradient = true)
    {
        var layout = new HebbffLayout(config.InputDim, config.Hidden);
        int t = config.Length, n = config.InputDim;
        return HebbffReference.Run(parameters.Slice(b * layout.Count, layout.Count), x.AsSpan(b * t * n, t * n), y.AsSpan(b * t, t),
            layout, config.Plasticity, gradient);
    }

    [Theory]
    [OnEngine(Engine.Mkl, Plasticity.Anti, NumericPrecision.Float32)]
    [OnEngine(Engine.OpenCL, Plasticity.Anti, NumericPrecision.Float32)]
    [OnEngine(Engine.Mkl, Plasticity.Hebb, NumericPrecision.Float32)]
    [OnEngine(Engine.OpenCL, Plasticity.Hebb, NumericPrecision.Float32)]
    [OnEngine(Engine.Mkl, Plasticity.Free, NumericPrecision.Float32)]
    [OnEngine(Engine.OpenCL, Plasticity.Free, NumericPrecision.Float32)]
    [OnEngine(Engine.Mkl, Plasticity.None, NumericPrecision.Float32)]
    [OnEngine(Engine.OpenCL, Plasticity.None, NumericPrecision.Float32)]
    [OnFloat64Engine(Engine.Mkl, Plasticity.Anti, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.OpenCL, Plasticity.Anti, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.Mkl, Plasticity.Hebb, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.OpenCL, Plasticity.Hebb, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.Mkl, Plasticity.Free, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.OpenCL, Plasticity.Free, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.Mkl, Plasticity.None, NumericPrecision.Float64)]
    [OnFloat64Engine(Engine.OpenCL, Plasticity.None, NumericPrecision.Float64)]
    public void GradientsMatchTheFloat64Reference(Engine engine, Plasticity plasticity, NumericPrecision precision)
    {
        using var context = OpenCLAvailability.Context(engine);
        var config = Small(plasticity, precision);
        using var trainer = new HebbffTrainer(config, context);
        var native = trainer.ComputeGradient();
        var (parameters, x, y) = ReferenceInputs(config, SequenceRole.Train);
        int count = trainer.Layout.Count;
        for (int b = 0; b < config.Instances; b++)
        {
            var expected = ReferencePass(config, parameters, x, y, b).Gradient!;
            var pass = ReferencePass(config, parameters, x, y, b);
            double scale = expected.Max(Math.Abs), tolerance = precision == NumericPrecision.Float32 ? 1e-4 : 1e-10;
            double worst = 0;
            int at = 0;
            for (int k = 0; k < count; k++)
            {
                double d = Math.Abs(native.Values[b * count + k] - expected[k]);
                if (d > worst) (worst, at) = (d, k);
            }
            Assert.True(worst <= tolerance * scale,
                $"{engine} {precision} {plasticity} instance {b}: {trainer.Layout.Describe(at)} differs by {worst:E3} (scale {scale:E3})");
            Assert.Equal(pass.Loss, native.Loss[b], precision == NumericPrecision.Float32 ? 1e-6 : 1e-12);
        }
    }

    [Theory]
    [OnEngine(Engine.Mkl)]
    [OnEngine(Engine.OpenCL)]
    public void FiftyEpochsFollowTheFloat64Reference(Engine engine)
    {
        var config = Small(epochs: 50);
        using var context = OpenCLAvailability.Context(engine);
        using var trainer = new HebbffTrainer(config, context);
        var checkpoints = trainer.Train().ToList();

        var (parameters, x, y) = ReferenceInputs(config, SequenceRole.Train);
        var (_, xTest, yTest) = ReferenceInputs(config, SequenceRole.Test);
        var layout = trainer.Layout;
        var m = new double[parameters.Length];
        var v = new double[parameters.Length];
        int next = 0;
        for (int epoch = 0; epoch <= config.Epochs; epoch++)
        {
            if (epoch > 0)
                for (int b = 0; b < config.Instances; b++)
                {
                    var pass = ReferencePass(config, parameters, x, y, b);
                    var slice = new Range(b * layout.Count, (b + 1) * layout.Count);
                    HebbffReference.AdamStep(parameters.AsSpan(slice), m.AsSpan(slice), v.AsSpan(slice), pass.Gradient!, epoch);
                }
            if (epoch % config.CheckpointEvery != 0) continue;
            var checkpoint = checkpoints[next++];
            Assert.Equal(epoch, checkpoint.Epoch);
            for (int b = 0; b < config.Instances; b++)
            {
                var test = ReferencePass(config, parameters.ToArray(), xTest, yTest, b, gradient: false);
                var metrics = checkpoint.Metrics[b];
                Assert.Equal(test.Loss, metrics.Loss, 1e-5);
                Assert.Equal(test.Lambda, metrics.Lambda, 1e-5);
                Assert.Equal(test.Eta, metrics.Eta, 1e-5);
                var labels = yTest.AsSpan(b * config.Length, config.Length).ToArray().Select(l => (float)l).ToArray();
                var expected = HebbffMetrics.Of(test.Outputs, labels, test.Lambda, test.Eta);
                Assert.True(Math.Abs(expected.Accuracy - metrics.Accuracy) <= 1.0 / config.Length + 1e-12,
                    $"epoch {epoch}, instance {b}: accuracy {metrics.Accuracy} vs reference {expected.Accuracy}");
                var activations = checkpoint.ActivationsOf(b);
                for (int k = 0; k < activations.Length; k++) Assert.Equal(test.Activations[k], activations[k], 1e-4);
            }
        }
        var state = trainer.ExportState();
        Assert.Equal(config.Epochs, state.Step);
        for (int k = 0; k < parameters.Length; k++)
            Assert.True(Math.Abs(parameters[k] - state.Parameters[k]) <= 1e-5,
                $"{engine}: {layout.Describe(k % layout.Count)} of instance {k / layout.Count} is {state.Parameters[k]}, reference {parameters[k]}");
    }

    [OpenCLFact]
    public void OpenCLTrainingMatchesMklAndSurvivesStateRoundTrips()
    {
        var config = Small(epochs: 50) with { Instances = 3 };
        using var mklContext = OpenCLAvailability.Context(Engine.Mkl);
        using var openclContext = OpenCLAvailability.Context(Engine.OpenCL);
        using var mkl = new HebbffTrainer(config, mklContext);
        using var opencl = new HebbffTrainer(config, openclContext);
        var a = mkl.Train().ToList();
        var b = opencl.Train().ToList();
        Assert.Equal(a.Count, b.Count);
        for (int c = 0; c < a.Count; c++)
        for (int i = 0; i < config.Instances; i++)
        {
            Assert.Equal(a[c].Metrics[i].Accuracy, b[c].Metrics[i].Accuracy, 1.0 / config.Length);
            Assert.Equal(a[c].Metrics[i].Loss, b[c].Metrics[i].Loss, 1e-5);
            Assert.Equal(a[c].TrainLoss[i], b[c].TrainLoss[i], 1e-5);
        }
        var sa = mkl.ExportState();
        var sb = opencl.ExportState();
        for (int k = 0; k < sa.Parameters.Length; k++) Assert.Equal(sa.Parameters[k], sb.Parameters[k], 2e-5);

        // the MKL state imported into the OpenCL trainer continues exactly like MKL for another epoch
        opencl.ImportState(sa);
        var la = mkl.TrainEpoch();
        var lb = opencl.TrainEpoch();
        for (int i = 0; i < config.Instances; i++) Assert.Equal(la[i], lb[i], 1e-6);
        Assert.Equal(51, opencl.Epoch);
    }
}
