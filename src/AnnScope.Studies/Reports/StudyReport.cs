using AnnScope.IO;
using AnnScope.Results;

namespace AnnScope.Reports;

/// <summary>What <see cref="StudyReport.Generate"/> wrote.</summary>
public sealed record StudyReportOutput(string ReportPath, IReadOnlyList<string> FigurePaths);

/// <summary>
/// The report stage of a study (and `annscope report`): reads the study directory, renders every figure and
/// writes figures/*.png and report.html. Everything is read and rendered before anything is written, the
/// figures folder is replaced as a whole (built beside it, then swapped in) and report.html is written
/// atomically, so a corrupt study or a failed write leaves the previous report untouched and no partial one.
/// </summary>
public static class StudyReport
{
    public const string ReportFile = "report.html", FiguresDir = "figures";

    public static StudyReportOutput Generate(string studyDir)
    {
        var study = StudyStoreReader.Read(studyDir);
        var figures = StudyFigures.Render(study);
        var html = ReportHtml.Build(study, figures);

        var dir = study.Directory;
        var target = Path.Combine(dir, FiguresDir);
        var tag = $"{Environment.ProcessId}.{Guid.NewGuid():N}";
        var fresh = Path.Combine(dir, $".{FiguresDir}.{tag}.tmp");
        var old = Path.Combine(dir, $".{FiguresDir}.{tag}.old");
        try
        {
            Directory.CreateDirectory(fresh);
            foreach (var f in figures)
                using (var stream = new FileStream(Path.Combine(fresh, f.FileName), FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(f.Png);
                    stream.Flush(flushToDisk: true);
                }
            if (Directory.Exists(target)) Directory.Move(target, old);
            try { Directory.Move(fresh, target); }
            catch
            {
                if (Directory.Exists(old)) Directory.Move(old, target);
                throw;
            }
        }
        finally
        {
            TryDelete(fresh);
            TryDelete(old);
        }
        var report = Path.Combine(dir, ReportFile);
        AtomicFile.WriteText(report, html);
        return new StudyReportOutput(report, [.. figures.Select(f => Path.Combine(target, f.FileName))]);
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
