/* Thread count, instruction-set dispatch and a persistent worker pool.
 *
 * The pool's threads are created lazily, once, the first time a job wants
 * them, and grow when lt_set_num_threads raises the count. An idle worker
 * spins for about 50 us after a job (kernels often come in bursts: the
 * batches of a matmul, the ops of a training step) and then sleeps on its own
 * condition variable, so an idle REPL burns no CPU. Creating pthreads per call
 * cost a matmul of n = 256..512 half its 2-thread speed (bench/tensor).
 *
 * One job at a time: a caller takes the pool with a compare-and-swap. A second
 * caller that finds it taken (another thread's kernel, or a kernel called from
 * inside a job) runs its whole job on its own thread instead of waiting, so
 * concurrent callers never deadlock and never share a job. Every job in the
 * package gives the same bits however it is split, so running it serially
 * changes only the speed. */
#define _GNU_SOURCE
#include "CLTKernels.h"
#include "internal.h"
#include <sched.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <immintrin.h>
#include <cpuid.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

enum { MAX_THREADS = 64 };

static int g_threads = 0;          /* 0 = not yet read from the environment */
static int g_isa_forced = -1;
static int g_isa_detected = -1;

int lt_num_threads(void) {
  int n = __atomic_load_n(&g_threads, __ATOMIC_RELAXED);
  if (n > 0) return n;
  const char *env = getenv("LTNB_NUM_THREADS");
  n = env ? atoi(env) : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > MAX_THREADS) n = MAX_THREADS;
  __atomic_store_n(&g_threads, n, __ATOMIC_RELAXED);
  return n;
}

void lt_set_num_threads(int n) {
  if (n < 1) n = 1;
  if (n > MAX_THREADS) n = MAX_THREADS;
  __atomic_store_n(&g_threads, n, __ATOMIC_RELAXED);
}

#if defined(__x86_64__)
/* XCR0, the register state the OS saves; only read once OSXSAVE says xgetbv exists. */
static unsigned long long read_xcr0(void) {
  unsigned int lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((unsigned long long)hi << 32) | lo;
}
#endif

/* The widest kernel set this CPU and OS run: 2 AVX-512F, 1 AVX2+FMA, 0 portable. With
 * cpuid and xgetbv directly, the checks __builtin_cpu_supports makes (the instruction
 * bits and the OS saving the YMM/ZMM state), but on first use: __builtin_cpu_supports
 * links libgcc's __cpu_indicator_init, a constructor that runs its cpuid probes in
 * every process at start-up, and cpuid traps to the hypervisor in a VM (0.1 ms). */
static int detect_isa(void) {
  int d = __atomic_load_n(&g_isa_detected, __ATOMIC_RELAXED);
  if (d >= 0) return d;
  d = 0;
#if defined(__x86_64__)
  unsigned int a, b, c, e;
  if (__get_cpuid(0, &a, &b, &c, &e) && a >= 7 && __get_cpuid(1, &a, &b, &c, &e)) {
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (osxsave && avx && fma) {
      unsigned long long xcr0 = read_xcr0();
      __cpuid_count(7, 0, a, b, c, e);
      int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
      if (avx2 && (xcr0 & 0x6) == 0x6) d = 1;
      if (d == 1 && avx512f && (xcr0 & 0xe6) == 0xe6) d = 2;
    }
  }
#endif
  __atomic_store_n(&g_isa_detected, d, __ATOMIC_RELAXED);
  return d;
}

int lt_isa_detected(void) { return detect_isa(); }

int lt_isa(void) {
  int d = detect_isa();
  int f = __atomic_load_n(&g_isa_forced, __ATOMIC_RELAXED);
  return (f >= 0 && f < d) ? f : d;
}

void lt_force_isa(int level) { __atomic_store_n(&g_isa_forced, level, __ATOMIC_RELAXED); }

/* ---- the pool ---------------------------------------------------------- */

/* One worker's mailbox, on its own cache lines. The owner of the pool writes
 * the job, sets `state` to OPEN and bumps `gen`; the worker wakes, claims the
 * job by moving OPEN to JOINED, runs it and sets DONE. For a job whose work
 * any thread may take (lt_parallel_for's chunks), the owner, once it has run
 * out of work, closes the mailboxes still OPEN: a worker that was not
 * scheduled in time is then not waited for, which matters on a loaded
 * machine. A team job (lt_parallel_team) needs every thread, so the owner
 * waits for each to be DONE. */
enum { W_IDLE = 0, W_OPEN = 1, W_JOINED = 2, W_DONE = 3 };
typedef struct {
  _Alignas(64) unsigned gen;
  int state;
  int tid, nt;
  lt_team_fn fn;
  void *ctx;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char pad[64];
} worker;

