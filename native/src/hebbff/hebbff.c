/* HebbFF workspace: creation, data and state transfer, and the backend dispatch of the batched calls. */
#include "hebbff_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t round_up(int64_t n, int64_t multiple) { return (n + multiple - 1) / multiple * multiple; }

/* a * b in size_t, or 0 when it overflows (every caller treats 0 as failure) */
static size_t mul_size(size_t a, size_t b) { return (a != 0 && b > SIZE_MAX / a) ? 0 : a * b; }

static size_t per_thread_bytes(const annscope_hebbff* w)
{
    const size_t e = w->elem, mat = (size_t)(w->M * w->ld) * e, T = (size_t)w->length[0], M = (size_t)w->M;
    const size_t blocks[] = {mat, mat, mat, T * M * e, T * M * e, T * e, (size_t)w->pstride * e, 2 * M * e,
                             2 * M * sizeof(double)};
    size_t total = 0;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) total += (blocks[i] + 63) / 64 * 64;
    return total;
}

static int validate_config(const annscope_hebbff_config* c)
{
    AS_CHECK_ARG(c->instances > 0 && c->input_dim > 0 && c->hidden > 0,
                 "hebbff_create: instances (%lld), input_dim (%lld) and hidden (%lld) must be positive",
                 (long long)c->instances, (long long)c->input_dim, (long long)c->hidden);
    AS_CHECK_ARG(c->train_length > 0 && c->test_length > 0,
                 "hebbff_create: train_length (%lld) and test_length (%lld) must be positive",
                 (long long)c->train_length, (long long)c->test_length);
    AS_CHECK_ARG(c->plasticity >= ANNSCOPE_PLASTICITY_ANTI && c->plasticity <= ANNSCOPE_PLASTICITY_NONE,
                 "hebbff_create: unknown plasticity mode %d", c->plasticity);
    AS_CHECK_ARG(c->precision == ANNSCOPE_F32 || c->precision == ANNSCOPE_F64, "hebbff_create: unknown precision %d",
                 c->precision);
    AS_CHECK_ARG(isfinite(c->learning_rate) && c->learning_rate >= 0, "hebbff_create: learning_rate %g must be finite and >= 0",
                 c->learning_rate);
    AS_CHECK_ARG(c->beta1 >= 0 && c->beta1 < 1 && c->beta2 >= 0 && c->beta2 < 1,
                 "hebbff_create: Adam betas (%g, %g) must be in [0, 1)", c->beta1, c->beta2);
    AS_CHECK_ARG(isfinite(c->epsilon) && c->epsilon > 0, "hebbff_create: Adam epsilon %g must be finite and > 0", c->epsilon);
    return ANNSCOPE_OK;
}

