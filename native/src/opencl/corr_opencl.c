/* Host side of the OpenCL correlation kernels (kernels/corr.cl): chunks the batch to the device's memory,
 * streams each chunk through prepare -> gram -> read back, and turns column statuses into the same
 * constant-unit count and NaN report as the MKL path. */
#include "opencl_internal.h"

#include "../corr/corr_backend.h"

#include <stdlib.h>

/* must match kernels/corr.cl */
enum { COLUMN_CONSTANT = 1, COLUMN_NOT_FINITE = 2, ROWS = 8, WIDTH = 32 };

typedef struct corr_job {
    as_opencl* cl;
    const char* what;
    const char* x;
    char* out;
    int64_t samples, units, window, nwin, tasks;
    int element_size, correlation;
} corr_job;

typedef struct corr_device {
    cl_mem x, scratch, out, status;
    cl_kernel prepare, gram;
    int* status_host;
    size_t held; /* device bytes allocated by this call, for the error message */
} corr_device;

static void release(corr_device* d)
{
    as_cl_release_mem(d->x);
    as_cl_release_mem(d->scratch);
    as_cl_release_mem(d->out);
    as_cl_release_mem(d->status);
    as_cl_release_kernel(d->prepare);
    as_cl_release_kernel(d->gram);
    free(d->status_host);
}

/* How many tasks fit on the device at once; 0 when not even one does (the message says why). */
static int64_t chunk_tasks(const corr_job* j, size_t window_bytes, size_t matrix_bytes, size_t status_bytes)
{
    const as_opencl* cl = j->cl;
    size_t per_task = 2 * window_bytes + matrix_bytes + status_bytes;
    int64_t n = j->tasks;
    if ((cl_ulong)n > cl->memory_budget / per_task) n = (int64_t)(cl->memory_budget / per_task);
    if ((cl_ulong)n > cl->max_alloc / window_bytes) n = (int64_t)(cl->max_alloc / window_bytes);
    if ((cl_ulong)n > cl->max_alloc / matrix_bytes) n = (int64_t)(cl->max_alloc / matrix_bytes);
    if (n == 0)
        as_fail(ANNSCOPE_E_OPENCL,
                "%s: out of device memory: one window needs %zu bytes (%.1f MiB) on '%s' but a call may use %llu "
                "bytes (memory limit) and one buffer at most %llu bytes (CL_DEVICE_MAX_MEM_ALLOC_SIZE)",
                j->what, per_task, (double)per_task / 1048576.0, cl->device_name,
                (unsigned long long)cl->memory_budget, (unsigned long long)cl->max_alloc);
    return n;
}

static int allocate(const corr_job* j, corr_device* d, int64_t chunk, size_t window_bytes, size_t matrix_bytes)
{
    as_opencl* cl = j->cl;
    struct { cl_mem* mem; cl_mem_flags flags; size_t bytes; const char* what; } buffers[] = {
        {&d->x, CL_MEM_READ_ONLY, (size_t)chunk * window_bytes, "the input windows"},
        {&d->scratch, CL_MEM_READ_WRITE, (size_t)chunk * window_bytes, "the centred windows"},
        {&d->out, CL_MEM_WRITE_ONLY, (size_t)chunk * matrix_bytes, "the output matrices"},
        {&d->status, CL_MEM_WRITE_ONLY, (size_t)chunk * (size_t)j->units * sizeof(cl_int), "the column statuses"},
    };
    for (size_t b = 0; b < sizeof buffers / sizeof buffers[0]; b++) {
        int status = as_cl_buffer(cl, buffers[b].flags, buffers[b].bytes, buffers[b].what, buffers[b].mem);
        if (status != ANNSCOPE_OK) return status;
        d->held += buffers[b].bytes;
    }
    d->status_host = malloc((size_t)chunk * (size_t)j->units * sizeof(int));
    if (!d->status_host) return as_fail(ANNSCOPE_E_NOMEM, "%s: out of host memory for column statuses", j->what);
    return ANNSCOPE_OK;
}

static int kernels(const corr_job* j, corr_device* d)
{
    cl_program program;
    int status = as_cl_program(j->cl, "corr", j->element_size == 8, &program);
    if (status != ANNSCOPE_OK) return status;
    cl_int err;
    d->prepare = clCreateKernel(program, "as_window_prepare", &err);
    if (err == CL_SUCCESS) d->gram = clCreateKernel(program, "as_window_gram", &err);
    if (err != CL_SUCCESS) return as_cl_fail(err, "%s: clCreateKernel on '%s'", j->what, j->cl->device_name);
    cl_long window = j->window, units = j->units;
    cl_int correlation = j->correlation;
    if ((err = clSetKernelArg(d->prepare, 0, sizeof(cl_mem), &d->x)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->prepare, 1, sizeof window, &window)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->prepare, 2, sizeof units, &units)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->prepare, 3, sizeof correlation, &correlation)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->prepare, 4, sizeof(cl_mem), &d->scratch)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->prepare, 5, sizeof(cl_mem), &d->status)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->gram, 0, sizeof(cl_mem), &d->scratch)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->gram, 1, sizeof window, &window)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->gram, 2, sizeof units, &units)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->gram, 3, sizeof correlation, &correlation)) != CL_SUCCESS ||
        (err = clSetKernelArg(d->gram, 4, sizeof(cl_mem), &d->out)) != CL_SUCCESS)
        return as_cl_fail(err, "%s: clSetKernelArg", j->what);
    return ANNSCOPE_OK;
}

