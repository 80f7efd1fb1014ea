using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using AnnScope.Communities;
using AnnScope.IO;

namespace AnnScope.Cli.Commands;

/// <summary>
/// `annscope communities`: signed (or classic) Louvain community detection on one FC matrix or, with --multilayer, on
/// windowed FC as an ordinal multilayer network; or, with --score, the quality and measures of a given partition.
/// </summary>
internal static class CommunitiesCommand
{
    private sealed record Settings(
        string FcPath, bool Multilayer, LayerObjective Objective, double? Omega, MoveRule Rule, bool Iterated, int Runs,
        long Seed, string OutPath, string? AllegiancePath, string? ScorePath, int Threads, string NullName);

    internal static Command Create()
    {
        var fc = new Option<FileInfo>("--fc") { Description = "FC .npy: (M, M), or (L, M, M) with --multilayer", Required = true };
        var multilayer = new Option<bool>("--multilayer") { Description = "treat (L, M, M) FC as L ordered layers coupled by ω" };
        var nullModel = new Option<string>("--null")
        {
            Description = "layer objective: signed-split (the study's, γ⁺/γ⁻), pos (Newman–Girvan on the positive part), " +
                          "sym or asym (Brain Connectivity Toolbox negative_sym / negative_asym)",
            DefaultValueFactory = _ => "signed-split",
        };
        OneOf(nullModel, "signed-split", "pos", "sym", "asym");
        var gammaPos = new Option<double?>("--gamma-pos") { Description = "resolution γ⁺ of the positive part (default 1.02 for signed-split, else 1)" };
        var gammaNeg = new Option<double?>("--gamma-neg") { Description = "resolution γ⁻ of the negative part (default 1)" };
        var zeroDiagonal = new Option<bool>("--zero-diagonal") { Description = "zero the FC diagonal (default: kept, as in the study)" };
        var omega = new Option<double?>("--omega") { Description = "interlayer coupling ω >= 0 (multilayer only; default 1)" };
        var method = new Option<string>("--method")
        {
            Description = "move rule: move (largest gain), moverand (uniform among gains), moverandw (∝ gain)",
            DefaultValueFactory = _ => "move",
        };
        OneOf(method, "move", "moverand", "moverandw");
        var iterated = new Option<bool>("--iterated")
        {
            Description = "iterate Louvain from its last partition until it stops changing (multilayer: with ordinal post-processing)",
        };
        var runs = new Option<int>("--runs") { Description = "seeded runs R (run r uses seed S + r); the best is reported", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "seed S of run 0", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "RESULT.json", Required = true };
        var allegiance = new Option<FileInfo?>("--allegiance")
        {
            Description = "write the M × M allegiance (.npy, float64): over layers and runs, or co-assignment over runs",
        };
        var score = new Option<FileInfo?>("--score")
        {
            Description = "skip the optimiser: report the quality and measures of these labels (.npy: (M,), or (L, M) with --multilayer)",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "threads for the seeded runs (0 = every core); results do not depend on it",
            DefaultValueFactory = _ => 0,
            Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be >= 0"); } },
        };
        var command = new Command("communities",
            "community detection (Louvain with GenLouvain's semantics) on FC; labels in RESULT.json are 1-based, numbered by first appearance")
        {
            fc, multilayer, nullModel, gammaPos, gammaNeg, zeroDiagonal, omega, method, iterated, runs, seed, output, allegiance, score, threads,
        };
        command.SetAction(r =>
        {
            string nullName = r.GetValue(nullModel)!;
            var model = nullName switch
            {
                "pos" => LayerNullModel.Positive,
                "sym" => LayerNullModel.NegativeSymmetric,
                "asym" => LayerNullModel.NegativeAsymmetric,
                _ => LayerNullModel.SignedSplit,
            };
            var objective = new LayerObjective(model,
                r.GetValue(gammaPos) ?? (model == LayerNullModel.SignedSplit ? LayerObjective.Study.GammaPositive : 1.0),
                r.GetValue(gammaNeg) ?? 1.0, r.GetValue(zeroDiagonal));
            var rule = r.GetValue(method) switch
            {
                "moverand" => MoveRule.MoveRand,
                "moverandw" => MoveRule.MoveRandW,
                _ => MoveRule.Move,
            };
            return Run(new Settings(r.GetValue(fc)!.FullName, r.GetValue(multilayer), objective, r.GetValue(omega), rule,
                r.GetValue(iterated), r.GetValue(runs), r.GetValue(seed), r.GetValue(output)!.FullName,
                r.GetValue(allegiance)?.FullName, r.GetValue(score)?.FullName, r.GetValue(threads), nullName));
        });
        return command;
    }

