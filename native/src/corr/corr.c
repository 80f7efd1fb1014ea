/* Functional connectivity: validation of every call, then the context's backend (corr_backend.h). */
#include "corr_backend.h"

static int windows(annscope_context* ctx, const void* x, int64_t batch, int64_t samples, int64_t units, int64_t window,
                   int f64, void* out, int64_t* constant_units, int correlation)
{
    const char* what = correlation ? "corr" : "cov";
    int threads = as_context_threads(ctx);
    if (threads < 0) return -threads;
    AS_CHECK_ARG(x && out, "%s: NULL array", what);
    AS_CHECK_ARG(batch > 0 && samples > 0 && units > 0, "%s: sizes must be positive (batch %lld, samples %lld, units %lld)",
                 what, (long long)batch, (long long)samples, (long long)units);
    AS_CHECK_ARG(window >= 2 && window <= samples, "%s: window (%lld) must be in [2, samples = %lld]", what,
                 (long long)window, (long long)samples);
    AS_CHECK_ARG(samples % window == 0, "%s: samples (%lld) is not a multiple of the window (%lld)", what,
                 (long long)samples, (long long)window);
    return ctx->corr->windows(ctx, x, batch, samples, units, window, f64, out, constant_units, correlation);
}

ANNSCOPE_API int annscope_corr_f32(annscope_context* ctx, const float* x, int64_t batch, int64_t samples, int64_t units,
                                   int64_t window, float* out, int64_t* constant_units)
{
    return windows(ctx, x, batch, samples, units, window, 0, out, constant_units, 1);
}

ANNSCOPE_API int annscope_corr_f64(annscope_context* ctx, const double* x, int64_t batch, int64_t samples,
                                   int64_t units, int64_t window, double* out, int64_t* constant_units)
{
    return windows(ctx, x, batch, samples, units, window, 1, out, constant_units, 1);
}

ANNSCOPE_API int annscope_cov_f32(annscope_context* ctx, const float* x, int64_t batch, int64_t samples, int64_t units,
                                  int64_t window, float* out)
{
    return windows(ctx, x, batch, samples, units, window, 0, out, NULL, 0);
}

ANNSCOPE_API int annscope_cov_f64(annscope_context* ctx, const double* x, int64_t batch, int64_t samples, int64_t units,
                                  int64_t window, double* out)
{
    return windows(ctx, x, batch, samples, units, window, 1, out, NULL, 0);
}
