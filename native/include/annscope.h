/* libannscope: the native core of AnnScope.
 *
 * Flat C ABI. Every export is annscope_*, returns an int status (ANNSCOPE_OK = 0) and leaves a message
 * for the calling thread in annscope_last_error(). Callers own all memory: arrays are passed in and
 * filled, never allocated here for the caller to free. Arrays are C order (last index fastest). */
#ifndef ANNSCOPE_H
#define ANNSCOPE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define ANNSCOPE_API __declspec(dllexport)
#else
#  define ANNSCOPE_API __attribute__((visibility("default")))
#endif

/* Bumped on any incompatible change of a signature or struct; the managed layer refuses a mismatch. */
#define ANNSCOPE_ABI_VERSION 1

enum annscope_status {
    ANNSCOPE_OK = 0,
    ANNSCOPE_E_ARGUMENT = 1,     /* a bad pointer, size or option */
    ANNSCOPE_E_NOMEM = 2,        /* an allocation failed */
    ANNSCOPE_E_BACKEND = 3,      /* the backend is not compiled in or not usable */
    ANNSCOPE_E_NUMERIC = 4,      /* NaN/inf in input, or a LAPACK info != 0 */
    ANNSCOPE_E_STATE = 5,        /* an object used in the wrong state */
    ANNSCOPE_E_OPENCL = 6,       /* an OpenCL call failed; the message has the cl_int */
    ANNSCOPE_E_INTERNAL = 7
};

enum annscope_backend {
    ANNSCOPE_BACKEND_MKL = 0,
    ANNSCOPE_BACKEND_OPENCL = 1
};

/* ---- common ---------------------------------------------------------------------------------------- */
ANNSCOPE_API int annscope_abi_version(void);
/* The calling thread's message for its last failed call ("" if none). Valid until the thread's next call. */
ANNSCOPE_API const char* annscope_last_error(void);
/* Writes a NUL-terminated description (version, MKL version, threading, OpenCL) into buf; the full length
 * (without NUL) goes to *needed so a caller can retry with a larger buffer. */
ANNSCOPE_API int annscope_build_info(char* buf, int64_t capacity, int64_t* needed);

/* A compute context: a backend and how many threads the native core may use (0 = all cores).
 * The native core is the only owner of threads: MKL runs sequentially inside, batches run in parallel. */
typedef struct annscope_context annscope_context;
ANNSCOPE_API int annscope_context_create(int32_t backend, int32_t threads, annscope_context** out);
/* An OpenCL context on a device the caller chose (the managed layer discovers devices with Silk.NET.OpenCL):
 * cl_ctx (a cl_context), cl_dev (a cl_device_id) and cl_queue (an in-order cl_command_queue of that context and
 * device) are retained, so the caller may release its own references right after. memory_limit: bytes of
 * device memory one call may hold (0 = half the device's global memory); bigger batches run in chunks.
 * Programs are built on first use, once per context; a failed build's log is in the message. Every call on
 * the context reports OpenCL failures (including a lost device) as ANNSCOPE_E_OPENCL with the cl_int, and
 * float64 work on a device without cl_khr_fp64 as ANNSCOPE_E_BACKEND. ANNSCOPE_E_BACKEND when the library
 * was built without OpenCL. Calls on one OpenCL context are serialised. */
ANNSCOPE_API int annscope_context_create_opencl(void* cl_ctx, void* cl_dev, void* cl_queue,
                                                int64_t memory_limit, annscope_context** out);
ANNSCOPE_API int annscope_context_destroy(annscope_context* ctx);
ANNSCOPE_API int annscope_context_threads(const annscope_context* ctx, int32_t* threads);
/* Changes how many threads later calls on an MKL context use (>= 1; 0 = all cores), so a host that runs
 * several kinds of work at once (training beside analysis) can share the cores without oversubscribing them.
 * Not safe while another thread calls on the same context; results never depend on the thread count. */
ANNSCOPE_API int annscope_context_set_threads(annscope_context* ctx, int32_t threads);

