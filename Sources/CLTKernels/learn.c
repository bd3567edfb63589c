/* LTLearn's training loops in C: the fused softmax cross-entropy of a batch, the
 * momentum-SGD update, and the row sums GLA and EM evaluate at every iteration.
 *
 * Written with 8-lane clang vector extensions, compiled for AVX2 and for baseline
 * x86-64 and chosen with lt_isa(). Floating-point contraction is off, so both builds
 * perform the same IEEE operations and give the same bits. Work is split into pieces
 * whose boundaries depend only on the sizes, never on the thread count, and partial
 * sums are added in piece order: the results do not depend on LTNB_NUM_THREADS. */
#include "CLTKernels.h"
#include <math.h>
#include <string.h>

#pragma clang fp contract(off)
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));
typedef int32_t v8i __attribute__((vector_size(32)));

#define ALWAYS static inline __attribute__((always_inline))
#define S8(c) ((v8){0} + (float)(c))
#define LD(p) (*(const v8u *)(p))
#define ST(p, v) (*(v8u *)(p) = (v))

/* exp on 8 lanes: Cephes expf reduction and polynomial (relative error ~1e-7), input
 * clamped to [-87.3, 88.37] so the result is never inf or subnormal. The same
 * operations as LTLearn's Swift exp8. */
ALWAYS v8 lexp(v8 x) {
  x = __builtin_elementwise_min(__builtin_elementwise_max(x, S8(-87.3f)), S8(88.37f));
  v8 t = x * 1.44269504f + 12582912.0f;
  v8 n = t - 12582912.0f;
  v8 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  v8 p = r * 1.9875691500e-4f + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  v8i ni = (v8i)t - 0x4B400000;
  return p * (v8)((ni + 127) << 23);
}

ALWAYS float lexp1(float x) { return lexp(S8(x))[0]; }

ALWAYS float hmax(v8 m) {
  float mx = m[0];
  for (int k = 1; k < 8; k++) mx = m[k] > mx ? m[k] : mx;
  return mx;
}

ALWAYS double hsum(v8 s) {
  double t = 0;
  for (int k = 0; k < 8; k++) t += s[k];
  return t;
}

/* In place: row[j] = exp(row[j] - shift); returns the sum, lanes flushed to double
 * every 512 entries. */
ALWAYS double exp_shift_sum(float *row, int64_t n, float shift) {
  v8 acc = S8(0);
  double total = 0;
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    v8 e = lexp(LD(row + j) - shift);
    ST(row + j, e);
    acc += e;
    if ((j + 8) % 512 == 0) { total += hsum(acc); acc = S8(0); }
  }
  total += hsum(acc);
  for (; j < n; j++) { row[j] = lexp1(row[j] - shift); total += row[j]; }
  return total;
}

/* dst = src (+ add), returns the max of dst. */
ALWAYS float copy_add_max(const float *src, const float *add, float sign, float *dst, int64_t n) {
  v8 m = S8(-INFINITY);
  int64_t j = 0;
  if (add) {
    for (; j + 8 <= n; j += 8) {
      v8 t = LD(src + j) + LD(add + j) * sign;
      ST(dst + j, t);
      m = __builtin_elementwise_max(m, t);
    }
  } else {
    for (; j + 8 <= n; j += 8) {
      v8 t = LD(src + j);
      ST(dst + j, t);
      m = __builtin_elementwise_max(m, t);
    }
  }
  float mx = hmax(m);
  for (; j < n; j++) {
    float t = add ? src[j] + add[j] * sign : src[j];
    dst[j] = t;
    mx = t > mx ? t : mx;
  }
  return mx;
}

ALWAYS void scale_row(float *row, int64_t n, float s) {
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) ST(row + j, LD(row + j) * s);
  for (; j < n; j++) row[j] = row[j] * s;
}

