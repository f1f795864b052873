/* SMOTEN (Chawla et al. 2002, section 6.2), as imbalanced-learn's SMOTEN:
 * every feature categorical. Rows are compared by the value difference
 * metric (Stanfill and Waltz 1986) fitted on the whole table,
 *   delta_f(a, b) = sum over classes c of |P(c | f = a) - P(c | f = b)|
 *   distance(x, y) = sum over features f of delta_f(x_f, y_f)^2
 * (imbalanced-learn's ValueDifferenceMetric with k = 1, r = 2). A new row
 * takes, per feature, the most frequent category among a base row and its
 * k nearest rows of the class (the base counts, as in imbalanced-learn),
 * ties broken by the class's stream (imbalanced-learn takes the smallest).
 * Each row draws the base (uniform over the class's rows), then one draw
 * per tied feature. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sampler_internal.h"

/* Category pair tables beyond this many entries are refused rather than
 * built (8 bytes each). */
#define VDM_MAX_ENTRIES (1u << 25)

typedef struct smoten_impl {
    size_t *from; /* n x (k + 1): each class row, then its k neighbours (t rows) */
} smoten_impl;

static void smoten_free(void *p)
{
    smoten_impl *im = p;
    if (im)
        free(im->from);
    free(im);
}

static aug_status smoten_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    smoten_impl *im = s->impl;
    size_t i = (size_t)aug_rng_below(&s->rng, s->n);
    const size_t *from = im->from + i * (s->k + 1);
    *o = (aug_origin){s->rows[i], AUG_NO_ROW, NAN, from, s->k + 1, NULL, 0};
    return aug_smp_make(s, s->rows[i], AUG_NO_ROW, 0.0, from, s->k + 1, x, err);
}

/* delta_f^2 for every pair of categories of every feature. */
static aug_status vdm_tables(const aug_table *t, const size_t *catcols, size_t ncat,
                             double **tables, size_t *ncodes, aug_error *err)
{
    size_t k = t->nclasses, total = 0;
    for (size_t f = 0; f < ncat; f++) {
        ncodes[f] = t->cats[catcols[f]].n;
        if (ncodes[f] > VDM_MAX_ENTRIES || ncodes[f] * ncodes[f] > VDM_MAX_ENTRIES - total)
            return aug_fail(err, AUG_ERR_ARG,
                            "column '%s' has %zu categories: the value difference metric's "
                            "tables would pass %u entries (too many categories for SMOTEN)",
                            t->names[catcols[f]], ncodes[f], VDM_MAX_ENTRIES);
        total += ncodes[f] * ncodes[f];
    }
    for (size_t f = 0; f < ncat; f++) {
        size_t nc = ncodes[f], c = catcols[f];
        double *prob = calloc(nc * k > 0 ? nc * k : 1, sizeof *prob);
        tables[f] = malloc((nc * nc > 0 ? nc * nc : 1) * sizeof *tables[f]);
        if (!prob || !tables[f]) {
            free(prob);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory building the value difference metric");
        }
        for (size_t r = 0; r < t->rows; r++)
            prob[(size_t)t->x[r * t->cols + c] * k + t->label[r]] += 1.0;
        for (size_t a = 0; a < nc; a++) {
            double sum = 0.0;
            for (size_t j = 0; j < k; j++)
                sum += prob[a * k + j];
            for (size_t j = 0; j < k; j++)
                prob[a * k + j] = sum > 0 ? prob[a * k + j] / sum : 0.0;
        }
        for (size_t a = 0; a < nc; a++)
            for (size_t b = 0; b < nc; b++) {
                double d = 0.0;
                for (size_t j = 0; j < k; j++)
                    d += fabs(prob[a * k + j] - prob[b * k + j]);
                tables[f][a * nc + b] = d * d;
            }
        free(prob);
    }
    return AUG_OK;
}

aug_status aug_plan_smoten(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    const aug_table *t = s->t;
    if (s->ncat != s->cols) {
        size_t c = 0;
        while (aug_table_is_categorical(t, c))
            c++;
        return aug_fail(err, AUG_ERR_ARG,
                        "smoten needs every feature categorical, and '%s' is numeric (mark it "
                        "--categorical, or use --method smote: SMOTE-NC takes both kinds)",
                        t->names[c]);
    }
    aug_status st = aug_smp_check_size(s, s->k, "k", err);
    if (st)
        return st;
    size_t n = s->n, k = s->k, ncat = s->ncat;
    smoten_impl *im = calloc(1, sizeof *im);
    double **tables = calloc(ncat, sizeof *tables);
    size_t *ncodes = calloc(ncat, sizeof *ncodes);
    uint32_t *cat = NULL;
    size_t *nn = NULL;
    double *dummy;
    size_t dim;
    if (!im || !tables || !ncodes || n > SIZE_MAX / sizeof(size_t) / (k + 1)) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning SMOTEN for class '%s'",
                      t->classes[s->cls]);
        goto out;
    }
    s->impl = im;
    s->free_impl = smoten_free;
    if ((st = vdm_tables(t, s->catcols, ncat, tables, ncodes, err)))
        goto out;
    if ((st = aug_smp_gather(t, s->rows, n, &dummy, &dim, &cat, NULL, err)))
        goto out;
    free(dummy);
    nn = malloc(n * k * sizeof *nn);
    im->from = malloc(n * (k + 1) * sizeof *im->from);
    if (!nn || !im->from) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning SMOTEN for class '%s'",
                      t->classes[s->cls]);
        goto out;
    }
    aug_points p = {.n = n, .cat = cat, .ncat = ncat, .catdist = (const double *const *)tables,
                    .ncodes = ncodes};
    if ((st = aug_knn(&p, k, NULL, NULL, nn, runner, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        im->from[i * (k + 1)] = s->rows[i];
        for (size_t j = 0; j < k; j++)
            im->from[i * (k + 1) + 1 + j] = s->rows[nn[i * k + j]];
    }
    s->draw = smoten_draw;
out:
    for (size_t f = 0; tables && f < ncat; f++)
        free(tables[f]);
    free(tables);
    free(ncodes);
    free(cat);
    free(nn);
    if (!s->impl)
        free(im);
    return st;
}
