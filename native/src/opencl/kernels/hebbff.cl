/* Batched HebbFF (science.md §2–3) on OpenCL: the twin of native/src/hebbff (same workspace layout, same
 * public behaviour, same exact gradient: reverse mode through time for W1, b1, W2, b2 and eta, forward mode
 * for lambda through the tangent Ad = dA/dlambda, so no A(t) history is kept). Built for float32, and for
 * float64 with -DAS_FP64=1; sums the MKL path keeps in double use `acc` (double when the device has
 * cl_khr_fp64, AS_HAS_FP64, else the working precision).
 *
 * Mapping. Every row i of an instance's plastic matrix evolves on its own: a_i(t), h_i(t), row i of A(t+1)
 * and of Ad(t+1) need only row i of W1, A and Ad plus x(t); backwards, row i of G(t) and v_i = G_i x(t-1)
 * need only row i again. So one work-item owns one row of one instance for the whole sequence (global size:
 * rows x instances), and only the output unit, which mixes all rows, runs as a separate step over time
 * steps. An epoch is a handful of launches (scalars, forward, output, backward, dW1, finish, Adam), never
 * one per time step.
 *
 * Arithmetic follows the MKL kernels expression by expression: rows are padded to `ld` (a multiple of 8)
 * and walked in 32-byte lane vectors (8 floats or 4 doubles, as the MKL path's VEC) whose lanes are summed
 * in its fixed order, and contraction into FMA is off, so dot products, plastic and tangent updates and the
 * Adam step round the same way; only exp/log and the order of a few double-precision sums differ. */
#pragma OPENCL FP_CONTRACT OFF
#if defined(AS_FP64) || defined(AS_HAS_FP64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
#ifdef AS_FP64
typedef double real;
typedef double4 vec;
#define AS_LANES 4
#define vload_lanes vload4
#define vstore_lanes vstore4
static real lane_sum(vec v) { return (v.s0 + v.s2) + (v.s1 + v.s3); }
#else
typedef float real;
typedef float8 vec;
#define AS_LANES 8
#define vload_lanes vload8
#define vstore_lanes vstore8
static real lane_sum(vec v) { return ((v.s0 + v.s4) + (v.s2 + v.s6)) + ((v.s1 + v.s5) + (v.s3 + v.s7)); }
#endif
#ifdef AS_HAS_FP64
typedef double acc;
#else
typedef real acc;
#endif
#define LOAD(p, j) vload_lanes(0, (p) + (j))
#define STORE(v, p, j) vstore_lanes((v), 0, (p) + (j))

/* plasticity modes (enum annscope_plasticity) */
#define AS_ANTI 0
#define AS_HEBB 1
#define AS_FREE 2
#define AS_NONE 3

/* per-instance parameter block (stride pstride): W1 (M rows of ld), b1 (M), W2 (M), b2, lambda, eta param */
#define AS_B1(M, ld) ((long)(M) * (ld))
#define AS_W2(M, ld) ((long)(M) * (ld) + (M))
#define AS_SCALARS(M, ld) ((long)(M) * (ld) + 2 * (M))

/* per-row partial sums the backward pass leaves for the finish step */
#define AS_PART_B1 0
#define AS_PART_W2 1
#define AS_PART_ETA 2
#define AS_PARTS 3

static real sigmoid(real a) { return (real)1 / ((real)1 + exp(-a)); }

static acc log_likelihood(real yhat, real y)
{
    acc lp = log((acc)yhat), lq = log1p(-(acc)yhat);
    if (!(lp >= -100)) lp = isnan(lp) ? lp : -100;
    if (!(lq >= -100)) lq = isnan(lq) ? lq : -100;
    return (acc)y * lp + ((acc)1 - (acc)y) * lq;
}

/* Clamps lambda into [0, 1] in place (the original clamps the parameter before every sequence, so Adam
 * continues from the clamped value) and derives eta: scal = (lambda, eta) per instance. */
__kernel void as_hebbff_scalars(__global real* params, long pstride, int M, int ld, int plasticity,
                                __global real* scal)
{
    const long b = get_global_id(0);
    __global real* s = params + b * pstride + AS_SCALARS(M, ld);
    real lam = s[1];
    if (lam < 0) lam = 0;
    if (lam > 1) lam = 1;
    s[1] = lam;
    scal[2 * b] = lam;
    scal[2 * b + 1] = plasticity == AS_ANTI ? -exp(s[2]) : plasticity == AS_HEBB ? exp(s[2]) : s[2];
}

/* Runs the sequence for rows (i, first + lb) from A = 0: h(t) into H (chunk, T, M), a(t) into act when given.
 * With Ad (training, plastic) the lambda tangent runs alongside: hdot(t) = h (1 - h) (Ad x) into Hd,
 * Ad <- lambda Ad + A + (eta hdot) x with A before its own update. A, Ad: (chunk, M, ld). */