ALWAYS void xent_rows_body(const float *z, const float *offset, const int32_t *labels,
                           int64_t cols, float *out, double *ce, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    const float *zr = z + r * cols;
    float *o = out + r * cols;
    float mx = copy_add_max(zr, offset, 1.0f, o, cols);
    int32_t y = labels[r];
    int valid = y >= 0 && y < cols;
    float zy = valid ? o[y] : NAN;
    double s = exp_shift_sum(o, cols, mx);
    ce[r] = (double)mx + log(s) - (double)zy;
    scale_row(o, cols, (float)(1.0 / s));
    if (valid) o[y] = o[y] - 1.0f;
  }
}

ALWAYS void sgd_body(float *p, float *v, const float *g, int64_t n, float lr, float mu,
                     float wd, int first) {
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    v8 pj = LD(p + j);
    v8 d = LD(g + j) + pj * wd;
    v8 nv = first ? d : LD(v + j) * mu + d;
    ST(v + j, nv);
    ST(p + j, pj - (mu == 0 ? d : nv) * lr);
  }
  for (; j < n; j++) {
    float d = g[j] + wd * p[j];
    float nv = first ? d : mu * v[j] + d;
    v[j] = nv;
    p[j] = p[j] - lr * (mu == 0 ? d : nv);
  }
}

/* One piece of the GLA/EM sums: rows [r0, r1) of z - shift; adds the row
 * log-sum-exps into *lse and the softmax rows into acc (float, flushed into psum in
 * double every 64 rows), each times its row weight (1 when weights is NULL: the same
 * bits as an unweighted sum). row is cols floats of scratch. */
ALWAYS void lse_softmax_body(const float *z, const float *shift, const double *weights,
                             int64_t cols, int64_t r0, int64_t r1, float *row, float *acc,
                             double *psum, double *lse) {
  double l = 0;
  for (int64_t j = 0; j < cols; j++) { acc[j] = 0; psum[j] = 0; }
  for (int64_t r = r0; r < r1; r++) {
    float mx = copy_add_max(z + r * cols, shift, -1.0f, row, cols);
    double s = exp_shift_sum(row, cols, mx);
    double w = weights ? weights[r] : 1.0;
    l += w * ((double)mx + log(s));
    float inv = (float)(w / s);
    int64_t j = 0;
    for (; j + 8 <= cols; j += 8) ST(acc + j, LD(acc + j) + LD(row + j) * inv);
    for (; j < cols; j++) acc[j] = acc[j] + row[j] * inv;
    if ((r - r0) % 64 == 63 || r == r1 - 1) {
      for (j = 0; j < cols; j++) { psum[j] += acc[j]; acc[j] = 0; }
    }
  }
  *lse = l;
}

#if defined(__x86_64__)
#define LEARN_INSTANTIATE(name, params, args)                                       \
  __attribute__((target("avx2"))) static void name##_avx2 params { name##_body args; } \
  static void name##_generic params { name##_body args; }                          \
  static void name params {                                                        \
    if (lt_isa() >= 1) name##_avx2 args;                                           \
    else name##_generic args;                                                      \
  }