/* Some OpenCL drivers (PoCL, through LLVM) replace the process's signal handlers when they start, which breaks
 * hosts that depend on theirs (.NET maps SIGSEGV/SIGFPE to exceptions and SIGINT to Ctrl-C). A host saves the
 * handlers before an OpenCL call that may start a driver (platform and device queries, context creation) and
 * restores right after: every handler that changed is put back (*restored counts them; may be NULL). One
 * saved set per process: callers serialise the pair. No-ops on Windows. */
ANNSCOPE_API int annscope_signals_save(void);
ANNSCOPE_API int annscope_signals_restore(int32_t* restored);

/* ---- functional connectivity ------------------------------------------------------------------------ */
/* x: (batch, samples, units). Windows: samples / window non-overlapping windows of `window` samples
 * (window = samples gives the full matrix). out: (batch, samples / window, units, units), Pearson r,
 * exactly symmetric, diagonal 1. A unit constant within a window gets row/column 0 (diagonal 1); the
 * number of such (window, unit) cases over the whole batch goes to *constant_units (may be NULL).
 * NaN or inf in x is refused (ANNSCOPE_E_NUMERIC). */
ANNSCOPE_API int annscope_corr_f32(annscope_context* ctx, const float* x, int64_t batch, int64_t samples,
                                   int64_t units, int64_t window, float* out, int64_t* constant_units);
ANNSCOPE_API int annscope_corr_f64(annscope_context* ctx, const double* x, int64_t batch, int64_t samples,
                                   int64_t units, int64_t window, double* out, int64_t* constant_units);
/* Unbiased covariance (divide by window - 1) of each window; same layout as annscope_corr_*. */
ANNSCOPE_API int annscope_cov_f32(annscope_context* ctx, const float* x, int64_t batch, int64_t samples,
                                  int64_t units, int64_t window, float* out);
ANNSCOPE_API int annscope_cov_f64(annscope_context* ctx, const double* x, int64_t batch, int64_t samples,
                                  int64_t units, int64_t window, double* out);

/* ---- small symmetric matrices (checkpoint measures) ---------------------------------------------------- */
/* a: (batch, m, m) symmetric matrices (the lower triangle is read), NaN/inf refused (ANNSCOPE_E_NUMERIC). Every
 * backend runs these on the host through MKL LAPACK, one matrix per thread.
 * logdet (batch): ln det(A + ridge I) by Cholesky, NaN when that is not positive definite (ridge >= 0). */
ANNSCOPE_API int annscope_sym_logdet_f64(annscope_context* ctx, const double* a, int64_t batch, int64_t m, double ridge,
                                         double* logdet);
/* values (batch, m): the singular values of each matrix (the absolute eigenvalues), in descending order. */
ANNSCOPE_API int annscope_sym_singular_values_f64(annscope_context* ctx, const double* a, int64_t batch, int64_t m,
                                                  double* values);

/* ---- benchmarking aid -------------------------------------------------------------------------------- */
/* Runs `repeats` sgemm C(m,n) = A(m,k) B(k,n) on the context's threads (one per thread, independent
 * operands) and reports the achieved GFLOP/s: the ceiling the batched kernels are measured against. */
ANNSCOPE_API int annscope_sgemm_rate(annscope_context* ctx, int64_t m, int64_t n, int64_t k, int32_t repeats,
                                     double* gflops);

/* ---- HebbFF trainer ------------------------------------------------------------------------------------ */
/* A batch of B independent HebbFF networks (science.md §2–3), each with its own parameters, Adam state,
 * training sequence and test sequence, held in one native workspace. Every call processes the whole batch;
 * instances run in parallel on the context's threads (one instance per thread at a time, MKL sequential
 * inside), and an instance's arithmetic never depends on the thread count, so results are identical for any
 * number of threads. A workspace serves one call at a time. Pass the context it was created with (or one of
 * the same backend) to every call; the context's backend selects the implementation.
 *
 * Packed parameter vector of one instance, P = M*N + 2*M + 3 values (float or double as the workspace):
 *   [0, M*N)            W1, M x N, row-major (W1[i][j] at i*N + j)
 *   [M*N, M*N+M)        b1
 *   [M*N+M, M*N+2M)     W2 (the 1 x M output weights)
 *   M*N+2M              b2
 *   M*N+2M+1            lambda (the raw parameter; clamped to [0,1] in place before every sequence is run)
 *   M*N+2M+2            the eta parameter: theta with eta = -exp(theta) (anti), eta = +exp(theta) (hebb),
 *                       eta itself (free); unused (its gradient is 0) in mode none
 * Batched arrays of these vectors are (B, P). Adam's first and second moments use the same layout. */