/* An enqueue or wait failed: name the step; memory errors also name what the call held on the device. */
static int step_failure(const corr_job* j, const corr_device* d, cl_int err, const char* step)
{
    if (err == CL_MEM_OBJECT_ALLOCATION_FAILURE || err == CL_OUT_OF_RESOURCES)
        return as_cl_fail_memory(j->cl->device_name, err, step, d->held);
    return as_cl_fail(err, "%s: %s on '%s' failed (the device may have been lost or reset)", j->what, step,
                      j->cl->device_name);
}

static int run(const corr_job* j, int64_t* constant_units)
{
    as_opencl* cl = j->cl;
    if (cl->max_work_group < WIDTH)
        return as_fail(ANNSCOPE_E_BACKEND, "%s: the OpenCL device '%s' allows work-groups of %zu items; these kernels "
                       "need %d", j->what, cl->device_name, cl->max_work_group, WIDTH);
    const size_t window_bytes = (size_t)(j->window * j->units) * (size_t)j->element_size;
    const size_t matrix_bytes = (size_t)(j->units * j->units) * (size_t)j->element_size;
    const size_t status_bytes = (size_t)j->units * sizeof(cl_int);
    const int64_t chunk = chunk_tasks(j, window_bytes, matrix_bytes, status_bytes);
    if (chunk == 0) return ANNSCOPE_E_OPENCL;
    corr_device d = {0};
    int status = allocate(j, &d, chunk, window_bytes, matrix_bytes);
    if (status == ANNSCOPE_OK) status = kernels(j, &d); /* binds the buffers as arguments */
    int64_t constant = 0;
    for (int64_t first = 0; status == ANNSCOPE_OK && first < j->tasks; first += chunk) {
        const int64_t n = j->tasks - first < chunk ? j->tasks - first : chunk;
        const size_t prepare_global[2] = {(size_t)((j->units + 7) / 8), (size_t)n}; /* 8 units per work-item */
        const size_t gram_local[3] = {WIDTH, 1, 1};
        const size_t gram_global[3] = {(size_t)((j->units + WIDTH - 1) / WIDTH * WIDTH),
                                       (size_t)((j->units + ROWS - 1) / ROWS), (size_t)n};
        cl_int err;
        /* the in-order queue sequences the steps; the last read blocks, so host memory outlives every use */
        if ((err = clEnqueueWriteBuffer(cl->queue, d.x, CL_FALSE, 0, (size_t)n * window_bytes,
                                        j->x + (size_t)first * window_bytes, 0, NULL, NULL)) != CL_SUCCESS)
            status = step_failure(j, &d, err, "copying the input windows to the device");
        else if ((err = clEnqueueNDRangeKernel(cl->queue, d.prepare, 2, NULL, prepare_global, NULL, 0, NULL,
                                               NULL)) != CL_SUCCESS)
            status = step_failure(j, &d, err, "enqueueing as_window_prepare");
        else if ((err = clEnqueueNDRangeKernel(cl->queue, d.gram, 3, NULL, gram_global, gram_local, 0, NULL,
                                               NULL)) != CL_SUCCESS)
            status = step_failure(j, &d, err, "enqueueing as_window_gram");
        else if ((err = clEnqueueReadBuffer(cl->queue, d.out, CL_FALSE, 0, (size_t)n * matrix_bytes,
                                            j->out + (size_t)first * matrix_bytes, 0, NULL, NULL)) != CL_SUCCESS)
            status = step_failure(j, &d, err, "reading the matrices back");
        else if ((err = clEnqueueReadBuffer(cl->queue, d.status, CL_TRUE, 0, (size_t)n * status_bytes,
                                            d.status_host, 0, NULL, NULL)) != CL_SUCCESS)
            status = step_failure(j, &d, err, "running the correlation kernels");
        if (status != ANNSCOPE_OK) break;
        for (int64_t task = 0; task < n; task++) {
            const int* column = d.status_host + task * j->units;
            for (int64_t u = 0; u < j->units; u++) {
                if (column[u] == COLUMN_NOT_FINITE) {
                    int64_t bad = first + task;
                    status = as_fail(ANNSCOPE_E_NUMERIC, "%s: NaN or infinite value in series %lld, window %lld",
                                     j->what, (long long)(bad / j->nwin), (long long)(bad % j->nwin));
                    break;
                }
                constant += column[u] == COLUMN_CONSTANT;
            }
            if (status != ANNSCOPE_OK) break;
        }
    }
    if (status != ANNSCOPE_OK) clFinish(cl->queue); /* nothing may still read or write caller memory */
    release(&d);
    if (status == ANNSCOPE_OK && constant_units) *constant_units = constant;
    return status;
}

static int windows(annscope_context* ctx, const void* x, int64_t batch, int64_t samples, int64_t units, int64_t window,
                   int f64, void* out, int64_t* constant_units, int correlation)
{
    as_opencl* cl = as_cl_state(ctx);
    if (!cl) return ANNSCOPE_E_STATE;
    corr_job job = {
        .cl = cl, .what = correlation ? "corr" : "cov", .x = x, .out = out, .samples = samples, .units = units,
        .window = window, .nwin = samples / window, .tasks = batch * (samples / window),
        .element_size = f64 ? 8 : 4, .correlation = correlation,
    };
    omp_set_lock(&cl->lock);
    int status = run(&job, constant_units);
    omp_unset_lock(&cl->lock);
    return status == ANNSCOPE_OK ? as_ok() : status;
}

const as_corr_ops as_corr_opencl = {.name = "opencl", .windows = windows};
