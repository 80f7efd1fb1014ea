/* The HebbFF trainer: the exact gradient against central finite differences (f64) for every plasticity mode,
 * one Adam step by hand, f32 against f64, thread-count and instruction-set determinism, and refusal of bad input. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "annscope.h"
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 8, M = 6, T = 40, R = 2, P = M * N + 2 * M + 3 };

static annscope_context* ctx1;
static annscope_context* ctx2;

static annscope_hebbff_config config(int64_t instances, int plasticity, int precision)
{
    annscope_hebbff_config c = {.instances = instances, .input_dim = N, .hidden = M, .train_length = T,
                                .test_length = T, .learning_rate = 1e-3,
                                .beta1 = 0.9, .beta2 = 0.999, .epsilon = 1e-8, .plasticity = plasticity,
                                .precision = precision};
    return c;
}

static double normal(void)
{
    double u1 = check_uniform(), u2 = check_uniform();
    return sqrt(-2.0 * log(1.0 - u1)) * cos(6.283185307179586 * u2);
}

/* A familiarity sequence (repeat interval R, p = 0.5) and initial parameters as science.md §2 prescribes,
 * with eta large enough that the plastic path matters. */
static void make_instance(int plasticity, double* x, double* y, double* params)
{
    for (int t = 0; t < T; t++) {
        int repeat = t >= R && y[t - R] == 0 && check_uniform() < 0.5;
        y[t] = repeat;
        for (int j = 0; j < N; j++) x[t * N + j] = repeat ? x[(t - R) * N + j] : (check_uniform() < 0.5 ? -1 : 1);
    }
    for (int k = 0; k < M * N; k++) params[k] = normal() / sqrt(N);
    for (int i = 0; i < M; i++) params[M * N + i] = normal();
    for (int i = 0; i < M; i++) params[M * N + M + i] = normal() / sqrt(M);
    params[M * N + 2 * M] = normal();
    params[M * N + 2 * M + 1] = 0.95;
    double eta = -0.6;
    params[M * N + 2 * M + 2] = plasticity == ANNSCOPE_PLASTICITY_ANTI || plasticity == ANNSCOPE_PLASTICITY_HEBB
                                    ? log(fabs(eta)) : eta;
}

static double loss_at(annscope_hebbff* ws, const double* params)
{
    annscope_hebbff_metrics m;
    annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params);
    annscope_hebbff_evaluate_f64(ctx1, ws, NULL, NULL, NULL, &m);
    return m.loss;
}

static void test_gradient_vs_finite_differences(int plasticity)
{
    double x[T * N], y[T], params[P], grad[P], probe[P];
    make_instance(plasticity, x, y, params);
    annscope_hebbff_config c = config(1, plasticity, ANNSCOPE_F64);
    annscope_hebbff* ws;
    CHECK(annscope_hebbff_create(ctx1, &c, &ws) == 0, "%s", annscope_last_error());
    annscope_hebbff_set_sequences_f64(ctx1, ws, ANNSCOPE_HEBBFF_TRAIN, x, y);
    annscope_hebbff_set_sequences_f64(ctx1, ws, ANNSCOPE_HEBBFF_TEST, x, y);
    annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params);
    double loss = 0;
    CHECK(annscope_hebbff_gradient_f64(ctx1, ws, grad, &loss) == 0, "%s", annscope_last_error());
    CHECK(fabs(loss - loss_at(ws, params)) < 1e-14, "training loss %.17g differs from evaluated loss", loss);
    double worst = 0;
    int worst_k = -1;
    for (int k = 0; k < P; k++) {
        const double h = 1e-6;
        memcpy(probe, params, sizeof probe);
        probe[k] = params[k] + h;
        double up = loss_at(ws, probe);
        probe[k] = params[k] - h;
        double down = loss_at(ws, probe);
        double fd = (up - down) / (2 * h);
        double err = fabs(fd - grad[k]) / (1e-4 + fabs(fd));
        if (err > worst) { worst = err; worst_k = k; }
    }
    CHECK(worst < 1e-5, "mode %d: worst relative error %g at parameter %d", plasticity, worst, worst_k);
    if (plasticity == ANNSCOPE_PLASTICITY_NONE)
        CHECK(grad[P - 1] == 0 && grad[P - 2] == 0, "mode none must not move lambda or eta");
    else
        CHECK(fabs(grad[P - 1]) > 1e-6 && fabs(grad[P - 2]) > 1e-6, "plastic gradients vanished: %g %g", grad[P - 2],
              grad[P - 1]);
    annscope_hebbff_destroy(ws);
}

