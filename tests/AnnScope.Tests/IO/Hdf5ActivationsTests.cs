using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.IO;

public class Hdf5ActivationsTests
{
    private const int I = 3, T = 40, M = 7;
    private static readonly int[] Epochs = [0, 10, 20, 30];
    private const string Config = "{\"preset\":\"quick\",\"seed\":5}";

    /// <summary>Deterministic activations: value (i, c, t, m) is recognisable from its position.</summary>
    private static float Value(int i, int c, int t, int m) => (float)(i * 1000 + c * 100 + Math.Sin(t * 0.37 + m) * 40 + m * 0.01);

    private static float[] Checkpoint(int c)
    {
        var data = new float[I * T * M];
        for (int i = 0; i < I; i++)
            for (int t = 0; t < T; t++)
                for (int m = 0; m < M; m++) data[(i * T + t) * M + m] = Value(i, c, t, m);
        return data;
    }

    private static string WriteFile(TempDir dir, string name = "activations.h5")
    {
        var path = dir.File(name);
        using var writer = Hdf5Activations.Create(path, I, Epochs, T, M, Config);
        for (int c = 0; c < Epochs.Length; c++) writer.WriteCheckpoint(c, Checkpoint(c));
        writer.Complete();
        return path;
    }

    [Fact]
    public void RoundTripsSlabByCheckpointAndByInstance()
    {
        using var dir = new TempDir();
        var path = WriteFile(dir);
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        using var reader = Hdf5Activations.Open(path);
        Assert.Equal([I, Epochs.Length, T, M], reader.Shape);
        Assert.False(reader.IsFloat64);
        Assert.Equal(Epochs, reader.Epochs);
        Assert.Equal(Config, reader.Config);
        for (int c = 0; c < Epochs.Length; c++)
            Assert.Equal(Checkpoint(c), reader.ReadCheckpoint(c));
        var slab = new double[T * M];
        reader.ReadSlab(2, 1, slab);
        Assert.Equal((double)Value(2, 1, 5, 3), slab[5 * M + 3]);
    }

    [Fact]
    public void SlabsMayArriveInAnyOrderButEachOnce()
    {
        using var dir = new TempDir();
        var path = dir.File("a.h5");
        var order = (from c in Enumerable.Range(0, Epochs.Length) from i in Enumerable.Range(0, I) select (i, c)).OrderBy(x => (x.i * 7 + x.c * 5) % 11).ToArray();
        using (var writer = Hdf5Activations.Create(path, I, Epochs, T, M, Config))
        {
            foreach (var (i, c) in order) writer.WriteSlab(i, c, Checkpoint(c).AsSpan(i * T * M, T * M));
            Assert.Throws<InvalidOperationException>(() => writer.WriteSlab(1, 2, Checkpoint(2).AsSpan(T * M, T * M)));
            writer.Complete();
        }
        using var reader = Hdf5Activations.Open(path);
        for (int c = 0; c < Epochs.Length; c++) Assert.Equal(Checkpoint(c), reader.ReadCheckpoint(c));
    }

