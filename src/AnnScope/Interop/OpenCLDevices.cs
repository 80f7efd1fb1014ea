using System.Text;
using Silk.NET.OpenCL;

namespace AnnScope.Interop;

/// <summary>Device discovery with Silk.NET.OpenCL: every platform's devices and what they offer, read once.</summary>
internal static unsafe class OpenCLDevices
{
    private static readonly Lazy<(IReadOnlyList<ComputeDevice> Devices, string? Problem)> Found = new(Discover);

    internal static IReadOnlyList<ComputeDevice> All => Found.Value.Devices;

    internal static string? Problem => Found.Value.Problem;

    private static (IReadOnlyList<ComputeDevice>, string?) Discover()
    {
        using var guard = DriverSignalGuard.Enter(); // drivers start here: keep the runtime's signal handlers
        var cl = OpenCLApi.Api;
        if (cl == null) return ([], OpenCLApi.LoadProblem);
        uint platformCount;
        int error = cl.GetPlatformIDs(0, null, &platformCount);
        if (error == -1001 || (error == 0 && platformCount == 0))
            return ([], "no OpenCL platform (driver) is installed: install one, e.g. pocl-opencl-icd for CPUs or the GPU " +
                        "vendor's OpenCL driver (ICD files in /etc/OpenCL/vendors).");
        if (error != 0) return ([], $"clGetPlatformIDs failed: OpenCL error {OpenCLApi.ErrorName(error)} (cl_int {error}).");
        var platforms = new nint[platformCount];
        fixed (nint* p = platforms) OpenCLApi.Check(cl.GetPlatformIDs(platformCount, p, null), "clGetPlatformIDs");

        var devices = new List<ComputeDevice>();
        var problems = new List<string>();
        for (int p = 0; p < platforms.Length; p++)
        {
            uint count;
            error = cl.GetDeviceIDs(platforms[p], DeviceType.All, 0, null, &count);
            if (error == -1 || count == 0) continue; // a platform without devices (CL_DEVICE_NOT_FOUND)
            if (error != 0)
            {
                problems.Add($"platform {p}: clGetDeviceIDs failed with cl_int {error}");
                continue;
            }
            var ids = new nint[count];
            fixed (nint* d = ids) OpenCLApi.Check(cl.GetDeviceIDs(platforms[p], DeviceType.All, count, d, null), "clGetDeviceIDs");
            for (int d = 0; d < ids.Length; d++)
                devices.Add(Describe(cl, platforms[p], p, ids[d], d, devices.Count));
        }
        return devices.Count > 0
            ? (devices, null)
            : ([], "the installed OpenCL platforms report no devices" + (problems.Count > 0 ? $" ({string.Join("; ", problems)})." : "."));
    }

    private static ComputeDevice Describe(CL cl, nint platform, int platformIndex, nint device, int deviceIndex, int index)
    {
        var type = (DeviceType)Number<ulong>(cl, device, DeviceInfo.Type);
        return new ComputeDevice
        {
            Index = index,
            Platform = platformIndex,
            DeviceInPlatform = deviceIndex,
            PlatformName = PlatformText(cl, platform, PlatformInfo.Name),
            PlatformVersion = PlatformText(cl, platform, PlatformInfo.Version),
            Name = DeviceText(cl, device, DeviceInfo.Name),
            Vendor = DeviceText(cl, device, DeviceInfo.Vendor),
            Type = type.HasFlag(DeviceType.Gpu) ? ComputeDeviceType.Gpu
                : type.HasFlag(DeviceType.Accelerator) ? ComputeDeviceType.Accelerator
                : type.HasFlag(DeviceType.Cpu) ? ComputeDeviceType.Cpu
                : ComputeDeviceType.Other,
            ComputeUnits = (int)Number<uint>(cl, device, DeviceInfo.MaxComputeUnits),
            GlobalMemoryBytes = (long)Number<ulong>(cl, device, DeviceInfo.GlobalMemSize),
            MaxAllocationBytes = (long)Number<ulong>(cl, device, DeviceInfo.MaxMemAllocSize),
            LocalMemoryBytes = (long)Number<ulong>(cl, device, DeviceInfo.LocalMemSize),
            OpenCLVersion = DeviceText(cl, device, DeviceInfo.Version),
            DriverVersion = DeviceText(cl, device, DeviceInfo.DriverVersion),
            SupportsFloat64 = DeviceText(cl, device, DeviceInfo.Extensions).Split(' ').Contains("cl_khr_fp64"),
            PlatformId = platform,
            DeviceId = device,
        };
    }

    private static T Number<T>(CL cl, nint device, DeviceInfo what) where T : unmanaged
    {
        T value = default;
        OpenCLApi.Check(cl.GetDeviceInfo(device, what, (nuint)sizeof(T), &value, null), $"clGetDeviceInfo({what})");
        return value;
    }

    /// <summary>One clGet*Info call: (size, value, size returned) → cl_int.</summary>
    private delegate int InfoQuery(nuint size, void* value, nuint* sizeReturned);

    private static string DeviceText(CL cl, nint device, DeviceInfo what) =>
        QueryText((size, value, returned) => cl.GetDeviceInfo(device, what, size, value, returned), $"clGetDeviceInfo({what})");

    private static string PlatformText(CL cl, nint platform, PlatformInfo what) =>
        QueryText((size, value, returned) => cl.GetPlatformInfo(platform, what, size, value, returned), $"clGetPlatformInfo({what})");

    /// <summary>A string property: ask its size, then its bytes.</summary>
    private static string QueryText(InfoQuery query, string call)
    {
        nuint size;
        OpenCLApi.Check(query(0, null, &size), call);
        var bytes = new byte[size];
        fixed (byte* b = bytes) OpenCLApi.Check(query(size, b, null), call);
        return Text(bytes);
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
}
