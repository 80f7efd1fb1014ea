using AnnScope.Results;
using ScottPlot;

namespace AnnScope.Reports;

public static partial class StudyFigures
{
    /// <summary>The significance level marked in the correlation figures.</summary>
    public const double Alpha = 0.05;

    /// <summary>The opacity of a marker whose correlation is not significant (its shape stays the measure's).</summary>
    private const double Faded = 0.3;

    private static Figure AcrossInstance(StudyResults study)
    {
        var summary = study.Summary;
        var plot = FigureStyle.NewPlot("Across-instance correlation with accuracy", "epoch", $"Pearson r({summary.AccuracyColumn}, measure)");
        var keys = new List<LegendItem>();
        foreach (var (measure, points) in Ordered(summary.AcrossInstance, summary.Measures))
        {
            var color = FigureStyle.ColorOf(measure);
            var marker = FigureStyle.MarkerOf(measure);
            double[] x = [.. points.Select(p => (double)p.Epoch)], r = [.. points.Select(p => p.R ?? double.NaN)];
            Draw.Line(plot, x, r, color, 2);
            Marks(plot, points.Where(p => p.R.HasValue && p.P < Alpha), color, marker);
            Marks(plot, points.Where(p => p.R.HasValue && !(p.P < Alpha)), color.WithAlpha(Faded), marker);
            keys.Add(Draw.Key(FigureStyle.Name(measure), color, marker, 2, withLine: true));
        }
        if (keys.Count == 0) FigureStyle.NoData(plot, "no across-instance correlations in the summary");
        else
        {
            Draw.Zero(plot);
            keys.Add(Draw.Key($"p < {Alpha}", Colors.Black, MarkerShape.FilledCircle));
            keys.Add(Draw.Key($"p ≥ {Alpha}", Colors.Black.WithAlpha(Faded), MarkerShape.FilledCircle));
            plot.Legend.ManualItems.AddRange(keys);
            plot.ShowLegend(Edge.Right);
            plot.Axes.SetLimitsY(-1.05, 1.05);
        }
        return FigureStyle.Render("across_instance_r.png", "Across-instance correlations",
            $"At each checkpoint, Pearson r between {summary.AccuracyColumn} and each measure over the {summary.Instances} instances; each measure has its own colour and marker, drawn solid where two-sided p < {Alpha} (t test, n − 2 degrees of freedom) and faded otherwise. Gaps: r undefined (a constant measure).",
            plot);
    }

    private static void Marks(Plot plot, IEnumerable<AcrossInstanceCorrelation> points, Color color, MarkerShape shape)
    {
        var chosen = points.ToArray();
        if (chosen.Length == 0) return;
        double[] x = [.. chosen.Select(p => (double)p.Epoch)], y = [.. chosen.Select(p => p.R!.Value)];
        var marks = plot.Add.Markers(x, y, shape, 8, color);
        marks.MarkerLineWidth = 1.5f;
    }

    private static Figure WithinWindow(StudyResults study)
    {
        var summary = study.Summary;
        var plot = FigureStyle.NewPlot("Within-instance correlation with accuracy, per window", "epoch (window centre)",
            $"mean r({summary.AccuracyColumn}, measure) ± SEM");
        int drawn = 0;
        foreach (var (measure, windows) in Ordered(summary.WithinWindow, summary.Measures))
        {
            var color = FigureStyle.ColorOf(measure);
            var defined = windows.Where(w => w.Mean.HasValue).ToArray();
            if (defined.Length == 0) continue;
            double[] x = [.. defined.Select(w => (w.EpochStart + w.EpochEnd) / 2.0)], y = [.. defined.Select(w => w.Mean!.Value)];
            var bars = plot.Add.ErrorBar(x, y, [.. defined.Select(w => w.Sem ?? 0)]);
            bars.Color = color;
            bars.LineWidth = 2;
            Draw.Line(plot, x, y, color, 2, FigureStyle.Name(measure), marker: FigureStyle.MarkerOf(measure));
            drawn++;
        }
        if (drawn == 0) FigureStyle.NoData(plot, "no within-window correlations in the summary");
        else
        {
            Draw.Zero(plot);
            plot.Axes.SetLimits(study.Epochs[0], study.Epochs[^1], -1.05, 1.05);
            plot.ShowLegend(Edge.Right);
        }
        var first = summary.WithinWindow.Values.FirstOrDefault()?.FirstOrDefault();
        return FigureStyle.Render("within_window_r.png", "Within-window correlations",
            "Within each instance, Pearson r between accuracy and each measure over the checkpoints of one window" +
            (first is null ? "" : $" (e.g. epochs {first.EpochStart}–{first.EpochEnd})") +
            "; points: mean over instances, bars: ± SEM (sd/√n, undefined r dropped and counted in the summary).", plot);
    }

