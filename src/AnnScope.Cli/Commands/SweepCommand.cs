using System.CommandLine;
using AnnScope.Studies;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope sweep`: a grid of studies, condition after condition, then their comparison.</summary>
internal static class SweepCommand
{
    internal static Command Create()
    {
        var configFile = new Option<FileInfo>("--config")
        {
            Description = "sweep file: a study config where any field may be a list of values (every combination is a condition)",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out") { Description = "sweep directory (new or empty; an existing sweep of the same file resumes)", Required = true };
        var printPlan = new Option<bool>("--print-plan") { Description = "print the conditions and their configs as JSON and exit" };
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("sweep", "run a grid of studies (one study directory per condition) and compare the conditions")
        {
            configFile, output, printPlan, backend, threads, device,
        };
        command.SetAction(r =>
        {
            var execution = new StudyConfig { Backend = r.GetValue(backend), Threads = r.GetValue(threads), Device = r.GetValue(device) };
            var plan = SweepPlan.Read(r.GetValue(configFile)!.FullName, execution);
            if (r.GetValue(printPlan))
            {
                Console.WriteLine(plan.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return Cli.Ok;
            }
            var dir = r.GetValue(output)!.FullName;
            using var interruption = new Interruption();
            var outcome = new ProgressDisplay().Run("sweep", p => Sweep.Run(plan, dir,
                (c, i) => Console.Error.WriteLine($"annscope: sweep condition {i + 1}/{plan.Conditions.Count}: {SweepPlan.Describe(c.Values)}"),
                p, interruption.Token));
            if (outcome == StudyOutcome.Interrupted)
            {
                Console.Error.WriteLine("annscope: sweep interrupted; run the same command again to continue");
                return Cli.Interrupted;
            }
            Console.WriteLine($"sweep: {plan.Conditions.Count} conditions complete");
            Console.WriteLine($"summary: {Path.Combine(dir, Sweep.SummaryFile)}");
            Console.WriteLine($"report: {Path.Combine(dir, Sweep.ReportFile)}");
            return Cli.Ok;
        });
        return command;
    }
}
