/* Internal: what the two exact neighbour searches share (knn.c chooses,
 * knn_tree.c and knn_brute.c search).
 *
 * Both must return exactly what a brute-force sort by (distance, index)
 * returns, where the distance is computed by knn_dist below: the float sum
 * over the continuous columns, in order, of (a - b)^2, plus the float sum
 * over the categorical columns, in order, of their terms. Every path that
 * decides membership computes that same expression (or bounds it safely
 * and then computes it), so ties are ties everywhere. */
#ifndef AUGMENT_KERNELS_KNN_INTERNAL_H
#define AUGMENT_KERNELS_KNN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "augment/sampling.h"

/* Distances must round the same in every build: no fused multiply-add in
 * the exact parts (GCC's -std=c11 already implies this). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* One search: the reference points, the queries (each a point and the
 * reference index it must not return, or AUG_NO_ROW). */
typedef struct knn_job {
    const aug_points *ref;
    size_t nq;
    const double *qx;       /* nq x dim continuous coordinates */
    const uint32_t *qcat;   /* nq x ncat codes */
    const size_t *self;     /* nq, or NULL: no exclusion */
    int self_is_ref;        /* the queries are the reference points, in order */
    size_t k;
    size_t *out;            /* nq x k, nearest first */
} knn_job;

static inline double knn_cat(const aug_points *p, const uint32_t *a, const uint32_t *b)
{
    double d = 0.0;
    for (size_t c = 0; c < p->ncat; c++) {
        if (p->catdist)
            d += p->catdist[c][(size_t)a[c] * p->ncodes[c] + b[c]];
        else if (a[c] != b[c])
            d += p->mismatch;
    }
    return d;
}

static inline double knn_cont(const double *a, const double *b, size_t dim)
{
    double d = 0.0;
    for (size_t j = 0; j < dim; j++) {
        double e = a[j] - b[j];
        d += e * e;
    }
    return d;
}

/* The distance of query i to reference point r. */
static inline double knn_dist(const knn_job *job, size_t i, size_t r)
{
    const aug_points *p = job->ref;
    double d = knn_cont(job->qx + i * p->dim, p->x + r * p->dim, p->dim);
    if (p->ncat)
        d += knn_cat(p, job->qcat + i * p->ncat, p->cat + r * p->ncat);
    return d;
}

/* ---- a bounded max-heap of (distance, index), worst on top ---- */

static inline int knn_worse(double da, size_t ia, double db, size_t ib)
{
    return da > db || (da == db && ia > ib);
}

static inline void knn_sift_down(double *hd, size_t *hi, size_t count, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < count && knn_worse(hd[l], hi[l], hd[m], hi[m]))
            m = l;
        if (r < count && knn_worse(hd[r], hi[r], hd[m], hi[m]))
            m = r;
        if (m == i)
            return;
        double d = hd[i];
        size_t x = hi[i];
        hd[i] = hd[m];
        hi[i] = hi[m];
        hd[m] = d;
        hi[m] = x;
        i = m;
    }
}

/* Offer (d, id) to a heap of capacity k holding *count entries. */
static inline void knn_offer(double *hd, size_t *hi, size_t *count, size_t k, double d,
                             size_t id)
{
    if (*count < k) {
        size_t i = (*count)++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!knn_worse(d, id, hd[p], hi[p]))
                break;
            hd[i] = hd[p];
            hi[i] = hi[p];
            i = p;
        }
        hd[i] = d;
        hi[i] = id;
    } else if (knn_worse(hd[0], hi[0], d, id)) {
        hd[0] = d;
        hi[0] = id;
        knn_sift_down(hd, hi, k, 0);
    }
}

/* Empty the heap into row[0..count), nearest first. */
static inline void knn_drain(double *hd, size_t *hi, size_t count, size_t *row)
{
    for (size_t c = count; c > 0; c--) {
        row[c - 1] = hi[0];
        hd[0] = hd[c - 1];
        hi[0] = hi[c - 1];
        knn_sift_down(hd, hi, c - 1, 0);
    }
}

/* knn_tree.c: a k-d tree over the continuous columns. */
aug_status aug_knn_tree_run(const knn_job *job, const aug_runner *runner, aug_error *err);
/* knn_brute.c: all pairs in blocks, a bound on each, the exact distance
 * for the few that may enter. */
aug_status aug_knn_brute_run(const knn_job *job, const aug_runner *runner, aug_error *err);
/* For the tests: use at most the base tile (0), AVX2 (1) or AVX-512 (2,
 * the default); the answers must not change. Not thread-safe. */
void aug_knn_brute_limit_isa(int level);
/* For the tests: the scan's filter in float when the range allows and
 * double once it proves loose (0, the default), in double only (1), or in
 * float throughout where the range allows (2). Not thread-safe. */
void aug_knn_brute_precision(int mode);
/* For the tests: whether the last run went on in double. */
int aug_knn_brute_widened(void);

#endif
