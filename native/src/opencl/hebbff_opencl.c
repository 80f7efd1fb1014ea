/* The OpenCL backend of HebbFF (kernels/hebbff.cl). The workspace's state lives on the device only, in the
 * padded layout of hebbff_backend.h: parameters and Adam moments stay there between calls, set_state and
 * set_sequences write the device buffers, get_state reads them back. Instances run in chunks sized to the device memory budget. An epoch is one launch for lambda and
 * eta, five per chunk (forward, output, backward, dW1, finish: the whole batch is one chunk unless memory is
 * short) and one Adam step for the whole batch; an evaluation is one plus three per chunk. */
#include "opencl_internal.h"

#include "../hebbff/hebbff_backend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_SCALARS, K_FORWARD, K_OUTPUT, K_BACKWARD, K_DW1, K_FINISH, K_METRICS, K_ADAM, K_COUNT };
static const char* const kernel_names[K_COUNT] = {"as_hebbff_scalars", "as_hebbff_forward",  "as_hebbff_output",
                                                  "as_hebbff_backward", "as_hebbff_dw1",     "as_hebbff_finish",
                                                  "as_hebbff_metrics", "as_hebbff_adam"};

/* device scratch of one kind of call, for `chunk` instances at a time */
enum { S_A, S_AD, S_G, S_H, S_HD, S_D, S_YHAT, S_LL, S_LT, S_PART, S_LOSS, S_ACT, S_COUNTS, S_COUNT };
typedef struct scratch {
    int64_t chunk; /* 0 = not allocated */
    size_t bytes;
    cl_mem mem[S_COUNT];
} scratch;

typedef struct as_cl_hebbff {
    cl_context context;
    cl_command_queue queue;
    char device_name[256];
    cl_ulong budget, max_alloc, resident;
    size_t acc_size; /* sizeof the kernels' `acc`: double with cl_khr_fp64, else the working precision */
    cl_kernel kernels[K_COUNT];
    cl_mem params, adam_m, adam_v, grad, scal, x[2], y[2];
    scratch train, eval;
} as_cl_hebbff;

typedef struct kernel_arg {
    size_t size;
    const void* value;
} kernel_arg;
#define ARG(v) {sizeof(v), &(v)}

static int64_t round_up(int64_t n, int64_t multiple) { return (n + multiple - 1) / multiple * multiple; }

static void release_scratch(scratch* s)
{
    for (int m = 0; m < S_COUNT; m++) as_cl_release_mem(s->mem[m]);
    memset(s, 0, sizeof *s);
}

static void destroy(annscope_hebbff* ws)
{
    as_cl_hebbff* d = ws->impl;
    if (!d) return;
    release_scratch(&d->train);
    release_scratch(&d->eval);
    cl_mem resident[] = {d->params, d->adam_m, d->adam_v, d->grad, d->scal, d->x[0], d->x[1], d->y[0], d->y[1]};
    for (size_t m = 0; m < sizeof resident / sizeof resident[0]; m++) as_cl_release_mem(resident[m]);
    for (int k = 0; k < K_COUNT; k++) as_cl_release_kernel(d->kernels[k]);
    if (d->queue) clReleaseCommandQueue(d->queue);
    if (d->context) clReleaseContext(d->context);
    free(d);
    ws->impl = NULL;
}

static int resident_buffer(as_cl_hebbff* d, size_t bytes, const char* what, cl_mem* out)
{
    if (bytes > d->max_alloc)
        return as_fail(ANNSCOPE_E_OPENCL, "hebbff: out of device memory: %s need %zu bytes (%.1f MiB) in one buffer but "
                       "'%s' allows at most %llu (CL_DEVICE_MAX_MEM_ALLOC_SIZE); use fewer instances per workspace",
                       what, bytes, (double)bytes / 1048576.0, d->device_name, (unsigned long long)d->max_alloc);
    cl_int err;
    *out = clCreateBuffer(d->context, CL_MEM_READ_WRITE, bytes, NULL, &err);
    if (err != CL_SUCCESS) {
        *out = NULL;
        return as_cl_fail_memory(d->device_name, err, what, bytes);
    }
    d->resident += bytes;
    return ANNSCOPE_OK;
}

