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
 * the query's current k-th exact distance. With u the unit roundoff of
 * the precision the filter runs in, the bound
 *   E = (8 dim + 64) u (|q|^2 + |p|^2) + tiny
 * is over twice the worst case of the rounding of both forms and of the
 * centring (about (4.3 dim + 17) u (|q|^2 + |p|^2), fused multiply-adds
 * or not; tiny covers underflow). So a point that belongs in the answer
 * always passes the filter, whatever the vector width, the order of the
 * sums or the number of threads, and the answer is the exact one. In
 * practice about k log n points per query reach the exact test (the
 * points are visited in a fixed pseudo-random order, so the k-th distance
 * falls quickly whatever order the caller's rows are in).
 *
 * The filter runs in float (u = 2^-24) when the centred coordinates are
 * within 2^40: twice the lanes of double, and the k-th distance is rarely
 * within E of many points. Where it is (near-duplicates far from the
 * mean), more points than expected reach the exact test; the scan counts
 * them and, past four times what a tight filter lets through, goes on in
 * double (u = 2^-53). Only the speed depends on this, never the answer.
 *
 * When the queries are the points themselves each pair is computed once
 * and offered to both heaps. Threads take disjoint ranges of points in
 * rounds of a round-robin tournament, so no two of them touch one heap at
 * the same time; the answer does not depend on how the parts ran.
 *
 * The tiles are written once with the GCC/Clang vector extension and
 * compiled for AVX-512, AVX2 and the base instruction set; the CPU picks
 * at run time. The exact part is plain scalar code, identical in all. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/simd.h"
#include "kernels/knn_internal.h"

#define BW 16 /* points per block, queries per query block */

typedef double v8 __attribute__((vector_size(64)));
typedef int64_t v8l __attribute__((vector_size(64)));
typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

/* Centred coordinates beyond this go to the double filter: squares and
 * sums of 2^20 of them stay far inside float's range. */
#define F32_MAX 0x1p40
#define F32_MAX_DIM ((size_t)1 << 20)

typedef struct brute {
    const knn_job *job;
    size_t n, dim, k, nb; /* reference points, blocks of BW */
    size_t *rperm;        /* internal position -> reference index */
    double *px;           /* n x dim: exact coordinates in internal order */
    uint32_t *pcat;       /* n x ncat */
    double *mean;         /* dim: the centre */
    /* queries (in sym mode: the points, same internal order) */
    size_t nq, nqblk;     /* queries, blocks of BW queries */
    size_t *qperm;        /* internal position -> query index */
    double *qx;
    uint32_t *qcat;
    size_t *qself;        /* internal position -> reference index to skip */
    double *hd;           /* heaps, k per query */
    size_t *hi, *cnt;
    double *thr;          /* current k-th distance (inf until k are in) */
    float *thrf;          /* the same rounded up to float, for the float filter */
    size_t *ne;           /* exact tests so far, per query */
    /* the filter's layout: float (f32) or double, tq queries per tile */
    int f32;
    size_t tq, nqb;       /* queries per tile, tiles */
    double *blk;          /* nb x dim x BW: centred, transposed */
    double *ap;           /* nb x BW: (1 - c) |p|^2, NaN in the padding */
    double *qblk;         /* nqb x dim x tq: -2 q, centred, transposed */
    double *aq;           /* nqb x tq: (1 - c) |q|^2 - tiny */
    float *blkf, *apf, *qblkf, *aqf; /* the same in float */
    int sym;
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

/* t rounded up to a float (inf stays inf). */
static float up_float(double t)
{
    float f = (float)t;
    return (double)f < t ? nextafterf(f, INFINITY) : f;
}

static void offer(brute *b, size_t qi, double d, size_t id)
{
    size_t k = b->k;
    knn_offer(b->hd + qi * k, b->hi + qi * k, &b->cnt[qi], k, d, id);
    if (b->cnt[qi] == k) {
        b->thr[qi] = b->hd[qi * k];
        if (b->thrf)
            b->thrf[qi] = up_float(b->thr[qi]);
    }
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
                b->ne[qi]++;
                offer(b, qi, d, b->rperm[pi]);
                offer(b, pi, d, b->rperm[qi]);
            } else {
                if (!(v <= b->thr[qi]) || b->rperm[pi] == b->qself[qi])
                    continue;
                b->ne[qi]++;
                offer(b, qi, exact(b, qi, pi), b->rperm[pi]);
            }
        }
    }
}

