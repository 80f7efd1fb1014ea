/* HebbFF kernels of the MKL backend, instantiated by hebbff_mkl.c for each precision and instruction set.
 * Expects: REAL, VEC (a 32-byte vector of REAL), VLANES (its length), SUFFIX (e.g. f32_avx2), AS_TARGET (the
 * function attribute of the instruction set, or nothing), GEMM (cblas_sgemm / cblas_dgemm), EXP and SQRT
 * (expf/exp, sqrtf/sqrt), AS_ROWS (rows per block).
 *
 * One instance-epoch runs on one thread, start to end, so its arithmetic is the same for any thread count.
 * Row blocks. Row i of the plastic matrix A (and of its tangent and of G) evolves on its own: a_i(t), h_i(t)
 * and row i of A(t+1) need only row i of W1 and A plus x(t), and backwards row i of G(t) and v_i need only
 * row i again; the output unit and the scalar sums are the only places rows meet. So the forward and the
 * backward pass each run a block of AS_ROWS rows through all T steps while the block's rows stay in L1, and
 * the cross-row sums (z(t), W2 . hdot(t), the eta partial sums) accumulate across blocks in ascending row
 * order — the same additions in the same order as a pass over all rows per step, so the result is the same
 * bit for bit as with one block. Reductions run over VLANES fixed lanes and are combined in a fixed order, so
 * the result does not depend on the vector width the compiler picked (the instruction-set variants agree bit
 * for bit: ISO C mode keeps GCC from contracting a*b+c into FMA; only MKL's GEMM for dW1 chooses its code path
 * by CPU). */
#define AS_CAT2(a, b) a##b
#define AS_CAT(a, b) AS_CAT2(a, b)
#define AS_FN(name) AS_CAT(name, SUFFIX)
#define AS_INLINE static inline __attribute__((always_inline)) AS_TARGET

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

/* Within a block, the sigmoids of all its rows run together (their exp latencies overlap), and the updates of
 * step t are fused with the dot products of step t+1, so each row of A (and of its tangent) is read once per
 * step while it is in registers. A row's arithmetic never depends on
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

/* Instance b's inputs of one role as REAL rows: in place, or widened from int8 into `wide` (exact). */
AS_INLINE const REAL* AS_FN(inputs_)(const annscope_hebbff* ws, const mkl_state* st, int role, int64_t b, REAL* wide)
{
    const int64_t n = ws->length[role] * ws->ld;
    if (!st->x_int8[role]) return (const REAL*)st->x[role] + b * n;
    const int8_t* narrow = (const int8_t*)st->x[role] + b * n;
    for (int64_t k = 0; k < n; k++) wide[k] = (REAL)narrow[k];
    return wide;
}

AS_INLINE void* AS_FN(carve_)(char** cursor, size_t bytes)
{
    void* p = *cursor;
    *cursor += (bytes + 63) / 64 * 64;
    return p;
}


/* Forward, loss and the exact gradient of instance b on its training sequence — reverse mode (full BPTT) for
 * W1, b1, W2, b2 and eta, forward mode for lambda, so no A(t) is stored or rebuilt — then the Adam step
 * (adam != 0) or the padded gradient into grad_out (B, pstride). Returns the loss. */
