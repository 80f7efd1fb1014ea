using System.Text.RegularExpressions;
using AnnScope.Reports;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Reports;

public class ReportInBrowserTests
{
    /// <summary>
    /// Opens report.html in headless Chromium (offline, fresh profile) and checks that every image decoded:
    /// a probe added to a copy of the page records, after the load event, how many &lt;img&gt; have a
    /// natural width, and --dump-dom prints the page with that record.
    /// </summary>
    [ChromiumFact]
    public void EveryFigureLoadsInHeadlessChromium()
    {
        using var dir = new TempDir();
        new SyntheticStudy { Instances = 5, Epochs = 120 }.Write(dir.Path);
        var output = StudyReport.Generate(dir.Path);
        const string probe = """
            <script>window.addEventListener('load', () => {
              const images = [...document.images];
              const loaded = images.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0);
              document.body.setAttribute('data-images', loaded.length + '/' + images.length);
            });</script>
            """;
        var page = dir.File("probe.html");
        File.WriteAllText(page, File.ReadAllText(output.ReportPath).Replace("</body>", probe + "</body>"));

        var run = ExternalTools.Run(ExternalTools.Chromium!,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={dir.File("profile")}", "--virtual-time-budget=10000",
            "--dump-dom", new Uri(page).AbsoluteUri,
        ], timeoutSeconds: 120);
        Assert.True(run.ExitCode == 0, $"chromium exited {run.ExitCode}: {run.StdErr}");
        var match = Regex.Match(run.StdOut, "data-images=\"(\\d+)/(\\d+)\"");
        Assert.True(match.Success, "the probe did not run (no data-images attribute in the dumped DOM)");
        Assert.Equal(StudyReportTests.ExpectedFigures.Length, int.Parse(match.Groups[2].Value));
        Assert.Equal(match.Groups[2].Value, match.Groups[1].Value);
    }
}
