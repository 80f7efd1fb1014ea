/* The OpenCL device a context holds: its properties, the embedded programs (built lazily, once per context
 * and precision) and buffer helpers shared by the OpenCL backends. */
#include "opencl_internal.h"

#include "annscope_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AS_CL_SOURCE_COUNT = sizeof as_kernel_sources / sizeof as_kernel_sources[0] };
_Static_assert(AS_CL_SOURCE_COUNT <= AS_CL_MAX_SOURCES, "raise AS_CL_MAX_SOURCES");

int as_cl_device_info(as_opencl* cl)
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

void as_opencl_destroy(void* device)
{
    as_opencl* cl = device;
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
    if (!ctx || ctx->backend != ANNSCOPE_BACKEND_OPENCL || !ctx->device) {
        as_fail(ANNSCOPE_E_STATE, "not an OpenCL context");
        return NULL;
    }
    return ctx->device;
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