static worker g_workers[MAX_THREADS];       /* index 0 unused: the caller is tid 0 */
static int g_nworkers = 0;                   /* workers started; written only by the pool's owner */
static int g_busy = 0;                       /* 1 while a caller owns the pool */
static pthread_mutex_t g_done_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_done_cv = PTHREAD_COND_INITIALIZER;
static unsigned g_jobs_pooled = 0, g_jobs_serial = 0;

/* Spin budget before sleeping: ~50 us at a few GHz (pause is 10-140 cycles). */
enum { SPIN_ITERS = 4000 };

static void *worker_main(void *p) {
  worker *w = (worker *)p;
  unsigned seen = 0;
  for (;;) {
    unsigned g;
    int spins = 0;
    while ((g = __atomic_load_n(&w->gen, __ATOMIC_ACQUIRE)) == seen && spins < SPIN_ITERS) {
      CPU_RELAX();
      spins++;
    }
    if (g == seen) {
      pthread_mutex_lock(&w->mu);
      while ((g = __atomic_load_n(&w->gen, __ATOMIC_ACQUIRE)) == seen) pthread_cond_wait(&w->cv, &w->mu);
      pthread_mutex_unlock(&w->mu);
    }
    seen = g;
    int open = W_OPEN;
    if (!__atomic_compare_exchange_n(&w->state, &open, W_JOINED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      continue;   /* closed before this worker got to it */
    w->fn(w->ctx, w->tid, w->nt);
    __atomic_store_n(&w->state, W_DONE, __ATOMIC_RELEASE);
    pthread_mutex_lock(&g_done_mu);
    pthread_cond_broadcast(&g_done_cv);
    pthread_mutex_unlock(&g_done_mu);
  }
  return NULL;
}

/* Starts workers up to `want` (caller owns the pool); returns how many exist. */
static int grow_pool(int want) {
  while (g_nworkers < want) {
    int i = g_nworkers + 1;
    worker *w = &g_workers[i];
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->gen = 0;
    w->state = W_IDLE;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    int rc = pthread_create(&tid, &attr, worker_main, w);
    pthread_attr_destroy(&attr);
    if (rc != 0) break;
    __atomic_store_n(&g_nworkers, i, __ATOMIC_RELAXED);
  }
  return g_nworkers;
}

/* Takes the pool for up to `nt` threads; returns the team size (1: not taken). */
static int pool_acquire(int nt) {
  if (nt <= 1) return 1;
  int expected = 0;
  if (!__atomic_compare_exchange_n(&g_busy, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
    __atomic_add_fetch(&g_jobs_serial, 1, __ATOMIC_RELAXED);
    return 1;
  }
  int have = grow_pool(nt - 1);
  if (nt > have + 1) nt = have + 1;
  if (nt <= 1) { __atomic_store_n(&g_busy, 0, __ATOMIC_RELEASE); return 1; }
  __atomic_add_fetch(&g_jobs_pooled, 1, __ATOMIC_RELAXED);
  return nt;
}

/* Runs fn on the caller (tid 0) and workers 1..nt-1 of the taken pool, then
 * releases it. `optional`: workers not yet started when the caller is done
 * are skipped (fn must then leave no work to them). */
static void pool_run(int nt, lt_team_fn fn, void *ctx, int optional) {
  for (int i = 1; i < nt; i++) {
    worker *w = &g_workers[i];
    w->tid = i; w->nt = nt; w->fn = fn; w->ctx = ctx;
    __atomic_store_n(&w->state, W_OPEN, __ATOMIC_RELEASE);
    pthread_mutex_lock(&w->mu);
    __atomic_add_fetch(&w->gen, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
  }
  fn(ctx, 0, nt);
  for (int i = 1; i < nt; i++) {
    worker *w = &g_workers[i];
    int open = W_OPEN;
    if (optional && __atomic_compare_exchange_n(&w->state, &open, W_IDLE, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      continue;
    int spins = 0;
    while (__atomic_load_n(&w->state, __ATOMIC_ACQUIRE) != W_DONE && spins < SPIN_ITERS * 4) {
      CPU_RELAX();
      spins++;
    }
    if (__atomic_load_n(&w->state, __ATOMIC_ACQUIRE) != W_DONE) {
      pthread_mutex_lock(&g_done_mu);
      while (__atomic_load_n(&w->state, __ATOMIC_ACQUIRE) != W_DONE) pthread_cond_wait(&g_done_cv, &g_done_mu);
      pthread_mutex_unlock(&g_done_mu);
    }
    __atomic_store_n(&w->state, W_IDLE, __ATOMIC_RELAXED);
  }
  __atomic_store_n(&g_busy, 0, __ATOMIC_RELEASE);
}

int lt_parallel_team(int max_threads, lt_team_fn fn, void *ctx) {
  int nt = lt_num_threads();
  if (max_threads < nt) nt = max_threads;
  nt = pool_acquire(nt);
  if (nt <= 1) { fn(ctx, 0, 1); return 1; }
  pool_run(nt, fn, ctx, 0);
  return nt;
}

int parallel_team_shared(int max_threads, lt_team_fn fn, void *ctx) {
  int nt = lt_num_threads();
  if (max_threads < nt) nt = max_threads;
  nt = pool_acquire(nt);
  if (nt <= 1) { fn(ctx, 0, 1); return 1; }
  pool_run(nt, fn, ctx, 1);
  return nt;
}

void wait_at_least(const int64_t *p, int64_t v) {
  int spins = 0;
  while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < v) {
    if (++spins < SPIN_ITERS) CPU_RELAX();
    else sched_yield();
  }
}

int64_t lt_cache_bytes(void) {
  static int64_t cached = 0;
  int64_t c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (c > 0) return c;
  c = 0;
#ifdef _SC_LEVEL3_CACHE_SIZE
  c = (int64_t)sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
  /* unknown, or implausible (this VM reports 256 MiB for a 32 MiB L3) */
  if (c <= 0 || c > (32 << 20)) c = 32 << 20;
  __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
  return c;
}

void lt_pool_stats(int64_t *pooled, int64_t *serial, int *workers) {
  if (pooled) *pooled = __atomic_load_n(&g_jobs_pooled, __ATOMIC_RELAXED);
  if (serial) *serial = __atomic_load_n(&g_jobs_serial, __ATOMIC_RELAXED);
  if (workers) *workers = __atomic_load_n(&g_nworkers, __ATOMIC_RELAXED);
}

/* lt_parallel_for and lt_parallel_chunks: [0, n) cut into `chunks`
 * contiguous ranges that the threads take in turn from a counter, so a thread
 * that starts late (the machine is shared) or runs slowly leaves its share to
 * the others. Range 0 always runs on the caller. */
typedef struct {
  lt_range_fn fn;
  void *ctx;
  int64_t n, chunks;
  _Alignas(64) int64_t next;
} range_job;

static void run_chunks(void *p, int tid, int nt) {
  (void)nt;
  range_job *j = (range_job *)p;
  if (tid == 0) j->fn(j->ctx, 0, j->n / j->chunks);
  for (;;) {
    int64_t c = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
    if (c >= j->chunks) return;
    j->fn(j->ctx, j->n * c / j->chunks, j->n * (c + 1) / j->chunks);
  }
}

static void parallel_ranges(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx, int per_thread) {
  if (n <= 0) return;
  if (min_chunk < 1) min_chunk = 1;
  int64_t most = n / min_chunk;
  int64_t t = lt_num_threads();
  if (t > most) t = most;
  if (t <= 1) { fn(ctx, 0, n); return; }
  int nt = pool_acquire((int)t);
  if (nt <= 1) { fn(ctx, 0, n); return; }
  range_job j;
  j.fn = fn; j.ctx = ctx; j.n = n; j.next = 1;
  /* lt_parallel_for keeps its contract of at most one range per thread */
  j.chunks = per_thread * (int64_t)nt < most ? per_thread * (int64_t)nt : most;
  pool_run(nt, run_chunks, &j, 1);
}

void lt_parallel_for(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx) {
  parallel_ranges(n, min_chunk, fn, ctx, 1);
}

void lt_parallel_chunks(int64_t n, int64_t min_chunk, lt_range_fn fn, void *ctx) {
  parallel_ranges(n, min_chunk, fn, ctx, 4);
}

/* Per-thread scratch: two slots, grown on demand, freed by a key destructor. */
typedef struct { void *p[2]; size_t cap[2]; } scratch;
static pthread_key_t g_scratch_key;
static pthread_once_t g_scratch_once = PTHREAD_ONCE_INIT;
static int g_scratch_ok = 0;

static void scratch_free(void *v) {
  scratch *s = (scratch *)v;
  free(s->p[0]);
  free(s->p[1]);
  free(s);
}

static void scratch_key(void) { g_scratch_ok = pthread_key_create(&g_scratch_key, scratch_free) == 0; }

void *thread_buffer(int slot, size_t bytes) {
  pthread_once(&g_scratch_once, scratch_key);
  if (!g_scratch_ok || slot < 0 || slot > 1) return NULL;
  scratch *s = (scratch *)pthread_getspecific(g_scratch_key);
  if (!s) {
    s = (scratch *)calloc(1, sizeof *s);
    if (!s) return NULL;
    if (pthread_setspecific(g_scratch_key, s) != 0) { free(s); return NULL; }
  }
  if (s->cap[slot] < bytes) {
    free(s->p[slot]);
    size_t rounded = (bytes + 63) / 64 * 64;
    s->p[slot] = aligned_alloc(64, rounded);
    s->cap[slot] = s->p[slot] ? rounded : 0;
  }
  return s->p[slot];
}
