#include "internal.h"

#include "cpu.h"

#include <mkl.h>
#include <stdio.h>
#include <string.h>

#ifndef ANNSCOPE_VERSION
#define ANNSCOPE_VERSION "0.0.0"
#endif

ANNSCOPE_API int annscope_build_info(char* buf, int64_t capacity, int64_t* needed)
{
    AS_CHECK_ARG(capacity >= 0 && (buf || capacity == 0), "build_info: bad buffer");
    char mkl[198];
    mkl_get_version_string(mkl, (int)sizeof mkl);
    /* MKL's string is padded with spaces */
    for (int i = (int)strlen(mkl) - 1; i >= 0 && mkl[i] == ' '; i--) mkl[i] = '\0';
    char text[2048];
    int n = snprintf(text, sizeof text,
                     "libannscope %s (ABI %d)\n"
                     "MKL: %s\n"
                     "MKL threading: sequential (mkl_sequential linked; the native core threads across batches with OpenMP)\n"
                     "CPU kernels: %s (the best this CPU runs; ANNSCOPE_ISA=baseline|avx2 lowers it)\n"
                     "OpenMP: %d\n"
                     "OpenCL: %s\n",
                     ANNSCOPE_VERSION, ANNSCOPE_ABI_VERSION, mkl, as_isa_name(as_cpu_isa()), _OPENMP,
#ifdef ANNSCOPE_WITH_OPENCL
                     "compiled in (ICD loader libOpenCL.so.1, OpenCL 1.2 host API; kernels built on first use)"
#else
                     "not compiled in"
#endif
    );
    if (needed) *needed = n;
    if (capacity > 0) {
        size_t copy = (size_t)n < (size_t)capacity - 1 ? (size_t)n : (size_t)capacity - 1;
        memcpy(buf, text, copy);
        buf[copy] = '\0';
    }
    return as_ok();
}