ANNSCOPE_API int annscope_hebbff_create(annscope_context* ctx, const annscope_hebbff_config* config, annscope_hebbff** out)
{
    AS_CHECK_ARG(out != NULL, "hebbff_create: out is NULL");
    *out = NULL;
    int threads = as_context_threads(ctx);
    if (threads < 0) return -threads;
    AS_CHECK_ARG(config != NULL, "hebbff_create: config is NULL");
    int supported = ctx->backend == ANNSCOPE_BACKEND_MKL;
#ifdef ANNSCOPE_WITH_OPENCL
    supported |= ctx->backend == ANNSCOPE_BACKEND_OPENCL;
#endif
    if (!supported)
        return as_fail(ANNSCOPE_E_BACKEND, "hebbff_create: the HebbFF trainer is not implemented for backend %d in this build",
                       ctx->backend);
    int status = validate_config(config);
    if (status != ANNSCOPE_OK) return status;

    annscope_hebbff* w = calloc(1, sizeof *w);
    if (!w) return as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory");
    w->backend = ctx->backend;
    w->precision = config->precision;
    w->plasticity = config->plasticity;
    w->B = config->instances;
    w->N = config->input_dim;
    w->M = config->hidden;
    w->ld = round_up(w->N, AS_HEBBFF_LANES);
    w->length[0] = config->train_length;
    w->length[1] = config->test_length;
    w->elem = w->precision == ANNSCOPE_F32 ? sizeof(float) : sizeof(double);
    w->pstride = round_up(w->M * w->ld + 2 * w->M + 3, (int64_t)(64 / w->elem));
    w->lr = config->learning_rate;
    w->beta1 = config->beta1;
    w->beta2 = config->beta2;
    w->eps = config->epsilon;

    size_t state = mul_size(mul_size((size_t)w->B, (size_t)w->pstride), w->elem);
    int ok = state != 0;
    if (ok) {
        w->params = as_alloc(state);
        w->adam_m = as_alloc(state);
        w->adam_v = as_alloc(state);
        ok = w->params && w->adam_m && w->adam_v;
    }
    for (int r = 0; r < 2 && ok; r++) {
        size_t xs = mul_size(mul_size(mul_size((size_t)w->B, (size_t)w->length[r]), (size_t)w->ld), w->elem);
        size_t ys = mul_size(mul_size((size_t)w->B, (size_t)w->length[r]), w->elem);
        ok = xs != 0 && ys != 0 && (w->x[r] = as_alloc(xs)) != NULL && (w->y[r] = as_alloc(ys)) != NULL;
        if (ok) memset(w->x[r], 0, xs); /* padding columns must be zero */
    }
    if (!ok) {
        annscope_hebbff_destroy(w);
        return as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory for %lld instances", (long long)config->instances);
    }
    memset(w->params, 0, state);
    memset(w->adam_m, 0, state);
    memset(w->adam_v, 0, state);
    w->per_thread = w->backend == ANNSCOPE_BACKEND_OPENCL ? 0 : per_thread_bytes(w); /* OpenCL: scratch is on the device */
#ifdef ANNSCOPE_WITH_OPENCL
    if (w->backend == ANNSCOPE_BACKEND_OPENCL && (status = as_cl_hebbff_attach(ctx, w)) != ANNSCOPE_OK) {
        char message[2048]; /* destroy clears the calling thread's message */
        snprintf(message, sizeof message, "%s", annscope_last_error());
        annscope_hebbff_destroy(w);
        return as_fail(status, "%s", message);
    }
#endif
    *out = w;
    return as_ok();
}

ANNSCOPE_API int annscope_hebbff_destroy(annscope_hebbff* ws)
{
    if (!ws) return as_ok();
#ifdef ANNSCOPE_WITH_OPENCL
    as_cl_hebbff_detach(ws);
#endif
    as_free(ws->params);
    as_free(ws->adam_m);
    as_free(ws->adam_v);
    for (int r = 0; r < 2; r++) {
        as_free(ws->x[r]);
        as_free(ws->y[r]);
    }
    for (int32_t i = 0; i < ws->scratch_threads; i++) as_free(ws->scratch[i]);
    free(ws->scratch);
    free(ws);
    return as_ok();
}

int as_hebbff_reserve_scratch(annscope_hebbff* ws, int threads)
{
    if (threads <= ws->scratch_threads) return ANNSCOPE_OK;
    void** grown = realloc(ws->scratch, sizeof(void*) * (size_t)threads);
    if (!grown) return as_fail(ANNSCOPE_E_NOMEM, "hebbff: out of memory for thread scratch");
    ws->scratch = grown;
    while (ws->scratch_threads < threads) {
        void* block = as_alloc(ws->per_thread);
        if (!block)
            return as_fail(ANNSCOPE_E_NOMEM, "hebbff: out of memory for %zu bytes of thread scratch", ws->per_thread);
        ws->scratch[ws->scratch_threads++] = block;
    }
    return ANNSCOPE_OK;
}

/* Common checks of every batched call: a usable context of the workspace's backend, the right precision. */
static int check_call(annscope_context* ctx, const annscope_hebbff* ws, int precision, const char* what)
{
    int threads = as_context_threads(ctx);
    if (threads < 0) return -threads;
    AS_CHECK_ARG(ws != NULL, "%s: workspace is NULL", what);
    AS_CHECK_ARG(ctx->backend == ws->backend, "%s: the context's backend (%d) is not the workspace's (%d)", what,
                 ctx->backend, ws->backend);
    if (precision >= 0)
        AS_CHECK_ARG(precision == ws->precision, "%s: the workspace holds %s values", what,
                     ws->precision == ANNSCOPE_F32 ? "float32" : "float64");
    return ANNSCOPE_OK;
}

