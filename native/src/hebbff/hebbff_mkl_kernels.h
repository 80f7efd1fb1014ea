/* HebbFF kernels of the MKL backend, instantiated by hebbff_mkl.c for each precision and instruction set.
 * Expects: REAL, RVEC (a register-wide vector of VL REALs, one lane per row), VL, RVEC_INT (int32 lanes as wide, float
 * only: the vector sigmoid), SUFFIX (e.g. f32_avx2), AS_TARGET
 * (the function attribute of the instruction set, or nothing), EXP and SQRT (expf/exp, sqrtf/sqrt).
 *
 * One instance-epoch runs on one thread, start to end, so its arithmetic is the same for any thread count.
 * Row blocks, one row per lane. Row i of the plastic matrix A (and of its tangent and of G) evolves on its own:
 * a_i(t), h_i(t) and row i of A(t+1) need only row i of W1 and A plus x(t), and backwards row i of G(t) and v_i need
 * only row i again; the output unit and the scalar sums are the only places rows meet. So a block of 2 VL rows runs
 * through all T steps with its matrices stored by input column (column k of the block is two RVECs), which keeps
 * them in L1 and makes every dot product over k a sum of whole vectors: no horizontal reductions, and each row's
 * arithmetic — its dot products accumulate over k in ascending order — is the same whatever the vector width
 * or the blocking. The cross-row sums (z(t), W2 . hdot(t)) accumulate in ascending row order across blocks, and
 * the per-row gradient sums (dW1 among them, in the backward pass) run over t before rows are added in ascending
 * order. So the instruction-set variants, and any two CPUs, agree bit for bit (ISO C mode keeps GCC from
 * contracting a*b+c into FMA); nothing depends on a library's choice of code path but expf/exp.
 *
 * Training carries the tangent Ad = dA/dlambda forward exactly (forward-mode differentiation for the one scalar
 * lambda): adot = Ad x, hdot = h (1 - h) adot, Ad <- lambda Ad + A + eta hdot x^T (A before its own update).
 * Then dL/dlambda = sum_t dL/dz(t) W2 . hdot(t), and the backward pass never needs A(t). */
#define AS_CAT2(a, b) a##b
#define AS_CAT(a, b) AS_CAT2(a, b)
#define AS_FN(name) AS_CAT(name, SUFFIX)
#define AS_INLINE static inline __attribute__((always_inline)) AS_TARGET

AS_INLINE REAL AS_FN(sigmoid_)(REAL a) { return (REAL)1 / ((REAL)1 + EXP(-a)); }

/* A block of RB = 2 * VL rows is a pair of row vectors: column k of a block matrix is M[2k], M[2k + 1]. GCC keeps a
 * pair of register-wide vectors in registers, where one vector twice as wide went through the stack. */
typedef struct {
    RVEC v[2];
} AS_FN(rpair_);
#define RPAIR AS_FN(rpair_)
#define RB (2 * VL)

/* Lane r of the pair from src[r], r < R; the other lanes 0. */
AS_INLINE RPAIR AS_FN(load_rows_)(const REAL* restrict src, int64_t R)
{
    RPAIR p = {{{0}, {0}}};
    if (R == RB) memcpy(&p, src, sizeof p); /* a whole block: two vector loads, not RB scalar ones */
    else
        for (int64_t r = 0; r < R; r++) p.v[r / VL][r % VL] = src[r];
    return p;
}

AS_INLINE void AS_FN(store_rows_)(RPAIR p, int64_t R, REAL* restrict dst)
{
    if (R == RB) memcpy(dst, &p, sizeof p);
    else
        for (int64_t r = 0; r < R; r++) dst[r] = p.v[r / VL][r % VL];
}

#ifdef RVEC_INT
/* 1 / (1 + e^-a) in every lane at once (float): libm's expf, one call per row and step, cost as much as a tenth of
 * the epoch. e^x as 2^n e^r with n = round(x log2 e), r = x - n ln 2 in two parts, and Cephes' degree-6 polynomial
 * for e^r on |r| <= ln2 / 2 (about 1 ulp); x is clamped to the range where 2^n is a normal float, so a(t) below
 * -88.4 gives 4e-39 where expf would give 0. NaN stays NaN. Lanes never meet, so every variant agrees. */
