/* The OpenCL HebbFF trainer against the MKL one through the public API, on the same seeded networks and
 * sequences: gradients in every plasticity mode, a 50-epoch training trajectory, evaluation outputs, chunking
 * and state transfer.
 * Exits 77 (skip) when no OpenCL device exists. */
#define _POSIX_C_SOURCE 200809L
#include "annscope.h"
#include "check.h"
#include "opencl_device.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { B = 3, N = 20, M = 13, T = 90, TT = 60, R = 3 };
#define P (M * N + 2 * M + 3)


static double normal(void)
{
    double u = check_uniform(), v = check_uniform();
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* seeded initial parameters (science.md §2) and familiarity sequences (§1), in double */
static double params0[B * P], xtrain[B * T * N], ytrain[B * T], xtest[B * TT * N], ytest[B * TT];

static void sequence(double* x, double* y, int length)
{
    for (int t = 0; t < length; t++) {
        int repeat = t >= R && check_uniform() < 0.5 && y[t - R] == 0;
        y[t] = repeat;
        for (int j = 0; j < N; j++) x[t * N + j] = repeat ? x[(t - R) * N + j] : (check_uniform() < 0.5 ? -1 : 1);
    }
}

static void make_data(void)
{
    for (int b = 0; b < B; b++) {
        double* p = params0 + b * P;
        for (int k = 0; k < M * N; k++) p[k] = normal() / sqrt(N);
        for (int i = 0; i < M; i++) p[M * N + i] = normal();
        for (int i = 0; i < M; i++) p[M * N + M + i] = normal() / sqrt(M);
        p[M * N + 2 * M] = normal();
        p[M * N + 2 * M + 1] = 0.99;
        p[M * N + 2 * M + 2] = log(5.0 / N);
        sequence(xtrain + b * T * N, ytrain + b * T, T);
        sequence(xtest + b * TT * N, ytest + b * TT, TT);
    }
}

static annscope_hebbff* workspace(annscope_context* ctx, int precision, int plasticity)
{
    annscope_hebbff_config c = {B, N, M, T, TT, 1e-3, 0.9, 0.999, 1e-8, plasticity, precision};
    annscope_hebbff* ws = NULL;
    int status = annscope_hebbff_create(ctx, &c, &ws);
    CHECK(status == 0, "hebbff_create: %s", annscope_last_error());
    if (precision == ANNSCOPE_F64) {
        CHECK(annscope_hebbff_set_state_f64(ws, ANNSCOPE_HEBBFF_PARAMS, params0) == 0, "%s", annscope_last_error());
        annscope_hebbff_set_sequences_f64(ctx, ws, ANNSCOPE_HEBBFF_TRAIN, xtrain, ytrain);
        annscope_hebbff_set_sequences_f64(ctx, ws, ANNSCOPE_HEBBFF_TEST, xtest, ytest);
    } else {
        static float p[B * P], xt[B * T * N], yt[B * T], xs[B * TT * N], ys[B * TT];
        for (int k = 0; k < B * P; k++) p[k] = (float)params0[k];
        for (int k = 0; k < B * T * N; k++) xt[k] = (float)xtrain[k];
        for (int k = 0; k < B * T; k++) yt[k] = (float)ytrain[k];
        for (int k = 0; k < B * TT * N; k++) xs[k] = (float)xtest[k];
        for (int k = 0; k < B * TT; k++) ys[k] = (float)ytest[k];
        CHECK(annscope_hebbff_set_state_f32(ws, ANNSCOPE_HEBBFF_PARAMS, p) == 0, "%s", annscope_last_error());
        CHECK(annscope_hebbff_set_sequences_f32(ctx, ws, ANNSCOPE_HEBBFF_TRAIN, xt, yt) == 0, "%s", annscope_last_error());
        CHECK(annscope_hebbff_set_sequences_f32(ctx, ws, ANNSCOPE_HEBBFF_TEST, xs, ys) == 0, "%s", annscope_last_error());
    }
    return ws;
}

static double rel_diff_f32(const float* a, const float* b, int n)
{
    double worst = 0, scale = 0;
    for (int k = 0; k < n; k++) scale = fmax(scale, fabs(a[k]));
    for (int k = 0; k < n; k++) worst = fmax(worst, fabs((double)a[k] - b[k]));
    return worst / fmax(scale, 1e-30);
}

/* Float32 gradients are judged by their distance from the float64 gradient of the same networks (MKL; the OpenCL
 * float64 gradient matches it to 1e-12 below). The two float32 backends round differently, and their largest error —
 * lambda's gradient, carried by a float32 tangent through a lambda of 0.99 — reaches 1.3e-5 (MKL) and 2.6e-5
 * (OpenCL) of the largest entry here, on opposite sides, so each is held to its own bound rather than to the other. */
static void gradients(annscope_context* mkl, annscope_context* ocl)
{
    double worst_gradient = 0, worst_error[2] = {0, 0};
    const double bound[2] = {2e-5, 3e-5}; /* MKL, OpenCL */
    const int modes[] = {ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_PLASTICITY_HEBB, ANNSCOPE_PLASTICITY_FREE,
                         ANNSCOPE_PLASTICITY_NONE};
    for (int m = 0; m < 4; m++) {
        annscope_hebbff *a = workspace(mkl, ANNSCOPE_F32, modes[m]), *b = workspace(ocl, ANNSCOPE_F32, modes[m]),
                        *wide = workspace(mkl, ANNSCOPE_F64, modes[m]);
        static float ga[B * P], gb[B * P];
        static double exact[B * P];
        double la[B], lb[B];
        CHECK(annscope_hebbff_gradient_f32(mkl, a, ga, la) == 0, "%s", annscope_last_error());
        CHECK(annscope_hebbff_gradient_f32(ocl, b, gb, lb) == 0, "%s", annscope_last_error());
        CHECK(annscope_hebbff_gradient_f64(mkl, wide, exact, NULL) == 0, "%s", annscope_last_error());
        for (int i = 0; i < B; i++) CHECK(fabs(la[i] - lb[i]) < 1e-6, "loss %g vs %g", la[i], lb[i]);
        for (int i = 0; i < B; i++) {
            worst_gradient = fmax(worst_gradient, rel_diff_f32(ga + i * P, gb + i * P, P));
            double scale = 0;
            for (int k = 0; k < P; k++) scale = fmax(scale, fabs(exact[i * P + k]));
            for (int backend = 0; backend < 2; backend++) {
                const float* g = (backend == 0 ? ga : gb) + i * P;
                double error = 0;
                for (int k = 0; k < P; k++) error = fmax(error, fabs(g[k] - exact[i * P + k]));
                error /= fmax(scale, 1e-30);
                worst_error[backend] = fmax(worst_error[backend], error);
                CHECK(error < bound[backend], "mode %d instance %d: %s float32 gradient is %g of its largest entry away from float64",
                      modes[m], i, backend == 0 ? "MKL" : "OpenCL", error);
            }
        }
        annscope_hebbff_destroy(a);
        annscope_hebbff_destroy(b);
        annscope_hebbff_destroy(wide);
    }
    printf("float32 gradients vs float64: MKL %.3g, OpenCL %.3g of the largest entry\n", worst_error[0], worst_error[1]);
    printf("float32 gradients: largest difference %.3g of the largest entry\n", worst_gradient);
    if (!has_fp64) return;
    annscope_hebbff *a = workspace(mkl, ANNSCOPE_F64, ANNSCOPE_PLASTICITY_ANTI),
                    *b = workspace(ocl, ANNSCOPE_F64, ANNSCOPE_PLASTICITY_ANTI);
    static double ga[B * P], gb[B * P];
    CHECK(annscope_hebbff_gradient_f64(mkl, a, ga, NULL) == 0, "%s", annscope_last_error());
    CHECK(annscope_hebbff_gradient_f64(ocl, b, gb, NULL) == 0, "%s", annscope_last_error());
    double worst = 0, scale = 0;
    for (int k = 0; k < B * P; k++) {
        worst = fmax(worst, fabs(ga[k] - gb[k]));
        scale = fmax(scale, fabs(ga[k]));
    }
    CHECK(worst <= 1e-12 * scale, "f64 gradient differs by %g (scale %g)", worst, scale);
    printf("float64 gradients: largest difference %.3g of the largest entry\n", worst / scale);
    annscope_hebbff_destroy(a);
    annscope_hebbff_destroy(b);
}

static void trajectory(annscope_context* mkl, annscope_context* ocl, annscope_context* ocl_small)
{
    annscope_hebbff *a = workspace(mkl, ANNSCOPE_F32, ANNSCOPE_PLASTICITY_ANTI),
                    *b = workspace(ocl, ANNSCOPE_F32, ANNSCOPE_PLASTICITY_ANTI),
                    *c = workspace(ocl_small, ANNSCOPE_F32, ANNSCOPE_PLASTICITY_ANTI);
    double la[B], lb[B], lc[B], worst_loss = 0;
    for (int e = 0; e < 50; e++) {
        CHECK(annscope_hebbff_train_epoch(mkl, a, la) == 0, "%s", annscope_last_error());
        CHECK(annscope_hebbff_train_epoch(ocl, b, lb) == 0, "%s", annscope_last_error());
        CHECK(annscope_hebbff_train_epoch(ocl_small, c, lc) == 0, "%s", annscope_last_error());
        for (int i = 0; i < B; i++) {
            worst_loss = fmax(worst_loss, fabs(la[i] - lb[i]));
            CHECK(lb[i] == lc[i], "chunked loss differs at epoch %d", e);
        }
    }
    CHECK(worst_loss < 1e-5, "losses over 50 epochs differ by %g", worst_loss);
    int64_t step = 0;
    annscope_hebbff_get_step(b, &step);
    CHECK(step == 50, "step %lld", (long long)step);
    static float pa[B * P], pb[B * P], pc[B * P], ma[B * P], mb[B * P];
    annscope_hebbff_get_state_f32(a, ANNSCOPE_HEBBFF_PARAMS, pa);
    annscope_hebbff_get_state_f32(b, ANNSCOPE_HEBBFF_PARAMS, pb);
    annscope_hebbff_get_state_f32(c, ANNSCOPE_HEBBFF_PARAMS, pc);
    annscope_hebbff_get_state_f32(a, ANNSCOPE_HEBBFF_ADAM_M, ma);
    annscope_hebbff_get_state_f32(b, ANNSCOPE_HEBBFF_ADAM_M, mb);
    double worst = 0;
    for (int k = 0; k < B * P; k++) worst = fmax(worst, fabs((double)pa[k] - pb[k]));
    CHECK(worst < 1e-4, "parameters after 50 epochs differ by %g", worst);
    printf("50 float32 epochs: losses differ by at most %.3g, parameters by %.3g\n", worst_loss, worst);
    CHECK(memcmp(pb, pc, sizeof pb) == 0, "chunked training differs");
    CHECK(rel_diff_f32(ma, mb, B * P) < 1e-4, "Adam moments differ by %g", rel_diff_f32(ma, mb, B * P));

    static float acta[B * TT * M], actb[B * TT * M], ha[B * TT * M], hb[B * TT * M], ya[B * TT], yb[B * TT];
    annscope_hebbff_metrics mta[B], mtb[B];
    CHECK(annscope_hebbff_evaluate_f32(mkl, a, acta, ha, ya, mta) == 0, "%s", annscope_last_error());
    CHECK(annscope_hebbff_evaluate_f32(ocl, b, actb, hb, yb, mtb) == 0, "%s", annscope_last_error());
    double da = 0, dh = 0, dy = 0;
    for (int k = 0; k < B * TT * M; k++) {
        da = fmax(da, fabs((double)acta[k] - actb[k]));
        dh = fmax(dh, fabs((double)ha[k] - hb[k]));
    }
    for (int k = 0; k < B * TT; k++) dy = fmax(dy, fabs((double)ya[k] - yb[k]));
    CHECK(da < 1e-3 && dh < 1e-4 && dy < 1e-4, "evaluation differs: a %g h %g yhat %g", da, dh, dy);
    printf("evaluation after 50 epochs: a(t) differs by %.3g, h(t) by %.3g, yhat by %.3g\n", da, dh, dy);
    for (int i = 0; i < B; i++) {
        CHECK(fabs(mta[i].loss - mtb[i].loss) < 1e-5 && fabs(mta[i].lambda - mtb[i].lambda) < 1e-5 &&
                  fabs(mta[i].eta - mtb[i].eta) < 1e-6 && mta[i].familiar_fraction == mtb[i].familiar_fraction,
              "metrics differ: loss %g/%g", mta[i].loss, mtb[i].loss);
        CHECK(fabs(mta[i].accuracy - mtb[i].accuracy) <= 1.0 / TT, "accuracy %g vs %g", mta[i].accuracy, mtb[i].accuracy);
    }
    /* evaluation without any output array still yields metrics */
    CHECK(annscope_hebbff_evaluate_f32(ocl, b, NULL, NULL, NULL, mtb) == 0, "%s", annscope_last_error());

    /* state set on the host reaches the device: restarting b from a's state continues like a */
    annscope_hebbff_set_state_f32(b, ANNSCOPE_HEBBFF_PARAMS, pa);
    annscope_hebbff_set_state_f32(b, ANNSCOPE_HEBBFF_ADAM_M, ma);
    annscope_hebbff_get_state_f32(a, ANNSCOPE_HEBBFF_ADAM_V, ma);
    annscope_hebbff_set_state_f32(b, ANNSCOPE_HEBBFF_ADAM_V, ma);
    annscope_hebbff_train_epoch(mkl, a, la);
    annscope_hebbff_train_epoch(ocl, b, lb);
    for (int i = 0; i < B; i++) CHECK(fabs(la[i] - lb[i]) < 1e-6, "after set_state: loss %g vs %g", la[i], lb[i]);
    annscope_hebbff_destroy(a);
    annscope_hebbff_destroy(b);
    annscope_hebbff_destroy(c);
}

static void errors(annscope_context* mkl, annscope_context* ocl)
{
    annscope_hebbff* b = workspace(ocl, ANNSCOPE_F32, ANNSCOPE_PLASTICITY_ANTI);
    double loss[B];
    CHECK(annscope_hebbff_train_epoch(mkl, b, loss) == ANNSCOPE_E_ARGUMENT, "MKL context accepted for an OpenCL workspace");
    annscope_context* other = NULL;
    annscope_context_create_opencl(cl_ctx, cl_dev, cl_q, 0, &other);
    CHECK(annscope_hebbff_train_epoch(other, b, loss) == 0, "same OpenCL context, another annscope context: %s",
          annscope_last_error());
    annscope_context_destroy(other);
    annscope_hebbff_destroy(b);

    annscope_context* tiny = NULL;
    annscope_context_create_opencl(cl_ctx, cl_dev, cl_q, 4096, &tiny);
    annscope_hebbff_config c = {B, N, M, T, TT, 1e-3, 0.9, 0.999, 1e-8, ANNSCOPE_PLASTICITY_ANTI, ANNSCOPE_F32};
    annscope_hebbff* ws = NULL;
    CHECK(annscope_hebbff_create(tiny, &c, &ws) == ANNSCOPE_E_OPENCL && !ws, "tiny budget accepted");
    CHECK(strstr(annscope_last_error(), "out of device memory") && strstr(annscope_last_error(), "bytes"), "message: %s",
          annscope_last_error());
    annscope_context_destroy(tiny);
}

int main(void)
{
    if (!open_device()) {
        printf("no OpenCL platform/device: skipped\n");
        return 77;
    }
    make_data();
    annscope_context *mkl, *ocl, *ocl_small;
    annscope_context_create(ANNSCOPE_BACKEND_MKL, 2, &mkl);
    CHECK(annscope_context_create_opencl(cl_ctx, cl_dev, cl_q, 0, &ocl) == 0, "%s", annscope_last_error());
    /* resident state is ~62 kB (parameters, Adam moments, gradient: 4 x 3 x 352 floats; inputs 3 x 150 x 24
     * floats) and an epoch's scratch ~20 kB per instance: a 100 kB limit trains one instance at a time */
    CHECK(annscope_context_create_opencl(cl_ctx, cl_dev, cl_q, 100000, &ocl_small) == 0, "%s", annscope_last_error());
    gradients(mkl, ocl);
    trajectory(mkl, ocl, ocl_small);
    errors(mkl, ocl);
    annscope_context_destroy(mkl);
    annscope_context_destroy(ocl);
    annscope_context_destroy(ocl_small);
    return CHECK_DONE();
}