    [Fact]
    public void AnUnfinishedWriterLeavesNoFile()
    {
        using var dir = new TempDir();
        var path = dir.File("activations.h5");
        using (var writer = Hdf5Activations.Create(path, I, Epochs, T, M, Config))
        {
            writer.WriteCheckpoint(0, Checkpoint(0));
            var e = Assert.Throws<InvalidOperationException>(writer.Complete);
            Assert.Contains("not written", e.Message);
        }
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void TheWriterRefusesBadSlabs()
    {
        using var dir = new TempDir();
        using var writer = Hdf5Activations.Create(dir.File("a.h5"), I, Epochs, T, M, Config);
        var slab = new float[T * M];
        slab[9] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => writer.WriteSlab(0, 0, slab)).Message);
        Assert.Throws<ArgumentException>(() => writer.WriteSlab(0, 0, new float[T * M - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteSlab(I, 0, new float[T * M]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteSlab(0, Epochs.Length, new float[T * M]));
        Assert.Throws<ArgumentException>(() => Hdf5Activations.Create(dir.File("b.h5"), I, [0, 10, 10], T, M, Config));
    }

    [H5pyFact]
    public void H5pyReadsTheFileAsWritten()
    {
        using var dir = new TempDir();
        var path = WriteFile(dir);
        var expected = Enumerable.Range(0, I).SelectMany(i => Enumerable.Range(0, Epochs.Length)
            .SelectMany(c => Checkpoint(c).AsSpan(i * T * M, T * M).ToArray())).ToArray();
        Npy.Write<float>(dir.File("expected.npy"), expected, I, Epochs.Length, T, M);
        var script = $$"""
            import h5py, json, numpy as np
            with h5py.File({{Py(path)}}, "r") as f:
                d = f["activations"]
                assert d.dtype == np.float32, d.dtype
                assert d.shape == ({{I}}, {{Epochs.Length}}, {{T}}, {{M}}), d.shape
                assert d.chunks == (1, 1, {{T}}, {{M}}), d.chunks
                assert np.array_equal(d[...], np.load({{Py(dir.File("expected.npy"))}}))
                assert np.array_equal(d[2, 1], np.load({{Py(dir.File("expected.npy"))}})[2, 1])
                assert f["epochs"].dtype == np.int32 and list(f["epochs"][...]) == {{"[" + string.Join(", ", Epochs) + "]"}}
                c = f.attrs["config"]
                c = c.decode() if isinstance(c, bytes) else str(c)
                assert json.loads(c) == {"preset": "quick", "seed": 5}, c
            print("ok")
            """;
        var run = Python(script);
        Assert.True(run.ExitCode == 0 && run.StdOut.Trim() == "ok", run.StdErr + run.StdOut);
    }

    [H5pyFact]
    public void ReadsFloat64AndCompressedDatasetsOfOtherTools()
    {
        using var dir = new TempDir();
        var path = dir.File("theirs.h5");
        var run = Python($$"""
            import h5py, numpy as np
            x = np.arange(2 * 3 * 10 * 4, dtype=np.float64).reshape(2, 3, 10, 4) * 0.5 - 7
            with h5py.File({{Py(path)}}, "w") as f:
                f.create_dataset("net/hidden", data=x, chunks=(1, 1, 5, 4), compression="gzip")
                f.create_dataset("flat", data=x.astype(np.float32))
                f.create_dataset("three_d", data=x[0])
                f.create_dataset("ints", data=np.zeros((2, 3, 10, 4), dtype=np.int16))
                f.create_dataset("nan", data=np.full((1, 1, 2, 2), np.nan, dtype=np.float32))
            """);
        Assert.True(run.ExitCode == 0, run.StdErr);

        using (var reader = Hdf5Activations.Open(path, "net/hidden"))
        {
            Assert.True(reader.IsFloat64);
            Assert.Null(reader.Epochs);
            Assert.Null(reader.Config);
            Assert.Equal([2L, 3, 10, 4], reader.Shape);
            var slab = new double[40];
            reader.ReadSlab(1, 2, slab);
            Assert.Equal(((1 * 3 + 2) * 40 + 13) * 0.5 - 7, slab[13]);
            var single = reader.ReadCheckpoint(2);
            Assert.Equal((float)(((1 * 3 + 2) * 40 + 13) * 0.5 - 7), single[40 + 13]);
        }
        using (var reader = Hdf5Activations.Open(path, "/flat"))
        {
            var slab = new float[40];
            reader.ReadSlab(0, 1, slab);
            Assert.Equal((float)(40 * 1 * 0.5 - 7), slab[0]);
        }
        Assert.Contains("3 dimensions", Assert.Throws<InvalidDataException>(() => Hdf5Activations.Open(path, "three_d")).Message);
        Assert.Contains("float32 or float64", Assert.Throws<InvalidDataException>(() => Hdf5Activations.Open(path, "ints")).Message);
        var missing = Assert.Throws<InvalidDataException>(() => Hdf5Activations.Open(path));
        Assert.Contains("no dataset /activations", missing.Message);
        Assert.Contains("/flat", missing.Message);
        using var nan = Hdf5Activations.Open(path, "nan");
        Assert.Contains("finite", Assert.Throws<InvalidDataException>(() => nan.ReadSlab(0, 0, new float[4])).Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("npy")]
    public void CorruptFilesGiveAClearError(string kind)
    {
        using var dir = new TempDir();
        var good = WriteFile(dir, "good.h5");
        var bad = dir.File("bad.h5");
        var bytes = File.ReadAllBytes(good);
        switch (kind)
        {
            case "truncated": File.WriteAllBytes(bad, bytes[..(bytes.Length * 2 / 3)]); break;
            case "garbage": File.WriteAllBytes(bad, [.. Enumerable.Range(0, 4096).Select(k => (byte)(k * 37 % 251))]); break;
            case "empty": File.WriteAllBytes(bad, []); break;
            default: Npy.Write<float>(bad, new float[8], 1, 2, 2, 2); break;
        }
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            using var reader = Hdf5Activations.Open(bad);
            for (int c = 0; c < reader.Checkpoints; c++) reader.ReadCheckpoint(c);
        });
        Assert.Contains(bad, e.Message);
        Assert.Contains("HDF5", e.Message);
        Assert.Throws<FileNotFoundException>(() => Hdf5Activations.Open(dir.File("absent.h5")));
    }

    private static string Py(string path) => "r\"" + path + "\"";

    private static ExternalTools.Result Python(string script)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("script.py"), script);
        return ExternalTools.Run(ExternalTools.PythonWithH5py!, [dir.File("script.py")], 120);
    }
}