AS_TARGET static double AS_FN(instance_epoch_)(const annscope_hebbff* ws, const mkl_state* st, int64_t b,
                                               char* scratch, int adam, int64_t step, REAL* grad_out)
{
    const int64_t M = ws->M, ld = ws->ld, T = ws->length[0], quad = M / 4 * 4;
    const int plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    REAL* p = (REAL*)st->state[ANNSCOPE_HEBBFF_PARAMS] + b * ws->pstride;
    REAL *W1 = p, *b1 = p + as_hebbff_off_b1(ws), *W2 = p + as_hebbff_off_w2(ws), *sc = p + as_hebbff_off_scalars(ws);
    REAL lam, eta;
    AS_FN(plastic_scalars_)(ws, sc, &lam, &eta);
    const REAL* Y = (const REAL*)st->y[0] + b * T;

    char* cur = scratch;
    const REAL* X = AS_FN(inputs_)(ws, st, 0, b, AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * ld)));
    const size_t block_bytes = sizeof(REAL) * (size_t)(AS_ROWS * ld);
    REAL* A = AS_FN(carve_)(&cur, block_bytes);
    REAL* Ad = AS_FN(carve_)(&cur, block_bytes);
    REAL* G = AS_FN(carve_)(&cur, block_bytes);
    REAL* H = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* D = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* yhat = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T);  /* z(t) until every block has added its rows */
    REAL* zdot = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T);  /* W2 . hdot(t) */
    double* part = AS_FN(carve_)(&cur, sizeof(double) * (size_t)(4 * T)); /* h(t)^T G(t+1) x(t), four partial sums */
    REAL* grad = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)ws->pstride);
    REAL* pre = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(3 * AS_ROWS));
    REAL* hd = pre + AS_ROWS;
    REAL* v = hd + AS_ROWS; /* G(t+1) x(t) in the backward pass */
    double* gW2 = AS_FN(carve_)(&cur, sizeof(double) * (size_t)(2 * M));
    double* gb1 = gW2 + M;

    /* forward, block by block through all T steps: h(t), and the cross-row sums z(t) and W2 . hdot(t) */
    memset(yhat, 0, sizeof(REAL) * (size_t)T);
    memset(zdot, 0, sizeof(REAL) * (size_t)T);
    for (int64_t i0 = 0; i0 < M; i0 += AS_ROWS) {
        const int64_t R = M - i0 < AS_ROWS ? M - i0 : AS_ROWS;
        const REAL *W1b = W1 + i0 * ld, *b1b = b1 + i0, *W2b = W2 + i0;
        memset(A, 0, block_bytes);
        memset(Ad, 0, block_bytes);
        AS_FN(dots_)(R, ld, W1b, A, plastic ? Ad : NULL, b1b, X, pre, hd);
        for (int64_t t = 0; t < T; t++) {
            REAL* h = H + t * M + i0;
            const REAL* x = X + t * ld;
            const REAL* xn = t + 1 < T ? x + ld : NULL;
            AS_FN(sigmoids_)(R, pre, h);
            REAL z = yhat[t];
            for (int64_t r = 0; r < R; r++) z += W2b[r] * h[r];
            yhat[t] = z;
            if (plastic) {
                REAL zd = zdot[t];
                for (int64_t r = 0; r < R; r++) {
                    hd[r] = h[r] * ((REAL)1 - h[r]) * hd[r];
                    zd += W2b[r] * hd[r];
                }
                zdot[t] = zd;
                AS_FN(update_)(R, ld, W1b, A, Ad, b1b, x, xn, lam, eta, h, hd, pre);
            } else if (xn) {
                AS_FN(dots_)(R, ld, W1b, A, NULL, b1b, xn, pre, NULL);
            }
        }
    }
    double loglik = 0, glam = 0;
    for (int64_t t = 0; t < T; t++) {
        yhat[t] = AS_FN(sigmoid_)(yhat[t] + sc[0]);
        loglik += AS_FN(log_likelihood_)(yhat[t], Y[t]);
        if (plastic) glam += (double)((yhat[t] - Y[t]) / (REAL)T) * (double)zdot[t];
    }

    /* backward through time, block by block; v = G(t+1) x(t) carries into step t */
    memset(gW2, 0, sizeof(double) * (size_t)(2 * M));
    memset(part, 0, sizeof(double) * (size_t)(4 * T));
    const REAL eta_path = plastic ? eta : 0; /* v stays 0 without plasticity; keep a huge eta from making 0 * inf */
    for (int64_t i0 = 0; i0 < M; i0 += AS_ROWS) {
        const int64_t R = M - i0 < AS_ROWS ? M - i0 : AS_ROWS;
        memset(G, 0, block_bytes);
        memset(v, 0, sizeof(REAL) * (size_t)AS_ROWS);
        for (int64_t t = T - 1; t >= 0; t--) {
            const REAL dz = (yhat[t] - Y[t]) / (REAL)T;
            const REAL* h = H + t * M + i0;
            REAL* da = D + t * M + i0;
            double* pt = part + 4 * t;
            for (int64_t r = 0; r < R; r++) {
                const int64_t i = i0 + r;
                const REAL d = (dz * W2[i] + eta_path * v[r]) * h[r] * ((REAL)1 - h[r]);
                da[r] = d;
                gb1[i] += (double)d;
                gW2[i] += (double)dz * (double)h[r];
                pt[i < quad ? (i & 3) : 0] += (double)h[r] * (double)v[r];
            }
            if (plastic && t > 0) AS_FN(backward_rows_)(R, ld, G, da, X + t * ld, X + (t - 1) * ld, lam, v);
        }
    }
    double gb2 = 0, geta = 0;
    for (int64_t t = T - 1; t >= 0; t--) {
        gb2 += (double)((yhat[t] - Y[t]) / (REAL)T);
        const double* pt = part + 4 * t;
        geta += (pt[0] + pt[2]) + (pt[1] + pt[3]);
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
        REAL* restrict m = (REAL*)st->state[ANNSCOPE_HEBBFF_ADAM_M] + b * ws->pstride;
        REAL* restrict s = (REAL*)st->state[ANNSCOPE_HEBBFF_ADAM_V] + b * ws->pstride;
        const int64_t used = as_hebbff_off_scalars(ws) + 3;
        for (int64_t k = 0; k < used; k++) {
            const REAL g = grad[k];
            m[k] = m[k] + w1 * (g - m[k]);
            s[k] = s[k] * beta2 + w2 * (g * g);
            const REAL denom = SQRT(s[k]) / bc2_sqrt + eps;
            p[k] = p[k] - step_size * (m[k] / denom);
        }
    } else if (grad_out) {
        memcpy(grad_out + b * ws->pstride, grad, sizeof(REAL) * (size_t)ws->pstride);
    }
    return -loglik / (double)T;
}

