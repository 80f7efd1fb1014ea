/* Batched HebbFF (science.md §2–3) on OpenCL: the twin of native/src/hebbff (same workspace layout, same
 * public behaviour). Built for float32, and for float64 with -DAS_FP64=1; sums that the MKL path keeps in
 * double use `acc` (double when the device has cl_khr_fp64, AS_HAS_FP64, else the working precision).
 *
 * Mapping. Every row i of an instance's plastic matrix A evolves on its own: a_i(t), h_i(t) and row i of
 * A(t+1) need only row i of W1 and A plus x(t); backwards, row i of G(t), v_i = G_i x(t-1) and row i's part
 * of <G, A> need only row i again. So one work-item owns one row of one instance for the whole sequence
 * (global size: rows x instances), and only the output unit, which mixes all rows, runs as a separate
 * step. An epoch is a handful of launches (scalars, forward, output, backward, dW1, finish, Adam), never
 * one per time step.
 *
 * Arithmetic follows the MKL kernels expression by expression: rows are padded to `ld` (a multiple of 8)
 * and walked in 8-lane vectors whose lanes are summed in the MKL path's fixed order, and contraction into
 * FMA is off, so the dot products, plastic updates, recomputed checkpoints and Adam step round the same
 * way; only exp/log and the order of a few double-precision sums differ. The forward pass and the
 * segment recomputation share one update expression (plastic_row), so A(t) is rebuilt bit for bit. */
#pragma OPENCL FP_CONTRACT OFF
#if defined(AS_FP64) || defined(AS_HAS_FP64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
#ifdef AS_FP64
typedef double real;
typedef double8 real8;
#else
typedef float real;
typedef float8 real8;
#endif
#ifdef AS_HAS_FP64
typedef double acc;
#else
typedef real acc;
#endif

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
#define AS_PART_LAMBDA 2
#define AS_PART_ETA 3
#define AS_PARTS 4

static real lane_sum(real8 v) { return ((v.s0 + v.s4) + (v.s2 + v.s6)) + ((v.s1 + v.s5) + (v.s3 + v.s7)); }

static real sigmoid(real a) { return (real)1 / ((real)1 + exp(-a)); }

/* dst = lambda src + (eta h_i) x over one padded row; dst may equal src */
static void plastic_row(__global real* dst, __global const real* src, real lam, real eh, __global const real* x,
                        int ld)
{
    for (int j = 0; j < ld; j += 8)
        vstore8((real8)lam * vload8(0, src + j) + (real8)eh * vload8(0, x + j), 0, dst + j);
}

static acc log_likelihood(real yhat, real y)
{
    acc lp = log((acc)yhat), lq = log1p(-(acc)yhat);
    if (!(lp >= -100)) lp = isnan(lp) ? lp : -100;
    if (!(lq >= -100)) lq = isnan(lq) ? lq : -100;
    return (acc)y * lp + ((acc)1 - (acc)y) * lq;
}

/* Clamps lambda into [0, 1] in place (the original clamps the parameter before every sequence) and derives
 * eta: scal = (lambda, eta) per instance. One work-item per instance. */
__kernel void as_hebbff_scalars(__global real* params, long pstride, int M, int ld, int plasticity,
                                __global real* scal)
{
    const long b = get_global_id(0);
    __global real* s = params + b * pstride + AS_SCALARS(M, ld);
    real lam = s[1];
    if (lam < 0) lam = 0;
    if (lam > 1) lam = 1;
    s[1] = lam;
    real eta = plasticity == AS_ANTI ? -exp(s[2]) : plasticity == AS_HEBB ? exp(s[2]) : plasticity == AS_FREE ? s[2] : 0;
    scal[2 * b] = lam;
    scal[2 * b + 1] = eta;
}

/* Runs the sequence for rows (i, first + lb): h(t) into H (chunk, T, M); a(t) into act when given; with
 * ckpt, A at every multiple of S (training). A: this chunk's plastic matrices, (chunk, M, ld). */
