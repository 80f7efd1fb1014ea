using System.Text;
using System.Text.Json;
using AnnScope.Results;
using System.Text.Json.Serialization;


namespace AnnScope.Studies;

/// <summary>
/// Everything that defines a study: the task, the network, training, checkpoints, and the analysis. Two
/// studies with equal configs produce identical results. Presets fill it (<see cref="StudyPresets"/>);
/// a JSON file may override any field.
/// </summary>
public sealed record StudyConfig
{
    /// <summary>The preset this config started from.</summary>
    public string Preset { get; init; } = "quick";

    /// <summary>Master seed: sequences, initial parameters and every optimiser run derive from it.</summary>
    public ulong Seed { get; init; } = 1;

    // ---- task (science.md §1)
    public int Instances { get; init; } = 12;
    public int InputDim { get; init; } = 100;
    public int Repeat { get; init; } = 5;
    public double P { get; init; } = 0.5;
    public int Length { get; init; } = 2500;
    public bool MultiRep { get; init; }

    // ---- network and training (§2–3)
    public int Hidden { get; init; } = 120;
    public string Plasticity { get; init; } = "anti";
    public int Epochs { get; init; } = 300;
    public int Every { get; init; } = 10;

    // ---- connectivity (§4)
    /// <summary>Number of non-overlapping windows L; the window is Length / Windows samples.</summary>
    public int Windows { get; init; } = 50;

    // ---- communities (§5)
    public double GammaPos { get; init; } = 1.02;
    public double GammaNeg { get; init; } = 1.0;
    public double Omega { get; init; } = 1.0;
    /// <summary>Seeded optimisation runs per instance-checkpoint (robust: several; paper: 1).</summary>
    public int Runs { get; init; } = 4;
    public string Method { get; init; } = "move";
    /// <summary>Iterated Louvain with ordinal post-processing (robust) or a single pass (paper).</summary>
    public bool Iterated { get; init; } = true;
    /// <summary>Optimisation runs that also give the static (full-FC) partition.</summary>
    public int StaticRuns { get; init; } = 4;

    // ---- measures and statistics (§7–8)
    /// <summary>The accuracy correlated with the measures: paper_accuracy (the study's plotted score) or accuracy, balanced_accuracy.</summary>
    public string AccuracyMeasure { get; init; } = "paper_accuracy";
    /// <summary>Mean correlation over pairs i &lt; j (false) or the original code's mask (true).</summary>
    public bool PaperCorrelationMask { get; init; }
    /// <summary>Checkpoints per within-instance correlation window.</summary>
    public int CorrelationWindow { get; init; } = 10;
    /// <summary>Bootstrap resamples of the mediation confidence interval.</summary>
    public int MediationBootstrap { get; init; } = 1000;
    /// <summary>X of the study's mediation X → M → accuracy: connection strength, as the paper ran it.</summary>
    public string MediationX { get; init; } = "mean_correlation";
    /// <summary>The mediator M.</summary>
    public string MediationMediator { get; init; } = "multilayer_modularity";
    /// <summary>Random effects of each mediation path: corr (intercept and slope, as the paper), uncorr or intercept.</summary>
    public string MediationRandom { get; init; } = "corr";

    // ---- the paper's claims and their robustness (README, "The paper's claims")
    /// <summary>Thresholds of the claim rules.</summary>
    public Statistics.Claims.ClaimRules Claims { get; init; } = new();
    /// <summary>The robustness pass: variants of the community detection and the shuffled null.</summary>
    public RobustnessOptions Robustness { get; init; } = new();

    // ---- execution (not part of the science: may change on resume)
    [JsonIgnore] public bool SaveActivations { get; init; }
    [JsonIgnore] public ComputeBackend Backend { get; init; } = ComputeBackend.Mkl;
    [JsonIgnore] public int Threads { get; init; }
    /// <summary>The OpenCL device (index, platform:device, gpu/cpu/accelerator, or part of its name); null = the default.</summary>
    [JsonIgnore] public string? Device { get; init; }

    /// <summary>Train and analyse only this shard's instances (null: all); not part of the science, so shards of one study share its config.</summary>
    [JsonIgnore] public StudyShard? Shard { get; init; }

    /// <summary>The instances this run trains: [first, end) of the study's <see cref="Instances"/>.</summary>
    [JsonIgnore] public (int First, int End) InstanceRange =>
        Shard is { } s ? (s.Start(Instances), s.End(Instances)) : (0, Instances);

    /// <summary>Samples per window.</summary>
    [JsonIgnore] public int Window => Length / Windows;

