using System.Runtime.InteropServices;

namespace AnnScope.Tests.Support;

/// <summary>Reads the fixtures' raw little-endian float64 (.f64) files.</summary>
public static class RawFloat64
{
    public static double[] Read(string path) => MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(path)).ToArray();
}
