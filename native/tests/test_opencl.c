/* The OpenCL backend against the MKL backend on the same inputs (PoCL's CPU device in CI). Exits 77 (skip)
 * when no OpenCL platform or device exists. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "annscope.h"
#include "check.h"
#include "opencl_device.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>


static annscope_context* opencl_context(int64_t memory_limit)
{
    annscope_context* ctx = NULL;
    int status = annscope_context_create_opencl(cl_ctx, cl_dev, cl_q, memory_limit, &ctx);
    CHECK(status == 0 && ctx, "create_opencl: %d %s", status, annscope_last_error());
    return ctx;
}

static double max_diff_f32(const float* a, const float* b, int64_t n)
{
    double d = 0;
    for (int64_t i = 0; i < n; i++) d = fmax(d, fabs((double)a[i] - (double)b[i]));
    return d;
}

static int symmetric_f32(const float* r, int64_t matrices, int64_t m)
{
    for (int64_t k = 0; k < matrices; k++)
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < i; j++)
                if (r[(k * m + i) * m + j] != r[(k * m + j) * m + i]) return 0;
    return 1;
}

static void parity(int64_t batch, int64_t samples, int64_t units, int64_t window, int64_t memory_limit)
{
    annscope_context *mkl, *ocl = opencl_context(memory_limit);
    annscope_context_create(ANNSCOPE_BACKEND_MKL, 2, &mkl);
    const int64_t n = batch * samples * units, out = batch * (samples / window) * units * units;
    float *x = malloc(sizeof(float) * n), *a = malloc(sizeof(float) * out), *b = malloc(sizeof(float) * out);
    double *xd = malloc(sizeof(double) * n), *ad = malloc(sizeof(double) * out), *bd = malloc(sizeof(double) * out);
    for (int64_t i = 0; i < n; i++) xd[i] = x[i] = (float)(check_uniform() * 2 - 1 + (i % units) * 0.3);
    /* unit 1 of series 0 is constant over the first window: counted, zero row, unit diagonal */
    for (int64_t t = 0; t < window; t++) xd[t * units + 1] = x[t * units + 1] = 0.25f;
    int64_t ca = -1, cb = -2;
    CHECK(annscope_corr_f32(mkl, x, batch, samples, units, window, a, &ca) == 0, "%s", annscope_last_error());
    CHECK(annscope_corr_f32(ocl, x, batch, samples, units, window, b, &cb) == 0, "%s", annscope_last_error());
    CHECK(ca == cb && cb == 1, "constant units mkl %lld opencl %lld", (long long)ca, (long long)cb);
    double d = max_diff_f32(a, b, out);
    CHECK(d < 2e-6, "corr f32 differs by %g (B %lld T %lld M %lld Z %lld)", d, (long long)batch, (long long)samples,
          (long long)units, (long long)window);
    CHECK(symmetric_f32(b, out / (units * units), units), "corr f32 not exactly symmetric");
    CHECK(b[units + 1] == 1 && b[units] == 0 && b[1] == 0, "constant unit row/col");
    CHECK(annscope_cov_f32(mkl, x, batch, samples, units, window, a) == 0, "%s", annscope_last_error());
    CHECK(annscope_cov_f32(ocl, x, batch, samples, units, window, b) == 0, "%s", annscope_last_error());
    d = max_diff_f32(a, b, out);
    CHECK(d < 2e-6, "cov f32 differs by %g", d);
    CHECK(symmetric_f32(b, out / (units * units), units), "cov f32 not exactly symmetric");
    if (has_fp64) {
        CHECK(annscope_corr_f64(mkl, xd, batch, samples, units, window, ad, &ca) == 0, "%s", annscope_last_error());
        CHECK(annscope_corr_f64(ocl, xd, batch, samples, units, window, bd, &cb) == 0, "%s", annscope_last_error());
        double e = 0;
        for (int64_t i = 0; i < out; i++) e = fmax(e, fabs(ad[i] - bd[i]));
        CHECK(e < 1e-13 && ca == cb, "corr f64 differs by %g", e);
        CHECK(annscope_cov_f64(mkl, xd, batch, samples, units, window, ad) == 0, "%s", annscope_last_error());
        CHECK(annscope_cov_f64(ocl, xd, batch, samples, units, window, bd) == 0, "%s", annscope_last_error());
        e = 0;
        for (int64_t i = 0; i < out; i++) e = fmax(e, fabs(ad[i] - bd[i]));
        CHECK(e < 1e-13, "cov f64 differs by %g", e);
    }
    free(x); free(a); free(b); free(xd); free(ad); free(bd);
    annscope_context_destroy(mkl);
    annscope_context_destroy(ocl);
}

