#include "internal.h"

#include <mkl.h>
#include <omp.h>

ANNSCOPE_API int annscope_sgemm_rate(annscope_context* ctx, int64_t m, int64_t n, int64_t k, int32_t repeats,
                                     double* gflops)
{
    int threads = as_context_threads(ctx);
    if (threads < 0) return -threads;
    AS_CHECK_ARG(m > 0 && n > 0 && k > 0 && repeats > 0 && gflops, "sgemm_rate: bad arguments");
    int nomem = 0;
    double start = omp_get_wtime();
#pragma omp parallel num_threads(threads)
    {
        float* a = as_alloc((size_t)(m * k) * sizeof(float));
        float* b = as_alloc((size_t)(k * n) * sizeof(float));
        float* c = as_alloc((size_t)(m * n) * sizeof(float));
        int ok = a && b && c;
        if (!ok) {
#pragma omp atomic write
            nomem = 1;
        } else {
            for (int64_t i = 0; i < m * k; i++) a[i] = (float)(i % 7) * 0.1f;
            for (int64_t i = 0; i < k * n; i++) b[i] = (float)(i % 5) * 0.1f;
        }
        /* every thread reaches both barriers, so a failed allocation cannot deadlock the team */
#pragma omp barrier
#pragma omp master
        start = omp_get_wtime();
#pragma omp barrier
        if (ok) {
            for (int32_t r = 0; r < repeats; r++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (MKL_INT)m, (MKL_INT)n, (MKL_INT)k, 1.0f, a,
                            (MKL_INT)k, b, (MKL_INT)n, 0.0f, c, (MKL_INT)n);
        }
        as_free(a);
        as_free(b);
        as_free(c);
    }
    double elapsed = omp_get_wtime() - start;
    if (nomem) return as_fail(ANNSCOPE_E_NOMEM, "sgemm_rate: out of memory");
    *gflops = 2.0 * (double)m * (double)n * (double)k * repeats * threads / elapsed / 1e9;
    return as_ok();
}
