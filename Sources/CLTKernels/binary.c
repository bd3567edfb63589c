/* Elementwise binary arithmetic and comparisons on one row whose operands are
 * each contiguous or a single broadcast value.
 *
 * LTTensor's generic Swift loops are compiled for baseline x86-64 (SSE2); these
 * are the same IEEE operations in 16-lane (float) or 8-lane (double) vector
 * code built for AVX-512, AVX2 and baseline and picked at run time, so they
 * give the same bits as the Swift loops on every instruction set, only
 * faster on data in cache. The caller splits large rows across threads. */
#include "CLTKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)
#pragma clang diagnostic ignored "-Wpsabi"

typedef float vf __attribute__((vector_size(64)));
typedef float vfu __attribute__((vector_size(64), aligned(4)));
typedef int32_t vi __attribute__((vector_size(64)));
typedef double vd __attribute__((vector_size(64)));
typedef double vdu __attribute__((vector_size(64), aligned(8)));
typedef int64_t vl __attribute__((vector_size(64)));
typedef uint8_t vb16 __attribute__((vector_size(16)));
typedef uint8_t vb16u __attribute__((vector_size(16), aligned(1)));
typedef uint8_t vb8 __attribute__((vector_size(8)));
typedef uint8_t vb8u __attribute__((vector_size(8), aligned(1)));

#define ALWAYS static inline __attribute__((always_inline))

/* Loads of a row tail padded with ones (no division by zero in the padding). */
#define DEFINE_TAIL(V, T, LANES)                                            \
  ALWAYS V V##_load_tail(const T *x, int64_t n) {                          \
    T buf[LANES];                                                          \
    for (int j = 0; j < LANES; j++) buf[j] = 1;                             \
    memcpy(buf, x, sizeof(T) * (size_t)n);                                 \
    V v;                                                                   \
    memcpy(&v, buf, sizeof v);                                             \
    return v;                                                              \
  }                                                                        \
  ALWAYS void V##_store_tail(T *y, V v, int64_t n) {                       \
    T buf[LANES];                                                          \
    memcpy(buf, &v, sizeof v);                                             \
    memcpy(y, buf, sizeof(T) * (size_t)n);                                 \
  }
DEFINE_TAIL(vf, float, 16)
DEFINE_TAIL(vd, double, 8)

/* A broadcast value; not (V){0} + s, which turns -0 into +0. */
ALWAYS vf vf_splat(float s) { vf v; for (int j = 0; j < 16; j++) v[j] = s; return v; }
ALWAYS vd vd_splat(double s) { vd v; for (int j = 0; j < 8; j++) v[j] = s; return v; }

/* max/min as Swift's max(a, b) = b >= a ? b : a, min(a, b) = b < a ? b : a,
 * NaN when either is NaN (nanMax/nanMin in LTTensor). */
#define SEL(M, A, B, V, I) ((V)((((I)(A)) & (M)) | (((I)(B)) & ~(M))))
ALWAYS vf vf_max(vf x, vf z) {
  vf r = SEL(z >= x, z, x, vf, vi);
  return SEL((x != x) | (z != z), (vf){0} + NAN, r, vf, vi);
}
ALWAYS vf vf_min(vf x, vf z) {
  vf r = SEL(z < x, z, x, vf, vi);
  return SEL((x != x) | (z != z), (vf){0} + NAN, r, vf, vi);
}
ALWAYS vd vd_max(vd x, vd z) {
  vd r = SEL(z >= x, z, x, vd, vl);
  return SEL((x != x) | (z != z), (vd){0} + NAN, r, vd, vl);
}
ALWAYS vd vd_min(vd x, vd z) {
  vd r = SEL(z < x, z, x, vd, vl);
  return SEL((x != x) | (z != z), (vd){0} + NAN, r, vd, vl);
}

/* One loop per stride pattern, so each vectorises on its own. X and Z are
 * the operand expressions for lane block i (a load, or the splat). */
