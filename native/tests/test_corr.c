/* The batched correlation kernel against a naive two-pass double-precision Pearson. */
#include "annscope.h"
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double naive_corr(const double* x, int64_t m, int64_t z, int64_t i, int64_t j, int cov)
{
    double mi = 0, mj = 0;
    for (int64_t t = 0; t < z; t++) { mi += x[t * m + i]; mj += x[t * m + j]; }
    mi /= z; mj /= z;
    double sij = 0, sii = 0, sjj = 0;
    for (int64_t t = 0; t < z; t++) {
        double a = x[t * m + i] - mi, b = x[t * m + j] - mj;
        sij += a * b; sii += a * a; sjj += b * b;
    }
    return cov ? sij / (z - 1) : sij / sqrt(sii * sjj);
}

static void test_against_naive(int64_t batch, int64_t samples, int64_t units, int64_t window, int threads)
{
    annscope_context* ctx;
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_MKL, threads, &ctx) == 0, "%s", annscope_last_error());
    int64_t n = batch * samples * units, nwin = samples / window, mm = units * units;
    double* x = malloc(sizeof(double) * n);
    float* xf = malloc(sizeof(float) * n);
    for (int64_t i = 0; i < n; i++) { x[i] = check_uniform() * 2 - 1 + (i % units) * 0.01; xf[i] = (float)x[i]; }
    double* r = malloc(sizeof(double) * batch * nwin * mm);
    double* c = malloc(sizeof(double) * batch * nwin * mm);
    float* rf = malloc(sizeof(float) * batch * nwin * mm);
    int64_t constant = -1;
    CHECK(annscope_corr_f64(ctx, x, batch, samples, units, window, r, &constant) == 0, "%s", annscope_last_error());
    CHECK(constant == 0, "constant = %lld", (long long)constant);
    CHECK(annscope_corr_f32(ctx, xf, batch, samples, units, window, rf, NULL) == 0, "%s", annscope_last_error());
    CHECK(annscope_cov_f64(ctx, x, batch, samples, units, window, c) == 0, "%s", annscope_last_error());
    double err64 = 0, err32 = 0, errcov = 0;
    for (int64_t b = 0; b < batch; b++)
        for (int64_t w = 0; w < nwin; w++) {
            const double* xw = x + (b * samples + w * window) * units;
            int64_t base = (b * nwin + w) * mm;
            for (int64_t i = 0; i < units; i++)
                for (int64_t j = 0; j < units; j++) {
                    double ref = i == j ? 1.0 : naive_corr(xw, units, window, i, j, 0);
                    err64 = fmax(err64, fabs(r[base + i * units + j] - ref));
                    err32 = fmax(err32, fabs(rf[base + i * units + j] - ref));
                    errcov = fmax(errcov, fabs(c[base + i * units + j] - naive_corr(xw, units, window, i, j, 1)));
                    CHECK(r[base + i * units + j] == r[base + j * units + i], "not symmetric");
                }
        }
    CHECK(err64 < 1e-13, "f64 error %g (B %lld T %lld M %lld Z %lld)", err64, (long long)batch, (long long)samples,
          (long long)units, (long long)window);
    CHECK(err32 < 2e-6, "f32 error %g", err32);
    CHECK(errcov < 1e-13, "cov error %g", errcov);
    free(x); free(xf); free(r); free(c); free(rf);
    annscope_context_destroy(ctx);
}

