namespace AnnScope.Benchmarks;

/// <summary>The backends a suite compares: MKL always, OpenCL where a device exists (so suites run and dry-run anywhere).</summary>
public static class Backends
{
    public static IEnumerable<ComputeBackend> Available() =>
        ComputeDevice.Discover().Count > 0 ? [ComputeBackend.Mkl, ComputeBackend.OpenCL] : [ComputeBackend.Mkl];

    /// <summary>A context on <paramref name="backend"/>: MKL on every core, or OpenCL on the device ANNSCOPE_OPENCL_DEVICE
    /// names (an `annscope devices` spec; default: the first GPU, else the first device).</summary>
    public static ComputeContext Context(ComputeBackend backend) => backend == ComputeBackend.OpenCL
        ? new ComputeContext(ComputeBackend.OpenCL, device: Environment.GetEnvironmentVariable("ANNSCOPE_OPENCL_DEVICE"))
        : new ComputeContext(ComputeBackend.Mkl, 0);
}
