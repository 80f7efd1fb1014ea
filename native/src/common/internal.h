/* Internal helpers shared by the kernels; nothing here is exported.
 *
 * Dispatch. Each kernel family has one backend table (corr/corr_backend.h, hebbff/hebbff_backend.h), chosen
 * once when the context is created: the MKL tables by the CPU's instruction set (common/cpu.c), the OpenCL
 * tables by annscope_context_create_opencl. The backend-neutral file of a family (corr.c, hebbff.c) validates
 * and owns the public layout, then calls through the context's table; a backend file owns its arithmetic and
 * its own state, and never calls back into the neutral file. */
#ifndef ANNSCOPE_INTERNAL_H
#define ANNSCOPE_INTERNAL_H

#include "annscope.h"
#include <stddef.h>

/* Records a printf-style message for the calling thread and returns `status`. */
int as_fail(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clears the calling thread's message and returns ANNSCOPE_OK. */
int as_ok(void);

struct as_corr_ops;
struct as_hebbff_ops;

struct annscope_context {
    int32_t backend;
    int32_t threads;
    const char* isa;                     /* the instruction set the MKL tables were chosen for */
    const struct as_corr_ops* corr;      /* the backend table of each kernel family */
    const struct as_hebbff_ops* hebbff;
    void* device;                        /* backend state (OpenCL), NULL for MKL */
    void (*release_device)(void* device);
};

/* Validates a context pointer and returns its thread count, or a negative status. */
static inline int as_context_threads(const annscope_context* ctx)
{
    if (!ctx) return -as_fail(ANNSCOPE_E_ARGUMENT, "context is NULL");
    return ctx->threads;
}

/* 64-byte aligned scratch memory (AVX-512 friendly); as_free accepts NULL. */
void* as_alloc(size_t bytes);
void as_free(void* p);

#define AS_CHECK_ARG(cond, ...) do { if (!(cond)) return as_fail(ANNSCOPE_E_ARGUMENT, __VA_ARGS__); } while (0)

#endif