#define ROW_LOOP(V, VU, T, LANES, EXPR, STORE, STORE_TAIL)                   \
  do {                                                                       \
    int64_t i = 0;                                                           \
    if (sa && sb) {                                                          \
      for (; i + LANES <= n; i += LANES) { V x = *(const VU *)(a + i), z = *(const VU *)(b + i); STORE(EXPR); } \
      if (i < n) { V x = V##_load_tail(a + i, n - i), z = V##_load_tail(b + i, n - i); STORE_TAIL(EXPR); } \
    } else if (sa) {                                                         \
      const V z = V##_splat(b[0]);                                             \
      for (; i + LANES <= n; i += LANES) { V x = *(const VU *)(a + i); STORE(EXPR); } \
      if (i < n) { V x = V##_load_tail(a + i, n - i); STORE_TAIL(EXPR); }    \
    } else {                                                                 \
      const V x = V##_splat(a[0]);                                             \
      for (; i + LANES <= n; i += LANES) { V z = *(const VU *)(b + i); STORE(EXPR); } \
      if (i < n) { V z = V##_load_tail(b + i, n - i); STORE_TAIL(EXPR); }    \
    }                                                                        \
  } while (0)

#define STORE_F(E) (*(vfu *)(y + i) = (E))
#define STORE_F_TAIL(E) vf_store_tail(y + i, (E), n - i)
#define STORE_D(E) (*(vdu *)(y + i) = (E))
/* non-temporal: y + i is 64-byte aligned on the streaming path */
#define STREAM_F(E) __builtin_nontemporal_store((E), (vf *)(y + i))
#define STREAM_D(E) __builtin_nontemporal_store((E), (vd *)(y + i))
#define STORE_D_TAIL(E) vd_store_tail(y + i, (E), n - i)
/* comparison masks (all ones / zero per lane) become bytes 1 / 0 */
#define STORE_FB(E) (*(vb16u *)(y + i) = __builtin_convertvector((vi)(E) & 1, vb16))
#define STORE_FB_TAIL(E) do { vb16 m = __builtin_convertvector((vi)(E) & 1, vb16); memcpy(y + i, &m, (size_t)(n - i)); } while (0)
#define STORE_DB(E) (*(vb8u *)(y + i) = __builtin_convertvector((vl)(E) & 1, vb8))
#define STORE_DB_TAIL(E) do { vb8 m = __builtin_convertvector((vl)(E) & 1, vb8); memcpy(y + i, &m, (size_t)(n - i)); } while (0)

#define ARITH_BODY(V, VU, T, LANES, ST, ST_TAIL)                                             \
  switch (op) {                                                                              \
    case LT_OP_ADD: ROW_LOOP(V, VU, T, LANES, x + z, ST, ST_TAIL); break;                    \
    case LT_OP_SUB: ROW_LOOP(V, VU, T, LANES, x - z, ST, ST_TAIL); break;                    \
    case LT_OP_MUL: ROW_LOOP(V, VU, T, LANES, x * z, ST, ST_TAIL); break;                    \
    case LT_OP_DIV: ROW_LOOP(V, VU, T, LANES, x / z, ST, ST_TAIL); break;                    \
    case LT_OP_MAX: ROW_LOOP(V, VU, T, LANES, V##_max(x, z), ST, ST_TAIL); break;            \
    case LT_OP_MIN: ROW_LOOP(V, VU, T, LANES, V##_min(x, z), ST, ST_TAIL); break;            \
    default: break;                                                                          \
  }

#define COMPARE_BODY(V, VU, T, LANES, ST, ST_TAIL)                                           \
  switch (op) {                                                                              \
    case LT_CMP_EQ: ROW_LOOP(V, VU, T, LANES, x == z, ST, ST_TAIL); break;                   \
    case LT_CMP_NE: ROW_LOOP(V, VU, T, LANES, x != z, ST, ST_TAIL); break;                   \
    case LT_CMP_LT: ROW_LOOP(V, VU, T, LANES, x < z, ST, ST_TAIL); break;                    \
    case LT_CMP_LE: ROW_LOOP(V, VU, T, LANES, x <= z, ST, ST_TAIL); break;                   \
    case LT_CMP_GT: ROW_LOOP(V, VU, T, LANES, x > z, ST, ST_TAIL); break;                    \
    case LT_CMP_GE: ROW_LOOP(V, VU, T, LANES, x >= z, ST, ST_TAIL); break;                   \
    default: break;                                                                          \
  }

ALWAYS void binary_f32_row(int op, const float *a, int sa, const float *b, int sb, float *y, int64_t n) {
  ARITH_BODY(vf, vfu, float, 16, STORE_F, STORE_F_TAIL)
}
ALWAYS void binary_f64_row(int op, const double *a, int sa, const double *b, int sb, double *y, int64_t n) {
  ARITH_BODY(vd, vdu, double, 8, STORE_D, STORE_D_TAIL)
}
ALWAYS void binary_f32_stream(int op, const float *a, int sa, const float *b, int sb, float *y, int64_t n) {
  ARITH_BODY(vf, vfu, float, 16, STREAM_F, STORE_F_TAIL)
}
ALWAYS void binary_f64_stream(int op, const double *a, int sa, const double *b, int sb, double *y, int64_t n) {
  ARITH_BODY(vd, vdu, double, 8, STREAM_D, STORE_D_TAIL)
}

/* LT_OP_STREAM: the output bypasses the caches (non-temporal stores), which
 * saves the read of each output line before it is written; for ops whose
 * operands do not fit in the last-level cache that is a third of the memory
 * traffic of `add`. The head up to a 64-byte boundary is stored normally. */
static inline void fence_streams(void) {
#if defined(__x86_64__)
  __builtin_ia32_sfence();   /* order the streaming stores before the job's completion */
#endif
}
#define STREAMED_BODY(T, P)                                                               \
  int stream = op & LT_OP_STREAM;                                                          \
  op &= ~LT_OP_STREAM;                                                                     \
  if (!stream || ((uintptr_t)y % sizeof(T)) != 0) { P##_row(op, a, sa, b, sb, y, n); return; } \
  int64_t head = (int64_t)(((64 - ((uintptr_t)y & 63)) & 63) / sizeof(T));                 \
  if (head > n) head = n;                                                                  \
  if (head > 0) P##_row(op, a, sa, b, sb, y, head);                                        \
  if (head < n) {                                                                          \
    P##_stream(op, sa ? a + head : a, sa, sb ? b + head : b, sb, y + head, n - head);      \
    fence_streams();                                                                       \
  }

ALWAYS void binary_f32_body(int op, const float *a, int sa, const float *b, int sb, float *y, int64_t n) {
  STREAMED_BODY(float, binary_f32)
}
ALWAYS void binary_f64_body(int op, const double *a, int sa, const double *b, int sb, double *y, int64_t n) {
  STREAMED_BODY(double, binary_f64)
}
ALWAYS void compare_f32_body(int op, const float *a, int sa, const float *b, int sb, uint8_t *y, int64_t n) {
  COMPARE_BODY(vf, vfu, float, 16, STORE_FB, STORE_FB_TAIL)
}
ALWAYS void compare_f64_body(int op, const double *a, int sa, const double *b, int sb, uint8_t *y, int64_t n) {
  COMPARE_BODY(vd, vdu, double, 8, STORE_DB, STORE_DB_TAIL)
}

#if defined(__x86_64__)
#define INSTANTIATE(name, T, R)                                                                         \
  __attribute__((target("avx512f,avx512bw"))) static void name##_avx512(int op, const T *a, int sa, const T *b, int sb, R *y, int64_t n) { name##_body(op, a, sa, b, sb, y, n); } \
  __attribute__((target("avx2"))) static void name##_avx2(int op, const T *a, int sa, const T *b, int sb, R *y, int64_t n) { name##_body(op, a, sa, b, sb, y, n); } \
  static void name##_generic(int op, const T *a, int sa, const T *b, int sb, R *y, int64_t n) { name##_body(op, a, sa, b, sb, y, n); } \
  static void name##_dispatch(int op, const T *a, int sa, const T *b, int sb, R *y, int64_t n) {       \
    switch (lt_isa()) {                                                                                 \
      case 2: name##_avx512(op, a, sa, b, sb, y, n); break;                                              \
      case 1: name##_avx2(op, a, sa, b, sb, y, n); break;                                                \
      default: name##_generic(op, a, sa, b, sb, y, n); break;                                            \
    }                                                                                                   \
  }
#else
#define INSTANTIATE(name, T, R) \
  static void name##_dispatch(int op, const T *a, int sa, const T *b, int sb, R *y, int64_t n) { name##_body(op, a, sa, b, sb, y, n); }
#endif

INSTANTIATE(binary_f32, float, float)
INSTANTIATE(binary_f64, double, double)
INSTANTIATE(compare_f32, float, uint8_t)
INSTANTIATE(compare_f64, double, uint8_t)

/* A stride other than 0 or 1, or both 0, is the caller's error: nothing is written. */
#define CHECK_STRIDES() if (n <= 0 || (sa != 0 && sa != 1) || (sb != 0 && sb != 1) || (sa == 0 && sb == 0)) return -1

int lt_binary_f32(int op, const float *a, int64_t sa, const float *b, int64_t sb, float *y, int64_t n) {
  CHECK_STRIDES();
  binary_f32_dispatch(op, a, (int)sa, b, (int)sb, y, n);
  return 0;
}
int lt_binary_f64(int op, const double *a, int64_t sa, const double *b, int64_t sb, double *y, int64_t n) {
  CHECK_STRIDES();
  binary_f64_dispatch(op, a, (int)sa, b, (int)sb, y, n);
  return 0;
}
int lt_compare_f32(int op, const float *a, int64_t sa, const float *b, int64_t sb, uint8_t *y, int64_t n) {
  CHECK_STRIDES();
  compare_f32_dispatch(op, a, (int)sa, b, (int)sb, y, n);
  return 0;
}
int lt_compare_f64(int op, const double *a, int64_t sa, const double *b, int64_t sb, uint8_t *y, int64_t n) {
  CHECK_STRIDES();
  compare_f64_dispatch(op, a, (int)sa, b, (int)sb, y, n);
  return 0;
}
