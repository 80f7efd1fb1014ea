using System.Reflection;
using System.Runtime.InteropServices;
using AnnScope.Interop;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.Interop;

public class InteropTests
{
    [Fact]
    public void EveryNativeSignatureIsBlittable()
    {
        var imports = typeof(NativeMethods).GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() != null).ToList();
        Assert.NotEmpty(imports);
        foreach (var method in imports)
        {
            Assert.True(method.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint!.StartsWith("annscope_"), method.Name);
            foreach (var type in method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType))
            {
                var t = type.IsByRef ? type.GetElementType()! : type;
                bool ok = t.IsPointer || t == typeof(void) || t == typeof(int) || t == typeof(long) || t == typeof(double)
                          || t == typeof(nint) || t == typeof(float) || typeof(SafeHandle).IsAssignableFrom(t);
                Assert.True(ok, $"{method.Name}: {type} is not a blittable native type");
            }
        }
    }

    [Fact]
    public void AMissingLibraryIsExplainedWithEveryPathTried()
    {
        var run = CliRunner.Run(["devices"], new Dictionary<string, string>
        {
            [NativeLibraryLoader.OverrideVariable] = "/nonexistent/dir/libannscope.so",
        });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("could not load the native library libannscope", run.StdErr);
        Assert.Contains("/nonexistent/dir/libannscope.so", run.StdErr);
        Assert.Contains("ANNSCOPE_NATIVE_LIBRARY", run.StdErr);
    }

    [Fact]
    public void ANonLibraryFileIsExplained()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("libannscope.so"), "not an ELF file");
        var run = CliRunner.Run(["devices"], new Dictionary<string, string> { [NativeLibraryLoader.OverrideVariable] = dir.Path });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.File("libannscope.so"), run.StdErr);
        Assert.Contains("not a usable shared library", run.StdErr);
    }

    [Theory]
    [InlineData("libmkl_core.so: cannot open shared object file", "Intel MKL, a system prerequisite of AnnScope, is missing")]
    [InlineData("libmkl_intel_lp64.so: cannot open shared object file", "enable the non-free component and run `apt install libmkl-dev`")]
    [InlineData("libannscope.so: undefined symbol: omp_get_num_procs", "OpenMP")]
    [InlineData("libOpenCL.so.1: cannot open shared object file", "ocl-icd-libopencl1")]
    public void LoadFailureHintsNameTheMissingDependency(string error, string hint) =>
        Assert.Contains(hint, NativeLibraryLoader.Hint(error));

    [Fact]
    public void ContextHandlesAreReleasedAndStatusesMapToExceptions()
    {
        var context = new ComputeContext(ComputeBackend.Mkl, 1);
        Assert.Equal(1, context.Threads);
        context.Dispose();
        Assert.True(context.Handle.IsClosed);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeContext(ComputeBackend.Mkl, -1));
        Assert.IsType<ArithmeticException>(NativeStatus.Exception(NativeStatus.Numeric, "x"));
        Assert.IsType<ComputeDeviceException>(NativeStatus.Exception(NativeStatus.OpenCL, "x"));
        Assert.IsType<InsufficientMemoryException>(NativeStatus.Exception(NativeStatus.NoMemory, "x"));
    }

    [Fact]
    public void BuildInfoNamesMklThreadingAndOpenCL()
    {
        var info = ComputeContext.NativeBuildInfo;
        Assert.Contains("ABI 1", info);
        Assert.Contains("MKL threading: sequential", info);
        Assert.Contains("OpenCL:", info);
    }
}