__kernel void as_hebbff_forward(__global const real* params, long pstride, int M, int ld,
                                __global const real* scal, __global const real* x, int T, int S, int nseg,
                                long first, int plastic, __global real* A, __global real* ckpt,
                                __global real* H, __global real* act)
{
    const int i = get_global_id(0);
    const long lb = get_global_id(1), b = first + lb;
    if (i >= M) return;
    __global const real* p = params + b * pstride;
    __global const real* w = p + (long)i * ld;
    const real b1 = p[AS_B1(M, ld) + i], lam = scal[2 * b], eta = scal[2 * b + 1];
    __global real* arow = A + (lb * M + i) * ld;
    for (int j = 0; j < ld; j += 8) vstore8((real8)0, 0, arow + j);
    __global const real* xb = x + b * T * (long)ld;
    for (int t = 0; t < T; t++) {
        __global const real* xt = xb + (long)t * ld;
        if (ckpt && plastic && t % S == 0) {
            __global real* c = ckpt + ((lb * nseg + t / S) * M + i) * ld;
            for (int j = 0; j < ld; j += 8) vstore8(vload8(0, arow + j), 0, c + j);
        }
        real8 sum = (real8)0;
        for (int j = 0; j < ld; j += 8) sum += (vload8(0, w + j) + vload8(0, arow + j)) * vload8(0, xt + j);
        const real a = lane_sum(sum) + b1, h = sigmoid(a);
        H[(lb * T + t) * M + i] = h;
        if (act) act[(lb * T + t) * M + i] = a;
        if (plastic) plastic_row(arow, arow, lam, eta * h, xt, ld);
    }
}

/* The output unit at every step: yhat(t) = sigmoid(W2 . h(t) + b2) and its log-likelihood term. */
__kernel void as_hebbff_output(__global const real* params, long pstride, int M, int ld, __global const real* H,
                               int T, long first, __global const real* y, __global real* yhat, __global acc* ll)
{
    const int t = get_global_id(0);
    const long lb = get_global_id(1), b = first + lb;
    if (t >= T) return;
    __global const real* p = params + b * pstride;
    __global const real* w2 = p + AS_W2(M, ld);
    __global const real* h = H + (lb * T + t) * M;
    real z = 0;
    for (int i = 0; i < M; i++) z += w2[i] * h[i];
    const real yh = sigmoid(z + p[AS_SCALARS(M, ld)]);
    yhat[lb * T + t] = yh;
    ll[lb * T + t] = log_likelihood(yh, y[b * T + t]);
}

/* Full BPTT for rows (i, first + lb), segment by segment from the end: A(t0+1 .. t1-1) is recomputed from the
 * checkpoint A(t0) with the forward pass's own update; G, v and c = <G(t+1), A(t)> (row i's part) carry from
 * step t+1 to t. Leaves delta_a(t) in D (chunk, T, M) for dW1 and row i's partial sums in part. */
