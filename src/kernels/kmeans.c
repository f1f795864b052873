/* k-means (k-means++ seeding, Lloyd's iterations) and K-means SMOTE
 * (Douzas, Bacao and Last 2018), as imbalanced-learn's KMeansSMOTE.
 *
 * The whole table is clustered (imbalanced-learn uses MiniBatchKMeans with
 * 8 clusters; here full k-means with k-means++ seeding, three seedings
 * kept by lowest inertia, from the stream aug_rng_derive(seed, "kmeans",
 * 0), so every class sees the same clusters). A cluster is used for a
 * class when the class's share of its rows is at least the balance
 * threshold (auto: n_new / total_new / 2, every class's new rows counted)
 * and it holds more than k rows of the class. Each used cluster weighs its
 * sparsity, mean_distance^e / (class rows in it), with mean_distance the
 * mean Euclidean distance between its class rows and e the density
 * exponent (auto: log_1.6(features)^1.8 * 0.16, the paper's and
 * imbalanced-learn's documented rule; imbalanced-learn 0.10's code takes
 * the log of the row count instead). The new rows are shared out by these
 * weights (largest remainders, so they add up to exactly n_new;
 * imbalanced-learn rounds each share up and may add a few more), and made
 * by SMOTE within each cluster's class rows: base uniform, partner one of
 * its k nearest there, gap ~ U(0, 1). */
#include <math.h>

#include "core/dmath.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sampler_internal.h"

#define KM_ITER 300
#define KM_INIT 3

static double dist2(const double *a, const double *b, size_t dim)
{
    double d = 0.0;
    for (size_t j = 0; j < dim; j++) {
        double e = a[j] - b[j];
        d += e * e;
    }
    return d;
}

/* One run: k-means++ seeding, then Lloyd until no label moves. */
static double kmeans_once(const double *x, size_t n, size_t dim, size_t k, aug_rng *rng,
                          double *cent, double *d2, size_t *lab, size_t *cnt)
{
    size_t first = (size_t)aug_rng_below(rng, n);
    memcpy(cent, x + first * dim, dim * sizeof *cent);
    for (size_t i = 0; i < n; i++)
        d2[i] = dist2(x + i * dim, cent, dim);
    for (size_t c = 1; c < k; c++) {
        double total = 0.0;
        for (size_t i = 0; i < n; i++)
            total += d2[i];
        size_t pick = n - 1;
        if (total > 0) {
            double u = aug_rng_uniform(rng) * total, acc = 0.0;
            for (size_t i = 0; i < n; i++) {
                acc += d2[i];
                if (u < acc) {
                    pick = i;
                    break;
                }
            }
        } else {
            pick = (size_t)aug_rng_below(rng, n);
        }
        memcpy(cent + c * dim, x + pick * dim, dim * sizeof *cent);
        for (size_t i = 0; i < n; i++) {
            double d = dist2(x + i * dim, cent + c * dim, dim);
            d2[i] = d < d2[i] ? d : d2[i];
        }
    }
    for (size_t i = 0; i < n; i++)
        lab[i] = k; /* none yet */
    double inertia = 0.0;
    for (int it = 0; it < KM_ITER; it++) {
        int moved = 0;
        inertia = 0.0;
        for (size_t i = 0; i < n; i++) {
            size_t best = 0;
            double bd = INFINITY;
            for (size_t c = 0; c < k; c++) {
                double d = dist2(x + i * dim, cent + c * dim, dim);
                if (d < bd) {
                    bd = d;
                    best = c;
                }
            }
            moved |= lab[i] != best;
            lab[i] = best;
            inertia += bd;
        }
        if (!moved)
            break;
        memset(cnt, 0, k * sizeof *cnt);
        memset(cent, 0, k * dim * sizeof *cent);
        for (size_t i = 0; i < n; i++) {
            cnt[lab[i]]++;
            for (size_t j = 0; j < dim; j++)
                cent[lab[i] * dim + j] += x[i * dim + j];
        }
        for (size_t c = 0; c < k; c++) {
            if (cnt[c] == 0) {
                /* an empty cluster restarts at the point farthest from its own centre */
                size_t far = 0;
                double fd = -1.0;
                for (size_t i = 0; i < n; i++) {
                    double d = dist2(x + i * dim, cent + lab[i] * dim, dim);
                    if (cnt[lab[i]] && d > fd) {
                        fd = d;
                        far = i;
                    }
                }
                memcpy(cent + c * dim, x + far * dim, dim * sizeof *cent);
                continue;
            }
            for (size_t j = 0; j < dim; j++)
                cent[c * dim + j] /= (double)cnt[c];
        }
    }
    return inertia;
}

