using AnnScope.Tests.Support;

namespace AnnScope.Tests.OpenCL;

public class ComputeDeviceTests
{
    private static ComputeDevice Fake(int index, ComputeDeviceType type, string name, int platform = 0) => new()
    {
        Index = index, Platform = platform, DeviceInPlatform = index, PlatformName = $"Platform {platform}",
        PlatformVersion = "OpenCL 3.0", Name = name, Vendor = "Vendor", Type = type, ComputeUnits = 1,
        GlobalMemoryBytes = 1 << 30, MaxAllocationBytes = 1 << 28, LocalMemoryBytes = 1 << 16,
        OpenCLVersion = "OpenCL 3.0", DriverVersion = "1", SupportsFloat64 = true,
    };

    [Fact]
    public void SpecsChooseByIndexPlatformTypeOrName()
    {
        ComputeDevice[] devices =
        [
            Fake(0, ComputeDeviceType.Cpu, "pthread-cpu"),
            Fake(1, ComputeDeviceType.Gpu, "GeForce RTX 4090", platform: 1),
            Fake(2, ComputeDeviceType.Gpu, "Radeon 7900", platform: 1),
        ];
        Assert.Same(devices[1], ComputeDevice.SelectFrom(devices, null));      // auto: the first GPU
        Assert.Same(devices[1], ComputeDevice.SelectFrom(devices, "auto"));
        Assert.Same(devices[0], ComputeDevice.SelectFrom(devices, "cpu"));
        Assert.Same(devices[1], ComputeDevice.SelectFrom(devices, "GPU"));
        Assert.Same(devices[2], ComputeDevice.SelectFrom(devices, "2"));
        Assert.Same(devices[2], ComputeDevice.SelectFrom(devices, "1:2"));
        Assert.Same(devices[2], ComputeDevice.SelectFrom(devices, "radeon"));
        Assert.Same(devices[0], ComputeDevice.SelectFrom(devices, "platform 0"));
        Assert.Same(devices[0], ComputeDevice.SelectFrom([devices[0]], null)); // no GPU: the first device
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.SelectFrom(devices, "accelerator"));
        Assert.Contains("GeForce RTX 4090", e.Message);
        Assert.Throws<ArgumentException>(() => ComputeDevice.SelectFrom(devices, "3"));
        Assert.Throws<ArgumentException>(() => ComputeDevice.SelectFrom(devices, "0:9"));
    }

    [OpenCLFact]
    public void DiscoveredDevicesAreDescribedAndSelectable()
    {
        var devices = ComputeDevice.Discover();
        Assert.NotEmpty(devices);
        Assert.Null(ComputeDevice.Unavailable);
        for (int i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            Assert.Equal(i, d.Index);
            Assert.False(string.IsNullOrWhiteSpace(d.Name));
            Assert.False(string.IsNullOrWhiteSpace(d.PlatformName));
            Assert.StartsWith("OpenCL ", d.OpenCLVersion);
            Assert.True(d.ComputeUnits > 0 && d.GlobalMemoryBytes > 0 && d.MaxAllocationBytes > 0 && d.LocalMemoryBytes > 0);
            Assert.Same(d, ComputeDevice.Select(d.Spec));
            Assert.Same(d, ComputeDevice.Select(i.ToString()));
        }
        Assert.Throws<ArgumentException>(() => ComputeDevice.Select("no-such-device-anywhere"));
    }

    [OpenCLFact]
    public void OpenCLContextsNameTheirDeviceAndReleaseTheirHandles()
    {
        var device = ComputeDevice.Discover()[0];
        var context = new ComputeContext(device);
        Assert.Equal(ComputeBackend.OpenCL, context.Backend);
        Assert.Same(device, context.Device);
        Assert.Equal(1, context.Threads);
        Assert.Equal($"OpenCL: {device}", context.Description);
        context.Dispose();
        Assert.True(context.Handle.IsClosed);

        using var bySpec = new ComputeContext(ComputeBackend.OpenCL, device: device.Spec);
        Assert.Same(device, bySpec.Device);
    }

    [OpenCLFact]
    public void ManagedHardwareExceptionsSurviveTheDriverStarting()
    {
        // PoCL replaces SIGSEGV/SIGFPE handlers when it starts; without the guard these would kill the process
        Assert.NotEmpty(ComputeDevice.Discover());
        using (var context = new ComputeContext(ComputeDevice.Discover()[0]))
        {
            var shape = new AnnScope.Connectivity.SeriesShape(1, 20, 3);
            var x = Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i * 0.7)).ToArray();
            AnnScope.Connectivity.FunctionalConnectivity.Pearson(x, shape, 20, new float[9], context);
        }
        int zero = Environment.ProcessorCount - Environment.ProcessorCount;
        Assert.Throws<DivideByZeroException>(() => 1 / zero);
        string? nothing = zero == 0 ? null : "x";
        Assert.Throws<NullReferenceException>(() => nothing!.Length);
    }

    [Fact]
    public void ADeviceIsRefusedForTheMklBackend()
    {
        var e = Assert.Throws<ArgumentException>(() => new ComputeContext(ComputeBackend.Mkl, device: "0"));
        Assert.Contains("only to the OpenCL backend", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeContext(ComputeBackend.OpenCL, deviceMemoryLimit: -1));
        using var mkl = new ComputeContext(ComputeBackend.Mkl, 1);
        Assert.Null(mkl.Device);
        Assert.Equal("MKL, 1 threads", mkl.Description);
    }
}
