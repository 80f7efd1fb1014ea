#include "hebbff_internal.h"

#include <math.h>
#include <mkl.h>
#include <omp.h>
#include <string.h>

/* One 32-byte lane vector; GCC maps it to an AVX2 register in the AVX2 clones and to a pair of SSE registers in
 * the baseline ones, with the same per-lane arithmetic. Padded rows (AS_HEBBFF_LANES) hold whole vectors. */
typedef float as_vf32 __attribute__((vector_size(32)));
typedef double as_vf64 __attribute__((vector_size(32)));

#define REAL float
#define VEC as_vf32
#define VLANES 8
#define SUFFIX f32
#define GEMM cblas_sgemm
#define EXP expf
#define SQRT sqrtf
#include "hebbff_impl.h"
#undef REAL
#undef VEC
#undef VLANES
#undef SUFFIX
#undef GEMM
#undef EXP
#undef SQRT

#define REAL double
#define VEC as_vf64
#define VLANES 4
#define SUFFIX f64
#define GEMM cblas_dgemm
#define EXP exp
#define SQRT sqrt
#include "hebbff_impl.h"
