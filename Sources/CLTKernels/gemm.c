/* Matrix multiply: BLIS-style packing around a register-blocked micro-kernel.
 *
 * Blocking: B is packed kc x nc into NR-wide panels, A mc x kc into MR-tall
 * slivers; the micro-kernel keeps an MR x NR tile of C in registers for the kc
 * loop. Kernels picked at run time: float32 AVX-512 8x32, AVX2 6x16, portable
 * 4x8; float64 AVX-512 8x16, AVX2 6x8, portable 4x4. The driver
 * (gemm_driver.h, shared by both types) runs on the worker pool; every element
 * of C is accumulated over k in order within a kc block and the kc blocks are
 * added to C in order, so the bits do not depend on the thread count.
 * Matrix-vector shapes (n = 1 or m = 1) go to gemv.c instead. */
#include "CLTKernels.h"
#include "internal.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define LT_X86 1
#endif
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)

enum { KC = 256, MC = 144, NC = 2048 };   /* MC is a multiple of 8, 6 and 4 */

/* float32 */
#define GEMM_T float
#define GEMM_P s_
#include "gemm_driver.h"
#undef GEMM_T
#undef GEMM_P

/* float64 */
#define GEMM_T double
#define GEMM_P d_
#include "gemm_driver.h"
#undef GEMM_T
#undef GEMM_P

#ifdef LT_X86
__attribute__((target("avx512f,fma")))
static void skern_avx512(int64_t kc, const float *a, const float *b, float *c,
                         int64_t ldc, int acc, int mv, int nv) {
  __m512 c0[8], c1[8];
  for (int i = 0; i < 8; i++) { c0[i] = _mm512_setzero_ps(); c1[i] = _mm512_setzero_ps(); }
  for (int64_t k = 0; k < kc; k++) {
    __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    for (int i = 0; i < 8; i++) {
      __m512 ai = _mm512_set1_ps(a[i]);
      c0[i] = _mm512_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm512_fmadd_ps(ai, b1, c1[i]);
    }
    a += 8; b += 32;
  }
  if (mv == 8 && nv == 32) {
    for (int i = 0; i < 8; i++) {
      float *ci = c + i * ldc;
      if (acc) {
        c0[i] = _mm512_add_ps(_mm512_loadu_ps(ci), c0[i]);
        c1[i] = _mm512_add_ps(_mm512_loadu_ps(ci + 16), c1[i]);
      }
      _mm512_storeu_ps(ci, c0[i]);
      _mm512_storeu_ps(ci + 16, c1[i]);
    }
  } else {
    float tile[8 * 32] __attribute__((aligned(64)));
    for (int i = 0; i < 8; i++) { _mm512_store_ps(tile + i * 32, c0[i]); _mm512_store_ps(tile + i * 32 + 16, c1[i]); }
    s_flush_tile(tile, 32, c, ldc, acc, mv, nv);
  }
}

/* AVX2 kernels for edge tiles: R < 6 valid rows and/or W = 1 vector of valid
 * columns, so an m = 1 product (a row through a layer) or an n <= 8 one does
 * not pay for a full 6x16 tile (6 and 2 times the work). Each element is the
 * same FMA chain over k as in the full kernel, so the bits are the same. */
