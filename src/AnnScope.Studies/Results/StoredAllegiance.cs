using AnnScope.IO;

namespace AnnScope.Results;

/// <summary>
/// Module allegiance of every instance at one snapshot epoch: P(i, j), the fraction of layers (and runs) in
/// which units i and j share a community, and each unit's consensus module (1-based) used to order displays.
/// </summary>
public sealed class StoredAllegiance
{
    private readonly float[] matrices;
    private readonly double[] modules;

    public int Epoch { get; }
    public int Instances { get; }
    public int Units { get; }

    private StoredAllegiance(int epoch, int instances, int units, float[] matrices, double[] modules) =>
        (Epoch, Instances, Units, this.matrices, this.modules) = (epoch, instances, units, matrices, modules);

    /// <summary>The M × M allegiance matrix of one instance (row-major).</summary>
    public ReadOnlySpan<float> Matrix(int instance) => matrices.AsSpan(checked(instance * Units * Units), Units * Units);

    /// <summary>The consensus module label (1-based) of each unit of one instance.</summary>
    public ReadOnlySpan<double> Modules(int instance) => modules.AsSpan(checked(instance * Units), Units);

    /// <summary>The units of one instance ordered by consensus module (then by index): the display order.</summary>
    public int[] UnitOrder(int instance)
    {
        var labels = Modules(instance).ToArray();
        return [.. Enumerable.Range(0, Units).OrderBy(u => labels[u]).ThenBy(u => u)];
    }

    /// <summary>File names of the snapshot at <paramref name="epoch"/> inside the study's allegiance folder.</summary>
    public static (string Matrices, string Modules) FileNames(int epoch) => ($"epoch_{epoch:D5}.npy", $"epoch_{epoch:D5}_modules.npy");

    internal static StoredAllegiance Read(string folder, int epoch, int instances)
    {
        var (matrixName, moduleName) = FileNames(epoch);
        string matrixPath = Path.Combine(folder, matrixName), modulePath = Path.Combine(folder, moduleName);
        var header = Npy.ReadHeader(matrixPath);
        if (header.Shape.Length != 3 || header.Shape[0] != instances || header.Shape[1] != header.Shape[2] || header.Shape[1] < 1)
            throw new InvalidDataException($"{matrixPath}: expected ({instances}, M, M) allegiance matrices, found {header.ShapeText}");
        int units = checked((int)header.Shape[1]);
        var moduleHeader = Npy.ReadHeader(modulePath);
        if (moduleHeader.Shape is not [var i, var m] || i != instances || m != units)
            throw new InvalidDataException($"{modulePath}: expected ({instances}, {units}) module labels, found {moduleHeader.ShapeText}");
        var (matrices, _) = Npy.ReadFloat32(matrixPath);
        var (labels, _) = Npy.ReadFloat64(modulePath);
        for (int k = 0; k < matrices.Length; k++)
        {
            float v = matrices[k];
            if (!(v >= -1e-6f && v <= 1 + 1e-6f))
                throw new InvalidDataException(
                    $"{matrixPath}: instance {k / (units * units)}, units ({k / units % units}, {k % units}): allegiance {v} is not a fraction in [0, 1]");
        }
        for (int k = 0; k < labels.Length; k++)
            if (!(labels[k] >= 1 && labels[k] <= units && Math.Floor(labels[k]) == labels[k]))
                throw new InvalidDataException($"{modulePath}: instance {k / units}, unit {k % units}: module label {labels[k]} is not an integer in 1..{units}");
        return new StoredAllegiance(epoch, instances, units, matrices, labels);
    }
}
