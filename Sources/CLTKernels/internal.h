/* Helpers shared by the kernels' C files; not part of the module's API. */
#ifndef LT_INTERNAL_H
#define LT_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "CLTKernels.h"

/* lt_parallel_team for jobs whose work any thread may take (a shared queue
 * of items): workers that have not started when the caller has finished its
 * fn are not waited for. Returns the team size offered. */
int parallel_team_shared(int max_threads, lt_team_fn fn, void *ctx);

/* Spins, then yields, until *p >= v (acquire). */
void wait_at_least(const int64_t *p, int64_t v);

/* Progress of one kc x nc block of a GEMM: items of B packing and of
 * computing claimed and finished by the team. */
typedef struct {
  int64_t pack_claim, pack_done, comp_claim, comp_done;
} gemm_block_sync;

/* C = A b (n = 1, rows of A contiguous) or C = a B (m = 1, rows of B
 * contiguous) without packing, in float (f64 = 0) or double; returns 0 when
 * done, 1 when the shapes or strides are not a matrix-vector case it takes. */
int lt_gemv_try(int f64, int64_t m, int64_t n, int64_t k,
                const void *a, int64_t a_rs, int64_t a_cs,
                const void *b, int64_t b_rs, int64_t b_cs,
                void *c, int64_t ldc);

/* A per-thread scratch buffer (slot 0 or 1), 64-byte aligned, at least
 * `bytes` long; kept for the thread's next call and freed when it exits.
 * NULL when it cannot be allocated. */
void *thread_buffer(int slot, size_t bytes);

#endif