/* One epoch = the gradient followed by PyTorch's Adam step; lambda is clamped first. */
static void test_adam_step(void)
{
    double x[T * N], y[T], params[P], grad[P], after[P], m[P], v[P];
    make_instance(ANNSCOPE_PLASTICITY_FREE, x, y, params);
    params[P - 2] = 1.25; /* above 1: clamped in place before the sequence runs */
    annscope_hebbff_config c = config(1, ANNSCOPE_PLASTICITY_FREE, ANNSCOPE_F64);
    annscope_hebbff* ws;
    annscope_hebbff_create(ctx1, &c, &ws);
    annscope_hebbff_set_sequences_f64(ctx1, ws, ANNSCOPE_HEBBFF_TRAIN, x, y);
    annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params);
    annscope_hebbff_gradient_f64(ctx1, ws, grad, NULL);
    params[P - 2] = 1.0;
    double loss;
    CHECK(annscope_hebbff_train_epoch(ctx1, ws, &loss) == 0, "%s", annscope_last_error());
    annscope_hebbff_get_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, after);
    annscope_hebbff_get_state_f64(ws, ANNSCOPE_HEBBFF_ADAM_M, m);
    annscope_hebbff_get_state_f64(ws, ANNSCOPE_HEBBFF_ADAM_V, v);
    int64_t step = -1;
    annscope_hebbff_get_step(ws, &step);
    CHECK(step == 1, "step %lld", (long long)step);
    double worst = 0;
    for (int k = 0; k < P; k++) {
        double mk = (1 - 0.9) * grad[k], vk = (1 - 0.999) * (grad[k] * grad[k]);
        double expect = params[k] - 1e-3 / (1 - 0.9) * mk / (sqrt(vk) / sqrt(1 - 0.999) + 1e-8);
        worst = fmax(worst, fabs(after[k] - expect));
        CHECK(fabs(m[k] - mk) <= 1e-15 * fabs(mk) && fabs(v[k] - vk) <= 1e-15 * vk, "moments at %d", k);
    }
    CHECK(worst < 1e-15, "Adam step differs by %g", worst);
    annscope_hebbff_destroy(ws);
}

