/* The OpenCL context: the caller (the managed layer, which discovers and chooses devices) hands over a
 * cl_context, device and in-order queue; they are retained here so the native context owns its own
 * references and the caller's lifetime rules stay simple. Programs are built lazily, once per context. */
#include "opencl_internal.h"

#include "annscope_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AS_CL_SOURCE_COUNT = sizeof as_kernel_sources / sizeof as_kernel_sources[0] };
_Static_assert(AS_CL_SOURCE_COUNT <= AS_CL_MAX_SOURCES, "raise AS_CL_MAX_SOURCES");

static int device_info(as_opencl* cl)
{
    cl_int err = clGetDeviceInfo(cl->device, CL_DEVICE_NAME, sizeof cl->device_name, cl->device_name, NULL);
    if (err != CL_SUCCESS) return as_cl_fail(err, "context_create_opencl: clGetDeviceInfo(CL_DEVICE_NAME)");
    cl->device_name[sizeof cl->device_name - 1] = '\0';
    size_t ext_size = 0;
    err = clGetDeviceInfo(cl->device, CL_DEVICE_EXTENSIONS, 0, NULL, &ext_size);
    char* ext = err == CL_SUCCESS ? calloc(ext_size + 1, 1) : NULL;
    if (ext) err = clGetDeviceInfo(cl->device, CL_DEVICE_EXTENSIONS, ext_size, ext, NULL);
    if (err != CL_SUCCESS || !ext) {
        free(ext);
        return err != CL_SUCCESS ? as_cl_fail(err, "context_create_opencl: clGetDeviceInfo(CL_DEVICE_EXTENSIONS)")
                                 : as_fail(ANNSCOPE_E_NOMEM, "context_create_opencl: out of memory");
    }
    cl->fp64 = strstr(ext, "cl_khr_fp64") != NULL;
    free(ext);
    cl_ulong global = 0;
    if ((err = clGetDeviceInfo(cl->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof cl->max_work_group,
                               &cl->max_work_group, NULL)) != CL_SUCCESS ||
        (err = clGetDeviceInfo(cl->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof cl->max_alloc, &cl->max_alloc,
                               NULL)) != CL_SUCCESS ||
        (err = clGetDeviceInfo(cl->device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof cl->local_memory, &cl->local_memory,
                               NULL)) != CL_SUCCESS ||
        (err = clGetDeviceInfo(cl->device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL)) != CL_SUCCESS)
        return as_cl_fail(err, "context_create_opencl: clGetDeviceInfo on '%s'", cl->device_name);
    if (cl->memory_budget == 0) cl->memory_budget = global / 2; /* leave room for other users of the device */
    return ANNSCOPE_OK;
}

ANNSCOPE_API int annscope_context_create_opencl(void* cl_ctx, void* cl_dev, void* cl_queue,
                                                int64_t memory_limit, annscope_context** out)
{
    AS_CHECK_ARG(out != NULL, "context_create_opencl: out is NULL");
    *out = NULL;
    AS_CHECK_ARG(cl_ctx && cl_dev && cl_queue, "context_create_opencl: NULL cl_context, device or queue");
    AS_CHECK_ARG(memory_limit >= 0, "context_create_opencl: memory_limit must be >= 0 (0 = half the device memory)");
    cl_context queue_context = NULL;
    cl_device_id queue_device = NULL;
    cl_command_queue_properties props = 0;
    cl_command_queue queue = (cl_command_queue)cl_queue;
    cl_int err;
    if ((err = clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof queue_context, &queue_context, NULL)) != CL_SUCCESS ||
        (err = clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof queue_device, &queue_device, NULL)) != CL_SUCCESS ||
        (err = clGetCommandQueueInfo(queue, CL_QUEUE_PROPERTIES, sizeof props, &props, NULL)) != CL_SUCCESS)
        return as_cl_fail(err, "context_create_opencl: the queue is not a valid cl_command_queue");
    AS_CHECK_ARG(queue_context == (cl_context)cl_ctx && queue_device == (cl_device_id)cl_dev,
                 "context_create_opencl: the queue belongs to another context or device");
    AS_CHECK_ARG(!(props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE),
                 "context_create_opencl: the queue must be in-order (kernels rely on submission order)");

    as_opencl* cl = calloc(1, sizeof *cl);
    annscope_context* ctx = calloc(1, sizeof *ctx);
    if (!cl || !ctx) {
        free(cl);
        free(ctx);
        return as_fail(ANNSCOPE_E_NOMEM, "context_create_opencl: out of memory");
    }
    cl->context = (cl_context)cl_ctx;
    cl->device = (cl_device_id)cl_dev;
    cl->queue = queue;
    cl->memory_budget = (cl_ulong)memory_limit;
    int status = device_info(cl);
    if (status != ANNSCOPE_OK) {
        free(cl);
        free(ctx);
        return status;
    }
    clRetainContext(cl->context);
    clRetainCommandQueue(cl->queue);
    omp_init_lock(&cl->lock);
    ctx->backend = ANNSCOPE_BACKEND_OPENCL;
    ctx->threads = 1; /* the device does the work; the host thread only enqueues and waits */
    ctx->opencl = cl;
    *out = ctx;
    return as_ok();
}

