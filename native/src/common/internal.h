/* Internal helpers shared by the kernels; nothing here is exported. */
#ifndef ANNSCOPE_INTERNAL_H
#define ANNSCOPE_INTERNAL_H

#include "annscope.h"
#include <stddef.h>

/* Records a printf-style message for the calling thread and returns `status`. */
int as_fail(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clears the calling thread's message and returns ANNSCOPE_OK. */
int as_ok(void);

struct as_opencl;

struct annscope_context {
    int32_t backend;
    int32_t threads;
    struct as_opencl* opencl; /* backend state, NULL for MKL */
};

/* Validates a context pointer and returns its thread count, or a negative status. */
int as_context_threads(const annscope_context* ctx);

/* 64-byte aligned scratch memory (AVX-512 friendly); as_free accepts NULL. */
void* as_alloc(size_t bytes);
void as_free(void* p);

#ifdef ANNSCOPE_WITH_OPENCL
/* OpenCL backend entry points used by the backend-neutral code (src/opencl/). */
void as_opencl_destroy(struct as_opencl* cl);
int as_cl_windows(annscope_context* ctx, const void* x, int64_t batch, int64_t samples, int64_t units,
                  int64_t window, int element_size, void* out, int64_t* constant_units, int correlation);
/* HebbFF on OpenCL (src/opencl/hebbff_opencl.c): device state of a workspace, kept in ws->device. The
 * device holds parameters and Adam moments between calls: pull copies them to the host arrays when the
 * device's are newer; host_write does that and marks the host's as newer (before set_state changes them). */
int as_cl_hebbff_attach(annscope_context* ctx, annscope_hebbff* ws);
void as_cl_hebbff_detach(annscope_hebbff* ws);
int as_cl_hebbff_pull(annscope_hebbff* ws);
int as_cl_hebbff_host_write(annscope_hebbff* ws);
void as_cl_hebbff_sequences_changed(annscope_hebbff* ws, int role);
int as_cl_hebbff_epoch(annscope_context* ctx, annscope_hebbff* ws, int adam, void* grad_out, double* loss);
int as_cl_hebbff_evaluate(annscope_context* ctx, annscope_hebbff* ws, void* activations, void* hidden, void* outputs,
                          annscope_hebbff_metrics* metrics);
#endif

#define AS_CHECK_ARG(cond, ...) do { if (!(cond)) return as_fail(ANNSCOPE_E_ARGUMENT, __VA_ARGS__); } while (0)

#endif
