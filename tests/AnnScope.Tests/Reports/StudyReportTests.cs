using System.Globalization;
using System.Text.RegularExpressions;
using AnnScope.Reports;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Reports;

public class StudyReportTests
{
    public static readonly string[] ExpectedFigures =
    [
        "accuracy.png", "flexibility.png", "communities.png", "modularity.png", "entropy.png", "normalised_overlay.png",
        "activation_and_correlation.png", "kurtosis_and_skewness.png", "activation_histograms.png", "correlation_histograms.png",
        "allegiance.png", "across_instance_r.png", "within_window_r.png", "within_window_histograms.png", "learning_modes.png",
    ];

    /// <summary>One synthetic study with its report, shared by the tests that only read it.</summary>
    public sealed class GeneratedReport : IDisposable
    {
        public TempDir Dir { get; } = new();
        public SyntheticStudy Study { get; } = new();
        public StudyReportOutput Output { get; }
        public string Html { get; }

        public GeneratedReport()
        {
            Study.Write(Dir.Path);
            Output = StudyReport.Generate(Dir.Path);
            Html = File.ReadAllText(Output.ReportPath);
        }

        public void Dispose() => Dir.Dispose();
    }

    public class OnASyntheticStudy(GeneratedReport report) : IClassFixture<GeneratedReport>
    {
        [Fact]
        public void WritesEveryFigureAsAPngOfItsSize()
        {
            var figures = Path.Combine(report.Dir.Path, "figures");
            Assert.Equal(ExpectedFigures.Order(), Directory.GetFiles(figures).Select(Path.GetFileName).Order());
            Assert.Equal(ExpectedFigures.Length, report.Output.FigurePaths.Count);
            foreach (var name in ExpectedFigures)
            {
                var bytes = File.ReadAllBytes(Path.Combine(figures, name));
                var probe = PngProbe.Of(bytes);
                Assert.True(bytes.Length > 20_000, $"{name}: only {bytes.Length} bytes");
                Assert.True(probe.Width >= 1000 && probe.Height >= 500, $"{name}: {probe.Width} × {probe.Height}");
            }
        }

        [Fact]
        public void HtmlIsSelfContainedAndEmbedsEveryFigure()
        {
            var html = report.Html;
            Assert.StartsWith("<!DOCTYPE html>", html);
            var images = Regex.Matches(html, "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"[^>]*data-file=\"figures/([a-z_]+\\.png)\"");
            Assert.Equal(ExpectedFigures.Order(), images.Select(m => m.Groups[2].Value).Order());
            foreach (Match m in images)
            {
                var embedded = Convert.FromBase64String(m.Groups[1].Value);
                Assert.Equal(File.ReadAllBytes(Path.Combine(report.Dir.Path, "figures", m.Groups[2].Value)), embedded);
            }
            Assert.DoesNotMatch("(src|href)=\"(?!data:|#)", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<link", html);
            Assert.DoesNotContain("url(", html);
        }

        [Fact]
        public void HtmlShowsTheKeyNumbers()
        {
            var html = report.Html;
            var study = report.Study;
            string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
            var accuracy = study.Columns["paper_accuracy"];
            Assert.Contains(F(accuracy[0].Average()), html);
            Assert.Contains(F(accuracy[^1].Average()), html);
            Assert.Contains("seed", html);
            Assert.Contains(study.Seed.ToString(CultureInfo.InvariantCulture), html);
            Assert.Contains("analysis", html); // a timing stage
            Assert.Contains("30.25", html);
            Assert.Contains("300 MiB", html);
            Assert.Contains(SyntheticStudy.ModelName.Replace(">", "&gt;"), html);
            Assert.Contains(F(SyntheticStudy.ModelSlope), html);
            Assert.Contains(F(SyntheticStudy.ModelSlopeSe), html);
            Assert.Contains(SyntheticStudy.MediationName.Replace(">", "&gt;"), html);
            Assert.Contains("0.00231", html);
            Assert.Contains("[0.00171, 0.00298]", html);
            // the across-instance peak of each measure, with its epoch
            foreach (var measure in SyntheticStudy.Measures)
            {
                var rs = study.CheckpointEpochs.Select((e, c) => (Epoch: e, R: SyntheticStudy.Pearson(accuracy[c], study.Columns[measure][c]).R!.Value)).ToArray();
                var peak = rs.MaxBy(x => x.R);
                Assert.Matches($"<td>{measure}</td><td class=\"n\">{Regex.Escape(F(peak.R))}</td><td class=\"n\">{peak.Epoch}</td>", html);
            }
            // learning-mode counts
            foreach (var mode in new[] { "I", "II", "instant", "other" })
            {
                int n = Enumerable.Range(0, study.Instances).Count(i => study.ModeOf(i) == mode);
                Assert.Contains($"<tr><td>{mode}</td><td class=\"n\">{n}</td>", html);
            }
            Assert.Contains("gamma_pos", html); // the config
        }
    }

