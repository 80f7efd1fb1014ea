using System.Globalization;
using AnnScope.Communities;
using AnnScope.Connectivity;
using AnnScope.Statistics;

namespace PackageConsumer;

/// <summary>
/// What a consumer of the AnnScope package does on small data: FC, multilayer Louvain and a mixed model, printed with
/// round-trip precision. The same file is compiled into the tests (project reference) and into a fresh console project
/// that references the packed AnnScope package only, so the two outputs must agree to the last digit.
/// </summary>
public static class ConsumerScenario
{
    public static void Run(TextWriter output)
    {
        const int samples = 200, units = 12, window = 25;
        var random = new Random(11);
        var activations = new float[samples * units];
        for (int t = 0; t < samples; t++)
        {
            // two groups of units, each following its own drive that changes halfway through
            double a = random.NextDouble(), b = t < samples / 2 ? random.NextDouble() : a;
            for (int u = 0; u < units; u++)
                activations[t * units + u] = (float)((u < units / 2 ? a : b) + 0.5 * random.NextDouble());
        }
        var shape = new SeriesShape(1, samples, units);

        var fc = new float[units * units];
        FunctionalConnectivity.Pearson(activations, shape, samples, fc);
        output.WriteLine("fc " + string.Join(' ', fc.Select(R)));

        var windowed = new float[shape.MatricesLength(window)];
        FunctionalConnectivity.Pearson(activations, shape, window, windowed);
        var communities = MultilayerCommunities.Detect(windowed, shape.Windows(window), units,
            MultilayerOptions.Robust with { Runs = 4, Seed = 7 });
        output.WriteLine($"multilayer {R(communities.Modularity)} {communities.Communities} {R(communities.Flexibility)} " +
                         string.Join(' ', communities.Labels));

        var y = new List<double>();
        var x = new List<double>();
        var groups = new List<int>();
        for (int g = 0; g < 6; g++)
        {
            double intercept = random.NextDouble(), slope = 0.5 + 0.2 * random.NextDouble();
            for (int i = 0; i < 10; i++)
            {
                double xi = i + random.NextDouble();
                x.Add(xi);
                y.Add(intercept + slope * xi + 0.3 * (random.NextDouble() - 0.5));
                groups.Add(g);
            }
        }
        var fit = LinearMixedModel.Fit(MixedModelData.Create(y, x, groups));
        foreach (var effect in fit.FixedEffects)
            output.WriteLine($"lmm {effect.Name} {R(effect.Estimate)} {R(effect.StdError)} {R(effect.Df)} {R(effect.PValue)}");
        output.WriteLine($"lmm loglik {R(fit.LogLikelihood)}");
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string R(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
