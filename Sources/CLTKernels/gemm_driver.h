/* The blocked GEMM driver, included by gemm.c once for float (GEMM_T float,
 * GEMM_P s_) and once for double (GEMM_T double, GEMM_P d_).
 *
 * Loop order (BLIS): for each NC-wide block of columns and KC-deep block of k
 * (a "block"), B is packed into NR-wide panels in one buffer shared by the
 * team, and then C is updated by micro-kernel calls over packed slivers of A.
 * Both steps are cut into items (groups of B panels to pack; groups of rows
 * of C to compute, or groups of columns when C has too few rows) that the
 * threads claim from counters, so a thread that starts late or is slowed by
 * another process leaves its share to the others instead of holding them up
 * at a barrier (this machine is shared: a static split ran at a third of its
 * speed whenever one core was busy elsewhere). Computing a block waits until
 * its B is packed; packing the next block waits until every item of the
 * current one is computed.
 *
 * Every element of C is accumulated over k by one micro-kernel call per KC
 * block, blocks in order, and tiles always start at multiples of MR and NR,
 * so the bits of C do not depend on the thread count or on who did what. */
#define GCAT2(a, b) a##b
#define GCAT(a, b) GCAT2(a, b)
#define GNAME(x) GCAT(GEMM_P, x)

typedef void (*GNAME(kern_t))(int64_t kc, const GEMM_T *a, const GEMM_T *b, GEMM_T *c,
                              int64_t ldc, int acc, int mv, int nv);
typedef struct { int mr, nr; GNAME(kern_t) kern; } GNAME(kernel);

typedef struct {
  int64_t m, n, k;
  const GEMM_T *a; int64_t a_rs, a_cs;
  const GEMM_T *b; int64_t b_rs, b_cs;
  GEMM_T *c; int64_t ldc;
  GNAME(kernel) kn;
  GEMM_T *bp;             /* shared packed B: KC x ncb */
  int64_t ncb;            /* width of a B block (NC, or n rounded up to NR) */
  int64_t kblocks, nblocks;
  int split_cols;
  int64_t row_item;       /* rows of C per compute item (a multiple of MR), row split */
  int64_t parts;          /* items per step to aim for (a few per thread) */
  gemm_block_sync *sync;  /* one per block */
} GNAME(job);

