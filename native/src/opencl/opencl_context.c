/* The OpenCL context: the caller (the managed layer, which discovers and chooses devices) hands over a
 * cl_context, device and in-order queue; they are retained here so the native context owns its own
 * references and the caller's lifetime rules stay simple. The context carries the OpenCL backend tables. */
#include "opencl_internal.h"

#include "../corr/corr_backend.h"
#include "../hebbff/hebbff_backend.h"

#include <stdlib.h>

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
    int status = as_cl_device_info(cl);
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
    ctx->isa = "opencl";
    ctx->corr = &as_corr_opencl;
    ctx->hebbff = &as_hebbff_opencl;
    ctx->device = cl;
    ctx->release_device = as_opencl_destroy;
    *out = ctx;
    return as_ok();
}

