/* CLTKernels: the few hot loops of LTTensor and LTLearn that need CPU-specific code.
 *
 * Swift can only vectorise well for the CPU it is compiled for (see
 * shared/research/deps.md: a SIMD16 kernel is 200x slower without -target-cpu),
 * so these kernels are C compiled several times with target attributes and
 * chosen at run time from cpuid (threads.c, detect_isa). This module provides no
 * stable API of its own; LTTensor and LTLearn wrap every function.
 */
#ifndef CLTKERNELS_H
#define CLTKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Threads used by the kernels (default: online CPUs, or LTNB_NUM_THREADS). */
int lt_num_threads(void);
void lt_set_num_threads(int n);

/* Instruction set in use: 2 = AVX-512, 1 = AVX2+FMA, 0 = portable C. */
int lt_isa(void);
/* The widest set the CPU and OS support, whatever lt_force_isa asked for. */
int lt_isa_detected(void);
/* Forces an instruction set (clamped to what the CPU has); -1 restores auto. */
void lt_force_isa(int level);

/* Runs fn over [0, n) split into at most lt_num_threads() contiguous ranges of
 * at least min_chunk items, on a persistent worker pool; the calling thread
 * runs the first range, and also takes any range a worker has not started by
 * the time it is free. While the pool runs another caller's job (or when
 * called from inside a job) the whole range runs on the calling thread, so fn
 * must give the same result however [0, n) is split. */
typedef void (*lt_range_fn)(void *ctx, int64_t begin, int64_t end);
void lt_parallel_for(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx);
/* lt_parallel_for cut finer: up to 4 ranges per thread, each run by whichever
 * thread is free, so a slow or late thread delays the job by at most one
 * small range. fn must not assume which thread runs a range or how many
 * ranges there are. */
void lt_parallel_chunks(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx);

/* Runs fn(ctx, tid, nt) for tid in [0, nt) on nt = min(max_threads,
 * lt_num_threads()) threads of the pool, the caller being tid 0, and returns
 * nt; every thread must run (fn may wait for the others). When the pool is
 * taken it runs fn(ctx, 0, 1) alone and returns 1. */
typedef void (*lt_team_fn)(void *ctx, int tid, int nt);
int lt_parallel_team(int max_threads, lt_team_fn fn, void *ctx);

/* Jobs run on the pool and jobs run alone because it was taken, since the
 * start of the process, and the workers started; for tests and benchmarks. */
void lt_pool_stats(int64_t *pooled, int64_t *serial, int *workers);

/* C[m,n] = A[m,k] * B[k,n]; A and B are strided (row stride, column stride, in
 * elements), C is row-major with leading dimension ldc. Each element of C is
 * summed in the same order whatever the thread count. lt_sgemm returns 0, or
 * -1 when its packing buffers cannot be allocated. */
int lt_sgemm(int64_t m, int64_t n, int64_t k,
              const float *a, int64_t a_rs, int64_t a_cs,
              const float *b, int64_t b_rs, int64_t b_cs,
              float *c, int64_t ldc);
void lt_dgemm(int64_t m, int64_t n, int64_t k,
              const double *a, int64_t a_rs, int64_t a_cs,
              const double *b, int64_t b_rs, int64_t b_cs,
              double *c, int64_t ldc);
/* lt_dgemm that returns -1, leaving C undefined, when its buffers cannot be
 * allocated (lt_dgemm then falls back to a slow loop that needs none). */
int lt_dgemm_checked(int64_t m, int64_t n, int64_t k,
                     const double *a, int64_t a_rs, int64_t a_cs,
                     const double *b, int64_t b_rs, int64_t b_cs,
                     double *c, int64_t ldc);

/* y = exp(x), polynomial (Cephes coefficients), max relative error ~2 ulp. */
void lt_exp_f32(const float *x, float *y, int64_t n);
/* y = 1 / (1 + exp(-x)). */
void lt_sigmoid_f32(const float *x, float *y, int64_t n);
/* Sum in fixed blocks, blocks added in double in order: deterministic. */
double lt_sum_f32(const float *x, int64_t n);
double lt_sum_f64(const double *x, int64_t n);
/* Row-wise (log-)softmax of a row-major rows x cols matrix. */
void lt_softmax_rows_f32(const float *x, float *y, int64_t rows, int64_t cols, int take_log);

