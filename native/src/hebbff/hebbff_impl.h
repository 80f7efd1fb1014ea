/* HebbFF kernels, instantiated for float and double by hebbff_kernels.c.
 * Expects: REAL, VEC (a 32-byte vector of REAL), VLANES (its length), SUFFIX (f32/f64), GEMM (cblas_sgemm /
 * cblas_dgemm), EXP and SQRT (expf/exp, sqrtf/sqrt).
 *
 * One instance-epoch runs on one thread, start to end, so its arithmetic is the same for any thread count.
 * Per step the work is a few passes over M x N matrices that stay in cache; each pass is fused so a row is
 * read once (see update_ and backward_rows_). Reductions run over VLANES fixed lanes and
 * are combined in a fixed order, so the result does not depend on the vector width the compiler picked
 * (the AVX2 and the baseline clone of the instance functions agree bit for bit: ISO C mode keeps GCC from
 * contracting a*b+c into FMA; only MKL's GEMM for dW1 chooses its code path by CPU). */
#define AS_CAT2(a, b) a##b
#define AS_CAT(a, b) AS_CAT2(a, b)
#define AS_FN(name) AS_CAT(name, SUFFIX)
#define AS_INLINE static inline __attribute__((always_inline))

AS_INLINE REAL AS_FN(sigmoid_)(REAL a) { return (REAL)1 / ((REAL)1 + EXP(-a)); }

/* Horizontal sum of one lane vector, in a fixed order. */
AS_INLINE REAL AS_FN(hsum_)(VEC v)
{
#if VLANES == 8
    return ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]));
#elif VLANES == 4
    return (v[0] + v[2]) + (v[1] + v[3]);
#else
#error "VLANES must be 4 or 8"
#endif
}

/* hsum_ of four vectors at once — the same additions in the same order, lanes shuffled so that each
 * instruction serves all four — into out[0..3]. */
