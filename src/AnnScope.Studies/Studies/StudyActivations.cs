using AnnScope.IO;
using AnnScope.Results;

namespace AnnScope.Studies;

/// <summary>
/// Activations on disk. During a study each analysed checkpoint's activations are spooled as
/// spool/epoch_NNNNN.npy (sealed with the checkpoint, so resuming keeps them); when the study completes they
/// are assembled into activations.h5 — (instances, checkpoints, T, M) float32, chunked one slab per
/// (instance, checkpoint) — written under a temporary name and renamed, then the spool is removed.
/// </summary>
public static class StudyActivations
{
    public const string FileName = "activations.h5";

    /// <summary>Spools one checkpoint's activations (instances, T, M).</summary>
    public static void Spool(StudyStore store, Checkpoint checkpoint, int instances, int samples, int units)
    {
        var dir = store.PathOf(StudyFiles.SpoolDir);
        Directory.CreateDirectory(dir);
        Npy.Write<float>(Path.Combine(dir, $"epoch_{checkpoint.Epoch:D5}.npy"), checkpoint.Activations, instances, samples, units);
    }

    /// <summary>Builds activations.h5 from the spool of a completed study.</summary>
    public static void Assemble(StudyStore store, StudyConfig config, ICheckpointSource source)
    {
        using var writer = Hdf5Activations.Create(store.PathOf(FileName), source.Instances, source.Epochs, source.Samples,
            source.Units, config.ToJson());
        var dir = store.PathOf(StudyFiles.SpoolDir);
        for (int c = 0; c < source.Epochs.Count; c++)
        {
            var path = Path.Combine(dir, $"epoch_{source.Epochs[c]:D5}.npy");
            var (data, shape) = Npy.ReadFloat32(path);
            if (shape is not [var i, var t, var m] || i != source.Instances || t != source.Samples || m != source.Units)
                throw new InvalidDataException($"{path}: spooled activations have shape {Npy.FormatShape(shape)}");
            writer.WriteCheckpoint(c, data);
        }
        writer.Complete();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Opens activations a user brings: .npy, or .h5 with the given dataset.</summary>
    public static ActivationFileSource Open(string path, string dataset, IReadOnlyList<int>? epochs)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy") return ActivationFileSource.OpenNpy(path, epochs);
        if (extension is ".h5" or ".hdf5")
        {
            var reader = Hdf5Activations.Open(path, dataset);
            var stored = epochs ?? reader.Epochs;
            return ActivationFileSource.FromReader(path, reader.Shape, reader.ReadCheckpoint, stored, reader);
        }
        throw new ArgumentException($"{path}: activations must be a .npy or .h5 file");
    }
}