static int create(annscope_context* ctx, annscope_hebbff* ws)
{
    as_opencl* cl = as_cl_state(ctx);
    if (!cl) return ANNSCOPE_E_STATE;
    as_cl_hebbff* d = calloc(1, sizeof *d);
    if (!d) return as_fail(ANNSCOPE_E_NOMEM, "hebbff_create: out of memory");
    ws->impl = d;
    d->context = cl->context;
    d->queue = cl->queue;
    clRetainContext(d->context);
    clRetainCommandQueue(d->queue);
    memcpy(d->device_name, cl->device_name, sizeof d->device_name);
    d->budget = cl->memory_budget;
    d->max_alloc = cl->max_alloc;
    d->acc_size = cl->fp64 ? sizeof(double) : ws->elem;

    cl_program program;
    omp_set_lock(&cl->lock);
    int status = as_cl_program(cl, "hebbff", ws->precision == ANNSCOPE_F64, &program);
    omp_unset_lock(&cl->lock);
    for (int k = 0; k < K_COUNT && status == ANNSCOPE_OK; k++) {
        cl_int err;
        d->kernels[k] = clCreateKernel(program, kernel_names[k], &err);
        if (err != CL_SUCCESS) status = as_cl_fail(err, "hebbff_create: clCreateKernel(%s)", kernel_names[k]);
    }
    const size_t state = (size_t)(ws->B * ws->pstride) * ws->elem;
    cl_mem* states[] = {&d->params, &d->adam_m, &d->adam_v, &d->grad};
    const char* state_names[] = {"the parameters", "the Adam first moments", "the Adam second moments", "the gradients"};
    for (int s = 0; s < 4 && status == ANNSCOPE_OK; s++) status = resident_buffer(d, state, state_names[s], states[s]);
    if (status == ANNSCOPE_OK) status = resident_buffer(d, (size_t)(2 * ws->B) * ws->elem, "lambda and eta", &d->scal);
    for (int r = 0; r < 2 && status == ANNSCOPE_OK; r++) {
        status = resident_buffer(d, (size_t)(ws->B * ws->length[r] * ws->ld) * ws->elem,
                                 r == 0 ? "the training inputs" : "the test inputs", &d->x[r]);
        if (status == ANNSCOPE_OK)
            status = resident_buffer(d, (size_t)(ws->B * ws->length[r]) * ws->elem,
                                     r == 0 ? "the training labels" : "the test labels", &d->y[r]);
    }
    if (status == ANNSCOPE_OK && d->resident > d->budget)
        status = as_fail(ANNSCOPE_E_OPENCL, "hebbff_create: out of device memory: %lld instances need %llu bytes "
                         "(%.1f MiB) on '%s' before any scratch, over the budget of %llu bytes; use fewer instances "
                         "per workspace or a larger device memory limit", (long long)ws->B,
                         (unsigned long long)d->resident, (double)d->resident / 1048576.0, d->device_name,
                         (unsigned long long)d->budget);
    /* parameters and moments start at zero */
    for (int s = 0; s < 3 && status == ANNSCOPE_OK; s++) {
        const cl_uchar zero = 0;
        cl_int err = clEnqueueFillBuffer(d->queue, *states[s], &zero, 1, 0, state, 0, NULL, NULL);
        if (err != CL_SUCCESS) status = as_cl_fail(err, "hebbff_create: clearing %s on '%s'", state_names[s], d->device_name);
    }
    if (status == ANNSCOPE_OK) {
        cl_int err = clFinish(d->queue);
        if (err != CL_SUCCESS) status = as_cl_fail(err, "hebbff_create: clearing the state on '%s'", d->device_name);
    }
    if (status != ANNSCOPE_OK) {
        char message[2048]; /* destroy may clear the calling thread's message */
        snprintf(message, sizeof message, "%s", annscope_last_error());
        destroy(ws);
        return as_fail(status, "%s", message);
    }
    return ANNSCOPE_OK;
}

