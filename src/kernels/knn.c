/* Exact k nearest neighbours: the public entry points, the checks, and the
 * choice between a k-d tree (knn_tree.c) and a blocked scan of all pairs
 * (knn_brute.c). Both give exactly the same answer (see knn_internal.h);
 * the choice is only about speed.
 *
 * The rule (measured by tests/bench/knn_rule.sh on Gaussian blobs, the
 * case where the tree prunes worst): the tree wins while the continuous
 * dimension is low; from KNN_BRUTE_DIM columns on, and for any small set,
 * the scan is faster. With 5,000 to 200,000 points the two cross between
 * 6 and 8 columns; at 8 the scan takes 0.6x to 0.8x the tree's time, at
 * 10 0.4x, at 20 under 0.2x. Categorical columns only add to
 * distances, so the tree still prunes on the continuous ones; with none
 * (SMOTEN) there is nothing to build a tree on. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/knn_internal.h"

#define KNN_BRUTE_DIM 8
#define KNN_BRUTE_SMALL 256
/* The scan's filter squares centred coordinates: beyond this magnitude it
 * could overflow, and the tree (which never squares more than a
 * difference) is used instead. */
#define KNN_BRUTE_MAX 0x1p400

static int use_brute(const aug_points *ref, double maxabs)
{
    if (ref->dim == 0)
        return 1;
    if (!(maxabs <= KNN_BRUTE_MAX))
        return 0;
    return ref->dim >= KNN_BRUTE_DIM || ref->n <= KNN_BRUTE_SMALL;
}

static aug_status check_points(const aug_points *p, const char *what, double *maxabs,
                               aug_error *err)
{
    if (p->dim && !p->x)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: no %s coordinates", what);
    if (p->ncat && !p->cat)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: no %s categories", what);
    if (p->dim && p->n > SIZE_MAX / sizeof(double) / p->dim)
        return aug_fail(err, AUG_ERR_NOMEM, "%zu %s points x %zu is too large", p->n, what,
                        p->dim);
    double m = 0.0;
    for (size_t i = 0; i < p->n * p->dim; i++) {
        double v = fabs(p->x[i]);
        if (!isfinite(v))
            return aug_fail(err, AUG_ERR_ARG,
                            "%s point %zu has a non-finite value (%g) in column %zu; "
                            "distances need finite numbers",
                            what, i / p->dim, p->x[i], i % p->dim);
        m = v > m ? v : m;
    }
    if (m > *maxabs)
        *maxabs = m;
    return AUG_OK;
}

aug_status aug_knn(const aug_points *ref, size_t k, const aug_points *queries,
                   const size_t *self, size_t *out, const aug_runner *runner, aug_error *err)
{
    if (!ref || !out)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: no points or output");
    if (ref->dim == 0 && ref->ncat == 0)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours need at least one column");
    if (k < 1)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours need k >= 1 (got 0)");
    if (ref->ncat && !ref->catdist && !(ref->mismatch >= 0.0 && isfinite(ref->mismatch)))
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: a category mismatch must "
                        "add a finite distance >= 0");
    if (ref->catdist && !ref->ncodes)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: category tables without sizes");
    size_t avail = ref->n - (!queries || self ? 1 : 0);
    if (ref->n == 0 || k > avail)
        return aug_fail(err, AUG_ERR_ARG,
                        "%zu nearest neighbours need more than %zu points (got %zu)", k,
                        k - (queries && !self), ref->n);
    if (queries && (queries->dim != ref->dim || queries->ncat != ref->ncat))
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: queries have other columns");
    size_t nq = queries ? queries->n : ref->n;
    if (nq > SIZE_MAX / sizeof(size_t) / k)
        return aug_fail(err, AUG_ERR_NOMEM, "%zu queries x %zu neighbours is too large", nq, k);
    double maxabs = 0.0;
    aug_status st = check_points(ref, "reference", &maxabs, err);
    if (!st && queries)
        st = check_points(queries, "query", &maxabs, err);
    if (st)
        return st;
    if (queries && self)
        for (size_t i = 0; i < nq; i++)
            if (self[i] != AUG_NO_ROW && self[i] >= ref->n)
                return aug_fail(err, AUG_ERR_ARG, "query %zu excludes point %zu of %zu", i,
                                self[i], ref->n);
    knn_job job = {ref, nq, queries ? queries->x : ref->x, queries ? queries->cat : ref->cat,
                   queries ? self : NULL, !queries, k, out};
    if (nq == 0)
        return AUG_OK;
    return use_brute(ref, maxabs) ? aug_knn_brute_run(&job, runner, err)
                                  : aug_knn_tree_run(&job, runner, err);
}

aug_status aug_knn_self_run(const double *points, size_t n, size_t dim, size_t k,
                            size_t *out, const aug_runner *runner, aug_error *err)
{
    if (dim < 1)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours need at least one dimension");
    if (!points)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours: no points or output");
    aug_points p = {.x = points, .n = n, .dim = dim};
    return aug_knn(&p, k, NULL, NULL, out, runner, err);
}

aug_status aug_knn_self(const double *points, size_t n, size_t dim, size_t k,
                        size_t *out, aug_error *err)
{
    return aug_knn_self_run(points, n, dim, k, out, NULL, err);
}
