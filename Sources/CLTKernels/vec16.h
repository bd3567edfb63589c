/* The 16-lane float vector types, helpers and exp that vecmath.c and rows.c share.
 * Included by those two files only (each compiles it for its own instruction sets);
 * not part of the public header. */
#ifndef LT_VEC16_H
#define LT_VEC16_H
#include <stdint.h>
#include <math.h>

/* Same IEEE operations on every instruction set (no FMA contraction). */
#pragma clang fp contract(off)

typedef float vf __attribute__((vector_size(64)));
typedef float vfu __attribute__((vector_size(64), aligned(4)));
typedef int32_t vi __attribute__((vector_size(64)));

#define L 16
#define SPLAT(c) ((vf){0} + (float)(c))
#define SEL(m, a, b) ((vf)((((vi)(a)) & (m)) | (((vi)(b)) & ~(m))))
#define ALWAYS static inline __attribute__((always_inline))

/* exp(x): Cephes expf reduction and polynomial; 2^n applied in two halves so
 * results down to the subnormal range and up to FLT_MAX stay right. */
ALWAYS vf vexp(vf x) {
  vi isnan_ = x != x;
  vi over = x > SPLAT(88.72283935546875f);
  vf xc = __builtin_elementwise_min(__builtin_elementwise_max(x, SPLAT(-104.0f)), SPLAT(88.72283935546875f));
  vf t = xc * 1.44269504088896341f + 12582912.0f;
  vf n = t - 12582912.0f;
  vf r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  vf p = SPLAT(1.9875691500E-4f);
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  vf y = p * (r * r) + r + 1.0f;
  vi ni = (vi)t - 0x4B400000;
  vi n1 = ni >> 1, n2 = ni - n1;
  y = y * (vf)((n1 + 127) << 23) * (vf)((n2 + 127) << 23);
  y = SEL(over, SPLAT(INFINITY), y);
  return SEL(isnan_, x, y);
}

#endif
