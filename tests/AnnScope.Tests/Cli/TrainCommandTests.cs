using System.Globalization;
using System.Text.Json;
using AnnScope.IO;
using AnnScope.Models;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void WritesCheckpointsParametersAndActivationsMatchingTheLibrary()
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "run");
        var run = CliRunner.Run("train", "--instances", "2", "--epochs", "4", "--every", "2", "--input-dim", "8", "--hidden", "6",
            "--repeat", "2", "--length", "40", "--p", "0.4", "--plasticity", "free", "--seed", "3", "--threads", "2",
            "--save-activations", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("epoch 4/4", run.StdErr);

        var config = new HebbffConfig
        {
            Instances = 2, Epochs = 4, CheckpointEvery = 2, InputDim = 8, Hidden = 6, RepeatInterval = 2, Length = 40,
            RepeatProbability = 0.4, Plasticity = Plasticity.Free, Seed = 3,
        };
        using var trainer = new HebbffTrainer(config);
        var checkpoints = trainer.Train().ToList();
        var state = trainer.ExportState();

        var lines = File.ReadAllLines(Path.Combine(outDir, "checkpoints.csv"));
        var header = lines[0].Split(',');
        foreach (var column in new[] { "instance", "epoch", "accuracy", "tpr", "fpr", "balanced_accuracy", "paper_accuracy", "lambda", "eta", "loss" })
            Assert.Contains(column, header);
        Assert.Equal(1 + 2 * 3, lines.Length);
        int Col(string name) => Array.IndexOf(header, name);
        for (int row = 0; row < 6; row++)
        {
            var cells = lines[1 + row].Split(',');
            int b = row / 3, c = row % 3;
            Assert.Equal(b, int.Parse(cells[Col("instance")], CultureInfo.InvariantCulture));
            Assert.Equal(2 * c, int.Parse(cells[Col("epoch")], CultureInfo.InvariantCulture));
            var m = checkpoints[c].Metrics[b];
            Assert.Equal(m.PaperAccuracy, double.Parse(cells[Col("paper_accuracy")], CultureInfo.InvariantCulture));
            Assert.Equal(m.Loss, double.Parse(cells[Col("loss")], CultureInfo.InvariantCulture));
            Assert.Equal(m.Eta, double.Parse(cells[Col("eta")], CultureInfo.InvariantCulture));
        }

        var (activations, shape) = Npy.ReadFloat32(Path.Combine(outDir, "activations.npy"));
        Assert.Equal([2L, 3L, 40L, 6L], shape);
        for (int b = 0; b < 2; b++)
        for (int c = 0; c < 3; c++)
            Assert.Equal(checkpoints[c].ActivationsOf(b).ToArray(), activations.AsSpan((b * 3 + c) * 240, 240).ToArray());

        var (w1, w1Shape) = Npy.ReadFloat64(Path.Combine(outDir, "final", "w1.npy"));
        Assert.Equal([2L, 6L, 8L], w1Shape);
        Assert.Equal(state.ParametersOf(1)[..48].ToArray(), w1.AsSpan(48, 48).ToArray());
        Assert.Equal(state.AdamV, Npy.ReadFloat64(Path.Combine(outDir, "final", "adam_v.npy")).Data);
        var lambda = Npy.ReadFloat64(Path.Combine(outDir, "final", "lambda.npy"));
        Assert.Equal([2L], lambda.Shape);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json")));
        Assert.Equal(4, json.RootElement.GetProperty("adam_step").GetInt32());
        Assert.Equal("free", json.RootElement.GetProperty("plasticity").GetString());
    }

    [Theory]
    [InlineData("--repeat", "40", "repeat interval R (40) must be smaller than the sequence length T (40)")]
    [InlineData("--p", "1.5", "repeat probability")]
    [InlineData("--hidden", "0", "hidden units")]
    [InlineData("--plasticity", "oja", "unknown plasticity 'oja'")]
    [InlineData("--every", "0", "checkpoint interval")]
    public void BadOptionsExitTwoWithOneLineAndWriteNothing(string option, string value, string message)
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "run");
        var run = CliRunner.Run("train", "--instances", "1", "--epochs", "1", "--length", "40", option, value, "--out", outDir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StdErr);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }
}
