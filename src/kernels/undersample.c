/* Undersampling and cleaning after oversampling, as imbalanced-learn's
 * RandomUnderSampler, TomekLinks and EditedNearestNeighbours (its
 * SMOTETomek and SMOTEENN apply the last two to every class). Each works
 * on the rows still kept and only clears flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/sampling.h"

void aug_selector_init(aug_selector *s, uint64_t seed, const char *class_name, size_t total,
                       size_t keep)
{
    aug_rng_derive(&s->rng, seed, class_name, 1);
    s->left = total;
    s->need = keep < total ? keep : total;
}

int aug_selector_next(aug_selector *s)
{
    if (s->left == 0)
        return 0;
    int take = aug_rng_below(&s->rng, s->left) < s->need;
    s->left--;
    s->need -= (size_t)take;
    return take;
}

aug_status aug_undersample_random(const aug_table *t, const size_t *want, uint64_t seed,
                                  unsigned char *keep, aug_error *err)
{
    if (!t || !want || !keep)
        return aug_fail(err, AUG_ERR_ARG, "undersample: missing table, counts or flags");
    for (size_t c = 0; c < t->nclasses; c++) {
        if (want[c] == AUG_NO_ROW)
            continue;
        size_t total = 0;
        for (size_t r = 0; r < t->rows; r++)
            total += keep[r] && t->label[r] == c;
        if (want[c] >= total)
            continue;
        aug_selector sel;
        aug_selector_init(&sel, seed, t->classes[c], total, want[c]);
        for (size_t r = 0; r < t->rows; r++)
            if (keep[r] && t->label[r] == c)
                keep[r] = (unsigned char)aug_selector_next(&sel);
    }
    return AUG_OK;
}

/* The kept rows' continuous columns, and the table row of each. */
static aug_status kept_points(const aug_table *t, const unsigned char *keep, const char *what,
                              double **x, size_t **rows, size_t *n, aug_error *err)
{
    if (aug_table_ncategorical(t))
        return aug_fail(err, AUG_ERR_ARG, "%s needs numeric features; the table has "
                        "categorical columns", what);
    size_t m = 0, d = t->cols;
    for (size_t r = 0; r < t->rows; r++)
        m += keep[r] != 0;
    if (m > SIZE_MAX / sizeof(double) / d)
        return aug_fail(err, AUG_ERR_NOMEM, "%s: %zu rows are too many", what, m);
    *x = malloc((m ? m : 1) * d * sizeof **x);
    *rows = malloc((m ? m : 1) * sizeof **rows);
    if (!*x || !*rows) {
        free(*x);
        free(*rows);
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory copying %zu rows", what, m);
    }
    m = 0;
    for (size_t r = 0; r < t->rows; r++)
        if (keep[r]) {
            memcpy(*x + m * d, t->x + r * d, d * sizeof **x);
            (*rows)[m++] = r;
        }
    *n = m;
    return AUG_OK;
}

aug_status aug_tomek_links(const aug_table *t, const unsigned char *clean, unsigned char *keep,
                           const aug_runner *runner, aug_error *err)
{
    double *x;
    size_t *rows, n;
    aug_status st = kept_points(t, keep, "Tomek links", &x, &rows, &n, err);
    if (st)
        return st;
    size_t *nn = malloc((n ? n : 1) * sizeof *nn);
    if (!nn)
        st = aug_fail(err, AUG_ERR_NOMEM, "Tomek links: out of memory allocating %zu neighbours", n);
    if (!st && n >= 2)
        st = aug_knn_self_run(x, n, t->cols, 1, nn, runner, err);
    /* A link: two rows of different classes, each the other's nearest.
     * Decided on the neighbours before any row goes. */
    for (size_t i = 0; !st && n >= 2 && i < n; i++) {
        size_t j = nn[i], ci = t->label[rows[i]];
        if (t->label[rows[j]] != ci && nn[j] == i && clean[ci])
            keep[rows[i]] = 0;
    }
    free(x);
    free(rows);
    free(nn);
    return st;
}

aug_status aug_enn(const aug_table *t, size_t k, const unsigned char *clean, unsigned char *keep,
                   const aug_runner *runner, aug_error *err)
{
    if (k < 1)
        return aug_fail(err, AUG_ERR_ARG, "edited nearest neighbours need k >= 1");
    double *x;
    size_t *rows, n;
    aug_status st = kept_points(t, keep, "edited nearest neighbours", &x, &rows, &n, err);
    if (st)
        return st;
    if (n <= k) {
        free(x);
        free(rows);
        return aug_fail(err, AUG_ERR_ARG, "edited nearest neighbours: %zu rows, k=%zu needs "
                        "more", n, k);
    }
    size_t *nn = n <= SIZE_MAX / sizeof(size_t) / k ? malloc(n * k * sizeof *nn) : NULL;
    if (!nn)
        st = aug_fail(err, AUG_ERR_NOMEM, "edited nearest neighbours: out of memory");
    if (!st)
        st = aug_knn_self_run(x, n, t->cols, k, nn, runner, err);
    for (size_t i = 0; !st && i < n; i++) {
        size_t ci = t->label[rows[i]];
        if (!clean[ci])
            continue;
        for (size_t j = 0; j < k; j++)
            if (t->label[rows[nn[i * k + j]]] != ci) {
                keep[rows[i]] = 0;
                break;
            }
    }
    free(x);
    free(rows);
    free(nn);
    return st;
}
