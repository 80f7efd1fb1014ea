using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnScope.IO;

using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>
/// Joins the shards of one study (`study --shard I/N`) into the study a single process would have written:
/// the shards must share config, seed, version and backend and hold every instance exactly once; their rows
/// are interleaved in single-run order (each checkpoint's instances 0…n−1), histogram counts added, allegiance
/// snapshots and resume states joined along the instance axis, and then the cross-instance statistics, figures
/// and report run on the whole. Everything is checked before anything is written, so a refused merge leaves
/// no output behind.
/// </summary>
internal static class StudyMerge
{
    /// <summary>Merges <paramref name="shardDirectories"/> into <paramref name="directory"/> (absent or empty).</summary>
    public static void Run(string directory, IReadOnlyList<string> shardDirectories)
    {
        var clock = Stopwatch.StartNew();
        var shards = Check(shardDirectories);
        // a shard another process still writes (a requeued task) is refused as busy instead of read half-written
        var shardLocks = new List<StudyDirectoryLock>();
        try
        {
            foreach (var shard in shards) shardLocks.Add(StudyDirectoryLock.Acquire(shard.Directory));
            Merge(directory, shards, clock);
        }
        finally
        {
            foreach (var held in shardLocks) held.Dispose();
        }
    }

    private static void Merge(string directory, IReadOnlyList<Shard> shards, Stopwatch clock)
    {
        var config = shards[0].Config;
        var epochs = config.CheckpointEpochs;
        var dir = Path.GetFullPath(directory);
        if (File.Exists(dir)) throw new ArgumentException($"--out {dir} is a file, not a directory");
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any(p => !StudyDirectoryLock.IsLockFile(p)))
            throw new ArgumentException($"output directory {dir} is not empty");
        if (shards.Any(s => Path.GetFullPath(s.Directory) == dir)) throw new ArgumentException($"--out {dir} is one of the shards");

        // read and check every table of every shard before the output exists
        var tables = shards.Select(s => ShardTables.Read(s, epochs)).ToArray();
        if (tables.Any(t => (t.Variants is null) != (tables[0].Variants is null)))
            throw new InvalidDataException($"merge: mismatch: some shards hold {StudyFiles.VariantsFile} (--robustness) and others do not");
        var allegiance = AllegianceFiles(shards);
        bool existed = Directory.Exists(dir);
        try
        {
            Write(dir, config, shards, tables, allegiance, epochs, clock);
        }
        catch
        {
            // no partial study: remove what this merge wrote
            if (existed) foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos()) Delete(entry);
            else if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    private static void Delete(FileSystemInfo entry)
    {
        if (entry is DirectoryInfo d) d.Delete(recursive: true);
        else entry.Delete();
    }

