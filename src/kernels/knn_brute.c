/* Exact k nearest neighbours by a blocked scan of all pairs.
 *
 * Why: in 20 or more dimensions of unstructured data a k-d tree cannot
 * prune (nearly every cell lies within the k-th distance) and degenerates
 * into a scan with its bookkeeping on top. A plain scan organised for the
 * vector units does the same work several times faster.
 *
 * How, for a query q and a point p (both centred on the points' mean):
 *   |q - p|^2 = |q|^2 + |p|^2 - 2 q.p
 * is one multiply-add per coordinate, computed for a tile of queries
 * against 16 points at a time with the queries' coordinates broadcast.
 * That form is not the exact distance the search is defined by (see
 * knn_internal.h): it rounds differently. So it only filters: it is
 * lowered by a bound on its error, and a point is looked at exactly
 * (knn_dist, then the heap) only when this lower value does not exceed
 * the query's current k-th exact distance. The bound
 *   E = (8 dim + 64) 2^-53 (|q|^2 + |p|^2) + tiny
 * is over twice the worst case of the rounding of both forms and of the
 * centring (about (4.3 dim + 17) 2^-53 (|q|^2 + |p|^2)); so a point
 * that belongs in the answer always passes the filter, whatever the
 * vector width, the order of the sums or the number of threads, and the
 * answer is the exact one. In practice about k log n points per query
 * reach the exact test (the points are visited in a fixed pseudo-random
 * order, so the k-th distance falls quickly whatever order the caller's
 * rows are in).
 *
 * When the queries are the points themselves each pair is computed once
 * and offered to both heaps. Threads take disjoint ranges of points in
 * rounds of a round-robin tournament, so no two of them touch one heap at
 * the same time; the answer does not depend on how the parts ran.
 *
 * The tile is written once with the GCC/Clang vector extension and
 * compiled for AVX-512, AVX2 and the base instruction set; the CPU picks
 * at run time. The exact part is plain scalar code, identical in all
 * three. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/simd.h"
#include "kernels/knn_internal.h"

#define BW 16 /* points per block */

typedef double v8 __attribute__((vector_size(64)));
typedef int64_t v8l __attribute__((vector_size(64)));

typedef struct brute {
    const knn_job *job;
    size_t n, dim, k, nb; /* reference points, blocks of BW */
    size_t *rperm;        /* internal position -> reference index */
    double *blk;          /* nb x dim x BW: centred, transposed */
    double *ap;           /* nb x BW: (1 - c) |p|^2, NaN in the padding */
    double *px;           /* n x dim: exact coordinates in internal order */
    uint32_t *pcat;       /* n x ncat */
    /* queries (in sym mode: the points, same internal order) */
    size_t nq, tq, nqb;   /* queries, per tile, tiles */
    size_t *qperm;        /* internal position -> query index */
    double *qblk;         /* nqb x dim x tq: -2 q, centred, transposed */
    double *aq;           /* nqb x tq: (1 - c) |q|^2 - tiny */
    double *qx;
    uint32_t *qcat;
    size_t *qself;        /* internal position -> reference index to skip */
    double *hd;           /* heaps, k per query */
    size_t *hi, *cnt;
    double *thr;          /* current k-th distance (inf until k are in) */
    int sym;
    int failed;
} brute;

/* ---- the exact part ---- */

static double exact(const brute *b, size_t qi, size_t pi)
{
    const aug_points *p = b->job->ref;
    double d = knn_cont(b->qx + qi * b->dim, b->px + pi * b->dim, b->dim);
    if (p->ncat)
        d += knn_cat(p, b->qcat + qi * p->ncat, b->pcat + pi * p->ncat);
    return d;
}

static void offer(brute *b, size_t qi, double d, size_t id)
{
    size_t k = b->k;
    knn_offer(b->hd + qi * k, b->hi + qi * k, &b->cnt[qi], k, d, id);
    if (b->cnt[qi] == k)
        b->thr[qi] = b->hd[qi * k];
}