/* The OpenCL backend's hooks: its device copy of the state follows host changes, and its calls replace the
 * MKL kernels (src/opencl/hebbff_opencl.c). */
#ifdef ANNSCOPE_WITH_OPENCL
#define AS_DEVICE_SEQUENCES_CHANGED(ws, role) as_cl_hebbff_sequences_changed(ws, role)
#define AS_DEVICE_SYNC(call) do { int s_ = (call); if (s_ != ANNSCOPE_OK) return s_; } while (0)
#define AS_DEVICE_CALL(call) do { if (ws->backend == ANNSCOPE_BACKEND_OPENCL) return (call); } while (0)
#else
#define AS_DEVICE_SEQUENCES_CHANGED(ws, role) ((void)0)
#define AS_DEVICE_SYNC(call) ((void)0)
#define AS_DEVICE_CALL(call) ((void)0)
#endif

#define AS_SEQUENCES(SUFFIX, REAL, PRECISION)                                                                        \
    ANNSCOPE_API int annscope_hebbff_set_sequences_##SUFFIX(annscope_context* ctx, annscope_hebbff* ws, int32_t role, \
                                                            const REAL* x, const REAL* y)                            \
    {                                                                                                                \
        int status = check_call(ctx, ws, PRECISION, "hebbff_set_sequences");                                        \
        if (status != ANNSCOPE_OK) return status;                                                                    \
        AS_CHECK_ARG(role == ANNSCOPE_HEBBFF_TRAIN || role == ANNSCOPE_HEBBFF_TEST,                                  \
                     "hebbff_set_sequences: unknown role %d", role);                                                 \
        AS_CHECK_ARG(x && y, "hebbff_set_sequences: NULL array");                                                    \
        const int64_t T = ws->length[role], N = ws->N, ld = ws->ld, count = ws->B * T;                              \
        for (int64_t s = 0; s < count; s++) {                                                                        \
            if (y[s] != 0 && y[s] != 1)                                                                              \
                return as_fail(ANNSCOPE_E_ARGUMENT,                                                                  \
                               "hebbff_set_sequences: label %g at instance %lld, step %lld is not 0 or 1",          \
                               (double)y[s], (long long)(s / T), (long long)(s % T));                                \
            for (int64_t j = 0; j < N; j++)                                                                          \
                if (!isfinite(x[s * N + j]))                                                                         \
                    return as_fail(ANNSCOPE_E_NUMERIC,                                                               \
                                   "hebbff_set_sequences: NaN or infinite input at instance %lld, step %lld",       \
                                   (long long)(s / T), (long long)(s % T));                                          \
        }                                                                                                            \
        REAL* dx = ws->x[role];                                                                                      \
        REAL* dy = ws->y[role];                                                                                      \
        for (int64_t s = 0; s < count; s++) {                                                                        \
            memcpy(dx + s * ld, x + s * N, sizeof(REAL) * (size_t)N);                                                \
            dy[s] = y[s];                                                                                            \
        }                                                                                                            \
        ws->has_sequences[role] = 1;                                                                                 \
        AS_DEVICE_SEQUENCES_CHANGED(ws, role);                                                                       \
        return as_ok();                                                                                              \
    }

