/* The backend table of the correlation family: corr.c validates and dispatches, each backend computes. */
#ifndef ANNSCOPE_CORR_BACKEND_H
#define ANNSCOPE_CORR_BACKEND_H

#include "../common/internal.h"

typedef struct as_corr_ops {
    const char* name;
    /* Validated input (annscope.h): the windows of x (batch, samples, units) into out, float64 when f64 is set;
     * correlation = 0 gives covariances. Reports NaN/inf itself (it meets them first) and counts constant units
     * into *constant_units (may be NULL). */
    int (*windows)(annscope_context* ctx, const void* x, int64_t batch, int64_t samples, int64_t units,
                   int64_t window, int f64, void* out, int64_t* constant_units, int correlation);
} as_corr_ops;

extern const as_corr_ops as_corr_mkl;
#ifdef ANNSCOPE_WITH_OPENCL
extern const as_corr_ops as_corr_opencl;
#endif

#endif