static void GNAME(flush_tile)(const GEMM_T *tile, int nr, GEMM_T *c, int64_t ldc, int acc, int mv, int nv) {
  for (int i = 0; i < mv; i++)
    for (int j = 0; j < nv; j++)
      c[i * ldc + j] = acc ? c[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
}

/* Full slivers and panels are copied with the tile size as a constant, so
 * the copies unroll into vector moves: packing is ~10% of a 256^3 product. */
#define PACK_A_ROWMAJOR(MR)                                                    \
  case MR:                                                                     \
    for (int64_t p = 0; p < kc; p++) {                                         \
      for (int i = 0; i < MR; i++) ap[i] = base[i * g->a_rs + p];              \
      ap += MR;                                                                \
    }                                                                          \
    break;
#define PACK_A_COLMAJOR(MR)                                                    \
  case MR:                                                                     \
    for (int64_t p = 0; p < kc; p++) {                                         \
      memcpy(ap, base + p * g->a_cs, sizeof(GEMM_T) * MR);                     \
      ap += MR;                                                                \
    }                                                                          \
    break;
#define PACK_B_ROWMAJOR(NR)                                                    \
  case NR:                                                                     \
    for (int64_t p = 0; p < kc; p++) {                                         \
      memcpy(dst, base + p * g->b_rs, sizeof(GEMM_T) * NR);                    \
      dst += NR;                                                               \
    }                                                                          \
    break;

static void GNAME(pack_a)(const GNAME(job) *g, GEMM_T *ap, int64_t i0, int64_t mc, int64_t p0, int64_t kc) {
  int mr = g->kn.mr;
  for (int64_t ir = 0; ir < mc; ir += mr) {
    int rows = (int)(mc - ir < mr ? mc - ir : mr);
    const GEMM_T *base = g->a + (i0 + ir) * g->a_rs + p0 * g->a_cs;
    if (rows == mr && (g->a_cs == 1 || g->a_rs == 1)) {
      GEMM_T *start = ap;
      if (g->a_cs == 1) {
        switch (mr) { PACK_A_ROWMAJOR(8) PACK_A_ROWMAJOR(6) PACK_A_ROWMAJOR(4) default: break; }
      } else {
        switch (mr) { PACK_A_COLMAJOR(8) PACK_A_COLMAJOR(6) PACK_A_COLMAJOR(4) default: break; }
      }
      if (ap != start) continue;
    }
    for (int64_t p = 0; p < kc; p++) {
      const GEMM_T *src = base + p * g->a_cs;
      int i = 0;
      for (; i < rows; i++) ap[i] = src[i * g->a_rs];
      for (; i < mr; i++) ap[i] = 0;
      ap += mr;
    }
  }
}

/* Packs NR-wide panels [q0, q1) of the B block at (p0, j0) into bp. */
static void GNAME(pack_b)(const GNAME(job) *g, GEMM_T *bp, int64_t p0, int64_t kc, int64_t j0, int64_t nc,
                          int64_t q0, int64_t q1) {
  int nr = g->kn.nr;
  for (int64_t q = q0; q < q1; q++) {
    int64_t jr = q * nr;
    int cols = (int)(nc - jr < nr ? nc - jr : nr);
    GEMM_T *dst = bp + jr * kc;
    const GEMM_T *base = g->b + p0 * g->b_rs + (j0 + jr) * g->b_cs;
    if (cols == nr && g->b_cs == 1) {
      GEMM_T *start = dst;
      switch (nr) { PACK_B_ROWMAJOR(32) PACK_B_ROWMAJOR(16) PACK_B_ROWMAJOR(8) PACK_B_ROWMAJOR(4) default: break; }
      if (dst != start) continue;
    }
    for (int64_t p = 0; p < kc; p++) {
      const GEMM_T *src = base + p * g->b_rs;
      int j = 0;
      if (g->b_cs == 1) { for (; j < cols; j++) dst[j] = src[j]; }
      else { for (; j < cols; j++) dst[j] = src[j * g->b_cs]; }
      for (; j < nr; j++) dst[j] = 0;
      dst += nr;
    }
  }
}

#undef PACK_A_ROWMAJOR
#undef PACK_A_COLMAJOR
#undef PACK_B_ROWMAJOR

/* Packs the kc x mc block of A at (ic, pc) and multiplies it with panels
 * [q0, q1) of the packed B block into C. */
static void GNAME(compute)(const GNAME(job) *g, GEMM_T *ap, int64_t ic, int64_t mc, int64_t pc, int64_t kc,
                           int64_t jc, int64_t nc, int64_t q0, int64_t q1) {
  int mr = g->kn.mr, nr = g->kn.nr;
  GNAME(pack_a)(g, ap, ic, mc, pc, kc);
  for (int64_t q = q0; q < q1; q++) {
    int64_t jr = q * nr;
    int nv = (int)(nc - jr < nr ? nc - jr : nr);
    for (int64_t ir = 0; ir < mc; ir += mr) {
      int mv = (int)(mc - ir < mr ? mc - ir : mr);
      GEMM_T *ct = g->c + (ic + ir) * g->ldc + jc + jr;
      g->kn.kern(kc, ap + ir * kc, g->bp + jr * kc, ct, g->ldc, pc > 0, mv, nv);
    }
  }
}

static void GNAME(team)(void *ctx, int tid, int nt) {
  (void)nt;
  GNAME(job) *g = (GNAME(job) *)ctx;
  int nr = g->kn.nr;
  (void)tid;
  /* the caller's buffer was checked before the job; a worker without one
   * packs B but leaves the computing to the others */
  GEMM_T *ap = (GEMM_T *)thread_buffer(0, sizeof(GEMM_T) * MC * KC);
  int64_t prev_items = 0;
  for (int64_t bi = 0; bi < g->nblocks; bi++) {
    int64_t jc = bi / g->kblocks * g->ncb, pc = bi % g->kblocks * KC;
    int64_t nc = g->n - jc < g->ncb ? g->n - jc : g->ncb;
    int64_t kc = g->k - pc < KC ? g->k - pc : KC;
    int64_t np = (nc + nr - 1) / nr;
    gemm_block_sync *s = &g->sync[bi];
    /* pack B: groups of panels */
    int64_t pgroup = (np + g->parts - 1) / g->parts;
    int64_t pitems = (np + pgroup - 1) / pgroup;
    for (;;) {
      int64_t it = __atomic_fetch_add(&s->pack_claim, 1, __ATOMIC_RELAXED);
      if (it >= pitems) break;
      if (bi > 0) wait_at_least(&g->sync[bi - 1].comp_done, prev_items);
      int64_t q0 = it * pgroup, q1 = q0 + pgroup < np ? q0 + pgroup : np;
      GNAME(pack_b)(g, g->bp, pc, kc, jc, nc, q0, q1);
      __atomic_add_fetch(&s->pack_done, 1, __ATOMIC_RELEASE);
    }
    /* compute: groups of rows (each packs its own A), or groups of panels */
    int64_t citems, cgroup;
    if (g->split_cols) { cgroup = (np + g->parts - 1) / g->parts; citems = (np + cgroup - 1) / cgroup; }
    else { cgroup = g->row_item; citems = (g->m + cgroup - 1) / cgroup; }
    if (ap) {
      for (;;) {
        int64_t it = __atomic_fetch_add(&s->comp_claim, 1, __ATOMIC_RELAXED);
        if (it >= citems) break;
        wait_at_least(&s->pack_done, pitems);
        if (g->split_cols) {
          int64_t q0 = it * cgroup, q1 = q0 + cgroup < np ? q0 + cgroup : np;
          for (int64_t ic = 0; ic < g->m; ic += MC)
            GNAME(compute)(g, ap, ic, g->m - ic < MC ? g->m - ic : MC, pc, kc, jc, nc, q0, q1);
        } else {
          int64_t ic = it * cgroup, mc = g->m - ic < cgroup ? g->m - ic : cgroup;
          GNAME(compute)(g, ap, ic, mc, pc, kc, jc, nc, 0, np);
        }
        __atomic_add_fetch(&s->comp_done, 1, __ATOMIC_RELEASE);
      }
    }
    prev_items = citems;
  }
}

static int GNAME(gemm_run)(int64_t m, int64_t n, int64_t k,
                           const GEMM_T *a, int64_t a_rs, int64_t a_cs,
                           const GEMM_T *b, int64_t b_rs, int64_t b_cs,
                           GEMM_T *c, int64_t ldc, GNAME(kernel) kn) {
  if (m <= 0 || n <= 0) return 0;
  if (k <= 0) {
    for (int64_t i = 0; i < m; i++) memset(c + i * ldc, 0, sizeof(GEMM_T) * n);
    return 0;
  }
  GNAME(job) g;
  memset(&g, 0, sizeof g);
  g.m = m; g.n = n; g.k = k;
  g.a = a; g.a_rs = a_rs; g.a_cs = a_cs;
  g.b = b; g.b_rs = b_rs; g.b_cs = b_cs;
  g.c = c; g.ldc = ldc; g.kn = kn;
  int64_t nround = (n + kn.nr - 1) / kn.nr * kn.nr;
  g.ncb = nround < NC ? nround : NC;
  int64_t kcb = k < KC ? k : KC;
  g.kblocks = (k + KC - 1) / KC;
  g.nblocks = (n + g.ncb - 1) / g.ncb * g.kblocks;
  g.bp = (GEMM_T *)thread_buffer(1, sizeof(GEMM_T) * (size_t)(kcb * g.ncb));
  if (!g.bp || !thread_buffer(0, sizeof(GEMM_T) * MC * KC)) return -1;
  gemm_block_sync one[8];
  g.sync = g.nblocks <= 8 ? one : (gemm_block_sync *)calloc((size_t)g.nblocks, sizeof(gemm_block_sync));
  if (!g.sync) return -1;
  memset(g.sync, 0, sizeof(gemm_block_sync) * (size_t)(g.nblocks <= 8 ? 8 : g.nblocks));
  int nt = lt_num_threads();
  /* below ~2 MFLOP a second thread costs more than it saves */
  if ((double)m * n * k < 1e6) nt = 1;
  int64_t units = (m + kn.mr - 1) / kn.mr, panels = g.ncb / kn.nr;
  /* rows share one packed B; columns only when C is too short to split by rows */
  g.split_cols = nt > 1 && units < 4 * (int64_t)nt && panels > units;
  int64_t most = g.split_cols ? panels : units;
  if (nt > most) nt = (int)most;
  g.parts = nt > 1 ? 2 * (int64_t)nt : 1;
  /* rows per item: about m / parts, a multiple of MR, at most MC */
  int64_t per = (units + g.parts - 1) / g.parts * kn.mr;
  g.row_item = per < MC ? per : MC;
  parallel_team_shared(nt, GNAME(team), &g);
  if (g.sync != one) free(g.sync);
  return 0;
}

#undef GCAT2
#undef GCAT
#undef GNAME
