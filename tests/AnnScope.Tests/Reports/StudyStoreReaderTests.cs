using System.Text.Json.Nodes;
using AnnScope.IO;
using AnnScope.Results;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Reports;

public class StudyStoreReaderTests
{
    [Fact]
    public void TheContractColumnsAreTheOnesThePipelineWrites()
    {
        Assert.Equal(SyntheticStudy.CheckpointRowColumns, CheckpointRow.Columns);
        Assert.Equal(["instance", "epoch", "run", "seed", "modularity", "communities", "flexibility"], RunRow.Columns);
        Assert.Equal(["epoch", "kind", "bin", "lower", "upper", "count"], HistogramRow.Columns);
    }

    [Fact]
    public void ReadsEveryFileOfAStudy()
    {
        using var dir = new TempDir();
        var synthetic = new SyntheticStudy();
        synthetic.Write(dir.Path);
        var study = StudyStoreReader.Read(dir.Path);

        Assert.Equal(synthetic.Instances, study.Instances);
        Assert.Equal(synthetic.CheckpointEpochs, study.Epochs);
        Assert.Equal("complete", study.Manifest.Status);
        Assert.Equal(synthetic.Seed, study.Manifest.Seed);
        Assert.Equal(["training", "analysis", "statistics"], study.Manifest.Timings.Select(t => t.Key));
        Assert.Equal(314572800L, study.Manifest.PeakMemoryBytes);
        Assert.Equal(1.02, study.Manifest.Config.GetProperty("gamma_pos").GetDouble());
        foreach (var column in new[] { "paper_accuracy", "multilayer_modularity", "flexibility", "entropy", "multilayer_communities" })
        {
            var series = study.Checkpoints.Series(column);
            for (int c = 0; c < study.Epochs.Count; c++)
                Assert.Equal(synthetic.Columns[column][c], series[c]); // round-trip formatting: exact
        }
        Assert.Equal(3, study.Checkpoints[4, 3].Instance);
        Assert.Equal(40, study.Checkpoints[4, 3].Epoch);

        Assert.Equal(synthetic.Instances * study.Epochs.Count * 2, study.Runs.Count);
        Assert.Equal(study.Epochs.Count * 2 * 20, study.Histograms.Count);
        var bins = study.Histogram(100, "correlation");
        Assert.Equal(20, bins.Count);
        Assert.Equal(-1, bins[0].Lower, 12);
        Assert.Equal(1, bins[^1].Upper, 12);

        Assert.Equal(synthetic.AllegianceEpochs, study.Allegiance.Select(a => a.Epoch));
        var snapshot = study.Allegiance[2];
        Assert.Equal(synthetic.Units, snapshot.Units);
        var order = snapshot.UnitOrder(1);
        var labels = snapshot.Modules(1).ToArray();
        Assert.Equal(Enumerable.Range(0, synthetic.Units), order.Order());
        Assert.True(order.Select(u => labels[u]).Zip(order.Skip(1).Select(u => labels[u]), (a, b) => a <= b).All(x => x));
        Assert.Equal(1f, snapshot.Matrix(1)[5 * synthetic.Units + 5]);

        var summary = study.Summary;
        Assert.Equal("paper_accuracy", summary.AccuracyColumn);
        Assert.Equal(SyntheticStudy.Measures, summary.Measures);
        Assert.Equal(study.Epochs.Count, summary.AcrossInstance["flexibility"].Count);
        Assert.True(summary.AcrossInstance["flexibility"].All(p => p.R < 0 && p.N == synthetic.Instances));
        Assert.Equal(2, summary.WithinWindow["entropy"].Count);
        Assert.Equal(synthetic.Instances, summary.WithinWindow["entropy"][0].R.Count);
        var model = Assert.Single(summary.MixedModels);
        Assert.Equal(SyntheticStudy.ModelName, model.Key);
        Assert.Equal(["(Intercept)", "multilayer_modularity"], model.Value.FixedEffects.Select(f => f.Name));
        Assert.Equal(SyntheticStudy.ModelSlope, model.Value.FixedEffects[1].Estimate);
        Assert.True(model.Value.Reml);
        var mediation = Assert.Single(summary.Mediation);
        Assert.Contains(mediation.Value, f => f.Key == "indirect_ci" && f.Value == "[0.00171, 0.00298]");
        Assert.Equal(4, summary.LearningModes.Counts.Single(c => c.Key == "I").Value);
        Assert.Contains(summary.KeyNumbers, k => k.Key == "peak_across_instance_r_modularity.r" && k.Value == "0.61");
    }

