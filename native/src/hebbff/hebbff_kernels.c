#include "hebbff_internal.h"

#include <math.h>
#include <stdint.h>
#include <mkl.h>
#include <omp.h>
#include <string.h>

/* One 32-byte lane vector; GCC maps it to an AVX2 register in the AVX2 clones and to a pair of SSE registers in
 * the baseline ones, with the same per-lane arithmetic. Padded rows (AS_HEBBFF_LANES) hold whole vectors. */
typedef float as_vf32 __attribute__((vector_size(32)));
typedef double as_vf64 __attribute__((vector_size(32)));
typedef int32_t as_vi32 __attribute__((vector_size(32)));
typedef int64_t as_vi64 __attribute__((vector_size(32)));

/* A lane shuffle of two vectors with constant indices (GCC and Clang spell it differently). */
#if defined(__clang__)
#define AS_SHUFFLE_(a, b, MASK, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define AS_SHUFFLE_(a, b, MASK, ...) __builtin_shuffle(a, b, (MASK){__VA_ARGS__})
#endif

#define REAL float
#define VEC as_vf32
#define VLANES 8
#define AS_SHUFFLE(a, b, ...) AS_SHUFFLE_(a, b, as_vi32, __VA_ARGS__)
#define SUFFIX f32
#define GEMM cblas_sgemm
#define EXP expf
#define SQRT sqrtf
#include "hebbff_impl.h"
#undef REAL
#undef VEC
#undef VLANES
#undef AS_SHUFFLE
#undef SUFFIX
#undef GEMM
#undef EXP
#undef SQRT

#define REAL double
#define VEC as_vf64
#define VLANES 4
#define AS_SHUFFLE(a, b, ...) AS_SHUFFLE_(a, b, as_vi64, __VA_ARGS__)
#define SUFFIX f64
#define GEMM cblas_dgemm
#define EXP exp
#define SQRT sqrt
#include "hebbff_impl.h"
