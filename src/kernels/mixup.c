/* mixup over table rows (Zhang et al., ICLR 2018). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "augment/sampling.h"

aug_status aug_mixup_table(const aug_table *t, size_t n, double alpha, uint64_t seed,
                           const char *key, int categorical_from, double *x, double *soft,
                           aug_mixup_origin *origins, aug_error *err)
{
    if (!(alpha > 0.0) || !isfinite(alpha))
        return aug_fail(err, AUG_ERR_ARG, "mixup alpha %g must be a positive number", alpha);
    if (t->rows == 0)
        return aug_fail(err, AUG_ERR_ARG, "mixup needs at least one row");
    size_t cols = t->cols, k = t->nclasses;
    if (aug_table_ncategorical(t) && categorical_from != 'a' && categorical_from != 'b' &&
        categorical_from != 'w') {
        char names[AUG_ERROR_MAX / 2];
        size_t used = 0;
        names[0] = '\0';
        for (size_t c = 0; c < cols && used + 8 < sizeof names; c++)
            if (aug_table_is_categorical(t, c)) {
                int w = snprintf(names + used, sizeof names - used, "%s'%s'", used ? ", " : "",
                                 t->names[c]);
                used = w > 0 && (size_t)w < sizeof names - used ? used + (size_t)w : sizeof names;
            }
        return aug_fail(err, AUG_ERR_ARG,
                        "categorical column%s %s cannot be mixed (mixing text has no meaning); "
                        "--categorical-from a|b|weight keeps one row's category",
                        aug_table_ncategorical(t) > 1 ? "s" : "", names);
    }
    for (size_t r = 0; r < n; r++) {
        /* One stream per output row: row r is the same whatever n is. */
        aug_rng rng;
        aug_rng_derive(&rng, seed, key, (uint64_t)r);
        size_t a = r % t->rows;
        size_t b = (size_t)aug_rng_below(&rng, t->rows);
        double lam = aug_rng_beta(&rng, alpha, alpha);
        const double *xa = t->x + a * cols, *xb = t->x + b * cols;
        double *out = x + r * cols;
        int take_a = categorical_from == 'a' || (categorical_from == 'w' && lam >= 0.5);
        for (size_t c = 0; c < cols; c++)
            out[c] = aug_table_is_categorical(t, c) ? (take_a ? xa[c] : xb[c])
                                                    : lam * xa[c] + (1.0 - lam) * xb[c];
        if (soft) {
            double *s = soft + r * k;
            memset(s, 0, k * sizeof *s);
            s[t->label[a]] += lam;
            s[t->label[b]] += 1.0 - lam;
        }
        if (origins)
            origins[r] = (aug_mixup_origin){a, b, lam};
    }
    return AUG_OK;
}
