/* Internal: the per-class sampler every SMOTE-family method fills in
 * (src/kernels/smote.c holds the common parts; one file per method). */
#ifndef AUGMENT_KERNELS_SAMPLER_INTERNAL_H
#define AUGMENT_KERNELS_SAMPLER_INTERNAL_H

#include "augment/sampling.h"

/* New rows must round as written in every build, so that a reader can
 * recompute them from the manifest: no fused multiply-add. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

struct aug_sampler {
    const aug_table *t;
    size_t cls, cols;
    aug_smote_params p;
    aug_rng rng;           /* the class's stream */
    size_t count, drawn;   /* rows it makes, rows made so far */
    const char *note;
    char notebuf[200];
    size_t n;              /* the class's rows in t ... */
    size_t *rows;          /* ... and which they are */
    size_t k;
    size_t *nn;            /* n x k: each class row's neighbours in the class (t rows) */
    size_t ncat;           /* categorical columns ... */
    size_t *catcols;       /* ... and which they are */
    uint32_t *votes;       /* scratch for the mode */
    size_t nvotes;
    double *mean;          /* the class mean (polynom-fit star) */
    void *impl;            /* the method's own plan */
    aug_status (*draw)(aug_sampler *s, double *x, aug_origin *o, aug_error *err);
    /* optional: n rows at once, the same draws in the same order as n
     * calls of draw (o may be NULL) */
    void (*draw_many)(aug_sampler *s, size_t n, double *x, aug_origin *o);
    void (*free_impl)(void *impl);
};

/* Common parts (smote.c). */
aug_status aug_smp_class_rows(aug_sampler *s, aug_error *err);
/* The class's k nearest neighbours among its own rows, into s->nn; with
 * categorical columns the SMOTE-NC distance (mismatch per differing
 * column). */
aug_status aug_smp_class_knn(aug_sampler *s, double mismatch, const aug_runner *runner,
                         aug_error *err);
/* "class 'x' has n rows; <method> needs more than k" and the like. */
aug_status aug_smp_check_size(aug_sampler *s, size_t need, const char *what, aug_error *err);
/* x = x[base] + gap * (x[partner] - x[base]) on the continuous columns
 * (partner AUG_NO_ROW: towards s->mean); categorical columns from the mode
 * of from[0..nfrom) (ties by the stream). */
aug_status aug_smp_make(aug_sampler *s, size_t base, size_t partner, double gap,
                    const size_t *from, size_t nfrom, double *x, aug_error *err);
/* Continuous columns of t as a dense n x dim array for the rows given
 * (dim = continuous columns), and their codes (n x ncat). */
aug_status aug_smp_gather(const aug_table *t, const size_t *rows, size_t n, double **x,
                      size_t *dim, uint32_t **cat, size_t *ncat, aug_error *err);
/* For the rows q[0..nq) of t, their m nearest among the rows ref[0..nr)
 * (ref NULL: every row of t), on the continuous columns, a row never its
 * own neighbour; out gets nq x m rows of t. */
aug_status aug_smp_knn_among(const aug_table *t, const size_t *ref, size_t nr, const size_t *q,
                         size_t nq, size_t m, size_t *out, const aug_runner *runner,
                         aug_error *err);
/* How many of each class row's m nearest rows in the whole table (itself
 * excluded) are of other classes: votes[i] for class row i
 * (borderline.c). */
aug_status aug_smp_other_votes(aug_sampler *s, size_t m, size_t *votes, const aug_runner *runner,
                           aug_error *err);
/* Refuse categorical columns for a method that cannot use them. */
aug_status aug_smp_numeric_only(aug_sampler *s, aug_error *err);
/* Counts per class: the caller's class_counts, else the table's. */
aug_status aug_smp_counts(const aug_sampler *s, size_t **counts, aug_error *err);
/* Split `total` into parts proportional to w[0..n) (summing to total; the
 * largest remainders, then the lower index, get the extra rows). */
void aug_smp_apportion(const double *w, size_t n, size_t total, size_t *out);

/* One plan per method: sets count, draw (and impl/free_impl). */
aug_status aug_plan_smote(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_smoten(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_borderline(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_adasyn(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_svm(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_kmeans(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_polyfit(aug_sampler *s, const aug_runner *runner, aug_error *err);
aug_status aug_plan_prowsyn(aug_sampler *s, const aug_runner *runner, aug_error *err);

/* k-means++ and Lloyd (kmeans.c): labels[i] in 0..k-1 for n points. */
aug_status aug_kmeans(const double *x, size_t n, size_t dim, size_t k, aug_rng *rng,
                      size_t *labels, aug_error *err);

#endif
