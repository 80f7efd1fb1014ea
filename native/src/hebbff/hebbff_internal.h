/* The HebbFF workspace shared by the dispatch layer (hebbff.c) and the kernels (hebbff_kernels.c).
 *
 * Layout (every block 64-byte aligned; REAL = float or double as config->precision):
 *
 *   Padded rows. Every M x N matrix (W1, A, G) and every input vector x(t) is stored with a row stride
 *   ld = N rounded up to a multiple of AS_HEBBFF_LANES; the padding columns are zero and stay zero
 *   (x is 0 there, so no update touches them). Kernels run whole lanes with no tail, and their reductions
 *   have a fixed lane order, so an instance's result does not depend on the SIMD width the CPU offers.
 *
 *   Per instance b, one stride of `pstride` REALs (>= the padded count, rounded to 64 bytes) in each of
 *   params, adam_m, adam_v:
 *     [0, M*ld)              W1 (padded rows)
 *     [M*ld, M*ld+M)         b1
 *     [M*ld+M, M*ld+2M)      W2
 *     M*ld+2M                b2
 *     M*ld+2M+1              lambda
 *     M*ld+2M+2              eta parameter (theta in anti/hebb)
 *   The public packed layout (annscope.h) is the same with ld = N; the get/set calls convert.
 *
 *   x[role]: (B, T_role, ld) REAL, y[role]: (B, T_role) REAL, for role train (0) and test (1).
 *
 *   Per-thread scratch for one instance-epoch (T = train length), reused by every instance the thread
 *   processes:
 *     A        M*ld         the plastic matrix A(t)
 *     Ad       M*ld         its tangent dA(t)/dlambda, carried forward: the gradient of lambda needs no A(t)
 *                           history (forward-mode for that one scalar; exact, and no A is ever reconstructed)
 *     G        M*ld         dL/dA(t) during the backward pass
 *     H        T*M          h(t)
 *     D        T*M          delta_a(t), turned into dW1 = D^T X by one GEMM at the end
 *     yhat     T
 *     grad     pstride      the gradient in the padded layout
 *     v        2*M REAL     G(t+1) x(t) in the backward pass; per-step scratch in the forward pass
 *     acc      2*M double   dW2, db1 accumulated in double
 *   Peak memory = resident + threads * per_thread (annscope_hebbff_memory); nothing grows with T*M*N.
 *
 * An OpenCL implementation keeps the same public behaviour; it may hold its own device buffers in `device`. */
#ifndef ANNSCOPE_HEBBFF_INTERNAL_H
#define ANNSCOPE_HEBBFF_INTERNAL_H

#include "../common/internal.h"

#include <math.h>
#include <stddef.h>

#define AS_HEBBFF_LANES 8

struct annscope_hebbff {
    int32_t backend, precision, plasticity;
    int64_t B, N, M, ld;
    int64_t length[2];   /* train, test */
    int64_t pstride;     /* REALs per instance in params / adam_m / adam_v */
    size_t elem;         /* sizeof(REAL) */
    double lr, beta1, beta2, eps;
    int64_t step;
    void *params, *adam_m, *adam_v;
    void *x[2], *y[2];
    int has_sequences[2];
    size_t per_thread;   /* bytes of one thread's scratch */
    int32_t scratch_threads;
    void** scratch;
    void* device;        /* backend state, NULL for MKL */
};

/* The metrics of one evaluated sequence of T steps from its counts (annscope.h defines each figure); shared
 * by the MKL and OpenCL backends so both report exactly the same definitions. */
static inline void as_hebbff_metrics_of(int64_t T, int64_t familiar, int64_t hits, int64_t false_alarms, int64_t correct,
                                        double loss, double lambda, double eta, annscope_hebbff_metrics* out)
{
    const int64_t novel = T - familiar;
    const double tpr = familiar > 0 ? (double)hits / (double)familiar : NAN;
    const double fpr = novel > 0 ? (double)false_alarms / (double)novel : NAN;
    const double f = (double)familiar / (double)T;
    out->loss = loss;
    out->accuracy = (double)correct / (double)T;
    out->tpr = tpr;
    out->fpr = fpr;
    out->balanced_accuracy = (tpr + 1.0 - fpr) / 2.0;
    out->paper_accuracy = (1.0 - f) * tpr + f * (1.0 - fpr);
    out->familiar_fraction = f;
    out->lambda = lambda;
    out->eta = eta;
}

/* Offsets inside one instance's padded parameter block. */
static inline int64_t as_hebbff_off_b1(const struct annscope_hebbff* w) { return w->M * w->ld; }
static inline int64_t as_hebbff_off_w2(const struct annscope_hebbff* w) { return w->M * w->ld + w->M; }
static inline int64_t as_hebbff_off_scalars(const struct annscope_hebbff* w) { return w->M * w->ld + 2 * w->M; }

/* Kernels (hebbff_kernels.c). adam = 1: one training epoch ending in the Adam step; adam = 0: the gradient
 * only, written packed into grad_out (B, P). */
int as_hebbff_epoch_f32(annscope_context* ctx, annscope_hebbff* ws, int adam, float* grad_out, double* loss);
int as_hebbff_epoch_f64(annscope_context* ctx, annscope_hebbff* ws, int adam, double* grad_out, double* loss);
int as_hebbff_evaluate_f32(annscope_context* ctx, annscope_hebbff* ws, float* activations, float* hidden,
                           float* outputs, annscope_hebbff_metrics* metrics);
int as_hebbff_evaluate_f64(annscope_context* ctx, annscope_hebbff* ws, double* activations, double* hidden,
                           double* outputs, annscope_hebbff_metrics* metrics);

/* Makes sure `threads` scratch blocks exist (hebbff.c). */
int as_hebbff_reserve_scratch(annscope_hebbff* ws, int threads);

#endif
