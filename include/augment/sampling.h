/* augment — multi-sample methods over tables: SMOTE and mixup. */
#ifndef AUGMENT_SAMPLING_H
#define AUGMENT_SAMPLING_H

#include <stddef.h>
#include "augment/error.h"
#include "augment/parallel.h"
#include "augment/rng.h"
#include "augment/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- exact k nearest neighbours (src/kernels/knn.c) ---- */
/* For each of the n points (row-major, dim columns) find its k nearest
 * other points by Euclidean distance, ties broken by lower index.
 * out[i * k + j] is the j-th nearest of point i (0-based into the n points).
 * A k-d tree: O(n) memory beyond the output. Requires k < n. */
aug_status aug_knn_self(const double *points, size_t n, size_t dim, size_t k,
                        size_t *out, aug_error *err);
/* The same, its queries run as independent parts through `runner` (NULL:
 * one after the other); the answer does not depend on how they ran. */
aug_status aug_knn_self_run(const double *points, size_t n, size_t dim, size_t k,
                            size_t *out, const aug_runner *runner, aug_error *err);

/* ---- SMOTE (src/kernels/smote.c) ---- */
/* imbalanced-learn's sampling_strategy, parsed from text:
 * auto | minority | not-minority | not-majority | all | RATIO | CLASS=COUNT,...
 * Fills n_new[c] (nclasses entries) with the rows to synthesise per class. */
aug_status aug_smote_strategy(const aug_table *t, const char *spec,
                              size_t *n_new, aug_error *err);

/* What each synthetic row was made from: input row indices and the gap. */
typedef struct aug_smote_origin {
    size_t base;
    size_t neighbor;
    double gap;
} aug_smote_origin;

/* Append sum(n_new) synthetic rows to *out (initialised by the caller with
 * t's columns, e.g. as a copy of t's header), class by class in class
 * order; origins (may be NULL) receives one entry per synthetic row.
 * Each class draws from its own stream, aug_rng_derive(seed, class, 0), so
 * one class's rows do not depend on the others. k neighbours among the
 * class's own rows; a class with n_new > 0 and n <= k rows is an error
 * naming the class, n and k. */
aug_status aug_smote(const aug_table *t, const size_t *n_new, size_t k,
                     uint64_t seed, aug_table *out, aug_smote_origin *origins,
                     aug_error *err);
/* The same with the neighbour searches run through `runner`. */
aug_status aug_smote_run(const aug_table *t, const size_t *n_new, size_t k, uint64_t seed,
                         aug_table *out, aug_smote_origin *origins, const aug_runner *runner,
                         aug_error *err);

/* ---- mixup on tables (src/kernels/mixup.c) ---- */
typedef struct aug_mixup_origin {
    size_t a, b;   /* input rows mixed */
    double lambda; /* weight of row a */
} aug_mixup_origin;

/* n mixed rows. Row r mixes row (r mod rows) with a partner drawn uniformly
 * from all rows: x = lambda * x_a + (1 - lambda) * x_b, lambda ~
 * Beta(alpha, alpha), each row from its own stream aug_rng_derive(seed,
 * key, r), so any row can be regenerated alone. x receives n * cols
 * features; soft (may be NULL) n * nclasses label weights summing to 1;
 * origins (may be NULL) n entries. */
aug_status aug_mixup_table(const aug_table *t, size_t n, double alpha,
                           uint64_t seed, const char *key, double *x,
                           double *soft, aug_mixup_origin *origins,
                           aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