__kernel void as_hebbff_forward(__global const real* params, long pstride, int M, int ld,
                                __global const real* scal, __global const real* x, int T, long first, int plastic,
                                __global real* A, __global real* Ad, __global real* H, __global real* Hd,
                                __global real* act)
{
    const int i = get_global_id(0);
    const long lb = get_global_id(1), b = first + lb;
    if (i >= M) return;
    __global const real* p = params + b * pstride;
    __global const real* w = p + (long)i * ld;
    const real b1 = p[AS_B1(M, ld) + i], lam = scal[2 * b], eta = scal[2 * b + 1];
    const int tangent = plastic && Ad;
    __global real* ar = A + (lb * M + i) * ld;
    __global real* dr = tangent ? Ad + (lb * M + i) * ld : ar;
    for (int j = 0; j < ld; j += AS_LANES) {
        STORE((vec)0, ar, j);
        STORE((vec)0, dr, j);
    }
    __global const real* xb = x + b * T * (long)ld;
    for (int t = 0; t < T; t++) {
        __global const real* xt = xb + (long)t * ld;
        vec s = (vec)0, sd = (vec)0;
        for (int j = 0; j < ld; j += AS_LANES) {
            const vec xj = LOAD(xt, j);
            s += (LOAD(w, j) + LOAD(ar, j)) * xj;
            if (tangent) sd += LOAD(dr, j) * xj;
        }
        const real a = lane_sum(s) + b1, h = sigmoid(a);
        const long at = (lb * T + t) * M + i;
        H[at] = h;
        if (act) act[at] = a;
        if (tangent) {
            const real hd = h * ((real)1 - h) * lane_sum(sd), eh = eta * h, ehd = eta * hd;
            Hd[at] = hd;
            for (int j = 0; j < ld; j += AS_LANES) {
                const vec xj = LOAD(xt, j), ak = LOAD(ar, j);
                STORE((vec)lam * LOAD(dr, j) + ak + (vec)ehd * xj, dr, j);
                STORE((vec)lam * ak + (vec)eh * xj, ar, j);
            }
        } else if (plastic) {
            const real eh = eta * h;
            for (int j = 0; j < ld; j += AS_LANES) STORE((vec)lam * LOAD(ar, j) + (vec)eh * LOAD(xt, j), ar, j);
        }
    }
}

/* The output unit at every step: yhat(t) = sigmoid(W2 . h(t) + b2) and its log-likelihood term; with Hd
 * (training, plastic) also lambda's gradient term dL/dz(t) * W2 . hdot(t) into lt. */
__kernel void as_hebbff_output(__global const real* params, long pstride, int M, int ld, __global const real* H,
                               __global const real* Hd, int T, long first, __global const real* y,
                               __global real* yhat, __global acc* ll, __global acc* lt)
{
    const int t = get_global_id(0);
    const long lb = get_global_id(1), b = first + lb;
    if (t >= T) return;
    __global const real* p = params + b * pstride;
    __global const real* w2 = p + AS_W2(M, ld);
    const long at = (lb * T + t) * M;
    real z = 0;
    for (int i = 0; i < M; i++) z += w2[i] * H[at + i];
    const real yh = sigmoid(z + p[AS_SCALARS(M, ld)]), yt = y[b * T + t];
    yhat[lb * T + t] = yh;
    ll[lb * T + t] = log_likelihood(yh, yt);
    if (lt) {
        real zdot = 0;
        if (Hd)
            for (int i = 0; i < M; i++) zdot += w2[i] * Hd[at + i];
        lt[lb * T + t] = (acc)((yh - yt) / (real)T) * (acc)zdot;
    }
}

/* Backpropagation through time for rows (i, first + lb): G(t) = lambda G(t+1) + delta_a(t) x(t)^T and
 * v_i = G_i(t) x(t-1) carry from step t to t-1. Leaves delta_a(t) in D (chunk, T, M) for dW1 and row i's
 * partial sums in part. */
__kernel void as_hebbff_backward(__global const real* params, long pstride, int M, int ld,
                                 __global const real* scal, __global const real* x, __global const real* y, int T,
                                 long first, int plastic, __global const real* H, __global const real* yhat,
                                 __global real* G, __global real* D, __global acc* part)
{
    const int i = get_global_id(0);
    const long lb = get_global_id(1), b = first + lb;
    if (i >= M) return;
    __global const real* p = params + b * pstride;
    /* v stays 0 without plasticity; a zero eta there keeps a huge eta from making 0 * inf */
    const real w2 = p[AS_W2(M, ld) + i], lam = scal[2 * b], eta = plastic ? scal[2 * b + 1] : 0;
    __global const real* xb = x + b * T * (long)ld;
    __global const real* yb = y + b * T;
    __global const real* hb = H + lb * T * (long)M;
    __global const real* yh = yhat + lb * T;
    __global real* g = G + (lb * M + i) * ld;
    for (int j = 0; j < ld; j += AS_LANES) STORE((vec)0, g, j);
    acc gb1 = 0, gw2 = 0, geta = 0;
    real v = 0;
    for (int t = T - 1; t >= 0; t--) {
        const real dz = (yh[t] - yb[t]) / (real)T, h = hb[(long)t * M + i];
        const real d = (dz * w2 + eta * v) * h * ((real)1 - h);
        D[(lb * T + t) * M + i] = d;
        gb1 += (acc)d;
        gw2 += (acc)dz * (acc)h;
        geta += (acc)h * (acc)v;
        if (plastic && t > 0) {
            __global const real* xt = xb + (long)t * ld;
            __global const real* xp = xt - ld;
            vec sv = (vec)0;
            for (int j = 0; j < ld; j += AS_LANES) {
                const vec gn = (vec)lam * LOAD(g, j) + (vec)d * LOAD(xt, j);
                STORE(gn, g, j);
                sv += gn * LOAD(xp, j);
            }
            v = lane_sum(sv);
        }
    }
    __global acc* out = part + (lb * M + i) * AS_PARTS;
    out[AS_PART_B1] = gb1;
    out[AS_PART_W2] = gw2;
    out[AS_PART_ETA] = geta;
}