    /// <summary>The checkpoint epochs: 0, k, 2k, … ≤ E.</summary>
    [JsonIgnore] public IReadOnlyList<int> CheckpointEpochs =>
        Enumerable.Range(0, Epochs / Every + 1).Select(i => i * Every).ToArray();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that makes no sense.</summary>
    public StudyConfig Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException($"study config: {message}");
        }
        Require(Instances >= 1, $"instances must be >= 1 (got {Instances})");
        Require(InputDim >= 1 && Hidden >= 2, $"input_dim >= 1 and hidden >= 2 required (got {InputDim}, {Hidden})");
        Require(Repeat >= 1 && Repeat < Length, $"repeat R must satisfy 1 <= R < length (got R {Repeat}, length {Length})");
        Require(P is >= 0 and <= 1, $"p must be in [0, 1] (got {P})");
        Require(Epochs >= 1 && Every >= 1 && Every <= Epochs, $"epochs >= 1 and 1 <= every <= epochs required (got {Epochs}, {Every})");
        Require(Plasticity is "anti" or "hebb" or "free" or "none", $"plasticity must be anti, hebb, free or none (got '{Plasticity}')");
        Require(Windows >= 2 && Length % Windows == 0 && Length / Windows >= 3,
            $"windows must divide length into windows of at least 3 samples (length {Length}, windows {Windows})");
        Require(GammaPos >= 0 && GammaNeg >= 0 && Omega >= 0 && double.IsFinite(GammaPos + GammaNeg + Omega),
            $"gamma_pos, gamma_neg and omega must be finite and >= 0 (got {GammaPos}, {GammaNeg}, {Omega})");
        Require(Runs >= 1 && StaticRuns >= 1, "runs and static_runs must be >= 1");
        Require(Method is "move" or "moverand" or "moverandw", $"method must be move, moverand or moverandw (got '{Method}')");
        Require(AccuracyMeasure is "paper_accuracy" or "accuracy" or "balanced_accuracy",
            $"accuracy_measure must be paper_accuracy, accuracy or balanced_accuracy (got '{AccuracyMeasure}')");
        Require(CorrelationWindow >= 3, "correlation_window must be >= 3 checkpoints");
        Require(MediationBootstrap >= 0, "mediation_bootstrap must be >= 0");
        Require(MediationX != MediationMediator && CheckpointRow.Columns.Contains(MediationX) && CheckpointRow.Columns.Contains(MediationMediator),
            $"mediation_x and mediation_mediator must be two different checkpoints.csv columns (got '{MediationX}', '{MediationMediator}')");
        Require(MediationRandom is "corr" or "uncorr" or "intercept", $"mediation_random must be corr, uncorr or intercept (got '{MediationRandom}')");
        Claims.Validate();
        Robustness.Validate();
        Require(Threads >= 0, "threads must be >= 0");
        Shard?.Validate(Instances);
        return this;
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The config as JSON (snake_case fields, as config files use).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Applies the fields of a JSON config file (UTF-8, at most 1 MiB) over this config; a file that is not UTF-8 JSON,
    /// or names an unknown field, is an <see cref="InvalidDataException"/>.
    /// </summary>
    public StudyConfig OverrideFromFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"config file {path} does not exist", path);
        if (info.Length > 1 << 20) throw new InvalidDataException($"{path}: {info.Length} bytes is too large for a study config (at most 1 MiB)");
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path)); }
        catch (DecoderFallbackException e) { throw new InvalidDataException($"{path}: not UTF-8 text (invalid byte at offset {e.Index})"); }
        return Override(text, path);
    }

    /// <summary>Applies the fields present in a JSON object over this config; unknown fields are an error.</summary>
    public StudyConfig Override(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: a study config must be a JSON object");
            var merged = JsonSerializer.SerializeToNode(this, Json)!.AsObject();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!merged.ContainsKey(property.Name))
                    throw new InvalidDataException($"{source}: unknown config field '{property.Name}'");
                var value = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
                // a section (claims, robustness) overrides field by field, like the config itself
                if (value is System.Text.Json.Nodes.JsonObject fields && merged[property.Name] is System.Text.Json.Nodes.JsonObject section)
                    foreach (var (name, field) in fields.ToArray())
                    {
                        if (!section.ContainsKey(name))
                            throw new InvalidDataException($"{source}: unknown config field '{property.Name}.{name}'");
                        fields.Remove(name);
                        section[name] = field;
                    }
                else merged[property.Name] = value;
            }
            return merged.Deserialize<StudyConfig>(Json)! with
            {
                SaveActivations = SaveActivations, Backend = Backend, Threads = Threads, Device = Device, Shard = Shard,
            };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid study config: {e.Message}");
        }
        catch (InvalidOperationException e) // System.Text.Json: a string with a lone UTF-16 surrogate ("\ud800")
        {
            throw new InvalidDataException($"{source}: invalid study config: {e.Message}");
        }
    }
}
