/* Matrix multiply: BLIS-style packing around a register-blocked micro-kernel.
 *
 * Blocking: B is packed kc x nc into NR-wide panels, A mc x kc into MR-tall
 * slivers; the micro-kernel keeps an MR x NR tile of C in registers for the kc
 * loop. Three kernels, picked at run time: AVX-512 8x32, AVX2 6x16, portable
 * 4x8. Every element of C is accumulated over k in order within a kc block and
 * the kc blocks are added to C in order, so the bits do not depend on how rows
 * or columns are split across threads. */
#include "CLTKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define LT_X86 1
#endif
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)

enum { KC = 256, MC = 144, NC = 2048 };   /* MC is a multiple of 8, 6 and 4 */

typedef void (*skern_t)(int64_t kc, const float *a, const float *b, float *c,
                        int64_t ldc, int acc, int mv, int nv);

/* Adds (or stores) the valid part of a finished tile into C. */
static void flush_tile(const float *tile, int nr, float *c, int64_t ldc, int acc, int mv, int nv) {
  for (int i = 0; i < mv; i++)
    for (int j = 0; j < nv; j++)
      c[i * ldc + j] = acc ? c[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
}

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
    flush_tile(tile, 32, c, ldc, acc, mv, nv);
  }
}

__attribute__((target("avx2,fma")))
static void skern_avx2(int64_t kc, const float *a, const float *b, float *c,
                       int64_t ldc, int acc, int mv, int nv) {
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
    flush_tile(tile, 16, c, ldc, acc, mv, nv);
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
  flush_tile(t, 8, c, ldc, acc, mv, nv);
}

typedef struct { int mr, nr; skern_t kern; } skernel;

static skernel pick_skernel(void) {
#ifdef LT_X86
  switch (lt_isa()) {
    case 2: return (skernel){8, 32, skern_avx512};
    case 1: return (skernel){6, 16, skern_avx2};
    default: break;
  }
#endif
  return (skernel){4, 8, skern_generic};
}

typedef struct {
  int64_t m, n, k;
  const float *a; int64_t a_rs, a_cs;
  const float *b; int64_t b_rs, b_cs;
  float *c; int64_t ldc;
  skernel kn;
  int split_rows;
  int failed;
} sgemm_job;

static void pack_a(const sgemm_job *g, float *ap, int64_t i0, int64_t mc, int64_t p0, int64_t kc) {
  int mr = g->kn.mr;
  for (int64_t ir = 0; ir < mc; ir += mr) {
    int rows = (int)(mc - ir < mr ? mc - ir : mr);
    for (int64_t p = 0; p < kc; p++) {
      const float *src = g->a + (i0 + ir) * g->a_rs + (p0 + p) * g->a_cs;
      int i = 0;
      for (; i < rows; i++) ap[i] = src[i * g->a_rs];
      for (; i < mr; i++) ap[i] = 0;
      ap += mr;
    }
  }
}

static void pack_b(const sgemm_job *g, float *bp, int64_t p0, int64_t kc, int64_t j0, int64_t nc) {
  int nr = g->kn.nr;
  for (int64_t jr = 0; jr < nc; jr += nr) {
    int cols = (int)(nc - jr < nr ? nc - jr : nr);
    for (int64_t p = 0; p < kc; p++) {
      const float *src = g->b + (p0 + p) * g->b_rs + (j0 + jr) * g->b_cs;
      int j = 0;
      if (g->b_cs == 1) { for (; j < cols; j++) bp[j] = src[j]; }
      else { for (; j < cols; j++) bp[j] = src[j * g->b_cs]; }
      for (; j < nr; j++) bp[j] = 0;
      bp += nr;
    }
  }
}