AS_INLINE RVEC AS_FN(sigmoid_lanes_)(RVEC a)
{
    const RVEC hi = (RVEC){0} + 88.3762626647949f, lo = (RVEC){0} - 87.3365447504f;
    RVEC x = -a;
    RVEC_INT over = x > hi, under = x < lo;
    x = (RVEC)((over & (RVEC_INT)hi) | (~over & (RVEC_INT)x));
    x = (RVEC)((under & (RVEC_INT)lo) | (~under & (RVEC_INT)x));
    const RVEC t = x * 1.44269504088896341f + 12582912.0f; /* 1.5 * 2^23: rounds x log2 e to an integer n */
    const RVEC n = t - 12582912.0f;
    const RVEC r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
    RVEC p = r * 1.9875691500e-4f + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    const RVEC_INT scale = (((RVEC_INT)t - 0x4B400000) + 127) << 23; /* 2^n */
    return 1.0f / (1.0f + p * (RVEC)scale);
}
#endif

/* h_r = sigmoid(pre_r) for the block's R rows, into h and returned as row vectors (padding lanes 0). */
AS_INLINE RPAIR AS_FN(sigmoid_rows_)(RPAIR pre, int64_t R, REAL* restrict h)
{
#ifdef RVEC_INT
    AS_FN(store_rows_)((RPAIR){{AS_FN(sigmoid_lanes_)(pre.v[0]), AS_FN(sigmoid_lanes_)(pre.v[1])}}, R, h);
#else
    for (int64_t r = 0; r < R; r++) h[r] = AS_FN(sigmoid_)(pre.v[r / VL][r % VL]);
#endif
    return AS_FN(load_rows_)(h, R);
}

/* The block's rows of W1, transposed: Wt[2k], Wt[2k + 1] hold input column k of rows i0 .. i0+R, padding lanes 0. */
AS_INLINE void AS_FN(transpose_rows_)(const REAL* restrict W1, int64_t ld, int64_t N, int64_t R, RVEC* restrict Wt)
{
    for (int64_t k = 0; k < N; k++) {
        RVEC w[2] = {{0}, {0}};
        for (int64_t r = 0; r < R; r++) w[r / VL][r % VL] = W1[r * ld + k];
        Wt[2 * k] = w[0];
        Wt[2 * k + 1] = w[1];
    }
}

/* Every dot product over k is two partial sums, over even and over odd k (each ascending), added at the end: half
 * the rounding of one running sum, and two independent chains of additions. */

/* pre = sum_k (W_k + A_k) x_k + b1. */
AS_INLINE RPAIR AS_FN(dots_)(int64_t N, const RVEC* restrict W, const RVEC* restrict A, RPAIR b1, const REAL* restrict x)
{
    RVEC s[2][2] = {{{0}, {0}}, {{0}, {0}}};
    for (int64_t k = 0; k < N; k++) {
        const REAL xk = x[k];
        s[k & 1][0] += (W[2 * k] + A[2 * k]) * xk;
        s[k & 1][1] += (W[2 * k + 1] + A[2 * k + 1]) * xk;
    }
    return (RPAIR){{(s[0][0] + s[1][0]) + b1.v[0], (s[0][1] + s[1][1]) + b1.v[1]}};
}

/* The start of the block of R rows at row i0, in training and evaluation alike: W1's rows transposed into Wt, A
 * cleared, b1 and W2 as row vectors, and the pre-activations of step 0. */
AS_INLINE RPAIR AS_FN(begin_block_)(const REAL* restrict W1, const REAL* restrict b1, const REAL* restrict W2, int64_t ld,
                                    int64_t N, int64_t i0, int64_t R, const REAL* restrict X, RVEC* restrict Wt,
                                    RVEC* restrict A, RPAIR* b1v, RPAIR* W2v)
{
    *W2v = AS_FN(load_rows_)(W2 + i0, R);
    *b1v = AS_FN(load_rows_)(b1 + i0, R);
    AS_FN(transpose_rows_)(W1 + i0 * ld, ld, N, R, Wt);
    memset(A, 0, 2 * sizeof(RVEC) * (size_t)N);
    return AS_FN(dots_)(N, Wt, A, *b1v, X);
}

