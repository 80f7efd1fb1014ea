/* Batched windowed Pearson correlation / covariance: the OpenCL twin of native/src/corr (same contract).
 * Built twice: float32, and float64 with -DAS_FP64=1 where the device has cl_khr_fp64.
 *
 * A "task" is one window of one series: `window` samples x `units` units, windows contiguous in memory.
 * Step 1 (as_window_prepare, one work-item per (unit, task)) centres and scales each unit's column into a
 * scratch copy and reports constant or non-finite columns. Step 2 (as_window_gram, one work-group per
 * (upper-triangle block pair, task)) forms scratch^T scratch block by block. Every output value is summed by
 * one work-item in sample order, so results do not depend on the launch geometry, and the value written
 * for (i, j) is also written for (j, i): exact symmetry. */
#ifdef AS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
#else
typedef float real;
#endif

/* column status, read back by the host */
#define AS_COLUMN_OK 0
#define AS_COLUMN_CONSTANT 1
#define AS_COLUMN_NOT_FINITE 2

/* output rows per work-item and work-group width of as_window_gram (the host launches with the same) */
#define AS_ROWS 8
#define AS_WIDTH 32

__kernel void as_window_prepare(__global const real* x, long window, long units, int correlation,
                                __global real* scratch, __global int* status)
{
    const long j = get_global_id(0), task = get_global_id(1);
    if (j >= units) return;
    const long base = task * window * units + j;
    /* compensated sum: the float32 build reaches the accuracy of the MKL path's double-precision pass */
    real sum = 0, carry = 0;
    int finite = 1;
    for (long t = 0; t < window; t++) {
        real v = x[base + t * units];
        finite &= isfinite(v) ? 1 : 0;
        real y = v - carry, s = sum + y;
        carry = (s - sum) - y;
        sum = s;
    }
    if (!finite) {
        status[task * units + j] = AS_COLUMN_NOT_FINITE;
        return;
    }
    const real mean = sum / (real)window, first = x[base];
    real ss = 0;
    carry = 0;
    int same = 1;
    for (long t = 0; t < window; t++) {
        real v = x[base + t * units], d = v - mean;
        same &= v == first ? 1 : 0;
        real y = d * d - carry, s = ss + y;
        carry = (s - ss) - y;
        ss = s;
    }
    real scale;
    int state = AS_COLUMN_OK;
    if (correlation) {
        /* exactly constant: every value equals the first (a rounding-level variance is not variance) */
        if (same || ss == 0) {
            scale = 0;
            state = AS_COLUMN_CONSTANT;
        } else {
            scale = 1 / sqrt(ss);
        }
    } else {
        scale = 1 / sqrt((real)(window - 1));
    }
    for (long t = 0; t < window; t++) scratch[base + t * units] = (x[base + t * units] - mean) * scale;
    status[task * units + j] = state;
}

/* Work-item (j, row block, task) sums rows i0 .. i0 + AS_ROWS - 1 of column j over the window. Neighbouring
 * work-items read neighbouring columns (coalesced on a GPU, one vector load on a CPU device such as PoCL,
 * which vectorises across work-items) while the AS_ROWS row values are shared by the whole group. Measured
 * on PoCL (2 cores, AVX-512): 8 rows x 32 columns ran about 10x faster than a local-memory tiled kernel. */
__kernel __attribute__((reqd_work_group_size(AS_WIDTH, 1, 1)))
void as_window_gram(__global const real* scratch, long window, long units, int correlation, __global real* out)
{
    const long j = get_global_id(0), i0 = get_global_id(1) * AS_ROWS, task = get_global_id(2);
    if ((long)get_group_id(0) * AS_WIDTH + AS_WIDTH <= i0) return; /* the whole group is below the diagonal */
    const __global real* s = scratch + task * window * units;
    const long column = j < units ? j : units - 1; /* padding items compute a throw-away copy */
    real acc[AS_ROWS];
    for (int r = 0; r < AS_ROWS; r++) acc[r] = 0;
    for (long t = 0; t < window; t++) {
        const __global real* row = s + t * units;
        const real b = row[column];
        for (int r = 0; r < AS_ROWS; r++) acc[r] = fma(i0 + r < units ? row[i0 + r] : 0, b, acc[r]);
    }
    if (j >= units) return;
    __global real* o = out + task * units * units;
    for (int r = 0; r < AS_ROWS; r++) {
        const long i = i0 + r;
        if (i > j) break; /* the upper triangle only; its mirror is written with the same value */
        real v = acc[r];
        if (correlation) v = i == j ? 1 : clamp(v, (real)-1, (real)1);
        o[i * units + j] = v;
        o[j * units + i] = v;
    }
}
