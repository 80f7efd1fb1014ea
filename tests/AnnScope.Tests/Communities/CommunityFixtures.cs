using System.Globalization;
using System.Text.Json;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Communities;

/// <summary>Reads the shared community fixtures (raw float64, CSV, JSON) — see fixtures/community/README.md.</summary>
public static class CommunityFixtures
{
    public const int Units = 120, Windows = 50;

    public static string Path(params string[] parts) => Repo.Fixture(["community", .. parts]);

    private static readonly Lazy<double[]> FullFc = new(() => ReadF64(Path("planted120", "corr_full.f64"), Units * Units));
    private static readonly Lazy<double[]> WindowFc = new(() => ReadF64(Path("planted120", "corr_windows.f64"), Windows * Units * Units));

    /// <summary>The full FC, 120 × 120 (diagonal 1).</summary>
    public static double[] CorrFull => FullFc.Value;

    /// <summary>The windowed FC, 50 × 120 × 120 (diagonal 1).</summary>
    public static double[] CorrWindows => WindowFc.Value;

    public static double[] ReadF64(string path, int count)
    {
        var values = RawFloat64.Read(path);
        Assert.Equal(count, values.Length);
        return values;
    }

    /// <summary>One window's FC, copied.</summary>
    public static double[] Window(int w) => CorrWindows.AsSpan(w * Units * Units, Units * Units).ToArray();

    /// <summary>Units [u0, u0+m) of windows [w0, w0+l), as an (l, m, m) block.</summary>
    public static double[] SubWindows(int w0, int l, int u0, int m)
    {
        var all = CorrWindows;
        var result = new double[l * m * m];
        for (int s = 0; s < l; s++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                    result[(s * m + i) * m + j] = all[((w0 + s) * Units + u0 + i) * Units + u0 + j];
        return result;
    }

    public static double[][] ReadCsv(string path) =>
        File.ReadAllLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    /// <summary>A node × layer CSV (rows units, columns windows) as labels[s·N + i].</summary>
    public static int[] ReadMultilayerLabels(string path, out int nodes, out int layers)
    {
        var rows = ReadCsv(path);
        nodes = rows.Length;
        layers = rows[0].Length;
        var labels = new int[nodes * layers];
        for (int i = 0; i < nodes; i++)
            for (int s = 0; s < layers; s++)
                labels[s * nodes + i] = (int)rows[i][s];
        return labels;
    }

    public static int[] ReadLabels(string path) => ReadCsv(path)[0].Select(v => (int)v).ToArray();

    public static JsonElement Json(params string[] parts) => JsonDocument.Parse(File.ReadAllText(Path(parts))).RootElement;

    public static JsonElement Summary => Json("planted120", "expected", "summary.json");

    public static double[] Matrix(JsonElement rows, out int n)
    {
        n = rows.GetArrayLength();
        var result = new double[n * n];
        int k = 0;
        foreach (var row in rows.EnumerateArray())
            foreach (var v in row.EnumerateArray()) result[k++] = v.GetDouble();
        return result;
    }

    public static int[] IntArray(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>An N × T JSON label matrix as labels[s·N + i].</summary>
    public static int[] MultilayerLabels(JsonElement rows, out int nodes, out int layers)
    {
        var r = rows.EnumerateArray().Select(IntArray).ToArray();
        nodes = r.Length;
        layers = r[0].Length;
        var labels = new int[nodes * layers];
        for (int i = 0; i < nodes; i++)
            for (int s = 0; s < layers; s++)
                labels[s * nodes + i] = r[i][s];
        return labels;
    }

    /// <summary>The fixtures' graph: correlation with the diagonal set to 0 (the objective then ignores it anyway).</summary>
    public static double[] ZeroDiagonal(double[] fc, int n)
    {
        var w = (double[])fc.Clone();
        for (int s = 0; s < w.Length / (n * n); s++)
            for (int i = 0; i < n; i++) w[(s * n + i) * n + i] = 0;
        return w;
    }
}