aug_status aug_kmeans(const double *x, size_t n, size_t dim, size_t k, aug_rng *rng,
                      size_t *labels, aug_error *err)
{
    if (n == 0 || k == 0 || k > n)
        return aug_fail(err, AUG_ERR_ARG, "k-means: %zu clusters of %zu points", k, n);
    if (k > SIZE_MAX / sizeof(double) / (dim ? dim : 1))
        return aug_fail(err, AUG_ERR_NOMEM, "k-means: %zu clusters are too many", k);
    double *cent = malloc(k * (dim ? dim : 1) * sizeof *cent);
    double *d2 = malloc(n * sizeof *d2);
    size_t *lab = malloc(n * sizeof *lab), *cnt = malloc(k * sizeof *cnt);
    if (!cent || !d2 || !lab || !cnt) {
        free(cent);
        free(d2);
        free(lab);
        free(cnt);
        return aug_fail(err, AUG_ERR_NOMEM, "k-means: out of memory allocating %zu clusters", k);
    }
    double best = INFINITY;
    for (int run = 0; run < KM_INIT; run++) {
        double in = kmeans_once(x, n, dim, k, rng, cent, d2, lab, cnt);
        if (in < best) {
            best = in;
            memcpy(labels, lab, n * sizeof *labels);
        }
    }
    free(cent);
    free(d2);
    free(lab);
    free(cnt);
    return AUG_OK;
}

/* ---- K-means SMOTE ---- */

typedef struct km_impl {
    size_t nclusters;    /* used clusters */
    size_t *cluster;     /* their numbers */
    size_t *start;       /* nclusters + 1: their class rows in `members` */
    size_t *members;     /* class positions, cluster by cluster */
    size_t *nn;          /* per member: k neighbours within its cluster (t rows) */
    size_t *quota;       /* new rows per used cluster */
    size_t cur, left;
} km_impl;

static void km_free(void *p)
{
    km_impl *im = p;
    if (!im)
        return;
    free(im->cluster);
    free(im->start);
    free(im->members);
    free(im->nn);
    free(im->quota);
    free(im);
}

static aug_status km_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    km_impl *im = s->impl;
    while (im->left == 0)
        im->left = im->quota[++im->cur];
    im->left--;
    size_t c = im->cur, lo = im->start[c], m = im->start[c + 1] - lo;
    size_t j = lo + (size_t)aug_rng_below(&s->rng, m);
    size_t partner = im->nn[j * s->k + (size_t)aug_rng_below(&s->rng, s->k)];
    double gap = aug_rng_uniform(&s->rng);
    size_t base = s->rows[im->members[j]];
    *o = (aug_origin){base, partner, gap, NULL, 0, "cluster", (double)im->cluster[c]};
    return aug_smp_make(s, base, partner, gap, NULL, 0, x, err);
}