/* dW1 = sum over t of delta_a(t) x(t)^T: one work-item per (row i, one lane vector of columns, instance),
 * t in order. */
__kernel void as_hebbff_dw1(__global const real* x, int T, int M, int ld, long first, __global const real* D,
                            __global real* grad, long pstride)
{
    const int i = get_global_id(0), j = get_global_id(1) * AS_LANES;
    const long lb = get_global_id(2), b = first + lb;
    if (i >= M) return;
    __global const real* xb = x + b * T * (long)ld + j;
    __global const real* d = D + lb * T * (long)M + i;
    vec sum = (vec)0;
    for (int t = 0; t < T; t++) sum += (vec)d[(long)t * M] * LOAD(xb + (long)t * ld, 0);
    STORE(sum, grad + b * pstride + (long)i * ld, j);
}

/* Per instance: the loss, and the gradient of b1, W2 and the scalars from the per-step terms and the rows'
 * partial sums (lambda's from the forward tangent, eta's from the backward pass). */
__kernel void as_hebbff_finish(__global const real* scal, __global const real* y, int T, int M, int ld,
                               long first, int plasticity, __global const real* yhat, __global const acc* ll,
                               __global const acc* lt, __global const acc* part, __global real* grad, long pstride,
                               __global acc* loss)
{
    const long lb = get_global_id(0), b = first + lb;
    acc loglik = 0, glam = 0, gb2 = 0, geta = 0;
    for (int t = 0; t < T; t++) {
        loglik += ll[lb * T + t];
        glam += lt[lb * T + t];
    }
    for (int t = T - 1; t >= 0; t--) gb2 += (acc)((yhat[lb * T + t] - y[b * T + t]) / (real)T);
    __global real* gr = grad + b * pstride;
    for (int i = 0; i < M; i++) {
        __global const acc* pr = part + (lb * M + i) * AS_PARTS;
        gr[AS_B1(M, ld) + i] = (real)pr[AS_PART_B1];
        gr[AS_W2(M, ld) + i] = (real)pr[AS_PART_W2];
        geta += pr[AS_PART_ETA];
    }
    __global real* gs = gr + AS_SCALARS(M, ld);
    gs[0] = (real)gb2;
    gs[1] = plasticity != AS_NONE ? (real)glam : 0;
    gs[2] = plasticity == AS_ANTI || plasticity == AS_HEBB ? (real)(geta * (acc)scal[2 * b + 1])
          : plasticity == AS_FREE ? (real)geta : 0;
    loss[lb] = -loglik / (acc)T;
}

/* Per instance after an evaluation: the loss and the counts the metrics are made of
 * (familiar, hits, false alarms, correct). */
__kernel void as_hebbff_metrics(__global const real* y, int T, long first, __global const real* yhat,
                                __global const acc* ll, __global acc* loss, __global int* counts)
{
    const long lb = get_global_id(0), b = first + lb;
    acc loglik = 0;
    int familiar = 0, hits = 0, false_alarms = 0, correct = 0;
    for (int t = 0; t < T; t++) {
        loglik += ll[lb * T + t];
        const int predicted = yhat[lb * T + t] > (real)0.5, actual = y[b * T + t] == 1;
        familiar += actual;
        hits += predicted && actual;
        false_alarms += predicted && !actual;
        correct += predicted == actual;
    }
    loss[lb] = -loglik / (acc)T;
    counts[4 * lb] = familiar;
    counts[4 * lb + 1] = hits;
    counts[4 * lb + 2] = false_alarms;
    counts[4 * lb + 3] = correct;
}

/* PyTorch's Adam (no weight decay, no amsgrad) over every used entry of every instance; the bias
 * corrections come from the host in double, as the MKL path computes them. */
__kernel void as_hebbff_adam(__global real* params, __global real* m, __global real* s, __global const real* grad,
                             long pstride, long used, real step_size, real bc2_sqrt, real eps, real w1, real beta2,
                             real w2)
{
    const long k = get_global_id(0), b = get_global_id(1);
    if (k >= used) return;
    const long at = b * pstride + k;
    const real g = grad[at];
    const real mk = m[at] + w1 * (g - m[at]);
    const real sk = s[at] * beta2 + w2 * (g * g);
    m[at] = mk;
    s[at] = sk;
    const real denom = sqrt(sk) / bc2_sqrt + eps;
    params[at] = params[at] - step_size * (mk / denom);
}
