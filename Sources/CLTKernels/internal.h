/* Helpers shared by the kernels' C files; not part of the module's API. */
#ifndef LT_INTERNAL_H
#define LT_INTERNAL_H
#include <stddef.h>

/* A spinning barrier for the threads of one lt_parallel_team job (zeroed
 * before the job; nt is the team size the job was given). It yields the CPU
 * after a short spin, so an oversubscribed machine still makes progress. */
typedef struct {
  int count;
  unsigned gen;
} team_barrier;
void team_barrier_wait(team_barrier *b, int nt);

/* A per-thread scratch buffer (slot 0 or 1), 64-byte aligned, at least
 * `bytes` long; kept for the thread's next call and freed when it exits.
 * NULL when it cannot be allocated. */
void *thread_buffer(int slot, size_t bytes);

#endif
