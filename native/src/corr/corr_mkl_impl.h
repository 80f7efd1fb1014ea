/* Batched windowed Pearson correlation / covariance on MKL, instantiated for float and double by corr_mkl.c.
 * Expects: REAL (element type), SUFFIX (f32/f64), GEMM (cblas_sgemm/cblas_dgemm), AS_PANEL (rows per GEMM).
 *
 * Each window (Z samples x M units) is centred and scaled per unit in double precision into a scratch
 * block so that one rank-k update (the upper triangle of scratch^T scratch) yields the finished matrix:
 * correlation when the scale is 1/||x - mean||, covariance when it is 1/sqrt(Z - 1). Windows are independent
 * tasks spread over the context's threads; MKL is sequential inside each task. */
#define AS_CAT2(a, b) a##b
#define AS_CAT(a, b) AS_CAT2(a, b)
#define AS_FN(name) AS_CAT(name, SUFFIX)

/* Returns the number of constant units in this window, or -1 when a value is not finite. */
static int64_t AS_FN(prepare_window_)(const REAL* xw, int64_t z, int64_t m, int correlation, REAL* scratch,
                                      double* mean, double* scale)
{
    for (int64_t j = 0; j < m; j++) mean[j] = 0.0;
    for (int64_t t = 0; t < z; t++) {
        const REAL* row = xw + t * m;
        for (int64_t j = 0; j < m; j++) mean[j] += (double)row[j];
    }
    for (int64_t j = 0; j < m; j++) {
        if (!isfinite(mean[j])) return -1;
        mean[j] /= (double)z;
        scale[j] = 0.0;
    }
    int64_t constant = 0;
    if (correlation) {
        for (int64_t t = 0; t < z; t++) {
            const REAL* row = xw + t * m;
            for (int64_t j = 0; j < m; j++) {
                double d = (double)row[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int64_t j = 0; j < m; j++) {
            /* exactly constant: every value equals the first (a rounding-level variance is not variance) */
            int same = 1;
            for (int64_t t = 1; t < z && same; t++) same = xw[t * m + j] == xw[j];
            if (same || scale[j] == 0.0) { scale[j] = 0.0; constant++; }
            else scale[j] = 1.0 / sqrt(scale[j]);
        }
    } else {
        /* a covariance scales every unit alike, so it needs no pass for the sums of squares */
        for (int64_t j = 0; j < m; j++) scale[j] = 1.0 / sqrt((double)(z - 1));
    }
    for (int64_t t = 0; t < z; t++) {
        const REAL* row = xw + t * m;
        REAL* dst = scratch + t * m;
        for (int64_t j = 0; j < m; j++) dst[j] = (REAL)(((double)row[j] - mean[j]) * scale[j]);
    }
    return constant;
}

/* The upper triangle of scratch^T scratch (m x m, row-major; below the diagonal only partly written), as a
 * staircase of GEMMs over panels of AS_PANEL rows: MKL's SYRK took as long as the full GEMM at these sizes
 * (120 x 120 from 2500 or 50 samples, under MKL_CBWR_AUTO), while the staircase does 60 % of its work and took
 * 0.73-0.75 of SYRK's time in float64 and 0.65 in float32. Panels of 24 were the fastest of 12-60 (multiples
 * of 12 suit MKL's kernels); every entry is still one dot product over the samples. */
static void AS_FN(upper_)(const REAL* scratch, int64_t z, int64_t m, REAL* c)
{
    for (int64_t i = 0; i < m; i += AS_PANEL) {
        const int64_t rows = m - i < AS_PANEL ? m - i : AS_PANEL;
        GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (MKL_INT)rows, (MKL_INT)(m - i), (MKL_INT)z, 1.0, scratch + i,
             (MKL_INT)m, scratch + i, (MKL_INT)m, 0.0, c + i * m + i, (MKL_INT)m);
    }
}

static int AS_FN(windows_)(annscope_context* ctx, const REAL* x, int64_t batch, int64_t samples, int64_t units,
                           int64_t window, REAL* out, int64_t* constant_units, int correlation)
{
    const char* what = correlation ? "corr" : "cov";
    int threads = ctx->threads;
    const int64_t nwin = samples / window, tasks = batch * nwin, mm = units * units;
    if (tasks < threads) threads = (int)tasks;
    int64_t total_constant = 0, bad_task = -1;
    int nomem = 0;

#pragma omp parallel num_threads(threads) reduction(+ : total_constant)
    {
        REAL* scratch = as_alloc((size_t)(window * units) * sizeof(REAL));
        double* mean = as_alloc((size_t)units * sizeof(double));
        double* scale = as_alloc((size_t)units * sizeof(double));
        if (!scratch || !mean || !scale) {
#pragma omp atomic write
            nomem = 1;
        } else {
#pragma omp for schedule(static)
            for (int64_t task = 0; task < tasks; task++) {
                const REAL* xw = x + task * window * units; /* windows of one series are contiguous */
                REAL* c = out + task * mm;
                int64_t constant = AS_FN(prepare_window_)(xw, window, units, correlation, scratch, mean, scale);
                if (constant < 0) {
#pragma omp critical(as_corr_bad)
                    if (bad_task < 0 || task < bad_task) bad_task = task;
                    continue;
                }
                total_constant += constant;
                AS_FN(upper_)(scratch, window, units, c);
                /* mirror the upper triangle, pin the diagonal, clamp r */
                for (int64_t i = 0; i < units; i++) {
                    for (int64_t j = i + 1; j < units; j++) {
                        REAL v = c[i * units + j];
                        if (correlation) v = v > 1 ? 1 : (v < -1 ? -1 : v);
                        c[i * units + j] = v;
                        c[j * units + i] = v;
                    }
                    if (correlation) c[i * units + i] = 1;
                }
            }
        }
        as_free(scratch);
        as_free(mean);
        as_free(scale);
    }
    if (nomem) return as_fail(ANNSCOPE_E_NOMEM, "%s: out of memory for scratch buffers", what);
    if (bad_task >= 0)
        return as_fail(ANNSCOPE_E_NUMERIC, "%s: NaN or infinite value in series %lld, window %lld", what,
                       (long long)(bad_task / nwin), (long long)(bad_task % nwin));
    if (constant_units) *constant_units = total_constant;
    return as_ok();
}

#undef AS_FN
#undef AS_CAT
#undef AS_CAT2
