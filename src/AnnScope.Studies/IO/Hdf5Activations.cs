namespace AnnScope.IO;

/// <summary>
/// Activations in HDF5, as a study stores them with --save-activations and as `annscope analyze` reads
/// them: a dataset shaped (instances, checkpoints, samples, units), one chunk per (instance, checkpoint)
/// so any tool (h5py, MATLAB, PureHDF) reads one network's activations at one checkpoint without touching
/// the rest.
/// </summary>
public static class Hdf5Activations
{
    /// <summary>The dataset AnnScope writes and reads by default.</summary>
    public const string DefaultDataset = "/activations";

    /// <summary>The checkpoint epochs written beside the activations.</summary>
    public const string EpochsDataset = "/epochs";

    /// <summary>The root attribute holding the study config as a JSON string.</summary>
    public const string ConfigAttribute = "config";

    /// <summary>
    /// Starts writing <paramref name="path"/>: float32 activations of <paramref name="instances"/> networks at
    /// the given checkpoint <paramref name="epochs"/>, <paramref name="samples"/> × <paramref name="units"/>
    /// each. The file appears under its name only after <see cref="Hdf5ActivationWriter.Complete"/>.
    /// </summary>
    public static Hdf5ActivationWriter Create(string path, int instances, IReadOnlyList<int> epochs, int samples, int units, string configJson) =>
        new(path, instances, epochs, samples, units, configJson);

    /// <summary>Opens a 4-D float32 or float64 dataset (default <see cref="DefaultDataset"/>) of an HDF5 file for slab-wise reading.</summary>
    public static Hdf5ActivationReader Open(string path, string dataset = DefaultDataset) => new(path, dataset);
}