    private static Figure WithinWindowHistograms(StudyResults study)
    {
        var summary = study.Summary;
        var rows = Ordered(summary.WithinWindow, summary.Measures).Where(m => m.Value.Count > 0).ToArray();
        const string file = "within_window_histograms.png", title = "Per-instance r per window";
        const string caption = "Histograms over instances of the within-window Pearson r between accuracy and each measure (rows: measures; columns: windows); dashed line: the mean.";
        if (rows.Length == 0)
        {
            var empty = FigureStyle.NewPlot(title, "r", "instances");
            FigureStyle.NoData(empty, "no within-window correlations in the summary");
            return FigureStyle.Render(file, title, caption, empty);
        }
        int columns = Math.Min(5, rows.Max(r => r.Value.Count));
        var panels = new List<Plot>();
        foreach (var (measure, windows) in rows)
        {
            var color = FigureStyle.ColorOf(measure);
            int padded = (windows.Count + columns - 1) / columns * columns;
            for (int k = 0; k < padded; k++)
            {
                if (k >= windows.Count) { panels.Add(Blank()); continue; }
                var w = windows[k];
                var plot = FigureStyle.NewPlot($"{FigureStyle.Name(measure)}, epochs {w.EpochStart}–{w.EpochEnd}", "r (per instance)", "instances");
                plot.ScaleFactor = 1.1f;
                plot.Add.Bars(w.HistogramCounts.Select((count, b) => new Bar
                {
                    Position = (w.HistogramEdges[b] + w.HistogramEdges[b + 1]) / 2,
                    Value = count,
                    Size = (w.HistogramEdges[b + 1] - w.HistogramEdges[b]) * 0.95,
                    FillColor = color,
                    LineWidth = 0,
                }).ToArray());
                if (w.Mean is { } mean) plot.Add.VerticalLine(mean, 1.5f, Colors.Black, LinePattern.Dashed);
                plot.Axes.SetLimitsX(w.HistogramEdges[0], w.HistogramEdges[^1]);
                plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
                panels.Add(plot);
            }
        }
        return FigureStyle.Render(file, title, caption, panels, columns, 520, 380);
    }

    private static Plot Blank()
    {
        var plot = new Plot();
        plot.HideAxesAndGrid();
        return plot;
    }

    private static Figure LearningModes(StudyResults study)
    {
        var modes = study.Summary.LearningModes;
        var order = new[] { "I", "II", "instant", "other" };
        var present = modes.Counts.Where(c => c.Value > 0).Select(c => c.Key)
            .OrderBy(m => Array.IndexOf(order, m) is var i and >= 0 ? i : order.Length).ThenBy(m => m, StringComparer.Ordinal).ToArray();
        var columns = new[] { study.Summary.AccuracyColumn, "multilayer_modularity" };
        var x = EpochAxis(study);
        var panels = columns.Select(column =>
        {
            var plot = FigureStyle.NewPlot($"{FigureStyle.Name(column)} by learning mode", "epoch", FigureStyle.Label(column));
            var series = study.Checkpoints.Series(column);
            if (!Curves.AnyFinite(series)) FigureStyle.NoData(plot, $"{FigureStyle.Name(column)} is undefined");
            else
            {
                foreach (var mode in present)
                {
                    var members = Enumerable.Range(0, study.Instances).Where(i => modes.Instances[i] == mode).ToArray();
                    var sub = series.Select(s => members.Select(i => s[i]).ToArray()).ToArray();
                    Draw.MeanAndInstances(plot, x, sub, FigureStyle.ModeColor(mode), FigureStyle.ModeMarker(mode), $"mode {mode} (n = {members.Length})");
                }
                plot.ShowLegend(Alignment.LowerRight);
            }
            return plot;
        }).ToArray();
        return FigureStyle.Render("learning_modes.png", "Learning modes",
            $"Instances grouped by learning mode ({string.Join(", ", present.Select(m => $"{m}: {modes.Counts.First(c => c.Key == m).Value}"))}); " +
            "left: accuracy, right: multilayer modularity; per mode the instances (thin) and their mean ± SEM. Mode I: a plateau at chance, then a rise; mode II: an early rise, a dip, a recovery; instant: learns at once.",
            panels, 2, FigureStyle.PanelWidth, FigureStyle.PanelHeight);
    }

    /// <summary>The summary's sections in the order of its measure list.</summary>
    private static IEnumerable<KeyValuePair<string, IReadOnlyList<T>>> Ordered<T>(IReadOnlyDictionary<string, IReadOnlyList<T>> section, IReadOnlyList<string> measures) =>
        measures.Where(section.ContainsKey).Select(m => KeyValuePair.Create(m, section[m]));
}
