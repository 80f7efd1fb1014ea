/* libannscope: the native core of AnnScope.
 *
 * Flat C ABI. Every export is annscope_*, returns an int status (ANNSCOPE_OK = 0) and leaves a message
 * for the calling thread in annscope_last_error(). Callers own all memory: arrays are passed in and
 * filled, never allocated here for the caller to free. Arrays are C order (last index fastest). */
#ifndef ANNSCOPE_H
#define ANNSCOPE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define ANNSCOPE_API __declspec(dllexport)
#else
#  define ANNSCOPE_API __attribute__((visibility("default")))
#endif

/* Bumped on any incompatible change of a signature or struct; the managed layer refuses a mismatch. */
#define ANNSCOPE_ABI_VERSION 1

enum annscope_status {
    ANNSCOPE_OK = 0,
    ANNSCOPE_E_ARGUMENT = 1,     /* a bad pointer, size or option */
    ANNSCOPE_E_NOMEM = 2,        /* an allocation failed */
    ANNSCOPE_E_BACKEND = 3,      /* the backend is not compiled in or not usable */
    ANNSCOPE_E_NUMERIC = 4,      /* NaN/inf in input, or a LAPACK info != 0 */
    ANNSCOPE_E_STATE = 5,        /* an object used in the wrong state */
    ANNSCOPE_E_OPENCL = 6,       /* an OpenCL call failed; the message has the cl_int */
    ANNSCOPE_E_INTERNAL = 7
};

enum annscope_backend {
    ANNSCOPE_BACKEND_MKL = 0,
    ANNSCOPE_BACKEND_OPENCL = 1
};

/* ---- common ---------------------------------------------------------------------------------------- */
ANNSCOPE_API int annscope_abi_version(void);
/* The calling thread's message for its last failed call ("" if none). Valid until the thread's next call. */
ANNSCOPE_API const char* annscope_last_error(void);
/* Writes a NUL-terminated description (version, MKL version, threading, OpenCL) into buf; the full length
 * (without NUL) goes to *needed so a caller can retry with a larger buffer. */
ANNSCOPE_API int annscope_build_info(char* buf, int64_t capacity, int64_t* needed);

/* A compute context: a backend and how many threads the native core may use (0 = all cores).
 * The native core is the only owner of threads: MKL runs sequentially inside, batches run in parallel. */
typedef struct annscope_context annscope_context;
ANNSCOPE_API int annscope_context_create(int32_t backend, int32_t threads, annscope_context** out);
/* An OpenCL context on a device the caller chose (the managed layer discovers devices with Silk.NET.OpenCL):
 * cl_ctx (a cl_context), cl_dev (a cl_device_id) and cl_queue (an in-order cl_command_queue of that context and
 * device) are retained, so the caller may release its own references right after. memory_limit: bytes of
 * device memory one call may hold (0 = half the device's global memory); bigger batches run in chunks.
 * Programs are built on first use, once per context; a failed build's log is in the message. Every call on
 * the context reports OpenCL failures (including a lost device) as ANNSCOPE_E_OPENCL with the cl_int, and
 * float64 work on a device without cl_khr_fp64 as ANNSCOPE_E_BACKEND. ANNSCOPE_E_BACKEND when the library
 * was built without OpenCL. Calls on one OpenCL context are serialised. */
ANNSCOPE_API int annscope_context_create_opencl(void* cl_ctx, void* cl_dev, void* cl_queue,
                                                int64_t memory_limit, annscope_context** out);
ANNSCOPE_API int annscope_context_destroy(annscope_context* ctx);
ANNSCOPE_API int annscope_context_threads(const annscope_context* ctx, int32_t* threads);

/* ---- functional connectivity ------------------------------------------------------------------------ */
/* x: (batch, samples, units). Windows: samples / window non-overlapping windows of `window` samples
 * (window = samples gives the full matrix). out: (batch, samples / window, units, units), Pearson r,
 * exactly symmetric, diagonal 1. A unit constant within a window gets row/column 0 (diagonal 1); the
 * number of such (window, unit) cases over the whole batch goes to *constant_units (may be NULL).
 * NaN or inf in x is refused (ANNSCOPE_E_NUMERIC). */
ANNSCOPE_API int annscope_corr_f32(annscope_context* ctx, const float* x, int64_t batch, int64_t samples,
                                   int64_t units, int64_t window, float* out, int64_t* constant_units);
ANNSCOPE_API int annscope_corr_f64(annscope_context* ctx, const double* x, int64_t batch, int64_t samples,
                                   int64_t units, int64_t window, double* out, int64_t* constant_units);
/* Unbiased covariance (divide by window - 1) of each window; same layout as annscope_corr_*. */
ANNSCOPE_API int annscope_cov_f32(annscope_context* ctx, const float* x, int64_t batch, int64_t samples,
                                  int64_t units, int64_t window, float* out);
ANNSCOPE_API int annscope_cov_f64(annscope_context* ctx, const double* x, int64_t batch, int64_t samples,
                                  int64_t units, int64_t window, double* out);

/* ---- benchmarking aid -------------------------------------------------------------------------------- */
/* Runs `repeats` sgemm C(m,n) = A(m,k) B(k,n) on the context's threads (one per thread, independent
 * operands) and reports the achieved GFLOP/s: the ceiling the batched kernels are measured against. */
ANNSCOPE_API int annscope_sgemm_rate(annscope_context* ctx, int64_t m, int64_t n, int64_t k, int32_t repeats,
                                     double* gflops);

#ifdef __cplusplus
}
#endif
#endif
