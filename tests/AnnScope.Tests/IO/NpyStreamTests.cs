using System.IO.Compression;
using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.IO;

public class NpyStreamTests
{
    [Fact]
    public void ReadsArraysFromNonSeekableZipEntries()
    {
        using var dir = new TempDir();
        Npy.Write<float>(dir.File("a.npy"), [1f, 2f, 3f, 4f, 5f, 6f], 3, 2);
        Npy.Write<double>(dir.File("b.npy"), [Math.E], 1);
        using (var zip = ZipFile.Open(dir.File("pair.npz"), ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(dir.File("a.npy"), "a.npy");
            zip.CreateEntryFromFile(dir.File("b.npy"), "b.npy");
        }
        using var archive = ZipFile.OpenRead(dir.File("pair.npz"));
        using (var a = archive.GetEntry("a.npy")!.Open())
        {
            Assert.False(a.CanSeek);
            var (data, shape) = Npy.ReadFloat64(a, "pair.npz/a.npy");
            Assert.Equal([1.0, 2, 3, 4, 5, 6], data);
            Assert.Equal([3L, 2L], shape);
        }
        using (var b = archive.GetEntry("b.npy")!.Open()) Assert.Equal([Math.E], Npy.ReadFloat64(b, "b").Data);

        var bytes = File.ReadAllBytes(dir.File("a.npy"));
        var e = Assert.Throws<InvalidDataException>(() => Npy.ReadFloat64(new MemoryStream(bytes[..^3]), "cut.npy"));
        Assert.Contains("cut.npy", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void StreamWriterFillsPiecesAndAppearsOnlyOnCommit()
    {
        using var dir = new TempDir();
        var path = dir.File("act.npy");
        using (var writer = new NpyStreamWriter(path, NpyType.Float32, 2, 3))
        {
            writer.Write(3, [4f, 5f, 6f]);
            writer.Write(0, [1f, 2f, 3f]);
            Assert.False(File.Exists(path));
            Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(5, [1f, 2f]));
            Assert.Throws<InvalidOperationException>(() => writer.Write(0, [1.0]));
            writer.Commit();
        }
        var (data, shape) = Npy.ReadFloat32(path);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], data);
        Assert.Equal([2L, 3L], shape);

        var abandoned = dir.File("abandoned.npy");
        using (var writer = new NpyStreamWriter(abandoned, NpyType.Float64, 4)) writer.Write(0, [1.0]);
        Assert.False(File.Exists(abandoned));
        Assert.Single(Directory.GetFiles(dir.Path, "*", SearchOption.TopDirectoryOnly).Where(f => f.EndsWith(".npy")), p => p == path);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }
}
