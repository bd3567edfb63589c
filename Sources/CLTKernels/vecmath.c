/* Vectorised exp, sigmoid, sum and row softmax for float32.
 *
 * Written once with clang vector extensions (16 lanes) and compiled for
 * AVX-512, AVX2 and baseline x86-64. FP contraction is off, so every build
 * performs the same IEEE operations lane by lane and gives the same bits; the
 * instruction set only changes the speed. */
#include "CLTKernels.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)
/* The 16-lane helpers are always inlined, so their ABI never matters. */
#pragma clang diagnostic ignored "-Wpsabi"

#include "vec16.h"

typedef double vd __attribute__((vector_size(64)));
typedef double vdu __attribute__((vector_size(64), aligned(8)));

ALWAYS vf vload_tail(const float *x, int64_t n, float pad) {
  vf v = SPLAT(pad);
  float buf[L];
  memcpy(buf, &v, sizeof v);
  memcpy(buf, x, sizeof(float) * n);
  memcpy(&v, buf, sizeof v);
  return v;
}

ALWAYS void vstore_tail(float *y, vf v, int64_t n) {
  float buf[L];
  memcpy(buf, &v, sizeof v);
  memcpy(y, buf, sizeof(float) * n);
}

#define DEFINE_MAP(name, expr)                                             \
  ALWAYS void name##_body(const float *x, float *y, int64_t n) {          \
    int64_t i = 0;                                                         \
    for (; i + L <= n; i += L) { vf v = *(const vfu *)(x + i); *(vfu *)(y + i) = (expr); } \
    if (i < n) { vf v = vload_tail(x + i, n - i, 0.0f); vstore_tail(y + i, (expr), n - i); } \
  }

DEFINE_MAP(exp, vexp(v))
DEFINE_MAP(sigmoid, 1.0f / (1.0f + vexp(-v)))

/* One 4096-element block: four 16-lane accumulators, lanes and tail added in
 * a fixed order in double. */
enum { SUM_BLOCK = 4096 };
ALWAYS double sum_block_body(const float *x, int64_t n) {
  vf a0 = SPLAT(0), a1 = SPLAT(0), a2 = SPLAT(0), a3 = SPLAT(0);
  int64_t i = 0;
  for (; i + 4 * L <= n; i += 4 * L) {
    a0 += *(const vfu *)(x + i); a1 += *(const vfu *)(x + i + L);
    a2 += *(const vfu *)(x + i + 2 * L); a3 += *(const vfu *)(x + i + 3 * L);
  }
  vf s = (a0 + a1) + (a2 + a3);
  double total = 0;
  for (int j = 0; j < L; j++) total += s[j];
  for (; i < n; i++) total += x[i];
  return total;
}

ALWAYS double sum_block_f64_body(const double *x, int64_t n) {
  vd a0 = (vd){0}, a1 = (vd){0}, a2 = (vd){0}, a3 = (vd){0};
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a0 += *(const vdu *)(x + i); a1 += *(const vdu *)(x + i + 8);
    a2 += *(const vdu *)(x + i + 16); a3 += *(const vdu *)(x + i + 24);
  }
  vd s = (a0 + a1) + (a2 + a3);
  double total = 0;
  for (int j = 0; j < 8; j++) total += s[j];
  for (; i < n; i++) total += x[i];
  return total;
}

ALWAYS void softmax_row_body(const float *x, float *y, int64_t n, int take_log) {
  vf m = SPLAT(-INFINITY);
  int64_t i = 0;
  for (; i + L <= n; i += L) m = __builtin_elementwise_max(m, *(const vfu *)(x + i));
  float mx = -INFINITY;
  for (int j = 0; j < L; j++) mx = m[j] > mx ? m[j] : mx;
  for (; i < n; i++) mx = x[i] > mx ? x[i] : mx;
  vf s = SPLAT(0);
  double tail = 0;
  for (i = 0; i + L <= n; i += L) {
    vf e = vexp(*(const vfu *)(x + i) - mx);
    if (!take_log) *(vfu *)(y + i) = e;
    s += e;
  }
  if (i < n) {
    vf e = vexp(vload_tail(x + i, n - i, 0.0f) - mx);
    if (!take_log) vstore_tail(y + i, e, n - i);
    for (int64_t j = 0; j < n - i; j++) tail += e[j];
  }
  double total = 0;
  for (int j = 0; j < L; j++) total += s[j];
  total += tail;
  if (take_log) {
    float shift = mx + (float)log(total);
    for (i = 0; i + L <= n; i += L) *(vfu *)(y + i) = *(const vfu *)(x + i) - shift;
    for (; i < n; i++) y[i] = x[i] - shift;
  } else {
    float tf = (float)total;
    for (i = 0; i + L <= n; i += L) *(vfu *)(y + i) = *(const vfu *)(y + i) / tf;
    for (; i < n; i++) y[i] = y[i] / tf;
  }
}

