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
    const char *categorical; /* columns kept as text even if they look numeric:
                            names or 0-based indices, comma separated; NULL:
                            none (a column whose first value is not a number
                            is categorical anyway) */
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
/* A cell of a record: its value (quotes removed, "" unescaped, CRLF folded
 * to LF; not NUL-terminated) and its bytes exactly as in the input. */
typedef struct aug_csv_cell {
    const char *s;
    size_t len;
    const char *raw;
    size_t raw_len;
} aug_csv_cell;
/* aug_csv_next without copies: *cells (valid until the next call) point
 * into the reader's buffer. */
aug_status aug_csv_next_cells(aug_csv_reader *r, const aug_csv_cell **cells, size_t *n,
                              aug_error *err);
/* The last record's bytes as in the input: *len of them with its line end
 * (LF or CRLF; none when the input ends without one), *body (may be NULL)
 * without it. NULL when there is no record. */
const char *aug_csv_raw_record(const aug_csv_reader *r, size_t *len, size_t *body);
/* The input began with a UTF-8 byte order mark (skipped by the reader). */
int aug_csv_had_bom(const aug_csv_reader *r);
/* 1-based line number where the last record returned started. */
size_t aug_csv_line(const aug_csv_reader *r);
void aug_csv_close(aug_csv_reader *r);

/* Parse a whole feature value: a finite decimal number, locale-free.
 * Returns 0 on success, -1 if the text is not a finite number. */
int aug_csv_parse_double(const char *s, double *out);
/* Shortest text that reads back to exactly v ("%.17g" at worst), or with
 * `precision` significant digits when precision > 0. Returns the length. */
int aug_csv_format_double(char *buf, size_t size, double v, int precision);

/* What a first reading of a labelled table finds. */
typedef struct aug_csv_scan {
    size_t ncols;            /* fields per record */
    size_t label;            /* the label's field */
    char **names;            /* ncols column names (c0, c1, ... without a header) */
    unsigned char *categorical; /* ncols flags: feature columns kept as text */
    size_t rows;             /* data rows */
    size_t nclasses;
    char **classes;          /* sorted as aug_table sorts them */
    size_t *counts;          /* rows per class */
    int bom;                 /* the input began with a UTF-8 byte order mark */
    const char *eol;         /* "\r\n" when the first record ended so, else "\n" */
    char *label_hint;        /* a guess for messages ("is 'x' the label?"), or NULL */
} aug_csv_scan;

/* Called for every record of a scan: row is the data row's index, or
 * AUG_CSV_HEADER for the header. raw holds the record's bytes as in the
 * input, with its line end. A non-zero status stops the scan. */
#define AUG_CSV_HEADER ((size_t)-1)
typedef aug_status (*aug_csv_record_fn)(void *ctx, size_t row, const aug_csv_cell *cells,
                                        size_t n, const char *raw, size_t raw_len,
                                        aug_error *err);

/* Read the whole table once: every row checked (field counts, numbers,
 * labels), columns typed, classes counted. each (may be NULL) sees every
 * record. Nothing is kept but the scan. */
aug_status aug_csv_scan_table(FILE *fp, const char *name, const aug_csv_options *o,
                              aug_csv_scan *scan, aug_csv_record_fn each, void *ctx,
                              aug_error *err);
void aug_csv_scan_free(aug_csv_scan *scan);
/* Read it again into *t, keeping only the rows of the classes c with
 * keep[c] (keep NULL: every row); t gets every class of the scan, and
 * t->source the input row of each row kept. each (may be NULL) sees every
 * record, kept or not, as in aug_csv_scan_table. */
aug_status aug_csv_load_rows(aug_table *t, FILE *fp, const char *name,
                             const aug_csv_options *o, const aug_csv_scan *scan,
                             const unsigned char *keep, aug_csv_record_fn each, void *ctx,
                             aug_error *err);
/* Load a labelled table (both readings; a stream that cannot seek is first
 * copied to a temporary file). */
aug_status aug_csv_load_table(aug_table *t, FILE *fp, const char *name,
                              const aug_csv_options *o, aug_error *err);
/* A temporary file holding the rest of fp, rewound; NULL on error. */
FILE *aug_csv_spool(FILE *fp, aug_error *err);

/* Write one record, quoting fields that contain the delimiter, a quote, CR
 * or LF. Returns AUG_ERR_IO on a write error. */
aug_status aug_csv_write_record(FILE *fp, char delimiter,
                                const char *const *fields, size_t n,
                                aug_error *err);
/* A buffered writer: fields separated by `delimiter`, records ended by
 * `eol` ("\n" or "\r\n"). Numbers are written as aug_csv_format_double
 * writes them; a field is quoted when it holds the delimiter, a quote, CR
 * or LF. Errors of the stream are reported when the buffer is written. */
typedef struct aug_csv_writer aug_csv_writer;
aug_status aug_csv_writer_open(aug_csv_writer **w, FILE *fp, char delimiter, const char *eol,
                               aug_error *err);
/* Bytes as they are (a record copied from the input). */
aug_status aug_csv_writer_raw(aug_csv_writer *w, const char *s, size_t n, aug_error *err);
/* The next field of the record: text (quoted as needed), bytes already in
 * CSV form (raw), or a number. */
aug_status aug_csv_writer_text(aug_csv_writer *w, const char *s, size_t n, aug_error *err);
aug_status aug_csv_writer_field_raw(aug_csv_writer *w, const char *s, size_t n,
                                    aug_error *err);
aug_status aug_csv_writer_number(aug_csv_writer *w, double v, int precision, aug_error *err);
aug_status aug_csv_writer_end(aug_csv_writer *w, aug_error *err);
/* One row of t's layout (label at label_pos): x holds t->cols values
 * (category numbers in categorical columns, written as their raw bytes
 * when t->delimiter is the writer's, else as text), cls the class. */
aug_status aug_csv_writer_row(aug_csv_writer *w, const aug_table *t, const double *x,
                              size_t cls, int precision, aug_error *err);
/* Write out what is buffered; the stream stays open. */
aug_status aug_csv_writer_flush(aug_csv_writer *w, aug_error *err);
/* Flush and free; *w = NULL. */
aug_status aug_csv_writer_close(aug_csv_writer **w, aug_error *err);
/* Free without writing what is buffered (the output is being thrown away,
 * its stream may be closed already); *w = NULL. */
void aug_csv_writer_discard(aug_csv_writer **w);

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
