/* augment — multi-sample methods over tables: neighbours, the SMOTE family,
 * undersampling, mixup. Nothing here reads text: class counts come from the
 * caller, and a sampling strategy given as text is turned into counts by
 * aug_sampling_strategy (src/core/strategy.c) before any kernel runs. */
#ifndef AUGMENT_SAMPLING_H
#define AUGMENT_SAMPLING_H

#include <stddef.h>
#include <stdint.h>
#include "augment/error.h"
#include "augment/parallel.h"
#include "augment/rng.h"
#include "augment/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "No row": a missing index in origins and neighbour lists. */
#define AUG_NO_ROW ((size_t)-1)

/* ---- sampling strategies (src/core/strategy.c) ---- */
typedef enum aug_strategy_kind {
    AUG_STRATEGY_OVER,  /* target[c] = rows to add to class c */
    AUG_STRATEGY_UNDER, /* target[c] = rows of class c to keep */
    AUG_STRATEGY_CLEAN, /* target[c] = 1 when class c may lose rows (Tomek, ENN) */
} aug_strategy_kind;

/* imbalanced-learn's sampling_strategy from text, over classes with the
 * given row counts (classes in the table's order):
 *   over:  auto | minority | not-minority | not-majority | all | RATIO | CLASS=COUNT,...
 *   under: auto | majority | not-minority | not-majority | all | RATIO | CLASS=COUNT,...
 *   clean: auto | majority | not-minority | not-majority | all
 * (auto is not-majority for over-sampling, not-minority otherwise; RATIO is
 * minority/majority after resampling, two classes only). Errors name the
 * offending text and what is allowed. */
aug_status aug_sampling_strategy(const size_t *counts, const char *const *classes,
                                 size_t nclasses, const char *spec, aug_strategy_kind kind,
                                 size_t *target, aug_error *err);

/* ---- exact k nearest neighbours (src/kernels/knn*.c) ---- */

/* Points to search: n rows of dim continuous coordinates (row-major) and
 * ncat categorical codes (row-major). The distance of a and b is
 *   sum over j in order of (a_j - b_j)^2
 *   + sum over c in order of  mismatch if a_c != b_c   (catdist == NULL)
 *                         or  catdist[c][a_c * ncodes[c] + b_c]
 * (the two sums added last). Ties are broken by the lower index. */
typedef struct aug_points {
    const double *x;
    size_t n, dim;
    const uint32_t *cat;
    size_t ncat;
    double mismatch;
    const double *const *catdist;
    const size_t *ncodes;
} aug_points;

/* For each query the k nearest reference points, nearest first:
 * out[i * k + j]. queries == NULL: the reference points themselves, each
 * excluding itself. Otherwise self (may be NULL) names per query a
 * reference point it must not return (or AUG_NO_ROW). A k-d tree in few
 * dimensions, a blocked scan of all pairs in many; exact either way, and
 * the same answer whatever runner runs the parts on. */
aug_status aug_knn(const aug_points *ref, size_t k, const aug_points *queries,
                   const size_t *self, size_t *out, const aug_runner *runner, aug_error *err);
/* Plain continuous points, each against the others. */
aug_status aug_knn_self(const double *points, size_t n, size_t dim, size_t k,
                        size_t *out, aug_error *err);
aug_status aug_knn_self_run(const double *points, size_t n, size_t dim, size_t k,
                            size_t *out, const aug_runner *runner, aug_error *err);

/* ---- the SMOTE family (src/kernels/smote.c and one file per method) ---- */

typedef enum aug_smote_method {
    AUG_SMOTE,             /* Chawla 2002; SMOTE-NC when the table has categorical columns */
    AUG_SMOTE_BORDERLINE1, /* Han 2005 */
    AUG_SMOTE_BORDERLINE2,
    AUG_SMOTE_SVM,         /* Nguyen 2011, SVM by libsvm */
    AUG_ADASYN,            /* He 2008 */
    AUG_SMOTE_KMEANS,      /* Douzas 2018 */
    AUG_SMOTEN,            /* Chawla 2002, categorical only, value difference metric */
    AUG_POLYFIT,           /* polynom-fit-SMOTE, Gazzah 2008 */
    AUG_PROWSYN,           /* Barua 2013 */
    AUG_SMOTE_IPF,         /* Saez 2015: SMOTE, then aug_ipf_filter */
} aug_smote_method;