/* Lanes of a tile whose lower bound passed: look at them exactly. lo[q *
 * BW + l] is the bound of query q0 + q against point p0 + l; bits[q] has
 * bit l set when that lane passed against the thresholds of the moment
 * (they may have fallen since, so each is tested again). */
static void candidates(brute *b, size_t q0, size_t p0, const double *lo, const unsigned *bits,
                       size_t tq)
{
    for (size_t q = 0; q < tq; q++) {
        size_t qi = q0 + q;
        if (qi >= b->nq)
            break;
        for (unsigned m = bits[q]; m; m &= m - 1) {
            size_t l = (size_t)__builtin_ctz(m), pi = p0 + l;
            if (pi >= b->n)
                break;
            double v = lo[q * BW + l];
            if (b->sym) {
                if (pi <= qi || (!(v <= b->thr[qi]) && !(v <= b->thr[pi])))
                    continue;
                double d = exact(b, qi, pi);
                offer(b, qi, d, b->rperm[pi]);
                offer(b, pi, d, b->rperm[qi]);
            } else {
                if (!(v <= b->thr[qi]) || b->rperm[pi] == b->qself[qi])
                    continue;
                offer(b, qi, exact(b, qi, pi), b->rperm[pi]);
            }
        }
    }
}

/* ---- the tile: TQ queries against the BW points of one block ---- */

/* Macros, not functions: a 64-byte vector passed by value would change the
 * calling convention between the three builds of the tile. */
#define SPLAT(x) ((v8){(x), (x), (x), (x), (x), (x), (x), (x)})
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v))
#define ANY(m) (((m)[0] | (m)[1] | (m)[2] | (m)[3] | (m)[4] | (m)[5] | (m)[6] | (m)[7]) != 0)

/* The tile with named accumulators (an array would live in memory, and
 * every update would wait on a store): ROWS(X) expands X once per query. */
#define ROWS8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define ROWS4(X) X(0) X(1) X(2) X(3)
#define ROWS2(X) X(0) X(1)
#define T_DECL(q) v8 a0_##q = ap0, a1_##q = ap1;
#define T_STEP(q)                                                                        \
    {                                                                                    \
        v8 w = SPLAT(Qj[q]);                                                             \
        a0_##q += w * p0;                                                                \
        a1_##q += w * p1;                                                                \
    }
#define T_FIN(q)                                                                         \
    v8l m0_##q, m1_##q;                                                                  \
    {                                                                                    \
        v8 aq = SPLAT(b->aq[q0 + q]), tq = SPLAT(b->thr[q0 + q]);                        \
        a0_##q += aq;                                                                    \
        a1_##q += aq;                                                                    \
        m0_##q = a0_##q <= tq;                                                           \
        m1_##q = a1_##q <= tq;                                                           \
        if (sym) {                                                                       \
            m0_##q |= a0_##q <= t0;                                                      \
            m1_##q |= a1_##q <= t1;                                                      \
        }                                                                                \
        m |= m0_##q | m1_##q;                                                            \
    }
#define LANEBITS(v)                                                                      \
    (unsigned)(((v)[0] & 1) | ((v)[1] & 2) | ((v)[2] & 4) | ((v)[3] & 8) | ((v)[4] & 16) | \
               ((v)[5] & 32) | ((v)[6] & 64) | ((v)[7] & 128))
