using System.Text;
using System.Text.Json;
using AnnScope.Results;
using System.Text.Json.Serialization;
using AnnScope.Communities;
using AnnScope.Models;
using AnnScope.Statistics;


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

    // ---- task (science.md §1); the names are HebbffConfig's, the JSON fields keep the config files' spelling
    /// <summary>B, independent networks trained side by side (or the instances of the activations analysed).</summary>
    public int Instances { get; init; } = 12;

    /// <summary>N, the item dimension.</summary>
    public int InputDim { get; init; } = 100;

    /// <summary>R, the repeat interval of the familiarity task (JSON <c>repeat</c>).</summary>
    [JsonPropertyName("repeat")] public int RepeatInterval { get; init; } = 5;

    /// <summary>P, the repeat probability (JSON <c>p</c>).</summary>
    [JsonPropertyName("p")] public double RepeatProbability { get; init; } = 0.5;

    /// <summary>T, samples per training and test sequence.</summary>
    public int Length { get; init; } = 2500;

    /// <summary>Allow repeats of repeats in the task.</summary>
    public bool MultiRep { get; init; }

    // ---- network and training (§2–3)
    /// <summary>M, hidden units.</summary>
    public int Hidden { get; init; } = 120;

    /// <summary>The plasticity rule (JSON <c>anti</c>, <c>hebb</c>, <c>free</c> or <c>none</c>).</summary>
    public Plasticity Plasticity { get; init; } = Plasticity.Anti;

    /// <summary>E, training epochs.</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>k: a checkpoint at epoch 0 and every k epochs (JSON <c>every</c>).</summary>
    [JsonPropertyName("every")] public int CheckpointEvery { get; init; } = 10;

    // ---- connectivity (§4)
    /// <summary>Number of non-overlapping windows L; the window is Length / Windows samples.</summary>
    public int Windows { get; init; } = 50;

    // ---- communities (§5)
    /// <summary>γ⁺, the resolution of the positive part of the signed-split objective (JSON <c>gamma_pos</c>).</summary>
    [JsonPropertyName("gamma_pos")] public double GammaPositive { get; init; } = 1.02;

    /// <summary>γ⁻, the resolution of the negative part (JSON <c>gamma_neg</c>).</summary>
    [JsonPropertyName("gamma_neg")] public double GammaNegative { get; init; } = 1.0;

    /// <summary>ω, the ordinal interlayer coupling.</summary>
    public double Omega { get; init; } = 1.0;

    /// <summary>Seeded optimisation runs per instance-checkpoint (robust: several; paper: 1).</summary>
    public int Runs { get; init; } = 4;

    /// <summary>How a node chooses its community (JSON <c>method</c>: <c>move</c>, <c>moverand</c> or <c>moverandw</c>).</summary>
    [JsonPropertyName("method")] public MoveRule MoveRule { get; init; } = MoveRule.Move;

    /// <summary>Iterated Louvain with ordinal post-processing (robust) or a single pass (paper).</summary>
    public bool Iterated { get; init; } = true;

    /// <summary>Optimisation runs that also give the static (full-FC) partition.</summary>
    public int StaticRuns { get; init; } = 4;

    // ---- measures and statistics (§7–8)
    /// <summary>The accuracy correlated with the measures (JSON <c>paper_accuracy</c>, <c>accuracy</c> or <c>balanced_accuracy</c>).</summary>
    public AccuracyMeasure AccuracyMeasure { get; init; } = AccuracyMeasure.PaperAccuracy;

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
    /// <summary>Random effects of each mediation path (JSON <c>corr</c>: intercept and slope, as the paper; <c>uncorr</c> or <c>intercept</c>).</summary>
    public RandomEffects MediationRandom { get; init; } = RandomEffects.Correlated;

    // ---- the paper's claims and their robustness (README, "The paper's claims")
    /// <summary>Thresholds of the claim rules.</summary>
    public Statistics.Claims.ClaimRules Claims { get; init; } = new();
    /// <summary>The robustness pass: variants of the community detection and the shuffled null.</summary>
    public RobustnessOptions Robustness { get; init; } = new();

    // ---- execution (not part of the science: may change on resume)
    /// <summary>Also keep every checkpoint's activations in activations.h5.</summary>
    [JsonIgnore] public bool SaveActivations { get; init; }

    /// <summary>Where the numerical kernels run.</summary>
    [JsonIgnore] public ComputeBackend Backend { get; init; } = ComputeBackend.Mkl;

    /// <summary>Worker threads (0 = every core); results do not depend on it.</summary>
    [JsonIgnore] public int Threads { get; init; }
    /// <summary>The OpenCL device (index, platform:device, gpu/cpu/accelerator, or part of its name); null = the default.</summary>
    [JsonIgnore] public string? Device { get; init; }

    /// <summary>Train and analyse only this shard's instances (null: all); not part of the science, so shards of one study share its config.</summary>
    [JsonIgnore] internal StudyShard? Shard { get; init; }

    /// <summary>The instances this run trains: [first, end) of the study's <see cref="Instances"/>.</summary>
    [JsonIgnore] internal (int First, int End) InstanceRange =>
        Shard is { } s ? (s.Start(Instances), s.End(Instances)) : (0, Instances);

    /// <summary>The checkpoints.csv column of <see cref="AccuracyMeasure"/>.</summary>
    [JsonIgnore] internal string AccuracyColumn => OptionNames.Name(AccuracyMeasure);

    /// <summary>Samples per window.</summary>
    [JsonIgnore] public int Window => Length / Windows;

    /// <summary>The checkpoint epochs: 0, k, 2k, … ≤ E.</summary>
    [JsonIgnore] public IReadOnlyList<int> CheckpointEpochs =>
        Enumerable.Range(0, Epochs / CheckpointEvery + 1).Select(i => i * CheckpointEvery).ToArray();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that makes no sense.</summary>
    public StudyConfig Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException($"study config: {message}");
        }
        Require(Instances >= 1, $"instances must be >= 1 (got {Instances})");
        Require(InputDim >= 1 && Hidden >= 2, $"input_dim >= 1 and hidden >= 2 required (got {InputDim}, {Hidden})");
        Require(RepeatInterval >= 1 && RepeatInterval < Length,
            $"repeat R must satisfy 1 <= R < length (got R {RepeatInterval}, length {Length})");
        Require(RepeatProbability is >= 0 and <= 1, $"p must be in [0, 1] (got {RepeatProbability})");
        Require(Epochs >= 1 && CheckpointEvery >= 1 && CheckpointEvery <= Epochs,
            $"epochs >= 1 and 1 <= every <= epochs required (got {Epochs}, {CheckpointEvery})");
        Require(Enum.IsDefined(Plasticity), $"plasticity must be one of {string.Join(", ", OptionNames.All<Plasticity>())}");
        Require(Windows >= 2 && Length % Windows == 0 && Length / Windows >= 3,
            $"windows must divide length into windows of at least 3 samples (length {Length}, windows {Windows})");
        Require(GammaPositive >= 0 && GammaNegative >= 0 && Omega >= 0 && double.IsFinite(GammaPositive + GammaNegative + Omega),
            $"gamma_pos, gamma_neg and omega must be finite and >= 0 (got {GammaPositive}, {GammaNegative}, {Omega})");
        Require(Runs >= 1 && StaticRuns >= 1, "runs and static_runs must be >= 1");
        Require(Enum.IsDefined(MoveRule), $"method must be one of {string.Join(", ", OptionNames.All<MoveRule>())}");
        Require(Enum.IsDefined(AccuracyMeasure),
            $"accuracy_measure must be one of {string.Join(", ", OptionNames.All<AccuracyMeasure>())}");
        Require(CorrelationWindow >= 3, "correlation_window must be >= 3 checkpoints");
        Require(MediationBootstrap >= 0, "mediation_bootstrap must be >= 0");
        Require(MediationX != MediationMediator && CheckpointRow.Columns.Contains(MediationX) && CheckpointRow.Columns.Contains(MediationMediator),
            $"mediation_x and mediation_mediator must be two different checkpoints.csv columns (got '{MediationX}', '{MediationMediator}')");
        Require(Enum.IsDefined(MediationRandom), $"mediation_random must be one of {string.Join(", ", OptionNames.All<RandomEffects>())}");
        Claims.Validate();
        Robustness.Validate();
        Require(Threads >= 0, "threads must be >= 0");
        Shard?.Validate(Instances);
        return this;
    }

    /// <summary>The config as JSON (snake_case fields, as config files use).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StudyConfigJson.Default.StudyConfig);

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
            var merged = JsonSerializer.SerializeToNode(this, StudyConfigJson.Default.StudyConfig)!.AsObject();
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
            return merged.Deserialize(StudyConfigJson.Default.StudyConfig)! with
            {
                SaveActivations = SaveActivations, Backend = Backend, Threads = Threads, Device = Device, Shard = Shard,
            };
        }
        catch (OptionJsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Path?.TrimStart('$', '.')} {e.Message}");
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
