using AnnScope.Reports;
using AnnScope.Results;
using AnnScope.Studies;
using AnnScope.Tests.Studies;
using AnnScope.Tests.Support;
using ScottPlot;
using ScottPlot.Plottables;

namespace AnnScope.Tests.Reports;

/// <summary>
/// What the figures show, read from their plots (ScottPlot's model of each panel, not pixels): the plotted values
/// against the study's own tables, and every series in its own colour and marker.
/// </summary>
public class FigureContentTests(StudyReportTests.GeneratedReport report) : IClassFixture<StudyReportTests.GeneratedReport>
{
    private const double Exact = 1e-12;

    private IReadOnlyList<Figure> Figures() => StudyFigures.Render(StudyStoreReader.Read(report.Dir.Path));

    /// <summary>The same colour, whatever the opacity (faded marks keep their series' colour).</summary>
    private static bool SameHue(Color a, Color b) => a.Red == b.Red && a.Green == b.Green && a.Blue == b.Blue;

    private static Figure Named(IReadOnlyList<Figure> figures, string file) => figures.Single(f => f.FileName == file);

    /// <summary>The points of the one line whose legend starts with <paramref name="legend"/>.</summary>
    private static Coordinates[] Series(Plot plot, string legend) =>
    [
        .. plot.GetPlottables<Scatter>().Single(s => s.LegendText.StartsWith(legend, StringComparison.Ordinal)).Data.GetScatterPoints(),
    ];

    [Theory]
    [InlineData("accuracy.png", "paper_accuracy", "accuracy (paper score)")]
    [InlineData("flexibility.png", "flexibility", "flexibility")]
    [InlineData("entropy.png", "entropy", "entropy")]
    [InlineData("modularity.png", "multilayer_modularity", "modularity (multilayer)")]
    public void CurvesPlotTheInstanceMeanOfTheTableAtEveryCheckpoint(string file, string column, string legend)
    {
        var study = report.Study;
        var points = Series(Named(Figures(), file).Panels[0], legend + ": mean");
        Assert.Equal(study.CheckpointEpochs.Select(e => (double)e), points.Select(p => p.X));
        var values = study.Columns[column];
        for (int c = 0; c < values.Length; c++)
            Assert.Equal(values[c].Average(), points[c].Y, Exact);
    }

    [Fact]
    public void AcrossInstanceMarkersAreThePearsonRsOfTheTable()
    {
        var study = report.Study;
        var plot = Named(Figures(), "across_instance_r.png").Panels[0];
        var accuracy = study.Columns["paper_accuracy"];
        foreach (var measure in SyntheticStudy.Measures)
        {
            var color = FigureStyle.ColorOf(measure);
            var drawn = plot.GetPlottables<Markers>().Where(m => SameHue(m.MarkerStyle.FillColor, color))
                .SelectMany(m => m.Data.GetScatterPoints()).OrderBy(p => p.X).ToArray();
            var expected = study.CheckpointEpochs.Select((e, c) => (Epoch: e, SyntheticStudy.Pearson(accuracy[c], study.Columns[measure][c]).R))
                .Where(p => p.R.HasValue).ToArray();
            Assert.True(expected.Select(p => (double)p.Epoch).SequenceEqual(drawn.Select(p => p.X)),
                $"{measure}: markers at {string.Join(' ', drawn.Select(p => p.X))} of {plot.GetPlottables<Markers>().Count()} marker sets " +
                $"({string.Join(' ', plot.GetPlottables<Markers>().Select(m => m.MarkerStyle.FillColor.ToHex()))}), expected {color.ToHex()}");
            Assert.Equal(expected.Select(p => p.R!.Value), drawn.Select(p => p.Y), (a, b) => Math.Abs(a - b) < 1e-9);
            // significant points solid, others faded: as many of each as the p-values say
            var summary = StudyStoreReader.Read(report.Dir.Path).Summary.AcrossInstance[measure];
            int significant = summary.Count(p => p.R.HasValue && p.P < StudyFigures.Alpha);
            Assert.Equal(significant, plot.GetPlottables<Markers>().Where(m => m.MarkerStyle.FillColor == color).Sum(m => m.Data.GetScatterPoints().Count));
        }
    }

