/* HebbFF workspace, backend-neutral: configuration, validation of every call, the public packed layout and the
 * Adam step count; the arithmetic and the state live in the workspace's backend (hebbff_backend.h). */
#include "hebbff_backend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t round_up(int64_t n, int64_t multiple) { return (n + multiple - 1) / multiple * multiple; }

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
    if (!ctx->hebbff)
        return as_fail(ANNSCOPE_E_BACKEND, "hebbff_create: the HebbFF trainer is not implemented for backend %d in this build",
                       ctx->backend);
    int status = validate_config(config);
    if (status != ANNSCOPE_OK) return status;

    annscope_hebbff* w = calloc(1, sizeof *w);
    if (!w) return as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory");
    w->ops = ctx->hebbff;
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
    /* every size the backends compute from B * T * ld and B * pstride must fit */
    const double biggest = (double)w->B * (double)(w->length[0] > w->length[1] ? w->length[0] : w->length[1]) *
                           (double)(w->ld > w->pstride ? w->ld : w->pstride) * (double)w->elem;
    if (!(biggest < 0x1p62))
        return free(w), as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory for %lld instances",
                                (long long)config->instances);
    if ((status = w->ops->create(ctx, w)) != ANNSCOPE_OK) {
        free(w);
        return status;
    }
    *out = w;
    return as_ok();
}

ANNSCOPE_API int annscope_hebbff_destroy(annscope_hebbff* ws)
{
    if (!ws) return as_ok();
    ws->ops->destroy(ws);
    free(ws);
    return as_ok();
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

/* A (B, pstride) scratch array of the workspace's REAL, zeroed (padding columns must be zero). */
static void* padded_array(const annscope_hebbff* ws, const char* what)
{
    void* p = calloc((size_t)(ws->B * ws->pstride), ws->elem);
    if (!p) as_fail(ANNSCOPE_E_NOMEM, "%s: out of memory", what);
    return p;
}

#define AS_SEQUENCES(SUFFIX, REAL, PRECISION)                                                                        \
    ANNSCOPE_API int annscope_hebbff_set_sequences_##SUFFIX(annscope_context* ctx, annscope_hebbff* ws, int32_t role, \
                                                            const REAL* x, const REAL* y)                            \
    {                                                                                                                \
        int status = check_call(ctx, ws, PRECISION, "hebbff_set_sequences");                                        \
        if (status != ANNSCOPE_OK) return status;                                                                    \
        AS_CHECK_ARG(role == ANNSCOPE_HEBBFF_TRAIN || role == ANNSCOPE_HEBBFF_TEST,                                  \
                     "hebbff_set_sequences: unknown role %d", role);                                                 \
        AS_CHECK_ARG(x && y, "hebbff_set_sequences: NULL array");                                                    \
        const int64_t T = ws->length[role], N = ws->N, count = ws->B * T;                                           \
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
        if ((status = ws->ops->set_sequences(ws, role, x, y)) != ANNSCOPE_OK) return status;                        \
        ws->has_sequences[role] = 1;                                                                                 \
        return as_ok();                                                                                              \
    }