aug_status aug_plan_kmeans(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    const aug_table *t = s->t;
    aug_status st = aug_smp_numeric_only(s, err);
    if (!st)
        st = aug_smp_check_size(s, s->k, "k", err);
    if (st)
        return st;
    size_t k = s->k, nrows = t->rows, dim = t->cols;
    size_t nclu = s->p.clusters < nrows ? s->p.clusters : nrows;
    if (nclu < 1)
        return aug_fail(err, AUG_ERR_ARG, "K-means SMOTE needs at least one cluster");
    km_impl *im = calloc(1, sizeof *im);
    if (!im)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    s->impl = im;
    s->free_impl = km_free;
    size_t *lab = malloc(nrows * sizeof *lab), *incl = calloc(nclu, sizeof *incl);
    size_t *all = calloc(nclu, sizeof *all);
    double *w = malloc(nclu * sizeof *w);
    im->cluster = malloc(nclu * sizeof *im->cluster);
    im->start = malloc((nclu + 1) * sizeof *im->start);
    im->members = malloc(s->n * sizeof *im->members);
    im->quota = malloc(nclu * sizeof *im->quota);
    if (!lab || !incl || !all || !w || !im->cluster || !im->start || !im->members ||
        !im->quota) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
        goto out;
    }
    aug_rng krng;
    aug_rng_derive(&krng, s->p.seed, "kmeans", 0);
    if ((st = aug_kmeans(t->x, nrows, dim, nclu, &krng, lab, err)))
        goto out;
    for (size_t r = 0; r < nrows; r++) {
        all[lab[r]]++;
        incl[lab[r]] += t->label[r] == s->cls;
    }
    size_t total_new = s->p.total_new ? s->p.total_new : s->count;
    double threshold = nclu == 1 ? -INFINITY
                       : s->p.balance >= 0 ? s->p.balance
                                           : (double)s->count / (double)total_new / 2.0;
    double expo = s->p.density_exponent > 0
                      ? s->p.density_exponent
                      : aug_pow(aug_log((double)dim) / aug_log(1.6), 1.8) * 0.16;
    size_t used = 0, nm = 0;
    for (size_t c = 0; c < nclu; c++) {
        double share = all[c] ? (double)incl[c] / (double)all[c] : 0.0;
        if (!all[c] || share < threshold || incl[c] < k + 1)
            continue;
        im->cluster[used] = c;
        im->start[used] = nm;
        for (size_t i = 0; i < s->n; i++)
            if (lab[s->rows[i]] == c)
                im->members[nm++] = i;
        /* mean distance between the cluster's class rows */
        size_t lo = im->start[used], m = nm - lo;
        double sum = 0.0;
        for (size_t a = lo; a < nm; a++)
            for (size_t b = lo; b < nm; b++)
                if (a != b)
                    sum += sqrt(dist2(t->x + s->rows[im->members[a]] * dim,
                                      t->x + s->rows[im->members[b]] * dim, dim));
        double mean = sum / (double)(m * m - m);
        w[used] = aug_pow(mean, expo) / (double)m;
        used++;
    }
    im->start[used] = nm;
    im->nclusters = used;
    if (used == 0) {
        st = aug_fail(err, AUG_ERR_ARG,
                      "class '%s': no cluster holds more than k=%zu of its rows with a share "
                      "of at least %.3g; lower --balance-threshold or raise --clusters",
                      t->classes[s->cls], k, threshold);
        goto out;
    }
    aug_smp_apportion(w, used, s->count, im->quota);
    /* neighbours within each cluster's class rows */
    if (nm > SIZE_MAX / sizeof(size_t) / k ||
        !(im->nn = malloc(nm * k * sizeof *im->nn))) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
        goto out;
    }
    for (size_t c = 0; c < used && !st; c++) {
        size_t lo = im->start[c], m = im->start[c + 1] - lo;
        size_t *q = malloc(m * sizeof *q);
        if (!q) {
            st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
            break;
        }
        for (size_t i = 0; i < m; i++)
            q[i] = s->rows[im->members[lo + i]];
        st = aug_smp_knn_among(t, q, m, q, m, k, im->nn + lo * k, runner, err);
        free(q);
    }
    im->cur = 0;
    im->left = im->quota[0];
    s->draw = km_draw;
out:
    free(lab);
    free(incl);
    free(all);
    free(w);
    return st;
}