enum annscope_plasticity {
    ANNSCOPE_PLASTICITY_ANTI = 0,
    ANNSCOPE_PLASTICITY_HEBB = 1,
    ANNSCOPE_PLASTICITY_FREE = 2,
    ANNSCOPE_PLASTICITY_NONE = 3
};
enum annscope_precision { ANNSCOPE_F32 = 0, ANNSCOPE_F64 = 1 };
enum annscope_hebbff_role { ANNSCOPE_HEBBFF_TRAIN = 0, ANNSCOPE_HEBBFF_TEST = 1 };
enum annscope_hebbff_array { ANNSCOPE_HEBBFF_PARAMS = 0, ANNSCOPE_HEBBFF_ADAM_M = 1, ANNSCOPE_HEBBFF_ADAM_V = 2 };

typedef struct annscope_hebbff_config {
    int64_t instances;        /* B */
    int64_t input_dim;        /* N */
    int64_t hidden;           /* M */
    int64_t train_length;     /* T of every training sequence */
    int64_t test_length;      /* T of every test sequence */
    double learning_rate;     /* Adam: 1e-3 in the study */
    double beta1, beta2;      /* 0.9, 0.999 */
    double epsilon;           /* 1e-8 */
    int32_t plasticity;       /* enum annscope_plasticity */
    int32_t precision;        /* enum annscope_precision: the type of parameters, sequences and outputs */
} annscope_hebbff_config;

/* One instance's evaluation of its test sequence. TPR = P(pred familiar | familiar), FPR = P(pred familiar |
 * novel), prediction familiar when yhat > 0.5; balanced = (TPR + 1 - FPR) / 2; paper_accuracy =
 * (1 - f) TPR + f (1 - FPR) with f the familiar fraction. A rate with no cases to count is NaN (and so are the
 * figures that use it). loss: mean binary cross-entropy, each log clamped at >= -100. lambda, eta: the values
 * the sequence ran with (lambda after its clamp, eta derived from its parameter). */
typedef struct annscope_hebbff_metrics {
    double loss, accuracy, tpr, fpr, balanced_accuracy, paper_accuracy, familiar_fraction, lambda, eta;
} annscope_hebbff_metrics;

typedef struct annscope_hebbff annscope_hebbff;

/* Creates a workspace for config->instances networks. Parameters and Adam moments start at 0, the step
 * count at 0; set the parameters and both sequences before training.
 * On an OpenCL context the workspace lives on that context's device: parameters and Adam moments stay there
 * between calls (get_state copies them back), instances run in chunks that fit the context's memory limit,
 * and calls need an OpenCL context on the same cl_context. Device failures are ANNSCOPE_E_OPENCL. Its host
 * memory (annscope_hebbff_memory) is bookkeeping only: state, sequences and scratch are on the device. */
ANNSCOPE_API int annscope_hebbff_create(annscope_context* ctx, const annscope_hebbff_config* config,
                                        annscope_hebbff** out);
ANNSCOPE_API int annscope_hebbff_destroy(annscope_hebbff* ws);

/* Sequences of one role for every instance: x (B, T, N), y (B, T) with labels 0 (novel) or 1 (familiar).
 * Copied into the workspace. NaN/inf in x is refused (ANNSCOPE_E_NUMERIC), a label not 0/1 is ANNSCOPE_E_ARGUMENT. */
ANNSCOPE_API int annscope_hebbff_set_sequences_f32(annscope_context* ctx, annscope_hebbff* ws, int32_t role,
                                                   const float* x, const float* y);