typedef enum aug_topology { AUG_TOPO_STAR, AUG_TOPO_BUS, AUG_TOPO_MESH } aug_topology;
typedef enum aug_svm_kernel { AUG_SVM_RBF, AUG_SVM_LINEAR } aug_svm_kernel;

/* imbalanced-learn's defaults where it has the method (aug_smote_defaults). */
typedef struct aug_smote_params {
    aug_smote_method method;
    size_t k;              /* neighbours to interpolate with: 5 (k-means SMOTE: 2) */
    size_t m;              /* borderline, svm: neighbours that judge danger: 10 */
    double out_step;       /* svm: extrapolation step for safe support vectors: 0.5 */
    aug_svm_kernel svm_kernel; /* rbf (gamma = 1 / (features * variance), sklearn's
                                  "scale") */
    double svm_c;          /* 1.0 */
    size_t clusters;       /* k-means SMOTE: 8 */
    double balance;        /* k-means SMOTE cluster balance threshold; < 0: auto */
    double density_exponent; /* k-means SMOTE; <= 0: auto, log_1.6(features)^1.8 * 0.16 */
    aug_topology topology; /* polynom-fit: star */
    size_t levels;         /* ProWSyn proximity levels: 5 */
    double theta;          /* ProWSyn weight decay: 1.0 */
    size_t ipf_folds;      /* SMOTE-IPF partitions: 9 */
    size_t ipf_rounds;     /* stop after this many rounds in a row remove < p: 3 */
    double ipf_p;          /* 0.01 */
    uint64_t seed;
    /* Rows per class in the whole input, when t holds only some classes
     * (a streamed table): majority and minority are judged on these. NULL:
     * t's own counts. */
    const size_t *class_counts;
    /* Rows added over all classes (k-means SMOTE's automatic balance
     * threshold); 0: this class's n_new. */
    size_t total_new;
} aug_smote_params;

void aug_smote_defaults(aug_smote_params *p, aug_smote_method method);
/* "smote", "borderline1", ... -> method; -1 when unknown. And back. */
int aug_smote_method_from_name(const char *name);
const char *aug_smote_method_name(aug_smote_method m);

/* How one synthetic row was made. The continuous columns are
 *   x = x[base] + gap * (x[partner] - x[base])
 * (partner AUG_NO_ROW: the class mean, polynom-fit's star). Categorical
 * columns hold the most frequent category among the rows from[0..nfrom)
 * (ties broken by the class's stream). `what`/`value` say what else the
 * method decided ("danger" 1, "weight" 0.25, "level" 2, ...; what NULL:
 * nothing). Indices are rows of the table given to the sampler; `from`
 * points into the sampler and is valid until it is freed. */
typedef struct aug_origin {
    size_t base, partner;
    double gap;
    const size_t *from;
    size_t nfrom;
    const char *what;
    double value;
} aug_origin;

typedef struct aug_sampler aug_sampler;

/* Plan the growth of class cls of t by n_new rows. Depending on the method
 * t must hold the class's rows (SMOTE, SMOTE-NC, polynom-fit) or every row
 * (the others, which look at the other classes too). Each class draws from
 * its own stream, aug_rng_derive(seed, class name, 0), so one class's rows
 * do not depend on the others. Errors name the class, its size and what
 * the method needs. */
aug_status aug_sampler_new(aug_sampler **s, const aug_table *t, size_t cls, size_t n_new,
                           const aug_smote_params *p, const aug_runner *runner,
                           aug_error *err);
/* Rows it will make: n_new, except where the method decides otherwise as
 * imbalanced-learn does (ADASYN rounds per row; Borderline-SMOTE makes
 * none when no row is in danger). */
size_t aug_sampler_count(const aug_sampler *s);
/* A note on the plan for the user (e.g. "no row in danger"), or NULL. */
const char *aug_sampler_note(const aug_sampler *s);
/* The next n rows (row-major, t->cols values each; categorical columns get
 * category codes) and their origins (o may be NULL). Drawing in several
 * calls gives the same rows as one call. */