/* Packed (public) <-> padded (backend) parameter blocks; `to_packed` chooses the direction. */
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
    ANNSCOPE_API int annscope_hebbff_get_state_##SUFFIX(annscope_hebbff* ws, int32_t which, REAL* out)              \
    {                                                                                                                \
        AS_CHECK_ARG(ws && out, "hebbff_get_state: NULL argument");                                                  \
        AS_CHECK_ARG(which >= ANNSCOPE_HEBBFF_PARAMS && which <= ANNSCOPE_HEBBFF_ADAM_V,                             \
                     "hebbff_get_state: unknown array %d", which);                                                   \
        AS_CHECK_ARG(ws->precision == PRECISION, "hebbff_get_state: the workspace holds %s values",                  \
                     ws->precision == ANNSCOPE_F32 ? "float32" : "float64");                                         \
        REAL* padded = padded_array(ws, "hebbff_get_state");                                                         \
        if (!padded) return ANNSCOPE_E_NOMEM;                                                                        \
        int status = ws->ops->read_state(ws, which, padded);                                                         \
        if (status == ANNSCOPE_OK) convert_##SUFFIX(ws, padded, out, 1);                                             \
        free(padded);                                                                                                \
        return status == ANNSCOPE_OK ? as_ok() : status;                                                             \
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
        REAL* padded = padded_array(ws, "hebbff_set_state");                                                         \
        if (!padded) return ANNSCOPE_E_NOMEM;                                                                        \
        convert_##SUFFIX(ws, padded, (REAL*)values, 0);                                                              \
        int status = ws->ops->write_state(ws, which, padded);                                                        \
        free(padded);                                                                                                \
        return status == ANNSCOPE_OK ? as_ok() : status;                                                             \
    }                                                                                                                \
    ANNSCOPE_API int annscope_hebbff_gradient_##SUFFIX(annscope_context* ctx, annscope_hebbff* ws, REAL* grad,       \
                                                       double* loss)                                                 \
    {                                                                                                                \
        int status = check_call(ctx, ws, PRECISION, "hebbff_gradient");                                             \
        if (status != ANNSCOPE_OK) return status;                                                                    \
        AS_CHECK_ARG(grad != NULL, "hebbff_gradient: grad is NULL");                                                 \
        if (!ws->has_sequences[ANNSCOPE_HEBBFF_TRAIN])                                                               \
            return as_fail(ANNSCOPE_E_STATE, "hebbff_gradient: the training sequences are not set");                \
        REAL* padded = padded_array(ws, "hebbff_gradient");                                                          \
        if (!padded) return ANNSCOPE_E_NOMEM;                                                                        \
        status = ws->ops->epoch(ctx, ws, 0, padded, loss, 0, ws->B);                                                 \
        if (status == ANNSCOPE_OK) convert_##SUFFIX(ws, padded, grad, 1);                                            \
        free(padded);                                                                                                \
        return status == ANNSCOPE_OK ? as_ok() : status;                                                             \
    }                                                                                                                \
    ANNSCOPE_API int annscope_hebbff_evaluate_##SUFFIX(annscope_context* ctx, annscope_hebbff* ws, REAL* activations, \
                                                       REAL* hidden, REAL* outputs, annscope_hebbff_metrics* metrics)\
    {                                                                                                                \
        int status = check_call(ctx, ws, PRECISION, "hebbff_evaluate");                                             \
        if (status != ANNSCOPE_OK) return status;                                                                    \
        if (!ws->has_sequences[ANNSCOPE_HEBBFF_TEST])                                                                \
            return as_fail(ANNSCOPE_E_STATE, "hebbff_evaluate: the test sequences are not set");                    \
        status = ws->ops->evaluate(ctx, ws, activations, hidden, outputs, metrics);                                  \
        return status == ANNSCOPE_OK ? as_ok() : status;                                                             \
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
    if ((status = ws->ops->epoch(ctx, ws, 1, NULL, loss, 0, ws->B)) != ANNSCOPE_OK) return status;
    ws->step++;
    return as_ok();
}

ANNSCOPE_API int annscope_hebbff_train_instances(annscope_context* ctx, annscope_hebbff* ws, int64_t first, int64_t count,
                                                 double* loss)
{
    int status = check_call(ctx, ws, -1, "hebbff_train_instances");
    if (status != ANNSCOPE_OK) return status;
    AS_CHECK_ARG(first >= 0 && count >= 1 && first <= ws->B - count,
                 "hebbff_train_instances: instances [%lld, %lld) are not within the batch of %lld", (long long)first,
                 (long long)(first + count), (long long)ws->B);
    if (!ws->has_sequences[ANNSCOPE_HEBBFF_TRAIN])
        return as_fail(ANNSCOPE_E_STATE, "hebbff_train_instances: the training sequences are not set");
    if ((status = ws->ops->epoch(ctx, ws, 1, NULL, loss, first, count)) != ANNSCOPE_OK) return status;
    return as_ok();
}

ANNSCOPE_API int annscope_hebbff_memory(annscope_hebbff* ws, int64_t* resident, int64_t* per_thread)
{
    AS_CHECK_ARG(ws && resident && per_thread, "hebbff_memory: NULL argument");
    ws->ops->memory(ws, resident, per_thread);
    *resident += (int64_t)sizeof *ws;
    return as_ok();
}