/* An enqueue, wait or transfer failed: name it; memory errors say how much this workspace held. */
static int device_failure(const as_cl_hebbff* d, cl_int err, const char* what)
{
    if (err == CL_MEM_OBJECT_ALLOCATION_FAILURE || err == CL_OUT_OF_RESOURCES)
        return as_cl_fail_memory(d->device_name, err, what, (size_t)(d->resident + d->train.bytes + d->eval.bytes));
    return as_cl_fail(err, "hebbff: %s on '%s' failed (the device may have been lost or reset)", what, d->device_name);
}

static int set_sequences(annscope_hebbff* ws, int role, const void* x, const void* y)
{
    as_cl_hebbff* d = ws->impl;
    const int64_t T = ws->length[role];
    const size_t row_bytes = (size_t)(T * ws->ld) * ws->elem;
    char* padded = calloc(1, row_bytes); /* one instance at a time; padding columns zero */
    if (!padded) return as_fail(ANNSCOPE_E_NOMEM, "hebbff_set_sequences: out of host memory");
    cl_int err = CL_SUCCESS;
    for (int64_t b = 0; b < ws->B && err == CL_SUCCESS; b++) {
        as_hebbff_pad_rows(padded, (const char*)x + (size_t)(b * T * ws->N) * ws->elem, T, ws->N, ws->ld, ws->elem);
        err = clEnqueueWriteBuffer(d->queue, d->x[role], CL_TRUE, (size_t)b * row_bytes, row_bytes, padded, 0, NULL, NULL);
    }
    if (err == CL_SUCCESS)
        err = clEnqueueWriteBuffer(d->queue, d->y[role], CL_TRUE, 0, (size_t)(ws->B * T) * ws->elem, y, 0, NULL, NULL);
    free(padded);
    return err != CL_SUCCESS ? device_failure(d, err, "copying the sequences to the device") : ANNSCOPE_OK;
}

static cl_mem state_buffer(const as_cl_hebbff* d, int which)
{
    return which == ANNSCOPE_HEBBFF_PARAMS ? d->params : which == ANNSCOPE_HEBBFF_ADAM_M ? d->adam_m : d->adam_v;
}

static int read_state(annscope_hebbff* ws, int which, void* padded)
{
    as_cl_hebbff* d = ws->impl;
    cl_int err = clEnqueueReadBuffer(d->queue, state_buffer(d, which), CL_TRUE, 0, (size_t)(ws->B * ws->pstride) * ws->elem,
                                     padded, 0, NULL, NULL);
    return err != CL_SUCCESS ? device_failure(d, err, "copying the state from the device") : ANNSCOPE_OK;
}

static int write_state(annscope_hebbff* ws, int which, const void* padded)
{
    as_cl_hebbff* d = ws->impl;
    cl_int err = clEnqueueWriteBuffer(d->queue, state_buffer(d, which), CL_TRUE, 0, (size_t)(ws->B * ws->pstride) * ws->elem,
                                      padded, 0, NULL, NULL);
    return err != CL_SUCCESS ? device_failure(d, err, "copying the state to the device") : ANNSCOPE_OK;
}

static void memory(const annscope_hebbff* ws, int64_t* resident, int64_t* per_thread)
{
    (void)ws;
    *resident = (int64_t)sizeof(as_cl_hebbff); /* the state and the scratch are on the device */
    *per_thread = 0;
}

/* Allocates `s` for as many instances as the budget allows (releasing the other call's scratch when that
 * makes the difference); per[] holds each buffer's bytes per instance (0 = unused). */
