using AnnScope.Models;

namespace AnnScope.Tests.Models;

/// <summary>The trainer against the original PyTorch code's float64 numbers (tests/fixtures/hebbff).</summary>
public class HebbffFixtureTests
{
    public static TheoryData<string, NumericPrecision> Cases()
    {
        var data = new TheoryData<string, NumericPrecision>();
        foreach (var name in HebbffFixture.Cases)
        foreach (var precision in new[] { NumericPrecision.Float64, NumericPrecision.Float32 })
            data.Add(name, precision);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReproducesForwardLossGradientsAndAdamStep(string name, NumericPrecision precision)
    {
        var f = new HebbffFixture(name);
        bool wide = precision == NumericPrecision.Float64;
        double exact = wide ? 1e-12 : 1e-4, derived = wide ? 1e-9 : 1e-4;
        using var trainer = f.Trainer(precision);

        var activations = new double[f.Length * f.Hidden];
        var outputs = new double[f.Length];
        var metrics = new HebbffMetrics[1];
        trainer.Evaluate(activations, [], outputs, metrics);
        Assert.True(Compare.Relative(f["out"], outputs) < exact, $"outputs off by {Compare.Relative(f["out"], outputs):e2}");
        // the fixture stores a(t) as float32 (the original's debug buffers are float32), so it matches to float32 rounding
        double stored = Math.Max(exact, 1.2e-7);
        Assert.True(Compare.Relative(f["a1"], activations) < stored, $"a(t) off by {Compare.Relative(f["a1"], activations):e2}");
        Assert.True(Math.Abs(metrics[0].Loss - f.Loss) < exact * f.Loss, $"loss {metrics[0].Loss:R} vs {f.Loss:R}");
        Assert.Equal(f.FamiliarFraction, metrics[0].FamiliarFraction, 12);
        Assert.Equal(f.Lambda, metrics[0].Lambda, wide ? 1e-15 : 1e-7);
        Assert.True(Math.Abs(metrics[0].Eta - f.Eta) < exact * Math.Abs(f.Eta), $"eta {metrics[0].Eta:R} vs {f.Eta:R}");

        var gradient = trainer.ComputeGradient();
        Assert.True(Math.Abs(gradient.Loss[0] - f.Loss) < exact * f.Loss, $"training loss {gradient.Loss[0]:R} vs {f.Loss:R}");
        var (gradError, gradGroup) = Compare.PerGroup(f.Layout, f.Packed("grad"), gradient.Values);
        Assert.True(gradError < derived, $"gradient of {gradGroup} off by {gradError:e2} (relative)");

        trainer.TrainEpoch();
        var after = trainer.ExportState();
        Assert.Equal(1, after.Step);
        var before = f.Packed("param");
        var expectedStep = f.Packed("adam1").Zip(before, (a, b) => a - b).ToArray();
        var actualStep = after.Parameters.Zip(before, (a, b) => a - b).ToArray();
        if (wide)
        {
            var (stepError, stepGroup) = Compare.PerGroup(f.Layout, expectedStep, actualStep);
            Assert.True(stepError < derived, $"Adam step of {stepGroup} off by {stepError:e2} (relative)");
        }
        else
        {
            // Adam's first step is lr·g/(|g| + ε'): ±lr wherever g is not tiny, so a float32 gradient entry whose sign
            // is lost in rounding flips its step. Such entries must be rare and have a tiny true gradient.
            var g = f.Packed("grad");
            double gScale = g.Max(Math.Abs);
            int flipped = 0;
            for (int k = 0; k < g.Length; k++)
            {
                double err = Math.Abs(actualStep[k] - expectedStep[k]);
                if (err < derived * 1e-3) continue;
                flipped++;
                Assert.True(Math.Abs(g[k]) < 1e-4 * gScale, $"{f.Layout.Describe(k)}: step {actualStep[k]:e3} vs {expectedStep[k]:e3}, gradient {g[k]:e3}");
            }
            Assert.True(flipped <= g.Length / 1000 + 1, $"{flipped} of {g.Length} float32 Adam steps differ");
        }
    }

    [Theory]
    [InlineData("tiny_anti")]
    [InlineData("study_free")]
    public void ManagedReferenceReproducesTheFixture(string name)
    {
        var f = new HebbffFixture(name);
        var parameters = f.Packed("param");
        var pass = HebbffReference.Run(parameters, f["x"], f["y"], f.Layout, f.Plasticity);
        Assert.True(Math.Abs(pass.Loss - f.Loss) < 1e-12 * f.Loss, $"loss {pass.Loss:R} vs {f.Loss:R}");
        Assert.True(Compare.Relative(f["out"], pass.Outputs) < 1e-12);
        Assert.True(Compare.Relative(f["a1"], pass.Activations) < 1.2e-7); // stored as float32
        var (gradError, group) = Compare.PerGroup(f.Layout, f.Packed("grad"), pass.Gradient!);
        Assert.True(gradError < 1e-9, $"gradient of {group} off by {gradError:e2}");

        var m = new double[parameters.Length];
        var v = new double[parameters.Length];
        var before = (double[])parameters.Clone();
        HebbffReference.AdamStep(parameters, m, v, pass.Gradient, 1);
        var expectedStep = f.Packed("adam1").Zip(before, (a, b) => a - b).ToArray();
        var (stepError, stepGroup) = Compare.PerGroup(f.Layout, expectedStep, parameters.Zip(before, (a, b) => a - b).ToArray());
        Assert.True(stepError < 1e-9, $"Adam step of {stepGroup} off by {stepError:e2}");
    }
}
