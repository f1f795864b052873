/* SVM-SMOTE (Nguyen, Cooper and Kamei 2011), as imbalanced-learn's
 * SVMSMOTE, with the support vector machine of libsvm (Debian's
 * libsvm-dev; scikit-learn's SVC is a copy of the same library).
 *
 * A C-SVC is trained on the whole table (one-vs-one for several classes)
 * with scikit-learn's SVC() defaults: RBF kernel, gamma "scale" =
 * 1 / (features * variance of all values), C = 1, tolerance 1e-3,
 * shrinking. The class's support vectors are the bases. Among each one's m
 * nearest rows of the whole table, rows of other classes: all m -> noise,
 * dropped; at least m/2 -> in danger, interpolated towards one of its k
 * nearest rows of the class (gap ~ U(0, 1)); fewer -> safe, extrapolated
 * away from it (gap ~ -out_step U(0, 1)). A share f ~ Beta(10, 10) (drawn
 * first from the class's stream), floor(f (n + 1)) rows, comes from the
 * rows in danger and the rest from the safe ones, all from one side when
 * the other is empty (imbalanced-learn then makes only that side's
 * share). Each row draws the base (uniform over its side's support
 * vectors), the partner's rank (uniform over k), the gap. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sampler_internal.h"

/* make check-portable builds the kernels with musl, where the system's
 * libsvm cannot be linked: that build says so instead of training. */
#ifndef AUG_NO_LIBSVM
#include <libsvm/svm.h>
#endif

typedef struct svm_impl {
    size_t nd, ns;
    size_t *danger, *safe;   /* class positions */
    size_t *dvotes, *svotes; /* other-class rows among their m nearest */
    size_t n1;               /* rows from the danger side */
} svm_impl;

static void svm_impl_free(void *p)
{
    svm_impl *im = p;
    if (!im)
        return;
    free(im->danger);
    free(im->safe);
    free(im->dvotes);
    free(im->svotes);
    free(im);
}

static aug_status svm_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    svm_impl *im = s->impl;
    int danger = s->drawn < im->n1;
    size_t j = (size_t)aug_rng_below(&s->rng, danger ? im->nd : im->ns);
    size_t i = danger ? im->danger[j] : im->safe[j];
    size_t partner = s->nn[i * s->k + (size_t)aug_rng_below(&s->rng, s->k)];
    double gap = aug_rng_uniform(&s->rng);
    if (!danger)
        gap *= -s->p.out_step;
    *o = (aug_origin){s->rows[i], partner, gap, NULL, 0, danger ? "danger" : "safe",
                      (double)(danger ? im->dvotes[j] : im->svotes[j])};
    return aug_smp_make(s, s->rows[i], partner, gap, NULL, 0, x, err);
}

#ifdef AUG_NO_LIBSVM
static aug_status train(const aug_table *t, const aug_smote_params *p, unsigned char *flags,
                        aug_error *err)
{
    (void)t;
    (void)p;
    (void)flags;
    return aug_fail(err, AUG_ERR_ARG, "SVM-SMOTE: this build has no libsvm");
}
#else
static void quiet(const char *s)
{
    (void)s;
}