static int ensure_scratch(as_cl_hebbff* d, annscope_hebbff* ws, scratch* s, scratch* other, const size_t* per,
                          const char* what)
{
    if (s->chunk) return ANNSCOPE_OK;
    size_t per_instance = 0, largest = 1;
    for (int m = 0; m < S_COUNT; m++) {
        per_instance += per[m];
        if (per[m] > largest) largest = per[m];
    }
    cl_ulong free_bytes = d->budget > d->resident + other->bytes ? d->budget - d->resident - other->bytes : 0;
    if (free_bytes < per_instance && other->chunk) {
        release_scratch(other);
        free_bytes = d->budget > d->resident ? d->budget - d->resident : 0;
    }
    int64_t chunk = ws->B;
    if ((cl_ulong)chunk > free_bytes / per_instance) chunk = (int64_t)(free_bytes / per_instance);
    if ((cl_ulong)chunk > d->max_alloc / largest) chunk = (int64_t)(d->max_alloc / largest);
    if (chunk == 0)
        return as_fail(ANNSCOPE_E_OPENCL, "%s: out of device memory: one instance needs %zu bytes (%.1f MiB) of scratch "
                       "on '%s' but %llu are left of the %llu-byte budget (largest buffer %zu, max allocation %llu)",
                       what, per_instance, (double)per_instance / 1048576.0, d->device_name,
                       (unsigned long long)free_bytes, (unsigned long long)d->budget, largest,
                       (unsigned long long)d->max_alloc);
    for (int m = 0; m < S_COUNT; m++) {
        if (!per[m]) continue;
        cl_int err;
        const size_t bytes = (size_t)chunk * per[m];
        s->mem[m] = clCreateBuffer(d->context, CL_MEM_READ_WRITE, bytes, NULL, &err);
        if (err != CL_SUCCESS) {
            release_scratch(s);
            return device_failure(d, err, what);
        }
        s->bytes += bytes;
    }
    s->chunk = chunk;
    return ANNSCOPE_OK;
}

static cl_int set_args(cl_kernel k, const kernel_arg* args, int count)
{
    for (int a = 0; a < count; a++) {
        cl_int err = clSetKernelArg(k, (cl_uint)a, args[a].size, args[a].value);
        if (err != CL_SUCCESS) return err;
    }
    return CL_SUCCESS;
}

static cl_int launch(as_cl_hebbff* d, int k, const kernel_arg* args, int count, cl_uint dims, const size_t* global)
{
    cl_int err = set_args(d->kernels[k], args, count);
    return err != CL_SUCCESS ? err : clEnqueueNDRangeKernel(d->queue, d->kernels[k], dims, NULL, global, NULL, 0, NULL, NULL);
}

/* The checks every batched call makes: an OpenCL context on the workspace's device. */
static as_cl_hebbff* call_state(annscope_context* ctx, annscope_hebbff* ws, const char* what)
{
    as_opencl* cl = as_cl_state(ctx);
    as_cl_hebbff* d = ws->impl;
    if (!cl) return NULL;
    if (!d || cl->context != d->context) {
        as_fail(ANNSCOPE_E_ARGUMENT, "%s: the workspace was made on another OpenCL context", what);
        return NULL;
    }
    return d;
}

static int run_scalars(as_cl_hebbff* d, annscope_hebbff* ws)
{
    cl_long pstride = ws->pstride;
    cl_int M = (cl_int)ws->M, ld = (cl_int)ws->ld, plasticity = ws->plasticity;
    const kernel_arg args[] = {ARG(d->params), ARG(pstride), ARG(M), ARG(ld), ARG(plasticity), ARG(d->scal)};
    const size_t global[1] = {(size_t)ws->B};
    cl_int err = launch(d, K_SCALARS, args, 6, 1, global);
    return err != CL_SUCCESS ? device_failure(d, err, "as_hebbff_scalars") : ANNSCOPE_OK;
}