static void test_constant_and_bad_input(void)
{
    annscope_context* ctx;
    annscope_context_create(ANNSCOPE_BACKEND_MKL, 2, &ctx);
    enum { T = 20, M = 4 };
    double x[T * M], r[2 * M * M];
    for (int t = 0; t < T; t++)
        for (int j = 0; j < M; j++) x[t * M + j] = j == 2 ? 0.1 : check_uniform(); /* unit 2 is constant */
    int64_t constant = -1;
    CHECK(annscope_corr_f64(ctx, x, 1, T, M, 10, r, &constant) == 0, "%s", annscope_last_error());
    CHECK(constant == 2, "two windows with one constant unit each, got %lld", (long long)constant);
    for (int w = 0; w < 2; w++)
        for (int j = 0; j < M; j++) {
            double expect_row = j == 2 ? 1.0 : 0.0;
            CHECK(r[w * M * M + 2 * M + j] == expect_row, "row of constant unit: %g", r[w * M * M + 2 * M + j]);
            CHECK(!isnan(r[w * M * M + j * M + 2]), "NaN in output");
        }

    x[7] = NAN;
    CHECK(annscope_corr_f64(ctx, x, 1, T, M, 10, r, NULL) == ANNSCOPE_E_NUMERIC, "NaN accepted");
    CHECK(strstr(annscope_last_error(), "window 0") != NULL, "message: %s", annscope_last_error());
    x[7] = 0;
    CHECK(annscope_corr_f64(ctx, x, 1, T, M, 7, r, NULL) == ANNSCOPE_E_ARGUMENT, "non-dividing window accepted");
    CHECK(strstr(annscope_last_error(), "multiple") != NULL, "message: %s", annscope_last_error());
    CHECK(annscope_corr_f64(ctx, x, 1, T, M, 1, r, NULL) == ANNSCOPE_E_ARGUMENT, "window 1 accepted");
    CHECK(annscope_corr_f64(NULL, x, 1, T, M, 10, r, NULL) == ANNSCOPE_E_ARGUMENT, "NULL context accepted");
    CHECK(annscope_corr_f64(ctx, x, 1, T, M, 10, r, NULL) == 0, "valid call failed: %s", annscope_last_error());
    CHECK(annscope_last_error()[0] == '\0', "message not cleared after success");
    annscope_context* bad = (annscope_context*)1;
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_MKL, -1, &bad) == ANNSCOPE_E_ARGUMENT && bad == NULL, "threads -1");
    annscope_context_destroy(ctx);
}

static void test_build_info(void)
{
    char small[8];
    int64_t needed = 0;
    CHECK(annscope_build_info(small, sizeof small, &needed) == 0, "%s", annscope_last_error());
    CHECK(needed > 20 && strlen(small) == 7, "needed %lld", (long long)needed);
    char* big = malloc((size_t)needed + 1);
    annscope_build_info(big, needed + 1, NULL);
    CHECK(strstr(big, "MKL") && strstr(big, "OpenCL"), "%s", big);
    CHECK((int64_t)strlen(big) == needed, "length");
    free(big);
    CHECK(annscope_abi_version() == ANNSCOPE_ABI_VERSION, "abi");
}

/* A context's thread count can change between calls; the results cannot. */
static void test_set_threads(void)
{
    annscope_context* ctx = NULL;
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_MKL, 1, &ctx) == 0, "%s", annscope_last_error());
    const int64_t batch = 3, samples = 200, units = 9;
    float* x = malloc(sizeof(float) * batch * samples * units);
    float* one = malloc(sizeof(float) * batch * units * units);
    float* two = malloc(sizeof(float) * batch * units * units);
    for (int64_t k = 0; k < batch * samples * units; k++) x[k] = (float)check_uniform();
    CHECK(annscope_corr_f32(ctx, x, batch, samples, units, samples, one, NULL) == 0, "%s", annscope_last_error());
    CHECK(annscope_context_set_threads(ctx, 3) == 0, "%s", annscope_last_error());
    int32_t threads = 0;
    annscope_context_threads(ctx, &threads);
    CHECK(threads == 3, "threads %d", threads);
    CHECK(annscope_corr_f32(ctx, x, batch, samples, units, samples, two, NULL) == 0, "%s", annscope_last_error());
    CHECK(memcmp(one, two, sizeof(float) * batch * units * units) == 0, "results changed with the thread count");
    CHECK(annscope_context_set_threads(ctx, -1) == ANNSCOPE_E_ARGUMENT, "negative threads accepted");
    CHECK(strstr(annscope_last_error(), "threads must be >= 0") != NULL, "%s", annscope_last_error());
    annscope_context_threads(ctx, &threads);
    CHECK(threads == 3, "a refused change altered the context: %d", threads);
    CHECK(annscope_context_set_threads(NULL, 1) == ANNSCOPE_E_ARGUMENT, "NULL context accepted");
    free(x), free(one), free(two);
    annscope_context_destroy(ctx);
}

int main(void)
{
    test_against_naive(1, 40, 5, 40, 1);
    test_against_naive(3, 300, 17, 50, 2);
    test_against_naive(2, 2500, 120, 50, 2);
    test_constant_and_bad_input();
    test_build_info();
    test_set_threads();
    return CHECK_DONE();
}
