/* Borderline-SMOTE (Han, Wang and Mao 2005), as imbalanced-learn's
 * BorderlineSMOTE.
 *
 * A row of the class is in danger when, among its m nearest rows of the
 * whole table (itself excluded), m/2 <= (rows of other classes) < m: it
 * sits on the border. (All m of another class: noise, left alone.) Only
 * rows in danger are bases. With none, the class is not grown (and the
 * plan says so), as imbalanced-learn does.
 *
 * borderline1: base uniform over the rows in danger, partner one of its k
 * nearest rows of the class, gap ~ U(0, 1).
 * borderline2: the partner is one of the base's k nearest rows of the
 * whole table, of any class; towards a row of another class the gap is
 * U(0, 0.5), so the new row stays on the class's side (the paper's rule).
 * That is imbalanced-learn's borderline-2 since 0.11 (pull request 1023,
 * with the half gap of pull request 1027); 0.10, which Debian ships, took
 * those partners with the indices of the class's own neighbours in the
 * other classes' rows, a bug 0.11 fixed.
 *
 * Each row draws: the base (uniform over the rows in danger, in row
 * order), the partner's rank (uniform over k), the gap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sampler_internal.h"

typedef struct border_impl {
    size_t nd;
    size_t *danger;   /* class positions of the rows in danger */
    size_t *votes;    /* their other-class neighbours among m */
    size_t *all;      /* borderline2: nd x k nearest rows of the whole table */
} border_impl;

static void border_free(void *p)
{
    border_impl *im = p;
    if (!im)
        return;
    free(im->danger);
    free(im->votes);
    free(im->all);
    free(im);
}

static aug_status border_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    border_impl *im = s->impl;
    size_t d = (size_t)aug_rng_below(&s->rng, im->nd);
    size_t i = im->danger[d];
    size_t rank = (size_t)aug_rng_below(&s->rng, s->k);
    int one = s->p.method == AUG_SMOTE_BORDERLINE1;
    size_t partner = one ? s->nn[i * s->k + rank] : im->all[d * s->k + rank];
    double gap = aug_rng_uniform(&s->rng);
    if (s->t->label[partner] != s->cls)
        gap *= 0.5;
    *o = (aug_origin){s->rows[i], partner, gap, NULL, 0, "danger", (double)im->votes[d]};
    return aug_smp_make(s, s->rows[i], partner, gap, NULL, 0, x, err);
}

aug_status aug_smp_other_votes(aug_sampler *s, size_t m, size_t *votes, const aug_runner *runner,
                           aug_error *err)
{
    const aug_table *t = s->t;
    if (m >= t->rows)
        return aug_fail(err, AUG_ERR_ARG, "--m %zu needs more than %zu rows in the table "
                        "(it has %zu)", m, m, t->rows);
    if (s->n > SIZE_MAX / sizeof(size_t) / m)
        return aug_fail(err, AUG_ERR_NOMEM, "class '%s' is too large", t->classes[s->cls]);
    size_t *nn = malloc((s->n * m > 0 ? s->n * m : 1) * sizeof *nn);
    if (!nn)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbours of class '%s'",
                        t->classes[s->cls]);
    aug_status st = aug_smp_knn_among(t, NULL, 0, s->rows, s->n, m, nn, runner, err);
    for (size_t i = 0; !st && i < s->n; i++) {
        votes[i] = 0;
        for (size_t j = 0; j < m; j++)
            votes[i] += t->label[nn[i * m + j]] != s->cls;
    }
    free(nn);
    return st;
}

aug_status aug_plan_borderline(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    const aug_table *t = s->t;
    aug_status st = aug_smp_numeric_only(s, err);
    /* borderline1 interpolates within the class; borderline2 may take any
     * row, but a base needs another row of its class to be in danger */
    if (!st)
        st = aug_smp_check_size(s, s->p.method == AUG_SMOTE_BORDERLINE1 ? s->k : 1, "k", err);
    if (st)
        return st;
    if (s->p.m < 1)
        return aug_fail(err, AUG_ERR_ARG, "borderline SMOTE needs m >= 1");
    border_impl *im = calloc(1, sizeof *im);
    if (!im)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    s->impl = im;
    s->free_impl = border_free;
    size_t n = s->n, m = s->p.m;
    size_t *votes = malloc(n * sizeof *votes);
    im->danger = malloc(n * sizeof *im->danger);
    im->votes = malloc(n * sizeof *im->votes);
    if (!votes || !im->danger || !im->votes) {
        free(votes);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    }
    st = aug_smp_other_votes(s, m, votes, runner, err);
    for (size_t i = 0; !st && i < n; i++)
        if (2 * votes[i] >= m && votes[i] < m) {
            im->danger[im->nd] = i;
            im->votes[im->nd++] = votes[i];
        }
    free(votes);
    if (st)
        return st;
    if (im->nd == 0) {
        s->count = 0;
        snprintf(s->notebuf, sizeof s->notebuf,
                 "class '%s': no row is in danger (m/2 <= other-class neighbours < m, "
                 "m=%zu), so it is not grown", t->classes[s->cls], m);
        s->note = s->notebuf;
        s->draw = border_draw;
        return AUG_OK;
    }
    if (s->p.method == AUG_SMOTE_BORDERLINE1) {
        if ((st = aug_smp_class_knn(s, 0.0, runner, err)))
            return st;
        s->draw = border_draw;
        return AUG_OK;
    }
    if (t->rows <= s->k)
        return aug_fail(err, AUG_ERR_ARG, "borderline2: the table has %zu rows, k=%zu needs more",
                        t->rows, s->k);
    size_t *q = malloc(im->nd * sizeof *q);
    im->all = im->nd <= SIZE_MAX / sizeof(size_t) / s->k ? malloc(im->nd * s->k * sizeof *im->all)
                                                          : NULL;
    if (!q || !im->all) {
        free(q);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'",
                        t->classes[s->cls]);
    }
    for (size_t d = 0; d < im->nd; d++)
        q[d] = s->rows[im->danger[d]];
    st = aug_smp_knn_among(t, NULL, 0, q, im->nd, s->k, im->all, runner, err);
    free(q);
    if (st)
        return st;
    s->draw = border_draw;
    return AUG_OK;
}