#define DEFINE_EDGE(P, T, V, SETZERO, LOAD, BCAST, FMA, STORE, LANES)                          \
  __attribute__((target("avx2,fma"))) static void P##_edge_body(                             \
      int rows, int wide, int64_t kc, const T *a, const T *b, T *c, int64_t ldc, int acc, int mv, int nv) { \
    V c0[6], c1[6];                                                                           \
    for (int i = 0; i < 6; i++) { c0[i] = SETZERO(); c1[i] = SETZERO(); }                     \
    for (int64_t k = 0; k < kc; k++) {                                                        \
      V b0 = LOAD(b), b1 = wide ? LOAD(b + LANES) : b0;                                       \
      for (int i = 0; i < rows; i++) {                                                        \
        V ai = BCAST(a + i);                                                                  \
        c0[i] = FMA(ai, b0, c0[i]);                                                           \
        if (wide) c1[i] = FMA(ai, b1, c1[i]);                                                 \
      }                                                                                       \
      a += 6; b += 2 * LANES;                                                                 \
    }                                                                                         \
    T tile[6 * 2 * LANES] __attribute__((aligned(32)));                                       \
    for (int i = 0; i < rows; i++) {                                                          \
      STORE(tile + i * 2 * LANES, c0[i]);                                                     \
      if (wide) STORE(tile + i * 2 * LANES + LANES, c1[i]);                                   \
    }                                                                                         \
    P##_flush(tile, 2 * LANES, c, ldc, acc, mv, nv);                                          \
  }

static void s_flush(const float *t, int nr, float *c, int64_t ldc, int acc, int mv, int nv) { s_flush_tile(t, nr, c, ldc, acc, mv, nv); }
static void d_flush(const double *t, int nr, double *c, int64_t ldc, int acc, int mv, int nv) { d_flush_tile(t, nr, c, ldc, acc, mv, nv); }
DEFINE_EDGE(s, float, __m256, _mm256_setzero_ps, _mm256_load_ps, _mm256_broadcast_ss, _mm256_fmadd_ps, _mm256_store_ps, 8)
DEFINE_EDGE(d, double, __m256d, _mm256_setzero_pd, _mm256_load_pd, _mm256_broadcast_sd, _mm256_fmadd_pd, _mm256_store_pd, 4)

/* One specialisation per (rows, wide), so the loops above unroll. */
#define EDGE_FN(P, T, R, W)                                                                   \
  __attribute__((target("avx2,fma"))) static void P##_edge_##R##_##W(                        \
      int64_t kc, const T *a, const T *b, T *c, int64_t ldc, int acc, int mv, int nv) {       \
    P##_edge_body(R, W, kc, a, b, c, ldc, acc, mv, nv);                                       \
  }
#define EDGE_FNS(P, T) \
  EDGE_FN(P, T, 1, 0) EDGE_FN(P, T, 2, 0) EDGE_FN(P, T, 3, 0) EDGE_FN(P, T, 4, 0) EDGE_FN(P, T, 5, 0) EDGE_FN(P, T, 6, 0) \
  EDGE_FN(P, T, 1, 1) EDGE_FN(P, T, 2, 1) EDGE_FN(P, T, 3, 1) EDGE_FN(P, T, 4, 1) EDGE_FN(P, T, 5, 1)
EDGE_FNS(s, float)
EDGE_FNS(d, double)

/* The edge kernel for a tile with mv rows and nv columns, or NULL for a full-width, full-height tile. */
#define EDGE_PICK(P, mv, nv, LANES)                                                            \
  do {                                                                                         \
    int wide_ = (nv) > (LANES);                                                                \
    if ((mv) >= 6 && wide_) break;                                                             \
    static const P##_kern_t narrow_[6] = {P##_edge_1_0, P##_edge_2_0, P##_edge_3_0, P##_edge_4_0, P##_edge_5_0, P##_edge_6_0}; \
    static const P##_kern_t wide_fns_[5] = {P##_edge_1_1, P##_edge_2_1, P##_edge_3_1, P##_edge_4_1, P##_edge_5_1}; \
    P##_kern_t k_ = wide_ ? wide_fns_[(mv) - 1] : narrow_[(mv) - 1];                          \
    k_(kc, a, b, c, ldc, acc, mv, nv);                                                         \
    return;                                                                                    \
  } while (0)

