/* Row statistics in one pass per row: argmax, and for the metrics the
 * softmax confidence and the probability of the true label.
 *
 * Scoring a 14 GB logits file is bound by memory bandwidth, so each row is
 * read from memory once (later passes hit L1/L2) and nothing is copied or
 * materialised: no softmax matrix, no converted block. Written with clang
 * vector extensions (16 lanes) and compiled for AVX-512, AVX2 and baseline
 * x86-64; FP contraction is off and reductions run in a fixed order, so every
 * build gives the same bits and only the speed changes. */
#include "CLTKernels.h"
#include <math.h>
#include <string.h>

#pragma clang fp contract(off)
#pragma clang diagnostic ignored "-Wpsabi"

#include "vec16.h"

/* Whether any lane of a comparison mask is set. */
ALWAYS int any_lane(vi m) { return __builtin_reduce_or(m) != 0; }

/* First index in [0, n) where x equals v (v is not NaN and occurs). */
ALWAYS int64_t first_equal(const float *x, int64_t n, float v) {
  int64_t i = 0;
  vf s = SPLAT(v);
  for (; i + L <= n; i += L) {
    vi eq = *(const vfu *)(x + i) == s;
    if (any_lane(eq)) break;
  }
  for (; i < n; i++)
    if (x[i] == v) return i;
  return 0;
}

ALWAYS int64_t first_nan(const float *x, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    if (x[i] != x[i]) return i;
  return 0;
}

/* One row; returns 1 when the row is bad for `mode` (see the header). */
ALWAYS int row_stats_body(const float *x, int64_t n, int mode, int32_t label,
                          int32_t *pred, double *conf, double *ptrue) {
  vf m = SPLAT(-INFINITY), mn = SPLAT(INFINITY), s = SPLAT(0), fin = SPLAT(0);
  vi nan_ = (vi){0};
  int64_t i = 0;
  for (; i + L <= n; i += L) {
    vf v = *(const vfu *)(x + i);
    nan_ |= v != v;
    m = SEL(v > m, v, m);
    if (mode == LT_ROWS_LOGITS) fin += v * 0.0f;  /* NaN once any inf or NaN */
    if (mode == LT_ROWS_PROBS) {
      mn = SEL(v < mn, v, mn);
      s += v;
    }
  }
  float mx = -INFINITY, lo = INFINITY;
  int bad = 0;
  double total = 0;
  for (int j = 0; j < L; j++) {
    mx = m[j] > mx ? m[j] : mx;
    lo = mn[j] < lo ? mn[j] : lo;
    total += s[j];
  }
  if (mode == LT_ROWS_LOGITS) {
    float f = 0;
    for (int j = 0; j < L; j++) f += fin[j];
    bad |= f != f;
  }
  int has_nan = any_lane(nan_);
  for (; i < n; i++) {
    float v = x[i];
    has_nan |= v != v;
    mx = v > mx ? v : mx;
    lo = v < lo ? v : lo;
    total += v;
    if (mode == LT_ROWS_LOGITS) bad |= (v * 0.0f) != 0.0f;
  }
  int64_t at = has_nan ? first_nan(x, n) : first_equal(x, n, mx);
  *pred = (int32_t)at;
  if (mode == LT_ROWS_ARGMAX) return 0;
  int in_range = label >= 0 && label < n;
  if (mode == LT_ROWS_PROBS) {
    bad |= has_nan || lo < 0.0f || mx > 1.0f || fabs(total - 1.0) > 1e-3 || isinf(total);
    *conf = mx;
    *ptrue = in_range ? x[label] : NAN;
    return bad;
  }
  bad |= has_nan;
  if (bad) {
    *conf = NAN;
    *ptrue = NAN;
    return 1;
  }
  /* softmax: exp(x - max) summed in 16 float lanes, lanes and tail in double. */
  vf e = SPLAT(0);
  for (i = 0; i + L <= n; i += L) e += vexp(*(const vfu *)(x + i) - mx);
  double sum = 0;
  if (i < n) {
    float buf[L] = {0};
    memcpy(buf, x + i, sizeof(float) * (size_t)(n - i));
    vf t;
    memcpy(&t, buf, sizeof t);
    vf te = vexp(t - mx);
    for (int64_t j = 0; j < n - i; j++) sum += te[j];
  }
  double lanes = 0;
  for (int j = 0; j < L; j++) lanes += e[j];
  sum += lanes;
  *conf = 1.0 / sum;
  *ptrue = in_range ? exp((double)x[label] - (double)mx) / sum : NAN;
  return 0;
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static int row_stats_avx512(const float *x, int64_t n, int mode, int32_t label, int32_t *p, double *c, double *t) {
  return row_stats_body(x, n, mode, label, p, c, t);
}
__attribute__((target("avx2"))) static int row_stats_avx2(const float *x, int64_t n, int mode, int32_t label, int32_t *p, double *c, double *t) {
  return row_stats_body(x, n, mode, label, p, c, t);
}
#endif
static int row_stats_generic(const float *x, int64_t n, int mode, int32_t label, int32_t *p, double *c, double *t) {
  return row_stats_body(x, n, mode, label, p, c, t);
}

typedef int (*row_fn)(const float *, int64_t, int, int32_t, int32_t *, double *, double *);

typedef struct {
  const float *x;
  int64_t cols, ld;
  int mode;
  const int32_t *labels;
  int32_t *pred;
  double *conf, *ptrue;
  row_fn fn;
  int64_t first_bad;  /* updated with an atomic minimum */
} rows_job;

static void rows_range(void *ctx, int64_t begin, int64_t end) {
  rows_job *j = (rows_job *)ctx;
  double dummy_c, dummy_t;
  for (int64_t r = begin; r < end; r++) {
    int32_t label = j->labels ? j->labels[r] : -1;
    double *c = j->conf ? j->conf + r : &dummy_c;
    double *t = j->ptrue ? j->ptrue + r : &dummy_t;
    if (j->fn(j->x + r * j->ld, j->cols, j->mode, label, j->pred + r, c, t)) {
      int64_t seen = __atomic_load_n(&j->first_bad, __ATOMIC_RELAXED);
      while ((seen < 0 || r < seen) &&
             !__atomic_compare_exchange_n(&j->first_bad, &seen, r, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {}
      return;  /* rows after a bad one are not needed */
    }
  }
}

int64_t lt_row_stats_f32(const float *x, int64_t rows, int64_t cols, int64_t ld, int mode,
                         const int32_t *labels, int32_t *pred, double *conf, double *ptrue) {
  if (rows <= 0 || cols <= 0) return -1;
  row_fn fn = row_stats_generic;
#if defined(__x86_64__)
  switch (lt_isa()) {
    case 2: fn = row_stats_avx512; break;
    case 1: fn = row_stats_avx2; break;
    default: break;
  }
#endif
  rows_job j = {x, cols, ld, mode, labels, pred, conf, ptrue, fn, -1};
  int64_t min_rows = cols >= (1 << 16) ? 1 : (1 << 16) / cols;
  lt_parallel_chunks(rows, min_rows, rows_range, &j);
  return j.first_bad;
}
