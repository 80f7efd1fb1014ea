using AnnScope.Results;
using ScottPlot;

namespace AnnScope.Reports;

public static partial class StudyFigures
{
    /// <summary>The instance whose allegiance matrices are shown.</summary>
    public const int AllegianceInstance = 0;

    private static Figure Histograms(StudyResults study, string kind)
    {
        var picks = Curves.SixOf(study.Epochs.Count).Select(c => study.Epochs[c]).ToArray();
        var color = FigureStyle.ColorOf(kind == "activation" ? "mean_activation" : "mean_correlation");
        var bins = picks.Select(e => study.Histogram(e, kind)).ToArray();
        double top = bins.Max(b => Fractions(b).DefaultIfEmpty(0).Max());
        var panels = new List<Plot>();
        for (int k = 0; k < picks.Length; k++)
        {
            var plot = FigureStyle.NewPlot($"epoch {picks[k]}", kind == "activation" ? "activation a(t)" : "correlation r (pairs i<j)",
                kind == "activation" ? "fraction of values" : "fraction of pairs");
            plot.ScaleFactor = 1.2f;
            var fractions = Fractions(bins[k]);
            var bars = plot.Add.Bars(bins[k].Select((b, i) => new Bar
            {
                Position = (b.Lower + b.Upper) / 2,
                Value = fractions[i],
                Size = (b.Upper - b.Lower) * 0.95,
                FillColor = color,
                LineWidth = 0,
            }).ToArray());
            plot.Axes.SetLimitsY(0, top > 0 ? top * 1.08 : 1);
            panels.Add(plot);
        }
        string file = $"{kind}_histograms.png";
        string caption = kind == "activation"
            ? "Histograms of the hidden pre-activations a(t), pooled over all samples, units and instances (20 bins on [−40, 40]), at six evenly spaced checkpoints."
            : "Histograms of the pairwise correlations of the full FC (pairs i < j, pooled over instances; 20 bins on [−1, 1]) at six evenly spaced checkpoints.";
        return FigureStyle.Render(file, kind == "activation" ? "Activation histograms" : "Correlation histograms", caption, panels, 3, 700, 480);
    }

    private static double[] Fractions(IReadOnlyList<HistogramRow> bins)
    {
        double total = bins.Sum(b => (double)b.Count);
        return [.. bins.Select(b => total > 0 ? b.Count / total : 0)];
    }

    private static Figure Allegiance(StudyResults study)
    {
        const string file = "allegiance.png", title = "Module allegiance";
        if (study.Allegiance.Count == 0)
        {
            var empty = FigureStyle.NewPlot(title, "unit", "unit");
            FigureStyle.NoData(empty, "no allegiance snapshot stored");
            return FigureStyle.Render(file, title, "No allegiance snapshot was stored.", empty);
        }
        var panels = study.Allegiance.Select(Snapshot).ToList();
        return FigureStyle.Render(file, title,
            $"Module allegiance P(i, j) of instance {AllegianceInstance} — the fraction of windows (and optimisation runs) in which units i and j share a community — at {panels.Count} snapshot epochs. " +
            "Units are ordered by their consensus module at each epoch; white lines separate the modules.",
            panels, 3, 700, 620);
    }

    private static Plot Snapshot(StoredAllegiance snapshot)
    {
        int m = snapshot.Units;
        var order = snapshot.UnitOrder(AllegianceInstance);
        var matrix = snapshot.Matrix(AllegianceInstance);
        var labels = snapshot.Modules(AllegianceInstance).ToArray();
        var cells = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
                cells[a, b] = matrix[order[a] * m + order[b]];
        var boundaries = Enumerable.Range(1, m - 1).Where(k => labels[order[k]] != labels[order[k - 1]]).ToArray();
        var plot = FigureStyle.NewPlot($"epoch {snapshot.Epoch} ({boundaries.Length + 1} modules)", "unit (ordered by module)", "unit (ordered by module)");
        plot.ScaleFactor = 1.2f;
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Row 0 of the heatmap is drawn at the top: unit k sits at x = k and at y = m − k.
        heatmap.Extent = new CoordinateRect(0, m, 0, m);
        foreach (int k in boundaries)
        {
            plot.Add.Line(k, 0, k, m).LineColor = Colors.White;
            plot.Add.Line(0, m - k, m, m - k).LineColor = Colors.White;
        }
        plot.Add.ColorBar(heatmap).Axis.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.2);
        plot.Axes.SetLimits(0, m, 0, m);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. TicksFor(m).Select(t => new Tick(m - t, t.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        return plot;
    }

    private static int[] TicksFor(int m)
    {
        int step = m <= 12 ? 2 : m <= 60 ? 10 : 20;
        return [.. Enumerable.Range(0, m / step + 1).Select(k => k * step)];
    }
}