/* One column k of the plastic update (see update_): its tangent, then A, and their products with xn_k added to the
 * partial sums d and s. */
AS_INLINE void AS_FN(update_column_)(const RVEC* restrict W, RVEC* restrict A, RVEC* restrict Ad, int64_t k, REAL xk,
                                     REAL nk, REAL lam, RVEC e0, RVEC e1, RVEC f0, RVEC f1, RVEC* s, RVEC* d)
{
    const RVEC a0 = A[2 * k], a1 = A[2 * k + 1];
    if (Ad) {
        const RVEC t0 = lam * Ad[2 * k] + a0 + f0 * xk;
        const RVEC t1 = lam * Ad[2 * k + 1] + a1 + f1 * xk;
        Ad[2 * k] = t0;
        Ad[2 * k + 1] = t1;
        d[0] += t0 * nk;
        d[1] += t1 * nk;
    }
    const RVEC n0 = lam * a0 + e0 * xk;
    const RVEC n1 = lam * a1 + e1 * xk;
    A[2 * k] = n0;
    A[2 * k + 1] = n1;
    s[0] += (W[2 * k] + n0) * nk;
    s[1] += (W[2 * k + 1] + n1) * nk;
}

/* The plastic update of step t for the next step xn — A <- lambda A + e x^T with e = eta h(t), and in training (Ad
 * not NULL) first its tangent Ad <- lambda Ad + A + f x^T with f = eta hdot(t) — fused with the next step's
 * pre-activations pre = (W + A) xn + b1 and tangent dots hd = Ad xn, so each column of the block is read once per
 * step. (After the last step A(T) would serve nothing; callers do not update it.) */
AS_INLINE void AS_FN(update_)(int64_t N, const RVEC* restrict W, RVEC* restrict A, RVEC* restrict Ad, RPAIR b1,
                              const REAL* restrict x, const REAL* restrict xn, REAL lam, RPAIR e, RPAIR f, RPAIR* pre,
                              RPAIR* hd)
{
    const RVEC e0 = e.v[0], e1 = e.v[1], f0 = f.v[0], f1 = f.v[1];
    RVEC s[2][2] = {{{0}, {0}}, {{0}, {0}}}, d[2][2] = {{{0}, {0}}, {{0}, {0}}};
    int64_t k = 0;
    for (; k + 2 <= N; k += 2) {
        AS_FN(update_column_)(W, A, Ad, k, x[k], xn[k], lam, e0, e1, f0, f1, s[0], d[0]);
        AS_FN(update_column_)(W, A, Ad, k + 1, x[k + 1], xn[k + 1], lam, e0, e1, f0, f1, s[1], d[1]);
    }
    if (k < N) AS_FN(update_column_)(W, A, Ad, k, x[k], xn[k], lam, e0, e1, f0, f1, s[0], d[0]);
    *pre = (RPAIR){{(s[0][0] + s[1][0]) + b1.v[0], (s[0][1] + s[1][1]) + b1.v[1]}};
    if (Ad) *hd = (RPAIR){{d[0][0] + d[1][0], d[0][1] + d[1][1]}};
}

/* Backward through one step: dW1's rows gain delta_a(t) x(t)^T in GW (one of two sums, over even and odd t), and,
 * when xprev is not NULL, G(t) = lambda G(t+1) + delta_a(t) x(t)^T and, in the same pass, v = G(t) x(t-1), which step
 * t-1 needs (two partial sums, even and odd k, as every dot product here). */
