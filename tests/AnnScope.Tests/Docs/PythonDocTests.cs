using AnnScope.IO;
using AnnScope.Results;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Docs;

/// <summary>
/// docs/python.md: its numpy/h5py blocks run as one script, and what they write is analysed by the `annscope`
/// command. The PyTorch block is documentation only (no torch here) and says so in its first line.
/// </summary>
public class PythonDocTests
{
    private const string TorchMarker = "# needs PyTorch";

    [H5pyFact]
    public void TheNumpyAndH5pyPartWritesWhatAnalyzeReads()
    {
        var blocks = ApiDocTests.CodeBlocks(File.ReadAllLines(Path.Combine(Repo.Root, "docs", "python.md")), "python");
        Assert.Single(blocks, b => b.StartsWith(TorchMarker, StringComparison.Ordinal));
        var tested = blocks.Where(b => !b.StartsWith(TorchMarker, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, tested.Count);

        using var dir = new TempDir();
        File.WriteAllText(dir.File("record.py"), string.Join("\n\n", tested) + "\n");
        var run = ExternalTools.Run(ExternalTools.PythonWithH5py!, [dir.File("record.py")], 120, workingDirectory: dir.Path);
        Assert.True(run.ExitCode == 0, run.StdErr);

        var (npy, shape) = Npy.ReadFloat32(dir.File("activations.npy"));
        Assert.Equal([4L, 5L, 200L, 12L], shape);
        Assert.Equal(1 + 4 * 5, File.ReadAllLines(dir.File("accuracy.csv")).Length);

        // the quick preset's 50 windows would leave 4 samples each: ten windows of 20, one run each
        File.WriteAllText(dir.File("config.json"),
            """{"windows": 10, "runs": 1, "static_runs": 1, "mediation_bootstrap": 10, "correlation_window": 3}""");
        var study = dir.File("study");
        var analyze = CliRunner.Run("analyze", "--activations", dir.File("activations.h5"), "--accuracy", dir.File("accuracy.csv"),
            "--config", dir.File("config.json"), "--out", study);
        Assert.True(analyze.ExitCode == 0, analyze.StdErr);
        var results = StudyStoreReader.Read(study);
        Assert.Equal(4, results.Instances);
        Assert.Equal([0, 10, 20, 30, 40], results.Epochs);
        Assert.True(File.Exists(Path.Combine(study, "report.html")));
        // the accuracy the script wrote is the accuracy the study relates to its measures
        var accuracy = File.ReadAllLines(dir.File("accuracy.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => (int.Parse(c[0]), int.Parse(c[1])), c => double.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var row in results.Checkpoints.Rows)
            Assert.Equal(accuracy[(row.Instance, row.Epoch)], row.Accuracy, 12);
        Assert.NotEmpty(npy);
    }
}
