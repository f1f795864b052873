/* CSV writers: one record, or a table's header and rows in the column
 * layout it was read in (the label back at label_pos). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_internal.h"

aug_status aug_csv_write_record(FILE *fp, char delimiter,
                                const char *const *fields, size_t n,
                                aug_error *err)
{
    if (!fp || !fields || n == 0)
        return aug_fail(err, AUG_ERR_ARG, "a CSV record needs at least one field");
    aug_status st = aug_csv_check_delimiter(delimiter, err);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        const char *s = fields[i] ? fields[i] : "";
        if (i)
            putc(delimiter, fp);
        /* A lone empty field would be a blank line, which readers skip. */
        int quote = n == 1 && !*s;
        for (const char *p = s; *p && !quote; p++)
            quote = *p == delimiter || *p == '"' || *p == '\r' || *p == '\n';
        if (!quote) {
            fputs(s, fp);
            continue;
        }
        putc('"', fp);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putc('"', fp);
            putc(*p, fp);
        }
        putc('"', fp);
    }
    putc('\n', fp);
    if (ferror(fp))
        return aug_fail(err, AUG_ERR_IO, "cannot write CSV: %s", strerror(errno));
    return AUG_OK;
}

/* Where the label goes among the cols + 1 fields written: at label_pos,
 * or last if that is out of range. Feature c is then field c, or c + 1
 * from the label on. */
static size_t label_at(const aug_table *t)
{
    return t->label_pos < t->cols ? t->label_pos : t->cols;
}

aug_status aug_csv_write_header(FILE *fp, const aug_table *t, char delimiter,
                                aug_error *err)
{
    if (!t || !t->cols)
        return aug_fail(err, AUG_ERR_ARG, "no table to write");
    size_t n = t->cols + 1;
    if (n > SIZE_MAX / sizeof(char *))
        return aug_fail(err, AUG_ERR_NOMEM, "too many columns");
    const char **f = malloc(n * sizeof *f);
    if (!f)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory writing a header");
    size_t at = label_at(t);
    for (size_t j = 0; j < n; j++)
        f[j] = j == at ? t->label_name : t->names[j - (j > at)];
    aug_status st = aug_csv_write_record(fp, delimiter, f, n, err);
    free(f);
    return st;
}

aug_status aug_csv_write_rows(FILE *fp, const aug_table *t, size_t from,
                              size_t to, char delimiter, int precision,
                              aug_error *err)
{
    if (!t || !t->cols || from > to || to > t->rows)
        return aug_fail(err, AUG_ERR_ARG, "rows [%zu, %zu) are not in the table",
                        from, to);
    size_t n = t->cols + 1;
    if (n > SIZE_MAX / AUG_CSV_NUMBUF)
        return aug_fail(err, AUG_ERR_NOMEM, "too many columns");
    const char **f = malloc(n * sizeof *f);
    char *text = malloc(t->cols * AUG_CSV_NUMBUF);
    aug_c_locale l;
    int have_locale = 0;
    aug_status st = AUG_OK;
    if (!f || !text) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory writing a row");
        goto out;
    }
    if ((st = aug_c_locale_enter(&l, err)))
        goto out;
    have_locale = 1;
    size_t at = label_at(t);
    for (size_t r = from; r < to && !st; r++) {
        if (t->label[r] >= t->nclasses) {
            st = aug_fail(err, AUG_ERR_ARG, "row %zu has no valid class", r);
            break;
        }
        const double *x = t->x + r * t->cols;
        for (size_t j = 0; j < n; j++) {
            if (j == at) {
                f[j] = t->classes[t->label[r]];
                continue;
            }
            size_t c = j - (j > at);
            aug_csv_format_c(text + c * AUG_CSV_NUMBUF, x[c], precision);
            f[j] = text + c * AUG_CSV_NUMBUF;
        }
        st = aug_csv_write_record(fp, delimiter, f, n, err);
    }
out:
    if (have_locale)
        aug_c_locale_leave(&l);
    free(f);
    free(text);
    return st;
}
