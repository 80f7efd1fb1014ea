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
/// A native compute context: a backend and the number of threads the native core may use. It is the only
/// owner of native threads; hand one context to every kernel call of a job.
/// </summary>
public sealed class ComputeContext : IDisposable
{
    private static readonly Lazy<ComputeContext> Shared = new(() => new ComputeContext());

    internal ContextHandle Handle { get; }

    /// <summary>The backend this context runs on.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>Threads the native core uses for batched calls.</summary>
    public int Threads { get; }

    /// <summary>Creates a context; <paramref name="threads"/> = 0 uses every core.</summary>
    public ComputeContext(ComputeBackend backend = ComputeBackend.Mkl, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        Backend = backend;
        Handle = ContextHandle.Create((int)backend, threads);
        NativeStatus.Check(NativeMethods.ContextThreads(Handle, out var actual));
        Threads = actual;
    }

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