/* Runs instance b's test sequence from A = 0, block by block, and fills its slice of the outputs and its metrics. */
AS_TARGET static void AS_FN(instance_eval_)(const annscope_hebbff* ws, const mkl_state* st, int64_t b,
                                            char* scratch, REAL* activations, REAL* hidden, REAL* outputs,
                                            annscope_hebbff_metrics* metrics)
{
    const int64_t M = ws->M, ld = ws->ld, T = ws->length[1];
    const int plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    REAL* p = (REAL*)st->state[ANNSCOPE_HEBBFF_PARAMS] + b * ws->pstride;
    REAL *W1 = p, *b1 = p + as_hebbff_off_b1(ws), *W2 = p + as_hebbff_off_w2(ws), *sc = p + as_hebbff_off_scalars(ws);
    REAL lam, eta;
    AS_FN(plastic_scalars_)(ws, sc, &lam, &eta);
    const REAL* Y = (const REAL*)st->y[1] + b * T;
    char* cur = scratch;
    const REAL* X = AS_FN(inputs_)(ws, st, 1, b, AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * ld)));
    const size_t block_bytes = sizeof(REAL) * (size_t)(AS_ROWS * ld);
    REAL* A = AS_FN(carve_)(&cur, block_bytes);
    REAL* z = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T);
    REAL* pre = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(2 * AS_ROWS));
    REAL* hbuf = pre + AS_ROWS;
    memset(z, 0, sizeof(REAL) * (size_t)T);
    for (int64_t i0 = 0; i0 < M; i0 += AS_ROWS) {
        const int64_t R = M - i0 < AS_ROWS ? M - i0 : AS_ROWS;
        const REAL *W1b = W1 + i0 * ld, *b1b = b1 + i0, *W2b = W2 + i0;
        memset(A, 0, block_bytes);
        AS_FN(dots_)(R, ld, W1b, A, NULL, b1b, X, pre, NULL);
        for (int64_t t = 0; t < T; t++) {
            if (activations) memcpy(activations + (b * T + t) * M + i0, pre, sizeof(REAL) * (size_t)R);
            REAL* h = hidden ? hidden + (b * T + t) * M + i0 : hbuf;
            AS_FN(sigmoids_)(R, pre, h);
            REAL zt = z[t];
            for (int64_t r = 0; r < R; r++) zt += W2b[r] * h[r];
            z[t] = zt;
            const REAL* xn = t + 1 < T ? X + (t + 1) * ld : NULL;
            if (plastic) AS_FN(update_)(R, ld, W1b, A, NULL, b1b, X + t * ld, xn, lam, eta, h, NULL, pre);
            else if (xn) AS_FN(dots_)(R, ld, W1b, A, NULL, b1b, xn, pre, NULL);
        }
    }
    double loglik = 0;
    int64_t familiar = 0, hits = 0, false_alarms = 0, correct = 0;
    for (int64_t t = 0; t < T; t++) {
        const REAL yh = AS_FN(sigmoid_)(z[t] + sc[0]);
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

static int AS_FN(epoch_)(annscope_context* ctx, annscope_hebbff* ws, int adam, void* grad, double* loss, int64_t first,
                        int64_t count)
{
    mkl_state* st = ws->impl;
    int threads = ctx->threads > count ? (int)count : ctx->threads;
    int status = reserve(st, threads);
    if (status != ANNSCOPE_OK) return status;
    const int64_t step = ws->step + 1;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t b = first; b < first + count; b++) {
        double l = AS_FN(instance_epoch_)(ws, st, b, st->scratch[omp_get_thread_num()], adam, step, grad);
        if (loss) loss[b - first] = l;
    }
    return ANNSCOPE_OK;
}

static int AS_FN(evaluate_)(annscope_context* ctx, annscope_hebbff* ws, void* activations, void* hidden, void* outputs,
                            annscope_hebbff_metrics* metrics)
{
    mkl_state* st = ws->impl;
    int threads = ctx->threads > ws->B ? (int)ws->B : ctx->threads;
    int status = reserve(st, threads);
    if (status != ANNSCOPE_OK) return status;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t b = 0; b < ws->B; b++)
        AS_FN(instance_eval_)(ws, st, b, st->scratch[omp_get_thread_num()], activations, hidden, outputs, metrics);
    return ANNSCOPE_OK;
}

#undef AS_INLINE
#undef AS_FN
#undef AS_CAT
#undef AS_CAT2
