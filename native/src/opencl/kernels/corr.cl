/* Batched windowed Pearson correlation / covariance: the OpenCL twin of native/src/corr (same contract).
 * Built twice: float32, and float64 with -DAS_FP64=1 where the device has cl_khr_fp64.
 *
 * A "task" is one window of one series: `window` samples x `units` units, windows contiguous in memory.
 * Step 1 (as_window_prepare, one work-item per (8 units, task)) centres and scales each unit's column into a
 * scratch copy and reports constant or non-finite columns. Step 2 (as_window_gram, one work-item per
 * (column, 8 rows, task)) forms the upper triangle of scratch^T scratch. Every output value is summed by one
 * work-item in sample order, so results do not depend on the launch geometry, and the value written for
 * (i, j) is also written for (j, i): exact symmetry. */
#ifdef AS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
typedef double8 real8;
typedef long8 mask8;
typedef long mask;
#else
typedef float real;
typedef float8 real8;
typedef int8 mask8;
typedef int mask;
#endif

/* column status, read back by the host */
#define AS_COLUMN_OK 0
#define AS_COLUMN_CONSTANT 1
#define AS_COLUMN_NOT_FINITE 2

/* output rows per work-item and work-group width of as_window_gram (the host launches with the same) */
#define AS_ROWS 8
#define AS_WIDTH 32

/* Units j .. j + 7 of one sample row; lanes past the last unit read as 0. */
static real8 load_units(__global const real* row, long j, long units)
{
    if (j + 8 <= units) return vload8(0, row + j);
    real8 v = (real8)0;
    for (int l = 0; l < 8; l++) if (j + l < units) ((real*)&v)[l] = row[j + l];
    return v;
}

/* Work-item (unit block, task) prepares units j .. j + 7 of one window as one 8-lane vector: rows are read
 * contiguously, and each lane's arithmetic is exactly the scalar one (the lanes never mix). */
__kernel void as_window_prepare(__global const real* x, long window, long units, int correlation,
                                __global real* scratch, __global int* status)
{
    const long j = get_global_id(0) * 8, task = get_global_id(1);
    if (j >= units) return;
    __global const real* xw = x + task * window * units;
    /* compensated sums: the float32 build reaches the accuracy of the MKL path's double-precision pass */
    real8 sum = 0, carry = 0;
    const real8 first = load_units(xw, j, units);
    mask8 finite = (mask8)(-1), same = (mask8)(-1);
    for (long t = 0; t < window; t++) {
        real8 v = load_units(xw + t * units, j, units);
        finite &= isfinite(v);
        same &= v == first;
        real8 y = v - carry, s = sum + y;
        carry = (s - sum) - y;
        sum = s;
    }
    const real8 mean = sum / (real)window;
    real8 ss = 0;
    carry = 0;
    for (long t = 0; t < window; t++) {
        real8 d = load_units(xw + t * units, j, units) - mean;
        real8 y = d * d - carry, s = ss + y;
        carry = (s - ss) - y;
        ss = s;
    }
    real8 scale;
    mask8 state;
    if (correlation) {
        /* exactly constant: every value equals the first (a rounding-level variance is not variance) */
        mask8 flat = same | (ss == 0);
        scale = select(1 / sqrt(ss), (real8)0, flat);
        state = select((mask8)AS_COLUMN_OK, (mask8)AS_COLUMN_CONSTANT, flat);
    } else {
        scale = (real8)(1 / sqrt((real)(window - 1)));
        state = (mask8)AS_COLUMN_OK;
    }
    state = select((mask8)AS_COLUMN_NOT_FINITE, state, finite);
    for (long t = 0; t < window; t++) {
        real8 v = (load_units(xw + t * units, j, units) - mean) * scale;
        __global real* out = scratch + task * window * units + t * units;
        for (int l = 0; l < 8; l++) if (j + l < units) out[j + l] = ((real*)&v)[l];
    }
    for (int l = 0; l < 8; l++) if (j + l < units) status[task * units + j + l] = (int)((mask*)&state)[l];
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