static void sgemm_block(sgemm_job *g, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
  int mr = g->kn.mr, nr = g->kn.nr;
  float *ap = aligned_alloc(64, sizeof(float) * MC * KC);
  float *bp = aligned_alloc(64, sizeof(float) * KC * NC);
  if (!ap || !bp) { free(ap); free(bp); __atomic_store_n(&g->failed, 1, __ATOMIC_RELAXED); return; }
  for (int64_t jc = n0; jc < n1; jc += NC) {
    int64_t nc = n1 - jc < NC ? n1 - jc : NC;
    for (int64_t pc = 0; pc < g->k; pc += KC) {
      int64_t kc = g->k - pc < KC ? g->k - pc : KC;
      pack_b(g, bp, pc, kc, jc, nc);
      for (int64_t ic = m0; ic < m1; ic += MC) {
        int64_t mc = m1 - ic < MC ? m1 - ic : MC;
        pack_a(g, ap, ic, mc, pc, kc);
        for (int64_t jr = 0; jr < nc; jr += nr) {
          int nv = (int)(nc - jr < nr ? nc - jr : nr);
          for (int64_t ir = 0; ir < mc; ir += mr) {
            int mv = (int)(mc - ir < mr ? mc - ir : mr);
            float *ct = g->c + (ic + ir) * g->ldc + jc + jr;
            g->kn.kern(kc, ap + ir * kc, bp + jr * kc, ct, g->ldc, pc > 0, mv, nv);
          }
        }
      }
    }
  }
  free(ap); free(bp);
}

static void sgemm_range(void *ctx, int64_t begin, int64_t end) {
  sgemm_job *g = (sgemm_job *)ctx;
  if (g->split_rows) {
    int64_t m0 = begin * g->kn.mr, m1 = end * g->kn.mr;
    sgemm_block(g, m0, m1 < g->m ? m1 : g->m, 0, g->n);
  } else {
    int64_t n0 = begin * g->kn.nr, n1 = end * g->kn.nr;
    sgemm_block(g, 0, g->m, n0, n1 < g->n ? n1 : g->n);
  }
}

int lt_sgemm(int64_t m, int64_t n, int64_t k,
             const float *a, int64_t a_rs, int64_t a_cs,
             const float *b, int64_t b_rs, int64_t b_cs,
             float *c, int64_t ldc) {
  if (m <= 0 || n <= 0) return 0;
  if (k <= 0) {
    for (int64_t i = 0; i < m; i++) memset(c + i * ldc, 0, sizeof(float) * n);
    return 0;
  }
  sgemm_job g = {m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc, pick_skernel(), m >= n, 0};
  int64_t units = g.split_rows ? (m + g.kn.mr - 1) / g.kn.mr : (n + g.kn.nr - 1) / g.kn.nr;
  /* below ~2 MFLOP a second thread costs more than it saves */
  int64_t min_chunk = (double)m * n * k < 1e6 ? units : 1;
  lt_parallel_for(units, min_chunk, sgemm_range, &g);
  return g.failed ? -1 : 0;
}

/* float64: a plain i-k-j loop per row, cloned per instruction set by the
 * compiler; float32 is the default dtype and the one that gets the blocked path. */
typedef struct {
  int64_t n, k;
  const double *a; int64_t a_rs, a_cs;
  const double *b; int64_t b_rs, b_cs;
  double *c; int64_t ldc;
} dgemm_job;

#ifdef LT_X86
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void dgemm_rows(void *ctx, int64_t begin, int64_t end) {
  dgemm_job *g = (dgemm_job *)ctx;
  for (int64_t i = begin; i < end; i++) {
    double *ci = g->c + i * g->ldc;
    for (int64_t j = 0; j < g->n; j++) ci[j] = 0;
    for (int64_t p = 0; p < g->k; p++) {
      double aip = g->a[i * g->a_rs + p * g->a_cs];
      const double *bp = g->b + p * g->b_rs;
      if (g->b_cs == 1) { for (int64_t j = 0; j < g->n; j++) ci[j] = ci[j] + aip * bp[j]; }
      else { for (int64_t j = 0; j < g->n; j++) ci[j] = ci[j] + aip * bp[j * g->b_cs]; }
    }
  }
}

void lt_dgemm(int64_t m, int64_t n, int64_t k,
              const double *a, int64_t a_rs, int64_t a_cs,
              const double *b, int64_t b_rs, int64_t b_cs,
              double *c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  dgemm_job g = {n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc};
  int64_t per_row = n * (k > 0 ? k : 1);
  int64_t min_rows = per_row >= (1 << 20) ? 1 : ((1 << 20) / per_row);
  lt_parallel_for(m, min_rows, dgemm_rows, &g);
}
