/* Internal: what the CSV files share (src/io/csv_*.c).
 *
 * csv_read.c is the streaming reader, csv_number.c the locale-free
 * numbers, csv_table.c the table loader on top of both, csv_write.c the
 * writers. */
#ifndef AUGMENT_IO_CSV_INTERNAL_H
#define AUGMENT_IO_CSV_INTERNAL_H

#include <locale.h>
#include <stddef.h>

#include "augment/csv.h"

/* printf and strtod follow LC_NUMERIC, and a program that called
 * setlocale(LC_ALL, "") in a ',' locale would read "1.5" as 1. So every
 * conversion runs with this thread (only) switched to the "C" locale;
 * a loader or writer enters it once for all its values. */
typedef struct aug_c_locale {
    locale_t c, old;
} aug_c_locale;

/* AUG_ERR_NOMEM if the locale cannot be made; err may be NULL. */
aug_status aug_c_locale_enter(aug_c_locale *l, aug_error *err);
void aug_c_locale_leave(aug_c_locale *l);

/* What aug_csv_parse_double and aug_csv_format_double do, for callers
 * that are already in the "C" locale. Parsing returns 0, -1 if the text is
 * not a decimal number, or -2 if it is one out of range (it would be
 * infinite), so that the loader can say which. */
int aug_csv_parse_c(const char *s, double *out);
/* Writes at most AUG_CSV_NUMBUF bytes with the NUL. */
int aug_csv_format_c(char *b, double v, int precision);

/* "-1.2345678901234567e-308" is 24 bytes; the printer copies digits 17 at a
 * time and may write past its text (never past this). */
#define AUG_CSV_NUMBUF 48

/* The reader and the writer reject the same delimiters: the ones that
 * would make a record ambiguous. */
aug_status aug_csv_check_delimiter(char d, aug_error *err);

/* For the loader's messages: the input's name, and where field i of the
 * last record began. Past its last field, where the record ended (its
 * newline, or EOF): where field i was due. */
const char *aug_csv_name(const aug_csv_reader *r);
void aug_csv_where(const aug_csv_reader *r, size_t i, size_t *line,
                   size_t *col);

#endif
