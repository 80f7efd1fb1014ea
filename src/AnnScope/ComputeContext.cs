using AnnScope.Interop;

namespace AnnScope;

/// <summary>Where the native hot paths run.</summary>
public enum ComputeBackend
{
    /// <summary>Intel MKL on the CPU; the native core threads across batch items, MKL runs sequentially inside.</summary>
    Mkl = 0,
    /// <summary>An OpenCL device (GPU, or PoCL's CPU device).</summary>
    OpenCL = 1,
}

/// <summary>
/// A native compute context: a backend and the number of threads the native core may use, or an OpenCL
/// device. It is the only owner of native threads; hand one context to every kernel call of a job.
/// </summary>
public sealed class ComputeContext : IDisposable
{
    private static readonly Lazy<ComputeContext> Shared = new(() => new ComputeContext());

    internal ContextHandle Handle { get; }

    /// <summary>The backend this context runs on.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>Threads the native core uses for batched calls (1 on OpenCL: the device does the work).</summary>
    public int Threads { get; private set; }

    /// <summary>The OpenCL device of an OpenCL context; null for MKL.</summary>
    public ComputeDevice? Device { get; }

    /// <summary>
    /// Creates a context; <paramref name="threads"/> = 0 uses every core (MKL). For
    /// <see cref="ComputeBackend.OpenCL"/>, <paramref name="device"/> chooses the device (see
    /// <see cref="ComputeDevice.Select"/>; null = the first GPU, else the first device) and
    /// <paramref name="deviceMemoryLimit"/> caps the device memory one call holds (0 = half the device's
    /// memory; larger batches run in chunks).
    /// </summary>
    /// <exception cref="NotSupportedException">OpenCL was asked for but no device exists, or libannscope was built without it.</exception>
    public ComputeContext(ComputeBackend backend = ComputeBackend.Mkl, int threads = 0, string? device = null,
        long deviceMemoryLimit = 0)
        : this(backend, Open(backend, threads, device, deviceMemoryLimit)) { }

    /// <summary>An OpenCL context on <paramref name="device"/> (one of <see cref="ComputeDevice.Discover"/>).</summary>
    public ComputeContext(ComputeDevice device, long deviceMemoryLimit = 0)
        : this(ComputeBackend.OpenCL, OpenOn(device, deviceMemoryLimit)) { }

    private ComputeContext(ComputeBackend backend, (ContextHandle Handle, ComputeDevice? Device) opened)
    {
        Backend = backend;
        (Handle, Device) = opened;
        NativeStatus.Check(NativeMethods.ContextThreads(Handle, out var actual));
        Threads = actual;
    }

    private static (ContextHandle, ComputeDevice?) Open(ComputeBackend backend, int threads, string? device, long memoryLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfNegative(memoryLimit);
        if (!Enum.IsDefined(backend)) throw new ArgumentException($"unknown compute backend {backend}", nameof(backend));
        if (backend != ComputeBackend.OpenCL && device != null)
            throw new ArgumentException($"a device ('{device}') applies only to the OpenCL backend", nameof(device));
        if (backend != ComputeBackend.OpenCL) return (ContextHandle.Create((int)backend, threads), null);
        NativeLibraryLoader.EnsureLoaded(); // a missing libannscope is reported before any OpenCL question
        return OpenOn(ComputeDevice.Select(device), memoryLimit);
    }

    private static (ContextHandle, ComputeDevice?) OpenOn(ComputeDevice device, long memoryLimit)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(memoryLimit);
        return (OpenCLContextFactory.Create(device, memoryLimit), device);
    }

    /// <summary>
    /// Changes the threads later batched calls use, for an owner that shares the cores between several kinds of
    /// work (a study trains beside its analysis). Only for contexts no other thread is calling on; MKL only.
    /// </summary>
    internal void UseThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (threads == Threads) return;
        NativeStatus.Check(NativeMethods.ContextSetThreads(Handle, threads));
        Threads = threads;
    }

    /// <summary>"MKL, 2 threads" or "OpenCL: device (type, platform, device p:d)": recorded with results.</summary>
    public string Description => Device is { } d ? $"OpenCL: {d}" : $"MKL, {Threads} threads";

    /// <summary>A process-wide MKL context on every core, for callers that do not manage their own.</summary>
    public static ComputeContext Default => Shared.Value;

    /// <summary>Version, MKL version, threading layer and whether OpenCL is compiled in.</summary>
    public static string NativeBuildInfo => NativeLibraryLoader.BuildInfo();

    /// <summary>The achieved MKL sgemm rate (GFLOP/s) on this context's threads: the ceiling for batched kernels.</summary>
    public double MeasureSgemmRate(int m = 120, int n = 120, int k = 2500, int repeats = 50)
    {
        NativeStatus.Check(NativeMethods.SgemmRate(Handle, m, n, k, repeats, out var gflops));
        return gflops;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (this != (Shared.IsValueCreated ? Shared.Value : null)) Handle.Dispose();
    }
}