    [Fact]
    public void WithinWindowPointsAreTheMeanPerInstanceRsOfTheTable()
    {
        var study = report.Study;
        var plot = Named(Figures(), "within_window_r.png").Panels[0];
        var accuracy = study.Columns["paper_accuracy"];
        var epochs = study.CheckpointEpochs;
        foreach (var measure in SyntheticStudy.Measures)
        {
            var points = Series(plot, FigureStyle.Name(measure));
            var expected = new List<Coordinates>();
            for (int w = 0; (w + 1) * study.Window <= epochs.Length; w++)
            {
                var cs = Enumerable.Range(w * study.Window, study.Window).ToArray();
                var rs = Enumerable.Range(0, study.Instances)
                    .Select(i => SyntheticStudy.Pearson([.. cs.Select(c => accuracy[c][i])], [.. cs.Select(c => study.Columns[measure][c][i])]).R)
                    .Where(r => r.HasValue).Select(r => r!.Value).ToArray();
                if (rs.Length > 0) expected.Add(new((epochs[cs[0]] + epochs[cs[^1]]) / 2.0, rs.Average()));
            }
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(p => p.X), points.Select(p => p.X));
            Assert.Equal(expected.Select(p => p.Y), points.Select(p => p.Y), (a, b) => Math.Abs(a - b) < 1e-9);
        }
    }

    [Fact]
    public void EverySeriesOfEveryFigureHasItsOwnColourAndMarker() => AssertDistinctSeries(Figures());

    /// <summary>
    /// In every panel, the legend's series differ pairwise in colour and in marker, and every series has a visible
    /// marker; the keys that explain the significance marks ("p &lt; α", "p ≥ α") are not series.
    /// </summary>
    internal static void AssertDistinctSeries(IReadOnlyList<Figure> figures)
    {
        int checkedPanels = 0;
        foreach (var figure in figures)
            foreach (var (plot, k) in figure.Panels.Select((p, k) => (p, k)))
            {
                var series = plot.Legend.GetItems()
                    .Where(i => !string.IsNullOrEmpty(i.LabelText) && !i.LabelText.StartsWith("p ", StringComparison.Ordinal))
                    .ToArray();
                if (series.Length == 0) continue;
                checkedPanels++;
                string where = $"{figure.FileName} panel {k}";
                foreach (var s in series)
                    Assert.True(s.MarkerShape != MarkerShape.None && s.MarkerSize > 0, $"{where}: '{s.LabelText}' has no marker");
                for (int a = 0; a < series.Length; a++)
                for (int b = 0; b < a; b++)
                {
                    Assert.True(!SameHue(series[a].LineColor, series[b].LineColor),
                        $"{where}: '{series[a].LabelText}' and '{series[b].LabelText}' share the colour {series[a].LineColor.ToHex()}");
                    Assert.True(series[a].MarkerShape != series[b].MarkerShape,
                        $"{where}: '{series[a].LabelText}' and '{series[b].LabelText}' share the marker {series[a].MarkerShape}");
                }
            }
        Assert.True(checkedPanels >= 8, $"only {checkedPanels} panels have a legend");
    }
}

/// <summary>The figures of a real (tiny) study, with all six summary measures: every series tells apart.</summary>
public class RealStudyFigureTests(RealStudyFigureTests.TinyStudy study) : IClassFixture<RealStudyFigureTests.TinyStudy>
{
    public sealed class TinyStudy : IDisposable
    {
        public TempDir Dir { get; } = new();

        public string Path { get; }

        public TinyStudy()
        {
            Path = Dir.File("s");
            var run = CliRunner.Run("study", "--config", StudyCli.WriteConfig(Dir), "--out", Path);
            Assert.True(run.ExitCode == 0, run.StdErr);
        }

        public void Dispose() => Dir.Dispose();
    }

    [Fact]
    public void EverySeriesOfEveryFigureHasItsOwnColourAndMarker()
    {
        var results = StudyStoreReader.Read(study.Path);
        Assert.Contains("multilayer_communities", results.Summary.Measures);
        FigureContentTests.AssertDistinctSeries(StudyFigures.Render(results));
    }

    [Fact]
    public void CommunitiesCurvesAreTheTablesInstanceMeans()
    {
        var results = StudyStoreReader.Read(study.Path);
        var plot = StudyFigures.Render(results).Single(f => f.FileName == "communities.png").Panels[0];
        var table = File.ReadAllLines(System.IO.Path.Combine(study.Path, "checkpoints.csv"));
        var header = table[0].Split(',');
        foreach (var column in new[] { "multilayer_communities", "static_communities" })
        {
            int c = Array.IndexOf(header, column), e = Array.IndexOf(header, "epoch");
            var expected = table.Skip(1).Select(l => l.Split(',')).GroupBy(r => int.Parse(r[e]))
                .Select(g => new Coordinates(g.Key, g.Average(r => double.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture))))
                .OrderBy(p => p.X).ToArray();
            var drawn = plot.GetPlottables<Scatter>().Single(s => s.LegendText.StartsWith(FigureStyle.Name(column), StringComparison.Ordinal))
                .Data.GetScatterPoints();
            Assert.Equal(expected.Select(p => p.X), drawn.Select(p => p.X));
            Assert.Equal(expected.Select(p => p.Y), drawn.Select(p => p.Y), (a, b) => Math.Abs(a - b) < 1e-12);
        }
    }
}
