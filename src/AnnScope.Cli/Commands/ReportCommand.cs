using System.CommandLine;
using AnnScope.Reports;
using AnnScope.Studies;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope report`: (re)draws a study's figures and report.html from its results store.</summary>
internal static class ReportCommand
{
    internal static Command Create()
    {
        var study = new Option<DirectoryInfo>("--study") { Description = "the study directory (holds study.json, checkpoints.csv, summary.json, ...)", Required = true };
        var command = new Command("report", "figures (figures/*.png) and a self-contained report.html from a study directory") { study };
        command.SetAction(r => Run(r.GetValue(study)!.FullName));
        return command;
    }

    private static int Run(string studyDir)
    {
        // a study still running (or another report) must not have its figures swapped underneath it
        // (only a study is locked: a directory that is none gets no lock file and the reader's error)
        using var held = File.Exists(Path.Combine(studyDir, AnnScope.Results.StudyFiles.StudyFile)) ? StudyDirectoryLock.Acquire(studyDir) : null;
        var output = StudyReport.Generate(studyDir);
        Console.WriteLine($"report: {output.ReportPath} ({output.FigurePaths.Count} figures in {Path.GetDirectoryName(output.FigurePaths[0])})");
        return Cli.Ok;
    }
}
