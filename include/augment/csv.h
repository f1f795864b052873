/* augment — CSV reading and writing (RFC 4180), our own parser.
 *
 * Numbers are parsed and printed independently of the process locale.
 * The reader streams row by row (aug_csv_next); aug_csv_load_table builds
 * an aug_table on top of it. Errors name the file, line and column. */
#ifndef AUGMENT_CSV_H
#define AUGMENT_CSV_H

#include <stdio.h>
#include "augment/error.h"
#include "augment/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aug_csv_options {
    char delimiter;      /* default ',' */
    int header;          /* 1 (default): the first row names the columns;
                            0: columns are named c0, c1, ... */
    const char *label;   /* label column by name or 0-based index; NULL = last */
} aug_csv_options;

void aug_csv_options_default(aug_csv_options *o);

/* A streaming reader over a FILE (the caller keeps ownership of fp). */
typedef struct aug_csv_reader aug_csv_reader;

/* `name` is used in messages ("-" for stdin). */
aug_status aug_csv_open(aug_csv_reader **r, FILE *fp, const char *name,
                        char delimiter, aug_error *err);
/* Read the next record. On success *fields points to *nfields
 * NUL-terminated strings owned by the reader, valid until the next call;
 * *nfields is 0 at end of input. Quotes are removed, "" unescaped, a UTF-8
 * BOM at the start and CR before LF are dropped, blank lines are skipped. */
aug_status aug_csv_next(aug_csv_reader *r, char ***fields, size_t *nfields,
                        aug_error *err);
/* 1-based line number where the last record returned started. */
size_t aug_csv_line(const aug_csv_reader *r);
void aug_csv_close(aug_csv_reader *r);

/* Parse a whole feature value: a finite decimal number, locale-free.
 * Returns 0 on success, -1 if the text is not a finite number. */
int aug_csv_parse_double(const char *s, double *out);
/* Shortest text that reads back to exactly v ("%.17g" at worst), or with
 * `precision` significant digits when precision > 0. Returns the length. */
int aug_csv_format_double(char *buf, size_t size, double v, int precision);

/* Load a labelled table: every column but the label must be numeric. */
aug_status aug_csv_load_table(aug_table *t, FILE *fp, const char *name,
                              const aug_csv_options *o, aug_error *err);

/* Write one record, quoting fields that contain the delimiter, a quote, CR
 * or LF. Returns AUG_ERR_IO on a write error. */
aug_status aug_csv_write_record(FILE *fp, char delimiter,
                                const char *const *fields, size_t n,
                                aug_error *err);
/* Write a table's header (features with the label at label_pos) and then
 * rows [from, to) in the same layout; precision as aug_csv_format_double. */
aug_status aug_csv_write_header(FILE *fp, const aug_table *t, char delimiter,
                                aug_error *err);
aug_status aug_csv_write_rows(FILE *fp, const aug_table *t, size_t from,
                              size_t to, char delimiter, int precision,
                              aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