/* Train on every row; flags[r] = 1 for the rows that are support vectors. */
static aug_status train(const aug_table *t, const aug_smote_params *p, unsigned char *flags,
                        aug_error *err)
{
    size_t n = t->rows, d = t->cols;
    if (n > (size_t)INT32_MAX || d >= (size_t)INT32_MAX || n > SIZE_MAX / (d + 1) /
        sizeof(struct svm_node))
        return aug_fail(err, AUG_ERR_NOMEM, "SVM-SMOTE: %zu rows x %zu columns are too many "
                        "for libsvm", n, d);
    struct svm_node *nodes = malloc(n * (d + 1) * sizeof *nodes);
    struct svm_node **rows = malloc(n * sizeof *rows);
    double *y = malloc(n * sizeof *y);
    int *sv = NULL;
    if (!nodes || !rows || !y) {
        free(nodes);
        free(rows);
        free(y);
        return aug_fail(err, AUG_ERR_NOMEM, "SVM-SMOTE: out of memory copying the table for libsvm");
    }
    double sum = 0.0, sum2 = 0.0;
    for (size_t i = 0; i < n * d; i++)
        sum += t->x[i];
    double mean = sum / (double)(n * d);
    for (size_t i = 0; i < n * d; i++)
        sum2 += (t->x[i] - mean) * (t->x[i] - mean);
    double var = sum2 / (double)(n * d);
    for (size_t r = 0; r < n; r++) {
        rows[r] = nodes + r * (d + 1);
        for (size_t c = 0; c < d; c++)
            rows[r][c] = (struct svm_node){(int)c + 1, t->x[r * d + c]};
        rows[r][d].index = -1;
        y[r] = (double)t->label[r];
    }
    struct svm_problem prob = {(int)n, y, rows};
    struct svm_parameter par;
    memset(&par, 0, sizeof par);
    par.svm_type = C_SVC;
    par.kernel_type = p->svm_kernel == AUG_SVM_LINEAR ? LINEAR : RBF;
    par.gamma = var > 0 ? 1.0 / ((double)d * var) : 1.0;
    par.cache_size = 200;
    par.eps = 1e-3;
    par.C = p->svm_c;
    par.shrinking = 1;
    aug_status st = AUG_OK;
    const char *bad = svm_check_parameter(&prob, &par);
    if (bad) {
        st = aug_fail(err, AUG_ERR_ARG, "SVM-SMOTE: libsvm refuses the problem: %s", bad);
    } else {
        svm_set_print_string_function(quiet);
        struct svm_model *model = svm_train(&prob, &par);
        int nsv = model ? svm_get_nr_sv(model) : 0;
        sv = model ? malloc(((size_t)nsv + 1) * sizeof *sv) : NULL;
        if (!sv) {
            st = aug_fail(err, AUG_ERR_NOMEM, "SVM-SMOTE: out of memory training the SVM");
        } else {
            svm_get_sv_indices(model, sv);
            memset(flags, 0, n);
            for (int i = 0; i < nsv; i++)
                if (sv[i] >= 1 && (size_t)sv[i] <= n)
                    flags[sv[i] - 1] = 1;
        }
        if (model)
            svm_free_and_destroy_model(&model);
    }
    free(sv);
    free(nodes);
    free(rows);
    free(y);
    return st;
}
#endif

aug_status aug_plan_svm(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    const aug_table *t = s->t;
    aug_status st = aug_smp_numeric_only(s, err);
    if (!st)
        st = aug_smp_check_size(s, s->k, "k", err);
    if (st)
        return st;
    if (s->p.m < 1 || !(s->p.out_step >= 0) || !(s->p.svm_c > 0))
        return aug_fail(err, AUG_ERR_ARG, "SVM-SMOTE needs m >= 1, out-step >= 0 and C > 0");
    svm_impl *im = calloc(1, sizeof *im);
    if (!im)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    s->impl = im;
    s->free_impl = svm_impl_free;
    size_t n = s->n, m = s->p.m;
    unsigned char *flags = calloc(t->rows ? t->rows : 1, 1);
    size_t *votes = malloc(n * sizeof *votes);
    im->danger = malloc(n * sizeof *im->danger);
    im->safe = malloc(n * sizeof *im->safe);
    im->dvotes = malloc(n * sizeof *im->dvotes);
    im->svotes = malloc(n * sizeof *im->svotes);
    if (!flags || !votes || !im->danger || !im->safe || !im->dvotes || !im->svotes) {
        free(flags);
        free(votes);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory planning class '%s'", t->classes[s->cls]);
    }
    st = train(t, &s->p, flags, err);
    if (!st)
        st = aug_smp_other_votes(s, m, votes, runner, err);
    size_t nsv = 0;
    for (size_t i = 0; !st && i < n; i++) {
        if (!flags[s->rows[i]])
            continue;
        nsv++;
        if (votes[i] == m)
            continue; /* noise */
        if (2 * votes[i] >= m) {
            im->dvotes[im->nd] = votes[i];
            im->danger[im->nd++] = i;
        } else {
            im->svotes[im->ns] = votes[i];
            im->safe[im->ns++] = i;
        }
    }
    free(flags);
    free(votes);
    if (st)
        return st;
    if (im->nd + im->ns == 0)
        return aug_fail(err, AUG_ERR_ARG,
                        "class '%s': %s; SVM-SMOTE has no base row (try --method borderline1 "
                        "or smote)", t->classes[s->cls],
                        nsv ? "every support vector is noise (all m neighbours of other classes)"
                            : "the SVM kept no support vector of it");
    if ((st = aug_smp_class_knn(s, 0.0, runner, err)))
        return st;
    double f = aug_rng_beta(&s->rng, 10.0, 10.0);
    size_t n1 = (size_t)(f * ((double)s->count + 1.0));
    n1 = n1 > s->count ? s->count : n1;
    im->n1 = im->nd == 0 ? 0 : im->ns == 0 ? s->count : n1;
    s->draw = svm_draw;
    return AUG_OK;
}
