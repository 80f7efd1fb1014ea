using AnnScope.Communities;
using AnnScope.Dynamics;
using CsCheck;

namespace AnnScope.Tests.Communities;

public class OrdinalPostprocessingTests
{
    [Fact]
    public void RelabelsLayersToFollowThePreviousOne()
    {
        // layer 2 calls the same groups by swapped names; layer 3 has a group that shares no node with layer 2
        int[] labels = [0, 0, 1, 1, /**/ 5, 5, 4, 4, /**/ 5, 5, 5, 9];
        OrdinalPostprocessing.Apply(labels, 3, 4);
        Assert.Equal([0, 0, 1, 1, /**/ 0, 0, 1, 1, /**/ 0, 0, 0, 1], labels);
    }

    [Fact]
    public void GivesAFreshLabelWhenNothingOverlaps()
    {
        // layer 2 has three groups for two previous ones: the unmatched one gets a new label, not a reused one
        int[] labels = [0, 0, 1, 1, 1, 1, /**/ 7, 7, 8, 8, 9, 9];
        OrdinalPostprocessing.Apply(labels, 2, 6);
        Assert.Equal(0, labels[6]);
        Assert.Equal(1, labels[8]);
        Assert.Equal(labels[10], labels[11]);
        Assert.True(labels[10] > 1);
    }

    [Fact]
    public void NeverChangesLayersAndNeverLowersPersistence()
    {
        var gen =
            from layers in Gen.Int[1, 6]
            from nodes in Gen.Int[1, 9]
            from labels in Gen.Int[0, 4].Array[layers * nodes]
            select (layers, nodes, labels);
        gen.Sample(p =>
        {
            var relabelled = (int[])p.labels.Clone();
            OrdinalPostprocessing.Apply(relabelled, p.layers, p.nodes);
            for (int s = 0; s < p.layers; s++)
                Assert.True(Partitions.SamePartition(p.labels.AsSpan(s * p.nodes, p.nodes), relabelled.AsSpan(s * p.nodes, p.nodes)));
            Assert.True(Persistence.Count(new MultilayerPartition(relabelled, p.layers, p.nodes)) >=
                        Persistence.Count(new MultilayerPartition(p.labels, p.layers, p.nodes)));
        }, iter: 500);
    }
}