aug_status aug_sampler_draw(aug_sampler *s, size_t n, double *x, aug_origin *o,
                            aug_error *err);
void aug_sampler_free(aug_sampler *s);

/* Every class c grown by n_new[c] rows, class by class, appended to *out
 * (initialised by the caller with t's columns, e.g. aug_table_init_like;
 * it may be t itself); origins (may be NULL) gets one entry per row made,
 * indices into t, with `from` NULL (the samplers are gone by then). */
aug_status aug_smote(const aug_table *t, const size_t *n_new, const aug_smote_params *p,
                     aug_table *out, aug_origin *origins, const aug_runner *runner,
                     aug_error *err);

/* ---- cleaning and undersampling (src/kernels/undersample.c, ipf.c) ---- */

/* Each of these clears keep[r] for the rows it removes (keep holds
 * t->rows flags, set by the caller) and adds nothing. */

/* Keep `keep` of `total` rows met one after another, a uniform choice
 * (Knuth's selection sampling: each row is kept with probability
 * still-to-keep / still-to-come), one draw per row from the stream
 * aug_rng_derive(seed, class name, 1). Needs no memory, so a caller can
 * decide row by row while streaming. */
typedef struct aug_selector {
    aug_rng rng;
    size_t need, left;
} aug_selector;
void aug_selector_init(aug_selector *s, uint64_t seed, const char *class_name, size_t total,
                       size_t keep);
/* 1: keep the next row, 0: drop it. */
int aug_selector_next(aug_selector *s);

/* imbalanced-learn's RandomUnderSampler: class c keeps want[c] of its kept
 * rows (AUG_NO_ROW: all), an aug_selector over them in row order. */
aug_status aug_undersample_random(const aug_table *t, const size_t *want, uint64_t seed,
                                  unsigned char *keep, aug_error *err);
/* TomekLinks: a pair of rows of different classes that are each other's
 * nearest neighbour; the row of the pair whose class has clean[c] goes. */
aug_status aug_tomek_links(const aug_table *t, const unsigned char *clean,
                           unsigned char *keep, const aug_runner *runner, aug_error *err);
/* EditedNearestNeighbours (kind_sel='all'): a row of a class with clean[c]
 * goes when any of its k (3) nearest neighbours is of another class. */
aug_status aug_enn(const aug_table *t, size_t k, const unsigned char *clean,
                   unsigned char *keep, const aug_runner *runner, aug_error *err);
/* SMOTE-IPF's iterative-partitioning filter: split the kept rows into
 * folds (stratified, from stream aug_rng_derive(seed, "ipf", round)), grow
 * a decision tree on each fold, remove the rows that most trees
 * misclassify; stop once `rounds` rounds in a row removed fewer than p
 * times the rows. */
aug_status aug_ipf_filter(const aug_table *t, size_t folds, size_t rounds, double p,
                          uint64_t seed, unsigned char *keep, aug_error *err);

/* ---- mixup on tables (src/kernels/mixup.c) ---- */
typedef struct aug_mixup_origin {
    size_t a, b;   /* input rows mixed */
    double lambda; /* weight of row a */
} aug_mixup_origin;

/* n mixed rows. Row r mixes row (r mod rows) with a partner drawn uniformly
 * from all rows: x = lambda * x_a + (1 - lambda) * x_b, lambda ~
 * Beta(alpha, alpha), each row from its own stream aug_rng_derive(seed,
 * key, r), so any row can be regenerated alone. Mixing categories has no
 * meaning: a table with categorical columns is refused unless
 * categorical_from says whose category to keep: 'a' (row a's), 'b' (row
 * b's) or 'w' (the row with the larger weight: a when lambda >= 0.5).
 * x receives n * cols values (category codes in categorical columns);
 * soft (may be NULL) n * nclasses label weights summing to 1; origins
 * (may be NULL) n entries. */
aug_status aug_mixup_table(const aug_table *t, size_t n, double alpha, uint64_t seed,
                           const char *key, int categorical_from, double *x, double *soft,
                           aug_mixup_origin *origins, aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
