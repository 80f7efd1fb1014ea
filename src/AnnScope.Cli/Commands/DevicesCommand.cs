using System.CommandLine;

namespace AnnScope.Cli.Commands;

/// <summary>`annscope devices`: what the native core was built with and which compute devices exist.</summary>
internal static class DevicesCommand
{
    internal static Command Create()
    {
        var command = new Command("devices", "print the native build (MKL, threading, OpenCL) and the compute devices");
        command.SetAction(_ =>
        {
            Console.Write(ComputeContext.NativeBuildInfo);
            Console.WriteLine($"CPU cores: {Environment.ProcessorCount}");
            PrintOpenCLDevices();
            return Cli.Ok;
        });
        return command;
    }

    private static void PrintOpenCLDevices()
    {
        var devices = ComputeDevice.Discover();
        if (devices.Count == 0)
        {
            Console.WriteLine($"OpenCL devices: none — {ComputeDevice.Unavailable} The MKL backend is unaffected.");
            return;
        }
        Console.WriteLine("OpenCL devices (choose with --backend opencl --device SPEC; SPEC = the index, platform:device, " +
                          "cpu|gpu|accelerator, or part of the name):");
        foreach (var d in devices)
        {
            Console.WriteLine($"  {d.Index}  [{d.Spec}] {d.Name} ({TypeName(d.Type)})");
            Console.WriteLine($"       platform: {d.PlatformName} ({d.PlatformVersion}); vendor: {d.Vendor}");
            Console.WriteLine($"       {d.ComputeUnits} compute units, {Size(d.GlobalMemoryBytes)} global memory " +
                              $"(max allocation {Size(d.MaxAllocationBytes)}), {Size(d.LocalMemoryBytes)} local memory");
            Console.WriteLine($"       {d.OpenCLVersion}; driver {d.DriverVersion}; float64: {(d.SupportsFloat64 ? "yes" : "no")}");
        }
    }

    private static string TypeName(ComputeDeviceType type) => type == ComputeDeviceType.Other ? "other" : type.ToString().ToUpperInvariant();

    private static string Size(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F2} GiB" : bytes >= 1L << 20 ? $"{bytes / (double)(1L << 20):F1} MiB"
        : $"{bytes / 1024.0:F0} KiB";
}
