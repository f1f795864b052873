/* augment — the table type: feature columns plus one string label per row. */
#ifndef AUGMENT_TABLE_H
#define AUGMENT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "augment/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The categories of one categorical column, in byte order of their text.
 * A category is its text (quotes removed); `raw` keeps the bytes of its
 * first cell in the input (quotes and all), which is what is written back. */
typedef struct aug_categories {
    size_t n;
    char **text;
    char **raw;
    void *index; /* private: the lookup by text */
} aug_categories;

/* Features are row-major doubles: x[r * cols + c]; a categorical column
 * holds its category's number (0 .. n-1, in the order of cats[c]). Labels
 * are stored as class indices into `classes`, which holds each distinct
 * label once, in sorted order (numerically when every label is a number,
 * otherwise by bytes), as imbalanced-learn's np.unique would list them.
 * The table owns every pointer in it. */
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
    size_t cap_rows;      /* allocated rows (x, label, source) */
    unsigned char *categorical; /* cols flags; NULL: every column numeric */
    aug_categories *cats; /* cols entries, used where categorical */
    size_t *source;       /* input row of each row; NULL: row r is input row r */
    char delimiter;       /* of the file the raw category bytes come from (0: none) */
} aug_table;

/* An empty table with the given feature names (copied) and label name. */
aug_status aug_table_init(aug_table *t, size_t cols, const char *const *names,
                          const char *label_name, aug_error *err);
/* Append one row; the label string is looked up (or added) among classes.
 * Appending keeps the classes sorted: adding a class renumbers `label`. */
aug_status aug_table_append(aug_table *t, const double *row, const char *label,
                            aug_error *err);
/* Add classes that have no rows (yet); known ones are ignored. */
aug_status aug_table_add_classes(aug_table *t, const char *const *labels, size_t n,
                                 aug_error *err);
/* Index of a class by name, or (size_t)-1 when absent. */
size_t aug_table_class_index(const aug_table *t, const char *label);
/* Rows per class: counts[c] for c < nclasses (caller-sized array). */
void aug_table_class_counts(const aug_table *t, size_t *counts);

/* Make column c categorical (before it holds values). */
aug_status aug_table_set_categorical(aug_table *t, size_t c, aug_error *err);
int aug_table_is_categorical(const aug_table *t, size_t c);
/* Number of categorical columns. */
size_t aug_table_ncategorical(const aug_table *t);
/* The number of category `text` (len bytes) in column c, added when new
 * with `raw` (raw_len bytes; NULL: the text itself) as its written form.
 * New categories are numbered in order of arrival until
 * aug_table_sort_categories puts them in byte order. */
aug_status aug_table_category(aug_table *t, size_t c, const char *text, size_t len,
                              const char *raw, size_t raw_len, uint32_t *code,
                              aug_error *err);
/* Renumber every categorical column's categories in byte order of their
 * text, rewriting the rows' codes. */
aug_status aug_table_sort_categories(aug_table *t, aug_error *err);
/* Record where row r came from (allocates `source` on first use). */
aug_status aug_table_set_source(aug_table *t, size_t r, size_t input_row, aug_error *err);
/* The input row of row r. */
size_t aug_table_source(const aug_table *t, size_t r);

/* A copy of t's columns (names, label, categorical columns with their
 * categories) without rows or classes. */
aug_status aug_table_init_like(aug_table *out, const aug_table *t, aug_error *err);
void aug_table_free(aug_table *t);

#ifdef __cplusplus
}
#endif
#endif