    /// <summary>Restricts a string option to <paramref name="names"/> with a one-line error.</summary>
    private static void OneOf(Option<string> option, params string[] names) =>
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!names.Contains(value)) r.AddError($"{option.Name} must be one of {string.Join(", ", names)}, not '{value}'");
        });

    private static int Run(Settings s)
    {
        if (s.Runs < 1) throw new ArgumentException($"--runs must be >= 1, got {s.Runs}");
        if (s.Omega.HasValue && !s.Multilayer) throw new ArgumentException("--omega applies only with --multilayer");
        var header = Npy.ReadHeader(s.FcPath);
        int dims = s.Multilayer ? 3 : 2;
        if (header.Shape.Length != dims)
            throw new InvalidDataException(s.Multilayer
                ? $"{s.FcPath}: --multilayer needs FC shaped (L, M, M), found {header.ShapeText}"
                : $"{s.FcPath}: FC must be (M, M) (use --multilayer for (L, M, M)), found {header.ShapeText}");
        if (header.Shape[^1] != header.Shape[^2])
            throw new InvalidDataException($"{s.FcPath}: FC matrices must be square, found {header.ShapeText}");
        if (header.Shape.Any(d => d == 0)) throw new InvalidDataException($"{s.FcPath}: the FC is empty, {header.ShapeText}");
        if (header.Count > Array.MaxLength) throw new InvalidDataException($"{s.FcPath}: {header.ShapeText} is too large");
        int nodes = (int)header.Shape[^1], layers = s.Multilayer ? (int)header.Shape[0] : 1;
        var (data, _) = Npy.ReadFloat64(s.FcPath);
        int[]? given = s.ScorePath is null ? null : ReadLabels(s.ScorePath, s.Multilayer, layers, nodes);
        CheckDirectory(s.OutPath);
        if (s.AllegiancePath is not null) CheckDirectory(s.AllegiancePath);

        var louvain = new LouvainOptions { Rule = s.Rule, Iterated = s.Iterated };
        int parallelism = s.Threads == 0 ? -1 : s.Threads;
        Action<Utf8JsonWriter> body;
        double[] allegiance;
        if (s.Multilayer)
        {
            var problem = MultilayerModularity.FromConnectivity(data, layers, nodes, s.Objective, s.Omega ?? 1.0);
            var result = given is null
                ? MultilayerCommunities.Detect(problem, new MultilayerOptions
                {
                    Louvain = louvain, Runs = s.Runs, Seed = s.Seed, MaxDegreeOfParallelism = parallelism,
                })
                : MultilayerCommunities.Score(problem, given);
            allegiance = result.Allegiance;
            body = w => WriteMultilayer(w, result, problem, given is null && s.Runs > 1);
        }
        else
        {
            var problem = ModularityMatrix.FromConnectivity(data, nodes, s.Objective);
            var result = given is null
                ? StaticCommunities.Detect(problem, new StaticOptions
                {
                    Louvain = louvain, Runs = s.Runs, Seed = s.Seed, MaxDegreeOfParallelism = parallelism,
                })
                : StaticCommunities.Score(problem, given);
            allegiance = result.CoAssignment;
            body = w => WriteStatic(w, result, given is null && s.Runs > 1);
        }

        var json = Json(w =>
        {
            body(w);
            WriteConfig(w, s, layers, nodes);
        });
        if (s.AllegiancePath is not null) Npy.Write<double>(s.AllegiancePath, allegiance, nodes, nodes);
        AtomicFile.WriteText(s.OutPath, json);
        return Cli.Ok;
    }

    /// <summary>Labels of a partition found elsewhere: whole numbers of any dtype NumPy writes, one per node (or node-layer).</summary>
    private static int[] ReadLabels(string path, bool multilayer, int layers, int nodes)
    {
        var header = Npy.ReadHeader(path);
        bool fits = multilayer
            ? header.Shape.Length == 2 && header.Shape[0] == layers && header.Shape[1] == nodes
            : header.Shape.Length == 1 && header.Shape[0] == nodes;
        if (!fits)
            throw new InvalidDataException(
                $"{path}: labels must be shaped {(multilayer ? $"(L, M) = ({layers}, {nodes})" : $"(M,) = ({nodes},)")} to match the FC, found {header.ShapeText}");
        return Npy.ReadLabels(path).Labels;
    }

    private static void CheckDirectory(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"output directory {dir} does not exist");
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteMultilayer(Utf8JsonWriter w, MultilayerCommunityResult r, MultilayerModularity problem, bool runs)
    {
        w.WriteNumber("modularity", r.Modularity);
        w.WriteNumber("communities", r.Communities);
        w.WriteStartArray("labels");
        for (int s = 0; s < r.Layers; s++) Labels(w, r.Labels.AsSpan(s * r.Nodes, r.Nodes), name: null);
        w.WriteEndArray();
        w.WriteNumber("flexibility", r.Flexibility);
        Numbers(w, "node_flexibility", r.NodeFlexibility);
        w.WriteNumber("two_mu", problem.TwoMu);
        if (runs)
            WriteRuns(w, r.Runs.Select(x => (x.Seed, x.Modularity, x.Communities, (double?)x.Flexibility, x.Iterations)), r.BestRun,
                r.ModularityOverRuns, r.CommunitiesOverRuns, r.FlexibilityOverRuns);
    }

    private static void WriteStatic(Utf8JsonWriter w, StaticCommunityResult r, bool runs)
    {
        w.WriteNumber("modularity", r.Modularity);
        w.WriteNumber("communities", r.Communities);
        Labels(w, r.Labels, "labels");
        w.WriteNumber("normaliser", r.Normaliser);
        // one layer: no node can change community, so a run's flexibility is not defined (null)
        if (runs)
            WriteRuns(w, r.Runs.Select(x => (x.Seed, x.Modularity, x.Communities, (double?)null, x.Iterations)), r.BestRun,
                r.ModularityOverRuns, r.CommunitiesOverRuns, flexibility: null);
    }

    private static void WriteRuns(Utf8JsonWriter w, IEnumerable<(long Seed, double Q, int Communities, double? Flexibility, int Iterations)> runs,
        int best, RunStatistics modularity, RunStatistics communities, RunStatistics? flexibility)
    {
        w.WriteStartArray("runs");
        foreach (var run in runs)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", run.Seed);
            w.WriteNumber("modularity", run.Q);
            w.WriteNumber("communities", run.Communities);
            if (run.Flexibility is double f) w.WriteNumber("flexibility", f);
            else w.WriteNull("flexibility");
            w.WriteNumber("iterations", run.Iterations);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("best_run", best);
        Statistics(w, "modularity_over_runs", modularity);
        Statistics(w, "communities_over_runs", communities);
        if (flexibility is not null) Statistics(w, "flexibility_over_runs", flexibility);
    }

    private static void WriteConfig(Utf8JsonWriter w, Settings s, int layers, int nodes)
    {
        w.WriteStartObject("config");
        w.WriteString("fc", s.FcPath);
        w.WriteBoolean("multilayer", s.Multilayer);
        w.WriteNumber("layers", layers);
        w.WriteNumber("nodes", nodes);
        w.WriteString("null", s.NullName);
        w.WriteNumber("gamma_pos", s.Objective.GammaPositive);
        w.WriteNumber("gamma_neg", s.Objective.GammaNegative);
        w.WriteBoolean("zero_diagonal", s.Objective.ZeroDiagonal);
        if (s.Multilayer) w.WriteNumber("omega", s.Omega ?? 1.0);
        if (s.ScorePath is null)
        {
            w.WriteString("method", s.Rule switch { MoveRule.MoveRand => "moverand", MoveRule.MoveRandW => "moverandw", _ => "move" });
            w.WriteBoolean("iterated", s.Iterated);
            w.WriteNumber("runs", s.Runs);
            w.WriteNumber("seed", s.Seed);
        }
        else w.WriteString("score", s.ScorePath);
        w.WriteString("labels_base", "1-based, numbered by first appearance (node-layers scanned layer by layer)");
        w.WriteEndObject();
        w.WriteString("version", typeof(Louvain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
    }

    private static void Labels(Utf8JsonWriter w, ReadOnlySpan<int> labels, string? name)
    {
        if (name is null) w.WriteStartArray();
        else w.WriteStartArray(name);
        foreach (var l in labels) w.WriteNumberValue(l + 1);
        w.WriteEndArray();
    }

    private static void Numbers(Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Statistics(Utf8JsonWriter w, string name, RunStatistics s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("mean", s.Mean);
        w.WriteNumber("std", s.StandardDeviation);
        w.WriteNumber("min", s.Min);
        w.WriteNumber("max", s.Max);
        w.WriteEndObject();
    }
}