/* y[i] = a[i*sa] op b[i*sb] for i < n, where sa and sb are 1 (contiguous)
 * or 0 (one value broadcast), not both 0; max/min give NaN when either is
 * NaN. Comparisons write 1 or 0 bytes; NaN compares unequal to everything.
 * Single-threaded: the caller splits long rows. Returns 0, or -1 (writing
 * nothing) for strides it does not handle or n <= 0. */
enum { LT_OP_ADD = 0, LT_OP_SUB = 1, LT_OP_MUL = 2, LT_OP_DIV = 3, LT_OP_MAX = 4, LT_OP_MIN = 5 };
/* Or'ed into an arithmetic op: write y with non-temporal stores (for outputs
 * that will not stay in cache anyway; see lt_cache_bytes). */
enum { LT_OP_STREAM = 0x100 };
/* Size of the last-level cache in bytes (sysconf), at most 32 MiB (some VMs
 * report far more than the CPU has), 32 MiB when unknown. */
int64_t lt_cache_bytes(void);
enum { LT_CMP_EQ = 0, LT_CMP_NE = 1, LT_CMP_LT = 2, LT_CMP_LE = 3, LT_CMP_GT = 4, LT_CMP_GE = 5 };
int lt_binary_f32(int op, const float *a, int64_t sa, const float *b, int64_t sb, float *y, int64_t n);
int lt_binary_f64(int op, const double *a, int64_t sa, const double *b, int64_t sb, double *y, int64_t n);
int lt_compare_f32(int op, const float *a, int64_t sa, const float *b, int64_t sb, uint8_t *y, int64_t n);
int lt_compare_f64(int op, const double *a, int64_t sa, const double *b, int64_t sb, uint8_t *y, int64_t n);

/* Per row r of a rows x cols float32 matrix whose rows start ld elements
 * apart: pred[r] = index of the row's first maximum (of its first NaN, if
 * any), and by mode:
 *   LT_ROWS_ARGMAX  nothing else (labels, conf, ptrue may be NULL);
 *   LT_ROWS_LOGITS  conf[r] = largest softmax probability, ptrue[r] = softmax
 *                   probability of labels[r] (both double; NaN for a label
 *                   outside [0, cols)); a row is bad if it holds inf or NaN;
 *   LT_ROWS_PROBS   conf[r] = the row's maximum, ptrue[r] = x[labels[r]]; a row
 *                   is bad if it holds NaN, a value outside [0, 1], or does not
 *                   sum to 1 within 1e-3.
 * Returns -1, or the first bad row (outputs of later rows are then undefined).
 * Rows are split over the thread pool; the outputs do not depend on the split. */
enum { LT_ROWS_ARGMAX = 0, LT_ROWS_LOGITS = 1, LT_ROWS_PROBS = 2 };
int64_t lt_row_stats_f32(const float *x, int64_t rows, int64_t cols, int64_t ld, int mode,
                         const int32_t *labels, int32_t *pred, double *conf, double *ptrue);

/* ---- LTLearn's training loops (learn.c); LTLearn wraps these. ---- */

/* Per row r: out_r = softmax(z_r + offset) minus 1 at labels[r], and
 * ce[r] = logsumexp(z_r + offset) - (z_r + offset)[labels[r]] in double. offset
 * (cols values) may be NULL. A label outside [0, cols) gives ce NaN. */
void lt_learn_softmax_xent_f32(const float *z, const float *offset, const int32_t *labels,
                               int64_t rows, int64_t cols, float *out, double *ce);
/* PyTorch SGD: d = g + wd p; v = d on the first step, else momentum v + d;
 * p -= lr (momentum == 0 ? d : v). */
void lt_learn_sgd_f32(float *p, float *v, const float *g, int64_t n, float lr, float momentum,
                      float weight_decay, int first_step);
/* How many pieces lt_learn_lse_softmax_sums_f32 cuts `rows` into (1 to 64). */
int64_t lt_learn_row_pieces(int64_t rows);
/* Sums over rows of w_r logsumexp(z_r - shift) and of w_r softmax(z_r - shift) (cols
 * values), w_r = weights[r], or 1 when weights is NULL. Workspace: scratch holds
 * pieces * 2 * cols floats, partial pieces * (cols + 1) doubles,
 * pieces = lt_learn_row_pieces(rows). */
void lt_learn_lse_softmax_sums_f32(const float *z, int64_t rows, int64_t cols,
                                   const float *shift, const double *weights, float *scratch,
                                   double *partial, double *lse_sum, double *softmax_sum);

#ifdef __cplusplus
}
#endif
#endif
