/* polynom-fit-SMOTE (Gazzah and Amara 2008), ranked first of 85 SMOTE
 * variants over 104 data sets by Kovacs (2019). New rows lie on a
 * topology spanned by the class's rows:
 *   star: from every row towards the class mean (the default, as in
 *         smote_variants); row j of n_new starts from class row j mod n,
 *         the rows of one base evenly spaced, gap = (s + 1) / (m + 1) for
 *         the s-th of its m rows;
 *   bus:  along the chain of the class's rows in row order, from row i
 *         towards row i - 1, evenly spaced in the same way;
 *   mesh: between any two rows of the class: a pair drawn uniformly
 *         (base, then another row), gap ~ U(0, 1).
 * Star and bus draw nothing (the rows follow from n_new), so they are the
 * same for every seed; n_new is shared out exactly (smote_variants rounds
 * it to a multiple of the rows). */
#include <math.h>
#include <stdlib.h>

#include "kernels/sampler_internal.h"

static aug_status star_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    size_t j = s->drawn, n = s->n;
    size_t b = j % n, step = j / n;
    size_t m = s->count / n + (b < s->count % n);
    double gap = (double)(step + 1) / (double)(m + 1);
    *o = (aug_origin){s->rows[b], AUG_NO_ROW, gap, NULL, 0, NULL, 0};
    return aug_smp_make(s, s->rows[b], AUG_NO_ROW, gap, NULL, 0, x, err);
}

static aug_status bus_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    size_t j = s->drawn, segs = s->n - 1;
    size_t g = j % segs, step = j / segs;
    size_t m = s->count / segs + (g < s->count % segs);
    double gap = (double)(step + 1) / (double)(m + 1);
    size_t base = s->rows[g + 1], partner = s->rows[g];
    *o = (aug_origin){base, partner, gap, NULL, 0, NULL, 0};
    return aug_smp_make(s, base, partner, gap, NULL, 0, x, err);
}

static aug_status mesh_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    size_t i = (size_t)aug_rng_below(&s->rng, s->n);
    size_t j = (size_t)aug_rng_below(&s->rng, s->n - 1);
    j += j >= i;
    double gap = aug_rng_uniform(&s->rng);
    *o = (aug_origin){s->rows[i], s->rows[j], gap, NULL, 0, NULL, 0};
    return aug_smp_make(s, s->rows[i], s->rows[j], gap, NULL, 0, x, err);
}

aug_status aug_plan_polyfit(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    (void)runner;
    const aug_table *t = s->t;
    aug_status st = aug_smp_numeric_only(s, err);
    if (!st && s->n < 2)
        st = aug_smp_check_size(s, 1, "k", err);
    if (st)
        return st;
    if (s->p.topology == AUG_TOPO_STAR) {
        s->mean = calloc(t->cols, sizeof *s->mean);
        if (!s->mean)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
        for (size_t i = 0; i < s->n; i++)
            for (size_t c = 0; c < t->cols; c++)
                s->mean[c] += t->x[s->rows[i] * t->cols + c];
        for (size_t c = 0; c < t->cols; c++)
            s->mean[c] /= (double)s->n;
        s->draw = star_draw;
    } else if (s->p.topology == AUG_TOPO_BUS) {
        s->draw = bus_draw;
    } else {
        s->draw = mesh_draw;
    }
    return AUG_OK;
}