static void read_acc(const as_cl_hebbff* d, const void* raw, int64_t i, double* out)
{
    *out = d->acc_size == sizeof(double) ? ((const double*)raw)[i] : (double)((const float*)raw)[i];
}

static int adam_step(as_cl_hebbff* d, annscope_hebbff* ws, int64_t step)
{
    /* PyTorch's Adam: bias corrections in double, then the working precision, as the MKL path does */
    const double bc1 = 1.0 - pow(ws->beta1, (double)step), bc2 = 1.0 - pow(ws->beta2, (double)step);
    const double values[6] = {ws->lr / bc1, sqrt(bc2), ws->eps, 1.0 - ws->beta1, ws->beta2, 1.0 - ws->beta2};
    cl_long pstride = ws->pstride, used = as_hebbff_off_scalars(ws) + 3;
    float f[6];
    for (int v = 0; v < 6; v++) f[v] = (float)values[v];
    const int f64 = ws->precision == ANNSCOPE_F64;
    const size_t rs = f64 ? sizeof(double) : sizeof(float);
#define AS_REAL_ARG(v) {rs, f64 ? (const void*)&values[v] : (const void*)&f[v]}
    const kernel_arg args[] = {ARG(d->params), ARG(d->adam_m), ARG(d->adam_v), ARG(d->grad), ARG(pstride), ARG(used),
                               AS_REAL_ARG(0), AS_REAL_ARG(1), AS_REAL_ARG(2), AS_REAL_ARG(3), AS_REAL_ARG(4),
                               AS_REAL_ARG(5)};
#undef AS_REAL_ARG
    const size_t global[2] = {(size_t)used, (size_t)ws->B};
    cl_int err = launch(d, K_ADAM, args, 12, 2, global);
    return err != CL_SUCCESS ? device_failure(d, err, "as_hebbff_adam") : ANNSCOPE_OK;
}

