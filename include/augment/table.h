/* augment — the table type: numeric features plus one string label per row. */
#ifndef AUGMENT_TABLE_H
#define AUGMENT_TABLE_H

#include <stddef.h>
#include "augment/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Features are row-major doubles: x[r * cols + c]. Labels are stored as
 * class indices into `classes`, which holds each distinct label once, in
 * sorted order (numerically when every label is a number, otherwise by
 * bytes), as imbalanced-learn's np.unique would list them. The table owns
 * every pointer in it. */
typedef struct aug_table {
    size_t rows;
    size_t cols;          /* feature columns (the label is not one of them) */
    double *x;
    char **names;         /* cols feature column names */
    char *label_name;     /* name of the label column */
    size_t label_pos;     /* where the label column stood in the file, 0-based */
    size_t nclasses;
    char **classes;       /* nclasses distinct labels */
    size_t *label;        /* rows class indices */
    size_t cap_rows;      /* allocated rows (x and label) */
} aug_table;

/* An empty table with the given feature names (copied) and label name. */
aug_status aug_table_init(aug_table *t, size_t cols, const char *const *names,
                          const char *label_name, aug_error *err);
/* Append one row; the label string is looked up (or added) among classes.
 * Appending keeps the classes sorted: adding a class renumbers `label`. */
aug_status aug_table_append(aug_table *t, const double *row, const char *label,
                            aug_error *err);
/* Index of a class by name, or (size_t)-1 when absent. */
size_t aug_table_class_index(const aug_table *t, const char *label);
/* Rows per class: counts[c] for c < nclasses (caller-sized array). */
void aug_table_class_counts(const aug_table *t, size_t *counts);
void aug_table_free(aug_table *t);

#ifdef __cplusplus
}
#endif
#endif