/* Packed (public) <-> padded (internal) parameter blocks; `to_packed` chooses the direction. */
#define AS_STATE(SUFFIX, REAL, PRECISION)                                                                            \
    static void convert_##SUFFIX(const annscope_hebbff* ws, REAL* padded, REAL* packed, int to_packed)              \
    {                                                                                                                \
        const int64_t N = ws->N, M = ws->M, ld = ws->ld, P = M * N + 2 * M + 3;                                      \
        for (int64_t b = 0; b < ws->B; b++) {                                                                        \
            REAL* pad = padded + b * ws->pstride;                                                                    \
            REAL* pk = packed + b * P;                                                                               \
            for (int64_t i = 0; i < M; i++) {                                                                        \
                if (to_packed) memcpy(pk + i * N, pad + i * ld, sizeof(REAL) * (size_t)N);                           \
                else memcpy(pad + i * ld, pk + i * N, sizeof(REAL) * (size_t)N);                                     \
            }                                                                                                        \
            if (to_packed) memcpy(pk + M * N, pad + M * ld, sizeof(REAL) * (size_t)(2 * M + 3));                     \
            else memcpy(pad + M * ld, pk + M * N, sizeof(REAL) * (size_t)(2 * M + 3));                               \
        }                                                                                                            \
    }                                                                                                                \
    static REAL* state_array_##SUFFIX(annscope_hebbff* ws, int32_t which)                                            \
    {                                                                                                                \
        return which == ANNSCOPE_HEBBFF_PARAMS ? ws->params : which == ANNSCOPE_HEBBFF_ADAM_M ? ws->adam_m           \
                                                                                               : ws->adam_v;         \
    }                                                                                                                \
    ANNSCOPE_API int annscope_hebbff_get_state_##SUFFIX(annscope_hebbff* ws, int32_t which, REAL* out)              \
    {                                                                                                                \
        AS_CHECK_ARG(ws && out, "hebbff_get_state: NULL argument");                                                  \
        AS_CHECK_ARG(which >= ANNSCOPE_HEBBFF_PARAMS && which <= ANNSCOPE_HEBBFF_ADAM_V,                             \
                     "hebbff_get_state: unknown array %d", which);                                                   \
        AS_CHECK_ARG(ws->precision == PRECISION, "hebbff_get_state: the workspace holds %s values",                  \
                     ws->precision == ANNSCOPE_F32 ? "float32" : "float64");                                         \
        AS_DEVICE_SYNC(as_cl_hebbff_pull(ws));                                                                       \
        convert_##SUFFIX(ws, state_array_##SUFFIX(ws, which), out, 1);                                               \
        return as_ok();                                                                                              \
    }                                                                                                                \
    ANNSCOPE_API int annscope_hebbff_set_state_##SUFFIX(annscope_hebbff* ws, int32_t which, const REAL* values)     \
    {                                                                                                                \
        AS_CHECK_ARG(ws && values, "hebbff_set_state: NULL argument");                                               \
        AS_CHECK_ARG(which >= ANNSCOPE_HEBBFF_PARAMS && which <= ANNSCOPE_HEBBFF_ADAM_V,                             \
                     "hebbff_set_state: unknown array %d", which);                                                   \
        AS_CHECK_ARG(ws->precision == PRECISION, "hebbff_set_state: the workspace holds %s values",                  \
                     ws->precision == ANNSCOPE_F32 ? "float32" : "float64");                                         \
        const int64_t P = ws->M * ws->N + 2 * ws->M + 3;                                                             \
        for (int64_t k = 0; k < ws->B * P; k++) {                                                                    \
            if (!isfinite(values[k]))                                                                                \
                return as_fail(ANNSCOPE_E_NUMERIC, "hebbff_set_state: NaN or infinite value at instance %lld, index %lld", \
                               (long long)(k / P), (long long)(k % P));                                              \
            if (which == ANNSCOPE_HEBBFF_ADAM_V && values[k] < 0)                                                    \
                return as_fail(ANNSCOPE_E_ARGUMENT,                                                                  \
                               "hebbff_set_state: negative second moment at instance %lld, index %lld",              \
                               (long long)(k / P), (long long)(k % P));                                              \
        }                                                                                                            \
        AS_DEVICE_SYNC(as_cl_hebbff_host_write(ws));                                                                 \
        convert_##SUFFIX(ws, state_array_##SUFFIX(ws, which), (REAL*)values, 0);                                     \
        return as_ok();                                                                                              \
    }                                                                                                                \
    ANNSCOPE_API int annscope_hebbff_gradient_##SUFFIX(annscope_context* ctx, annscope_hebbff* ws, REAL* grad,       \
                                                       double* loss)                                                 \
    {                                                                                                                \
        int status = check_call(ctx, ws, PRECISION, "hebbff_gradient");                                             \
        if (status != ANNSCOPE_OK) return status;                                                                    \
        AS_CHECK_ARG(grad != NULL, "hebbff_gradient: grad is NULL");                                                 \
        if (!ws->has_sequences[ANNSCOPE_HEBBFF_TRAIN])                                                               \
            return as_fail(ANNSCOPE_E_STATE, "hebbff_gradient: the training sequences are not set");                \
        AS_DEVICE_CALL(as_cl_hebbff_epoch(ctx, ws, 0, grad, loss));                                                  \
        return as_hebbff_epoch_##SUFFIX(ctx, ws, 0, grad, loss);                                                     \
    }                                                                                                                \
    ANNSCOPE_API int annscope_hebbff_evaluate_##SUFFIX(annscope_context* ctx, annscope_hebbff* ws, REAL* activations, \
                                                       REAL* hidden, REAL* outputs, annscope_hebbff_metrics* metrics)\
    {                                                                                                                \
        int status = check_call(ctx, ws, PRECISION, "hebbff_evaluate");                                             \
        if (status != ANNSCOPE_OK) return status;                                                                    \
        if (!ws->has_sequences[ANNSCOPE_HEBBFF_TEST])                                                                \
            return as_fail(ANNSCOPE_E_STATE, "hebbff_evaluate: the test sequences are not set");                    \
        AS_DEVICE_CALL(as_cl_hebbff_evaluate(ctx, ws, activations, hidden, outputs, metrics));                       \
        return as_hebbff_evaluate_##SUFFIX(ctx, ws, activations, hidden, outputs, metrics);                          \
    }

