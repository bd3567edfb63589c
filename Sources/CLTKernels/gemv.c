/* Matrix-vector products: C = A b (n = 1) and C = a B (m = 1) without packing.
 *
 * Packing costs a pass over the matrix, which is all the work a
 * matrix-vector product has: through the GEMM path 1 x 1024 x 1024 took
 * 0.33 ms and 1024 x 1024 x 1 0.99 ms. Here A b is one dot product per row of
 * A (rows contiguous) and a B one pass over the rows of B (rows contiguous),
 * both in 16-lane vector code compiled for AVX-512, AVX2 and baseline with FP
 * contraction off, so every build gives the same bits. Rows (A b) or columns
 * (a B) are split across threads; each result element is computed by one
 * thread in a fixed order, so the bits do not depend on the thread count. */
#include "CLTKernels.h"
#include "internal.h"
#include <string.h>

#pragma clang fp contract(off)
#pragma clang diagnostic ignored "-Wpsabi"

#define ALWAYS static inline __attribute__((always_inline))

/* One body per element type: T, its 16-byte-aligned-free vector type V of
 * LANES lanes (64 bytes). */
#define DEFINE_GEMV(P, T, LANES)                                                          \
  typedef T P##_v __attribute__((vector_size(64)));                                       \
  typedef T P##_vu __attribute__((vector_size(64), aligned(sizeof(T))));                 \
  /* dot(x, y): four vector accumulators, combined and reduced in a fixed order */        \
  ALWAYS T P##_dot_body(const T *x, const T *y, int64_t k) {                              \
    P##_v a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                         \
    int64_t i = 0;                                                                         \
    for (; i + 4 * LANES <= k; i += 4 * LANES) {                                           \
      a0 += *(const P##_vu *)(x + i) * *(const P##_vu *)(y + i);                          \
      a1 += *(const P##_vu *)(x + i + LANES) * *(const P##_vu *)(y + i + LANES);          \
      a2 += *(const P##_vu *)(x + i + 2 * LANES) * *(const P##_vu *)(y + i + 2 * LANES);  \
      a3 += *(const P##_vu *)(x + i + 3 * LANES) * *(const P##_vu *)(y + i + 3 * LANES);  \
    }                                                                                      \
    P##_v s = (a0 + a1) + (a2 + a3);                                                       \
    for (; i + LANES <= k; i += LANES) s += *(const P##_vu *)(x + i) * *(const P##_vu *)(y + i); \
    T t = 0;                                                                               \
    for (int j = 0; j < LANES; j++) t += s[j];                                             \
    for (; i < k; i++) t += x[i] * y[i];                                                   \
    return t;                                                                              \
  }                                                                                        \
  /* rows [r0, r1) of A (contiguous rows, stride lda) times x into y */                    \
  ALWAYS void P##_rows_body(const T *a, int64_t lda, const T *x, int64_t k, T *y, int64_t ldy, \
                            int64_t r0, int64_t r1) {                                      \
    for (int64_t r = r0; r < r1; r++) y[r * ldy] = P##_dot_body(a + r * lda, x, k);        \
  }                                                                                        \
  /* columns [c0, c1) of y = a B (rows of B contiguous, stride ldb): stripes of    \
   * 4 vectors of columns held in registers while p runs over the rows of B, each   \
   * element summed as y = y + a[p] * B[p, j] for p in order */                       \
  ALWAYS void P##_cols_body(const T *a, int64_t a_cs, const T *b, int64_t ldb, int64_t k, \
                            T *y, int64_t c0, int64_t c1) {                                \
    int64_t j = c0;                                                                        \
    for (; j + 4 * LANES <= c1; j += 4 * LANES) {                                          \
      P##_v y0 = {0}, y1 = {0}, y2 = {0}, y3 = {0};                                        \
      const T *row = b + j;                                                                \
      for (int64_t p = 0; p < k; p++, row += ldb) {                                        \
        T ap = a[p * a_cs];                                                                \
        y0 = y0 + ap * *(const P##_vu *)(row);                                             \
        y1 = y1 + ap * *(const P##_vu *)(row + LANES);                                     \
        y2 = y2 + ap * *(const P##_vu *)(row + 2 * LANES);                                 \
        y3 = y3 + ap * *(const P##_vu *)(row + 3 * LANES);                                 \
      }                                                                                    \
      *(P##_vu *)(y + j) = y0;                                                             \
      *(P##_vu *)(y + j + LANES) = y1;                                                     \
      *(P##_vu *)(y + j + 2 * LANES) = y2;                                                 \
      *(P##_vu *)(y + j + 3 * LANES) = y3;                                                 \
    }                                                                                      \
    for (; j < c1; j++) {                                                                  \
      T t = 0;                                                                             \
      for (int64_t p = 0; p < k; p++) t = t + a[p * a_cs] * b[p * ldb + j];                \
      y[j] = t;                                                                            \
    }                                                                                      \
  }

DEFINE_GEMV(s, float, 16)
DEFINE_GEMV(d, double, 8)

#if defined(__x86_64__)
#define ISA_VARIANTS(name, params, args)                                                    \
  __attribute__((target("avx512f"))) static void name##_avx512 params { name##_body args; } \
  __attribute__((target("avx2"))) static void name##_avx2 params { name##_body args; }      \
  static void name##_generic params { name##_body args; }                                   \
  static void name params {                                                                 \
    switch (lt_isa()) {                                                                     \
      case 2: name##_avx512 args; break;                                                    \
      case 1: name##_avx2 args; break;                                                      \
      default: name##_generic args; break;                                                  \
    }                                                                                       \
  }
#else
#define ISA_VARIANTS(name, params, args) static void name params { name##_body args; }
#endif

ISA_VARIANTS(s_rows, (const float *a, int64_t lda, const float *x, int64_t k, float *y, int64_t ldy, int64_t r0, int64_t r1),
             (a, lda, x, k, y, ldy, r0, r1))
ISA_VARIANTS(d_rows, (const double *a, int64_t lda, const double *x, int64_t k, double *y, int64_t ldy, int64_t r0, int64_t r1),
             (a, lda, x, k, y, ldy, r0, r1))
ISA_VARIANTS(s_cols, (const float *a, int64_t a_cs, const float *b, int64_t ldb, int64_t k, float *y, int64_t c0, int64_t c1),
             (a, a_cs, b, ldb, k, y, c0, c1))
ISA_VARIANTS(d_cols, (const double *a, int64_t a_cs, const double *b, int64_t ldb, int64_t k, double *y, int64_t c0, int64_t c1),
             (a, a_cs, b, ldb, k, y, c0, c1))

typedef struct {
  const void *a, *x;
  int64_t lda, a_cs, ldb, k, ldy;
  void *y;
  int f64;
} gemv_job;

static void rows_range(void *ctx, int64_t r0, int64_t r1) {
  gemv_job *j = (gemv_job *)ctx;
  if (j->f64) d_rows((const double *)j->a, j->lda, (const double *)j->x, j->k, (double *)j->y, j->ldy, r0, r1);
  else s_rows((const float *)j->a, j->lda, (const float *)j->x, j->k, (float *)j->y, j->ldy, r0, r1);
}

static void cols_range(void *ctx, int64_t c0, int64_t c1) {
  gemv_job *j = (gemv_job *)ctx;
  /* ranges are in units of 64 columns, a register stripe of either type */
  int64_t n = j->ldy;
  c0 *= 64; c1 *= 64;
  if (c1 > n) c1 = n;
  if (j->f64) d_cols((const double *)j->x, j->a_cs, (const double *)j->a, j->ldb, j->k, (double *)j->y, c0, c1);
  else s_cols((const float *)j->x, j->a_cs, (const float *)j->a, j->ldb, j->k, (float *)j->y, c0, c1);
}

/* Below ~64K multiply-adds a job stays on one thread. */
enum { GEMV_GRAIN = 1 << 16 };

int lt_gemv_try(int f64, int64_t m, int64_t n, int64_t k,
                const void *a, int64_t a_rs, int64_t a_cs,
                const void *b, int64_t b_rs, int64_t b_cs,
                void *c, int64_t ldc) {
  size_t es = f64 ? sizeof(double) : sizeof(float);
  if (k <= 0 || m <= 0 || n <= 0) return 1;
  if (n == 1 && a_cs == 1) {
    /* C[:, 0] = A b: b's column may be strided; make it contiguous */
    const void *x = b;
    if (b_rs != 1) {
      void *buf = thread_buffer(1, es * (size_t)k);
      if (!buf) return 1;
      for (int64_t p = 0; p < k; p++) {
        if (f64) ((double *)buf)[p] = ((const double *)b)[p * b_rs];
        else ((float *)buf)[p] = ((const float *)b)[p * b_rs];
      }
      x = buf;
    }
    gemv_job j = {a, x, a_rs, 1, 0, k, ldc, c, f64};
    int64_t grain = GEMV_GRAIN / k + 1;
    lt_parallel_chunks(m, grain, rows_range, &j);
    return 0;
  }
  if (m == 1 && b_cs == 1) {
    /* C[0, :] = a B */
    gemv_job j = {b, a, 0, a_cs, b_rs, k, n, c, f64};
    int64_t units = (n + 63) / 64;
    int64_t grain = GEMV_GRAIN / (64 * k) + 1;
    lt_parallel_chunks(units, grain, cols_range, &j);
    return 0;
  }
  return 1;
}