#define T_KEEP(q)                                                                        \
    memcpy(lo + (q) * BW, &a0_##q, sizeof a0_##q);                                       \
    memcpy(lo + (q) * BW + 8, &a1_##q, sizeof a1_##q);                                   \
    bits[q] = LANEBITS(m0_##q) | LANEBITS(m1_##q) << 8;

#define TILE_BODY(TQ, ROWS)                                                              \
    const size_t dim = b->dim;                                                           \
    const int sym = b->sym;                                                              \
    const double *P = b->blk + cb * dim * BW;                                            \
    const double *Q = b->qblk + qb * dim * (TQ);                                         \
    v8 ap0, ap1;                                                                         \
    LOAD8(ap0, b->ap + cb * BW);                                                         \
    LOAD8(ap1, b->ap + cb * BW + 8);                                                     \
    ROWS(T_DECL)                                                                         \
    for (size_t j = 0; j < dim; j++) {                                                   \
        v8 p0, p1;                                                                       \
        LOAD8(p0, P + j * BW);                                                           \
        LOAD8(p1, P + j * BW + 8);                                                       \
        const double *Qj = Q + j * (TQ);                                                 \
        ROWS(T_STEP)                                                                     \
    }                                                                                    \
    v8l m = {0};                                                                         \
    size_t q0 = qb * (TQ), p0i = cb * BW;                                                \
    v8 t0, t1;                                                                           \
    LOAD8(t0, b->thr + p0i);                                                             \
    LOAD8(t1, b->thr + p0i + 8);                                                         \
    ROWS(T_FIN)                                                                          \
    if (ANY(m)) {                                                                        \
        double lo[(TQ) * BW];                                                            \
        unsigned bits[TQ];                                                               \
        ROWS(T_KEEP)                                                                     \
        candidates(b, q0, p0i, lo, bits, (TQ));                                          \
    }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_X86_CLONES 1
__attribute__((target("avx512f"))) static void tile_avx512(brute *b, size_t qb, size_t cb)
{
    TILE_BODY(8, ROWS8)
}

__attribute__((target("avx2"))) static void tile_avx2(brute *b, size_t qb, size_t cb)
{
    TILE_BODY(4, ROWS4)
}
#endif

static void tile_base(brute *b, size_t qb, size_t cb)
{
    TILE_BODY(2, ROWS2)
}

typedef void (*tile_fn)(brute *, size_t, size_t);

static int isa_cap = 2; /* the tests lower it to run the narrower tiles */

void aug_knn_brute_limit_isa(int level)
{
    isa_cap = level;
}

/* The widest the CPU has; the answer is the same for all three. */
static tile_fn pick_tile(size_t *tq)
{
#ifdef HAVE_X86_CLONES
    __builtin_cpu_init();
    if (aug_simd_disable)
        goto base;
    if (isa_cap >= 2 && __builtin_cpu_supports("avx512f")) {
        *tq = 8;
        return tile_avx512;
    }
    if (isa_cap >= 1 && __builtin_cpu_supports("avx2")) {
        *tq = 4;
        return tile_avx2;
    }
base:
#endif
    *tq = 2;
    return tile_base;
}

/* ---- setup ---- */

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A fixed pseudo-random order of 0..n-1. */
static void shuffle(size_t *perm, size_t n)
{
    uint64_t s = 0x5eedULL ^ n;
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(mix(&s) % i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

static void brute_free(brute *b)
{
    free(b->rperm);
    free(b->blk);
    free(b->ap);
    free(b->px);
    free(b->pcat);
    if (!b->sym) {
        free(b->qperm);
        free(b->qx);
        free(b->qcat);
    }
    free(b->qblk);
    free(b->aq);
    free(b->qself);
    free(b->hd);
    free(b->hi);
    free(b->cnt);
    free(b->thr);
}

static void *alloc(size_t n, size_t size, int *fail)
{
    if (n == 0)
        n = 1;
    void *p = n <= SIZE_MAX / size ? malloc(n * size) : NULL;
    if (!p)
        *fail = 1;
    return p;
}

static aug_status brute_setup(brute *b, const knn_job *job, size_t tq, aug_error *err)
{
    const aug_points *ref = job->ref;
    size_t n = ref->n, dim = ref->dim, ncat = ref->ncat, k = job->k;
    memset(b, 0, sizeof *b);
    b->job = job;
    b->n = n;
    b->dim = dim;
    b->k = k;
    b->sym = job->self_is_ref;
    b->nb = (n + BW - 1) / BW;
    b->nq = b->sym ? n : job->nq;
    b->tq = tq;
    b->nqb = (b->nq + tq - 1) / tq;
    int fail = 0;
    size_t lanes = b->nb * BW, qlanes = b->nqb * tq;
    if (lanes > SIZE_MAX / (dim ? dim : 1) || qlanes > SIZE_MAX / (dim ? dim : 1) ||
        b->nq > SIZE_MAX / (k ? k : 1))
        return aug_fail(err, AUG_ERR_NOMEM, "%zu points x %zu columns are too many", n, dim);
    b->rperm = alloc(n, sizeof *b->rperm, &fail);
    b->blk = alloc(lanes * dim, sizeof *b->blk, &fail);
    b->ap = alloc(lanes, sizeof *b->ap, &fail);
    b->px = alloc(n * dim, sizeof *b->px, &fail);
    b->pcat = ncat ? alloc(n * ncat, sizeof *b->pcat, &fail) : NULL;
    b->qblk = alloc(qlanes * dim, sizeof *b->qblk, &fail);
    b->aq = alloc(qlanes, sizeof *b->aq, &fail);
    b->qself = alloc(b->nq, sizeof *b->qself, &fail);
    b->hd = alloc(b->nq * k, sizeof *b->hd, &fail);
    b->hi = alloc(b->nq * k, sizeof *b->hi, &fail);
    b->cnt = calloc(b->nq ? b->nq : 1, sizeof *b->cnt);
    b->thr = alloc(lanes > qlanes ? lanes : qlanes, sizeof *b->thr, &fail);
    if (b->sym) {
        b->qperm = b->rperm;
    } else {
        b->qperm = alloc(b->nq, sizeof *b->qperm, &fail);
        b->qx = alloc(b->nq * dim, sizeof *b->qx, &fail);
        b->qcat = ncat ? alloc(b->nq * ncat, sizeof *b->qcat, &fail) : NULL;
    }
    if (fail || !b->cnt) {
        brute_free(b);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search of %zu points",
                        n);
    }
    /* The points in a fixed scattered order (see the top of the file). */
    shuffle(b->rperm, n);
    double *mean = calloc(dim ? dim : 1, sizeof *mean);
    if (!mean) {
        brute_free(b);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search");
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            mean[j] += ref->x[i * dim + j];
    for (size_t j = 0; j < dim; j++)
        mean[j] /= (double)n;
    const double c = (8.0 * (double)dim + 64.0) * 0x1p-53;
    const double tiny = (8.0 * (double)dim + 64.0) * 4.0 * 0x1p-1074;
    for (size_t pos = 0; pos < lanes; pos++) {
        size_t blkno = pos / BW, lane = pos % BW;
        double *col = b->blk + blkno * dim * BW + lane;
        if (pos >= n) {
            for (size_t j = 0; j < dim; j++)
                col[j * BW] = 0.0;
            b->ap[pos] = NAN; /* never passes a comparison */
            continue;
        }
        size_t r = b->rperm[pos];
        const double *x = ref->x + r * dim;
        double norm = 0.0;
        for (size_t j = 0; j < dim; j++) {
            double v = x[j] - mean[j];
            col[j * BW] = v;
            norm += v * v;
            b->px[pos * dim + j] = x[j];
        }
        if (ncat)
            memcpy(b->pcat + pos * ncat, ref->cat + r * ncat, ncat * sizeof *b->pcat);
        b->ap[pos] = (1.0 - c) * norm;
    }
    if (!b->sym) {
        for (size_t i = 0; i < b->nq; i++)
            b->qperm[i] = i;
        memcpy(b->qx, job->qx, b->nq * dim * sizeof *b->qx);
        if (ncat)
            memcpy(b->qcat, job->qcat, b->nq * ncat * sizeof *b->qcat);
    } else {
        b->qx = b->px;
        b->qcat = b->pcat;
    }
    for (size_t pos = 0; pos < qlanes; pos++) {
        size_t tile = pos / tq, lane = pos % tq;
        double *col = b->qblk + tile * dim * tq + lane;
        if (pos >= b->nq) {
            for (size_t j = 0; j < dim; j++)
                col[j * tq] = 0.0;
            b->aq[pos] = NAN;
            continue;
        }
        const double *x = b->qx + pos * dim;
        double norm = 0.0;
        for (size_t j = 0; j < dim; j++) {
            double v = x[j] - mean[j];
            col[j * tq] = -2.0 * v;
            norm += v * v;
        }
        b->aq[pos] = (1.0 - c) * norm - tiny;
        b->qself[pos] = b->sym ? AUG_NO_ROW : job->self ? job->self[pos] : AUG_NO_ROW;
    }
    free(mean);
    size_t nthr = lanes > qlanes ? lanes : qlanes;
    for (size_t i = 0; i < nthr; i++)
        b->thr[i] = INFINITY;
    return AUG_OK;
}

/* ---- running ---- */

typedef struct run_ctx {
    brute *b;
    tile_fn tile;
    size_t nsuper;          /* sym: ranges of whole blocks */
    size_t *bounds;         /* nsuper + 1 block boundaries */
    size_t round;           /* sym: which round of the tournament */
    size_t parts;           /* query mode: tiles per part */
} run_ctx;

/* Sym: rows of range A against columns of range B (B > A), or the upper
 * triangle of A with itself. Query tiles are BW/tq per block. */
static void sym_task(run_ctx *rc, size_t A, size_t B)
{
    brute *b = rc->b;
    size_t per = BW / b->tq;
    for (size_t rb = rc->bounds[A]; rb < rc->bounds[A + 1]; rb++)
        for (size_t s = 0; s < per; s++) {
            size_t qb = rb * per + s;
            if (qb >= b->nqb)
                break;
            size_t cfrom = A == B ? rb : rc->bounds[B];
            for (size_t cb = cfrom; cb < rc->bounds[B + 1]; cb++)
                rc->tile(b, qb, cb);
        }
}

/* Round r of a round-robin tournament over nsuper (even) ranges: part i
 * is one pairing; the last round pairs every range with itself. */
static void sym_part(void *arg, size_t i)
{
    run_ctx *rc = arg;
    size_t s = rc->nsuper, r = rc->round;
    if (r == s - 1 || s == 1) {
        sym_task(rc, i, i);
        return;
    }
    size_t m = s - 1, a, c;
    if (i == 0) {
        a = r;
        c = m;
    } else {
        a = (r + i) % m;
        c = (r + m - i) % m;
    }
    if (a > c) {
        size_t t = a;
        a = c;
        c = t;
    }
    sym_task(rc, a, c);
}

static void query_part(void *arg, size_t i)
{
    run_ctx *rc = arg;
    brute *b = rc->b;
    size_t from = i * rc->parts, to = from + rc->parts < b->nqb ? from + rc->parts : b->nqb;
    for (size_t qb = from; qb < to; qb++)
        for (size_t cb = 0; cb < b->nb; cb++)
            rc->tile(b, qb, cb);
}

aug_status aug_knn_brute_run(const knn_job *job, const aug_runner *runner, aug_error *err)
{
    size_t tq;
    tile_fn tile = pick_tile(&tq);
    brute b;
    aug_status st = brute_setup(&b, job, tq, err);
    if (st)
        return st;
    run_ctx rc = {&b, tile, 0, NULL, 0, 0};
    if (b.sym) {
        /* Ranges of whole blocks: an even number of them (or one), enough
         * for several threads, each big enough to amortise a round. */
        size_t s = b.nb / 8;
        s = s > 32 ? 32 : s;
        s = s < 2 ? 1 : s & ~(size_t)1;
        size_t *bounds = malloc((s + 1) * sizeof *bounds);
        if (!bounds) {
            brute_free(&b);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search");
        }
        for (size_t i = 0; i <= s; i++)
            bounds[i] = b.nb * i / s;
        rc.nsuper = s;
        rc.bounds = bounds;
        size_t rounds = s == 1 ? 1 : s;
        for (size_t r = 0; r < rounds; r++) {
            rc.round = r;
            size_t parts = s == 1 || r == s - 1 ? s : s / 2;
            aug_run_parts(runner, parts, sym_part, &rc);
        }
        free(bounds);
    } else {
        rc.parts = 16;
        aug_run_parts(runner, (b.nqb + rc.parts - 1) / rc.parts, query_part, &rc);
    }
    size_t k = b.k;
    for (size_t pos = 0; pos < b.nq; pos++)
        knn_drain(b.hd + pos * k, b.hi + pos * k, b.cnt[pos], job->out + b.qperm[pos] * k);
    brute_free(&b);
    return AUG_OK;
}