    private static void Write(string dir, StudyConfig config, IReadOnlyList<Shard> shards, IReadOnlyList<ShardTables> tables,
        IReadOnlyList<string> allegiance, IReadOnlyList<int> epochs, Stopwatch clock)
    {
        using (var store = StudyStore.Create(dir, config))
        {
            for (int c = 0; c < epochs.Count; c++)
            {
                var rows = tables.SelectMany(t => t.Rows.Skip(c * t.Width).Take(t.Width));
                var runs = tables.SelectMany(t => t.Runs[c]);
                store.AppendCheckpoint(rows, runs, SumHistograms(tables.Select(t => t.Histograms[c]).ToArray()));
                if (tables[0].Variants is not null) store.AppendVariants(tables.SelectMany(t => t.Variants![c]).ToArray());
            }
            foreach (var name in allegiance) JoinAllegiance(store, shards, name);
            JoinState(store, shards);
            var merged = MergedStudyJson(shards, config, clock, "complete");
            store.WriteJson(StudyFiles.StudyFile, merged);
            CrossInstanceStatistics.Write(store, config, epochs, config.Instances);
            StudyReportStage.Write(store);
            merged["timings"]!["merge"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            store.WriteJson(StudyFiles.StudyFile, merged);
        }
    }

    /// <summary>One shard directory as its study.json describes it.</summary>
    private sealed record Shard(string Directory, StudyManifest Manifest, StudyConfig Config, StudyShardInstances Range);

    /// <summary>Reads every shard's study.json and refuses a set that is not one study, whole, each instance once.</summary>
    private static IReadOnlyList<Shard> Check(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) throw new ArgumentException("merge: no shard directories given");
        var shards = new List<Shard>();
        foreach (var given in directories)
        {
            var dir = Path.GetFullPath(given);
            var studyFile = Path.Combine(dir, StudyFiles.StudyFile);
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"merge: shard directory {dir} does not exist");
            if (!File.Exists(studyFile)) throw new FileNotFoundException($"merge: {dir} is not a study directory ({StudyFiles.StudyFile} missing)");
            var manifest = StudyManifest.Read(studyFile);
            if (manifest.Shard is not { } range)
                throw new ArgumentException($"merge: {dir} is a whole study, not a shard (made without --shard)");
            if (!manifest.IsComplete)
                throw new ArgumentException($"merge: shard {range.Shard} in {dir} is not finished (status {manifest.Status}); " +
                                            "complete it with the same `annscope study --shard … --resume`");
            StudyConfig config;
            try { config = manifest.Config.Deserialize(StudyConfigJson.Default.StudyConfig)!.Validate(); }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                throw new InvalidDataException($"{studyFile}: config: {e.Message}");
            }
            shards.Add(new Shard(dir, manifest, config, range));
        }

        var first = shards[0];
        foreach (var s in shards.Skip(1))
        {
            var differs = ConfigDifferences(first.Manifest.Config, s.Manifest.Config);
            if (differs.Count > 0)
                throw new ArgumentException($"merge: mismatch: {s.Directory} and {first.Directory} have different configs ({string.Join(", ", differs)})");
            if (s.Manifest.Seed != first.Manifest.Seed)
                throw new ArgumentException($"merge: mismatch: {s.Directory} has seed {s.Manifest.Seed}, {first.Directory} seed {first.Manifest.Seed}");
            if (s.Manifest.Version != first.Manifest.Version)
                throw new ArgumentException($"merge: mismatch: {s.Directory} was made by AnnScope {s.Manifest.Version}, {first.Directory} by {first.Manifest.Version}");
            if (s.Manifest.Backend != first.Manifest.Backend)
                throw new ArgumentException($"merge: mismatch: {s.Directory} ran on backend {s.Manifest.Backend}, {first.Directory} on {first.Manifest.Backend}");
        }

        var ordered = shards.OrderBy(s => s.Range.First).ThenBy(s => s.Range.End).ToList();
        int next = 0, instances = first.Config.Instances;
        Shard? previous = null;
        foreach (var s in ordered)
        {
            if (s.Range.End > instances)
                throw new InvalidDataException($"merge: {s.Directory} holds instances up to {s.Range.End - 1}, the study has {instances}");
            if (s.Range.First > next)
                throw new ArgumentException($"merge: gap: {Span(next, s.Range.First)} in no shard given");
            if (s.Range.First < next)
                throw new ArgumentException($"merge: overlap: {Span(s.Range.First, Math.Min(next, s.Range.End))} in both " +
                                            $"{previous!.Directory} and {s.Directory}");
            next = s.Range.End;
            previous = s;
        }
        if (next < instances) throw new ArgumentException($"merge: gap: {Span(next, instances)} in no shard given");
        return ordered;
    }

    private static string Span(int first, int end) => end - first == 1 ? $"instance {first} is" : $"instances {first}–{end - 1} are";

    private static List<string> ConfigDifferences(JsonElement a, JsonElement b)
    {
        var left = JsonNode.Parse(a.GetRawText())!.AsObject();
        var right = JsonNode.Parse(b.GetRawText())!.AsObject();
        return left.Select(p => p.Key).Union(right.Select(p => p.Key))
            .Where(k => !JsonNode.DeepEquals(left[k], right[k]))
            .Select(k => $"{k}: {right[k]?.ToJsonString() ?? "absent"} vs {left[k]?.ToJsonString() ?? "absent"}")
            .ToList();
    }

    /// <summary>A shard's rows, checked and grouped by checkpoint.</summary>
    private sealed record ShardTables(int Width, IReadOnlyList<CheckpointRow> Rows, IReadOnlyList<RunRow>[] Runs,
        IReadOnlyList<HistogramRow>[] Histograms, IReadOnlyList<VariantRow>[]? Variants)
    {
        public static ShardTables Read(Shard shard, IReadOnlyList<int> epochs)
        {
            string In(string name) => Path.Combine(shard.Directory, name);
            var (first, end) = (shard.Range.First, shard.Range.End);
            if (shard.Manifest.CheckpointsCompleted != epochs.Count)
                throw new InvalidDataException($"{In(StudyFiles.StudyFile)}: {shard.Manifest.CheckpointsCompleted} checkpoints completed of {epochs.Count}");
            var rows = CheckpointTable.ReadShard(In(StudyFiles.CheckpointsFile), epochs, first, end);
            var runs = StoreTables.ReadRuns(In(StudyFiles.RunsFile), epochs, first, end, complete: true);
            var histograms = StoreTables.ReadHistograms(In(StudyFiles.HistogramsFile), epochs, complete: true);
            var index = epochs.Select((e, i) => (e, i)).ToDictionary(p => p.e, p => p.i);
            var runsBy = epochs.Select(_ => new List<RunRow>()).ToArray();
            foreach (var r in runs) runsBy[index[r.Epoch]].Add(r);
            var histogramsBy = epochs.Select(_ => new List<HistogramRow>()).ToArray();
            foreach (var h in histograms) histogramsBy[index[h.Epoch]].Add(h);
            return new ShardTables(end - first, rows, runsBy, histogramsBy, ReadVariants(In(StudyFiles.VariantsFile), index, first, end));
        }

        /// <summary>variants.csv of a --robustness shard, grouped by checkpoint in the order the shard wrote it (null when absent).</summary>
        private static IReadOnlyList<VariantRow>[]? ReadVariants(string path, IReadOnlyDictionary<int, int> index, int first, int end)
        {
            if (!File.Exists(path)) return null;
            var csv = StoreCsv.Read(path, VariantRow.Columns);
            var byCheckpoint = index.Select(_ => new List<VariantRow>()).ToArray();
            for (int r = 0; r < csv.Count; r++)
            {
                int epoch = csv.Int(r, "epoch", 0);
                if (!index.TryGetValue(epoch, out int c)) throw csv.Error(r, "epoch", $"epoch {epoch} is not a checkpoint of the study");
                byCheckpoint[c].Add(new VariantRow(csv.Int(r, "instance", first, end - 1), epoch, csv.Text(r, "variant"),
                    csv.Number(r, "multilayer_modularity", true), csv.Int(r, "multilayer_communities", 0), csv.Number(r, "flexibility", true),
                    csv.Number(r, "mean_correlation", true)));
            }
            return byCheckpoint;
        }
    }

    /// <summary>One checkpoint's histograms pooled over all shards: the same bins, counts added.</summary>
    private static IEnumerable<HistogramRow> SumHistograms(IReadOnlyList<IReadOnlyList<HistogramRow>> shards)
    {
        var first = shards[0];
        for (int s = 1; s < shards.Count; s++)
            if (shards[s].Count != first.Count || shards[s].Zip(first).Any(p => (p.First.Kind, p.First.Bin, p.First.Lower, p.First.Upper) !=
                                                                                (p.Second.Kind, p.Second.Bin, p.Second.Lower, p.Second.Upper)))
                throw new InvalidDataException($"merge: mismatch: the shards' histograms at epoch {first[0].Epoch} have different bins");
        return first.Select((row, b) => row with { Count = shards.Sum(h => h[b].Count) }).ToArray();
    }

    /// <summary>The allegiance snapshot files every shard has (the same names in each).</summary>
    private static IReadOnlyList<string> AllegianceFiles(IReadOnlyList<Shard> shards)
    {
        string[] Names(Shard s)
        {
            var dir = Path.Combine(s.Directory, StudyFiles.AllegianceDir);
            return Directory.Exists(dir) ? Directory.GetFiles(dir, "epoch_*.npy").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray() : [];
        }
        var names = Names(shards[0]);
        foreach (var s in shards.Skip(1))
            if (!Names(s).SequenceEqual(names))
                throw new InvalidDataException($"merge: mismatch: {s.Directory} and {shards[0].Directory} hold different allegiance snapshots");
        foreach (var s in shards)
            foreach (var name in names)
            {
                var header = Npy.ReadHeader(Path.Combine(s.Directory, StudyFiles.AllegianceDir, name));
                if (header.Shape.Length < 2 || header.Shape[0] != s.Range.End - s.Range.First)
                    throw new InvalidDataException($"{Path.Combine(s.Directory, StudyFiles.AllegianceDir, name)}: shape {header.ShapeText}, " +
                                                   $"expected {s.Range.End - s.Range.First} instances first");
            }
        return names;
    }

    private static void JoinAllegiance(StudyStore store, IReadOnlyList<Shard> shards, string name)
    {
        var paths = shards.Select(s => Path.Combine(s.Directory, StudyFiles.AllegianceDir, name)).ToArray();
        var header = Npy.ReadHeader(paths[0]);
        var shape = (long[])header.Shape.Clone();
        shape[0] = shards[^1].Range.End;
        var target = Path.Combine(store.Directory, StudyFiles.AllegianceDir, name);
        if (header.Type == NpyType.Float32) Npy.Write(target, (ReadOnlySpan<float>)paths.SelectMany(p => Npy.ReadFloat32(p).Data).ToArray(), shape);
        else Npy.Write(target, (ReadOnlySpan<double>)paths.SelectMany(p => Npy.ReadFloat64(p).Data).ToArray(), shape);
    }

    /// <summary>The state a whole run would have sealed last: per-instance arrays joined in instance order, the step shared.</summary>
    private static void JoinState(StudyStore store, IReadOnlyList<Shard> shards)
    {
        var paths = shards.Select(s => Path.Combine(s.Directory, StudyFiles.StateFileName)).ToArray();
        if (!paths.All(File.Exists)) return; // a shard without state (none kept) leaves the merged study without one
        var states = paths.Select(StateFile.Read).ToArray();
        var arrays = new Dictionary<string, double[]>();
        foreach (var name in states[0].Arrays.Keys)
        {
            if (states.Any(s => s.Position != states[0].Position || !s.Arrays.ContainsKey(name)))
                throw new InvalidDataException($"merge: mismatch: the shards' resume states end at different checkpoints or hold different arrays");
            arrays[name] = name == "step" ? states[0].Arrays[name] : states.SelectMany(s => s.Arrays[name]).ToArray();
        }
        store.SaveState(states[0].Position, arrays);
    }

    /// <summary>study.json of the merged study: the first shard's, whole again, with where its parts came from.</summary>
    private static JsonObject MergedStudyJson(IReadOnlyList<Shard> shards, StudyConfig config, Stopwatch clock, string status)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(shards[0].Directory, StudyFiles.StudyFile)))!.AsObject();
        node.Remove("shard");
        node["status"] = status;
        node["source"] = HebbffSource.Description(config);
        var timings = new JsonObject();
        foreach (var name in shards.SelectMany(s => s.Manifest.Timings.Select(t => t.Key)).Distinct())
            timings[name] = Math.Round(shards.Sum(s => s.Manifest.Timings.FirstOrDefault(t => t.Key == name).Value), 3);
        timings["merge"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        node["timings"] = timings;
        node["elapsed_seconds"] = Math.Round(shards.Sum(s => s.Manifest.Timings.FirstOrDefault(t => t.Key == "streaming_total").Value) + clock.Elapsed.TotalSeconds, 3);
        node["merged_from"] = new JsonArray(shards.Select(s => (JsonNode?)new JsonObject
        {
            ["directory"] = s.Directory,
            ["shard"] = s.Range.Shard.ToString(),
            ["first_instance"] = s.Range.First,
            ["end_instance"] = s.Range.End,
            ["machine"] = s.Manifest.Host.FirstOrDefault(h => h.Key == "machine").Value,
        }).ToArray());
        return node;
    }
}
