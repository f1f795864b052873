/* ADASYN (He, Bai, Garcia and Li 2008), as imbalanced-learn's ADASYN.
 *
 * Each row of the class weighs r_i = (rows of other classes among its k
 * nearest rows of the whole table, itself excluded) / k; normalised to sum
 * to 1, row i is the base of g_i = rint(r_i n) new rows (round half to
 * even, as NumPy's rint), so the count can differ a little from n, as in
 * imbalanced-learn. The votes are small integers, so r_i n often falls
 * exactly on a half: g_i is computed in integers, v_i n / V with V the sum
 * of the votes, so that a half is a half and not a rounding error's
 * guess. Partners are among the row's k nearest rows of the
 * class, gap ~ U(0, 1). Bases come in row order, each g_i times; each row
 * draws the partner's rank (uniform over k), then the gap. */
#include <math.h>
#include <stdlib.h>

#include "kernels/sampler_internal.h"

typedef struct adasyn_impl {
    size_t *g;      /* new rows per class row */
    double *ratio;  /* normalised r_i */
    size_t cur, left;
} adasyn_impl;

static void adasyn_free(void *p)
{
    adasyn_impl *im = p;
    if (!im)
        return;
    free(im->g);
    free(im->ratio);
    free(im);
}

static aug_status adasyn_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    adasyn_impl *im = s->impl;
    while (im->left == 0)
        im->left = im->g[++im->cur];
    im->left--;
    size_t i = im->cur;
    size_t partner = s->nn[i * s->k + (size_t)aug_rng_below(&s->rng, s->k)];
    double gap = aug_rng_uniform(&s->rng);
    *o = (aug_origin){s->rows[i], partner, gap, NULL, 0, "weight", im->ratio[i]};
    return aug_smp_make(s, s->rows[i], partner, gap, NULL, 0, x, err);
}

aug_status aug_plan_adasyn(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    const aug_table *t = s->t;
    aug_status st = aug_smp_numeric_only(s, err);
    if (!st)
        st = aug_smp_check_size(s, s->k, "k", err);
    if (st)
        return st;
    adasyn_impl *im = calloc(1, sizeof *im);
    if (!im)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    s->impl = im;
    s->free_impl = adasyn_free;
    size_t n = s->n, k = s->k;
    size_t *votes = malloc(n * sizeof *votes);
    im->g = malloc(n * sizeof *im->g);
    im->ratio = malloc(n * sizeof *im->ratio);
    if (!votes || !im->g || !im->ratio) {
        free(votes);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    }
    st = aug_smp_other_votes(s, k, votes, runner, err);
    size_t sum = 0;
    for (size_t i = 0; !st && i < n; i++)
        sum += votes[i];
    if (st) {
        free(votes);
        return st;
    }
    if (sum == 0) {
        free(votes);
        return aug_fail(err, AUG_ERR_ARG,
                        "class '%s': none of its rows has a neighbour of another class among "
                        "its k=%zu nearest, so ADASYN has no weights (use --method smote)",
                        t->classes[s->cls], k);
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        im->ratio[i] = (double)votes[i] / (double)sum;
        /* round half to even of votes[i] * count / sum, in integers */
        unsigned __int128 p = (unsigned __int128)votes[i] * s->count;
        size_t q = (size_t)(p / sum), rem = (size_t)(p % sum);
        if (2 * (unsigned __int128)rem > sum || (2 * (unsigned __int128)rem == sum && (q & 1)))
            q++;
        im->g[i] = q;
        total += q;
    }
    free(votes);
    if (total == 0)
        return aug_fail(err, AUG_ERR_ARG,
                        "class '%s': ADASYN rounds every row's share of %zu new rows to 0; "
                        "ask for more rows", t->classes[s->cls], s->count);
    s->count = total;
    im->cur = 0;
    im->left = im->g[0];
    if ((st = aug_smp_class_knn(s, 0.0, runner, err)))
        return st;
    s->draw = adasyn_draw;
    return AUG_OK;
}
