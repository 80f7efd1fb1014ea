/* Small symmetric matrices in batches, through MKL LAPACK on the host for every backend (a 120 x 120
 * factorisation is far too small to pay for a device round trip): the log-determinant behind the Gaussian
 * entropy and the spectrum behind synchronisation. One matrix per task, tasks spread over the context's
 * threads, LAPACK sequential inside, so results do not depend on the thread count. */
#include "../common/internal.h"

#include <math.h>
#include <mkl.h>
#include <string.h>

typedef int (*as_matrix_task)(double* work, int64_t m, double ridge, double* out);

static int logdet_task(double* work, int64_t m, double ridge, double* out)
{
    for (int64_t i = 0; i < m; i++) work[i * m + i] += ridge;
    lapack_int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)m, work, (lapack_int)m);
    if (info != 0) {
        *out = NAN; /* not positive definite */
        return ANNSCOPE_OK;
    }
    double sum = 0;
    for (int64_t i = 0; i < m; i++) sum += log(work[i * m + i]);
    *out = 2 * sum;
    return ANNSCOPE_OK;
}

static int singular_values_task(double* work, int64_t m, double ridge, double* out)
{
    (void)ridge;
    lapack_int info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'L', (lapack_int)m, work, (lapack_int)m, out);
    if (info != 0) return ANNSCOPE_E_NUMERIC;
    for (int64_t i = 0; i < m; i++) out[i] = fabs(out[i]);
    /* |eigenvalues| descending: insertion sort, m is small and the input nearly ordered at both ends */
    for (int64_t i = 1; i < m; i++) {
        const double v = out[i];
        int64_t j = i;
        for (; j > 0 && out[j - 1] < v; j--) out[j] = out[j - 1];
        out[j] = v;
    }
    return ANNSCOPE_OK;
}

static int batch_of(annscope_context* ctx, const char* what, const double* a, int64_t batch, int64_t m, double ridge,
                    double* out, int64_t out_stride, as_matrix_task task)
{
    int threads = as_context_threads(ctx);
    if (threads < 0) return -threads;
    AS_CHECK_ARG(a && out, "%s: NULL array", what);
    AS_CHECK_ARG(batch > 0 && m > 0 && m <= 46340, "%s: batch (%lld) and m (%lld) must be positive", what,
                 (long long)batch, (long long)m);
    AS_CHECK_ARG(isfinite(ridge) && ridge >= 0, "%s: ridge %g must be finite and >= 0", what, ridge);
    for (int64_t k = 0; k < batch * m * m; k++)
        if (!isfinite(a[k]))
            return as_fail(ANNSCOPE_E_NUMERIC, "%s: NaN or infinite value in matrix %lld", what, (long long)(k / (m * m)));
    if (batch < threads) threads = (int)batch;
    int nomem = 0;
    int64_t failed = -1;
#pragma omp parallel num_threads(threads)
    {
        double* work = as_alloc((size_t)(m * m) * sizeof(double));
        if (!work) {
#pragma omp atomic write
            nomem = 1;
        } else {
#pragma omp for schedule(dynamic, 1)
            for (int64_t b = 0; b < batch; b++) {
                memcpy(work, a + b * m * m, (size_t)(m * m) * sizeof(double));
                if (task(work, m, ridge, out + b * out_stride) != ANNSCOPE_OK) {
#pragma omp critical(as_symmetric_failed)
                    if (failed < 0 || b < failed) failed = b;
                }
            }
        }
        as_free(work);
    }
    if (nomem) return as_fail(ANNSCOPE_E_NOMEM, "%s: out of memory", what);
    if (failed >= 0) return as_fail(ANNSCOPE_E_NUMERIC, "%s: LAPACK did not converge on matrix %lld", what, (long long)failed);
    return as_ok();
}

ANNSCOPE_API int annscope_sym_logdet_f64(annscope_context* ctx, const double* a, int64_t batch, int64_t m, double ridge,
                                         double* logdet)
{
    return batch_of(ctx, "sym_logdet", a, batch, m, ridge, logdet, 1, logdet_task);
}

ANNSCOPE_API int annscope_sym_singular_values_f64(annscope_context* ctx, const double* a, int64_t batch, int64_t m,
                                                  double* values)
{
    return batch_of(ctx, "sym_singular_values", a, batch, m, 0, values, m, singular_values_task);
}
