using AnnScope.Communities;
using AnnScope.Dynamics;
using static AnnScope.Tests.Communities.CommunityFixtures;

namespace AnnScope.Tests.Communities;

/// <summary>The study-facing entry points: presets, best of R runs, allegiance over runs, consensus of a series.</summary>
public class FacadeTests
{
    [Fact]
    public void MultilayerDetectionKeepsTheBestRunAndPoolsAllegianceOverRuns()
    {
        var fc = SubWindows(17, 20, 0, 60);
        var options = MultilayerOptions.Robust with { Objective = LayerObjective.Classic, Runs = 4, Seed = 21 };
        var result = MultilayerCommunities.Detect(fc, 20, 60, options);
        var runs = Louvain.Runs(MultilayerModularity.FromConnectivity(fc, 20, 60, LayerObjective.Classic, 1.0), 4, 21, LouvainOptions.Robust);

        Assert.Equal(4, result.Runs.Count);
        Assert.Equal(runs.Select(r => r.Modularity), result.Runs.Select(r => r.Modularity));
        Assert.Equal(runs.Max(r => r.Modularity), result.Modularity);
        Assert.Equal(runs[result.BestRun].Labels, result.Labels);
        Assert.Equal(result.Runs.Average(r => r.Modularity), result.ModularityOverRuns.Mean, 1e-15);
        Assert.Equal(result.Runs.Max(r => r.Flexibility), result.FlexibilityOverRuns.Max);
        var partitions = runs.Select(r => new MultilayerPartition(r.Labels, 20, 60)).ToArray();
        Assert.Equal(ModuleAllegiance.Of(partitions), result.Allegiance);
        Assert.Equal(Flexibility.OfNodes(partitions[result.BestRun]), result.NodeFlexibility);
        Assert.Equal(Flexibility.OfSystem(partitions[result.BestRun]), result.Flexibility);
        Assert.Equal(partitions[result.BestRun].Communities, result.Communities);
        Assert.True(result.Modularity >= Summary.GetProperty("multi").GetProperty("60x20").GetProperty("Q_best").GetDouble() - 1e-3);
    }

    [Fact]
    public void StudyObjectiveOnFloatFcMatchesDoubleFc()
    {
        var fc = SubWindows(0, 6, 0, 40);
        var single = fc.Select(v => (float)v).ToArray();
        var a = MultilayerCommunities.Detect(fc.Select(v => (double)(float)v).ToArray(), 6, 40, MultilayerOptions.Paper);
        var b = MultilayerCommunities.Detect(single, 6, 40, MultilayerOptions.Paper);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Modularity, b.Modularity);
        Assert.Single(b.Runs);
        Assert.Equal(0.0, b.ModularityOverRuns.StandardDeviation);
    }

    [Fact]
    public void PresetsAreThePaperAndRobustRecipes()
    {
        Assert.Equal(1, MultilayerOptions.Paper.Runs);
        Assert.False(MultilayerOptions.Paper.Louvain.Iterated);
        Assert.Equal(16, MultilayerOptions.Robust.Runs);
        Assert.True(MultilayerOptions.Robust.Louvain.Iterated && MultilayerOptions.Robust.Louvain.OrdinalPostprocessing);
        Assert.Equal(MoveRule.Move, MultilayerOptions.Robust.Louvain.MoveRule);
        Assert.Equal(LayerObjective.Study, MultilayerOptions.Paper.Objective);
        Assert.Equal((1.02, 1.0, false), (LayerObjective.Study.GammaPositive, LayerObjective.Study.GammaNegative, LayerObjective.Study.ZeroDiagonal));
        Assert.Equal(1.0, MultilayerOptions.Paper.Omega);
    }

    [Fact]
    public void StaticDetectionAndScoring()
    {
        var result = StaticCommunities.Detect(CorrFull, Units, StaticOptions.Robust with { Objective = LayerObjective.Classic, Runs = 3 });
        Assert.Equal(6, result.Communities);
        Assert.Equal(Summary.GetProperty("single").GetProperty("full").GetProperty("pos").GetProperty("Q_best").GetDouble(), result.Modularity, 1e-9);
        Assert.All(Enumerable.Range(0, Units), i => Assert.Equal(1.0, result.CoAssignment[i * Units + i]));
        var truth = ReadLabels(Path("planted120", "truth_static.csv"));
        var scored = StaticCommunities.Score(ModularityMatrix.FromConnectivity(CorrFull, Units, LayerObjective.Classic), truth);
        Assert.Equal(result.Modularity, scored.Modularity, 1e-12);
        Assert.True(Partitions.SamePartition(truth, result.Labels));
    }

    [Fact]
    public void CoAssignmentCountsHowOftenPairsShareACommunity()
    {
        var c = Consensus.CoAssignment([[0, 0, 1], [5, 5, 5], [1, 2, 2], [0, 0, 1]]);
        Assert.Equal([1, 0.75, 0.25, 0.75, 1, 0.5, 0.25, 0.5, 1], c);
    }

    [Fact]
    public void ConsensusOfASeriesRecoversThePlantedModules()
    {
        // the 20 windows before the switchers move: each alone is noisy, their consensus is the planted static partition
        const int count = 20;
        var series = SubWindows(0, count, 0, Units);
        var result = Consensus.OfSeries(series, count, Units, LayerObjective.Classic, seed: 3);
        Assert.Equal(count, result.Partitions.Length);
        var truth = ReadLabels(Path("planted120", "truth_static.csv"));
        var agreement = Enumerable.Range(0, Units).SelectMany(i => Enumerable.Range(0, Units).Select(j => (i, j)))
            .Count(p => (truth[p.i] == truth[p.j]) == (result.Consensus.Labels[p.i] == result.Consensus.Labels[p.j]));
        Assert.True(agreement >= 0.95 * Units * Units, $"consensus agrees with the planted modules on {agreement} of {Units * Units} pairs");
        Assert.Equal(Consensus.CoAssignment(result.Partitions), result.CoAssignment);
        var again = Consensus.OfSeries(series, count, Units, LayerObjective.Classic, seed: 3, maxDegreeOfParallelism: 1);
        Assert.Equal(result.Consensus.Labels, again.Consensus.Labels);
    }
}
