using System.Text.Json;
using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

/// <summary>`annscope communities --score` with labels exactly as NumPy saves them (tests/fixtures/npy).</summary>
public class ScoreLabelsFromNumPyTests
{
    private static double[] Fc(int layers)
    {
        // two layers of a 6-node signed graph with three planted pairs (0,4), (1,5)... as in the fixture labels
        int[] partition = [2, 0, 1, 1, 0, 2];
        var fc = new double[layers * 36];
        for (int l = 0; l < layers; l++)
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++)
                    fc[l * 36 + i * 6 + j] = i == j ? 1 : partition[i] == partition[j] ? 0.6 - 0.1 * l : -0.2 + 0.03 * ((i + j) % 3);
        return fc;
    }

    private static (int Exit, string Error, string? Json) Score(TempDir dir, string labels, bool multilayer)
    {
        var args = new List<string> { "communities", "--fc", dir.File(multilayer ? "layers.npy" : "fc.npy"), "--score", labels, "--out", dir.File("r.json") };
        if (multilayer) args.Add("--multilayer");
        var run = CliRunner.Run(args);
        var json = File.Exists(dir.File("r.json")) ? File.ReadAllText(dir.File("r.json")) : null;
        if (json is not null) File.Delete(dir.File("r.json"));
        return (run.ExitCode, run.StdErr, json);
    }

    private static double Modularity(string json) => JsonDocument.Parse(json).RootElement.GetProperty("modularity").GetDouble();

    private static string Labels(string json) => JsonDocument.Parse(json).RootElement.GetProperty("labels").GetRawText();

    [Fact]
    public void IntegerAndWholeFloatLabelsOfEveryWidthScoreLikeFloat64()
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("fc.npy"), Fc(1), 6, 6);
        var reference = Score(dir, Repo.Fixture("npy", "labels_f8.npy"), multilayer: false);
        Assert.True(reference.Exit == 0, reference.Error);
        Assert.True(Modularity(reference.Json!) > 0.1, "the planted partition has clear positive modularity");
        foreach (var file in new[] { "labels_i1.npy", "labels_i8.npy", "labels_u2.npy", "labels_u8.npy", "labels_be_i4.npy", "labels_f2.npy" })
        {
            var run = Score(dir, Repo.Fixture("npy", file), multilayer: false);
            Assert.True(run.Exit == 0, $"{file}: {run.Error}");
            Assert.Equal(Modularity(reference.Json!), Modularity(run.Json!));
            Assert.Equal(Labels(reference.Json!), Labels(run.Json!));
        }
    }

    [Fact]
    public void FortranOrderLayerLabelsScoreLikeTheSameLabelsInCOrder()
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("layers.npy"), Fc(2), 2, 6, 6);
        int[] partition = [2, 0, 1, 1, 0, 2];
        Npy.Write<double>(dir.File("c.npy"), Enumerable.Range(0, 12).Select(k => (double)(partition[k % 6] + 3 * (k / 6))).ToArray(), 2, 6);
        var reference = Score(dir, dir.File("c.npy"), multilayer: true);
        Assert.True(reference.Exit == 0, reference.Error);
        var fortran = Score(dir, Repo.Fixture("npy", "labels_fortran_i8.npy"), multilayer: true);
        Assert.True(fortran.Exit == 0, fortran.Error);
        Assert.Equal(Modularity(reference.Json!), Modularity(fortran.Json!));
        Assert.Equal(Labels(reference.Json!), Labels(fortran.Json!));
    }

    [Theory]
    [InlineData("labels_fraction.npy", "entry [2] is 1.5")]
    [InlineData("labels_nan.npy", "entry [3] is NaN")]
    [InlineData("complex.npy", "unsupported dtype <c16")]
    public void OtherLabelsExitTwoNamingTheFirstBadEntryAndWriteNothing(string file, string expected)
    {
        using var dir = new TempDir();
        Npy.Write<double>(dir.File("fc.npy"), Fc(1), 6, 6);
        if (file == "complex.npy") Npy.Write<double>(dir.File("fc.npy"), Fc(1).Take(4).ToArray(), 2, 2);
        var run = Score(dir, Repo.Fixture("npy", file), multilayer: false);
        Assert.Equal(2, run.Exit);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Null(run.Json);
    }
}