/* Three instances on one and on two threads: bitwise the same; f32 close to f64. */
static void test_batch_threads_and_precision(void)
{
    enum { B = 3 };
    double x[B * T * N], y[B * T], params[B * P];
    float xf[B * T * N], yf[B * T], pf[B * P];
    for (int b = 0; b < B; b++) make_instance(ANNSCOPE_PLASTICITY_ANTI, x + b * T * N, y + b * T, params + b * P);
    for (int k = 0; k < B * T * N; k++) xf[k] = (float)x[k];
    for (int k = 0; k < B * T; k++) yf[k] = (float)y[k];
    for (int k = 0; k < B * P; k++) pf[k] = (float)params[k];
    for (int k = 0; k < B * P; k++) params[k] = pf[k]; /* both precisions start from the same values */
    float after_f[2][B * P], act_f[2][B * T * M];
    double after_d[B * P], loss_d[B], loss_f[B];
    for (int run = 0; run < 2; run++) {
        annscope_context* ctx = run == 0 ? ctx1 : ctx2;
        annscope_hebbff_config c = config(B, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F32);
        annscope_hebbff* ws;
        annscope_hebbff_create(ctx, &c, &ws);
        annscope_hebbff_set_sequences_f32(ctx, ws, ANNSCOPE_HEBBFF_TRAIN, xf, yf);
        annscope_hebbff_set_sequences_f32(ctx, ws, ANNSCOPE_HEBBFF_TEST, xf, yf);
        annscope_hebbff_set_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, pf);
        for (int e = 0; e < 5; e++) annscope_hebbff_train_epoch(ctx, ws, loss_f);
        annscope_hebbff_get_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, after_f[run]);
        CHECK(annscope_hebbff_evaluate_f32(ctx, ws, act_f[run], NULL, NULL, NULL) == 0, "%s", annscope_last_error());
        annscope_hebbff_destroy(ws);
    }
    CHECK(memcmp(after_f[0], after_f[1], sizeof after_f[0]) == 0, "1 and 2 threads differ");
    CHECK(memcmp(act_f[0], act_f[1], sizeof act_f[0]) == 0, "activations differ between thread counts");

    annscope_hebbff_config c = config(B, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F64);
    annscope_hebbff* ws;
    annscope_hebbff_create(ctx2, &c, &ws);
    annscope_hebbff_set_sequences_f64(ctx2, ws, ANNSCOPE_HEBBFF_TRAIN, x, y);
    annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params);
    for (int e = 0; e < 5; e++) annscope_hebbff_train_epoch(ctx2, ws, loss_d);
    annscope_hebbff_get_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, after_d);
    double worst = 0;
    for (int k = 0; k < B * P; k++) worst = fmax(worst, fabs(after_d[k] - after_f[0][k]));
    CHECK(worst < 1e-4, "f32 and f64 parameters after 5 epochs differ by %g", worst);
    for (int b = 0; b < B; b++) CHECK(fabs(loss_d[b] - loss_f[b]) < 1e-5, "loss %g vs %g", loss_d[b], loss_f[b]);
    annscope_hebbff_destroy(ws);
}

/* An epoch in parts (ranges on contexts of 1 and 2 threads, then the step count advanced) is the whole epoch bit for
 * bit; a range outside the batch is refused. */
static void test_epoch_in_parts(void)
{
    enum { B = 3 };
    float xf[B * T * N], yf[B * T], pf[B * P], whole[B * P], parts[B * P];
    double x[T * N], y[T], params[P], loss_whole[B], loss_parts[B];
    for (int b = 0; b < B; b++) {
        make_instance(ANNSCOPE_PLASTICITY_ANTI, x, y, params);
        for (int k = 0; k < T * N; k++) xf[b * T * N + k] = (float)x[k];
        for (int k = 0; k < T; k++) yf[b * T + k] = (float)y[k];
        for (int k = 0; k < P; k++) pf[b * P + k] = (float)params[k] * (float)(1 + b);
    }
    for (int run = 0; run < 2; run++) {
        annscope_hebbff_config c = config(B, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F32);
        annscope_hebbff* ws;
        annscope_hebbff_create(ctx1, &c, &ws);
        annscope_hebbff_set_sequences_f32(ctx1, ws, ANNSCOPE_HEBBFF_TRAIN, xf, yf);
        annscope_hebbff_set_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, pf);
        for (int e = 0; e < 3; e++) {
            if (run == 0) {
                CHECK(annscope_hebbff_train_epoch(ctx2, ws, loss_whole) == 0, "%s", annscope_last_error());
                continue;
            }
            CHECK(annscope_hebbff_train_instances(ctx1, ws, 0, 1, loss_parts) == 0, "%s", annscope_last_error());
            CHECK(annscope_hebbff_train_instances(ctx2, ws, 1, 2, loss_parts + 1) == 0, "%s", annscope_last_error());
            int64_t step;
            annscope_hebbff_get_step(ws, &step);
            CHECK(step == e, "a part advanced the step count to %lld", (long long)step);
            annscope_hebbff_set_step(ws, step + 1);
        }
        annscope_hebbff_get_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, run == 0 ? whole : parts);
        if (run == 1) {
            double loss;
            CHECK(annscope_hebbff_train_instances(ctx1, ws, 2, 2, &loss) == ANNSCOPE_E_ARGUMENT, "range past the batch accepted");
            CHECK(strstr(annscope_last_error(), "[2, 4)") != NULL, "%s", annscope_last_error());
            CHECK(annscope_hebbff_train_instances(ctx1, ws, -1, 1, &loss) == ANNSCOPE_E_ARGUMENT, "negative first accepted");
            CHECK(annscope_hebbff_train_instances(ctx1, ws, 0, 0, &loss) == ANNSCOPE_E_ARGUMENT, "empty range accepted");
        }
        annscope_hebbff_destroy(ws);
    }
    CHECK(memcmp(whole, parts, sizeof whole) == 0, "an epoch in parts differs from the whole epoch");
    CHECK(memcmp(loss_whole, loss_parts, sizeof loss_whole) == 0, "losses of the parts differ");
}