    [Fact]
    public void RegeneratingReplacesTheFiguresFolderWhole()
    {
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 4, Epochs = 100 }.Write(dir.Path);
        StudyReport.Generate(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "figures", "stale.png"), "old");
        StudyReport.Generate(dir.Path);
        Assert.False(File.Exists(Path.Combine(dir.Path, "figures", "stale.png")));
        Assert.Equal(ExpectedFigures.Length, Directory.GetFiles(Path.Combine(dir.Path, "figures")).Length);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, ".*")); // no temporary leftovers
    }

    [Fact]
    public void ACorruptStudyLeavesThePreviousReportUntouched()
    {
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 4, Epochs = 100 }.Write(dir.Path);
        StudyReport.Generate(dir.Path);
        var report = File.ReadAllBytes(Path.Combine(dir.Path, "report.html"));
        var accuracy = File.ReadAllBytes(Path.Combine(dir.Path, "figures", "accuracy.png"));
        var csv = Path.Combine(dir.Path, "checkpoints.csv");
        File.WriteAllBytes(csv, File.ReadAllBytes(csv)[..^30]); // killed mid-row

        var e = Assert.Throws<InvalidDataException>(() => StudyReport.Generate(dir.Path));
        Assert.Contains("checkpoints.csv", e.Message);
        Assert.Equal(report, File.ReadAllBytes(Path.Combine(dir.Path, "report.html")));
        Assert.Equal(accuracy, File.ReadAllBytes(Path.Combine(dir.Path, "figures", "accuracy.png")));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, ".*"));
    }

    [Fact]
    public void AStudyWithoutAccuraciesStillGetsEveryFigure()
    {
        // `annscope analyze` on activations without --accuracy: accuracy columns are NaN and correlations undefined
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 4, Epochs = 100 }.Write(dir.Path);
        var csv = Path.Combine(dir.Path, "checkpoints.csv");
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        var nan = new[] { "accuracy", "tpr", "fpr", "balanced_accuracy", "paper_accuracy", "lambda", "eta", "loss" }.Select(c => Array.IndexOf(header, c)).ToHashSet();
        File.WriteAllText(csv, string.Join("\n", lines.Select((l, k) => k == 0 ? l : string.Join(',', l.Split(',').Select((cell, j) => nan.Contains(j) ? "NaN" : cell)))) + "\n");
        var summary = Path.Combine(dir.Path, "summary.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(summary))!;
        foreach (var (_, points) in node["across_instance"]!.AsObject())
            foreach (var p in points!.AsArray()) { p!["r"] = null; p["p"] = null; }
        node["within_window"] = new System.Text.Json.Nodes.JsonObject();
        File.WriteAllText(summary, node.ToJsonString());

        var output = StudyReport.Generate(dir.Path);
        Assert.Equal(ExpectedFigures.Length, output.FigurePaths.Count);
        Assert.All(output.FigurePaths, f => Assert.True(PngProbe.Of(File.ReadAllBytes(f)).DistinctColors > 10, f));
        Assert.Contains("undefined", File.ReadAllText(output.ReportPath));
    }
}
