using AnnScope.Connectivity;
using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Docs;

/// <summary>Runs every example of docs/api.md (see <see cref="ApiExamples"/>) and checks that what it gives is right.</summary>
public class ApiExampleTests
{
    [Fact]
    public void TrainRecordConnectivityCommunitiesAndMeasures()
    {
        using var dir = new TempDir();
        var last = ApiExamples.TrainAndRecord(dir.File("activations.npy"));
        var (recorded, shape) = Npy.ReadFloat32(dir.File("activations.npy"));
        Assert.Equal([4L, 5L, 300L, 24L], shape);
        Assert.Equal(40, last.Epoch);
        // the last checkpoint of instance 3 is the last slab of the file
        Assert.Equal(last.ActivationsOf(3).ToArray(), recorded.AsSpan(recorded.Length - 300 * 24).ToArray());

        var activations = last.ActivationsOf(0);
        var (full, windowed, layers) = ApiExamples.Connectivity(activations, 300, 24);
        Assert.Equal(10, layers);
        var expected = new float[windowed.Length];
        FunctionalConnectivityReference.Pearson<float>(activations, new SeriesShape(1, 300, 24), 30, expected);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], windowed[i], 2e-5f);
        Assert.Equal(1f, full[0]);

        var single = ApiExamples.SingleLayerCommunities(full, 24);
        Assert.InRange(single.Communities, 1, 24);
        Assert.InRange(single.Modularity, 0, 1);
        var multilayer = ApiExamples.MultilayerCommunitiesOf(windowed, layers, 24);
        Assert.Equal(10 * 24, multilayer.Labels.Length);
        Assert.InRange(multilayer.Flexibility, 0, 1);

        var measures = ApiExamples.Measures(activations, 300, 24);
        Assert.True(double.IsFinite(measures.Entropy.Value));
        Assert.InRange(measures.MeanCorrelation, -1, 1);
    }

    [Fact]
    public void MixedModelAndMediationFindThePlantedEffects()
    {
        var random = new Random(4);
        var modularity = new List<double>();
        var flexibility = new List<double>();
        var accuracy = new List<double>();
        var instance = new List<string>();
        for (int g = 0; g < 8; g++)
        {
            double offset = 0.1 * random.NextDouble();
            for (int c = 0; c < 12; c++)
            {
                double q = 0.2 + 0.05 * c + 0.02 * random.NextDouble();
                double f = 0.8 - 1.5 * q + 0.02 * random.NextDouble();
                modularity.Add(q);
                flexibility.Add(f);
                accuracy.Add(offset + 0.4 - 0.5 * f + 0.005 * random.NextDouble());
                instance.Add($"i{g}");
            }
        }
        var (fit, mediation) = ApiExamples.Relate([.. modularity], [.. flexibility], [.. accuracy], [.. instance]);
        Assert.InRange(fit["modularity"].Estimate, 0.6, 0.9);     // 0.5 · 1.5 through flexibility
        Assert.InRange(mediation.Indirect, 0.6, 0.9);
        Assert.True(mediation.IndirectCiLower > 0);
    }

    [Fact]
    public void TheWholeStudyEndsWithItsReport()
    {
        using var dir = new TempDir();
        var study = Path.Combine(dir.Path, "study");
        var results = ApiExamples.WholeStudy(study);
        Assert.True(results.Manifest.IsComplete);
        Assert.Equal(4, results.Instances);
        Assert.Equal([0, 10, 20, 30, 40, 50, 60], results.Epochs);
        Assert.True(File.Exists(Path.Combine(study, "report.html")));
    }
}
