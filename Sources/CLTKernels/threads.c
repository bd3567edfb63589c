/* Thread count, instruction-set dispatch and a fork-join parallel for.
 *
 * Threads are created per call rather than pooled: the jobs that reach here
 * (matmul, large elementwise ops) take far longer than a pthread_create, and
 * libdispatch on Linux ramps its workers up too slowly for short jobs
 * (shared/research/deps.md). */
#define _GNU_SOURCE
#include "CLTKernels.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int g_threads = 0;          /* 0 = not yet read from the environment */
static int g_isa_forced = -1;
static int g_isa_detected = -1;

int lt_num_threads(void) {
  int n = __atomic_load_n(&g_threads, __ATOMIC_RELAXED);
  if (n > 0) return n;
  const char *env = getenv("LTNB_NUM_THREADS");
  n = env ? atoi(env) : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > 64) n = 64;
  __atomic_store_n(&g_threads, n, __ATOMIC_RELAXED);
  return n;
}

void lt_set_num_threads(int n) {
  if (n < 1) n = 1;
  if (n > 64) n = 64;
  __atomic_store_n(&g_threads, n, __ATOMIC_RELAXED);
}

static int detect_isa(void) {
  int d = __atomic_load_n(&g_isa_detected, __ATOMIC_RELAXED);
  if (d >= 0) return d;
  d = 0;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) d = 1;
  if (d == 1 && __builtin_cpu_supports("avx512f")) d = 2;
#endif
  __atomic_store_n(&g_isa_detected, d, __ATOMIC_RELAXED);
  return d;
}

int lt_isa(void) {
  int d = detect_isa();
  int f = __atomic_load_n(&g_isa_forced, __ATOMIC_RELAXED);
  return (f >= 0 && f < d) ? f : d;
}

void lt_force_isa(int level) { __atomic_store_n(&g_isa_forced, level, __ATOMIC_RELAXED); }

typedef struct {
  lt_range_fn fn;
  void *ctx;
  int64_t begin, end;
} lt_range_job;

static void *run_range(void *p) {
  lt_range_job *j = (lt_range_job *)p;
  j->fn(j->ctx, j->begin, j->end);
  return NULL;
}

void lt_parallel_for(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx) {
  if (n <= 0) return;
  if (min_chunk < 1) min_chunk = 1;
  int64_t t = lt_num_threads();
  if (t > n / min_chunk) t = n / min_chunk;
  if (t <= 1) { fn(ctx, 0, n); return; }
  lt_range_job jobs[64];
  pthread_t tids[64];
  int started[64] = {0};
  for (int64_t i = 0; i < t; i++) {
    jobs[i].fn = fn; jobs[i].ctx = ctx;
    jobs[i].begin = n * i / t; jobs[i].end = n * (i + 1) / t;
  }
  for (int64_t i = 1; i < t; i++)
    started[i] = pthread_create(&tids[i], NULL, run_range, &jobs[i]) == 0;
  run_range(&jobs[0]);
  for (int64_t i = 1; i < t; i++) {
    if (started[i]) pthread_join(tids[i], NULL);
    else run_range(&jobs[i]);   /* could not start a thread: run it here */
  }
}
