/* CLTKernels: the few hot loops of LTTensor that need CPU-specific code.
 *
 * Swift can only vectorise well for the CPU it is compiled for (see
 * shared/research/deps.md: a SIMD16 kernel is 200x slower without -target-cpu),
 * so these kernels are C compiled several times with target attributes and
 * chosen at run time with __builtin_cpu_supports. This module provides no
 * stable API of its own; LTTensor wraps every function.
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
/* Forces an instruction set (clamped to what the CPU has); -1 restores auto. */
void lt_force_isa(int level);

/* Runs fn over [0, n) split into at most lt_num_threads() contiguous ranges of
 * at least min_chunk items; the calling thread runs the first range. */
typedef void (*lt_range_fn)(void *ctx, int64_t begin, int64_t end);
void lt_parallel_for(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx);

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

/* y = exp(x), polynomial (Cephes coefficients), max relative error ~2 ulp. */
void lt_exp_f32(const float *x, float *y, int64_t n);
/* y = 1 / (1 + exp(-x)). */
void lt_sigmoid_f32(const float *x, float *y, int64_t n);
/* Sum in fixed blocks, blocks added in double in order: deterministic. */
double lt_sum_f32(const float *x, int64_t n);
double lt_sum_f64(const double *x, int64_t n);
/* Row-wise (log-)softmax of a row-major rows x cols matrix. */
void lt_softmax_rows_f32(const float *x, float *y, int64_t rows, int64_t cols, int take_log);

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
/* Sums over rows of logsumexp(z_r - shift) and of softmax(z_r - shift) (cols
 * values). Workspace: scratch holds pieces * 2 * cols floats, partial
 * pieces * (cols + 1) doubles, pieces = lt_learn_row_pieces(rows). */
void lt_learn_lse_softmax_sums_f32(const float *z, int64_t rows, int64_t cols,
                                   const float *shift, float *scratch, double *partial,
                                   double *lse_sum, double *softmax_sum);

#ifdef __cplusplus
}
#endif
#endif