static void test_bad_input(void)
{
    annscope_hebbff_config c = config(1, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F64);
    annscope_hebbff* ws = (annscope_hebbff*)1;
    c.hidden = 0;
    CHECK(annscope_hebbff_create(ctx1, &c, &ws) == ANNSCOPE_E_ARGUMENT && ws == NULL, "hidden 0 accepted");
    c = config(1, 7, ANNSCOPE_F64);
    CHECK(annscope_hebbff_create(ctx1, &c, &ws) == ANNSCOPE_E_ARGUMENT, "plasticity 7 accepted");
    c = config(1, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F64);
    c.beta2 = 1;
    CHECK(annscope_hebbff_create(ctx1, &c, &ws) == ANNSCOPE_E_ARGUMENT, "beta2 = 1 accepted");
    c = config(1, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F64);
    CHECK(annscope_hebbff_create(NULL, &c, &ws) == ANNSCOPE_E_ARGUMENT, "NULL context accepted");
    CHECK(annscope_hebbff_create(ctx1, &c, &ws) == 0, "%s", annscope_last_error());
    double loss;
    CHECK(annscope_hebbff_train_epoch(ctx1, ws, &loss) == ANNSCOPE_E_STATE, "training without sequences");
    CHECK(strstr(annscope_last_error(), "not set") != NULL, "%s", annscope_last_error());
    double x[T * N], y[T], params[P];
    make_instance(ANNSCOPE_PLASTICITY_ANTI, x, y, params);
    float xf[T * N];
    CHECK(annscope_hebbff_set_sequences_f32(ctx1, ws, 0, xf, xf) == ANNSCOPE_E_ARGUMENT, "f32 data into f64 workspace");
    y[3] = 0.5;
    CHECK(annscope_hebbff_set_sequences_f64(ctx1, ws, 0, x, y) == ANNSCOPE_E_ARGUMENT, "label 0.5 accepted");
    y[3] = 0;
    x[17] = NAN;
    CHECK(annscope_hebbff_set_sequences_f64(ctx1, ws, 0, x, y) == ANNSCOPE_E_NUMERIC, "NaN input accepted");
    x[17] = 1;
    CHECK(annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params) == 0, "%s", annscope_last_error());
    double before[P];
    params[5] = INFINITY;
    CHECK(annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params) == ANNSCOPE_E_NUMERIC, "inf accepted");
    annscope_hebbff_get_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, before);
    CHECK(before[5] != INFINITY, "a refused import changed the workspace");
    params[5] = 0;
    params[9] = -1;
    CHECK(annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_ADAM_V, params) == ANNSCOPE_E_ARGUMENT, "negative v accepted");
    CHECK(annscope_hebbff_set_step(ws, -1) == ANNSCOPE_E_ARGUMENT, "negative step accepted");
    int64_t resident = 0, per_thread = 0;
    CHECK(annscope_hebbff_memory(ws, &resident, &per_thread) == 0 && resident > 0 && per_thread > 0, "memory");
    annscope_hebbff_destroy(ws);
}

/* Inputs of -1, 0 and +1 are stored in one byte, anything else in the workspace's precision: an instance whose
 * batch-mate forces the wide storage gets the same loss, gradient and activations bit for bit. */