ANNSCOPE_API int annscope_hebbff_set_sequences_f64(annscope_context* ctx, annscope_hebbff* ws, int32_t role,
                                                   const double* x, const double* y);

/* Parameters or Adam moments (enum annscope_hebbff_array) of every instance, (B, P). Import refuses NaN/inf
 * (and negative second moments) without changing the workspace. */
ANNSCOPE_API int annscope_hebbff_get_state_f32(annscope_hebbff* ws, int32_t which, float* out);
ANNSCOPE_API int annscope_hebbff_set_state_f32(annscope_hebbff* ws, int32_t which, const float* values);
ANNSCOPE_API int annscope_hebbff_get_state_f64(annscope_hebbff* ws, int32_t which, double* out);
ANNSCOPE_API int annscope_hebbff_set_state_f64(annscope_hebbff* ws, int32_t which, const double* values);
/* Adam's step count, shared by the batch (= completed epochs). */
ANNSCOPE_API int annscope_hebbff_get_step(annscope_hebbff* ws, int64_t* step);
ANNSCOPE_API int annscope_hebbff_set_step(annscope_hebbff* ws, int64_t step);

/* One epoch for every instance: clamp lambda, run the training sequence from A = 0, mean BCE loss, the exact
 * gradient of every parameter through all T steps (full BPTT; lambda's derivative carried forward alongside),
 * one Adam step (step count + 1). loss: (B) losses before the step, may be NULL. */
ANNSCOPE_API int annscope_hebbff_train_epoch(annscope_context* ctx, annscope_hebbff* ws, double* loss);

/* Part of an epoch: instances [first, first + count) exactly as train_epoch trains them, at Adam step count + 1,
 * without advancing the step count. An epoch may be run in parts — disjoint ranges covering the batch, each call with
 * the threads of its context at that moment — followed by set_step(step + 1); every instance's result is the same as
 * with one train_epoch call. loss: (count) losses before the step, may be NULL. MKL backend only
 * (ANNSCOPE_E_BACKEND on OpenCL unless the range is the whole batch). */
ANNSCOPE_API int annscope_hebbff_train_instances(annscope_context* ctx, annscope_hebbff* ws, int64_t first, int64_t count,
                                                 double* loss);

/* The same loss and gradient without the Adam step (parameters other than the lambda clamp unchanged):
 * grad (B, P), loss (B) may be NULL. */
ANNSCOPE_API int annscope_hebbff_gradient_f32(annscope_context* ctx, annscope_hebbff* ws, float* grad, double* loss);
ANNSCOPE_API int annscope_hebbff_gradient_f64(annscope_context* ctx, annscope_hebbff* ws, double* grad, double* loss);

/* Runs every instance's test sequence from A = 0 with the current parameters (lambda clamped first).
 * activations a(t) (B, T, M), hidden h(t) (B, T, M), outputs yhat(t) (B, T): each may be NULL;
 * metrics: B entries, may be NULL. */
ANNSCOPE_API int annscope_hebbff_evaluate_f32(annscope_context* ctx, annscope_hebbff* ws, float* activations,
                                              float* hidden, float* outputs, annscope_hebbff_metrics* metrics);
ANNSCOPE_API int annscope_hebbff_evaluate_f64(annscope_context* ctx, annscope_hebbff* ws, double* activations,
                                              double* hidden, double* outputs, annscope_hebbff_metrics* metrics);

/* Bytes the workspace holds on the host: *resident (parameters, Adam state, sequences) and *per_thread (scratch
 * one thread uses for an epoch: h(t) (T x M), a few T-long sums, and W1, A, its lambda tangent, G and dW1 for one
 * block of rows — the MKL kernels run a block of rows through all T steps while it stays in cache).
 * Peak = resident + threads * per_thread. No A(t) history is kept: the gradient of lambda is carried forward
 * (forward-mode), the rest flows backward through G. On OpenCL everything lives on the device: resident is the
 * host's bookkeeping only and per_thread is 0. */
ANNSCOPE_API int annscope_hebbff_memory(annscope_hebbff* ws, int64_t* resident, int64_t* per_thread);

#ifdef __cplusplus
}
#endif
#endif
