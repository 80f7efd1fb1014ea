using AnnScope.IO;
using AnnScope.Tests.Connectivity;
using AnnScope.Connectivity;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.OpenCL;

/// <summary>The CLI's OpenCL paths, run as a user would (separate processes).</summary>
public class OpenCLCliTests
{
    /// <summary>ocl-icd reads its driver list from here: an empty directory hides every platform.</summary>
    private static Dictionary<string, string> NoPlatforms(TempDir dir)
    {
        Directory.CreateDirectory(dir.File("no-vendors"));
        return new() { ["OCL_ICD_VENDORS"] = dir.File("no-vendors") };
    }

    [OpenCLFact]
    public void FcOnOpenCLMatchesMkl()
    {
        using var dir = new TempDir();
        var shape = new SeriesShape(3, 200, 45);
        var x = CorrelationParityTests.Seeded(shape, 21).Select(v => (float)v).ToArray();
        Npy.Write<float>(dir.File("a.npy"), x, shape.Batch, shape.Samples, shape.Units);
        foreach (var backend in new[] { "mkl", "opencl" })
        {
            var run = CliRunner.Run("fc", "--activations", dir.File("a.npy"), "--window", "50", "--out", dir.File($"{backend}.npy"),
                "--backend", backend);
            Assert.True(run.ExitCode == 0, run.StdErr);
        }
        var (mkl, mklShape) = Npy.ReadFloat32(dir.File("mkl.npy"));
        var (ocl, oclShape) = Npy.ReadFloat32(dir.File("opencl.npy"));
        Assert.Equal(mklShape, oclShape);
        CorrelationParityTests.AssertClose(mkl.Select(v => (double)v).ToArray(), ocl.Select(v => (double)v).ToArray(), 2e-6,
            "fc --backend opencl vs mkl");

        var run0 = CliRunner.Run("fc", "--activations", dir.File("a.npy"), "--out", dir.File("d0.npy"), "--backend", "opencl",
            "--device", "0");
        Assert.True(run0.ExitCode == 0, run0.StdErr);
    }

    [OpenCLFact]
    public void TrainOnOpenCLMatchesMkl()
    {
        using var dir = new TempDir();
        foreach (var backend in new[] { "mkl", "opencl" })
        {
            var run = CliRunner.Run("train", "--instances", "3", "--epochs", "30", "--every", "10", "--input-dim", "16", "--hidden", "12",
                "--length", "120", "--repeat", "3", "--seed", "5", "--out", dir.File(backend), "--backend", backend);
            Assert.True(run.ExitCode == 0, run.StdErr);
        }
        var mkl = File.ReadAllLines(Path.Combine(dir.File("mkl"), "checkpoints.csv"));
        var opencl = File.ReadAllLines(Path.Combine(dir.File("opencl"), "checkpoints.csv"));
        Assert.Equal(mkl[0], opencl[0]);
        Assert.Equal(mkl.Length, opencl.Length);
        var columns = mkl[0].Split(',');
        for (int row = 1; row < mkl.Length; row++)
        {
            var a = mkl[row].Split(',');
            var b = opencl[row].Split(',');
            Assert.Equal(a[..2], b[..2]); // instance, epoch
            for (int c = 2; c < a.Length; c++)
            {
                double x = double.Parse(a[c], System.Globalization.CultureInfo.InvariantCulture);
                double y = double.Parse(b[c], System.Globalization.CultureInfo.InvariantCulture);
                // rates count predictions: one of 120 may flip at the 0.5 threshold; the rest are float32 sums
                double tolerance = columns[c] is "accuracy" or "tpr" or "fpr" or "balanced_accuracy" or "paper_accuracy" ? 1.0 / 60 : 1e-5;
                Assert.True(Math.Abs(x - y) <= tolerance || (double.IsNaN(x) && double.IsNaN(y)),
                    $"row {row} {columns[c]}: mkl {x}, opencl {y}");
            }
        }
        var (pa, shape) = Npy.ReadFloat64(Path.Combine(dir.File("mkl"), "final", "parameters.npy"));
        var (pb, shapeB) = Npy.ReadFloat64(Path.Combine(dir.File("opencl"), "final", "parameters.npy"));
        Assert.Equal(shape, shapeB);
        CorrelationParityTests.AssertClose(pa, pb, 2e-5, "train --backend opencl parameters vs mkl");
        Assert.Contains("\"backend\": \"opencl\"", File.ReadAllText(Path.Combine(dir.File("opencl"), "run.json")));
    }

    [OpenCLFact]
    public void DevicesListsTheOpenCLDevices()
    {
        var run = CliRunner.Run("devices");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("OpenCL: compiled in", run.StdOut);
        foreach (var d in ComputeDevice.Discover())
        {
            Assert.Contains($"[{d.Spec}] {d.Name}", run.StdOut);
            Assert.Contains($"{d.ComputeUnits} compute units", run.StdOut);
        }
    }

    [OpenCLFact]
    public void WithoutAPlatformOpenCLIsExplainedAndMklStillWorks()
    {
        using var dir = new TempDir();
        var env = NoPlatforms(dir);
        var devices = CliRunner.Run(["devices"], env);
        Assert.Equal(0, devices.ExitCode);
        Assert.Contains("OpenCL devices: none", devices.StdOut);
        Assert.Contains("no OpenCL platform", devices.StdOut);

        Npy.Write<float>(dir.File("a.npy"), Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i * i)).ToArray(), 20, 3);
        var opencl = CliRunner.Run(["fc", "--activations", dir.File("a.npy"), "--out", dir.File("o.npy"), "--backend", "opencl"], env);
        Assert.Equal(1, opencl.ExitCode);
        Assert.Contains("no OpenCL device is available", opencl.StdErr);
        Assert.Contains("--backend mkl", opencl.StdErr);
        Assert.False(File.Exists(dir.File("o.npy")));
        var mkl = CliRunner.Run(["fc", "--activations", dir.File("a.npy"), "--out", dir.File("m.npy")], env);
        Assert.True(mkl.ExitCode == 0, mkl.StdErr);
    }

    [OpenCLFact]
    public void AFailedKernelBuildShowsTheCompilerLog()
    {
        using var dir = new TempDir();
        Npy.Write<float>(dir.File("a.npy"), Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i * i)).ToArray(), 20, 3);
        // a macro that breaks the kernel source, so the compiler must fail and explain
        var run = CliRunner.Run(["fc", "--activations", dir.File("a.npy"), "--out", dir.File("o.npy"), "--backend", "opencl"],
            new Dictionary<string, string> { ["ANNSCOPE_OPENCL_OPTIONS"] = "-Dlong=as_no_such_type" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failed to build", run.StdErr);
        Assert.Contains("CL_BUILD_PROGRAM_FAILURE (cl_int -11); build log:", run.StdErr);
        Assert.Contains("error", run.StdErr[run.StdErr.IndexOf("build log:", StringComparison.Ordinal)..]);
        Assert.False(File.Exists(dir.File("o.npy")));
    }

    [Fact]
    public void DeviceWithoutOpenCLBackendIsBadInput()
    {
        using var dir = new TempDir();
        Npy.Write<float>(dir.File("a.npy"), Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i * i)).ToArray(), 20, 3);
        var run = CliRunner.Run("fc", "--activations", dir.File("a.npy"), "--out", dir.File("o.npy"), "--device", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--device applies only with --backend opencl", run.StdErr);
    }
}
