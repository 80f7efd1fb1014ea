/* The MKL backend of HebbFF: host state (parameters, Adam moments, sequences, per-thread scratch) and the
 * kernels of hebbff_mkl_kernels.h, compiled once per precision and instruction set; the context picks the
 * table of the best instruction set the CPU runs (common/cpu.c). */
#include "hebbff_backend.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct mkl_state {
    void *state[3];    /* params, adam_m, adam_v: (B, pstride) each (enum annscope_hebbff_array) */
    void *x[2], *y[2]; /* per role: x (B, T, ld) padded rows, y (B, T) */
    int x_int8[2];     /* x holds int8_t: every input was -1, 0 or +1 (the study's sequences), a quarter of the bytes */
    size_t per_thread; /* bytes of one thread's scratch */
    int32_t scratch_threads;
    void** scratch;
} mkl_state;

/* Bytes of one column of a block matrix in the widest variant (hebbff_mkl_kernels.h): 2 AVX-512 registers of rows.
 * With 100 inputs the forward pass's three block matrices take 38 kB, the backward pass's three as much: what L1
 * holds. */
#define AS_RB_MAX_BYTES 128

static size_t block(size_t bytes) { return (bytes + 63) / 64 * 64; }

/* One thread's scratch for an epoch of T_train steps or an evaluation of T_test (hebbff_mkl_kernels.h carves it):
 * the instance's inputs widened from int8, six block matrices (W1's rows transposed, A, its tangent, G and two
 * halves of dW1's rows), h(t) (T x M), z(t) and W2 . hdot(t) and their four running sums each, the gradient and the
 * double accumulators of dW2, db1 and the eta sums; an evaluation needs two block matrices, z(t)'s running sums and
 * one row vector. */
static size_t per_thread_bytes(const annscope_hebbff* w)
{
    const size_t e = w->elem, M = (size_t)w->M, N = (size_t)w->N;
    const size_t mat = block(AS_RB_MAX_BYTES * N), T = (size_t)w->length[0], TT = (size_t)w->length[1];
    const size_t train = block(T * (size_t)w->ld * e) + 6 * mat + block(T * M * e) + 2 * block(T * e) +
                         block(8 * T * e) + block((size_t)w->pstride * e) + block(3 * M * sizeof(double));
    const size_t eval = block(TT * (size_t)w->ld * e) + 2 * mat + block(4 * TT * e) + block(AS_RB_MAX_BYTES);
    return train > eval ? train : eval;
}

static int reserve(mkl_state* st, int threads)
{
    if (threads <= st->scratch_threads) return ANNSCOPE_OK;
    void** grown = realloc(st->scratch, sizeof(void*) * (size_t)threads);
    if (!grown) return as_fail(ANNSCOPE_E_NOMEM, "hebbff: out of memory for thread scratch");
    st->scratch = grown;
    while (st->scratch_threads < threads) {
        void* scratch = as_alloc(st->per_thread);
        if (!scratch)
            return as_fail(ANNSCOPE_E_NOMEM, "hebbff: out of memory for %zu bytes of thread scratch", st->per_thread);
        st->scratch[st->scratch_threads++] = scratch;
    }
    return ANNSCOPE_OK;
}

static void destroy(annscope_hebbff* ws)
{
    mkl_state* st = ws->impl;
    if (!st) return;
    for (int a = 0; a < 3; a++) as_free(st->state[a]);
    for (int r = 0; r < 2; r++) {
        as_free(st->x[r]);
        as_free(st->y[r]);
    }
    for (int32_t i = 0; i < st->scratch_threads; i++) as_free(st->scratch[i]);
    free(st->scratch);
    free(st);
    ws->impl = NULL;
}

static int create(annscope_context* ctx, annscope_hebbff* ws)
{
    (void)ctx;
    mkl_state* st = calloc(1, sizeof *st);
    if (!st) return as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory");
    ws->impl = st;
    const size_t state = (size_t)(ws->B * ws->pstride) * ws->elem;
    int ok = 1;
    for (int a = 0; a < 3 && ok; a++) ok = (st->state[a] = as_alloc(state)) != NULL;
    for (int r = 0; r < 2 && ok; r++) ok = (st->y[r] = as_alloc((size_t)(ws->B * ws->length[r]) * ws->elem)) != NULL;
    if (!ok) {
        destroy(ws);
        return as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory for %lld instances", (long long)ws->B);
    }
    for (int a = 0; a < 3; a++) memset(st->state[a], 0, state);
    st->per_thread = per_thread_bytes(ws);
    return ANNSCOPE_OK;
}

