using AnnScope.Dynamics;

namespace AnnScope.Tests.Dynamics;

/// <summary>Hand-checked cases of the measures without a fixture: stationarity, community size, recruitment, integration.</summary>
public class DynamicsMeasureTests
{
    /// <summary>The table as written (rows nodes, columns layers), through the row-major span entry point.</summary>
    private static MultilayerPartition NodesByLayers(int[,] s) =>
        MultilayerPartition.FromNodesByLayers(s.Cast<int>().ToArray(), s.GetLength(0), s.GetLength(1));

    // nodes × layers: community 1 = {0,1} then {0,1,2}, community 2 = {2,3} then {3}; community 3 only in layer 2
    private static readonly MultilayerPartition Toy = NodesByLayers(new[,]
    {
        { 1, 1, 1 },
        { 1, 1, 3 },
        { 2, 1, 3 },
        { 2, 2, 2 },
    });

    [Fact]
    public void StationarityIsTheMeanJaccardOverConsecutiveLayersACommunitySpans()
    {
        var z = Stationarity.OfCommunities(Toy);
        // community 1: J({0,1},{0,1,2}) = 2/3, J({0,1,2},{0}) = 1/3 → 1/2
        Assert.Equal(0.5, z[1], 1e-15);
        // community 2: J({2,3},{3}) = 1/2, J({3},{3}) = 1 → 3/4
        Assert.Equal(0.75, z[2], 1e-15);
        Assert.True(double.IsNaN(z[3]));
        Assert.Equal(0.625, Stationarity.Mean(Toy), 1e-15);
    }

    [Fact]
    public void StationarityCountsASkippedLayerAsZero()
    {
        var p = NodesByLayers(new[,] { { 1, 2, 1 }, { 1, 2, 1 } });
        Assert.Equal(0.0, Stationarity.OfCommunities(p)[1], 1e-15);
        Assert.True(double.IsNaN(Stationarity.Mean(NodesByLayers(new[,] { { 1 }, { 2 } }))));
    }

    [Fact]
    public void MeanCommunitySizeAveragesOverCommunityLayerOccurrences()
    {
        // layers hold 2, 2 and 3 communities: 12 node-layers / 7 occurrences
        Assert.Equal(12.0 / 7.0, CommunitySize.Mean(Toy), 1e-15);
        Assert.Equal(4.0, CommunitySize.Mean(NodesByLayers(new[,] { { 1 }, { 1 }, { 1 }, { 1 } })), 1e-15);
    }

    [Fact]
    public void CountingCommunitiesAndPersistence()
    {
        Assert.Equal(3, Toy.Communities);
        // kept labels: node0 2, node1 1, node2 0, node3 2 → 5 of 8
        Assert.Equal(5, Persistence.Count(Toy));
        Assert.Equal(0.625, Persistence.Normalised(Toy), 1e-15);
        Assert.Equal(1 - Flexibility.OfSystem(Toy), Persistence.Normalised(Toy), 1e-15);
    }

    [Fact]
    public void RecruitmentAndIntegrationFromAllegiance()
    {
        var p = ModuleAllegiance.Of(Toy);
        int[] systems = [7, 7, 9, 9];
        var recruitment = Recruitment.OfNodes(p, systems);
        var integration = Integration.OfNodes(p, systems);
        // P(0,1) = 2/3, P(2,3) = 1/3; P(0,2) = 1/3, P(0,3) = 0, P(1,2) = 2/3, P(1,3) = 0
        Assert.Equal([2 / 3.0, 2 / 3.0, 1 / 3.0, 1 / 3.0], recruitment, new ToleranceComparer(1e-15));
        Assert.Equal([1 / 6.0, 1 / 3.0, 1 / 2.0, 0.0], integration, new ToleranceComparer(1e-15));
        var between = Recruitment.BetweenSystems(p, systems, out int k);
        Assert.Equal(2, k);
        Assert.Equal([2 / 3.0, 0.25, 0.25, 1 / 3.0], between, new ToleranceComparer(1e-15));
        Assert.True(double.IsNaN(Recruitment.OfNodes(p, [1, 2, 2, 2])[0]));
    }

    [Fact]
    public void OneLayerHasNoFlexibility()
    {
        var p = new MultilayerPartition([0, 1, 1], 1, 3);
        Assert.All(Flexibility.OfNodes(p), f => Assert.Equal(0.0, f));
        Assert.Equal(1.0, Persistence.Normalised(p));
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new MultilayerPartition([1, 2, 3], 2, 2));
        Assert.Throws<ArgumentException>(() => new MultilayerPartition([], 0, 0));
        Assert.Throws<ArgumentException>(() => ModuleAllegiance.Of(new MultilayerPartition([1, 2], 1, 2), new MultilayerPartition([1, 2, 3], 1, 3)));
        Assert.Throws<ArgumentException>(() => Recruitment.OfNodes(new double[9], [1, 2]));
    }
}