    [Fact]
    public void AStudyStillRunningLeavesOutTheCheckpointBeingWritten()
    {
        using var dir = new TempDir();
        var synthetic = new SyntheticStudy { Instances = 4, Epochs = 100, Status = "analysed" };
        synthetic.Write(dir.Path);
        // a killed run flushed only part of the next checkpoint's rows
        var csv = Path.Combine(dir.Path, "checkpoints.csv");
        var lastRow = File.ReadAllLines(csv)[^1].Split(',');
        var extra = string.Concat(Enumerable.Range(0, 2).Select(i => string.Join(',', new[] { $"{i}", "110" }.Concat(lastRow.Skip(2))) + "\n"));
        File.AppendAllText(csv, extra);
        File.AppendAllText(Path.Combine(dir.Path, "histograms.csv"), "110,activation,0,-40,-36,5\n");

        var study = StudyStoreReader.Read(dir.Path);
        Assert.Equal(synthetic.CheckpointEpochs, study.Epochs);
        Assert.Equal(4 * synthetic.CheckpointEpochs.Length, study.Checkpoints.Rows.Count);

        Mutate(dir.Path, "study.json", json => json["status"] = "complete");
        var e = Assert.Throws<InvalidDataException>(() => StudyStoreReader.Read(dir.Path));
        Assert.Contains("checkpoints.csv", e.Message);
        Assert.Contains("completed", e.Message);
    }

