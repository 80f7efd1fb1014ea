/* The HebbFF workspace as every backend sees it, and the backend table of the HebbFF family.
 *
 * hebbff.c (backend-neutral) validates every call, owns the public packed layout and the Adam step count, and
 * calls the workspace's table; a backend (hebbff_mkl.c per instruction set, opencl/hebbff_opencl.c) owns its
 * state in `impl` — parameters, Adam moments, sequences, scratch — and its arithmetic.
 *
 * Padded layout. Every M x N matrix (W1 and the backends' A, G) and every input vector x(t) has a row stride
 * ld = N rounded up to a multiple of AS_HEBBFF_LANES; the padding columns are zero and stay zero (x is 0 there,
 * so no update touches them). The OpenCL kernels run whole lanes of a row with no tail; the MKL kernels put one
 * row per lane instead (hebbff_mkl_kernels.h). Either way every reduction has a fixed order, so an instance's result
 * does not depend on the SIMD width the CPU offers.
 *
 * Per instance b, one stride of `pstride` REALs (>= the padded count, rounded to 64 bytes) in each of the
 * parameter, first-moment and second-moment arrays (B, pstride):
 *   [0, M*ld)              W1 (padded rows)
 *   [M*ld, M*ld+M)         b1
 *   [M*ld+M, M*ld+2M)      W2
 *   M*ld+2M                b2
 *   M*ld+2M+1              lambda
 *   M*ld+2M+2              eta parameter (theta in anti/hebb)
 * The public packed layout (annscope.h) is the same with ld = N; hebbff.c converts. */
#ifndef ANNSCOPE_HEBBFF_BACKEND_H
#define ANNSCOPE_HEBBFF_BACKEND_H

#include "../common/internal.h"
#include "../common/cpu.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define AS_HEBBFF_LANES 8

struct annscope_hebbff {
    const struct as_hebbff_ops* ops; /* the table of the context the workspace was created on */
    int32_t backend, precision, plasticity;
    int64_t B, N, M, ld;
    int64_t length[2];   /* train, test */
    int64_t pstride;     /* REALs per instance in each state array */
    size_t elem;         /* sizeof(REAL) */
    double lr, beta1, beta2, eps;
    int64_t step;        /* Adam's completed steps; an epoch uses step + 1 */
    int has_sequences[2];
    void* impl;          /* the backend's state */
};

typedef struct as_hebbff_ops {
    const char* name;
    /* Allocates the backend's state for ws's layout, parameters and moments zero; frees what it made on failure. */
    int (*create)(annscope_context* ctx, annscope_hebbff* ws);
    void (*destroy)(annscope_hebbff* ws);
    /* Validated sequences of one role: x (B, T, N) packed rows, y (B, T) labels 0/1, in the workspace's REAL. */
    int (*set_sequences)(annscope_hebbff* ws, int role, const void* x, const void* y);
    /* One state array (enum annscope_hebbff_array) in the padded layout (B, pstride), out or in. */
    int (*read_state)(annscope_hebbff* ws, int which, void* padded);
    int (*write_state)(annscope_hebbff* ws, int which, const void* padded);
    /* One epoch of instances [first, first + count) at Adam step ws->step + 1: with adam, the Adam step; without, the
     * padded gradient (B, pstride) into grad (may be NULL; only with the whole batch). loss (count entries, the first
     * for instance `first`) may be NULL. hebbff.c checks the range. */
    int (*epoch)(annscope_context* ctx, annscope_hebbff* ws, int adam, void* grad, double* loss, int64_t first,
                 int64_t count);
    int (*evaluate)(annscope_context* ctx, annscope_hebbff* ws, void* activations, void* hidden, void* outputs,
                    annscope_hebbff_metrics* metrics);
    /* Bytes of the backend's resident state and of one thread's scratch. */
    void (*memory)(const annscope_hebbff* ws, int64_t* resident, int64_t* per_thread);
} as_hebbff_ops;

/* The MKL table for an instruction set (hebbff_mkl.c). */
const as_hebbff_ops* as_hebbff_mkl(enum as_isa isa);
#ifdef ANNSCOPE_WITH_OPENCL
extern const as_hebbff_ops as_hebbff_opencl;
#endif

/* Offsets inside one instance's padded parameter block. */
static inline int64_t as_hebbff_off_b1(const struct annscope_hebbff* w) { return w->M * w->ld; }
static inline int64_t as_hebbff_off_w2(const struct annscope_hebbff* w) { return w->M * w->ld + w->M; }
static inline int64_t as_hebbff_off_scalars(const struct annscope_hebbff* w) { return w->M * w->ld + 2 * w->M; }

/* `count` rows of `n` elements of `elem` bytes into rows of stride ld (padding left as it is). */
static inline void as_hebbff_pad_rows(void* padded, const void* packed, int64_t count, int64_t n, int64_t ld, size_t elem)
{
    for (int64_t s = 0; s < count; s++)
        memcpy((char*)padded + (size_t)(s * ld) * elem, (const char*)packed + (size_t)(s * n) * elem, (size_t)n * elem);
}

/* The metrics of one evaluated sequence of T steps from its counts (annscope.h defines each figure); shared
 * by the backends so all report exactly the same definitions. */
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

#endif