/* Every input -1, 0 or +1 (and no -0, whose sign the arithmetic could carry): then int8 storage is exact. */
#define AS_SMALL_INPUTS(REAL)                                                                                        \
    static int small_inputs_##REAL(const REAL* x, int64_t n)                                                        \
    {                                                                                                                \
        for (int64_t k = 0; k < n; k++)                                                                              \
            if (!(x[k] == 1 || x[k] == -1 || (x[k] == 0 && !signbit(x[k])))) return 0;                               \
        return 1;                                                                                                    \
    }
AS_SMALL_INPUTS(float)
AS_SMALL_INPUTS(double)

static int set_sequences(annscope_hebbff* ws, int role, const void* x, const void* y)
{
    mkl_state* st = ws->impl;
    const int64_t count = ws->B * ws->length[role], n = count * ws->N;
    const int small = ws->elem == sizeof(float) ? small_inputs_float(x, n) : small_inputs_double(x, n);
    const size_t bytes = (size_t)(count * ws->ld) * (small ? 1 : ws->elem);
    void* fresh = as_alloc(bytes);
    if (!fresh) return as_fail(ANNSCOPE_E_NOMEM, "hebbff_set_sequences: out of memory for %zu bytes of inputs", bytes);
    memset(fresh, 0, bytes); /* padding columns must be zero */
    if (!small) {
        as_hebbff_pad_rows(fresh, x, count, ws->N, ws->ld, ws->elem);
    } else {
        int8_t* dst = fresh;
        for (int64_t s = 0; s < count; s++)
            for (int64_t j = 0; j < ws->N; j++)
                dst[s * ws->ld + j] = (int8_t)(ws->elem == sizeof(float) ? ((const float*)x)[s * ws->N + j]
                                                                          : ((const double*)x)[s * ws->N + j]);
    }
    as_free(st->x[role]);
    st->x[role] = fresh;
    st->x_int8[role] = small;
    memcpy(st->y[role], y, (size_t)count * ws->elem);
    return ANNSCOPE_OK;
}

static int read_state(annscope_hebbff* ws, int which, void* padded)
{
    const mkl_state* st = ws->impl;
    memcpy(padded, st->state[which], (size_t)(ws->B * ws->pstride) * ws->elem);
    return ANNSCOPE_OK;
}

static int write_state(annscope_hebbff* ws, int which, const void* padded)
{
    mkl_state* st = ws->impl;
    memcpy(st->state[which], padded, (size_t)(ws->B * ws->pstride) * ws->elem);
    return ANNSCOPE_OK;
}

static void memory(const annscope_hebbff* ws, int64_t* resident, int64_t* per_thread)
{
    const mkl_state* st = ws->impl;
    size_t bytes = sizeof *st + 3 * (size_t)(ws->B * ws->pstride) * ws->elem;
    for (int r = 0; r < 2; r++)
        bytes += (size_t)(ws->B * ws->length[r]) * ((size_t)ws->ld * (st->x_int8[r] ? 1 : ws->elem) + ws->elem);
    *resident = (int64_t)bytes;
    *per_thread = (int64_t)st->per_thread;
}

/* One register-wide row vector per variant (SSE2, AVX2, AVX-512). Its width decides only how many rows a block holds,
 * never a row's arithmetic. */
