using ScottPlot;

namespace AnnScope.Reports;

/// <summary>The few drawing idioms every curve figure shares.</summary>
internal static class Draw
{
    /// <summary>
    /// A line through the finite points (broken where undefined); the legend names it once. A <paramref name="marker"/>
    /// marks every point (the series' shape, told apart from others in the same panel by it as well as by colour).
    /// </summary>
    public static void Line(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y, Color color, float width, string? legend = null,
        LinePattern? pattern = null, MarkerShape marker = MarkerShape.None)
    {
        foreach (var (xs, ys) in Curves.FiniteRuns(x, y))
        {
            var line = xs.Length == 1 ? plot.Add.ScatterPoints(xs, ys, color) : plot.Add.ScatterLine(xs, ys, color);
            line.LineWidth = width;
            line.MarkerSize = marker != MarkerShape.None ? 7 : xs.Length == 1 ? 5 : 0;
            if (marker != MarkerShape.None) line.MarkerShape = marker;
            if (pattern is { } p) line.LinePattern = p;
            if (legend != null)
            {
                line.LegendText = legend;
                legend = null;
            }
        }
    }

    /// <summary>Thin per-instance lines, the instance mean as a thick line and a ± SEM band, in one colour.</summary>
    public static void MeanAndInstances(Plot plot, double[] x, double[][] series, Color color, MarkerShape marker, string legend,
        bool instanceLines = true)
    {
        if (instanceLines)
            for (int i = 0; i < series[0].Length; i++)
                Line(plot, x, Curves.Instance(series, i), color.WithAlpha(0.22), 1);
        var (mean, sem) = Curves.MeanSem(series);
        Band(plot, x, mean, sem, color);
        Line(plot, x, mean, color, 3, $"{legend}: mean ± SEM", marker: marker);
    }

    /// <summary>A shaded band mean ± spread.</summary>
    public static void Band(Plot plot, double[] x, double[] mean, double[] spread, Color color)
    {
        var lower = mean.Zip(spread, (m, s) => m - s).ToArray();
        foreach (var (xs, _) in Curves.FiniteRuns(x, lower))
        {
            if (xs.Length < 2) continue;
            int first = Array.IndexOf(x, xs[0]);
            var fill = plot.Add.FillY(xs, lower.AsSpan(first, xs.Length).ToArray(),
                [.. Enumerable.Range(first, xs.Length).Select(k => mean[k] + spread[k])]);
            fill.FillColor = color.WithAlpha(0.25);
            fill.LineWidth = 0;
        }
    }

    /// <summary>A thin reference line at y = 0.</summary>
    public static void Zero(Plot plot) => plot.Add.HorizontalLine(0, 1, Colors.Black.WithAlpha(0.5), LinePattern.Dashed);

    /// <summary>A legend entry: a line, a marker, or (<paramref name="withLine"/>) a line with a marker.</summary>
    public static LegendItem Key(string text, Color line, MarkerShape marker = MarkerShape.None, float lineWidth = 3, bool withLine = false) => new()
    {
        LabelText = text,
        LineColor = line,
        LineWidth = marker == MarkerShape.None || withLine ? lineWidth : 0,
        MarkerShape = marker,
        MarkerSize = 9,
        MarkerFillColor = line,
        MarkerLineColor = line,
    };
}