/* ---- the tiles: TQ queries against the BW points of one block ---- */

/* Macros, not functions: a 64-byte vector passed by value would change the
 * calling convention between the builds of a tile. */
#define SPLAT(x) ((v8){(x), (x), (x), (x), (x), (x), (x), (x)})
#define SPLATF(x)                                                                        \
    ((v16f){(x), (x), (x), (x), (x), (x), (x), (x), (x), (x), (x), (x), (x), (x), (x), (x)})
#define LOAD(v, p) memcpy(&(v), (p), sizeof(v))
#define ANY(m) (((m)[0] | (m)[1] | (m)[2] | (m)[3] | (m)[4] | (m)[5] | (m)[6] | (m)[7]) != 0)

/* The tile with named accumulators (an array would live in memory, and
 * every update would wait on a store): ROWS(X) expands X once per query. */
#define ROWS16(X) ROWS8(X) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define ROWS8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define ROWS4(X) X(0) X(1) X(2) X(3)
#define ROWS2(X) X(0) X(1)

/* double: two vectors of 8 points per query */
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
    LOAD(ap0, b->ap + cb * BW);                                                          \
    LOAD(ap1, b->ap + cb * BW + 8);                                                      \
    ROWS(T_DECL)                                                                         \
    for (size_t j = 0; j < dim; j++) {                                                   \
        v8 p0, p1;                                                                       \
        LOAD(p0, P + j * BW);                                                            \
        LOAD(p1, P + j * BW + 8);                                                        \
        const double *Qj = Q + j * (TQ);                                                 \
        ROWS(T_STEP)                                                                     \
    }                                                                                    \
    v8l m = {0};                                                                         \
    size_t q0 = qb * (TQ), p0i = cb * BW;                                                \
    v8 t0, t1;                                                                           \
    LOAD(t0, b->thr + p0i);                                                              \
    LOAD(t1, b->thr + p0i + 8);                                                          \
    ROWS(T_FIN)                                                                          \
    if (ANY(m)) {                                                                        \
        double lo[(TQ) * BW];                                                            \
        unsigned bits[TQ];                                                               \
        ROWS(T_KEEP)                                                                     \
        candidates(b, q0, p0i, lo, bits, (TQ));                                          \
    }

/* float: one vector of 16 points per query */
#define F_DECL(q) v16f f_##q = apv;
#define F_STEP(q) f_##q += SPLATF(Qj[q]) * pv;
#define F_FIN(q)                                                                         \
    v16i n_##q;                                                                          \
    {                                                                                    \
        f_##q += SPLATF(b->aqf[q0 + q]);                                                 \
        n_##q = f_##q <= SPLATF(b->thrf[q0 + q]);                                        \
        if (sym)                                                                         \
            n_##q |= f_##q <= tp;                                                        \
        mi |= n_##q;                                                                     \
    }
