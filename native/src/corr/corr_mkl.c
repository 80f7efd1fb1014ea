/* The MKL backend of the correlation family: one rank-k update per window (corr_mkl_impl.h, per precision). */
#include "corr_backend.h"

#include <math.h>
#include <mkl.h>

#define AS_PANEL 24

#define REAL float
#define SUFFIX f32
#define GEMM cblas_sgemm
#include "corr_mkl_impl.h"
#undef REAL
#undef SUFFIX
#undef GEMM

#define REAL double
#define SUFFIX f64
#define GEMM cblas_dgemm
#include "corr_mkl_impl.h"

static int windows(annscope_context* ctx, const void* x, int64_t batch, int64_t samples, int64_t units, int64_t window,
                   int f64, void* out, int64_t* constant_units, int correlation)
{
    return f64 ? windows_f64(ctx, x, batch, samples, units, window, out, constant_units, correlation)
               : windows_f32(ctx, x, batch, samples, units, window, out, constant_units, correlation);
}

const as_corr_ops as_corr_mkl = {.name = "mkl", .windows = windows};
