using AnnScope.Dynamics;
using AnnScope.Tests.Communities;
using static AnnScope.Tests.Communities.CommunityFixtures;

namespace AnnScope.Tests.Dynamics;

/// <summary>Acceptance rule 2: flexibility and allegiance of a given partition match to 1e-15.</summary>
public class DynamicsFixtureTests
{
    private static MultilayerPartition Given(string key, out System.Text.Json.JsonElement json)
    {
        json = Json("tiny", "flex_allegiance.json");
        var labels = MultilayerLabels(json.GetProperty(key), out int nodes, out int layers);
        return new MultilayerPartition(labels, layers, nodes);
    }

    private static double[] Vector(System.Text.Json.JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void TemporalAndCategoricalFlexibilityOfTheHandCheckedPartition()
    {
        var s = Given("S", out var json);
        Assert.Equal(Vector(json.GetProperty("flexibility_temp")), Flexibility.OfNodes(s), new ToleranceComparer(1e-15));
        Assert.Equal(Vector(json.GetProperty("flexibility_cat")), Flexibility.Categorical(s), new ToleranceComparer(1e-15));
        Assert.Equal(0.1875, Flexibility.OfSystem(s), 1e-15);
    }

    [Fact]
    public void AllegianceAloneAndPooledWithASecondPartition()
    {
        var s = Given("S", out var json);
        var s2 = Given("S2", out _);
        Assert.Equal(Matrix(json.GetProperty("allegiance_S"), out _), ModuleAllegiance.Of(s), new ToleranceComparer(1e-15));
        Assert.Equal(Matrix(json.GetProperty("allegiance_S_and_S2"), out _), ModuleAllegiance.Of(s, s2), new ToleranceComparer(1e-15));
    }

    [Theory]
    [InlineData("120x50")]
    [InlineData("60x20")]
    [InlineData("60x20signed")]
    public void FlexibilityAndAllegianceOfTheBestKnownMultilayerPartitions(string name)
    {
        var dir = Path("planted120", "expected");
        var labels = ReadMultilayerLabels(System.IO.Path.Combine(dir, $"multi_{name}_best_S.csv"), out int nodes, out int layers);
        var partition = new MultilayerPartition(labels, layers, nodes);
        var flexibility = ReadCsv(System.IO.Path.Combine(dir, $"multi_{name}_best_flexibility.csv")).SelectMany(r => r).ToArray();
        var allegiance = ReadCsv(System.IO.Path.Combine(dir, $"multi_{name}_best_allegiance.csv")).SelectMany(r => r).ToArray();
        Assert.Equal(flexibility, Flexibility.OfNodes(partition), new ToleranceComparer(1e-15));
        Assert.Equal(allegiance, ModuleAllegiance.Of(partition), new ToleranceComparer(1e-15));
        var summary = Summary.GetProperty("multi").GetProperty(name);
        Assert.Equal(summary.GetProperty("mean_flexibility_best").GetDouble(), Flexibility.OfSystem(partition), 1e-15);
        Assert.Equal(summary.GetProperty("persistence_best").GetDouble(), Persistence.Normalised(partition), 1e-15);
        Assert.Equal(summary.GetProperty("n_communities").GetInt32(), partition.Communities);
    }

    [Fact]
    public void ThreeLayerToyOptimaHaveTheirStatedFlexibility()
    {
        var json = Json("tiny", "three_layer_toy.json");
        foreach (var c in json.GetProperty("cases").EnumerateArray())
        {
            var optima = c.GetProperty("optimal_partitions_NxT").EnumerateArray().ToArray();
            var expected = c.GetProperty("flexibility_per_node").EnumerateArray().ToArray();
            for (int k = 0; k < optima.Length; k++)
            {
                var labels = MultilayerLabels(optima[k], out int nodes, out int layers);
                var p = new MultilayerPartition(labels, layers, nodes);
                Assert.Equal(Vector(expected[k]), Flexibility.OfNodes(p), new ToleranceComparer(1e-15));
            }
        }
    }
}

/// <summary>Element-wise |a − b| ≤ tolerance for sequence assertions.</summary>
public sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance || (double.IsNaN(a) && double.IsNaN(b));

    public int GetHashCode(double obj) => 0;
}