/* Row vectors pass by value only between always-inline kernels of one variant, never across a call boundary, so
 * GCC's note that their calling convention differs between instruction sets does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"
#define AS_RVEC(NAME, T, BYTES) typedef T NAME __attribute__((vector_size(BYTES)))
AS_RVEC(as_rf32_baseline, float, 16);
AS_RVEC(as_rf32_avx2, float, 32);
AS_RVEC(as_rf32_avx512, float, 64);
AS_RVEC(as_ri32_baseline, int32_t, 16);
AS_RVEC(as_ri32_avx2, int32_t, 32);
AS_RVEC(as_ri32_avx512, int32_t, 64);
AS_RVEC(as_rf64_baseline, double, 16);
AS_RVEC(as_rf64_avx2, double, 32);
AS_RVEC(as_rf64_avx512, double, 64);

/* float, then double, in every instruction set */
#define REAL float
#define EXP expf
#define SQRT sqrtf
#define AS_TARGET
#define SUFFIX f32_baseline
#define RVEC as_rf32_baseline
#define RVEC_INT as_ri32_baseline
#define VL 4
#include "hebbff_mkl_kernels.h"
#undef SUFFIX
#undef AS_TARGET
#undef RVEC
#undef RVEC_INT
#undef VL
#if defined(__x86_64__) || defined(__i386__)
#define AS_TARGET __attribute__((target("avx2")))
#define SUFFIX f32_avx2
#define RVEC as_rf32_avx2
#define RVEC_INT as_ri32_avx2
#define VL 8
#include "hebbff_mkl_kernels.h"
#undef SUFFIX
#undef AS_TARGET
#undef RVEC
#undef RVEC_INT
#undef VL
#define AS_TARGET __attribute__((target("avx2,avx512f,avx512vl,avx512dq,avx512bw")))
#define SUFFIX f32_avx512
#define RVEC as_rf32_avx512
#define RVEC_INT as_ri32_avx512
#define VL 16
#include "hebbff_mkl_kernels.h"
#undef SUFFIX
#undef AS_TARGET
#undef RVEC
#undef RVEC_INT
#undef VL
#endif
#undef REAL
#undef EXP
#undef SQRT

#define REAL double
#define EXP exp
#define SQRT sqrt
#define AS_TARGET
#define SUFFIX f64_baseline
#define RVEC as_rf64_baseline
#define VL 2
#include "hebbff_mkl_kernels.h"
#undef SUFFIX
#undef AS_TARGET
#undef RVEC
#undef VL
#if defined(__x86_64__) || defined(__i386__)
#define AS_TARGET __attribute__((target("avx2")))
#define SUFFIX f64_avx2
#define RVEC as_rf64_avx2
#define VL 4
#include "hebbff_mkl_kernels.h"
#undef SUFFIX
#undef AS_TARGET
#undef RVEC
#undef VL
#define AS_TARGET __attribute__((target("avx2,avx512f,avx512vl,avx512dq,avx512bw")))
#define SUFFIX f64_avx512
#define RVEC as_rf64_avx512
#define VL 8
#include "hebbff_mkl_kernels.h"
#undef SUFFIX
#undef AS_TARGET
#undef RVEC
#undef VL
#endif

/* The table of one instruction set: storage calls are shared, the arithmetic picks the precision. */
#define AS_TABLE(ISA)                                                                                                \
    static int epoch_##ISA(annscope_context* ctx, annscope_hebbff* ws, int adam, void* grad, double* loss,           \
                           int64_t first, int64_t count)                                                            \
    {                                                                                                                \
        return ws->precision == ANNSCOPE_F32 ? epoch_f32_##ISA(ctx, ws, adam, grad, loss, first, count)             \
                                             : epoch_f64_##ISA(ctx, ws, adam, grad, loss, first, count);             \
    }                                                                                                                \
    static int evaluate_##ISA(annscope_context* ctx, annscope_hebbff* ws, void* activations, void* hidden,           \
                              void* outputs, annscope_hebbff_metrics* metrics)                                       \
    {                                                                                                                \
        return ws->precision == ANNSCOPE_F32 ? evaluate_f32_##ISA(ctx, ws, activations, hidden, outputs, metrics)   \
                                             : evaluate_f64_##ISA(ctx, ws, activations, hidden, outputs, metrics);   \
    }                                                                                                                \
    static const as_hebbff_ops table_##ISA = {                                                                       \
        .name = "mkl-" #ISA, .create = create, .destroy = destroy, .set_sequences = set_sequences,                  \
        .read_state = read_state, .write_state = write_state, .epoch = epoch_##ISA, .evaluate = evaluate_##ISA,     \
        .memory = memory,                                                                                            \
    };

AS_TABLE(baseline)
#if defined(__x86_64__) || defined(__i386__)
AS_TABLE(avx2)
AS_TABLE(avx512)
#endif

const as_hebbff_ops* as_hebbff_mkl(enum as_isa isa)
{
#if defined(__x86_64__) || defined(__i386__)
    if (isa == AS_ISA_AVX512) return &table_avx512;
    if (isa == AS_ISA_AVX2) return &table_avx2;
#endif
    (void)isa;
    return &table_baseline;
}