AS_SEQUENCES(f32, float, ANNSCOPE_F32)
AS_SEQUENCES(f64, double, ANNSCOPE_F64)
AS_STATE(f32, float, ANNSCOPE_F32)
AS_STATE(f64, double, ANNSCOPE_F64)

ANNSCOPE_API int annscope_hebbff_get_step(annscope_hebbff* ws, int64_t* step)
{
    AS_CHECK_ARG(ws && step, "hebbff_get_step: NULL argument");
    *step = ws->step;
    return as_ok();
}

ANNSCOPE_API int annscope_hebbff_set_step(annscope_hebbff* ws, int64_t step)
{
    AS_CHECK_ARG(ws != NULL, "hebbff_set_step: workspace is NULL");
    AS_CHECK_ARG(step >= 0, "hebbff_set_step: step %lld must be >= 0", (long long)step);
    ws->step = step;
    return as_ok();
}

ANNSCOPE_API int annscope_hebbff_train_epoch(annscope_context* ctx, annscope_hebbff* ws, double* loss)
{
    int status = check_call(ctx, ws, -1, "hebbff_train_epoch");
    if (status != ANNSCOPE_OK) return status;
    if (!ws->has_sequences[ANNSCOPE_HEBBFF_TRAIN])
        return as_fail(ANNSCOPE_E_STATE, "hebbff_train_epoch: the training sequences are not set");
    AS_DEVICE_CALL(as_cl_hebbff_epoch(ctx, ws, 1, NULL, loss));
    return ws->precision == ANNSCOPE_F32 ? as_hebbff_epoch_f32(ctx, ws, 1, NULL, loss)
                                         : as_hebbff_epoch_f64(ctx, ws, 1, NULL, loss);
}

ANNSCOPE_API int annscope_hebbff_memory(annscope_hebbff* ws, int64_t* resident, int64_t* per_thread)
{
    AS_CHECK_ARG(ws && resident && per_thread, "hebbff_memory: NULL argument");
    size_t bytes = sizeof *ws + 3 * (size_t)(ws->B * ws->pstride) * ws->elem;
    for (int r = 0; r < 2; r++) bytes += (size_t)(ws->B * ws->length[r] * (ws->ld + 1)) * ws->elem;
    *resident = (int64_t)bytes;
    *per_thread = (int64_t)ws->per_thread;
    return as_ok();
}
