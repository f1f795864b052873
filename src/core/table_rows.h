/* Internal: appending many rows to a table at once (src/core/table.c). */
#ifndef AUGMENT_CORE_TABLE_ROWS_H
#define AUGMENT_CORE_TABLE_ROWS_H

#include "augment/table.h"

/* Append n rows (x holds n * t->cols values, row-major) and their labels.
 * The same result as n calls to aug_table_append, but the new classes are
 * sorted in once per call: a label column with many distinct values (a
 * wrong --label, a numeric target) costs O(n log n), not a renumbering of
 * every row for each new class. */
aug_status aug_table_append_rows(aug_table *t, const double *x,
                                 const char *const *labels, size_t n,
                                 aug_error *err);

#endif