AS_INLINE RPAIR AS_FN(backward_)(int64_t N, RVEC* restrict G, RVEC* restrict GW, RPAIR da, const REAL* restrict x,
                                 const REAL* restrict xprev, REAL lam)
{
    const RVEC d0 = da.v[0], d1 = da.v[1];
    RVEC s0 = {0}, s1 = {0};
    if (!xprev) {
        for (int64_t k = 0; k < N; k++) {
            GW[2 * k] += d0 * x[k];
            GW[2 * k + 1] += d1 * x[k];
        }
        return (RPAIR){{s0, s1}};
    }
    RVEC u0 = {0}, u1 = {0};
    int64_t k = 0;
    for (; k + 2 <= N; k += 2) {
        const RVEC p0 = d0 * x[k], p1 = d1 * x[k], q0 = d0 * x[k + 1], q1 = d1 * x[k + 1];
        GW[2 * k] += p0;
        GW[2 * k + 1] += p1;
        GW[2 * k + 2] += q0;
        GW[2 * k + 3] += q1;
        const RVEC g0 = lam * G[2 * k] + p0;
        const RVEC g1 = lam * G[2 * k + 1] + p1;
        const RVEC h0 = lam * G[2 * k + 2] + q0;
        const RVEC h1 = lam * G[2 * k + 3] + q1;
        G[2 * k] = g0;
        G[2 * k + 1] = g1;
        G[2 * k + 2] = h0;
        G[2 * k + 3] = h1;
        s0 += g0 * xprev[k];
        s1 += g1 * xprev[k];
        u0 += h0 * xprev[k + 1];
        u1 += h1 * xprev[k + 1];
    }
    if (k < N) {
        const RVEC p0 = d0 * x[k], p1 = d1 * x[k];
        GW[2 * k] += p0;
        GW[2 * k + 1] += p1;
        const RVEC g0 = lam * G[2 * k] + p0;
        const RVEC g1 = lam * G[2 * k + 1] + p1;
        G[2 * k] = g0;
        G[2 * k + 1] = g1;
        s0 += g0 * xprev[k];
        s1 += g1 * xprev[k];
    }
    return (RPAIR){{s0 + u0, s1 + u1}};
}

/* The cross-row sum of w_r h_r for the block's rows as four running sums, one per row index mod 4 (rows ascending
 * within each): acc[q] continues across blocks (whose first rows are multiples of 4), so the order depends on neither
 * the block size nor the vector width, and the four chains of additions run side by side. Only groups of four holding
 * a real row are added. z = (acc0 + acc1) + (acc2 + acc3) when every block is in. */