/* One function per instruction set for each body, and a dispatcher (only the
 * portable build off x86-64). */
#if defined(__x86_64__)
#define INSTANTIATE(ret, name, params, args)                                         \
  __attribute__((target("avx512f"))) static ret name##_avx512 params { return name##_body args; } \
  __attribute__((target("avx2"))) static ret name##_avx2 params { return name##_body args; }      \
  static ret name##_generic params { return name##_body args; }                     \
  static ret name##_dispatch params {                                               \
    switch (lt_isa()) {                                                             \
      case 2: return name##_avx512 args;                                            \
      case 1: return name##_avx2 args;                                              \
      default: return name##_generic args;                                          \
    }                                                                               \
  }

#else
#define INSTANTIATE(ret, name, params, args) \
  static ret name##_dispatch params { return name##_body args; }
#endif

INSTANTIATE(void, exp, (const float *x, float *y, int64_t n), (x, y, n))
INSTANTIATE(void, sigmoid, (const float *x, float *y, int64_t n), (x, y, n))
INSTANTIATE(double, sum_block, (const float *x, int64_t n), (x, n))
INSTANTIATE(double, sum_block_f64, (const double *x, int64_t n), (x, n))
INSTANTIATE(void, softmax_row, (const float *x, float *y, int64_t n, int take_log), (x, y, n, take_log))

/* Elementwise maps: parallel over 64K-element chunks once the array is large. */
typedef struct { const float *x; float *y; int which; } map_job;
enum { MAP_CHUNK = 1 << 16 };

static void map_range(void *ctx, int64_t begin, int64_t end) {
  map_job *j = (map_job *)ctx;
  int64_t n = end - begin;
  if (j->which == 0) exp_dispatch(j->x + begin, j->y + begin, n);
  else sigmoid_dispatch(j->x + begin, j->y + begin, n);
}

void lt_exp_f32(const float *x, float *y, int64_t n) {
  map_job j = {x, y, 0};
  lt_parallel_chunks(n, MAP_CHUNK * 4, map_range, &j);
}

void lt_sigmoid_f32(const float *x, float *y, int64_t n) {
  map_job j = {x, y, 1};
  lt_parallel_chunks(n, MAP_CHUNK * 4, map_range, &j);
}

typedef struct { const void *x; int64_t n; double *partial; int f64; } sum_job;

static void sum_range(void *ctx, int64_t begin, int64_t end) {
  sum_job *j = (sum_job *)ctx;
  for (int64_t b = begin; b < end; b++) {
    int64_t lo = b * SUM_BLOCK, cnt = j->n - lo < SUM_BLOCK ? j->n - lo : SUM_BLOCK;
    j->partial[b] = j->f64 ? sum_block_f64_dispatch((const double *)j->x + lo, cnt)
                           : sum_block_dispatch((const float *)j->x + lo, cnt);
  }
}

static double sum_any(const void *x, int64_t n, int f64) {
  if (n <= 0) return 0;
  int64_t blocks = (n + SUM_BLOCK - 1) / SUM_BLOCK;
  double *partial = malloc(sizeof(double) * blocks);
  double total = 0;
  if (!partial) {   /* same order, no buffer */
    for (int64_t b = 0; b < blocks; b++) {
      double one;
      sum_job j = {x, n, &one, f64};
      (void)j;
      int64_t lo = b * SUM_BLOCK, cnt = n - lo < SUM_BLOCK ? n - lo : SUM_BLOCK;
      one = f64 ? sum_block_f64_dispatch((const double *)x + lo, cnt) : sum_block_dispatch((const float *)x + lo, cnt);
      total += one;
    }
    return total;
  }
  sum_job j = {x, n, partial, f64};
  lt_parallel_chunks(blocks, 64, sum_range, &j);
  for (int64_t b = 0; b < blocks; b++) total += partial[b];
  free(partial);
  return total;
}

double lt_sum_f32(const float *x, int64_t n) { return sum_any(x, n, 0); }
double lt_sum_f64(const double *x, int64_t n) { return sum_any(x, n, 1); }

typedef struct { const float *x; float *y; int64_t cols; int take_log; } softmax_job;

static void softmax_range(void *ctx, int64_t begin, int64_t end) {
  softmax_job *j = (softmax_job *)ctx;
  for (int64_t r = begin; r < end; r++)
    softmax_row_dispatch(j->x + r * j->cols, j->y + r * j->cols, j->cols, j->take_log);
}

void lt_softmax_rows_f32(const float *x, float *y, int64_t rows, int64_t cols, int take_log) {
  if (rows <= 0 || cols <= 0) return;
  softmax_job j = {x, y, cols, take_log};
  int64_t min_rows = cols >= MAP_CHUNK ? 1 : MAP_CHUNK / cols;
  lt_parallel_chunks(rows, min_rows, softmax_range, &j);
}
