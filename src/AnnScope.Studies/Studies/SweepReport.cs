using System.Globalization;
using System.Net;
using System.Text;
using AnnScope.IO;
using AnnScope.Reports;
using AnnScope.Results;
using ScottPlot;

namespace AnnScope.Studies;

/// <summary>
/// The sweep's report: figures/sweep.png (each compared quantity against the first swept field, one line per
/// combination of the others, 95% intervals as error bars) and sweep-report.html (the same numbers as a table,
/// with links to every condition's own report).
/// </summary>
public static class SweepReport
{
    /// <summary>The figure file under figures/.</summary>
    public const string FigureFile = "sweep.png";

    private static readonly Dictionary<string, string> Titles = new()
    {
        ["final_accuracy"] = "final accuracy",
        ["final_multilayer_modularity"] = "final multilayer modularity",
        ["final_flexibility"] = "final flexibility",
        ["across_instance_r"] = "across-instance r(modularity, accuracy), last checkpoint",
        ["within_window_r"] = "within-window r(modularity, accuracy)",
    };

    /// <summary>Renders the figure and writes it and the HTML report into the sweep directory.</summary>
    public static void Write(string directory, SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        var figure = Render(plan, rows);
        var figures = Path.Combine(directory, StudyReport.FiguresDir);
        Directory.CreateDirectory(figures);
        AtomicFile.Write(Path.Combine(figures, figure.FileName), s => s.Write(figure.Png));
        AtomicFile.WriteText(Path.Combine(directory, Sweep.ReportFile), Html(directory, plan, rows, figure));
    }

    private static Figure Render(SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        var axis = plan.Swept.Count > 0 ? plan.Swept[0] : null;
        var values = axis is null ? [] : rows.Select(r => r.Condition.Values[0].Value).ToArray();
        bool numeric = values.Length > 0 && values.All(v => SweepPlan.Numeric(v).HasValue);
        var categories = values.Select(SweepPlan.Text).Distinct().ToList();
        double X(SweepRow r) => axis is null ? 0
            : numeric ? SweepPlan.Numeric(r.Condition.Values[0].Value)!.Value
            : categories.IndexOf(SweepPlan.Text(r.Condition.Values[0].Value));
        // one line per combination of the other swept fields
        var series = rows.GroupBy(r => SweepPlan.Describe([.. r.Condition.Values.Skip(1)])).ToList();
        var panels = new List<Plot>();
        foreach (var quantity in SweepStatistics.Quantities)
        {
            var plot = FigureStyle.NewPlot(Titles[quantity], axis ?? "condition", quantity.EndsWith("_r", StringComparison.Ordinal) ? "r" : Titles[quantity]);
            int k = 0, drawn = 0;
            foreach (var group in series)
            {
                var color = new ScottPlot.Palettes.Category10().GetColor(k++);
                var points = group.Where(r => double.IsFinite(r.Estimates[quantity].Value)).OrderBy(X).ToArray();
                if (points.Length == 0) continue;
                double[] x = [.. points.Select(X)], y = [.. points.Select(r => r.Estimates[quantity].Value)];
                var bars = plot.Add.ErrorBar(x, y, [.. points.Select(_ => 0.0)]);
                bars.YErrorNegative = [.. points.Select(r => Half(r.Estimates[quantity].Value - r.Estimates[quantity].Low))];
                bars.YErrorPositive = [.. points.Select(r => Half(r.Estimates[quantity].High - r.Estimates[quantity].Value))];
                bars.Color = color;
                bars.LineWidth = 2;
                Draw.Line(plot, x, y, color, 2, plan.Swept.Count > 1 ? group.Key : null);
                plot.Add.Markers(x, y, MarkerShape.FilledCircle, 8, color);
                drawn++;
            }
            if (drawn == 0) FigureStyle.NoData(plot, "undefined in every condition");
            else if (plan.Swept.Count > 1) plot.ShowLegend(Edge.Right);
            // a tick at each swept value, labelled as the sweep file gives it
            if (categories.Count > 0)
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                    [.. categories.Select((c, i) => new Tick(numeric ? SweepPlan.Numeric(values.First(v => SweepPlan.Text(v) == c))!.Value : i, c))]);
            panels.Add(plot);
        }
        return FigureStyle.Render(FigureFile, "The sweep's conditions compared",
            $"Per condition, mean over instances with its 95% confidence interval, against {axis ?? "the condition"}.",
            panels, 2, FigureStyle.PanelWidth, FigureStyle.PanelHeight);
    }

    private static double Half(double d) => double.IsFinite(d) ? d : 0;

    private static string Html(string directory, SweepPlan plan, IReadOnlyList<SweepRow> rows, Figure figure)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string F(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append($"<title>AnnScope sweep report: {E(Path.GetFileName(directory))}</title>");
        html.Append("<style>body{font-family:sans-serif;max-width:1250px;margin:2em auto}table{border-collapse:collapse}" +
                    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td.l{text-align:left}img{max-width:100%}</style>");
        html.Append("</head><body>\n<h1>AnnScope sweep report</h1>\n");
        html.Append($"<p>{E(directory)} · {rows.Count} conditions · swept: {E(plan.Swept.Count == 0 ? "nothing" : string.Join(", ", plan.Swept))}</p>\n");
        html.Append("<p>Each cell: mean over the condition's instances [95% confidence interval]. Final values at the last checkpoint; " +
                    "across-instance r at the last checkpoint (Fisher z interval); within-window r: each instance's mean over its windows, averaged (Student t).</p>\n");
        html.Append("<table><tr><th>condition</th><th>instances</th>");
        foreach (var q in SweepStatistics.Quantities) html.Append($"<th>{E(Titles[q])}</th>");
        html.Append("</tr>\n");
        foreach (var row in rows)
        {
            var link = $"{Sweep.ConditionsDir}/{row.Condition.Name}/{StudyReport.ReportFile}";
            html.Append($"<tr><td class=\"l\"><a href=\"{E(link)}\">{E(SweepPlan.Describe(row.Condition.Values))}</a></td><td>{row.Instances}</td>");
            foreach (var q in SweepStatistics.Quantities)
            {
                var e = row.Estimates[q];
                html.Append($"<td>{F(e.Value)} [{F(e.Low)}, {F(e.High)}]</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
        html.Append($"<h2>{E(figure.Title)}</h2><p>{E(figure.Caption)}</p><img src=\"{StudyReport.FiguresDir}/{figure.FileName}\" alt=\"{E(figure.Title)}\">\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }
}