AS_INLINE void AS_FN(row_sums_)(RPAIR w, RPAIR h, int64_t R, REAL* restrict acc)
{
    REAL prod[RB];
    const RPAIR p = {{w.v[0] * h.v[0], w.v[1] * h.v[1]}};
    memcpy(prod, &p, sizeof prod);
    REAL a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    for (int64_t g = 0; g < R; g += 4) {
        a0 += prod[g];
        a1 += prod[g + 1];
        a2 += prod[g + 2];
        a3 += prod[g + 3];
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
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
    const int64_t M = ws->M, N = ws->N, ld = ws->ld, T = ws->length[0];
    const int plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    REAL* p = (REAL*)st->state[ANNSCOPE_HEBBFF_PARAMS] + b * ws->pstride;
    REAL *W1 = p, *b1 = p + as_hebbff_off_b1(ws), *W2 = p + as_hebbff_off_w2(ws), *sc = p + as_hebbff_off_scalars(ws);
    REAL lam, eta;
    AS_FN(plastic_scalars_)(ws, sc, &lam, &eta);
    const REAL* Y = (const REAL*)st->y[0] + b * T;

    char* cur = scratch;
    const REAL* X = AS_FN(inputs_)(ws, st, 0, b, AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * ld)));
    const size_t block_bytes = 2 * sizeof(RVEC) * (size_t)N;
    RVEC* Wt = AS_FN(carve_)(&cur, block_bytes);
    RVEC* A = AS_FN(carve_)(&cur, block_bytes);
    RVEC* Ad = AS_FN(carve_)(&cur, block_bytes);
    RVEC* G = AS_FN(carve_)(&cur, block_bytes);
    RVEC* GW = AS_FN(carve_)(&cur, 2 * block_bytes); /* dW1 of the block's rows, over even t and over odd t */
    REAL* H = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * M));
    REAL* yhat = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T);
    REAL* zdot = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)T); /* W2 . hdot(t) */
    REAL* zsums = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(8 * T)); /* row_sums_ of z(t), then of W2 . hdot(t) */
    REAL* grad = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)ws->pstride);
    double* gW2 = AS_FN(carve_)(&cur, sizeof(double) * (size_t)(3 * M));
    double* gb1 = gW2 + M;
    double* gEta = gb1 + M; /* sum_t h_i(t) (G(t+1) x(t))_i per row */

    /* forward, block by block through all T steps: h(t), and the cross-row sums z(t) and W2 . hdot(t) */
    memset(zsums, 0, sizeof(REAL) * (size_t)(8 * T));
    for (int64_t i0 = 0; i0 < M; i0 += RB) {
        const int64_t R = M - i0 < RB ? M - i0 : RB;
        RPAIR b1v, W2v, hd = {{{0}, {0}}};
        RPAIR pre = AS_FN(begin_block_)(W1, b1, W2, ld, N, i0, R, X, Wt, A, &b1v, &W2v);
        memset(Ad, 0, block_bytes);
        for (int64_t t = 0; t < T; t++) {
            REAL* h = H + t * M + i0;
            const RPAIR hv = AS_FN(sigmoid_rows_)(pre, R, h);
            AS_FN(row_sums_)(W2v, hv, R, zsums + 8 * t);
            const REAL* xn = t + 1 < T ? X + (t + 1) * ld : NULL;
            if (plastic) {
                for (int j = 0; j < 2; j++) hd.v[j] = hv.v[j] * ((REAL)1 - hv.v[j]) * hd.v[j];
                AS_FN(row_sums_)(W2v, hd, R, zsums + 8 * t + 4);
                if (xn) {
                    const RPAIR e = {{eta * hv.v[0], eta * hv.v[1]}}, f = {{eta * hd.v[0], eta * hd.v[1]}};
                    AS_FN(update_)(N, Wt, A, Ad, b1v, X + t * ld, xn, lam, e, f, &pre, &hd);
                }
            } else if (xn) {
                pre = AS_FN(dots_)(N, Wt, A, b1v, xn);
            }
        }
    }
    double loglik = 0, glam = 0;
    for (int64_t t = 0; t < T; t++) {
        const REAL* zs = zsums + 8 * t;
        zdot[t] = (zs[4] + zs[5]) + (zs[6] + zs[7]);
        yhat[t] = AS_FN(sigmoid_)(((zs[0] + zs[1]) + (zs[2] + zs[3])) + sc[0]);
        loglik += AS_FN(log_likelihood_)(yhat[t], Y[t]);
        if (plastic) glam += (double)((yhat[t] - Y[t]) / (REAL)T) * (double)zdot[t];
    }

    /* backward through time, block by block; v = G(t+1) x(t) carries into step t */
    memset(gW2, 0, sizeof(double) * (size_t)(3 * M));
    memset(grad, 0, sizeof(REAL) * (size_t)ws->pstride); /* W1's padding columns stay 0 */
    const REAL eta_path = plastic ? eta : 0; /* v stays 0 without plasticity; keep a huge eta from making 0 * inf */
    for (int64_t i0 = 0; i0 < M; i0 += RB) {
        const int64_t R = M - i0 < RB ? M - i0 : RB;
        const RPAIR W2v = AS_FN(load_rows_)(W2 + i0, R);
        memset(G, 0, block_bytes);
        memset(GW, 0, 2 * block_bytes);
        RPAIR v = {{{0}, {0}}};
        double sb1[RB] = {0}, sW2[RB] = {0}, sEta[RB] = {0}; /* the block's rows' sums over t */
        for (int64_t t = T - 1; t >= 0; t--) {
            const REAL dz = (yhat[t] - Y[t]) / (REAL)T;
            const RPAIR hv = AS_FN(load_rows_)(H + t * M + i0, R);
            RPAIR da;
            for (int j = 0; j < 2; j++)
                da.v[j] = (dz * W2v.v[j] + eta_path * v.v[j]) * hv.v[j] * ((REAL)1 - hv.v[j]);
            REAL dr[RB], hr[RB], vr[RB];
            memcpy(dr, &da, sizeof dr);
            memcpy(hr, &hv, sizeof hr);
            memcpy(vr, &v, sizeof vr);
            for (int r = 0; r < RB; r++) {
                sb1[r] += (double)dr[r];
                sW2[r] += (double)dz * (double)hr[r];
                sEta[r] += (double)hr[r] * (double)vr[r];
            }
            const REAL* xprev = plastic && t > 0 ? X + (t - 1) * ld : NULL;
            v = AS_FN(backward_)(N, G, GW + (t & 1) * 2 * N, da, X + t * ld, xprev, lam);
        }
        for (int64_t r = 0; r < R; r++) {
            gb1[i0 + r] = sb1[r];
            gW2[i0 + r] = sW2[r];
            gEta[i0 + r] = sEta[r];
        }
        for (int64_t k = 0; k < N; k++) {
            const RPAIR w = {{GW[2 * k] + GW[2 * N + 2 * k], GW[2 * k + 1] + GW[2 * N + 2 * k + 1]}};
            for (int64_t r = 0; r < R; r++) grad[(i0 + r) * ld + k] = w.v[r / VL][r % VL];
        }
    }
    double gb2 = 0, geta = 0;
    for (int64_t t = T - 1; t >= 0; t--) gb2 += (double)((yhat[t] - Y[t]) / (REAL)T);
    for (int64_t i = 0; i < M; i++) geta += gEta[i];

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
    const int64_t M = ws->M, N = ws->N, ld = ws->ld, T = ws->length[1];
    const int plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    REAL* p = (REAL*)st->state[ANNSCOPE_HEBBFF_PARAMS] + b * ws->pstride;
    REAL *W1 = p, *b1 = p + as_hebbff_off_b1(ws), *W2 = p + as_hebbff_off_w2(ws), *sc = p + as_hebbff_off_scalars(ws);
    REAL lam, eta;
    AS_FN(plastic_scalars_)(ws, sc, &lam, &eta);
    const REAL* Y = (const REAL*)st->y[1] + b * T;
    char* cur = scratch;
    const REAL* X = AS_FN(inputs_)(ws, st, 1, b, AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(T * ld)));
    const size_t block_bytes = 2 * sizeof(RVEC) * (size_t)N;
    RVEC* Wt = AS_FN(carve_)(&cur, block_bytes);
    RVEC* A = AS_FN(carve_)(&cur, block_bytes);
    REAL* zsums = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)(4 * T)); /* row_sums_ of z(t) */
    REAL* hbuf = AS_FN(carve_)(&cur, sizeof(REAL) * (size_t)RB);
    memset(zsums, 0, sizeof(REAL) * (size_t)(4 * T));
    for (int64_t i0 = 0; i0 < M; i0 += RB) {
        const int64_t R = M - i0 < RB ? M - i0 : RB;
        RPAIR b1v, W2v;
        RPAIR pre = AS_FN(begin_block_)(W1, b1, W2, ld, N, i0, R, X, Wt, A, &b1v, &W2v);
        for (int64_t t = 0; t < T; t++) {
            if (activations) AS_FN(store_rows_)(pre, R, activations + (b * T + t) * M + i0);
            REAL* h = hidden ? hidden + (b * T + t) * M + i0 : hbuf;
            const RPAIR hv = AS_FN(sigmoid_rows_)(pre, R, h);
            AS_FN(row_sums_)(W2v, hv, R, zsums + 4 * t);
            const REAL* xn = t + 1 < T ? X + (t + 1) * ld : NULL;
            if (!xn) continue;
            if (plastic) {
                const RPAIR e = {{eta * hv.v[0], eta * hv.v[1]}};
                AS_FN(update_)(N, Wt, A, NULL, b1v, X + t * ld, xn, lam, e, e, &pre, NULL);
            } else {
                pre = AS_FN(dots_)(N, Wt, A, b1v, xn);
            }
        }
    }
    double loglik = 0;
    int64_t familiar = 0, hits = 0, false_alarms = 0, correct = 0;
    for (int64_t t = 0; t < T; t++) {
        const REAL* zs = zsums + 4 * t;
        const REAL yh = AS_FN(sigmoid_)(((zs[0] + zs[1]) + (zs[2] + zs[3])) + sc[0]);
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

#undef RB
#undef RPAIR
#undef AS_INLINE
#undef AS_FN
#undef AS_CAT
#undef AS_CAT2
