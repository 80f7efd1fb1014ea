using System.Text.Json;

namespace AnnScope.Results;

/// <summary>
/// study.json as read back: what made the study (config, seed, version, backend, host), how far it got and
/// how long each stage took.
/// </summary>
public sealed record StudyManifest
{
    public const string Format = "annscope-study/1";

    public required string Version { get; init; }

    /// <summary>"complete" once every checkpoint and the statistics are on disk; anything else is a study in progress or interrupted.</summary>
    public required string Status { get; init; }

    /// <summary>The effective study config (snake_case JSON object), kept as written.</summary>
    public required JsonElement Config { get; init; }

    public required ulong Seed { get; init; }
    public required string Backend { get; init; }

    /// <summary>Host fields (machine, os, cores, native build) as display text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Host { get; init; }

    /// <summary>Wall-clock seconds per stage, in the file's order.</summary>
    public required IReadOnlyList<KeyValuePair<string, double>> Timings { get; init; }

    public long? PeakMemoryBytes { get; init; }
    public required int CheckpointsCompleted { get; init; }

    /// <summary>The checkpoint epochs with allegiance snapshots (six, evenly spaced, first and last included).</summary>
    public required IReadOnlyList<int> AllegianceEpochs { get; init; }

    public bool IsComplete => Status == "complete";

    /// <summary>For a shard of a study (`study --shard I/N`): which shard, and the instances [first, end) it holds; null for a whole study.</summary>
    public StudyShardInstances? Shard { get; init; }

    /// <summary>Reads and checks a study.json; a damaged or foreign file is an <see cref="InvalidDataException"/>.</summary>
    public static StudyManifest Read(string path)
    {
        var json = StoreJson.Load(path);
        var format = json["format"].String();
        if (format != Format) throw json["format"].Error($"'{format}' is not an AnnScope study ({Format})");
        var config = json["config"];
        if (config.Element.ValueKind != JsonValueKind.Object) throw config.Error("expected the config object");
        var version = json["version"];
        var allegiance = json["allegiance_epochs"].Items().Select(e => e.Int(0)).ToArray();
        for (int i = 1; i < allegiance.Length; i++)
            if (allegiance[i] <= allegiance[i - 1]) throw json["allegiance_epochs"].Error("epochs must increase");
        var status = json["status"].String();
        if (status.Length == 0) throw json["status"].Error("empty status");
        return new StudyManifest
        {
            Version = version.IsNull ? "unknown" : version.String(),
            Status = status,
            Config = config.Element,
            Seed = json["seed"].UnsignedInteger(),
            Backend = json["backend"].String(),
            Host = json.Optional("host") is { } host ? host.Flatten().Select(l => KeyValuePair.Create(l.Path, l.Text)).ToArray() : [],
            Timings = json["timings"].Properties().Select(p => KeyValuePair.Create(p.Name, CheckTime(p.Value))).ToArray(),
            PeakMemoryBytes = json.Optional("peak_memory_bytes") is { IsNull: false } peak ? peak.Integer(0) : null,
            CheckpointsCompleted = json["checkpoints_completed"].Int(0),
            AllegianceEpochs = allegiance,
            Shard = json.Optional("shard") is { IsNull: false } shard ? ReadShard(shard) : null,
        };
    }

    private static StudyShardInstances ReadShard(StoreJson shard)
    {
        int count = shard["count"].Int(1), index = shard["index"].Int(1, count);
        int first = shard["first_instance"].Int(0), end = shard["end_instance"].Int(first + 1);
        return new StudyShardInstances(new StudyShard(index, count), first, end);
    }

    private static double CheckTime(StoreJson value)
    {
        double seconds = value.Number();
        return seconds >= 0 ? seconds : throw value.Error($"negative time {seconds}");
    }
}

/// <summary>A shard as its study.json records it: shard I/N and the instances [<see cref="First"/>, <see cref="End"/>) it trained.</summary>
public readonly record struct StudyShardInstances(StudyShard Shard, int First, int End);
