using System.Runtime.InteropServices;

namespace AnnScope.Interop;

/// <summary>The flat C ABI of libannscope (native/include/annscope.h). Blittable signatures only.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "annscope";
    internal const int AbiVersion = 1;

    [LibraryImport(Library, EntryPoint = "annscope_abi_version")]
    internal static partial int AbiVersionOf();

    [LibraryImport(Library, EntryPoint = "annscope_last_error")]
    internal static partial byte* LastError();

    [LibraryImport(Library, EntryPoint = "annscope_build_info")]
    internal static partial int BuildInfo(byte* buffer, long capacity, long* needed);

    [LibraryImport(Library, EntryPoint = "annscope_context_create")]
    internal static partial int ContextCreate(int backend, int threads, out nint context);

    [LibraryImport(Library, EntryPoint = "annscope_context_create_opencl")]
    internal static partial int ContextCreateOpenCL(nint clContext, nint clDevice, nint clQueue, long memoryLimit,
        out nint context);

    [LibraryImport(Library, EntryPoint = "annscope_signals_save")]
    internal static partial int SignalsSave();

    [LibraryImport(Library, EntryPoint = "annscope_signals_restore")]
    internal static partial int SignalsRestore(out int restored);

    [LibraryImport(Library, EntryPoint = "annscope_context_destroy")]
    internal static partial int ContextDestroy(nint context);

    [LibraryImport(Library, EntryPoint = "annscope_context_threads")]
    internal static partial int ContextThreads(ContextHandle context, out int threads);

    [LibraryImport(Library, EntryPoint = "annscope_context_set_threads")]
    internal static partial int ContextSetThreads(ContextHandle context, int threads);

    [LibraryImport(Library, EntryPoint = "annscope_corr_f32")]
    internal static partial int CorrF32(ContextHandle context, float* x, long batch, long samples, long units, long window,
        float* output, long* constantUnits);

    [LibraryImport(Library, EntryPoint = "annscope_corr_f64")]
    internal static partial int CorrF64(ContextHandle context, double* x, long batch, long samples, long units, long window,
        double* output, long* constantUnits);

    [LibraryImport(Library, EntryPoint = "annscope_cov_f32")]
    internal static partial int CovF32(ContextHandle context, float* x, long batch, long samples, long units, long window,
        float* output);

    [LibraryImport(Library, EntryPoint = "annscope_cov_f64")]
    internal static partial int CovF64(ContextHandle context, double* x, long batch, long samples, long units, long window,
        double* output);

    [LibraryImport(Library, EntryPoint = "annscope_sym_logdet_f64")]
    internal static partial int SymLogdetF64(ContextHandle context, double* a, long batch, long m, double ridge, double* logdet);

    [LibraryImport(Library, EntryPoint = "annscope_sym_singular_values_f64")]
    internal static partial int SymSingularValuesF64(ContextHandle context, double* a, long batch, long m, double* values);

    [LibraryImport(Library, EntryPoint = "annscope_sgemm_rate")]
    internal static partial int SgemmRate(ContextHandle context, long m, long n, long k, int repeats, out double gflops);
}
