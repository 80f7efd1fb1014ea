using System.Runtime.InteropServices;
using Silk.NET.Core.Contexts;
using Silk.NET.OpenCL;

namespace AnnScope.Interop;

/// <summary>
/// The OpenCL API through Silk.NET.OpenCL, loaded once and on first use from the ICD loader libOpenCL.so.1:
/// the same loader libannscope links against, so the handles made here are valid in the native core.
/// A missing loader is a reason, not a crash: the MKL backend keeps working.
/// </summary>
internal static class OpenCLApi
{
    internal const string LoaderName = "libOpenCL.so.1";
    private static readonly Lazy<(CL? Api, string? Problem)> Loaded = new(Load);

    /// <summary>The API, or null when the loader is missing (<see cref="LoadProblem"/> says why).</summary>
    internal static CL? Api => Loaded.Value.Api;

    internal static string? LoadProblem => Loaded.Value.Problem;

    private static (CL?, string?) Load()
    {
        string[] names = OperatingSystem.IsWindows() ? ["OpenCL.dll"]
            : OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/OpenCL.framework/OpenCL"]
            : [LoaderName];
        try
        {
            return (new CL(new LoaderContext(NativeLibrary.Load(names[0]))), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DllNotFoundException or BadImageFormatException)
        {
            return (null, $"the OpenCL ICD loader {names[0]} could not be loaded (install ocl-icd-libopencl1 and a " +
                          "driver, e.g. pocl-opencl-icd for CPUs or the GPU vendor's OpenCL driver).");
        }
    }

    /// <summary>Throws <see cref="ComputeDeviceException"/> naming the call and the cl_int when <paramref name="error"/> is not CL_SUCCESS.</summary>
    internal static void Check(int error, string call)
    {
        if (error != 0)
            throw new ComputeDeviceException($"OpenCL {call} failed: OpenCL error {ErrorName(error)} (cl_int {error})");
    }

    internal static string ErrorName(int error) => error switch
    {
        -1 => "CL_DEVICE_NOT_FOUND",
        -2 => "CL_DEVICE_NOT_AVAILABLE",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -30 => "CL_INVALID_VALUE",
        -32 => "CL_INVALID_PLATFORM",
        -33 => "CL_INVALID_DEVICE",
        -34 => "CL_INVALID_CONTEXT",
        -35 => "CL_INVALID_QUEUE_PROPERTIES",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR",
        _ => "error",
    };

    /// <summary>
    /// The loader's exports by name. Silk.NET's default context would find the library through its path resolver, which
    /// reads the app's deps.json and assembly locations: neither exists in the ahead-of-time compiled annscope, and the
    /// loader is a system library that the default probing finds anyway.
    /// </summary>
    private sealed class LoaderContext(nint library) : INativeContext
    {
        public nint GetProcAddress(string proc, int? slot = null) => NativeLibrary.GetExport(library, proc);

        public bool TryGetProcAddress(string proc, out nint address, int? slot = null) =>
            NativeLibrary.TryGetExport(library, proc, out address);

        // the handles made through the API stay valid for the process's life, so the loader stays loaded
        public void Dispose() { }
    }
}