static void errors(void)
{
    annscope_context* ocl = opencl_context(0);
    enum { T = 20, M = 5 };
    float x[T * M], r[2 * M * M];
    for (int i = 0; i < T * M; i++) x[i] = (float)check_uniform();
    x[13 * M + 2] = NAN;
    CHECK(annscope_corr_f32(ocl, x, 1, T, M, 10, r, NULL) == ANNSCOPE_E_NUMERIC, "NaN accepted");
    CHECK(strstr(annscope_last_error(), "series 0, window 1") != NULL, "message: %s", annscope_last_error());
    x[13 * M + 2] = 0.5f;
    CHECK(annscope_corr_f32(ocl, x, 1, T, M, 10, r, NULL) == 0, "valid call after a failure: %s", annscope_last_error());
    CHECK(annscope_corr_f32(ocl, x, 1, T, M, 7, r, NULL) == ANNSCOPE_E_ARGUMENT, "bad window accepted");
    annscope_context_destroy(ocl);

    /* a memory limit below one window's need is reported with the size */
    annscope_context* tiny = opencl_context(100);
    CHECK(annscope_corr_f32(tiny, x, 1, T, M, 10, r, NULL) == ANNSCOPE_E_OPENCL, "tiny limit accepted");
    CHECK(strstr(annscope_last_error(), "out of device memory") && strstr(annscope_last_error(), "bytes"), "message: %s",
          annscope_last_error());
    annscope_context_destroy(tiny);

    /* a failing kernel build surfaces the compiler's log */
    setenv("ANNSCOPE_OPENCL_OPTIONS", "-Dlong=as_no_such_type", 1);
    annscope_context* broken = opencl_context(0);
    CHECK(annscope_corr_f32(broken, x, 1, T, M, 10, r, NULL) == ANNSCOPE_E_OPENCL, "broken build accepted");
    CHECK(strstr(annscope_last_error(), "build log:\nerror:") && strstr(annscope_last_error(), "cl_int -11"),
          "message: %s", annscope_last_error());
    unsetenv("ANNSCOPE_OPENCL_OPTIONS");
    annscope_context_destroy(broken);

    annscope_context* ctx = (annscope_context*)1;
    CHECK(annscope_context_create_opencl(cl_ctx, cl_dev, NULL, 0, &ctx) == ANNSCOPE_E_ARGUMENT && !ctx, "NULL queue");
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_OPENCL, 0, &ctx) == ANNSCOPE_E_ARGUMENT, "OpenCL without device");
    CHECK(strstr(annscope_last_error(), "annscope_context_create_opencl") != NULL, "%s", annscope_last_error());
    /* the native context keeps its own references: releasing the caller's first must be safe */
    annscope_context* owned = opencl_context(0);
    clReleaseCommandQueue(cl_q);
    clReleaseContext(cl_ctx);
    CHECK(annscope_corr_f32(owned, x, 1, T, M, 10, r, NULL) == 0, "after caller release: %s", annscope_last_error());
    annscope_context_destroy(owned);
}

static void host_handler(int s) { (void)s; }

int main(void)
{
    /* the host's handlers survive a driver start between save and restore */
    struct sigaction mine = {0}, now;
    mine.sa_handler = host_handler;
    sigaction(SIGSEGV, &mine, NULL);
    sigaction(SIGFPE, &mine, NULL);
    annscope_signals_save();
    int opened = open_device();
    int32_t restored = -1;
    annscope_signals_restore(&restored);
    sigaction(SIGSEGV, NULL, &now);
    CHECK(now.sa_handler == host_handler, "SIGSEGV handler lost");
    sigaction(SIGFPE, NULL, &now);
    CHECK(now.sa_handler == host_handler, "SIGFPE handler lost");
    printf("driver start: %d signal handlers restored\n", restored);
    signal(SIGSEGV, SIG_DFL);
    signal(SIGFPE, SIG_DFL);
    if (!opened) {
        printf("no OpenCL platform/device: skipped\n");
        return 77;
    }
    parity(1, 40, 5, 40, 0);
    parity(3, 300, 33, 50, 0);
    parity(2, 2500, 120, 50, 0);
    parity(2, 2500, 120, 2500, 0);
    parity(5, 200, 70, 20, 200000); /* forces several chunks */
    errors();
    return CHECK_DONE();
}
