using AnnScope.Statistics;

namespace AnnScope.Tests.Statistics;

/// <summary>Seeded synthetic data with known generating parameters.</summary>
internal static class Simulated
{
    internal static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>y = mu + U_i + (beta + V_i) x + eps, (U, V) with sds and correlation rho, group sizes n.</summary>
    internal static MixedModelData MixedModel(int seed, int groups, int perGroup, double mu, double beta, double sdU,
        double sdV, double rho, double sigma)
    {
        var rng = new Random(seed);
        var y = new List<double>();
        var x = new List<double>();
        var g = new List<int>();
        for (int i = 0; i < groups; i++)
        {
            double z1 = Normal(rng), z2 = Normal(rng);
            double u = sdU * z1, v = sdV * (rho * z1 + Math.Sqrt(1 - rho * rho) * z2);
            for (int j = 0; j < perGroup; j++)
            {
                double xi = Normal(rng);
                x.Add(xi);
                y.Add(mu + u + (beta + v) * xi + sigma * Normal(rng));
                g.Add(i + 1);
            }
        }
        return MixedModelData.Create(y, x, g);
    }
}
