using System.Text;
using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.IO;

public class NpyTests
{
    [Fact]
    public void RoundTripsFloat32AndFloat64WithShape()
    {
        using var dir = new TempDir();
        float[] f = [1.5f, -2f, 3.25f, 0f, 7f, 8f];
        Npy.Write<float>(dir.File("a.npy"), f, 2, 3);
        var (data, shape) = Npy.ReadFloat32(dir.File("a.npy"));
        Assert.Equal(f, data);
        Assert.Equal([2L, 3L], shape);
        var header = Npy.ReadHeader(dir.File("a.npy"));
        Assert.Equal(0, header.DataOffset % 64); // NumPy aligns the data
        Assert.Equal("(2, 3)", header.ShapeText);

        double[] d = [Math.PI, -1e300, 5e-324];
        Npy.Write<double>(dir.File("b.npy"), d, 3);
        Assert.Equal(d, Npy.ReadFloat64(dir.File("b.npy")).Data);
        Assert.Equal("(3,)", Npy.ReadHeader(dir.File("b.npy")).ShapeText);
    }

    [Fact]
    public void ReadsHeadersAsNumPyWritesThem()
    {
        // version 1.0 header exactly as numpy.save writes it for np.zeros((2, 2), '<f8')
        using var dir = new TempDir();
        var dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
        var path = dir.File("np.npy");
        File.WriteAllBytes(path, Build(1, dict, 32));
        Assert.Equal([2L, 2L], Npy.ReadHeader(path).Shape);
        File.WriteAllBytes(path, Build(2, dict, 32));
        Assert.Equal(NpyType.Float64, Npy.ReadHeader(path).Type);
        File.WriteAllBytes(path, Build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4));
        Assert.Empty(Npy.ReadHeader(path).Shape);
    }

    public static TheoryData<string, byte[], string> Malformed() => new()
    {
        { "magic", "NOTNPY"u8.ToArray(), "bad magic" },
        { "empty", [], "bad magic" },
        { "dtype", Build(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16), "unsupported dtype <c8" },
        { "string", Build(1, "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", 24), "unsupported dtype <U3" },
        { "fortran", Build(1, "{'descr': '<f8', 'fortran_order': 'yes', 'shape': (2, 2), }", 32), "bad fortran_order value 'yes'" },
        { "truncated", Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 31), "truncated" },
        { "extra", Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 40), "unexpected bytes" },
        { "garbage", Build(1, "{'descr': '<f8', 'shape': (2, 2) 'x'}", 32), "malformed" },
        { "shape", Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, -2), }", 32), "bad shape" },
        { "version", Build(9, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16), "version 9" },
        { "header-cut", Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16)[..20], "truncated .npy header" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RefusesMalformedFilesNamingTheProblem(string name, byte[] bytes, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File(name + ".npy");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Npy.ReadHeader(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AFailedWriteLeavesNoFile()
    {
        using var dir = new TempDir();
        var path = dir.File("out.npy");
        Assert.Throws<ArgumentException>(() => Npy.Write<float>(path, new float[5], 2, 3));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("disk full (simulated)");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    internal static byte[] Build(byte major, string dict, int dataBytes)
    {
        int prefix = major == 1 ? 10 : 12;
        var text = dict;
        while ((prefix + text.Length + 1) % 64 != 0) text += " ";
        text += "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add(major);
        bytes.Add(0);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)text.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)text.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(text));
        bytes.AddRange(new byte[dataBytes]);
        return bytes.ToArray();
    }
}