#else
#define LEARN_INSTANTIATE(name, params, args) \
  static void name params { name##_body args; }
#endif

LEARN_INSTANTIATE(xent_rows,
                  (const float *z, const float *offset, const int32_t *labels, int64_t cols,
                   float *out, double *ce, int64_t r0, int64_t r1),
                  (z, offset, labels, cols, out, ce, r0, r1))
LEARN_INSTANTIATE(sgd, (float *p, float *v, const float *g, int64_t n, float lr, float mu,
                        float wd, int first),
                  (p, v, g, n, lr, mu, wd, first))
LEARN_INSTANTIATE(lse_softmax,
                  (const float *z, const float *shift, const double *weights, int64_t cols,
                   int64_t r0, int64_t r1, float *row, float *acc, double *psum, double *lse),
                  (z, shift, weights, cols, r0, r1, row, acc, psum, lse))

/* ---- softmax cross-entropy ---- */

typedef struct {
  const float *z, *offset;
  const int32_t *labels;
  int64_t cols;
  float *out;
  double *ce;
} xent_job;

static void xent_range(void *ctx, int64_t begin, int64_t end) {
  xent_job *j = (xent_job *)ctx;
  xent_rows(j->z, j->offset, j->labels, j->cols, j->out, j->ce, begin, end);
}

void lt_learn_softmax_xent_f32(const float *z, const float *offset, const int32_t *labels,
                               int64_t rows, int64_t cols, float *out, double *ce) {
  if (rows <= 0 || cols <= 0) return;
  xent_job j = {z, offset, labels, cols, out, ce};
  /* a second thread pays off above ~64K entries */
  int64_t min_rows = cols >= 65536 ? 1 : 65536 / cols;
  lt_parallel_for(rows, min_rows, xent_range, &j);
}

/* ---- momentum SGD ---- */

typedef struct {
  float *p, *v;
  const float *g;
  int64_t n;
  float lr, mu, wd;
  int first;
} sgd_job;

enum { SGD_CHUNK = 1 << 14 };

static void sgd_range(void *ctx, int64_t begin, int64_t end) {
  sgd_job *j = (sgd_job *)ctx;
  int64_t lo = begin * SGD_CHUNK, hi = end * SGD_CHUNK < j->n ? end * SGD_CHUNK : j->n;
  sgd(j->p + lo, j->v + lo, j->g + lo, hi - lo, j->lr, j->mu, j->wd, j->first);
}

void lt_learn_sgd_f32(float *p, float *v, const float *g, int64_t n, float lr, float momentum,
                      float weight_decay, int first_step) {
  if (n <= 0) return;
  sgd_job j = {p, v, g, n, lr, momentum, weight_decay, first_step};
  int64_t chunks = (n + SGD_CHUNK - 1) / SGD_CHUNK;
  lt_parallel_for(chunks, 8, sgd_range, &j);
}

/* ---- GLA / EM row sums ---- */

int64_t lt_learn_row_pieces(int64_t rows) {
  int64_t p = (rows + 255) / 256;
  return p < 1 ? 1 : (p > 64 ? 64 : p);
}

typedef struct {
  const float *z, *shift;
  const double *weights;
  int64_t rows, cols, pieces;
  float *scratch;
  double *partial, *lse;
} lse_job;

static void lse_range(void *ctx, int64_t begin, int64_t end) {
  lse_job *j = (lse_job *)ctx;
  for (int64_t c = begin; c < end; c++) {
    int64_t r0 = j->rows * c / j->pieces, r1 = j->rows * (c + 1) / j->pieces;
    float *row = j->scratch + c * 2 * j->cols;
    lse_softmax(j->z, j->shift, j->weights, j->cols, r0, r1, row, row + j->cols,
                j->partial + c * j->cols, j->lse + c);
  }
}

void lt_learn_lse_softmax_sums_f32(const float *z, int64_t rows, int64_t cols,
                                   const float *shift, const double *weights, float *scratch,
                                   double *partial, double *lse_sum, double *softmax_sum) {
  *lse_sum = 0;
  for (int64_t k = 0; k < cols; k++) softmax_sum[k] = 0;
  if (rows <= 0 || cols <= 0) return;
  int64_t pieces = lt_learn_row_pieces(rows);
  /* lse per piece lives after the per-piece softmax partials */
  double *lse = partial + pieces * cols;
  lse_job j = {z, shift, weights, rows, cols, pieces, scratch, partial, lse};
  /* a second thread pays off above ~64K entries; a piece has at least 256 rows */
  int64_t min_pieces = cols >= 256 ? 1 : 256 / cols;
  lt_parallel_for(pieces, min_pieces, lse_range, &j);
  for (int64_t c = 0; c < pieces; c++) {
    *lse_sum += lse[c];
    for (int64_t k = 0; k < cols; k++) softmax_sum[k] += partial[c * cols + k];
  }
}
