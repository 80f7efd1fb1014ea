using AnnScope.Interop;

namespace AnnScope;

/// <summary>The kind of an OpenCL device.</summary>
public enum ComputeDeviceType
{
    /// <summary>A CPU device (for example PoCL's portable CPU driver).</summary>
    Cpu,
    /// <summary>A GPU.</summary>
    Gpu,
    /// <summary>An accelerator (FPGA, DSP, ...).</summary>
    Accelerator,
    /// <summary>Anything else the driver reports.</summary>
    Other,
}

/// <summary>
/// One OpenCL device as the installed drivers report it. <see cref="Discover"/> lists them; a context on one
/// is made with <c>new ComputeContext(ComputeBackend.OpenCL, device: spec)</c>, where the spec is what
/// <see cref="Select"/> accepts.
/// </summary>
public sealed class ComputeDevice
{
    /// <summary>Position in <see cref="Discover"/>'s list (platforms in driver order, then their devices).</summary>
    public required int Index { get; init; }
    /// <summary>Index of the OpenCL platform (driver) the device belongs to.</summary>
    public required int Platform { get; init; }
    /// <summary>Index of the device within its platform.</summary>
    public required int DeviceInPlatform { get; init; }
    /// <summary>The platform's name, e.g. "Portable Computing Language".</summary>
    public required string PlatformName { get; init; }
    /// <summary>The platform's version string.</summary>
    public required string PlatformVersion { get; init; }
    /// <summary>The device's name.</summary>
    public required string Name { get; init; }
    /// <summary>The device's vendor.</summary>
    public required string Vendor { get; init; }
    /// <summary>CPU, GPU, accelerator or other.</summary>
    public required ComputeDeviceType Type { get; init; }
    /// <summary>Parallel compute units (cores on a CPU device, multiprocessors on a GPU).</summary>
    public required int ComputeUnits { get; init; }
    /// <summary>Global memory in bytes.</summary>
    public required long GlobalMemoryBytes { get; init; }
    /// <summary>Largest single buffer in bytes.</summary>
    public required long MaxAllocationBytes { get; init; }
    /// <summary>Local (work-group shared) memory in bytes.</summary>
    public required long LocalMemoryBytes { get; init; }
    /// <summary>The device's OpenCL version string, e.g. "OpenCL 3.0 PoCL ...".</summary>
    public required string OpenCLVersion { get; init; }
    /// <summary>The driver's version string.</summary>
    public required string DriverVersion { get; init; }
    /// <summary>Whether the device computes in float64 (cl_khr_fp64); float64 work is refused otherwise.</summary>
    public required bool SupportsFloat64 { get; init; }

    internal nint PlatformId { get; init; }
    internal nint DeviceId { get; init; }

    /// <summary>"platform:device", a spec that names this device exactly.</summary>
    public string Spec => $"{Platform}:{DeviceInPlatform}";

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} ({(Type == ComputeDeviceType.Other ? "other" : Type.ToString().ToUpperInvariant())}, {PlatformName}, device {Spec})";

    /// <summary>
    /// Every OpenCL device of every installed platform (drivers), in driver order; empty when the OpenCL
    /// loader (libOpenCL.so.1) or any platform is missing, <see cref="Unavailable"/> then says why.
    /// </summary>
    public static IReadOnlyList<ComputeDevice> Discover() => OpenCLDevices.All;

    /// <summary>Why <see cref="Discover"/> found no device (loader missing, no platform, ...), or null when some exist.</summary>
    public static string? Unavailable => OpenCLDevices.Problem;

    /// <summary>
    /// Chooses a device by <paramref name="spec"/>: null, "" or "auto" (the first GPU, else the first
    /// accelerator, else the first device); an index into <see cref="Discover"/>'s list ("0");
    /// "platform:device" ("1:0"); a type ("gpu", "cpu", "accelerator"); or part of the device, vendor or
    /// platform name, case-insensitive ("pocl", "nvidia"); the first match in list order wins.
    /// </summary>
    /// <exception cref="NotSupportedException">No OpenCL device exists (the message says why).</exception>
    /// <exception cref="ArgumentException">No device matches the spec (the message lists the devices).</exception>
    public static ComputeDevice Select(string? spec)
    {
        var devices = Discover();
        if (devices.Count == 0)
            throw new NotSupportedException($"no OpenCL device is available: {Unavailable} Use the MKL backend (--backend mkl).");
        return SelectFrom(devices, spec);
    }

    internal static ComputeDevice SelectFrom(IReadOnlyList<ComputeDevice> devices, string? spec)
    {
        var text = spec?.Trim() ?? "";
        ComputeDevice? found = text.ToLowerInvariant() switch
        {
            "" or "auto" => devices.FirstOrDefault(d => d.Type == ComputeDeviceType.Gpu)
                            ?? devices.FirstOrDefault(d => d.Type == ComputeDeviceType.Accelerator) ?? devices[0],
            "gpu" => devices.FirstOrDefault(d => d.Type == ComputeDeviceType.Gpu),
            "cpu" => devices.FirstOrDefault(d => d.Type == ComputeDeviceType.Cpu),
            "accelerator" => devices.FirstOrDefault(d => d.Type == ComputeDeviceType.Accelerator),
            _ when int.TryParse(text, out var index) => index >= 0 && index < devices.Count ? devices[index] : null,
            _ when text.Contains(':') => devices.FirstOrDefault(d => d.Spec == text),
            _ => devices.FirstOrDefault(d => Contains(d.Name, text))
                 ?? devices.FirstOrDefault(d => Contains(d.Vendor, text) || Contains(d.PlatformName, text)),
        };
        return found ?? throw new ArgumentException(
            $"no OpenCL device matches '{spec}'; the devices are: " +
            string.Join("; ", devices.Select(d => $"{d.Index} = {d}")) + " (see `annscope devices`)");
    }

    private static bool Contains(string value, string part) => value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
