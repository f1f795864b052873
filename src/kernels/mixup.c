/* mixup over table rows (Zhang et al., ICLR 2018). */
#include <math.h>
#include <string.h>

#include "augment/sampling.h"

aug_status aug_mixup_table(const aug_table *t, size_t n, double alpha,
                           uint64_t seed, const char *key, double *x,
                           double *soft, aug_mixup_origin *origins,
                           aug_error *err)
{
    if (!(alpha > 0.0) || !isfinite(alpha))
        return aug_fail(err, AUG_ERR_ARG, "mixup alpha %g must be a positive number", alpha);
    if (t->rows == 0)
        return aug_fail(err, AUG_ERR_ARG, "mixup needs at least one row");
    size_t cols = t->cols, k = t->nclasses;
    for (size_t r = 0; r < n; r++) {
        /* One stream per output row: row r is the same whatever n is. */
        aug_rng rng;
        aug_rng_derive(&rng, seed, key, (uint64_t)r);
        size_t a = r % t->rows;
        size_t b = (size_t)aug_rng_below(&rng, t->rows);
        double lam = aug_rng_beta(&rng, alpha, alpha);
        const double *xa = t->x + a * cols, *xb = t->x + b * cols;
        double *out = x + r * cols;
        for (size_t c = 0; c < cols; c++)
            out[c] = lam * xa[c] + (1.0 - lam) * xb[c];
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
