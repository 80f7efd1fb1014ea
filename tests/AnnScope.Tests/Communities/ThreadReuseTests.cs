using AnnScope.Communities;
using AnnScope.Communities.Engine;
using static AnnScope.Tests.Communities.CommunityFixtures;

namespace AnnScope.Tests.Communities;

/// <summary>
/// What a thread keeps between community runs so that a study's runs do not allocate (and fault in) megabytes each: the
/// spare block array of a multilayer problem and the engine's workspaces. Reuse must never show in a result.
/// </summary>
public class ThreadReuseTests
{
    private static readonly MultilayerOptions Options = new() { Objective = LayerObjective.Study, Omega = 1.0, Runs = 1, MaxDegreeOfParallelism = 1, Seed = 3 };

    [Fact]
    public void ARunOnReusedBlocksFindsWhatARunOnAFreshProblemFinds()
    {
        OwnThread.Run(() =>
        {
            var planted = CorrWindows;
            var signed = planted.Select((x, k) => k % 7 == 0 ? -x : x).ToArray();
            Symmetrise(signed, Windows, Units);
            // fresh problems: built by the caller, never from the thread's spare
            var expectedPlanted = MultilayerCommunities.Detect(MultilayerModularity.FromConnectivity(planted, Windows, Units, Options.Objective, Options.Omega), Options);
            var expectedSigned = MultilayerCommunities.Detect(MultilayerModularity.FromConnectivity(signed, Windows, Units, Options.Objective, Options.Omega), Options);
            Assert.NotEqual(expectedPlanted.Labels, expectedSigned.Labels);

            // the span overloads reuse the blocks of the call before: every entry must be rewritten
            foreach (var (fc, expected) in new[] { (planted, expectedPlanted), (signed, expectedSigned), (planted, expectedPlanted) })
            {
                var found = MultilayerCommunities.Detect(fc, Windows, Units, Options);
                Assert.Equal(expected.Labels, found.Labels);
                Assert.Equal(expected.Modularity, found.Modularity);
                Assert.Equal(expected.Flexibility, found.Flexibility);
            }
        });
    }

    [Fact]
    public void ARefusedProblemLeavesTheThreadAbleToRun()
    {
        OwnThread.Run(() =>
        {
            var expected = MultilayerCommunities.Detect(CorrWindows, Windows, Units, Options);
            var bad = (double[])CorrWindows.Clone();
            bad[5 * Units * Units + 3 * Units + 4] = double.NaN;
            var error = Assert.Throws<ArgumentException>(() => MultilayerCommunities.Detect(bad, Windows, Units, Options));
            Assert.Contains("non-finite", error.Message);
            Assert.Equal(expected.Labels, MultilayerCommunities.Detect(CorrWindows, Windows, Units, Options).Labels);
        });
    }

    [Fact]
    public void AThreadKeepsTheWorkspacesOfTheLastTwoSizes()
    {
        OwnThread.Run(() =>
        {
            var multilayer = LouvainWorkspace.ForThread(6000);
            var single = LouvainWorkspace.ForThread(120);
            Assert.Same(multilayer, LouvainWorkspace.ForThread(6000));
            Assert.Same(single, LouvainWorkspace.ForThread(120));
            var third = LouvainWorkspace.ForThread(50);
            Assert.Same(third, LouvainWorkspace.ForThread(50));
            Assert.Same(single, LouvainWorkspace.ForThread(120));
            Assert.NotSame(multilayer, LouvainWorkspace.ForThread(6000)); // used longest ago: displaced
        });
    }

    private static void Symmetrise(double[] fc, int layers, int n)
    {
        for (int s = 0; s < layers; s++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++)
                    fc[(s * n + i) * n + j] = fc[(s * n + j) * n + i];
    }
}
