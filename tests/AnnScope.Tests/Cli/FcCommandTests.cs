using AnnScope.Connectivity;
using AnnScope.IO;
using AnnScope.Tests.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Cli;

public class FcCommandTests
{
    [Fact]
    public void WritesFullAndWindowedFcMatchingTheLibrary()
    {
        using var dir = new TempDir();
        var rng = new Random(5);
        var x = Enumerable.Range(0, 2 * 100 * 6).Select(_ => (float)rng.NextDouble()).ToArray();
        Npy.Write<float>(dir.File("act.npy"), x, 2, 100, 6);

        var run = CliRunner.Run("fc", "--activations", dir.File("act.npy"), "--window", "25", "--out", dir.File("w.npy"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var (w, shape) = Npy.ReadFloat32(dir.File("w.npy"));
        Assert.Equal([2L, 4L, 6L, 6L], shape);
        var expected = new float[w.Length];
        FunctionalConnectivityReference.Pearson<float>(x, new SeriesShape(2, 100, 6), 25, expected);
        for (int i = 0; i < w.Length; i++) Assert.Equal(expected[i], w[i], 2e-6f);

        Npy.Write<double>(dir.File("one.npy"), x.Take(600).Select(v => (double)v).ToArray(), 100, 6);
        run = CliRunner.Run("fc", "--activations", dir.File("one.npy"), "--out", dir.File("full.npy"));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var full = Npy.ReadFloat64(dir.File("full.npy"));
        Assert.Equal([6L, 6L], full.Shape);
        Assert.Equal(1.0, full.Data[0]);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("fortran")]
    [InlineData("dtype")]
    [InlineData("magic")]
    public void MalformedInputExitsTwoWithOneLineAndWritesNothing(string kind)
    {
        using var dir = new TempDir();
        var bytes = kind switch
        {
            "truncated" => NpyTests.Build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (10, 3), }", 100),
            "fortran" => NpyTests.Build(1, "{'descr': '<f4', 'fortran_order': 'yes', 'shape': (10, 3), }", 120),
            "dtype" => NpyTests.Build(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (10, 3), }", 240),
            _ => "not a numpy file at all"u8.ToArray(),
        };
        File.WriteAllBytes(dir.File("in.npy"), bytes);
        var run = CliRunner.Run("fc", "--activations", dir.File("in.npy"), "--out", dir.File("out.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.StartsWith("annscope: error:", run.StdErr);
        Assert.False(File.Exists(dir.File("out.npy")));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void BadWindowAndNaNAndBadOptionsExitTwo()
    {
        using var dir = new TempDir();
        var x = Enumerable.Range(0, 30).Select(i => (float)Math.Sin(i * i)).ToArray();
        Npy.Write<float>(dir.File("a.npy"), x, 10, 3);
        var run = CliRunner.Run("fc", "--activations", dir.File("a.npy"), "--window", "3", "--out", dir.File("o.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("window", run.StdErr);
        x[4] = float.NaN;
        Npy.Write<float>(dir.File("nan.npy"), x, 10, 3);
        run = CliRunner.Run("fc", "--activations", dir.File("nan.npy"), "--out", dir.File("o.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NaN", run.StdErr);
        run = CliRunner.Run("fc", "--activations", dir.File("a.npy"), "--out", dir.File("o.npy"), "--backend", "cuda");
        Assert.Equal(2, run.ExitCode);
        run = CliRunner.Run("fc", "--out", dir.File("o.npy"));
        Assert.Equal(2, run.ExitCode);
        run = CliRunner.Run("fc", "--activations", dir.File("missing.npy"), "--out", dir.File("o.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(dir.File("o.npy")));
    }

    [Fact]
    public void VersionAndDevicesReportTheBuild()
    {
        var version = CliRunner.Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.1.0", version.StdOut.Trim());
        var devices = CliRunner.Run("devices");
        Assert.Equal(0, devices.ExitCode);
        Assert.Contains("MKL: Intel(R) Math Kernel Library", devices.StdOut);
        Assert.Contains("sequential", devices.StdOut);
    }
}