    [Fact]
    public void AnUnfinishedStudyWithoutSummarySaysSo()
    {
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 3, Epochs = 60, Status = "running" }.Write(dir.Path);
        File.Delete(Path.Combine(dir.Path, "summary.json"));
        var e = Assert.Throws<FileNotFoundException>(() => StudyStoreReader.Read(dir.Path));
        Assert.Contains("summary.json", e.Message);
        Assert.Contains("not finished", e.Message);
    }

    [Fact]
    public void NotAStudyDirectory()
    {
        using var dir = new TempDir();
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => StudyStoreReader.Read(dir.File("nowhere"))).Message);
        Assert.Contains("study.json", Assert.Throws<FileNotFoundException>(() => StudyStoreReader.Read(dir.Path)).Message);
        File.WriteAllText(dir.File("plain"), "x");
        Assert.Contains("is a file", Assert.Throws<DirectoryNotFoundException>(() => StudyStoreReader.Read(dir.File("plain"))).Message);
    }

    /// <summary>Each corruption, the file it touches, and words the error must contain.</summary>
    public static TheoryData<string, string, string> Corruptions => new()
    {
        { "truncated row", "checkpoints.csv", "newline" },
        { "short row", "checkpoints.csv", "cells" },
        { "empty cell", "checkpoints.csv", "empty cell" },
        { "NaN modularity", "checkpoints.csv", "multilayer_modularity" },
        { "text in a number", "checkpoints.csv", "not a number" },
        { "flexibility above 1", "checkpoints.csv", "outside [0, 1]" },
        { "missing column", "checkpoints.csv", "missing column flexibility" },
        { "rows out of order", "checkpoints.csv", "instance" },
        { "an instance missing", "checkpoints.csv", "instances" },
        { "fewer checkpoints than recorded", "checkpoints.csv", "rows are missing" },
        { "foreign study.json", "study.json", "not an AnnScope study" },
        { "truncated study.json", "study.json", "not valid JSON" },
        { "negative timing", "study.json", "negative" },
        { "allegiance epoch not a checkpoint", "study.json", "allegiance epoch 15" },
        { "truncated summary.json", "summary.json", "not valid JSON" },
        { "summary for other instances", "summary.json", "instances" },
        { "summary for other epochs", "summary.json", "epochs" },
        { "correlation above 1", "summary.json", "outside [-1, 1]" },
        { "p-value above 1", "summary.json", "outside [0, 1]" },
        { "mode counts disagree", "summary.json", "mode" },
        { "measure not a column", "summary.json", "not a checkpoints.csv column" },
        { "fixed effect without estimate", "summary.json", "estimate" },
        { "histogram bin missing", "histograms.csv", "bin" },
        { "histogram of unknown kind", "histograms.csv", "kind" },
        { "histogram missing for a checkpoint", "histograms.csv", "no correlation histogram for epoch 20" },
        { "runs NaN", "runs.csv", "modularity" },
        { "allegiance above 1", "epoch_00000.npy", "not a fraction" },
        { "allegiance wrong shape", "epoch_00040.npy", "(4, 12, 11)" },
        { "allegiance truncated", "epoch_00080.npy", "truncated" },
        { "module label zero", "epoch_00000_modules.npy", "module label 0" },
        { "modules missing", "epoch_00100_modules.npy", "" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptOrForeignFilesAreRefusedNamingFileAndProblem(string corruption, string file, string words)
    {
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 4, Epochs = 100 }.Write(dir.Path);
        Corrupt(dir.Path, corruption);
        var e = Assert.ThrowsAny<Exception>(() => StudyStoreReader.Read(dir.Path));
        Assert.True(e is InvalidDataException or FileNotFoundException, e.GetType().Name);
        Assert.Contains(file, e.Message);
        Assert.Contains(words, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static void Corrupt(string dir, string corruption)
    {
        string csv = Path.Combine(dir, "checkpoints.csv");
        string[] Lines(string name) => File.ReadAllLines(Path.Combine(dir, name));
        void Write(string name, IEnumerable<string> lines) => File.WriteAllText(Path.Combine(dir, name), string.Join("\n", lines) + "\n");
        string[] SetCell(string[] lines, int line, string column, string value)
        {
            int k = Array.IndexOf(lines[0].Split(','), column);
            var cells = lines[line].Split(',');
            cells[k] = value;
            lines[line] = string.Join(',', cells);
            return lines;
        }
        string allegiance = Path.Combine(dir, "allegiance");
        switch (corruption)
        {
            case "truncated row": File.WriteAllBytes(csv, File.ReadAllBytes(csv)[..^30]); break;
            case "short row":
                var lines = Lines("checkpoints.csv");
                lines[7] = lines[7][..lines[7].LastIndexOf(',')];
                Write("checkpoints.csv", lines);
                break;
            case "empty cell": Write("checkpoints.csv", SetCell(Lines("checkpoints.csv"), 9, "entropy", "")); break;
            case "NaN modularity": Write("checkpoints.csv", SetCell(Lines("checkpoints.csv"), 12, "multilayer_modularity", "NaN")); break;
            case "text in a number": Write("checkpoints.csv", SetCell(Lines("checkpoints.csv"), 12, "kurtosis", "3,1".Replace(",", ";"))); break;
            case "flexibility above 1": Write("checkpoints.csv", SetCell(Lines("checkpoints.csv"), 3, "flexibility", "1.5")); break;
            case "missing column":
                var all = Lines("checkpoints.csv");
                int f = Array.IndexOf(all[0].Split(','), "flexibility");
                Write("checkpoints.csv", all.Select(l => string.Join(',', l.Split(',').Where((_, j) => j != f))));
                break;
            case "rows out of order":
                var swapped = Lines("checkpoints.csv");
                (swapped[2], swapped[3]) = (swapped[3], swapped[2]);
                Write("checkpoints.csv", swapped);
                break;
            case "an instance missing": Write("checkpoints.csv", Lines("checkpoints.csv").Where((_, k) => k != 8)); break;
            case "fewer checkpoints than recorded": Write("checkpoints.csv", Lines("checkpoints.csv")[..^4]); break;
            case "foreign study.json": Mutate(dir, "study.json", j => j["format"] = "other-tool/2"); break;
            case "truncated study.json": Truncate(Path.Combine(dir, "study.json"), 0.6); break;
            case "negative timing": Mutate(dir, "study.json", j => j["timings"]!["analysis"] = -3.0); break;
            case "allegiance epoch not a checkpoint": Mutate(dir, "study.json", j => j["allegiance_epochs"]![1] = 15); break;
            case "truncated summary.json": Truncate(Path.Combine(dir, "summary.json"), 0.5); break;
            case "summary for other instances": Mutate(dir, "summary.json", j => j["instances"] = 5); break;
            case "summary for other epochs": Mutate(dir, "summary.json", j => j["epochs"]![2] = 25); break;
            case "correlation above 1": Mutate(dir, "summary.json", j => j["across_instance"]!["entropy"]![3]!["r"] = 1.2); break;
            case "p-value above 1": Mutate(dir, "summary.json", j => j["pooled_window"]!["flexibility"]![0]!["p"] = 1.5); break;
            case "mode counts disagree": Mutate(dir, "summary.json", j => j["learning_modes"]!["counts"]!["I"] = 1); break;
            case "measure not a column": Mutate(dir, "summary.json", j => j["measures"]![0] = "wisdom"); break;
            case "fixed effect without estimate":
                Mutate(dir, "summary.json", j => j["mixed_models"]![SyntheticStudy.ModelName]!["fixed_effects"]![1]!.AsObject().Remove("estimate"));
                break;
            case "histogram bin missing": Write("histograms.csv", Lines("histograms.csv").Where((_, k) => k != 5)); break;
            case "histogram of unknown kind": Write("histograms.csv", Lines("histograms.csv").Select(l => l.Replace(",correlation,", ",covariance,"))); break;
            case "histogram missing for a checkpoint": Write("histograms.csv", Lines("histograms.csv").Where(l => !l.StartsWith("20,correlation,"))); break;
            case "runs NaN": Write("runs.csv", SetCell(Lines("runs.csv"), 4, "modularity", "NaN")); break;
            case "allegiance above 1":
                var (p, shape) = Npy.ReadFloat32(Path.Combine(allegiance, "epoch_00000.npy"));
                p[17] = 1.5f;
                Npy.Write<float>(Path.Combine(allegiance, "epoch_00000.npy"), p, shape);
                break;
            case "allegiance wrong shape":
                Npy.Write<float>(Path.Combine(allegiance, "epoch_00040.npy"), new float[4 * 12 * 11], 4, 12, 11);
                break;
            case "allegiance truncated": Truncate(Path.Combine(allegiance, "epoch_00080.npy"), 0.7); break;
            case "module label zero":
                var (m, mshape) = Npy.ReadFloat64(Path.Combine(allegiance, "epoch_00000_modules.npy"));
                m[3] = 0;
                Npy.Write<double>(Path.Combine(allegiance, "epoch_00000_modules.npy"), m, mshape);
                break;
            case "modules missing": File.Delete(Path.Combine(allegiance, "epoch_00100_modules.npy")); break;
            default: throw new ArgumentException(corruption);
        }
    }

    private static void Truncate(string path, double keep) => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length * keep)]);

    internal static void Mutate(string dir, string file, Action<JsonNode> edit)
    {
        var path = Path.Combine(dir, file);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    }
}