static void test_narrow_and_wide_inputs(void)
{
    enum { B = 2 };
    static double x[B * T * N], y[B * T], params[B * P], grad_narrow[P], grad_wide[B * P];
    for (int b = 0; b < B; b++) make_instance(ANNSCOPE_PLASTICITY_ANTI, x + b * T * N, y + b * T, params + b * P);
    x[T * N + 3] = 0.5; /* instance 1 only */
    double loss_narrow, loss_wide[B], act_narrow[T * M], act_wide[B * T * M];
    annscope_hebbff_config one = config(1, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F64), two = config(B, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F64);
    annscope_hebbff *narrow, *wide;
    CHECK(annscope_hebbff_create(ctx1, &one, &narrow) == 0 && annscope_hebbff_create(ctx1, &two, &wide) == 0, "%s",
          annscope_last_error());
    for (int role = 0; role < 2; role++) {
        annscope_hebbff_set_sequences_f64(ctx1, narrow, role, x, y);
        annscope_hebbff_set_sequences_f64(ctx1, wide, role, x, y);
    }
    annscope_hebbff_set_state_f64(narrow, ANNSCOPE_HEBBFF_PARAMS, params);
    annscope_hebbff_set_state_f64(wide, ANNSCOPE_HEBBFF_PARAMS, params);
    int64_t resident_narrow, resident_wide, per_thread;
    annscope_hebbff_memory(narrow, &resident_narrow, &per_thread);
    annscope_hebbff_memory(wide, &resident_wide, &per_thread);
    CHECK(resident_wide > 2 * resident_narrow + 2 * T * N * 4, "inputs of +-1 take one byte each: %lld vs %lld bytes",
          (long long)resident_narrow, (long long)resident_wide);
    CHECK(annscope_hebbff_gradient_f64(ctx1, narrow, grad_narrow, &loss_narrow) == 0, "%s", annscope_last_error());
    CHECK(annscope_hebbff_gradient_f64(ctx1, wide, grad_wide, loss_wide) == 0, "%s", annscope_last_error());
    CHECK(loss_narrow == loss_wide[0] && memcmp(grad_narrow, grad_wide, sizeof grad_narrow) == 0,
          "narrow and wide inputs give different gradients");
    CHECK(loss_wide[1] != loss_wide[0], "instance 1 has its own data");
    annscope_hebbff_evaluate_f64(ctx1, narrow, act_narrow, NULL, NULL, NULL);
    annscope_hebbff_evaluate_f64(ctx1, wide, act_wide, NULL, NULL, NULL);
    CHECK(memcmp(act_narrow, act_wide, sizeof act_narrow) == 0, "narrow and wide inputs give different activations");
    annscope_hebbff_destroy(narrow);
    annscope_hebbff_destroy(wide);
}

/* The instruction-set variants (ANNSCOPE_ISA lowers the choice, read when a context is created) give the same bits:
 * losses, parameters after three epochs and test activations, in both precisions, on a shape with several row
 * blocks and a partial one in every variant and an odd input count. */
enum { WN = 13, WM = 37, WT = 30, WP = WM * WN + 2 * WM + 3, WB = 2 };