void as_opencl_destroy(as_opencl* cl)
{
    if (!cl) return;
    for (int s = 0; s < AS_CL_SOURCE_COUNT; s++)
        for (int p = 0; p < 2; p++)
            if (cl->programs[s][p]) clReleaseProgram(cl->programs[s][p]);
    /* errors are ignored on purpose: a lost device must not stop the host from freeing its side */
    clReleaseCommandQueue(cl->queue);
    clReleaseContext(cl->context);
    omp_destroy_lock(&cl->lock);
    free(cl);
}

as_opencl* as_cl_state(annscope_context* ctx)
{
    if (!ctx || ctx->backend != ANNSCOPE_BACKEND_OPENCL || !ctx->opencl) {
        as_fail(ANNSCOPE_E_STATE, "not an OpenCL context");
        return NULL;
    }
    return ctx->opencl;
}

static int build_failure(as_opencl* cl, cl_program program, cl_int err, const char* name, int f64)
{
    size_t size = 0;
    char* log = NULL;
    if (clGetProgramBuildInfo(program, cl->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) == CL_SUCCESS &&
        (log = calloc(size + 1, 1)) != NULL)
        clGetProgramBuildInfo(program, cl->device, CL_PROGRAM_BUILD_LOG, size, log, NULL);
    /* the cl_int goes first: a long log is cut at the end of the message buffer */
    int status = as_fail(ANNSCOPE_E_OPENCL,
                         "the OpenCL program '%s' (%s) failed to build on '%s': OpenCL error %s (cl_int %d); "
                         "build log:\n%s", name, f64 ? "float64" : "float32", cl->device_name, as_cl_error_name(err),
                         (int)err, log && log[0] ? log : "(empty)");
    free(log);
    return status;
}

int as_cl_program(as_opencl* cl, const char* name, int f64, cl_program* out)
{
    int source = 0;
    while (source < AS_CL_SOURCE_COUNT && strcmp(as_kernel_sources[source].name, name) != 0) source++;
    if (source == AS_CL_SOURCE_COUNT) return as_fail(ANNSCOPE_E_INTERNAL, "no embedded OpenCL program '%s'", name);
    if (f64 && !cl->fp64)
        return as_fail(ANNSCOPE_E_BACKEND, "the OpenCL device '%s' has no float64 support (cl_khr_fp64); use float32 "
                                           "data or the MKL backend", cl->device_name);
    if (cl->programs[source][f64]) {
        *out = cl->programs[source][f64];
        return ANNSCOPE_OK;
    }
    const char* text = as_kernel_sources[source].source;
    cl_int err;
    cl_program program = clCreateProgramWithSource(cl->context, 1, &text, NULL, &err);
    if (err != CL_SUCCESS) return as_cl_fail(err, "clCreateProgramWithSource('%s') on '%s'", name, cl->device_name);
    /* ANNSCOPE_OPENCL_OPTIONS appends compiler options (e.g. -cl-mad-enable) for a device where that pays */
    const char* extra = getenv("ANNSCOPE_OPENCL_OPTIONS");
    char options[1024];
    /* AS_HAS_FP64 lets float32 programs keep long sums in double where the device can */
    snprintf(options, sizeof options, "%s %s %s", f64 ? "-DAS_FP64=1" : "", cl->fp64 ? "-DAS_HAS_FP64=1" : "",
             extra ? extra : "");
    err = clBuildProgram(program, 1, &cl->device, options, NULL, NULL);
    if (err != CL_SUCCESS) {
        int status = build_failure(cl, program, err, name, f64);
        clReleaseProgram(program);
        return status;
    }
    cl->programs[source][f64] = program;
    *out = program;
    return ANNSCOPE_OK;
}

int as_cl_buffer(as_opencl* cl, cl_mem_flags flags, size_t bytes, const char* what, cl_mem* out)
{
    cl_int err;
    *out = clCreateBuffer(cl->context, flags, bytes, NULL, &err);
    if (err != CL_SUCCESS) {
        *out = NULL;
        return as_cl_fail_memory(cl->device_name, err, what, bytes);
    }
    return ANNSCOPE_OK;
}

void as_cl_release_mem(cl_mem m)
{
    if (m) clReleaseMemObject(m);
}

void as_cl_release_kernel(cl_kernel k)
{
    if (k) clReleaseKernel(k);
}