__kernel void as_hebbff_backward(__global const real* params, long pstride, int M, int ld,
                                 __global const real* scal, __global const real* x, __global const real* y,
                                 int T, int S, int nseg, long first, int plastic, __global const real* H,
                                 __global const real* yhat, __global const real* ckpt, __global real* seg,
                                 __global real* G, __global real* D, __global acc* part)
{
    const int i = get_global_id(0);
    const long lb = get_global_id(1), b = first + lb;
    if (i >= M) return;
    __global const real* p = params + b * pstride;
    const real w2 = p[AS_W2(M, ld) + i], lam = scal[2 * b], eta = scal[2 * b + 1];
    __global const real* xb = x + b * T * (long)ld;
    __global const real* yb = y + b * T;
    __global const real* hb = H + lb * T * (long)M;
    __global const real* yh = yhat + lb * T;
    __global real* g = G + (lb * M + i) * ld;
    for (int j = 0; j < ld; j += 8) vstore8((real8)0, 0, g + j);
    acc gb1 = 0, gw2 = 0, glam = 0, geta = 0;
    real v = 0, c = 0;
    int pending = 0; /* c still owes row i of <G(t0), A(t0 - 1)>, computed once the previous segment is rebuilt */
    const long stride = (long)M * ld; /* between consecutive A(t) slots of one instance */
    for (int k = nseg - 1; k >= 0; k--) {
        const int t0 = k * S, t1 = t0 + S < T ? t0 + S : T;
        __global const real* start = ckpt + ((lb * nseg + k) * M + i) * ld;
        __global real* slots = seg + (lb * (S - 1) * M + i) * (long)ld; /* A(t0 + 1 + s) at slots + s * stride */
#define AS_SLOT(t) ((t) == t0 ? start : slots + (long)((t) - t0 - 1) * stride)
        if (plastic) {
            for (int t = t0; t + 1 < t1; t++)
                plastic_row(slots + (long)(t - t0) * stride, AS_SLOT(t), lam, eta * hb[(long)t * M + i],
                            xb + (long)t * ld, ld);
            if (pending) {
                __global const real* a = AS_SLOT(t1 - 1);
                real8 sum = (real8)0;
                for (int j = 0; j < ld; j += 8) sum += vload8(0, g + j) * vload8(0, a + j);
                c = lane_sum(sum);
                pending = 0;
            }
        }
        for (int t = t1 - 1; t >= t0; t--) {
            const real dz = (yh[t] - yb[t]) / (real)T, h = hb[(long)t * M + i];
            glam += (acc)c;
            const real dh = dz * w2 + eta * v;
            geta += (acc)h * (acc)v;
            const real d = dh * h * ((real)1 - h);
            D[(lb * T + t) * M + i] = d;
            gb1 += (acc)d;
            gw2 += (acc)dz * (acc)h;
            if (plastic && t > 0) {
                __global const real* xt = xb + (long)t * ld;
                __global const real* xp = xt - ld;
                real8 sv = (real8)0, sa = (real8)0;
                if (t - 1 >= t0) {
                    __global const real* ap = AS_SLOT(t - 1);
                    for (int j = 0; j < ld; j += 8) {
                        const real8 gn = (real8)lam * vload8(0, g + j) + (real8)d * vload8(0, xt + j);
                        vstore8(gn, 0, g + j);
                        sv += gn * vload8(0, xp + j);
                        sa += gn * vload8(0, ap + j);
                    }
                    c = lane_sum(sa);
                    pending = 0;
                } else {
                    for (int j = 0; j < ld; j += 8) {
                        const real8 gn = (real8)lam * vload8(0, g + j) + (real8)d * vload8(0, xt + j);
                        vstore8(gn, 0, g + j);
                        sv += gn * vload8(0, xp + j);
                    }
                    pending = 1;
                }
                v = lane_sum(sv);
            }
        }
#undef AS_SLOT
    }
    __global acc* out = part + (lb * M + i) * AS_PARTS;
    out[AS_PART_B1] = gb1;
    out[AS_PART_W2] = gw2;
    out[AS_PART_LAMBDA] = glam;
    out[AS_PART_ETA] = geta;
}

/* dW1 = sum over t of delta_a(t) x(t)^T: one work-item per (row i, 8 columns, instance), t in order. */
__kernel void as_hebbff_dw1(__global const real* x, int T, int M, int ld, long first, __global const real* D,
                            __global real* grad, long pstride)
{
    const int i = get_global_id(0), j = get_global_id(1) * 8;
    const long lb = get_global_id(2), b = first + lb;
    if (i >= M) return;
    __global const real* xb = x + b * T * (long)ld + j;
    __global const real* d = D + lb * T * (long)M + i;
    real8 sum = (real8)0;
    for (int t = 0; t < T; t++) sum += (real8)d[(long)t * M] * vload8(0, xb + (long)t * ld);
    vstore8(sum, 0, grad + b * pstride + (long)i * ld + j);
}

/* Per instance: the loss, and the gradient of b1, W2 and the scalars from the rows' partial sums. */
__kernel void as_hebbff_finish(__global const real* scal, __global const real* y, int T, int M, int ld,
                               long first, int plasticity, __global const real* yhat, __global const acc* ll,
                               __global const acc* part, __global real* grad, long pstride, __global acc* loss)
{
    const long lb = get_global_id(0), b = first + lb;
    acc loglik = 0, gb2 = 0, glam = 0, geta = 0;
    for (int t = 0; t < T; t++) loglik += ll[lb * T + t];
    for (int t = T - 1; t >= 0; t--) gb2 += (acc)((yhat[lb * T + t] - y[b * T + t]) / (real)T);
    __global real* gr = grad + b * pstride;
    for (int i = 0; i < M; i++) {
        __global const acc* pr = part + (lb * M + i) * AS_PARTS;
        gr[AS_B1(M, ld) + i] = (real)pr[AS_PART_B1];
        gr[AS_W2(M, ld) + i] = (real)pr[AS_PART_W2];
        glam += pr[AS_PART_LAMBDA];
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