__attribute__((target("avx2,fma")))
static void skern_avx2(int64_t kc, const float *a, const float *b, float *c,
                       int64_t ldc, int acc, int mv, int nv) {
  EDGE_PICK(s, mv, nv, 8);
  __m256 c0[6], c1[6];
  for (int i = 0; i < 6; i++) {
    c0[i] = _mm256_setzero_ps(); c1[i] = _mm256_setzero_ps();
    _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + 15), _MM_HINT_T0);
  }
  for (int64_t k = 0; k < kc; k++) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    for (int i = 0; i < 6; i++) {
      __m256 ai = _mm256_broadcast_ss(a + i);
      c0[i] = _mm256_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_ps(ai, b1, c1[i]);
    }
    a += 6; b += 16;
  }
  if (mv == 6 && nv == 16) {
    for (int i = 0; i < 6; i++) {
      float *ci = c + i * ldc;
      if (acc) {
        c0[i] = _mm256_add_ps(_mm256_loadu_ps(ci), c0[i]);
        c1[i] = _mm256_add_ps(_mm256_loadu_ps(ci + 8), c1[i]);
      }
      _mm256_storeu_ps(ci, c0[i]);
      _mm256_storeu_ps(ci + 8, c1[i]);
    }
  } else {
    float tile[6 * 16] __attribute__((aligned(64)));
    for (int i = 0; i < 6; i++) { _mm256_store_ps(tile + i * 16, c0[i]); _mm256_store_ps(tile + i * 16 + 8, c1[i]); }
    s_flush_tile(tile, 16, c, ldc, acc, mv, nv);
  }
}

#endif /* LT_X86 */

static void skern_generic(int64_t kc, const float *a, const float *b, float *c,
                          int64_t ldc, int acc, int mv, int nv) {
  float t[4 * 8] = {0};
  for (int64_t k = 0; k < kc; k++) {
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 8; j++) t[i * 8 + j] = t[i * 8 + j] + a[i] * b[j];
    a += 4; b += 8;
  }
  s_flush_tile(t, 8, c, ldc, acc, mv, nv);
}

static s_kernel pick_s_kernel(void) {
#ifdef LT_X86
  switch (lt_isa()) {
    case 2: return (s_kernel){8, 32, skern_avx512};
    case 1: return (s_kernel){6, 16, skern_avx2};
    default: break;
  }
#endif
  return (s_kernel){4, 8, skern_generic};
}


#ifdef LT_X86
__attribute__((target("avx512f,fma")))
static void dkern_avx512(int64_t kc, const double *a, const double *b, double *c,
                         int64_t ldc, int acc, int mv, int nv) {
  __m512d c0[8], c1[8];
  for (int i = 0; i < 8; i++) { c0[i] = _mm512_setzero_pd(); c1[i] = _mm512_setzero_pd(); }
  for (int64_t k = 0; k < kc; k++) {
    __m512d b0 = _mm512_load_pd(b), b1 = _mm512_load_pd(b + 8);
    for (int i = 0; i < 8; i++) {
      __m512d ai = _mm512_set1_pd(a[i]);
      c0[i] = _mm512_fmadd_pd(ai, b0, c0[i]);
      c1[i] = _mm512_fmadd_pd(ai, b1, c1[i]);
    }
    a += 8; b += 16;
  }
  if (mv == 8 && nv == 16) {
    for (int i = 0; i < 8; i++) {
      double *ci = c + i * ldc;
      if (acc) {
        c0[i] = _mm512_add_pd(_mm512_loadu_pd(ci), c0[i]);
        c1[i] = _mm512_add_pd(_mm512_loadu_pd(ci + 8), c1[i]);
      }
      _mm512_storeu_pd(ci, c0[i]);
      _mm512_storeu_pd(ci + 8, c1[i]);
    }
  } else {
    double tile[8 * 16] __attribute__((aligned(64)));
    for (int i = 0; i < 8; i++) { _mm512_store_pd(tile + i * 16, c0[i]); _mm512_store_pd(tile + i * 16 + 8, c1[i]); }
    d_flush_tile(tile, 16, c, ldc, acc, mv, nv);
  }
}

