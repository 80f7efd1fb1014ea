using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnScope.IO;
using AnnScope.Results;
using static AnnScope.Results.StudyFiles;

namespace AnnScope.Studies;

/// <summary>
/// The study directory as the pipeline writes it (format in the README): growing tables flushed once per
/// checkpoint, whole files written atomically, and a sealed state file that marks the last checkpoint whose
/// results are all on disk. Opening for resume cuts every table back to that checkpoint.
/// </summary>
internal sealed class StudyStore : IDisposable
{
    private readonly AppendOnlyTable checkpoints, runs, histograms;
    private AppendOnlyTable? variants; // the robustness pass's table, created with its first rows
    private readonly StudyDirectoryLock directoryLock;

    /// <summary>The study directory.</summary>
    public string Directory { get; }

    /// <summary>The config's fingerprint, stored with every state snapshot.</summary>
    public string Fingerprint { get; }

    private StudyStore(StudyDirectoryLock directoryLock, string fingerprint, AppendOnlyTable checkpoints, AppendOnlyTable runs,
        AppendOnlyTable histograms)
    {
        this.directoryLock = directoryLock;
        var directory = directoryLock.Directory;
        Directory = directory;
        Fingerprint = fingerprint;
        this.checkpoints = checkpoints;
        this.runs = runs;
        this.histograms = histograms;
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>
    /// Starts a new study in <paramref name="directory"/>, which must not exist or be empty, and holds the
    /// directory's <see cref="StudyDirectoryLock"/> until disposed.
    /// </summary>
    public static StudyStore Create(string directory, StudyConfig config)
    {
        var dir = Path.GetFullPath(directory);
        if (File.Exists(dir)) throw new ArgumentException($"--out {dir} is a file, not a directory");
        // a directory some process may hold is tried for the lock first (a busy one names its holder); any other
        // non-empty directory is refused before the lock leaves its file there
        if (!File.Exists(Path.Combine(dir, StudyDirectoryLock.LockFile))) RefuseNonEmpty(dir);
        var directoryLock = StudyDirectoryLock.Acquire(dir);
        try
        {
            // what a run killed before its first file was in place left (under the lock, nobody else is writing it)
            foreach (var temp in System.IO.Directory.GetFiles(dir, $".{StudyFile}.*.tmp")) File.Delete(temp);
            RefuseNonEmpty(dir);
            // the config first (which also shows that the directory is writable): a run killed at any later
            // moment leaves a directory that --resume recognises
            try
            {
                AtomicFile.WriteText(Path.Combine(dir, StudyFile), new JsonObject
                {
                    ["format"] = "annscope-study/1", ["status"] = "starting", ["config"] = JsonNode.Parse(config.ToJson()),
                    ["shard"] = config.Shard is { } shard ? new JsonObject { ["index"] = shard.Index, ["count"] = shard.Count } : null,
                }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ArgumentException($"output directory {dir} is not writable: {e.Message}");
            }
            System.IO.Directory.CreateDirectory(Path.Combine(dir, AllegianceDir));
            var fingerprint = StateFile.Fingerprint(config.ToJson());
            return new StudyStore(directoryLock, fingerprint,
                AppendOnlyTable.Create(Path.Combine(dir, CheckpointsFile), CheckpointRow.Columns),
                AppendOnlyTable.Create(Path.Combine(dir, RunsFile), RunRow.Columns),
                AppendOnlyTable.Create(Path.Combine(dir, HistogramsFile), HistogramRow.Columns));
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    private static void RefuseNonEmpty(string dir)
    {
        if (!System.IO.Directory.Exists(dir) || System.IO.Directory.EnumerateFileSystemEntries(dir).All(StudyDirectoryLock.IsLockFile))
            return;
        var hint = File.Exists(Path.Combine(dir, StudyFile)) ? " (it holds a study: add --resume to continue it)" : "";
        throw new ArgumentException($"output directory {dir} is not empty{hint}");
    }

    /// <summary>
    /// True when <paramref name="directory"/> holds a study to resume. False when it is absent or empty, or holds
    /// only the header-only tables of a run killed before it recorded study.json (those are removed): a resumed
    /// run then simply starts, so one command serves a first run and a requeued one.
    /// </summary>
    public static bool ResumableOrCleared(string directory)
    {
        var dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir)) return false;
        if (File.Exists(Path.Combine(dir, StudyFile))) return true;
        var entries = System.IO.Directory.GetFileSystemEntries(dir);
        bool unstarted = entries.All(e => Path.GetFileName(e) is CheckpointsFile or RunsFile or HistogramsFile or ".write-probe"
            || StudyDirectoryLock.IsLockFile(e)
            || (Path.GetFileName(e) == AllegianceDir && System.IO.Directory.Exists(e) && !System.IO.Directory.EnumerateFileSystemEntries(e).Any()));
        if (!unstarted) return true; // something else is there: Resume says what is missing
        foreach (var e in entries.Where(e => !StudyDirectoryLock.IsLockFile(e)))
            if (System.IO.Directory.Exists(e)) System.IO.Directory.Delete(e);
            else File.Delete(e);
        return false;
    }

    /// <summary>
    /// Reopens a study for resuming, holding its <see cref="StudyDirectoryLock"/> until disposed: the stored
    /// config must equal <paramref name="config"/>; returns the last complete state (null when no checkpoint
    /// finished) and cuts every table back to it.
    /// </summary>
    public static StudyStore Resume(string directory, StudyConfig config, out StateFile.Snapshot? state)
    {
        var dir = Path.GetFullPath(directory);
        var studyPath = Path.Combine(dir, StudyFile);
        if (!File.Exists(studyPath)) throw new ArgumentException($"--resume: {dir} holds no study ({StudyFile} missing)");
        var directoryLock = StudyDirectoryLock.Acquire(dir);
        try { return Resume(directoryLock, config, out state); }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    private static StudyStore Resume(StudyDirectoryLock directoryLock, StudyConfig config, out StateFile.Snapshot? state)
    {
        var dir = directoryLock.Directory;
        var studyPath = Path.Combine(dir, StudyFile);
        var stored = ReadStoredConfig(studyPath, out var storedShard);
        var wantShard = config.Shard?.ToString();
        if (storedShard != wantShard)
            throw new ArgumentException($"--resume: the study in {dir} is {(storedShard is null ? "a whole study" : $"shard {storedShard}")}, " +
                                        $"not {(wantShard is null ? "a whole study" : $"shard {wantShard}")}");
        var fingerprint = StateFile.Fingerprint(config.ToJson());
        if (StateFile.Fingerprint(stored) != fingerprint)
            throw new ArgumentException($"--resume: the study in {dir} was made with a different config; run with the same options (see {StudyFile})");
        ProbeWritable(dir);
        var statePath = Path.Combine(dir, StateFileName);
        state = File.Exists(statePath) ? StateFile.Read(statePath) : null;
        if (state != null && state.Fingerprint != fingerprint)
            throw new InvalidDataException($"{statePath}: belongs to a different config");
        long lastEpoch = state?.Position ?? -1;
        bool Keep(IReadOnlyList<string> cells, int epochColumn) =>
            long.TryParse(cells[epochColumn], NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) && e <= lastEpoch;
        System.IO.Directory.CreateDirectory(Path.Combine(dir, AllegianceDir));
        RemoveLeftovers(dir);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(dir, AllegianceDir), "epoch_*.npy"))
            if (EpochOfAllegianceFile(file) is not { } epoch || epoch > lastEpoch) File.Delete(file);
        var spool = Path.Combine(dir, SpoolDir);
        if (System.IO.Directory.Exists(spool))
            foreach (var file in System.IO.Directory.GetFiles(spool, "epoch_*.npy"))
                if (EpochOfAllegianceFile(file) is not { } epoch || epoch > lastEpoch) File.Delete(file);
        if (File.Exists(Path.Combine(dir, StudyFiles.VariantsFile)))
            AppendOnlyTable.Resume(Path.Combine(dir, StudyFiles.VariantsFile), VariantRow.Columns, c => Keep(c, 1)).Dispose();
        bool sealedAny = state != null;
        AppendOnlyTable Reopen(string name, IReadOnlyList<string> columns, int epochColumn)
        {
            var path = Path.Combine(dir, name);
            // a run killed while creating its tables left some missing, or empty or with a torn header (a table is
            // created, then its header flushed): with nothing sealed every table starts empty anyway
            if (!sealedAny) return AppendOnlyTable.Create(path, columns);
            if (!File.Exists(path)) throw new InvalidDataException($"{path}: missing, but {StateFileName} says checkpoints were completed");
            return AppendOnlyTable.Resume(path, columns, c => Keep(c, epochColumn));
        }
        return new StudyStore(directoryLock, fingerprint,
            Reopen(CheckpointsFile, CheckpointRow.Columns, 1),
            Reopen(RunsFile, RunRow.Columns, 1),
            Reopen(HistogramsFile, HistogramRow.Columns, 0));
    }

    /// <summary>
    /// Removes what killed runs left half-written: temporary files of atomic writes and the report's temporary
    /// figure folders. Safe only under the directory lock, which guarantees that no other run is writing them.
    /// </summary>
    private static void RemoveLeftovers(string dir)
    {
        foreach (var folder in new[] { dir, Path.Combine(dir, AllegianceDir), Path.Combine(dir, SpoolDir) })
            if (System.IO.Directory.Exists(folder))
                foreach (var file in System.IO.Directory.GetFiles(folder, ".*.tmp")) File.Delete(file);
        File.Delete(Path.Combine(dir, ProbeFile));
        foreach (var pattern in new[] { ".figures.*.tmp", ".figures.*.old" })
            foreach (var folder in System.IO.Directory.GetDirectories(dir, pattern)) System.IO.Directory.Delete(folder, recursive: true);
    }

    private static long? EpochOfAllegianceFile(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var digits = name["epoch_".Length..].Split('_')[0];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;
    }

    private static string ReadStoredConfig(string studyPath, out string? shard)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(studyPath)) as JsonObject
                       ?? throw new InvalidDataException($"{studyPath}: not a JSON object");
            if (node["format"]?.GetValue<string>() != "annscope-study/1")
                throw new InvalidDataException($"{studyPath}: not an AnnScope study file");
            var config = node["config"]?.Deserialize(StudyConfigJson.Default.StudyConfig)
                         ?? throw new InvalidDataException($"{studyPath}: no config");
            shard = node["shard"] is JsonObject s ? $"{s["index"]}/{s["count"]}" : null;
            return config.ToJson();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{studyPath}: damaged study file: {e.Message}");
        }
    }

    private const string ProbeFile = ".write-probe";

    private static void ProbeWritable(string dir)
    {
        try { AtomicFile.WriteText(Path.Combine(dir, ProbeFile), ""); File.Delete(Path.Combine(dir, ProbeFile)); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ArgumentException($"output directory {dir} is not writable: {e.Message}");
        }
    }

    /// <summary>Appends one checkpoint's rows to the tables and forces them to disk.</summary>
    public void AppendCheckpoint(IEnumerable<CheckpointRow> rows, IEnumerable<RunRow> runRows, IEnumerable<HistogramRow> histogramRows)
    {
        foreach (var r in rows) checkpoints.Append(r.Cells());
        foreach (var r in runRows) runs.Append(r.Cells());
        foreach (var r in histogramRows) histograms.Append(r.Cells());
        checkpoints.Flush();
        runs.Flush();
        histograms.Flush();
    }

    /// <summary>Appends one checkpoint's robustness variants (variants.csv) and forces them to disk.</summary>
    public void AppendVariants(IReadOnlyList<VariantRow> rows)
    {
        if (rows.Count == 0) return;
        var path = PathOf(StudyFiles.VariantsFile);
        variants ??= File.Exists(path) ? AppendOnlyTable.Resume(path, VariantRow.Columns, _ => true) : AppendOnlyTable.Create(path, VariantRow.Columns);
        foreach (var r in rows) variants.Append(r.Cells());
        variants.Flush();
    }

    /// <summary>Writes one snapshot epoch's allegiance matrices (instances, M, M) and module labels (instances, M).</summary>
    public void WriteAllegiance(int epoch, ReadOnlySpan<float> allegiance, ReadOnlySpan<double> modules, int instances, int units)
    {
        Npy.Write(Path.Combine(Directory, AllegianceDir, $"epoch_{epoch:D5}_modules.npy"), modules, instances, units);
        Npy.Write(Path.Combine(Directory, AllegianceDir, $"epoch_{epoch:D5}.npy"), allegiance, instances, units, units);
    }

    /// <summary>Records that everything up to and including <paramref name="epoch"/> is on disk, with the state to continue from.</summary>
    public void SaveState(long epoch, IReadOnlyDictionary<string, double[]> arrays) =>
        StateFile.Write(PathOf(StateFileName), new StateFile.Snapshot(epoch, Fingerprint, arrays));

    /// <summary>Writes a JSON document atomically.</summary>
    public void WriteJson(string name, JsonNode node) =>
        AtomicFile.WriteText(PathOf(name), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public void Dispose()
    {
        try
        {
            checkpoints.Dispose();
            runs.Dispose();
            histograms.Dispose();
            variants?.Dispose();
        }
        finally
        {
            directoryLock.Dispose();
        }
    }
}
