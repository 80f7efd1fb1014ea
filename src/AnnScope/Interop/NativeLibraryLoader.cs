using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace AnnScope.Interop;

/// <summary>
/// Loads libannscope deliberately: the ANNSCOPE_NATIVE_LIBRARY override, the application directory,
/// runtimes/&lt;rid&gt;/native, then the system's default probing. Every attempt is recorded so a failure
/// says where it looked and which dependency is the likely culprit; the ABI version is checked once.
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string OverrideVariable = "ANNSCOPE_NATIVE_LIBRARY";
    private static readonly Lock Gate = new();
    private static nint handle;
    private static Exception? failure;

    static NativeLibraryLoader() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == NativeMethods.Library ? EnsureLoaded() : 0;

    /// <summary>Loads and checks the library once; later calls return the handle or rethrow the first failure.</summary>
    internal static nint EnsureLoaded()
    {
        lock (Gate)
        {
            if (handle != 0) return handle;
            if (failure != null) throw failure;
            var attempts = new List<(string Path, string Error)>();
            foreach (var candidate in Candidates())
            {
                try
                {
                    handle = NativeLibrary.Load(candidate);
                    break;
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    attempts.Add((candidate, LoaderDetail(e.Message)));
                }
            }
            if (handle == 0)
                throw failure = new DllNotFoundException(Explain(attempts));
            CheckAbi();
            return handle;
        }
    }

    private static void CheckAbi()
    {
        var version = NativeLibrary.GetExport(handle, "annscope_abi_version");
        int abi;
        unsafe { abi = ((delegate* unmanaged<int>)version)(); }
        if (abi != NativeMethods.AbiVersion)
        {
            handle = 0;
            throw failure = new DllNotFoundException(
                $"libannscope ABI version {abi} does not match the managed layer's {NativeMethods.AbiVersion}: " +
                "rebuild both with ./build.sh build");
        }
    }

    internal static IEnumerable<string> Candidates()
    {
        var file = OperatingSystem.IsWindows() ? "annscope.dll" : OperatingSystem.IsMacOS() ? "libannscope.dylib" : "libannscope.so";
        var overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            // an explicit choice is the only one tried: silently falling back would hide the mistake
            yield return Directory.Exists(overridePath) ? Path.Combine(overridePath, file) : overridePath;
            yield break;
        }
        var baseDir = AppContext.BaseDirectory;
        yield return Path.Combine(baseDir, file);
        yield return Path.Combine(baseDir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
        yield return file;
    }

    /// <summary>Keeps the dynamic linker's own words, dropping .NET's generic advice around them.</summary>
    private static string LoaderDetail(string message)
    {
        const string marker = "LD_DEBUG environment variable:";
        int at = message.IndexOf(marker, StringComparison.Ordinal);
        return (at >= 0 ? message[(at + marker.Length)..] : message).Trim();
    }

    /// <summary>A readable explanation of a failed load: every path tried, its error, and a likely fix.</summary>
    internal static string Explain(IReadOnlyList<(string Path, string Error)> attempts)
    {
        var text = new StringBuilder("could not load the native library libannscope. Tried:\n");
        foreach (var (path, error) in attempts)
            text.Append("  ").Append(path).Append(": ").Append(error.ReplaceLineEndings(" ")).Append('\n');
        text.Append(Hint(string.Join("\n", attempts.Select(a => a.Error))));
        return text.ToString();
    }

    internal static string Hint(string errors)
    {
        if (errors.Contains("libmkl", StringComparison.Ordinal))
            return "Intel MKL, a system prerequisite of AnnScope, is missing: on Debian enable the non-free component and " +
                   "run `apt install libmkl-dev` (in a clone of the repository, ./build.sh deps does both).";
        if (errors.Contains("omp_get_num_procs", StringComparison.Ordinal) || errors.Contains("libiomp5", StringComparison.Ordinal))
            return "MKL asked for Intel's OpenMP runtime: this build links mkl_sequential; rebuild with ./build.sh build.";
        if (errors.Contains("libgomp", StringComparison.Ordinal))
            return "The GNU OpenMP runtime is missing: install libgomp1.";
        if (errors.Contains("libOpenCL", StringComparison.Ordinal))
            return "The OpenCL ICD loader is missing: install ocl-icd-libopencl1 (and a driver such as pocl-opencl-icd).";
        if (errors.Contains("invalid ELF header", StringComparison.Ordinal) || errors.Contains("wrong ELF class", StringComparison.Ordinal)
            || errors.Contains("file too short", StringComparison.Ordinal))
            return "A file was found but is not a usable shared library for this machine: rebuild with ./build.sh build.";
        return $"Build it with ./build.sh build, or point {OverrideVariable} at libannscope.so.";
    }

    /// <summary>The library's build description (version, MKL, threading, OpenCL).</summary>
    internal static unsafe string BuildInfo()
    {
        EnsureLoaded();
        long needed;
        NativeStatus.Check(NativeMethods.BuildInfo(null, 0, &needed));
        var buffer = new byte[needed + 1];
        fixed (byte* p = buffer) NativeStatus.Check(NativeMethods.BuildInfo(p, buffer.Length, null));
        return Encoding.UTF8.GetString(buffer, 0, (int)needed);
    }
}