__attribute__((target("avx2,fma")))
static void dkern_avx2(int64_t kc, const double *a, const double *b, double *c,
                       int64_t ldc, int acc, int mv, int nv) {
  EDGE_PICK(d, mv, nv, 4);
  __m256d c0[6], c1[6];
  for (int i = 0; i < 6; i++) {
    c0[i] = _mm256_setzero_pd(); c1[i] = _mm256_setzero_pd();
    _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + 7), _MM_HINT_T0);
  }
  for (int64_t k = 0; k < kc; k++) {
    __m256d b0 = _mm256_load_pd(b), b1 = _mm256_load_pd(b + 4);
    for (int i = 0; i < 6; i++) {
      __m256d ai = _mm256_broadcast_sd(a + i);
      c0[i] = _mm256_fmadd_pd(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_pd(ai, b1, c1[i]);
    }
    a += 6; b += 8;
  }
  if (mv == 6 && nv == 8) {
    for (int i = 0; i < 6; i++) {
      double *ci = c + i * ldc;
      if (acc) {
        c0[i] = _mm256_add_pd(_mm256_loadu_pd(ci), c0[i]);
        c1[i] = _mm256_add_pd(_mm256_loadu_pd(ci + 4), c1[i]);
      }
      _mm256_storeu_pd(ci, c0[i]);
      _mm256_storeu_pd(ci + 4, c1[i]);
    }
  } else {
    double tile[6 * 8] __attribute__((aligned(64)));
    for (int i = 0; i < 6; i++) { _mm256_store_pd(tile + i * 8, c0[i]); _mm256_store_pd(tile + i * 8 + 4, c1[i]); }
    d_flush_tile(tile, 8, c, ldc, acc, mv, nv);
  }
}
#endif /* LT_X86 */

static void dkern_generic(int64_t kc, const double *a, const double *b, double *c,
                          int64_t ldc, int acc, int mv, int nv) {
  double t[4 * 4] = {0};
  for (int64_t k = 0; k < kc; k++) {
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) t[i * 4 + j] = t[i * 4 + j] + a[i] * b[j];
    a += 4; b += 4;
  }
  d_flush_tile(t, 4, c, ldc, acc, mv, nv);
}

static d_kernel pick_dkernel(void) {
#ifdef LT_X86
  switch (lt_isa()) {
    case 2: return (d_kernel){8, 16, dkern_avx512};
    case 1: return (d_kernel){6, 8, dkern_avx2};
    default: break;
  }
#endif
  return (d_kernel){4, 4, dkern_generic};
}

int lt_sgemm(int64_t m, int64_t n, int64_t k,
             const float *a, int64_t a_rs, int64_t a_cs,
             const float *b, int64_t b_rs, int64_t b_cs,
             float *c, int64_t ldc) {
  if (lt_gemv_try(0, m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc) == 0) return 0;
  return s_gemm_run(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc, pick_s_kernel());
}

int lt_dgemm_checked(int64_t m, int64_t n, int64_t k,
                     const double *a, int64_t a_rs, int64_t a_cs,
                     const double *b, int64_t b_rs, int64_t b_cs,
                     double *c, int64_t ldc) {
  if (lt_gemv_try(1, m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc) == 0) return 0;
  return d_gemm_run(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc, pick_dkernel());
}

/* The original signature returns nothing; on an allocation failure it falls
 * back to an unpacked i-k-j loop, which needs no memory. */
void lt_dgemm(int64_t m, int64_t n, int64_t k,
              const double *a, int64_t a_rs, int64_t a_cs,
              const double *b, int64_t b_rs, int64_t b_cs,
              double *c, int64_t ldc) {
  if (lt_dgemm_checked(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc) == 0) return;
  for (int64_t i = 0; i < m; i++) {
    double *ci = c + i * ldc;
    for (int64_t j = 0; j < n; j++) ci[j] = 0;
    for (int64_t p = 0; p < k; p++) {
      double aip = a[i * a_rs + p * a_cs];
      for (int64_t j = 0; j < n; j++) ci[j] = ci[j] + aip * b[p * b_rs + j * b_cs];
    }
  }
}
