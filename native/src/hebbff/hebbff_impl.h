/* HebbFF kernels, instantiated for float and double by hebbff_kernels.c.
 * Expects: REAL, SUFFIX (f32/f64), GEMM (cblas_sgemm/cblas_dgemm), EXP (expf/exp).
 *
 * One instance-epoch runs on one thread, start to end, so its arithmetic is the same for any thread count.
 * Per step the work is a few passes over M x N matrices that stay in cache; each pass is fused so a row is
 * read once (see forward_step_ and backward_rows_). Reductions run over AS_HEBBFF_LANES fixed lanes and
 * are combined in a fixed order, so the result does not depend on the vector width the compiler picked
 * (the AVX2 and the baseline clone of the instance functions agree bit for bit: ISO C mode keeps GCC from
 * contracting a*b+c into FMA). */
#define AS_CAT2(a, b) a##b
#define AS_CAT(a, b) AS_CAT2(a, b)
#define AS_FN(name) AS_CAT(name, SUFFIX)
#define AS_INLINE static inline __attribute__((always_inline))

AS_INLINE REAL AS_FN(sigmoid_)(REAL a) { return (REAL)1 / ((REAL)1 + EXP(-a)); }

AS_INLINE REAL AS_FN(lane_sum_)(const REAL* acc)
{
    return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

/* The one expression of the plastic update A(t+1) = lambda A(t) + (eta h_i) x, shared by the forward pass and
 * the segment recomputation so that both produce bit-identical A(t). dst may equal src. */
AS_INLINE void AS_FN(plastic_row_)(REAL* dst, const REAL* src, REAL lam, REAL eh, const REAL* restrict x, int64_t ld)
{
    for (int64_t j = 0; j < ld; j++) dst[j] = lam * src[j] + eh * x[j];
}

/* a = (W1 + A) x + b1, h = sigmoid(a), and (if plastic) A <- lambda A + eta h x^T, one row at a time: row i's
 * update needs only h_i, so each row is read from cache once and updated while still in L1. */
AS_INLINE void AS_FN(forward_step_)(int64_t M, int64_t ld, const REAL* restrict W1, REAL* restrict A,
                                    const REAL* restrict b1, const REAL* restrict x, REAL lam, REAL eta, int plastic,
                                    REAL* restrict a_out, REAL* restrict h_out)
{
    for (int64_t i = 0; i < M; i++) {
        const REAL* restrict w = W1 + i * ld;
        REAL* ar = A + i * ld;
        REAL acc[AS_HEBBFF_LANES] = {0};
        for (int64_t j = 0; j < ld; j += AS_HEBBFF_LANES)
            for (int l = 0; l < AS_HEBBFF_LANES; l++) acc[l] += (w[j + l] + ar[j + l]) * x[j + l];
        const REAL a = AS_FN(lane_sum_)(acc) + b1[i];
        const REAL h = AS_FN(sigmoid_)(a);
        if (a_out) a_out[i] = a;
        h_out[i] = h;
        if (plastic) AS_FN(plastic_row_)(ar, ar, lam, eta * h, x, ld);
    }
}

/* Backward through one step's plastic state: G(t) = lambda G(t+1) + delta_a(t) x(t)^T, and in the same pass
 * the quantities the previous step needs, v = G(t) x(t-1) and <G(t), A(t-1)> (skipped when Aprev is NULL,
 * i.e. A(t-1) lies in a segment not yet recomputed). Returns the inner product. */
AS_INLINE double AS_FN(backward_rows_)(int64_t M, int64_t ld, REAL* restrict G, const REAL* restrict da,
                                       const REAL* restrict x, const REAL* restrict xprev,
                                       const REAL* restrict Aprev, REAL lam, REAL* restrict v)
{
    double inner = 0;
    for (int64_t i = 0; i < M; i++) {
        REAL* restrict g = G + i * ld;
        const REAL d = da[i];
        REAL accv[AS_HEBBFF_LANES] = {0};
        if (Aprev) {
            const REAL* restrict ap = Aprev + i * ld;
            REAL acca[AS_HEBBFF_LANES] = {0};
            for (int64_t j = 0; j < ld; j += AS_HEBBFF_LANES)
                for (int l = 0; l < AS_HEBBFF_LANES; l++) {
                    const REAL gn = lam * g[j + l] + d * x[j + l];
                    g[j + l] = gn;
                    accv[l] += gn * xprev[j + l];
                    acca[l] += gn * ap[j + l];
                }
            inner += (double)AS_FN(lane_sum_)(acca);
        } else {
            for (int64_t j = 0; j < ld; j += AS_HEBBFF_LANES)
                for (int l = 0; l < AS_HEBBFF_LANES; l++) {
                    const REAL gn = lam * g[j + l] + d * x[j + l];
                    g[j + l] = gn;
                    accv[l] += gn * xprev[j + l];
                }
        }
        v[i] = AS_FN(lane_sum_)(accv);
    }
    return inner;
}

/* <G, A> over the whole matrix with the same lane order as backward_rows_. */
AS_INLINE double AS_FN(inner_)(int64_t M, int64_t ld, const REAL* restrict G, const REAL* restrict A)
{
    double inner = 0;
    for (int64_t i = 0; i < M; i++) {
        REAL acc[AS_HEBBFF_LANES] = {0};
        for (int64_t j = 0; j < ld; j += AS_HEBBFF_LANES)
            for (int l = 0; l < AS_HEBBFF_LANES; l++) acc[l] += G[i * ld + j + l] * A[i * ld + j + l];
        inner += (double)AS_FN(lane_sum_)(acc);
    }
    return inner;
}

/* The output unit: z = W2 . h + b2 in a fixed sequential order, yhat = sigmoid(z). */
AS_INLINE REAL AS_FN(output_)(int64_t M, const REAL* restrict W2, REAL b2, const REAL* restrict h)
{
    REAL z = 0;
    for (int64_t i = 0; i < M; i++) z += W2[i] * h[i];
    return AS_FN(sigmoid_)(z + b2);
}

/* y log(yhat) + (1 - y) log(1 - yhat), each log clamped at >= -100 as PyTorch's binary_cross_entropy does. */
AS_INLINE double AS_FN(log_likelihood_)(REAL yhat, REAL y)
{
    double lp = log((double)yhat), lq = log1p(-(double)yhat);
    if (!(lp >= -100)) lp = lp != lp ? lp : -100;
    if (!(lq >= -100)) lq = lq != lq ? lq : -100;
    return (double)y * lp + (1.0 - (double)y) * lq;
}

/* Clamps lambda in place (the original code clamps the parameter's data before every step) and derives eta. */
AS_INLINE void AS_FN(plastic_scalars_)(const annscope_hebbff* ws, REAL* scalars, REAL* lam, REAL* eta)
{
    if (scalars[1] < 0) scalars[1] = 0;
    if (scalars[1] > 1) scalars[1] = 1;
    *lam = scalars[1];
    switch (ws->plasticity) {
    case ANNSCOPE_PLASTICITY_ANTI: *eta = -EXP(scalars[2]); break;
    case ANNSCOPE_PLASTICITY_HEBB: *eta = EXP(scalars[2]); break;
    case ANNSCOPE_PLASTICITY_FREE: *eta = scalars[2]; break;
    default: *eta = 0; break;
    }
}

static inline void* AS_FN(carve_)(char** cursor, size_t bytes)
{
    void* p = *cursor;
    *cursor += (bytes + 63) / 64 * 64;
    return p;
}

/* Forward, loss and full BPTT of instance b on its training sequence; then the Adam step (adam != 0) or the
 * packed gradient into grad_out. Returns the loss. */
__attribute__((target_clones("avx2", "default")))
static double AS_FN(instance_epoch_)(annscope_hebbff* ws, int64_t b, char* scratch, int adam, int64_t step,
                                     REAL* grad_out)
{
    const int64_t M = ws->M, N = ws->N, ld = ws->ld, T = ws->length[0], S = ws->S, mat = M * ld;
    const size_t mat_bytes = sizeof(REAL) * (size_t)mat;
    const int plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    REAL* p = (REAL*)ws->params + b * ws->pstride;
    REAL *W1 = p, *b1 = p + as_hebbff_off_b1(ws), *W2 = p + as_hebbff_off_w2(ws), *sc = p + as_hebbff_off_scalars(ws);
    REAL lam, eta;
    AS_FN(plastic_scalars_)(ws, sc, &lam, &eta);
    const REAL* X = (const REAL*)ws->x[0] + b * T * ld;
    const REAL* Y = (const REAL*)ws->y[0] + b * T;

    char* cur = scratch;
    REAL* A = AS_FN(carve_)(&cur, mat_bytes);
    REAL* G = AS_FN(carve_)(&cur, mat_bytes);
    REAL* ckpt = AS_FN(carve_)(&cur, (size_t)ws->nseg * mat_bytes);
    REAL* seg = AS_FN(carve_)(&cur, (size_t)(S - 1) * mat_bytes);
    REAL* H = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* D = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* yhat = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T);
    REAL* grad = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)ws->pstride);
    REAL* v = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(4 * M));
    double* gW2 = AS_FN(carve_)(&cur, sizeof(double) * (size_t)(2 * M));
    double* gb1 = gW2 + M;

    /* forward: keep h(t), yhat(t) and A at every segment start */
    memset(A, 0, mat_bytes);
    double loglik = 0;
    for (int64_t t = 0; t < T; t++) {
        if (plastic && t % S == 0) memcpy(ckpt + (t / S) * mat, A, mat_bytes);
        REAL* h = H + t * M;
        AS_FN(forward_step_)(M, ld, W1, A, b1, X + t * ld, lam, eta, plastic, NULL, h);
        yhat[t] = AS_FN(output_)(M, W2, sc[0], h);
        loglik += AS_FN(log_likelihood_)(yhat[t], Y[t]);
    }

    /* backward, segment by segment from the end; v = G(t+1) x(t) and c = <G(t+1), A(t)> carry into step t */
    memset(G, 0, mat_bytes);
    memset(v, 0, sizeof(REAL) * (size_t)M);
    memset(gW2, 0, sizeof(double) * (size_t)(2 * M));
    double gb2 = 0, glam = 0, geta = 0, c = 0;
    int pending = 0; /* c still owes <G(t0), A(t0 - 1)>, computed once the previous segment is rebuilt */
    for (int64_t k = ws->nseg - 1; k >= 0; k--) {
        const int64_t t0 = k * S, t1 = t0 + S < T ? t0 + S : T;
#define AS_SLOT(t) ((t) == t0 ? ckpt + k * mat : seg + ((t) - t0 - 1) * mat)
        if (plastic) {
            for (int64_t t = t0; t + 1 < t1; t++) {
                const REAL* src = AS_SLOT(t);
                REAL* dst = AS_SLOT(t + 1);
                const REAL* h = H + t * M;
                const REAL* x = X + t * ld;
                for (int64_t i = 0; i < M; i++) AS_FN(plastic_row_)(dst + i * ld, src + i * ld, lam, eta * h[i], x, ld);
            }
            if (pending) {
                c = AS_FN(inner_)(M, ld, G, AS_SLOT(t1 - 1));
                pending = 0;
            }
        }
        for (int64_t t = t1 - 1; t >= t0; t--) {
            const REAL dz = (yhat[t] - Y[t]) / (REAL)T;
            const REAL* h = H + t * M;
            REAL* da = D + t * M;
            gb2 += (double)dz;
            glam += c;
            double ge = 0;
            for (int64_t i = 0; i < M; i++) {
                const REAL dh = dz * W2[i] + eta * v[i];
                ge += (double)h[i] * (double)v[i];
                const REAL d = dh * h[i] * ((REAL)1 - h[i]);
                da[i] = d;
                gb1[i] += (double)d;
                gW2[i] += (double)dz * (double)h[i];
            }
            geta += ge;
            if (plastic && t > 0) {
                const REAL* aprev = t - 1 >= t0 ? AS_SLOT(t - 1) : NULL;
                c = AS_FN(backward_rows_)(M, ld, G, da, X + t * ld, X + (t - 1) * ld, aprev, lam, v);
                pending = aprev == NULL;
            }
        }
#undef AS_SLOT
    }

    /* dW1 = sum_t delta_a(t) x(t)^T = D^T X in one GEMM */
    memset(grad, 0, sizeof(REAL) * (size_t)ws->pstride);
    GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (MKL_INT)M, (MKL_INT)ld, (MKL_INT)T, 1, D, (MKL_INT)M, X, (MKL_INT)ld,
         0, grad, (MKL_INT)ld);
    REAL* gs = grad + as_hebbff_off_scalars(ws);
    for (int64_t i = 0; i < M; i++) {
        grad[as_hebbff_off_b1(ws) + i] = (REAL)gb1[i];
        grad[as_hebbff_off_w2(ws) + i] = (REAL)gW2[i];
    }
    gs[0] = (REAL)gb2;
    gs[1] = plastic ? (REAL)glam : 0;
    switch (ws->plasticity) {
    case ANNSCOPE_PLASTICITY_ANTI:
    case ANNSCOPE_PLASTICITY_HEBB: gs[2] = (REAL)(geta * (double)eta); break; /* d eta / d theta = eta */
    case ANNSCOPE_PLASTICITY_FREE: gs[2] = (REAL)geta; break;
    default: gs[2] = 0; break;
    }

    if (adam) {
        /* PyTorch's Adam (no weight decay, no amsgrad); bias corrections in double like its Python scalars */
        const double bc1 = 1.0 - pow(ws->beta1, (double)step), bc2 = 1.0 - pow(ws->beta2, (double)step);
        const REAL step_size = (REAL)(ws->lr / bc1), bc2_sqrt = (REAL)sqrt(bc2), eps = (REAL)ws->eps;
        const REAL w1 = (REAL)(1.0 - ws->beta1), beta2 = (REAL)ws->beta2, w2 = (REAL)(1.0 - ws->beta2);
        REAL* restrict m = (REAL*)ws->adam_m + b * ws->pstride;
        REAL* restrict s = (REAL*)ws->adam_v + b * ws->pstride;
        const int64_t used = as_hebbff_off_scalars(ws) + 3;
        for (int64_t k = 0; k < used; k++) {
            const REAL g = grad[k];
            m[k] = m[k] + w1 * (g - m[k]);
            s[k] = s[k] * beta2 + w2 * (g * g);
            const REAL denom = SQRT(s[k]) / bc2_sqrt + eps;
            p[k] = p[k] - step_size * (m[k] / denom);
        }
    } else if (grad_out) {
        const int64_t P = M * N + 2 * M + 3;
        REAL* out = grad_out + b * P;
        for (int64_t i = 0; i < M; i++) memcpy(out + i * N, grad + i * ld, sizeof(REAL) * (size_t)N);
        memcpy(out + M * N, grad + M * ld, sizeof(REAL) * (size_t)(2 * M + 3));
    }
    return -loglik / (double)T;
}

