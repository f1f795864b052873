/* ProWSyn (Barua, Islam and Murase 2013), ranked second of 85 SMOTE
 * variants by Kovacs (2019). The class's rows are split into proximity
 * levels by their distance to the other classes: level 1 is every class
 * row among the k nearest class rows of some row of another class; those
 * are taken out and level 2 is found the same way among the rest, and so
 * on for levels - 1 levels; the rows left form the last level. Level l
 * weighs exp(-theta (l - 1)) (levels of fewer than two rows are skipped),
 * so rows near the border are used most. Each new row draws: a level (by
 * weight), a base and another row of that level (uniform), the gap
 * (uniform), and is base + gap (other - base). */
#include <math.h>

#include "core/dmath.h"
#include <stdlib.h>
#include <string.h>

#include "kernels/sampler_internal.h"

typedef struct prow_impl {
    size_t nlev;      /* levels with at least two rows */
    size_t *start;    /* nlev + 1: their rows in `members` */
    size_t *members;  /* class positions */
    size_t *level;    /* the level number of each used level */
    double *cum;      /* cumulative weights, the last one 1 */
} prow_impl;

static void prow_free(void *p)
{
    prow_impl *im = p;
    if (!im)
        return;
    free(im->start);
    free(im->members);
    free(im->level);
    free(im->cum);
    free(im);
}

static aug_status prow_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    prow_impl *im = s->impl;
    double u = aug_rng_uniform(&s->rng);
    size_t l = 0;
    while (l + 1 < im->nlev && u >= im->cum[l])
        l++;
    size_t lo = im->start[l], m = im->start[l + 1] - lo;
    size_t a = (size_t)aug_rng_below(&s->rng, m), b = (size_t)aug_rng_below(&s->rng, m - 1);
    b += b >= a;
    double gap = aug_rng_uniform(&s->rng);
    size_t base = s->rows[im->members[lo + a]], partner = s->rows[im->members[lo + b]];
    *o = (aug_origin){base, partner, gap, NULL, 0, "level", (double)im->level[l]};
    return aug_smp_make(s, base, partner, gap, NULL, 0, x, err);
}

aug_status aug_plan_prowsyn(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    const aug_table *t = s->t;
    aug_status st = aug_smp_numeric_only(s, err);
    if (!st && s->n < 2)
        st = aug_smp_check_size(s, 1, "k", err);
    if (st)
        return st;
    if (s->p.levels < 1 || !(s->p.theta >= 0))
        return aug_fail(err, AUG_ERR_ARG, "ProWSyn needs levels >= 1 and theta >= 0");
    size_t n = s->n, L = s->p.levels, nother = t->rows - n;
    prow_impl *im = calloc(1, sizeof *im);
    if (!im)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    s->impl = im;
    s->free_impl = prow_free;
    size_t *lvl = malloc(n * sizeof *lvl), *left = malloc(n * sizeof *left);
    size_t *other = malloc((nother ? nother : 1) * sizeof *other);
    size_t *pr = malloc(n * sizeof *pr), *nn = NULL;
    size_t *cpos = malloc(t->rows * sizeof *cpos); /* t row -> class position */
    im->start = malloc((L + 1) * sizeof *im->start);
    im->members = malloc(n * sizeof *im->members);
    im->level = malloc(L * sizeof *im->level);
    im->cum = malloc(L * sizeof *im->cum);
    if (!lvl || !left || !other || !pr || !cpos || !im->start || !im->members || !im->level ||
        !im->cum) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
        goto out;
    }
    for (size_t r = 0, j = 0; r < t->rows; r++)
        if (t->label[r] != s->cls)
            other[j++] = r;
    for (size_t i = 0; i < n; i++)
        cpos[s->rows[i]] = i;
    size_t nleft = n;
    for (size_t i = 0; i < n; i++) {
        left[i] = i;
        lvl[i] = L; /* the last level unless taken earlier */
    }
    for (size_t l = 1; l < L && nleft > 0 && nother > 0 && !st; l++) {
        size_t kk = s->k < nleft ? s->k : nleft;
        for (size_t i = 0; i < nleft; i++)
            pr[i] = s->rows[left[i]];
        free(nn);
        nn = nother <= SIZE_MAX / sizeof(size_t) / kk ? malloc(nother * kk * sizeof *nn) : NULL;
        if (!nn) {
            st = aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
            break;
        }
        st = aug_smp_knn_among(t, pr, nleft, other, nother, kk, nn, runner, err);
        if (st)
            break;
        /* every class row named by some other-class row is in level l */
        for (size_t i = 0; i < nother * kk; i++)
            if (lvl[cpos[nn[i]]] == L)
                lvl[cpos[nn[i]]] = l;
        size_t keep = 0;
        for (size_t i = 0; i < nleft; i++)
            if (lvl[left[i]] == L)
                left[keep++] = left[i];
        nleft = keep;
    }
    if (st)
        goto out;
    /* levels of at least two rows, weighted */
    double total = 0.0;
    size_t nm = 0;
    for (size_t l = 1; l <= L; l++) {
        size_t lo = nm;
        for (size_t i = 0; i < n; i++)
            if (lvl[i] == l)
                im->members[nm++] = i;
        if (nm - lo < 2) {
            nm = lo;
            continue;
        }
        im->start[im->nlev] = lo;
        im->level[im->nlev] = l;
        total += im->cum[im->nlev] = aug_exp(-s->p.theta * (double)(l - 1));
        im->nlev++;
    }
    im->start[im->nlev] = nm;
    if (im->nlev == 0) {
        st = aug_fail(err, AUG_ERR_ARG, "class '%s': no proximity level holds two rows; "
                      "ProWSyn cannot pair them (try fewer --levels)", t->classes[s->cls]);
        goto out;
    }
    double acc = 0.0;
    for (size_t l = 0; l < im->nlev; l++)
        im->cum[l] = (acc += im->cum[l]) / total;
    im->cum[im->nlev - 1] = 1.0;
    s->draw = prow_draw;
out:
    free(lvl);
    free(left);
    free(other);
    free(pr);
    free(cpos);
    free(nn);
    return st;
}