#define F_KEEP(q)                                                                        \
    {                                                                                    \
        unsigned bq = 0;                                                                 \
        for (int l = 0; l < BW; l++) {                                                   \
            lo[(q) * BW + l] = (double)f_##q[l];                                         \
            bq |= (unsigned)(n_##q[l] & 1) << l;                                         \
        }                                                                                \
        bits[q] = bq;                                                                    \
    }

#define TILEF_BODY(TQ, ROWS)                                                             \
    const size_t dim = b->dim;                                                           \
    const int sym = b->sym;                                                              \
    const float *P = b->blkf + cb * dim * BW;                                            \
    const float *Q = b->qblkf + qb * dim * (TQ);                                         \
    v16f apv;                                                                            \
    LOAD(apv, b->apf + cb * BW);                                                         \
    ROWS(F_DECL)                                                                         \
    for (size_t j = 0; j < dim; j++) {                                                   \
        v16f pv;                                                                         \
        LOAD(pv, P + j * BW);                                                            \
        const float *Qj = Q + j * (TQ);                                                  \
        ROWS(F_STEP)                                                                     \
    }                                                                                    \
    v16i mi = {0};                                                                       \
    size_t q0 = qb * (TQ), p0i = cb * BW;                                                \
    v16f tp;                                                                             \
    LOAD(tp, b->thrf + p0i);                                                             \
    ROWS(F_FIN)                                                                          \
    int any = 0;                                                                         \
    for (int l = 0; l < BW; l++)                                                         \
        any |= mi[l];                                                                    \
    if (any) {                                                                           \
        double lo[(TQ) * BW];                                                            \
        unsigned bits[TQ];                                                               \
        ROWS(F_KEEP)                                                                     \
        candidates(b, q0, p0i, lo, bits, (TQ));                                          \
    }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_X86_CLONES 1
/* The wide tiles fuse each multiply-add (the project builds with
 * contraction off, for bit-identical results; here only a filter is
 * computed, and the bound above holds for the fused form too). */
#ifdef __clang__
#define FUSED
#define FUSED_BODY _Pragma("clang fp contract(fast)")
#else
#define FUSED __attribute__((optimize("fp-contract=fast")))
#define FUSED_BODY
#endif
#define AVX512 __attribute__((target("avx512f,fma"))) FUSED
#define AVX2 __attribute__((target("avx2,fma"))) FUSED
AVX512 static void tile_avx512(brute *b, size_t qb, size_t cb)
{
    FUSED_BODY
    TILE_BODY(8, ROWS8)
}

AVX2 static void tile_avx2(brute *b, size_t qb, size_t cb)
{
    FUSED_BODY
    TILE_BODY(4, ROWS4)
}

AVX512 static void tilef_avx512(brute *b, size_t qb, size_t cb)
{
    FUSED_BODY
    TILEF_BODY(16, ROWS16)
}

AVX2 static void tilef_avx2(brute *b, size_t qb, size_t cb)
{
    FUSED_BODY
    TILEF_BODY(4, ROWS4)
}
#endif

static void tile_base(brute *b, size_t qb, size_t cb)
{
    TILE_BODY(2, ROWS2)
}

static void tilef_base(brute *b, size_t qb, size_t cb)
{
    TILEF_BODY(2, ROWS2)
}

typedef void (*tile_fn)(brute *, size_t, size_t);

static int isa_cap = 2;   /* the tests lower it to run the narrower tiles */
static int precision = 0; /* the tests set it: 1 double only, 2 float only */

void aug_knn_brute_limit_isa(int level)
{
    isa_cap = level;
}

void aug_knn_brute_precision(int mode)
{
    precision = mode;
}

static _Thread_local int widened; /* the last run (on this thread) went on in double */

int aug_knn_brute_widened(void)
{
    return widened;
}

/* The widest the CPU has; the answer is the same for all. */
static tile_fn pick_tile(int f32, size_t *tq)
{
#ifdef HAVE_X86_CLONES
    __builtin_cpu_init();
    int fma = !aug_simd_disable && __builtin_cpu_supports("fma");
    if (fma && isa_cap >= 2 && __builtin_cpu_supports("avx512f")) {
        *tq = f32 ? 16 : 8;
        return f32 ? tilef_avx512 : tile_avx512;
    }
    if (fma && isa_cap >= 1 && __builtin_cpu_supports("avx2")) {
        *tq = 4;
        return f32 ? tilef_avx2 : tile_avx2;
    }
#endif
    *tq = 2;
    return f32 ? tilef_base : tile_base;
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

/* Sym mode: the points in k-d order, so that a range of whole blocks is a
 * compact region: the round that pairs each range with itself, run first,
 * leaves every point with near neighbours, and the other rounds send few
 * points to the exact test. Splits at whole blocks, on the widest
 * coordinate, by selection (Hoare partitions around a middle pivot). */
static double coord(const double *x, size_t dim, size_t r, size_t d)
{
    return x[r * dim + d];
}

static void select_nth(size_t *perm, size_t lo, size_t hi, size_t nth, const double *x,
                       size_t dim, size_t d)
{
    while (hi - lo > 1) {
        double pv = coord(x, dim, perm[lo + (hi - lo - 1) / 2], d); /* not the last */
        size_t i = lo, j = hi - 1;
        for (;;) {
            while (coord(x, dim, perm[i], d) < pv)
                i++;
            while (coord(x, dim, perm[j], d) > pv)
                j--;
            if (i >= j)
                break;
            size_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            i++;
            j--;
        }
        /* [lo, j] <= pv <= [j + 1, hi) */
        if (nth <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
}

static void kd_order(size_t *perm, size_t lo, size_t hi, const double *x, size_t dim)
{
    while (hi - lo > BW) {
        size_t best = 0;
        double wide = -1.0;
        for (size_t d = 0; d < dim; d++) {
            double mn = INFINITY, mx = -INFINITY;
            for (size_t i = lo; i < hi; i++) {
                double v = coord(x, dim, perm[i], d);
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
            if (mx - mn > wide) {
                wide = mx - mn;
                best = d;
            }
        }
        if (!(wide > 0.0))
            return; /* all equal: any order */
        size_t mid = lo + ((hi - lo) / 2 + BW - 1) / BW * BW;
        if (mid >= hi)
            return;
        select_nth(perm, lo, hi, mid, x, dim, best);
        kd_order(perm, lo, mid, x, dim);
        lo = mid;
    }
}

static void free_layout(brute *b)
{
    free(b->blk);
    free(b->ap);
    free(b->qblk);
    free(b->aq);
    free(b->blkf);
    free(b->apf);
    free(b->qblkf);
    free(b->aqf);
    b->blk = b->ap = b->qblk = b->aq = NULL;
    b->blkf = b->apf = b->qblkf = b->aqf = NULL;
}

static void brute_free(brute *b)
{
    free_layout(b);
    free(b->rperm);
    free(b->px);
    free(b->pcat);
    free(b->mean);
    if (!b->sym) {
        free(b->qperm);
        free(b->qx);
        free(b->qcat);
    }
    free(b->qself);
    free(b->hd);
    free(b->hi);
    free(b->cnt);
    free(b->thr);
    free(b->thrf);
    free(b->ne);
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

/* Lay the centred points and queries out for the tiles, in float or in
 * double, tq queries per tile; the other precision's arrays are freed. On
 * failure (memory) the layout is left empty and -1 returned. */
static int layout(brute *b, int f32, size_t tq)
{
    size_t dim = b->dim, lanes = b->nb * BW, nqb = (b->nq + tq - 1) / tq, qlanes = nqb * tq;
    const double u = f32 ? 0x1p-24 : 0x1p-53;
    const double c = (8.0 * (double)dim + 64.0) * u;
    const double tiny = (8.0 * (double)dim + 64.0) * 4.0 * (f32 ? 0x1p-149 : 0x1p-1074);
    int fail = 0;
    free_layout(b);
    size_t esz = f32 ? sizeof(float) : sizeof(double);
    void *blk = alloc(lanes * dim, esz, &fail), *ap = alloc(lanes, esz, &fail);
    void *qblk = alloc(qlanes * dim, esz, &fail), *aq = alloc(qlanes, esz, &fail);
    if (fail) {
        free(blk);
        free(ap);
        free(qblk);
        free(aq);
        return -1;
    }
    if (f32) {
        b->blkf = blk;
        b->apf = ap;
        b->qblkf = qblk;
        b->aqf = aq;
    } else {
        b->blk = blk;
        b->ap = ap;
        b->qblk = qblk;
        b->aq = aq;
    }
    b->f32 = f32;
    b->tq = tq;
    b->nqb = nqb;
    /* value i of a layout array */
#define PUT(arr, i, v)                                                                   \
    do {                                                                                 \
        if (f32)                                                                         \
            ((float *)(arr))[i] = (float)(v);                                            \
        else                                                                             \
            ((double *)(arr))[i] = (v);                                                  \
    } while (0)
    for (size_t pos = 0; pos < lanes; pos++) {
        size_t at = pos / BW * dim * BW + pos % BW;
        if (pos >= b->n) {
            for (size_t j = 0; j < dim; j++)
                PUT(blk, at + j * BW, 0.0);
            PUT(ap, pos, NAN); /* never passes a comparison */
            continue;
        }
        const double *x = b->px + pos * dim;
        double norm = 0.0;
        for (size_t j = 0; j < dim; j++) {
            double v = x[j] - b->mean[j];
            PUT(blk, at + j * BW, v);
            norm += v * v;
        }
        PUT(ap, pos, (1.0 - c) * norm);
    }
    for (size_t pos = 0; pos < qlanes; pos++) {
        size_t at = pos / tq * dim * tq + pos % tq;
        if (pos >= b->nq) {
            for (size_t j = 0; j < dim; j++)
                PUT(qblk, at + j * tq, 0.0);
            PUT(aq, pos, NAN);
            continue;
        }
        const double *x = b->qx + pos * dim;
        double norm = 0.0;
        for (size_t j = 0; j < dim; j++) {
            double v = x[j] - b->mean[j];
            PUT(qblk, at + j * tq, -2.0 * v);
            norm += v * v;
        }
        PUT(aq, pos, (1.0 - c) * norm - tiny);
    }
#undef PUT
    return 0;
}

static aug_status brute_setup(brute *b, const knn_job *job, aug_error *err)
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
    b->nqblk = (b->nq + BW - 1) / BW;
    int fail = 0;
    /* thresholds are read a whole block or query block at a time */
    size_t lanes = b->nb * BW, qlanes = b->nqblk * BW;
    size_t tlanes = lanes > qlanes ? lanes : qlanes;
    if (lanes > SIZE_MAX / (dim ? dim : 1) || qlanes > SIZE_MAX / (dim ? dim : 1) ||
        b->nq > SIZE_MAX / (k ? k : 1))
        return aug_fail(err, AUG_ERR_NOMEM, "%zu points x %zu columns are too many", n, dim);
    b->rperm = alloc(n, sizeof *b->rperm, &fail);
    b->px = alloc(n * dim, sizeof *b->px, &fail);
    b->pcat = ncat ? alloc(n * ncat, sizeof *b->pcat, &fail) : NULL;
    b->mean = calloc(dim ? dim : 1, sizeof *b->mean);
    b->qself = alloc(b->nq, sizeof *b->qself, &fail);
    b->hd = alloc(b->nq * k, sizeof *b->hd, &fail);
    b->hi = alloc(b->nq * k, sizeof *b->hi, &fail);
    b->cnt = calloc(b->nq ? b->nq : 1, sizeof *b->cnt);
    b->ne = calloc(b->nq ? b->nq : 1, sizeof *b->ne);
    b->thr = alloc(tlanes, sizeof *b->thr, &fail);
    b->thrf = alloc(tlanes, sizeof *b->thrf, &fail);
    if (b->sym) {
        b->qperm = b->rperm;
    } else {
        b->qperm = alloc(b->nq, sizeof *b->qperm, &fail);
        b->qx = alloc(b->nq * dim, sizeof *b->qx, &fail);
        b->qcat = ncat ? alloc(b->nq * ncat, sizeof *b->qcat, &fail) : NULL;
    }
    if (fail || !b->cnt || !b->ne || !b->mean) {
        brute_free(b);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search of %zu points",
                        n);
    }
    /* The points in a fixed scattered order (see the top of the file). */
    shuffle(b->rperm, n);
    if (b->sym && dim)
        kd_order(b->rperm, 0, n, ref->x, dim);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            b->mean[j] += ref->x[i * dim + j];
    for (size_t j = 0; j < dim; j++)
        b->mean[j] /= (double)n;
    for (size_t pos = 0; pos < n; pos++) {
        size_t r = b->rperm[pos];
        if (dim)
            memcpy(b->px + pos * dim, ref->x + r * dim, dim * sizeof *b->px);
        if (ncat)
            memcpy(b->pcat + pos * ncat, ref->cat + r * ncat, ncat * sizeof *b->pcat);
    }
    if (!b->sym) {
        for (size_t i = 0; i < b->nq; i++)
            b->qperm[i] = i;
        if (dim)
            memcpy(b->qx, job->qx, b->nq * dim * sizeof *b->qx);
        if (ncat)
            memcpy(b->qcat, job->qcat, b->nq * ncat * sizeof *b->qcat);
    } else {
        b->qx = b->px;
        b->qcat = b->pcat;
    }
    for (size_t pos = 0; pos < b->nq; pos++)
        b->qself[pos] = b->sym ? AUG_NO_ROW : job->self ? job->self[pos] : AUG_NO_ROW;
    for (size_t i = 0; i < tlanes; i++) {
        b->thr[i] = INFINITY;
        b->thrf[i] = INFINITY;
    }
    /* Float when every centred coordinate is small enough (NaN is not). */
    double big = 0.0;
    for (size_t i = 0; i < n * dim; i++)
        big = fmax(big, fabs(b->px[i] - b->mean[i % dim]));
    for (size_t i = 0; !b->sym && i < b->nq * dim; i++)
        big = fmax(big, fabs(b->qx[i] - b->mean[i % dim]));
    int f32 = precision == 2 || (precision == 0 && big <= F32_MAX && dim <= F32_MAX_DIM);
    if (!(big <= F32_MAX) || dim > F32_MAX_DIM)
        f32 = 0;
    size_t tq;
    pick_tile(f32, &tq);
    if (layout(b, f32, tq)) {
        brute_free(b);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search of %zu points",
                        n);
    }
    return AUG_OK;
}

/* ---- running ---- */

typedef struct run_ctx {
    brute *b;
    tile_fn tile;
    size_t nsuper;          /* sym: ranges of whole blocks */
    size_t *bounds;         /* nsuper + 1 block boundaries */
    size_t round;           /* sym: which round of the tournament */
    size_t qfrom, per_part; /* query mode: first query block, blocks per part */
} run_ctx;

/* Tiles of query block rb (sym: its rows) against blocks [from, to). */
static void block_row(run_ctx *rc, size_t rb, size_t from, size_t to)
{
    brute *b = rc->b;
    size_t per = BW / b->tq;
    for (size_t s = 0; s < per; s++) {
        size_t qb = rb * per + s;
        if (qb >= b->nqb)
            break;
        for (size_t cb = b->sym && from <= rb ? rb : from; cb < to; cb++)
            rc->tile(b, qb, cb);
    }
}

/* Sym: rows of range A against columns of range B (B > A), or the upper
 * triangle of A with itself. */
static void sym_task(run_ctx *rc, size_t A, size_t B)
{
    for (size_t rb = rc->bounds[A]; rb < rc->bounds[A + 1]; rb++)
        block_row(rc, rb, rc->bounds[B], rc->bounds[B + 1]);
}

/* Round r of a round-robin tournament over nsuper (even) ranges: part i
 * is one pairing; the last round pairs every range with itself. */
static void pairing(size_t s, size_t r, size_t i, size_t *A, size_t *B)
{
    if (r == s - 1 || s == 1) {
        *A = *B = i;
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
    *A = a < c ? a : c;
    *B = a < c ? c : a;
}

static void sym_part(void *arg, size_t i)
{
    run_ctx *rc = arg;
    size_t A, B;
    pairing(rc->nsuper, rc->round, i, &A, &B);
    sym_task(rc, A, B);
}

static void query_part(void *arg, size_t i)
{
    run_ctx *rc = arg;
    brute *b = rc->b;
    size_t from = rc->qfrom + i * rc->per_part, to = from + rc->per_part;
    to = to < b->nqblk ? to : b->nqblk;
    for (size_t rb = from; rb < to; rb++)
        block_row(rc, rb, 0, b->nb);
}

/* After some of the work: has the float filter let through too much?
 * seen is the points each query has been compared with, on average, and
 * pairs the comparisons made. A tight filter sends about k (1 + ln(seen
 * / k)) points per query to the exact test (the k-th distance of a random
 * order), twice that in sym mode where a pair counts for both. An exact
 * test costs about what a hundred pairs cost in the tile, and the double
 * tile about twice the float one: past twice the tight count plus one
 * test per 64 pairs, the rest goes on in double. */
static void maybe_widen(run_ctx *rc, size_t queries, double seen, double pairs)
{
    brute *b = rc->b;
    if (!b->f32 || precision == 2 || queries == 0)
        return;
    size_t tests = 0;
    for (size_t i = 0; i < b->nq; i++)
        tests += b->ne[i];
    double k = (double)b->k, ratio = seen / k;
    double tight = (double)queries * k * (1.0 + (ratio > 1.0 ? log(ratio) : 0.0));
    if (b->sym)
        tight *= 2.0;
    if ((double)tests <= 2.0 * tight + pairs / 64.0)
        return;
    size_t tq;
    tile_fn t = pick_tile(0, &tq);
    if (layout(b, 0, tq) == 0) {
        rc->tile = t;
        widened = 1;
        return;
    }
    /* no memory for the double layout: keep filtering in float */
    pick_tile(1, &tq);
    if (layout(b, 1, tq) != 0)
        b->f32 = -1; /* cannot happen: the float layout fitted before */
}

aug_status aug_knn_brute_run(const knn_job *job, const aug_runner *runner, aug_error *err)
{
    brute b;
    widened = 0;
    aug_status st = brute_setup(&b, job, err);
    if (st)
        return st;
    size_t tq;
    run_ctx rc = {&b, pick_tile(b.f32, &tq), 0, NULL, 0, 0, 0};
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
        double pairs = 0.0;
        /* the round of each range with itself first (see kd_order) */
        for (size_t rr = 0; rr < rounds && b.f32 != -1; rr++) {
            size_t r = (rr + rounds - 1) % rounds;
            rc.round = r;
            size_t parts = s == 1 || r == s - 1 ? s : s / 2;
            aug_run_parts(runner, parts, sym_part, &rc);
            for (size_t i = 0; i < parts; i++) {
                size_t A, B;
                pairing(s, r, i, &A, &B);
                double a = (double)(bounds[A + 1] - bounds[A]) * BW;
                pairs += A == B ? a * a / 2 : a * (double)(bounds[B + 1] - bounds[B]) * BW;
            }
            if (rr + 1 < rounds)
                maybe_widen(&rc, b.nq, 2.0 * pairs / (double)(b.nq ? b.nq : 1), pairs);
        }
        free(bounds);
    } else {
        /* Batches of query blocks, each split among the threads. */
        rc.per_part = 4;
        size_t batch = 32 * rc.per_part;
        for (rc.qfrom = 0; rc.qfrom < b.nqblk && b.f32 != -1; rc.qfrom += batch) {
            size_t blocks = b.nqblk - rc.qfrom < batch ? b.nqblk - rc.qfrom : batch;
            aug_run_parts(runner, (blocks + rc.per_part - 1) / rc.per_part, query_part, &rc);
            size_t done = (rc.qfrom + blocks) * BW;
            done = done < b.nq ? done : b.nq;
            if (done < b.nq)
                maybe_widen(&rc, done, (double)b.n, (double)done * (double)b.n);
        }
    }
    if (b.f32 == -1) {
        brute_free(&b);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search");
    }
    size_t k = b.k;
    for (size_t pos = 0; pos < b.nq; pos++)
        knn_drain(b.hd + pos * k, b.hi + pos * k, b.cnt[pos], job->out + b.qperm[pos] * k);
    brute_free(&b);
    return AUG_OK;
}