/* Runs instance b's test sequence from A = 0 and fills its slice of the outputs and its metrics. */
__attribute__((target_clones("avx2", "default")))
static void AS_FN(instance_eval_)(annscope_hebbff* ws, int64_t b, char* scratch, REAL* activations, REAL* hidden,
                                  REAL* outputs, annscope_hebbff_metrics* metrics)
{
    const int64_t M = ws->M, ld = ws->ld, T = ws->length[1], mat = M * ld;
    const int plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    REAL* p = (REAL*)ws->params + b * ws->pstride;
    REAL *W1 = p, *b1 = p + as_hebbff_off_b1(ws), *W2 = p + as_hebbff_off_w2(ws), *sc = p + as_hebbff_off_scalars(ws);
    REAL lam, eta;
    AS_FN(plastic_scalars_)(ws, sc, &lam, &eta);
    const REAL* X = (const REAL*)ws->x[1] + b * T * ld;
    const REAL* Y = (const REAL*)ws->y[1] + b * T;
    char* cur = scratch;
    REAL* A = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)mat);
    REAL* abuf = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)M);
    REAL* hbuf = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)M);
    memset(A, 0, sizeof(REAL) * (size_t)mat);
    double loglik = 0;
    int64_t familiar = 0, hits = 0, false_alarms = 0, correct = 0;
    for (int64_t t = 0; t < T; t++) {
        REAL* a = activations ? activations + (b * T + t) * M : abuf;
        REAL* h = hidden ? hidden + (b * T + t) * M : hbuf;
        AS_FN(forward_step_)(M, ld, W1, A, b1, X + t * ld, lam, eta, plastic, a, h);
        const REAL yh = AS_FN(output_)(M, W2, sc[0], h);
        if (outputs) outputs[b * T + t] = yh;
        loglik += AS_FN(log_likelihood_)(yh, Y[t]);
        const int predicted = yh > (REAL)0.5, actual = Y[t] == 1;
        familiar += actual;
        hits += predicted && actual;
        false_alarms += predicted && !actual;
        correct += predicted == actual;
    }
    if (metrics) {
        const int64_t novel = T - familiar;
        const double tpr = familiar > 0 ? (double)hits / (double)familiar : NAN;
        const double fpr = novel > 0 ? (double)false_alarms / (double)novel : NAN;
        const double f = (double)familiar / (double)T;
        annscope_hebbff_metrics* out = metrics + b;
        out->loss = -loglik / (double)T;
        out->accuracy = (double)correct / (double)T;
        out->tpr = tpr;
        out->fpr = fpr;
        out->balanced_accuracy = (tpr + 1.0 - fpr) / 2.0;
        out->paper_accuracy = (1.0 - f) * tpr + f * (1.0 - fpr);
        out->familiar_fraction = f;
        out->lambda = (double)lam;
        out->eta = (double)eta;
    }
}

