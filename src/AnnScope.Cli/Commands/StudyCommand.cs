using System.CommandLine;
using AnnScope.Results;
using AnnScope.Studies;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope study`: the main job — train, analyse as checkpoints arrive, statistics, figures, report.</summary>
internal static class StudyCommand
{
    internal static Command Create()
    {
        var preset = new Option<string>("--preset")
        {
            Description = "starting point: quick (default, ~2 min on 2 cores) or paper (the published study at full scale)",
            DefaultValueFactory = _ => "quick",
        };
        preset.AcceptOnlyFromAmong([.. StudyPresets.Names]);
        var configFile = new Option<FileInfo?>("--config") { Description = "JSON file overriding any config field (see --print-config)" };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "study directory (new or empty; with --resume, an existing study, or a new or empty one to start)",
            DefaultValueFactory = _ => new DirectoryInfo("study"),
        };
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted study in --out from its last completed checkpoint" };
        var printConfig = new Option<bool>("--print-config") { Description = "print the effective config as JSON and exit" };
        var seed = new Option<ulong?>("--seed") { Description = "master seed (overrides the preset and config file)" };
        var shard = new Option<string?>("--shard")
        {
            Description = "I/N: train and analyse only the I-th of N contiguous ranges of instances (1-based); join the shards with `annscope merge`",
        };
        var save = new Option<bool>("--save-activations") { Description = "also store every checkpoint's activations in activations.h5" };
        var robustness = new Option<bool>("--robustness")
        {
            Description = "also re-evaluate the paper's claims under the original code's silent choices and a shuffled null (config section robustness)",
        };
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("study", "run the study: train HebbFF instances, analyse their reconfiguration, relate it to accuracy")
        {
            preset, configFile, output, resume, printConfig, seed, shard, save, robustness, backend, threads, device,
        };
        command.SetAction(r =>
        {
            var config = StudyPresets.Get(r.GetValue(preset)!);
            if (r.GetValue(configFile) is { } file)
            {
                config = config.OverrideFromFile(file.FullName);
            }
            if (r.GetValue(seed) is { } s) config = config with { Seed = s };
            if (r.GetValue(robustness)) config = config with { Robustness = config.Robustness with { Enabled = true } };
            config = config with { SaveActivations = r.GetValue(save), Backend = r.GetValue(backend), Threads = r.GetValue(threads), Device = r.GetValue(device) };
            if (r.GetValue(shard) is { } shardText) config = config with { Shard = StudyShard.Parse(shardText) };
            config.Validate();
            if (r.GetValue(printConfig))
            {
                Console.WriteLine(config.ToJson());
                return Cli.Ok;
            }
            var dir = r.GetValue(output)!.FullName;
            using var interruption = new Interruption();
            var outcome = new ProgressDisplay().Run("study", p => Study.Run(config, dir, r.GetValue(resume), p, interruption.Token));
            if (outcome == StudyOutcome.Complete && config.Shard is { } done)
            {
                var (first, end) = config.InstanceRange;
                Console.WriteLine($"shard {done} complete: instances {first}–{end - 1} in {dir}; join the shards with `annscope merge --out DIR SHARD_DIR…`");
                return Cli.Ok;
            }
            return Finish(outcome, dir, "study");
        });
        return command;
    }

    internal static int Finish(StudyOutcome outcome, string dir, string verb)
    {
        if (outcome == StudyOutcome.Interrupted)
        {
            Console.Error.WriteLine($"annscope: {verb} interrupted; continue it with the same command plus --resume");
            return Cli.Interrupted;
        }
        Console.WriteLine(StudyReportStage.Summary(dir));
        Console.WriteLine($"report: {Path.Combine(dir, "report.html")}");
        return Cli.Ok;
    }
}