AS_INLINE void AS_FN(hsum4_)(VEC a, VEC b, VEC c, VEC d, REAL* restrict out)
{
#if VLANES == 8
    const VEC p = AS_SHUFFLE(a, b, 0, 1, 2, 3, 8, 9, 10, 11) + AS_SHUFFLE(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
    const VEC q = AS_SHUFFLE(c, d, 0, 1, 2, 3, 8, 9, 10, 11) + AS_SHUFFLE(c, d, 4, 5, 6, 7, 12, 13, 14, 15);
    const VEC y = AS_SHUFFLE(p, q, 0, 1, 4, 5, 8, 9, 12, 13) + AS_SHUFFLE(p, q, 2, 3, 6, 7, 10, 11, 14, 15);
    for (int r = 0; r < 4; r++) out[r] = y[2 * r] + y[2 * r + 1];
#else
    const VEC p = AS_SHUFFLE(a, b, 0, 1, 4, 5) + AS_SHUFFLE(a, b, 2, 3, 6, 7);
    const VEC q = AS_SHUFFLE(c, d, 0, 1, 4, 5) + AS_SHUFFLE(c, d, 2, 3, 6, 7);
    out[0] = p[0] + p[1];
    out[1] = p[2] + p[3];
    out[2] = q[0] + q[1];
    out[3] = q[2] + q[3];
#endif
}

/* The forward pass is split where a row's work depends on the other rows: the hidden pre-activations need
 * every row's dot product before the sigmoids run (all M at once, so their exp latencies overlap), and row i's
 * plastic update needs only h_i. The updates of step t are fused with the dot products of step t+1, so each row
 * of A (and of its tangent) is read once per step while it is in registers. A row's arithmetic never depends on
 * how rows are blocked or phases fused: the dot products always accumulate (W1 + A) x in lane order k.
 *
 * Training carries the tangent Ad = dA/dlambda forward exactly (forward-mode differentiation for the one scalar
 * lambda): adot = Ad x, hdot = h (1 - h) adot, Ad <- lambda Ad + A + eta hdot x^T (A before its own update).
 * Then dL/dlambda = sum_t dL/dz(t) W2 . hdot(t), and the backward pass never needs A(t). */

/* pre_i = (W1_i + A_i) . x + b1_i and, when Ad is not NULL, dot_i = Ad_i . x; rows in blocks of four. */
AS_INLINE void AS_FN(dots_)(int64_t M, int64_t ld, const REAL* restrict W1, const REAL* restrict A,
                            const REAL* restrict Ad, const REAL* restrict b1, const REAL* restrict x, REAL* restrict pre,
                            REAL* restrict dot)
{
    const int64_t nv = ld / VLANES;
    const VEC* restrict xv = (const VEC*)x;
    int64_t i = 0;
    for (; i + 4 <= M; i += 4) {
        const VEC* w = (const VEC*)(W1 + i * ld);
        const VEC* a = (const VEC*)(A + i * ld);
        VEC s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
        for (int64_t k = 0; k < nv; k++) {
            const VEC xk = xv[k];
            s0 += (w[k] + a[k]) * xk;
            s1 += (w[nv + k] + a[nv + k]) * xk;
            s2 += (w[2 * nv + k] + a[2 * nv + k]) * xk;
            s3 += (w[3 * nv + k] + a[3 * nv + k]) * xk;
        }
        REAL sum[4];
        AS_FN(hsum4_)(s0, s1, s2, s3, sum);
        for (int r = 0; r < 4; r++) pre[i + r] = sum[r] + b1[i + r];
    }
    for (; i < M; i++) {
        const VEC* w = (const VEC*)(W1 + i * ld);
        const VEC* a = (const VEC*)(A + i * ld);
        VEC s = {0};
        for (int64_t k = 0; k < nv; k++) s += (w[k] + a[k]) * xv[k];
        pre[i] = AS_FN(hsum_)(s) + b1[i];
    }
    if (!Ad) return;
    for (i = 0; i + 4 <= M; i += 4) {
        const VEC* ad = (const VEC*)(Ad + i * ld);
        VEC d0 = {0}, d1 = {0}, d2 = {0}, d3 = {0};
        for (int64_t k = 0; k < nv; k++) {
            const VEC xk = xv[k];
            d0 += ad[k] * xk;
            d1 += ad[nv + k] * xk;
            d2 += ad[2 * nv + k] * xk;
            d3 += ad[3 * nv + k] * xk;
        }
        AS_FN(hsum4_)(d0, d1, d2, d3, dot + i);
    }
    for (; i < M; i++) {
        const VEC* ad = (const VEC*)(Ad + i * ld);
        VEC d = {0};
        for (int64_t k = 0; k < nv; k++) d += ad[k] * xv[k];
        dot[i] = AS_FN(hsum_)(d);
    }
}

/* h = sigmoid(pre), all rows (independent exps). */
AS_INLINE void AS_FN(sigmoids_)(int64_t M, const REAL* restrict pre, REAL* restrict h)
{
    for (int64_t i = 0; i < M; i++) h[i] = AS_FN(sigmoid_)(pre[i]);
}

/* The plastic update of every row — A <- lambda A + (eta h_i) x, and in training (Ad not NULL) first its tangent
 * Ad <- lambda Ad + A + (eta hdot_i) x — and, when xn is not NULL, the next step's pre-activations
 * pre_i = (W1_i + A_i) . xn + b1_i (and tangent dots hd_i = Ad_i . xn) from the updated rows. hd holds hdot on
 * entry; pre and hd may be the arrays this step's h and hdot came from. */
AS_INLINE void AS_FN(update_)(int64_t M, int64_t ld, const REAL* restrict W1, REAL* restrict A, REAL* restrict Ad,
                              const REAL* restrict b1, const REAL* restrict x, const REAL* restrict xn, REAL lam, REAL eta,
                              const REAL* restrict h, REAL* restrict hd, REAL* restrict pre)
{
    const int64_t nv = ld / VLANES;
    const VEC* restrict xv = (const VEC*)x;
    const VEC* restrict nx = (const VEC*)xn;
    int64_t i = 0;
    for (; xn && i + 2 <= M; i += 2) {
        const VEC* w = (const VEC*)(W1 + i * ld);
        VEC* a = (VEC*)(A + i * ld);
        VEC* ad = Ad ? (VEC*)(Ad + i * ld) : NULL;
        const REAL e0 = eta * h[i], e1 = eta * h[i + 1], f0 = Ad ? eta * hd[i] : 0, f1 = Ad ? eta * hd[i + 1] : 0;
        VEC s0 = {0}, s1 = {0}, d0 = {0}, d1 = {0};
        for (int64_t k = 0; k < nv; k++) {
            const VEC a0 = a[k], a1 = a[nv + k];
            if (Ad) {
                const VEC t0 = lam * ad[k] + a0 + f0 * xv[k];
                const VEC t1 = lam * ad[nv + k] + a1 + f1 * xv[k];
                ad[k] = t0;
                ad[nv + k] = t1;
                d0 += t0 * nx[k];
                d1 += t1 * nx[k];
            }
            const VEC n0 = lam * a0 + e0 * xv[k];
            const VEC n1 = lam * a1 + e1 * xv[k];
            a[k] = n0;
            a[nv + k] = n1;
            s0 += (w[k] + n0) * nx[k];
            s1 += (w[nv + k] + n1) * nx[k];
        }
        REAL sum[4];
        AS_FN(hsum4_)(s0, s1, d0, d1, sum);
        pre[i] = sum[0] + b1[i];
        pre[i + 1] = sum[1] + b1[i + 1];
        if (Ad) {
            hd[i] = sum[2];
            hd[i + 1] = sum[3];
        }
    }
    for (; i < M; i++) {
        const VEC* w = (const VEC*)(W1 + i * ld);
        VEC* a = (VEC*)(A + i * ld);
        VEC* ad = Ad ? (VEC*)(Ad + i * ld) : NULL;
        const REAL e = eta * h[i], f = Ad ? eta * hd[i] : 0;
        VEC s = {0}, d = {0};
        for (int64_t k = 0; k < nv; k++) {
            const VEC ak = a[k];
            if (Ad) {
                const VEC tk = lam * ad[k] + ak + f * xv[k];
                ad[k] = tk;
                if (xn) d += tk * nx[k];
            }
            const VEC nk = lam * ak + e * xv[k];
            a[k] = nk;
            if (xn) s += (w[k] + nk) * nx[k];
        }
        if (xn) {
            pre[i] = AS_FN(hsum_)(s) + b1[i];
            if (Ad) hd[i] = AS_FN(hsum_)(d);
        }
    }
}

/* Backward through one step's plastic state: G(t) = lambda G(t+1) + delta_a(t) x(t)^T and, in the same pass,
 * v = G(t) x(t-1), which step t-1 needs. Rows in blocks of four for independent accumulators; a row's arithmetic
 * does not depend on the blocking. */
AS_INLINE void AS_FN(backward_row_)(VEC* restrict g, REAL d, const VEC* restrict x, const VEC* restrict xprev,
                                    int64_t nv, REAL lam, REAL* restrict v)
{
    VEC sv = {0};
    for (int64_t k = 0; k < nv; k++) {
        const VEC gn = lam * g[k] + d * x[k];
        g[k] = gn;
        sv += gn * xprev[k];
    }
    *v = AS_FN(hsum_)(sv);
}

AS_INLINE void AS_FN(backward_rows_)(int64_t M, int64_t ld, REAL* restrict G, const REAL* restrict da,
                                     const REAL* restrict x, const REAL* restrict xprev, REAL lam, REAL* restrict v)
{
    const int64_t nv = ld / VLANES;
    const VEC* xv = (const VEC*)x;
    const VEC* pv = (const VEC*)xprev;
    int64_t i = 0;
    for (; i + 4 <= M; i += 4) {
        VEC* g = (VEC*)(G + i * ld);
        const REAL d0 = da[i], d1 = da[i + 1], d2 = da[i + 2], d3 = da[i + 3];
        VEC v0 = {0}, v1 = {0}, v2 = {0}, v3 = {0};
        for (int64_t k = 0; k < nv; k++) {
            const VEC g0 = lam * g[k] + d0 * xv[k];
            const VEC g1 = lam * g[nv + k] + d1 * xv[k];
            const VEC g2 = lam * g[2 * nv + k] + d2 * xv[k];
            const VEC g3 = lam * g[3 * nv + k] + d3 * xv[k];
            g[k] = g0;
            g[nv + k] = g1;
            g[2 * nv + k] = g2;
            g[3 * nv + k] = g3;
            v0 += g0 * pv[k];
            v1 += g1 * pv[k];
            v2 += g2 * pv[k];
            v3 += g3 * pv[k];
        }
        AS_FN(hsum4_)(v0, v1, v2, v3, v + i);
    }
    for (; i < M; i++) AS_FN(backward_row_)((VEC*)(G + i * ld), da[i], xv, pv, nv, lam, v + i);
}

/* The output unit: z = W2 . h + b2 in a fixed sequential order, yhat = sigmoid(z). */
AS_INLINE REAL AS_FN(output_)(int64_t M, const REAL* restrict W2, REAL b2, const REAL* restrict h)
{
    REAL z = 0;
    for (int64_t i = 0; i < M; i++) z += W2[i] * h[i];
    return AS_FN(sigmoid_)(z + b2);
}

/* One step of the backward pass through the output and the sigmoid: delta_a = (dz W2 + eta v) h (1 - h), with
 * db1 += delta_a and dW2 += dz h accumulated in double; returns h^T v = h(t)^T G(t+1) x(t), summed in four
 * interleaved partial sums (a fixed order) so the additions do not wait on each other. */
AS_INLINE double AS_FN(output_backward_)(int64_t M, REAL dz, REAL eta, const REAL* restrict W2, const REAL* restrict h,
                                         const REAL* restrict v, REAL* restrict da, double* restrict gb1,
                                         double* restrict gW2)
{
    for (int64_t i = 0; i < M; i++) {
        const REAL d = (dz * W2[i] + eta * v[i]) * h[i] * ((REAL)1 - h[i]);
        da[i] = d;
        gb1[i] += (double)d;
        gW2[i] += (double)dz * (double)h[i];
    }
    double part[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= M; i += 4)
        for (int r = 0; r < 4; r++) part[r] += (double)h[i + r] * (double)v[i + r];
    for (; i < M; i++) part[0] += (double)h[i] * (double)v[i];
    return (part[0] + part[2]) + (part[1] + part[3]);
}

/* y log(yhat) + (1 - y) log(1 - yhat), each log clamped at >= -100 as PyTorch's binary_cross_entropy does. */
AS_INLINE double AS_FN(log_likelihood_)(REAL yhat, REAL y)
{
    double lp = log((double)yhat), lq = log1p(-(double)yhat);
    if (!(lp >= -100)) lp = lp != lp ? lp : -100;
    if (!(lq >= -100)) lq = lq != lq ? lq : -100;
    return (double)y * lp + (1.0 - (double)y) * lq;
}

/* Clamps lambda in place (the original code clamps the parameter's data before every step, so Adam continues
 * from the clamped value) and derives eta from its parameter. */
AS_INLINE void AS_FN(plastic_scalars_)(const annscope_hebbff* ws, REAL* scalars, REAL* lam, REAL* eta)
{
    if (scalars[1] < 0) scalars[1] = 0;
    if (scalars[1] > 1) scalars[1] = 1;
    *lam = scalars[1];
    switch (ws->plasticity) {
    case ANNSCOPE_PLASTICITY_ANTI: *eta = -EXP(scalars[2]); break;
    case ANNSCOPE_PLASTICITY_HEBB: *eta = EXP(scalars[2]); break;
    default: *eta = scalars[2]; break; /* free; in mode none reported but never used */
    }
}

static inline void* AS_FN(carve_)(char** cursor, size_t bytes)
{
    void* p = *cursor;
    *cursor += (bytes + 63) / 64 * 64;
    return p;
}

/* Forward, loss and the exact gradient of instance b on its training sequence — reverse mode (full BPTT) for
 * W1, b1, W2, b2 and eta, forward mode for lambda, so no A(t) is stored or rebuilt — then the Adam step
 * (adam != 0) or the packed gradient into grad_out. Returns the loss. */
__attribute__((target_clones("avx2", "default")))
static double AS_FN(instance_epoch_)(annscope_hebbff* ws, int64_t b, char* scratch, int adam, int64_t step,
                                     REAL* grad_out)
{
    const int64_t M = ws->M, N = ws->N, ld = ws->ld, T = ws->length[0], mat = M * ld;
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
    REAL* Ad = AS_FN(carve_)(&cur, mat_bytes);
    REAL* G = AS_FN(carve_)(&cur, mat_bytes);
    REAL* H = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* D = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* yhat = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T);
    REAL* grad = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)ws->pstride);
    REAL* v = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(2 * M)); /* G(t+1) x(t); forward scratch */
    double* gW2 = AS_FN(carve_)(&cur, sizeof(double) * (size_t)(2 * M));
    double* gb1 = gW2 + M;

    /* forward: keep h(t) and yhat(t); dL/dlambda accumulates here through the tangent of A */
    memset(A, 0, mat_bytes);
    memset(Ad, 0, mat_bytes);
    REAL* pre = v;      /* per-step scratch until the backward pass needs v */
    REAL* hd = v + M;
    AS_FN(dots_)(M, ld, W1, A, plastic ? Ad : NULL, b1, X, pre, hd);
    double loglik = 0, glam = 0;
    for (int64_t t = 0; t < T; t++) {
        REAL* h = H + t * M;
        const REAL* x = X + t * ld;
        const REAL* xn = t + 1 < T ? x + ld : NULL;
        AS_FN(sigmoids_)(M, pre, h);
        yhat[t] = AS_FN(output_)(M, W2, sc[0], h);
        loglik += AS_FN(log_likelihood_)(yhat[t], Y[t]);
        if (plastic) {
            REAL zdot = 0; /* W2 . hdot(t) */
            for (int64_t i = 0; i < M; i++) {
                hd[i] = h[i] * ((REAL)1 - h[i]) * hd[i];
                zdot += W2[i] * hd[i];
            }
            glam += (double)((yhat[t] - Y[t]) / (REAL)T) * (double)zdot;
            AS_FN(update_)(M, ld, W1, A, Ad, b1, x, xn, lam, eta, h, hd, pre);
        } else if (xn) {
            AS_FN(dots_)(M, ld, W1, A, NULL, b1, xn, pre, NULL);
        }
    }

    /* backward through time; v = G(t+1) x(t) carries into step t */
    memset(G, 0, mat_bytes);
    memset(v, 0, sizeof(REAL) * (size_t)M);
    memset(gW2, 0, sizeof(double) * (size_t)(2 * M));
    const REAL eta_path = plastic ? eta : 0; /* v stays 0 without plasticity; keep a huge eta from making 0 * inf */
    double gb2 = 0, geta = 0;
    for (int64_t t = T - 1; t >= 0; t--) {
        const REAL dz = (yhat[t] - Y[t]) / (REAL)T;
        gb2 += (double)dz;
        geta += AS_FN(output_backward_)(M, dz, eta_path, W2, H + t * M, v, D + t * M, gb1, gW2);
        if (plastic && t > 0) AS_FN(backward_rows_)(M, ld, G, D + t * M, X + t * ld, X + (t - 1) * ld, lam, v);
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
    AS_FN(dots_)(M, ld, W1, A, NULL, b1, X, activations ? activations + b * T * M : abuf, NULL);
    for (int64_t t = 0; t < T; t++) {
        REAL* a = activations ? activations + (b * T + t) * M : abuf;
        REAL* h = hidden ? hidden + (b * T + t) * M : hbuf;
        AS_FN(sigmoids_)(M, a, h);
        const REAL* xn = t + 1 < T ? X + (t + 1) * ld : NULL;
        REAL* a_next = activations && xn ? a + M : abuf;
        if (plastic) AS_FN(update_)(M, ld, W1, A, NULL, b1, X + t * ld, xn, lam, eta, h, NULL, a_next);
        else if (xn) AS_FN(dots_)(M, ld, W1, A, NULL, b1, xn, a_next, NULL);
        const REAL yh = AS_FN(output_)(M, W2, sc[0], h);
        if (outputs) outputs[b * T + t] = yh;
        loglik += AS_FN(log_likelihood_)(yh, Y[t]);
        const int predicted = yh > (REAL)0.5, actual = Y[t] == 1;
        familiar += actual;
        hits += predicted && actual;
        false_alarms += predicted && !actual;
        correct += predicted == actual;
    }
    if (metrics)
        as_hebbff_metrics_of(T, familiar, hits, false_alarms, correct, -loglik / (double)T, (double)lam, (double)eta,
                             metrics + b);
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