int AS_FN(as_hebbff_epoch_)(annscope_context* ctx, annscope_hebbff* ws, int adam, REAL* grad_out, double* loss)
{
    int threads = as_context_threads(ctx);
    if (threads > ws->B) threads = (int)ws->B;
    int status = as_hebbff_reserve_scratch(ws, threads);
    if (status != ANNSCOPE_OK) return status;
    const int64_t step = ws->step + 1;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t b = 0; b < ws->B; b++) {
        double l = AS_FN(instance_epoch_)(ws, b, ws->scratch[omp_get_thread_num()], adam, step, grad_out);
        if (loss) loss[b] = l;
    }
    if (adam) ws->step = step;
    return as_ok();
}

int AS_FN(as_hebbff_evaluate_)(annscope_context* ctx, annscope_hebbff* ws, REAL* activations, REAL* hidden,
                               REAL* outputs, annscope_hebbff_metrics* metrics)
{
    int threads = as_context_threads(ctx);
    if (threads > ws->B) threads = (int)ws->B;
    int status = as_hebbff_reserve_scratch(ws, threads);
    if (status != ANNSCOPE_OK) return status;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t b = 0; b < ws->B; b++)
        AS_FN(instance_eval_)(ws, b, ws->scratch[omp_get_thread_num()], activations, hidden, outputs, metrics);
    return as_ok();
}

#undef AS_INLINE
#undef AS_FN
#undef AS_CAT
#undef AS_CAT2
