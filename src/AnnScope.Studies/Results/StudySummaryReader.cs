namespace AnnScope.Results;

/// <summary>Reads and checks summary.json against the checkpoint table it summarises.</summary>
internal static partial class StudySummaryReader
{
    public static StudySummary Read(string path, CheckpointTable table)
    {
        var json = StoreJson.Load(path);
        var format = json["format"].String();
        if (format != StudySummary.Format) throw json["format"].Error($"'{format}' is not an AnnScope summary ({StudySummary.Format})");
        var accuracy = json["accuracy_column"].String();
        if (!CheckpointRow.Columns.Contains(accuracy)) throw json["accuracy_column"].Error($"'{accuracy}' is not a checkpoints.csv column");
        int instances = json["instances"].Int(1);
        if (instances != table.Instances)
            throw json["instances"].Error($"{instances} instances, checkpoints.csv has {table.Instances}");
        var epochs = json["epochs"].Items().Select(e => e.Int(0)).ToArray();
        if (!epochs.SequenceEqual(table.Epochs))
            throw json["epochs"].Error($"the epochs ({epochs.Length}) differ from the checkpoints in checkpoints.csv ({table.Epochs.Count})");
        var measures = json["measures"].Items().Select(m =>
        {
            var name = m.String();
            return CheckpointRow.Columns.Contains(name) ? name : throw m.Error($"'{name}' is not a checkpoints.csv column");
        }).ToArray();
        var epochSet = epochs.ToHashSet();
        return new StudySummary
        {
            AccuracyColumn = accuracy,
            Instances = instances,
            Epochs = epochs,
            Measures = measures,
            AcrossInstance = ByMeasure(json["across_instance"], measures, e => Across(e, epochSet, instances)),
            WithinWindow = ByMeasure(json["within_window"], measures, e => Within(e, instances)),
            PooledWindow = ByMeasure(json["pooled_window"], measures, Pooled),
            LearningModes = Modes(json["learning_modes"], instances),
            MixedModels = json["mixed_models"].Properties().Select(p => KeyValuePair.Create(p.Name, Model(p.Value))).ToArray(),
            Mediation = json["mediation"].Properties().Select(p => KeyValuePair.Create(p.Name, Leaves(p.Value))).ToArray(),
            KeyNumbers = Leaves(json["key_numbers"]),
            Claims = ClaimsOf(json, instances),
        };
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<T>> ByMeasure<T>(StoreJson section, IReadOnlyList<string> measures, Func<StoreJson, T> item)
    {
        var result = new Dictionary<string, IReadOnlyList<T>>(StringComparer.Ordinal);
        foreach (var (name, value) in section.Properties())
        {
            if (!measures.Contains(name)) throw value.Error($"'{name}' is not one of the summary's measures");
            result[name] = value.Items().Select(item).ToArray();
        }
        return result;
    }

    private static AcrossInstanceCorrelation Across(StoreJson e, HashSet<int> epochs, int instances)
    {
        int epoch = e["epoch"].Int(0);
        if (!epochs.Contains(epoch)) throw e["epoch"].Error($"epoch {epoch} is not a checkpoint");
        return new AcrossInstanceCorrelation(epoch, R(e["r"]), P(e["p"]), e["n"].Int(0, instances));
    }

    private static WindowCorrelations Within(StoreJson e, int instances)
    {
        var r = e["r"].Items().Select(R).ToArray();
        if (r.Length != instances) throw e["r"].Error($"{r.Length} per-instance r values for {instances} instances");
        var histogram = e["histogram"];
        var edges = histogram["edges"].Items().Select(x => x.Number()).ToArray();
        var counts = histogram["counts"].Items().Select(x => x.Integer(0)).ToArray();
        if (edges.Length != counts.Length + 1 || counts.Length == 0)
            throw histogram.Error($"{edges.Length} edges for {counts.Length} bins (need bins + 1 edges)");
        for (int i = 1; i < edges.Length; i++)
            if (edges[i] <= edges[i - 1]) throw histogram["edges"].Error("edges must increase");
        int nan = e["nan_count"].Int(0, instances);
        if (counts.Sum() > instances) throw histogram["counts"].Error($"counts sum to {counts.Sum()}, more than {instances} instances");
        var (start, end) = Span(e);
        return new WindowCorrelations(e["window"].Int(0), start, end, r, e["mean"].NumberOrNull(), Nonnegative(e["sem"]), nan, edges, counts);
    }

    private static PooledWindowCorrelation Pooled(StoreJson e)
    {
        var (start, end) = Span(e);
        return new PooledWindowCorrelation(e["window"].Int(0), start, end, R(e["r"]), P(e["p"]), e["n"].Int(0),
            e["slope"].NumberOrNull(), e["intercept"].NumberOrNull());
    }

    private static (int Start, int End) Span(StoreJson e)
    {
        int start = e["epoch_start"].Int(0), end = e["epoch_end"].Int(0);
        return end >= start ? (start, end) : throw e["epoch_end"].Error($"window ends ({end}) before it starts ({start})");
    }

    private static LearningModeSummary Modes(StoreJson e, int instances)
    {
        var labels = e["instances"].Items().Select(x => x.String()).ToArray();
        if (labels.Length != instances) throw e["instances"].Error($"{labels.Length} labels for {instances} instances");
        var counts = e["counts"].Properties().Select(p => KeyValuePair.Create(p.Name, p.Value.Int(0, instances))).ToArray();
        foreach (var (mode, n) in counts)
            if (labels.Count(l => l == mode) != n)
                throw e["counts"][mode].Error($"{n} instances of mode {mode}, the labels have {labels.Count(l => l == mode)}");
        foreach (var label in labels.Distinct())
            if (!counts.Any(c => c.Key == label)) throw e["counts"].Error($"no count for mode '{label}'");
        return new LearningModeSummary(e["rule"].String(), Leaves(e["thresholds"]), labels, counts);
    }

    private static StoredMixedModel Model(StoreJson e)
    {
        var fixedEffects = e["fixed_effects"].Items().Select(f => new StoredFixedEffect(
            f["name"].String(), f["estimate"].Number(), Nonnegative(f["std_error"]) ?? throw f["std_error"].Error("undefined standard error"),
            f["t_value"].Number(), Optional(f, "df"), f.Optional("p_value") is { } p ? P(p) : null)).ToArray();
        if (fixedEffects.Length == 0) throw e["fixed_effects"].Error("no fixed effects");
        var random = e.Optional("random");
        return new StoredMixedModel(fixedEffects,
            random is { } r1 ? Optional(r1, "sd_intercept") : null,
            random is { } r2 ? Optional(r2, "sd_slope") : null,
            random is { } r3 ? Optional(r3, "corr") : null,
            Optional(e, "residual_sd"), Optional(e, "log_likelihood"),
            e.Optional("reml") is { IsNull: false } reml ? reml.Bool() : null,
            Optional(e, "aic"), Optional(e, "bic"),
            e.Optional("singular") is { IsNull: false } singular ? singular.Bool() : null,
            e.Optional("n_obs") is { IsNull: false } n ? n.Int(0) : null,
            e.Optional("n_groups") is { IsNull: false } g ? g.Int(0) : null);
    }

    private static double? Optional(StoreJson e, string name) => e.Optional(name)?.NumberOrNull();

    private static IReadOnlyList<KeyValuePair<string, string>> Leaves(StoreJson e) =>
        e.Flatten().Select(l => KeyValuePair.Create(l.Path, l.Text)).ToArray();

    private static double? R(StoreJson e)
    {
        var r = e.NumberOrNull();
        return r is null or (>= -1 - 1e-9 and <= 1 + 1e-9) ? r : throw e.Error($"correlation {r} is outside [-1, 1]");
    }

    private static double? P(StoreJson e)
    {
        var p = e.NumberOrNull();
        return p is null or (>= 0 and <= 1) ? p : throw e.Error($"p-value {p} is outside [0, 1]");
    }

    private static double? Nonnegative(StoreJson e)
    {
        var v = e.NumberOrNull();
        return v is null or >= 0 ? v : throw e.Error($"{v} is negative");
    }
}
