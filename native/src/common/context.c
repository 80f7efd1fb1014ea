#include "internal.h"

#include "cpu.h"
#include "../corr/corr_backend.h"
#include "../hebbff/hebbff_backend.h"

#include <omp.h>
#include <stdlib.h>

ANNSCOPE_API int annscope_context_create(int32_t backend, int32_t threads, annscope_context** out)
{
    AS_CHECK_ARG(out != NULL, "context_create: out is NULL");
    *out = NULL;
    AS_CHECK_ARG(threads >= 0, "context_create: threads must be >= 0 (0 = all cores), got %d", threads);
    if (backend == ANNSCOPE_BACKEND_OPENCL)
#ifdef ANNSCOPE_WITH_OPENCL
        return as_fail(ANNSCOPE_E_ARGUMENT, "context_create: an OpenCL context needs a device: use "
                                            "annscope_context_create_opencl with a cl_context, device and queue");
#else
        return as_fail(ANNSCOPE_E_BACKEND, "context_create: the OpenCL backend is not built into this library");
#endif
    AS_CHECK_ARG(backend == ANNSCOPE_BACKEND_MKL, "context_create: unknown backend %d", backend);
    annscope_context* ctx = calloc(1, sizeof *ctx);
    if (!ctx) return as_fail(ANNSCOPE_E_NOMEM, "context_create: out of memory");
    const enum as_isa isa = as_cpu_isa();
    ctx->backend = backend;
    ctx->threads = threads > 0 ? threads : omp_get_num_procs();
    ctx->isa = as_isa_name(isa);
    ctx->corr = &as_corr_mkl; /* MKL picks its own code path by CPU */
    ctx->hebbff = as_hebbff_mkl(isa);
    *out = ctx;
    return as_ok();
}

#ifndef ANNSCOPE_WITH_OPENCL
ANNSCOPE_API int annscope_context_create_opencl(void* cl_ctx, void* cl_dev, void* cl_queue,
                                                int64_t memory_limit, annscope_context** out)
{
    (void)cl_ctx, (void)cl_dev, (void)cl_queue, (void)memory_limit;
    if (out) *out = NULL;
    return as_fail(ANNSCOPE_E_BACKEND, "context_create_opencl: this libannscope was built without OpenCL "
                                       "(rebuild with the OpenCL ICD loader and headers installed)");
}
#endif

ANNSCOPE_API int annscope_context_destroy(annscope_context* ctx)
{
    if (ctx && ctx->release_device) ctx->release_device(ctx->device);
    free(ctx);
    return as_ok();
}

ANNSCOPE_API int annscope_context_threads(const annscope_context* ctx, int32_t* threads)
{
    AS_CHECK_ARG(ctx && threads, "context_threads: NULL argument");
    *threads = ctx->threads;
    return as_ok();
}

ANNSCOPE_API int annscope_context_set_threads(annscope_context* ctx, int32_t threads)
{
    AS_CHECK_ARG(ctx != NULL, "context_set_threads: context is NULL");
    AS_CHECK_ARG(threads >= 0, "context_set_threads: threads must be >= 0 (0 = all cores), got %d", threads);
    /* an OpenCL context's work runs on its device: one host thread feeds the queue */
    AS_CHECK_ARG(ctx->backend == ANNSCOPE_BACKEND_MKL, "context_set_threads: only an MKL context has host threads");
    ctx->threads = threads > 0 ? threads : omp_get_num_procs();
    return as_ok();
}