static int epoch_chunk(as_cl_hebbff* d, annscope_hebbff* ws, cl_long first, int64_t n, double* loss, void* loss_host)
{
    scratch* s = &d->train;
    cl_long pstride = ws->pstride;
    cl_int M = (cl_int)ws->M, ld = (cl_int)ws->ld, T = (cl_int)ws->length[0],
           plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE, plasticity = ws->plasticity;
    /* the lambda tangent exists only with plasticity; without it the kernels see no tangent buffers */
    cl_mem none = NULL, ad = plastic ? s->mem[S_AD] : NULL, hd = plastic ? s->mem[S_HD] : NULL;
    const size_t lanes = ws->elem == sizeof(double) ? 4 : 8; /* one 32-byte vector, as the kernels walk rows */
    const size_t rows[2] = {(size_t)round_up(ws->M, 8), (size_t)n};
    const size_t steps[2] = {(size_t)T, (size_t)n};
    const size_t columns[3] = {(size_t)round_up(ws->M, 8), (size_t)ws->ld / lanes, (size_t)n};
    const size_t instances[1] = {(size_t)n};
    const kernel_arg forward[] = {ARG(d->params), ARG(pstride), ARG(M), ARG(ld), ARG(d->scal), ARG(d->x[0]), ARG(T),
                                  ARG(first), ARG(plastic), ARG(s->mem[S_A]), ARG(ad), ARG(s->mem[S_H]), ARG(hd),
                                  ARG(none)};
    const kernel_arg output[] = {ARG(d->params), ARG(pstride), ARG(M), ARG(ld), ARG(s->mem[S_H]), ARG(hd), ARG(T),
                                 ARG(first), ARG(d->y[0]), ARG(s->mem[S_YHAT]), ARG(s->mem[S_LL]), ARG(s->mem[S_LT])};
    const kernel_arg backward[] = {ARG(d->params), ARG(pstride), ARG(M), ARG(ld), ARG(d->scal), ARG(d->x[0]),
                                   ARG(d->y[0]), ARG(T), ARG(first), ARG(plastic), ARG(s->mem[S_H]),
                                   ARG(s->mem[S_YHAT]), ARG(s->mem[S_G]), ARG(s->mem[S_D]), ARG(s->mem[S_PART])};
    const kernel_arg dw1[] = {ARG(d->x[0]), ARG(T), ARG(M), ARG(ld), ARG(first), ARG(s->mem[S_D]), ARG(d->grad),
                              ARG(pstride)};
    const kernel_arg finish[] = {ARG(d->scal), ARG(d->y[0]), ARG(T), ARG(M), ARG(ld), ARG(first), ARG(plasticity),
                                 ARG(s->mem[S_YHAT]), ARG(s->mem[S_LL]), ARG(s->mem[S_LT]), ARG(s->mem[S_PART]),
                                 ARG(d->grad), ARG(pstride), ARG(s->mem[S_LOSS])};
    cl_int err;
    if ((err = launch(d, K_FORWARD, forward, 14, 2, rows)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_forward");
    if ((err = launch(d, K_OUTPUT, output, 12, 2, steps)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_output");
    if ((err = launch(d, K_BACKWARD, backward, 15, 2, rows)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_backward");
    if ((err = launch(d, K_DW1, dw1, 8, 3, columns)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_dw1");
    if ((err = launch(d, K_FINISH, finish, 14, 1, instances)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_finish");
    if (loss) {
        if ((err = clEnqueueReadBuffer(d->queue, s->mem[S_LOSS], CL_TRUE, 0, (size_t)n * d->acc_size, loss_host, 0, NULL,
                                       NULL)) != CL_SUCCESS)
            return device_failure(d, err, "running the HebbFF epoch");
        for (int64_t b = 0; b < n; b++) read_acc(d, loss_host, b, &loss[first + b]);
    }
    return ANNSCOPE_OK;
}

static int epoch(annscope_context* ctx, annscope_hebbff* ws, int adam, void* grad_out, double* loss, int64_t part_first,
                 int64_t part_count)
{
    as_cl_hebbff* d = call_state(ctx, ws, adam ? "hebbff_train_epoch" : "hebbff_gradient");
    if (!d) return ANNSCOPE_E_STATE;
    /* a device runs the batch in launches of its own sizing; parts of an epoch only serve to share host cores */
    if (part_first != 0 || part_count != ws->B)
        return as_fail(ANNSCOPE_E_BACKEND, "hebbff_train_instances: the OpenCL backend trains the whole batch per call");
    const int64_t T = ws->length[0], M = ws->M, mat = M * ws->ld, e = (int64_t)ws->elem, a = (int64_t)d->acc_size;
    size_t per[S_COUNT] = {0};
    per[S_A] = per[S_AD] = per[S_G] = (size_t)(mat * e);
    per[S_H] = per[S_HD] = per[S_D] = (size_t)(T * M * e);
    per[S_YHAT] = (size_t)(T * e);
    per[S_LL] = per[S_LT] = (size_t)(T * a);
    per[S_PART] = (size_t)(3 * M * a);
    per[S_LOSS] = (size_t)a;
    int status = ensure_scratch(d, ws, &d->train, &d->eval, per, "hebbff epoch");
    void* loss_host = status == ANNSCOPE_OK && loss ? malloc((size_t)d->train.chunk * d->acc_size) : NULL;
    if (status == ANNSCOPE_OK && loss && !loss_host) status = as_fail(ANNSCOPE_E_NOMEM, "hebbff: out of host memory");
    if (status == ANNSCOPE_OK) status = run_scalars(d, ws); /* lambda is clamped on the device from here on */
    for (int64_t first = 0; status == ANNSCOPE_OK && first < ws->B; first += d->train.chunk) {
        const int64_t n = ws->B - first < d->train.chunk ? ws->B - first : d->train.chunk;
        status = epoch_chunk(d, ws, (cl_long)first, n, loss, loss_host);
    }
    free(loss_host);
    const int64_t step = ws->step + 1;
    if (status == ANNSCOPE_OK && adam) status = adam_step(d, ws, step);
    if (status == ANNSCOPE_OK && !adam && grad_out) {
        cl_int err = clEnqueueReadBuffer(d->queue, d->grad, CL_TRUE, 0, (size_t)(ws->B * ws->pstride) * ws->elem, grad_out,
                                         0, NULL, NULL);
        if (err != CL_SUCCESS) status = device_failure(d, err, "reading the gradients back");
    }
    cl_int err = clFinish(d->queue);
    if (status == ANNSCOPE_OK && err != CL_SUCCESS) status = device_failure(d, err, "finishing the HebbFF epoch");
    return status;
}

static int evaluate_chunk(as_cl_hebbff* d, annscope_hebbff* ws, cl_long first, int64_t n, char* activations,
                          char* hidden, char* outputs, annscope_hebbff_metrics* metrics, void* loss_host,
                          cl_int* counts, const double* scalars)
{
    scratch* s = &d->eval;
    cl_long pstride = ws->pstride;
    cl_int M = (cl_int)ws->M, ld = (cl_int)ws->ld, T = (cl_int)ws->length[1],
           plastic = ws->plasticity != ANNSCOPE_PLASTICITY_NONE;
    cl_mem none = NULL, act = activations ? s->mem[S_ACT] : NULL;
    const size_t rows[2] = {(size_t)round_up(ws->M, 8), (size_t)n};
    const size_t steps[2] = {(size_t)T, (size_t)n};
    const size_t instances[1] = {(size_t)n};
    const kernel_arg forward[] = {ARG(d->params), ARG(pstride), ARG(M), ARG(ld), ARG(d->scal), ARG(d->x[1]), ARG(T),
                                  ARG(first), ARG(plastic), ARG(s->mem[S_A]), ARG(none), ARG(s->mem[S_H]), ARG(none),
                                  ARG(act)};
    const kernel_arg output[] = {ARG(d->params), ARG(pstride), ARG(M), ARG(ld), ARG(s->mem[S_H]), ARG(none), ARG(T),
                                 ARG(first), ARG(d->y[1]), ARG(s->mem[S_YHAT]), ARG(s->mem[S_LL]), ARG(none)};
    const kernel_arg measures[] = {ARG(d->y[1]), ARG(T), ARG(first), ARG(s->mem[S_YHAT]), ARG(s->mem[S_LL]),
                                   ARG(s->mem[S_LOSS]), ARG(s->mem[S_COUNTS])};
    cl_int err;
    if ((err = launch(d, K_FORWARD, forward, 14, 2, rows)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_forward");
    if ((err = launch(d, K_OUTPUT, output, 12, 2, steps)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_output");
    if ((err = launch(d, K_METRICS, measures, 7, 1, instances)) != CL_SUCCESS) return device_failure(d, err, "as_hebbff_metrics");
    const size_t e = ws->elem, series = (size_t)(n * T * M) * e, offset = (size_t)(first * T * M) * e;
    if ((activations && (err = clEnqueueReadBuffer(d->queue, s->mem[S_ACT], CL_FALSE, 0, series, activations + offset, 0,
                                                   NULL, NULL))) ||
        (hidden && (err = clEnqueueReadBuffer(d->queue, s->mem[S_H], CL_FALSE, 0, series, hidden + offset, 0, NULL, NULL))) ||
        (outputs && (err = clEnqueueReadBuffer(d->queue, s->mem[S_YHAT], CL_FALSE, 0, (size_t)(n * T) * e,
                                               outputs + (size_t)(first * T) * e, 0, NULL, NULL))) ||
        (err = clEnqueueReadBuffer(d->queue, s->mem[S_LOSS], CL_FALSE, 0, (size_t)n * d->acc_size, loss_host, 0, NULL, NULL)) ||
        (err = clEnqueueReadBuffer(d->queue, s->mem[S_COUNTS], CL_TRUE, 0, (size_t)n * 4 * sizeof(cl_int), counts, 0,
                                   NULL, NULL)))
        return device_failure(d, err, "running the HebbFF evaluation");
    for (int64_t b = 0; metrics && b < n; b++) {
        double loss;
        read_acc(d, loss_host, b, &loss);
        const cl_int* c = counts + 4 * b;
        as_hebbff_metrics_of(ws->length[1], c[0], c[1], c[2], c[3], loss, scalars[2 * (first + b)],
                             scalars[2 * (first + b) + 1], metrics + first + b);
    }
    return ANNSCOPE_OK;
}

static int evaluate(annscope_context* ctx, annscope_hebbff* ws, void* activations, void* hidden, void* outputs,
                    annscope_hebbff_metrics* metrics)
{
    as_cl_hebbff* d = call_state(ctx, ws, "hebbff_evaluate");
    if (!d) return ANNSCOPE_E_STATE;
    const int64_t T = ws->length[1], M = ws->M, e = (int64_t)ws->elem, a = (int64_t)d->acc_size;
    size_t per[S_COUNT] = {0};
    per[S_A] = (size_t)(M * ws->ld * e);
    per[S_H] = per[S_ACT] = (size_t)(T * M * e);
    per[S_YHAT] = (size_t)(T * e);
    per[S_LL] = (size_t)(T * a);
    per[S_LOSS] = (size_t)a;
    per[S_COUNTS] = 4 * sizeof(cl_int);
    int status = ensure_scratch(d, ws, &d->eval, &d->train, per, "hebbff evaluation");
    const int64_t chunk = d->eval.chunk;
    void* loss_host = status == ANNSCOPE_OK ? malloc((size_t)chunk * d->acc_size) : NULL;
    cl_int* counts = status == ANNSCOPE_OK ? malloc((size_t)chunk * 4 * sizeof(cl_int)) : NULL;
    double* scalars = status == ANNSCOPE_OK ? malloc((size_t)(2 * ws->B) * sizeof(double)) : NULL;
    void* raw_scalars = status == ANNSCOPE_OK ? malloc((size_t)(2 * ws->B) * ws->elem) : NULL;
    if (status == ANNSCOPE_OK && (!loss_host || !counts || !scalars || !raw_scalars))
        status = as_fail(ANNSCOPE_E_NOMEM, "hebbff_evaluate: out of host memory");
    if (status == ANNSCOPE_OK) status = run_scalars(d, ws);
    if (status == ANNSCOPE_OK) {
        cl_int err = clEnqueueReadBuffer(d->queue, d->scal, CL_TRUE, 0, (size_t)(2 * ws->B) * ws->elem, raw_scalars, 0,
                                         NULL, NULL);
        if (err != CL_SUCCESS) status = device_failure(d, err, "reading lambda and eta");
        for (int64_t k = 0; status == ANNSCOPE_OK && k < 2 * ws->B; k++)
            scalars[k] = ws->elem == sizeof(double) ? ((double*)raw_scalars)[k] : (double)((float*)raw_scalars)[k];
    }
    for (int64_t first = 0; status == ANNSCOPE_OK && first < ws->B; first += chunk) {
        const int64_t n = ws->B - first < chunk ? ws->B - first : chunk;
        status = evaluate_chunk(d, ws, (cl_long)first, n, activations, hidden, outputs, metrics, loss_host, counts, scalars);
    }
    if (status != ANNSCOPE_OK) clFinish(d->queue); /* nothing may still write caller memory */
    free(loss_host);
    free(counts);
    free(scalars);
    free(raw_scalars);
    return status;
}

const as_hebbff_ops as_hebbff_opencl = {
    .name = "opencl", .create = create, .destroy = destroy, .set_sequences = set_sequences, .read_state = read_state,
    .write_state = write_state, .epoch = epoch, .evaluate = evaluate, .memory = memory,
};