static void run_variant(const char* isa, int precision, double* loss, void* params, void* activations)
{
    setenv("ANNSCOPE_ISA", isa, 1);
    annscope_context* ctx;
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_MKL, 1, &ctx) == 0, "%s", annscope_last_error());
    unsetenv("ANNSCOPE_ISA");
    annscope_hebbff_config c = {.instances = WB, .input_dim = WN, .hidden = WM, .train_length = WT, .test_length = WT,
                                .learning_rate = 1e-2, .beta1 = 0.9, .beta2 = 0.999, .epsilon = 1e-8,
                                .plasticity = ANNSCOPE_PLASTICITY_ANTI, .precision = precision};
    annscope_hebbff* ws;
    CHECK(annscope_hebbff_create(ctx, &c, &ws) == 0, "%s", annscope_last_error());
    static double x[WB * WT * WN], y[WB * WT], p[WB * WP];
    static float xf[WB * WT * WN], yf[WB * WT], pf[WB * WP];
    check_rng_state = 11; /* every variant sees the same data */
    for (int k = 0; k < WB * WT * WN; k++) xf[k] = (float)(x[k] = check_uniform() < 0.5 ? -1 : 1);
    for (int k = 0; k < WB * WT; k++) yf[k] = (float)(y[k] = check_uniform() < 0.3);
    for (int k = 0; k < WB * WP; k++) pf[k] = (float)(p[k] = normal() / sqrt(WN));
    for (int b = 0; b < WB; b++) {
        pf[b * WP + WP - 2] = (float)(p[b * WP + WP - 2] = 0.9);
        pf[b * WP + WP - 1] = (float)(p[b * WP + WP - 1] = log(2.0 / WN));
    }
    if (precision == ANNSCOPE_F32) {
        annscope_hebbff_set_sequences_f32(ctx, ws, ANNSCOPE_HEBBFF_TRAIN, xf, yf);
        annscope_hebbff_set_sequences_f32(ctx, ws, ANNSCOPE_HEBBFF_TEST, xf, yf);
        annscope_hebbff_set_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, pf);
    } else {
        annscope_hebbff_set_sequences_f64(ctx, ws, ANNSCOPE_HEBBFF_TRAIN, x, y);
        annscope_hebbff_set_sequences_f64(ctx, ws, ANNSCOPE_HEBBFF_TEST, x, y);
        annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, p);
    }
    for (int e = 0; e < 3; e++) CHECK(annscope_hebbff_train_epoch(ctx, ws, loss + e * WB) == 0, "%s", annscope_last_error());
    if (precision == ANNSCOPE_F32) {
        annscope_hebbff_get_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, params);
        CHECK(annscope_hebbff_evaluate_f32(ctx, ws, activations, NULL, NULL, NULL) == 0, "%s", annscope_last_error());
    } else {
        annscope_hebbff_get_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params);
        CHECK(annscope_hebbff_evaluate_f64(ctx, ws, activations, NULL, NULL, NULL) == 0, "%s", annscope_last_error());
    }
    annscope_hebbff_destroy(ws);
    annscope_context_destroy(ctx);
}

static void test_instruction_sets_agree(void)
{
    const char* isas[] = {"baseline", "avx2", "avx512"};
    for (int precision = ANNSCOPE_F32; precision <= ANNSCOPE_F64; precision++) {
        const size_t e = precision == ANNSCOPE_F32 ? sizeof(float) : sizeof(double);
        static double loss[3][3 * WB], params[3][WB * WP], act[3][WB * WT * WM]; /* room for either precision */
        for (int v = 0; v < 3; v++) run_variant(isas[v], precision, loss[v], params[v], act[v]);
        for (int v = 1; v < 3; v++) {
            CHECK(memcmp(loss[0], loss[v], sizeof loss[0]) == 0, "%s losses differ from baseline", isas[v]);
            CHECK(memcmp(params[0], params[v], e * WB * WP) == 0, "%s parameters differ from baseline", isas[v]);
            CHECK(memcmp(act[0], act[v], e * WB * WT * WM) == 0, "%s activations differ from baseline", isas[v]);
        }
        CHECK(loss[0][2 * WB] < loss[0][0], "training did not lower the loss (%g -> %g)", loss[0][0], loss[0][2 * WB]);
    }
}

int main(void)
{
    annscope_context_create(ANNSCOPE_BACKEND_MKL, 1, &ctx1);
    annscope_context_create(ANNSCOPE_BACKEND_MKL, 2, &ctx2);
    const int modes[] = {ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_PLASTICITY_HEBB, ANNSCOPE_PLASTICITY_FREE,
                         ANNSCOPE_PLASTICITY_NONE};
    for (int i = 0; i < 4; i++) test_gradient_vs_finite_differences(modes[i]);
    test_adam_step();
    test_batch_threads_and_precision();
    test_epoch_in_parts();
    test_bad_input();
    test_narrow_and_wide_inputs();
    test_instruction_sets_agree();
    annscope_context_destroy(ctx1);
    annscope_context_destroy(ctx2);
    return CHECK_DONE();
}
