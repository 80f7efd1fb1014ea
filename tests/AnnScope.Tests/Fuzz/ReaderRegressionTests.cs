using System.Security.Cryptography;
using AnnScope.IO;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Fuzz;

/// <summary>Every input the reader fuzzing crashed on (tests/fixtures/fuzz, and the small ones built here) now gives the typed error.</summary>
public class ReaderRegressionTests
{
    public static TheoryData<string> Hdf5Crashes() =>
        [.. Directory.GetFiles(Repo.Fixture("fuzz"), "hdf5-*.h5").Select(f => Path.GetFileName(f)!).Order()];

    [Theory]
    [MemberData(nameof(Hdf5Crashes))]
    public void DamagedHdf5FilesAreReadOrRefusedWithTheTypedError(string file)
    {
        // found: PureHDF's ArgumentOutOfRangeException and OutOfMemoryException escaping, an endless object-header
        // walk (hdf5-seed2-case871), slab buffers sized from damaged dimensions, and line breaks from PureHDF messages (case9236)
        var path = Repo.Fixture("fuzz", file);
        var read = new Thread(() =>
        {
            try
            {
                using var reader = Hdf5Activations.Open(path);
                for (int c = 0; c < reader.Checkpoints; c++) reader.ReadCheckpoint(c);
                _ = reader.Config;
            }
            catch (InvalidDataException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.Contains(path, e.Message);
            }
        });
        read.Start();
        Assert.True(read.Join(TimeSpan.FromSeconds(60)), $"{file}: no answer in 60 s");
    }

    public static TheoryData<string> NpyCrashes() =>
        [.. Directory.GetFiles(Repo.Fixture("fuzz"), "npy-*.npy").Select(f => Path.GetFileName(f)!).Order()];

    [Theory]
    [MemberData(nameof(NpyCrashes))]
    public void NpyHeadersWithLineBreaksAreRefusedOnOneLine(string file)
    {
        // found: dtype, shape and fortran_order values quoted with their line breaks into the message
        var e = Assert.Throws<InvalidDataException>(() => Npy.ReadFloat64(Repo.Fixture("fuzz", file)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }

    public static TheoryData<string> CsvCrashes() =>
        [.. Directory.GetFiles(Repo.Fixture("fuzz"), "csv-*.csv").Select(f => Path.GetFileName(f)!).Order()];

    [Theory]
    [MemberData(nameof(CsvCrashes))]
    public void CsvCellsAndNamesWithLineBreaksAreQuotedOnOneLine(string file)
    {
        // found: quoted fields holding line breaks copied into the message
        var e = Assert.ThrowsAny<Exception>(() => ReaderTargets.Csv().Read(Repo.Fixture("fuzz", file)));
        Assert.True(e is InvalidDataException or ArgumentException, e.ToString());
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }

    [Fact]
    public void AConfigStringWithALoneSurrogateIsAnInvalidConfig()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("c.json"), "{\"method\": \"\\ud800\"}");
        var e = Assert.Throws<InvalidDataException>(() => new StudyConfig().OverrideFromFile(dir.File("c.json")));
        Assert.Contains("invalid study config", e.Message);
    }

    [Fact]
    public void InfiniteCouplingIsRefusedByName()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("c.json"), "{\"omega\": \"Infinity\"}");
        var e = Assert.Throws<ArgumentException>(() => new StudyConfig().OverrideFromFile(dir.File("c.json")).Validate());
        Assert.Contains("omega must be finite", e.Message);
    }

    [Fact]
    public void AConfigThatIsNotUtf8IsRefusedByOffset()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("c.json"), [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        var e = Assert.Throws<InvalidDataException>(() => new StudyConfig().OverrideFromFile(dir.File("c.json")));
        Assert.Contains("not UTF-8 text (invalid byte at offset 2)", e.Message);
    }

    [Fact]
    public void AStateFileDeclaringAHugeArrayIsRefusedBeforeAllocating()
    {
        using var dir = new TempDir();
        var path = dir.File("state.bin");
        StateFile.Write(path, new StateFile.Snapshot(1, "F", new Dictionary<string, double[]> { ["w"] = [1, 2] }));
        var bytes = File.ReadAllBytes(path);
        var payload = bytes[40..];
        // the array's length field follows version, position, fingerprint ("F"), count and name ("w")
        int at = 4 + 8 + 2 + 4 + 2;
        Assert.Equal(2L, BitConverter.ToInt64(payload, at));
        BitConverter.GetBytes(1L << 40).CopyTo(payload, at);
        File.WriteAllBytes(path, [.. bytes[..8], .. SHA256.HashData(payload), .. payload]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated for the declared size");
        Assert.Contains("array 'w' declares 1099511627776 values, the file holds at most 2", e.Message);
    }

    [Fact]
    public void ACsvFileThatIsNotUtf8IsRefused()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("t.csv"), [.. "a,b\n1,"u8.ToArray(), 0xC3, 0x28, (byte)'\n']);
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(dir.File("t.csv")));
        Assert.Contains("not UTF-8 text", e.Message);
    }

    [Fact]
    public void ANpyHeaderLongerThanTheFileIsRefusedBeforeAllocating()
    {
        using var dir = new TempDir();
        byte[] bytes = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0, 0, 0x0F, 0, (byte)'{'];
        File.WriteAllBytes(dir.File("a.npy"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => Npy.ReadFloat64(dir.File("a.npy")));
        Assert.Contains("truncated .npy header (983040 bytes declared, the file has 13)", e.Message);
    }
}
