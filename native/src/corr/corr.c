#include "../common/internal.h"

#include <math.h>
#include <mkl.h>

#define REAL float
#define SUFFIX f32
#define GEMM cblas_sgemm
#include "corr_impl.h"
#undef REAL
#undef SUFFIX
#undef GEMM

#define REAL double
#define SUFFIX f64
#define GEMM cblas_dgemm
#include "corr_impl.h"
