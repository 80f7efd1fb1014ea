using System.Globalization;
using System.Net;
using System.Text;
using AnnScope.Results;

namespace AnnScope.Reports;

/// <summary>
/// The study report as one self-contained HTML page: inline CSS, figures embedded as base64 PNG data URIs,
/// no scripts and no external resources, so it opens anywhere (a browser offline, a mail attachment).
/// </summary>
internal static partial class ReportHtml
{
    private const string Css = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1250px;color:#222;line-height:1.45;padding:0 1em}
        h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}h3{margin-bottom:.3em}
        table{border-collapse:collapse;margin:.6em 0 1.2em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
        figure{margin:1.5em 0;padding:0}figure img{max-width:100%;height:auto;border:1px solid #eee}
        figcaption{font-size:.92em;color:#444;margin-top:.3em}.sub{color:#666}.warn{background:#fff4e0;border:1px solid #e6b35c;padding:.5em .8em}
        nav a{margin-right:1em}code{background:#f5f5f5;padding:0 .2em}
        """;

    public static string Build(StudyResults study, IReadOnlyList<Figure> figures)
    {
        var m = study.Manifest;
        var s = study.Summary;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>AnnScope study report: {E(Path.GetFileName(study.Directory))}</title><style>{Css}</style></head><body>\n");
        html.Append($"<h1>AnnScope study report</h1><p class=\"sub\">{E(study.Directory)} · AnnScope {E(m.Version)} · status <b>{E(m.Status)}</b></p>\n");
        if (!m.IsComplete)
            html.Append($"<p class=\"warn\">The study's status is <b>{E(m.Status)}</b>, not complete: the report covers the {study.Epochs.Count} checkpoints finished so far.</p>\n");
        html.Append("<nav><a href=\"#claims\">Claims</a><a href=\"#numbers\">Key numbers</a><a href=\"#figures\">Figures</a><a href=\"#models\">Mixed models</a><a href=\"#mediation\">Mediation</a><a href=\"#modes\">Learning modes</a><a href=\"#run\">Run</a><a href=\"#config\">Config</a></nav>\n");

        Claims(html, s.Claims);
        KeyNumbers(html, study);
        html.Append("<h2 id=\"figures\">Figures</h2>\n");
        foreach (var f in figures)
        {
            string id = Path.GetFileNameWithoutExtension(f.FileName);
            html.Append($"<figure id=\"{E(id)}\"><h3>{E(f.Title)}</h3>");
            html.Append($"<img src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\" alt=\"{E(f.Title)}\" ");
            html.Append($"width=\"{f.Width * 2 / 3}\" height=\"{f.Height * 2 / 3}\" data-file=\"figures/{E(f.FileName)}\">");
            html.Append($"<figcaption><b>{E(f.FileName)}</b> — {E(f.Caption)}</figcaption></figure>\n");
        }
        PooledWindows(html, s);
        MixedModels(html, s);
        Mediation(html, s);
        LearningModes(html, s);
        ModeEvidence(html, s.Claims);
        Run(html, m);
        html.Append("<h2 id=\"config\">Config</h2>\n");
        Table(html, ["field", "value"], new StoreJson(m.Config, "study.json", "config").Flatten().Select(l => new[] { l.Path, l.Text }));
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void KeyNumbers(StringBuilder html, StudyResults study)
    {
        var s = study.Summary;
        var (mean, sem) = Curves.MeanSem(study.Checkpoints.Series(s.AccuracyColumn));
        html.Append("<h2 id=\"numbers\">Key numbers</h2>\n");
        Table(html, ["quantity", "value"],
        [
            ["instances", N(study.Instances)],
            ["checkpoints", $"{study.Epochs.Count} (epochs {study.Epochs[0]}–{study.Epochs[^1]})"],
            ["accuracy measure", s.AccuracyColumn],
            [$"mean {s.AccuracyColumn}, first checkpoint (epoch {study.Epochs[0]})", $"{F(mean[0])} ± {F(sem[0])}"],
            [$"mean {s.AccuracyColumn}, last checkpoint (epoch {study.Epochs[^1]})", $"{F(mean[^1])} ± {F(sem[^1])}"],
            ["learning modes", string.Join(", ", s.LearningModes.Counts.Select(c => $"{c.Key}: {c.Value}"))],
            ["seed", study.Manifest.Seed.ToString(CultureInfo.InvariantCulture)],
            ["backend", study.Manifest.Backend],
        ]);
        html.Append("<h3>Across-instance correlation with accuracy: extremes</h3>\n");
        Table(html, ["measure", "highest r", "epoch", "p", "lowest r", "epoch", "p", "checkpoints with p &lt; 0.05"],
            s.Measures.Where(s.AcrossInstance.ContainsKey).Select(measure =>
            {
                var defined = s.AcrossInstance[measure].Where(p => p.R.HasValue).ToArray();
                if (defined.Length == 0) return new[] { measure, "undefined", "", "", "", "", "", "0" };
                var hi = defined.MaxBy(p => p.R!.Value)!;
                var lo = defined.MinBy(p => p.R!.Value)!;
                return [measure, F(hi.R), N(hi.Epoch), P(hi.P), F(lo.R), N(lo.Epoch), P(lo.P),
                    $"{defined.Count(p => p.P < StudyFigures.Alpha)} of {s.AcrossInstance[measure].Count}"];
            }), rawHeader: true);
        if (s.KeyNumbers.Count > 0)
        {
            html.Append("<h3>Summary key numbers</h3>\n");
            Table(html, ["name", "value"], s.KeyNumbers.Select(k => new[] { k.Key, k.Value }));
        }
    }

    private static void PooledWindows(StringBuilder html, StudySummary s)
    {
        html.Append("<h2 id=\"pooled\">Pooled-window correlations</h2>\n<p>Per window, r over all instances × checkpoints, with the least-squares line accuracy = intercept + slope · measure.</p>\n");
        var rows = s.Measures.Where(s.PooledWindow.ContainsKey).SelectMany(measure => s.PooledWindow[measure].Select(w => new[]
        {
            measure, N(w.Window), $"{w.EpochStart}–{w.EpochEnd}", F(w.R), P(w.P), N(w.N), F(w.Slope), F(w.Intercept),
        })).ToList();
        if (rows.Count == 0) html.Append("<p>None in the summary.</p>\n");
        else Table(html, ["measure", "window", "epochs", "r", "p", "n", "slope", "intercept"], rows);
    }

    private static void MixedModels(StringBuilder html, StudySummary s)
    {
        html.Append("<h2 id=\"models\">Linear mixed-effects models</h2>\n<p>Y = μ + U<sub>i</sub> + V<sub>i</sub>·X + β·X + ε with a correlated random intercept and slope per instance.</p>\n");
        if (s.MixedModels.Count == 0) html.Append("<p>None in the summary.</p>\n");
        foreach (var (name, model) in s.MixedModels)
        {
            html.Append($"<h3>{E(name)}</h3>\n");
            Table(html, ["fixed effect", "estimate", "std. error", "t", "df", "p"],
                model.FixedEffects.Select(f => new[] { f.Name, F(f.Estimate), F(f.StdError), F(f.TValue), F(f.Df), P(f.PValue) }));
            Table(html, ["sd intercept", "sd slope", "corr", "residual sd", "log-likelihood", "AIC", "BIC", "fit", "singular", "observations", "groups"],
            [[
                F(model.SdIntercept), F(model.SdSlope), F(model.Corr), F(model.ResidualSd), F(model.LogLikelihood), F(model.Aic), F(model.Bic),
                model.Reml switch { true => "REML", false => "ML", null => "" },
                model.Singular switch { true => "yes", false => "no", null => "" },
                model.NObs?.ToString(CultureInfo.InvariantCulture) ?? "", model.NGroups?.ToString(CultureInfo.InvariantCulture) ?? "",
            ]]);
        }
    }

    private static void Mediation(StringBuilder html, StudySummary s)
    {
        html.Append("<h2 id=\"mediation\">Mediation</h2>\n<p>X → mediator → Y: paths a and b, indirect effect a·b with its bootstrap confidence interval over instances, direct and total effects.</p>\n");
        if (s.Mediation.Count == 0) html.Append("<p>None in the summary.</p>\n");
        foreach (var (name, fields) in s.Mediation)
        {
            html.Append($"<h3>{E(name)}</h3>\n");
            Table(html, ["quantity", "value"], fields.Select(f => new[] { f.Key, f.Value }));
        }
    }

    private static void LearningModes(StringBuilder html, StudySummary s)
    {
        var modes = s.LearningModes;
        html.Append($"<h2 id=\"modes\">Learning modes</h2>\n<p>{E(modes.Rule)}</p>\n");
        Table(html, ["mode", "instances", "which"], modes.Counts.Select(c => new[]
        {
            c.Key, N(c.Value), string.Join(", ", Enumerable.Range(0, modes.Instances.Count).Where(i => modes.Instances[i] == c.Key)),
        }));
        if (modes.Thresholds.Count > 0) Table(html, ["threshold", "value"], modes.Thresholds.Select(t => new[] { t.Key, t.Value }));
    }

    private static void Run(StringBuilder html, StudyManifest m)
    {
        html.Append("<h2 id=\"run\">Run</h2>\n");
        Table(html, ["field", "value"],
            new[] { new[] { "version", m.Version }, ["status", m.Status], ["seed", m.Seed.ToString(CultureInfo.InvariantCulture)], ["backend", m.Backend],
                    ["checkpoints completed", N(m.CheckpointsCompleted)],
                    ["peak memory", m.PeakMemoryBytes is { } b ? $"{b / 1048576.0:F0} MiB" : "not recorded"] }
                .Concat(m.Host.Select(h => new[] { $"host {h.Key}", h.Value })));
        html.Append("<h3>Timings</h3>\n");
        Table(html, ["stage", "seconds"], m.Timings.Select(t => new[] { t.Key, t.Value.ToString("F2", CultureInfo.InvariantCulture) }));
    }

    private static void Table(StringBuilder html, string[] header, IEnumerable<string[]> rows, bool rawHeader = false)
    {
        html.Append("<table><tr>");
        foreach (var h in header) html.Append("<th>").Append(rawHeader ? h : E(h)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(IsNumber(cell) ? "<td class=\"n\">" : "<td>").Append(E(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number with four significant digits; "undefined" for null or NaN.</summary>
    internal static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "undefined";

    private static string P(double? p) => p switch
    {
        null => "undefined",
        < 1e-16 => "< 1E-16", // below double precision of a two-sided tail
        < 1e-4 => p.Value.ToString("0.0E+0", CultureInfo.InvariantCulture),
        _ => p.Value.ToString("0.0000", CultureInfo.InvariantCulture),
    };
}
