using System.CommandLine;
using AnnScope.Studies;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope analyze`: the study's analysis and report on activations from any network.</summary>
internal static class AnalyzeCommand
{
    internal static Command Create()
    {
        var input = new Option<FileInfo>("--activations")
        {
            Description = "activations shaped (instances, checkpoints, samples, units): .npy, or .h5 (dataset /activations)",
            Required = true,
        };
        var dataset = new Option<string>("--dataset") { Description = "HDF5 dataset path", DefaultValueFactory = _ => "/activations" };
        var accuracy = new Option<FileInfo?>("--accuracy") { Description = "CSV with columns instance, epoch (or checkpoint), accuracy" };
        var epochs = new Option<string?>("--epochs") { Description = "comma-separated epoch of each checkpoint (default 0, 1, 2, ...)" };
        var configFile = new Option<FileInfo?>("--config") { Description = "JSON file overriding analysis fields (windows, gamma_pos, runs, ...)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "study directory to write", Required = true };
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted analysis" };
        var robustness = new Option<bool>("--robustness") { Description = "also re-evaluate the claims under the robustness variants and a shuffled null" };
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("analyze", "run the study's analysis on activations from any network")
        {
            input, dataset, accuracy, epochs, configFile, output, resume, robustness, backend, threads, device,
        };
        command.SetAction(r =>
        {
            var path = r.GetValue(input)!.FullName;
            IReadOnlyList<int>? epochList = r.GetValue(epochs) is { } text
                ? text.Split(',').Select(e => int.TryParse(e.Trim(), out var v) && v >= 0 ? v
                    : throw new ArgumentException($"--epochs: '{e}' is not a non-negative integer")).ToArray()
                : null;
            if (epochList != null && epochList.Zip(epochList.Skip(1)).Any(p => p.Second <= p.First))
                throw new ArgumentException("--epochs must be increasing");
            using var source = StudyActivations.Open(path, r.GetValue(dataset)!, epochList);
            if (r.GetValue(accuracy) is { } acc) source.LoadAccuracy(acc.FullName);
            var config = StudyPresets.Quick with { Preset = "analyze", AccuracyMeasure = "accuracy" };
            if (r.GetValue(configFile) is { } file) config = config.OverrideFromFile(file.FullName);
            if (r.GetValue(robustness)) config = config with { Robustness = config.Robustness with { Enabled = true } };
            config = config with { Backend = r.GetValue(backend), Threads = r.GetValue(threads), Device = r.GetValue(device) };
            var dir = r.GetValue(output)!.FullName;
            using var interruption = new Interruption();
            var outcome = new ProgressDisplay().Run("analyze", p => Study.Analyze(config, source, dir, r.GetValue(resume), p, interruption.Token));
            return StudyCommand.Finish(outcome, dir, "analysis");
        });
        return command;
    }
}
