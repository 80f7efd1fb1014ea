#include "hebbff_internal.h"

#include <math.h>
#include <mkl.h>
#include <omp.h>
#include <string.h>

#define REAL float
#define SUFFIX f32
#define GEMM cblas_sgemm
#define EXP expf
#define SQRT sqrtf
#include "hebbff_impl.h"
#undef REAL
#undef SUFFIX
#undef GEMM
#undef EXP
#undef SQRT

#define REAL double
#define SUFFIX f64
#define GEMM cblas_dgemm
#define EXP exp
#define SQRT sqrt
#include "hebbff_impl.h"
