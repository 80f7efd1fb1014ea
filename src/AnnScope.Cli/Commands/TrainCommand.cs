using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnScope.IO;
using AnnScope.Models;

namespace AnnScope.Cli.Commands;

/// <summary>
/// `annscope train`: trains a batch of HebbFF instances on the familiarity task and writes, into --out,
///   checkpoints.csv        one row per instance × checkpoint (epoch 0, k, 2k, …): instance, epoch, accuracy, tpr,
///                          fpr, balanced_accuracy, paper_accuracy, lambda, eta, loss (test), train_loss,
///                          familiar_fraction
///   final/*.npy            the parameters after the last epoch, float64: w1 (B, M, N), b1 (B, M), w2 (B, M),
///                          b2 (B), lambda (B), eta (B), eta_parameter (B; θ in anti/hebb mode), and the packed
///                          state for resume: parameters, adam_m, adam_v (B, M·N + 2M + 3; layout in annscope.h)
///   activations.npy        with --save-activations: a(t) of every checkpoint, float32 (B, checkpoints, T, M)
///   run.json               the configuration, seed, Adam step, version, backend, device and threads that made the files
/// Every file appears only when the run completes (temporary files renamed into place).
/// </summary>
internal static class TrainCommand
{
    internal static Command Create()
    {
        var instances = new Option<int>("--instances") { Description = "B: independent networks", DefaultValueFactory = _ => 120 };
        var epochs = new Option<int>("--epochs") { Description = "E: training epochs", DefaultValueFactory = _ => 1000 };
        var every = new Option<int>("--every") { Description = "k: evaluate the test sequence at epoch 0 and every k epochs", DefaultValueFactory = _ => 10 };
        var inputDim = new Option<int>("--input-dim") { Description = "N: item dimension", DefaultValueFactory = _ => 100 };
        var hidden = new Option<int>("--hidden") { Description = "M: hidden units", DefaultValueFactory = _ => 120 };
        var repeat = new Option<int>("--repeat") { Description = "R: repeat interval", DefaultValueFactory = _ => 5 };
        var p = new Option<double>("--p") { Description = "P: repeat probability", DefaultValueFactory = _ => 0.5 };
        var length = new Option<int>("--length") { Description = "T: steps per training and test sequence", DefaultValueFactory = _ => 2500 };
        var plasticity = new Option<Plasticity>("--plasticity")
        {
            Description = "anti (η = −exp θ, the study's), hebb (η = +exp θ), free (η trained freely) or none",
            DefaultValueFactory = _ => Plasticity.Anti,
            CustomParser = r => OptionNames.TryParse(r.Tokens[0].Value, out Plasticity mode)
                ? mode
                : Fail<Plasticity>(r, $"unknown plasticity '{r.Tokens[0].Value}' ({string.Join(", ", OptionNames.All<Plasticity>())})"),
        };
        var precision = new Option<NumericPrecision>("--precision")
        {
            Description = "f32 (the study's) or f64",
            DefaultValueFactory = _ => NumericPrecision.Float32,
            CustomParser = r => r.Tokens[0].Value.ToLowerInvariant() switch
            {
                "f32" or "float32" => NumericPrecision.Float32,
                "f64" or "float64" => NumericPrecision.Float64,
                var other => Fail<NumericPrecision>(r, $"unknown precision '{other}' (f32 or f64)"),
            },
        };
        var seed = new Option<ulong>("--seed") { Description = "seed of every sequence and initial parameter", DefaultValueFactory = _ => 0 };
        var multiRep = new Option<bool>("--multi-rep") { Description = "allow repeats of repeated items" };
        var sharedData = new Option<bool>("--shared-data") { Description = "every instance uses instance 0's sequences" };
        var saveActivations = new Option<bool>("--save-activations") { Description = "write activations.npy (B, checkpoints, T, M)" };
        var output = new Option<string>("--out") { Description = "output directory (created if missing)", Required = true };
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("train", "train HebbFF networks on the continual familiarity task, checkpointing test activations")
        {
            instances, epochs, every, inputDim, hidden, repeat, p, length, plasticity, precision, seed, multiRep, sharedData,
            saveActivations, output, backend, threads, device,
        };
        command.SetAction(r =>
        {
            var config = new HebbffConfig
            {
                Instances = r.GetValue(instances), Epochs = r.GetValue(epochs), CheckpointEvery = r.GetValue(every),
                InputDim = r.GetValue(inputDim), Hidden = r.GetValue(hidden), RepeatInterval = r.GetValue(repeat),
                RepeatProbability = r.GetValue(p), Length = r.GetValue(length), Plasticity = r.GetValue(plasticity),
                Precision = r.GetValue(precision), Seed = r.GetValue(seed), MultiRep = r.GetValue(multiRep),
                SharedData = r.GetValue(sharedData),
            };
            config.Validate(); // bad settings are reported before any device is opened
            return Run(config, r.GetValue(output)!, r.GetValue(saveActivations),
                CommonOptions.Context(r.GetValue(backend), r.GetValue(threads), r.GetValue(device)));
        });
        return command;
    }

