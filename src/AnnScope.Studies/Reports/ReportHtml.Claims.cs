using System.Text;
using AnnScope.Results;

namespace AnnScope.Reports;

internal static partial class ReportHtml
{
    /// <summary>The paper's claims, one row each, then their verdicts under every robustness variant.</summary>
    private static void Claims(StringBuilder html, StudyClaimsSummary claims)
    {
        html.Append("<h2 id=\"claims\">The paper's claims</h2>\n");
        if (claims.Claims.Count == 0)
        {
            html.Append("<p>This summary has no claims section (written by an older AnnScope): regenerate the study's statistics to get one.</p>\n");
            return;
        }
        int holds = claims.Claims.Count(c => c.Verdict == "holds"), fails = claims.Claims.Count(c => c.Verdict == "does_not_hold");
        html.Append($"<p>Each claim of Figs 2–6 (and the supplement's Granger test), tested by the rule shown with the thresholds of the config's <code>claims</code> section: " +
                    $"<b>{holds}</b> hold, <b>{fails}</b> do not, {claims.Claims.Count - holds - fails} cannot be tested with this study. CI: 95 % interval of the value the verdict rests on.</p>\n");
        Table(html, ["fig.", "claim", "measure and rule", "our value", "CI", "paper", "verdict"], claims.Claims.Select(c => new[]
        {
            c.Figure, c.Statement, $"{c.Measure}: {c.Rule}", c.Value,
            c.CiLower is { } lo && c.CiUpper is { } hi ? $"[{F(lo)}, {F(hi)}]" : "",
            c.Paper ?? "", $"{Verdict(c.Verdict)} — {c.Reason}",
        }));
        if (claims.Granger.Count > 0)
        {
            html.Append("<h3>Granger causality (per instance, combined over instances)</h3>\n");
            Table(html, ["quantity", "value"], claims.Granger.Select(g => new[] { g.Key, g.Value }));
        }
        if (claims.Robustness is not { } r) return;
        html.Append("<h3 id=\"robustness\">Under which choices each claim holds</h3>\n");
        html.Append("<p><code>as_configured</code>: the study as run; <code>plain_accuracy</code>: accuracy instead of the swapped-weight score; " +
                    $"<code>checkpoint_subset</code>: the study's own measures on the checkpoints the variants ran on (epochs {string.Join(", ", r.SubsetEpochs)}), " +
                    "to separate the effect of fewer checkpoints from that of a choice; the other columns: the multilayer communities found again on those checkpoints with several seeded runs, iterated <code>move</code>, another γ⁺ or ω. " +
                    "✓ holds, ✗ does not hold, – not testable.</p>\n");
        Table(html, ["claim", .. r.Variants], r.Verdicts.Select(v =>
            new[] { v.Key }.Concat(r.Variants.Select(name => v.Value.TryGetValue(name, out var verdict) ? Mark(verdict) : "")).ToArray()));
    }

    /// <summary>The learning-mode groups against the paper's two modes: timing quartiles and the instant learners' place.</summary>
    private static void ModeEvidence(StringBuilder html, StudyClaimsSummary claims)
    {
        if (claims.ModeEvidence.Count == 0) return;
        html.Append("<h3>The groups and the paper's two modes</h3>\n<p>Per group, quartiles of the epoch at which an instance first reaches the learned level, of its plateau at chance (checkpoints), its early peak and its dip (progress units); then whether the instant learners are separated from mode I by a gap in time to the learned level.</p>\n");
        Table(html, ["quantity", "value"], claims.ModeEvidence.Select(e => new[] { e.Key, e.Value }));
    }

    private static string Verdict(string verdict) => verdict switch
    {
        "holds" => "holds",
        "does_not_hold" => "does not hold",
        _ => "not testable",
    };

    private static string Mark(string verdict) => verdict switch
    {
        "holds" => "✓",
        "does_not_hold" => "✗",
        _ => "–",
    };
}
