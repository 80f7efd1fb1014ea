namespace AnnScope.Results;

/// <summary>
/// Reads a study directory (study.json, checkpoints.csv, runs.csv, histograms.csv, allegiance/*.npy,
/// summary.json) into typed, cross-checked results. Nothing half-written or foreign is trusted: a missing
/// file, a truncated row, NaN where a value must exist, a number out of its range, or files that disagree
/// with each other are an <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>,
/// <see cref="DirectoryNotFoundException"/>) naming the file and the problem. Rows of a checkpoint the study
/// had not finished when it stopped are left out.
/// </summary>
public static class StudyStoreReader
{
    public static StudyResults Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException(File.Exists(dir) ? $"{dir} is a file, not a study directory" : $"study directory {dir} does not exist");
        string In(string name) => Path.Combine(dir, name);
        if (!File.Exists(In(StudyFiles.StudyFile)))
            throw new FileNotFoundException($"{dir} is not a study directory ({StudyFiles.StudyFile} missing)", In(StudyFiles.StudyFile));

        var manifest = StudyManifest.Read(In(StudyFiles.StudyFile));
        bool complete = manifest.IsComplete;
        var table = CheckpointTable.Read(In(StudyFiles.CheckpointsFile), manifest.CheckpointsCompleted, complete);
        var runs = File.Exists(In(StudyFiles.RunsFile)) ? StoreTables.ReadRuns(In(StudyFiles.RunsFile), table, complete) : [];
        var histograms = StoreTables.ReadHistograms(In(StudyFiles.HistogramsFile), table, complete);

        var allegiance = new List<StoredAllegiance>();
        var known = table.Epochs.ToHashSet();
        foreach (int epoch in manifest.AllegianceEpochs)
        {
            if (epoch > table.Epochs[^1] && !complete) continue; // snapshot of a checkpoint not reached yet
            if (!known.Contains(epoch))
                throw new InvalidDataException($"{In(StudyFiles.StudyFile)}: allegiance epoch {epoch} is not a checkpoint of {StudyFiles.CheckpointsFile}");
            var snapshot = StoredAllegiance.Read(In(StudyFiles.AllegianceDir), epoch, table.Instances);
            if (allegiance.Count > 0 && snapshot.Units != allegiance[0].Units)
                throw new InvalidDataException($"{In(StudyFiles.AllegianceDir)}: epoch {epoch} has {snapshot.Units} units, epoch {allegiance[0].Epoch} {allegiance[0].Units}");
            allegiance.Add(snapshot);
        }

        if (!File.Exists(In(StudyFiles.SummaryFile)))
            throw new FileNotFoundException(complete
                ? $"{In(StudyFiles.SummaryFile)}: missing"
                : $"{In(StudyFiles.SummaryFile)}: missing: the study has not finished (status '{manifest.Status}', {table.Epochs.Count} checkpoints done); resume it first",
                In(StudyFiles.SummaryFile));
        var summary = StudySummaryReader.Read(In(StudyFiles.SummaryFile), table);

        return new StudyResults
        {
            Directory = dir,
            Manifest = manifest,
            Checkpoints = table,
            Runs = runs,
            Histograms = histograms,
            Allegiance = allegiance,
            Summary = summary,
        };
    }
}