    private static T Fail<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }

    private static int Run(HebbffConfig config, string outDir, bool saveActivations, ComputeContext context)
    {
        using var owned = context;
        long activationValues = (long)config.Instances * config.CheckpointCount * config.Length * config.Hidden;
        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();
        using var trainer = new HebbffTrainer(config, context);
        var memory = trainer.Memory;
        Console.Error.WriteLine(
            $"annscope: training {config.Instances} instances × {config.Epochs} epochs (N {config.InputDim}, M {config.Hidden}, " +
            $"R {config.RepeatInterval}, P {config.RepeatProbability}, T {config.Length}, {Name(config.Plasticity)}, " +
            $"{(config.Precision == NumericPrecision.Float32 ? "f32" : "f64")}) on {context.Description}; " +
            $"native memory {memory.PeakBytes / 1e6:F1} MB");

        using var activations = saveActivations
            ? new NpyStreamWriter(Path.Combine(outDir, "activations.npy"), NpyType.Float32, config.Instances, config.CheckpointCount,
                config.Length, config.Hidden)
            : null;
        var csv = new StringBuilder("instance,epoch,accuracy,tpr,fpr,balanced_accuracy,paper_accuracy,lambda,eta,loss,train_loss,familiar_fraction\n");
        var rows = new List<(int Instance, string Line)>();
        int index = 0;
        foreach (var checkpoint in trainer.Train())
        {
            for (int b = 0; b < config.Instances; b++)
            {
                var m = checkpoint.Metrics[b];
                rows.Add((b, string.Join(',', b.ToString(CultureInfo.InvariantCulture), checkpoint.Epoch.ToString(CultureInfo.InvariantCulture),
                    F(m.Accuracy), F(m.Tpr), F(m.Fpr), F(m.BalancedAccuracy), F(m.PaperAccuracy), F(m.Lambda), F(m.Eta), F(m.Loss),
                    F(checkpoint.TrainLoss[b]), F(m.FamiliarFraction))));
                long slice = (long)config.Length * config.Hidden;
                activations?.Write(((long)b * config.CheckpointCount + index) * slice, checkpoint.ActivationsOf(b));
            }
            index++;
            Console.Error.WriteLine($"annscope: epoch {checkpoint.Epoch}/{config.Epochs}: " +
                                    $"paper_accuracy median {Median(checkpoint.Metrics.Select(m => m.PaperAccuracy)):F3}, " +
                                    $"accuracy median {Median(checkpoint.Metrics.Select(m => m.Accuracy)):F3}, " +
                                    $"test loss median {Median(checkpoint.Metrics.Select(m => m.Loss)):F4} [{clock.Elapsed.TotalSeconds:F1} s]");
        }
        foreach (var (_, line) in rows.OrderBy(r => r.Instance)) csv.Append(line).Append('\n');

        var state = trainer.ExportState();
        var finalDir = Path.Combine(outDir, "final");
        Directory.CreateDirectory(finalDir);
        WriteParameters(finalDir, config, state);
        AtomicFile.WriteText(Path.Combine(outDir, "checkpoints.csv"), csv.ToString());
        activations?.Commit();
        AtomicFile.WriteText(Path.Combine(outDir, "run.json"), RunDescription(config, state, context, clock.Elapsed, saveActivations));
        Console.Error.WriteLine($"annscope: done in {clock.Elapsed.TotalSeconds:F1} s; wrote {outDir}" +
                                (saveActivations ? $" ({activationValues * 4 / 1e6:F0} MB of activations)" : ""));
        return Cli.Ok;
    }

    private static void WriteParameters(string dir, HebbffConfig config, HebbffState state)
    {
        var layout = state.Layout;
        int b = config.Instances, m = config.Hidden, n = config.InputDim;
        double[] Gather(int start, int count)
        {
            var values = new double[(long)b * count];
            for (int i = 0; i < b; i++) state.Parameters.AsSpan(i * layout.Count + start, count).CopyTo(values.AsSpan(i * count, count));
            return values;
        }
        Npy.Write<double>(Path.Combine(dir, "w1.npy"), Gather(layout.W1, m * n), b, m, n);
        Npy.Write<double>(Path.Combine(dir, "b1.npy"), Gather(layout.B1, m), b, m);
        Npy.Write<double>(Path.Combine(dir, "w2.npy"), Gather(layout.W2, m), b, m);
        Npy.Write<double>(Path.Combine(dir, "b2.npy"), Gather(layout.B2, 1), b);
        Npy.Write<double>(Path.Combine(dir, "lambda.npy"), Gather(layout.Lambda, 1), b);
        var etaParameter = Gather(layout.EtaParameter, 1);
        Npy.Write<double>(Path.Combine(dir, "eta_parameter.npy"), etaParameter, b);
        Npy.Write<double>(Path.Combine(dir, "eta.npy"), etaParameter.Select(e => HebbffLayout.Eta(config.Plasticity, e)).ToArray(), b);
        Npy.Write<double>(Path.Combine(dir, "parameters.npy"), state.Parameters, b, layout.Count);
        Npy.Write<double>(Path.Combine(dir, "adam_m.npy"), state.AdamM, b, layout.Count);
        Npy.Write<double>(Path.Combine(dir, "adam_v.npy"), state.AdamV, b, layout.Count);
    }

    private static string RunDescription(HebbffConfig config, HebbffState state, ComputeContext context, TimeSpan elapsed, bool activations)
    {
        // nodes, not a Dictionary<string, object>: serializing objects of any type needs reflection, which the CLI
        // compiled ahead of time does not have
        var description = new JsonObject
        {
            ["command"] = "train",
            ["version"] = typeof(HebbffTrainer).Assembly.GetName().Version?.ToString() ?? "",
            ["backend"] = context.Backend.ToString().ToLowerInvariant(),
            ["threads"] = context.Threads,
            ["device"] = context.Description,
            ["seed"] = config.Seed,
            ["instances"] = config.Instances,
            ["epochs"] = config.Epochs,
            ["every"] = config.CheckpointEvery,
            ["checkpoints"] = config.CheckpointCount,
            ["input_dim"] = config.InputDim,
            ["hidden"] = config.Hidden,
            ["repeat"] = config.RepeatInterval,
            ["p"] = config.RepeatProbability,
            ["length"] = config.Length,
            ["multi_rep"] = config.MultiRep,
            ["shared_data"] = config.SharedData,
            ["plasticity"] = Name(config.Plasticity),
            ["precision"] = config.Precision == NumericPrecision.Float32 ? "f32" : "f64",
            ["adam"] = new JsonObject { ["lr"] = config.LearningRate, ["beta1"] = config.Beta1, ["beta2"] = config.Beta2, ["eps"] = config.Epsilon },
            ["adam_step"] = state.Step,
            ["parameter_layout"] = "packed per instance: W1 (M×N row-major), b1 (M), W2 (M), b2, lambda, eta_parameter",
            ["activations"] = activations ? "activations.npy (B, checkpoints, T, M) float32" : "not saved",
            ["elapsed_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
        };
        return description.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Name(Plasticity plasticity) => OptionNames.Name(plasticity);

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
