/* CSV writers: a buffered record writer, and a table's header and rows in
 * the column layout it was read in (the label back at label_pos).
 *
 * The buffer is written with fwrite when full, so a table of millions of
 * rows costs a few hundred calls, not one per field. Numbers go straight
 * into the buffer (aug_csv_format_c needs no locale for the shortest
 * digits; a --precision number switches this thread to the "C" locale for
 * the one printf it takes). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_internal.h"

#define WBUF (256u << 10)

struct aug_csv_writer {
    FILE *fp;
    char delim;
    char eol[3];
    size_t eol_len;
    int fields;          /* in the record so far */
    int number_safe;     /* no printed number can hold the delimiter */
    locale_t c;          /* for --precision, made on first use */
    char *buf;
    size_t len;
};

aug_status aug_csv_writer_open(aug_csv_writer **w, FILE *fp, char delimiter, const char *eol,
                               aug_error *err)
{
    *w = NULL;
    if (!fp)
        return aug_fail(err, AUG_ERR_ARG, "no output stream given");
    aug_status st = aug_csv_check_delimiter(delimiter, err);
    if (st)
        return st;
    aug_csv_writer *wr = calloc(1, sizeof *wr);
    if (!wr || !(wr->buf = malloc(WBUF))) {
        free(wr);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a CSV writer");
    }
    wr->fp = fp;
    wr->delim = delimiter;
    if (eol && strcmp(eol, "\r\n") == 0)
        memcpy(wr->eol, "\r\n", 3);
    else
        memcpy(wr->eol, "\n", 2);
    wr->eol_len = strlen(wr->eol);
    wr->number_safe = !strchr("0123456789.eE+-infa", delimiter);
    *w = wr;
    return AUG_OK;
}

aug_status aug_csv_writer_flush(aug_csv_writer *w, aug_error *err)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->fp) != w->len) {
        w->len = 0;
        return aug_fail(err, AUG_ERR_IO, "cannot write CSV: %s", strerror(errno));
    }
    w->len = 0;
    if (ferror(w->fp))
        return aug_fail(err, AUG_ERR_IO, "cannot write CSV: %s", strerror(errno));
    return AUG_OK;
}

aug_status aug_csv_writer_close(aug_csv_writer **w, aug_error *err)
{
    if (!w || !*w)
        return AUG_OK;
    aug_status st = aug_csv_writer_flush(*w, err);
    if ((*w)->c)
        freelocale((*w)->c);
    free((*w)->buf);
    free(*w);
    *w = NULL;
    return st;
}

void aug_csv_writer_discard(aug_csv_writer **w)
{
    if (!w || !*w)
        return;
    if ((*w)->c)
        freelocale((*w)->c);
    free((*w)->buf);
    free(*w);
    *w = NULL;
}

/* Room for n more bytes (n <= WBUF), flushing if needed. */
static aug_status room(aug_csv_writer *w, size_t n, aug_error *err)
{
    return WBUF - w->len >= n ? AUG_OK : aug_csv_writer_flush(w, err);
}

aug_status aug_csv_writer_raw(aug_csv_writer *w, const char *s, size_t n, aug_error *err)
{
    if (n > WBUF / 2) {
        aug_status st = aug_csv_writer_flush(w, err);
        if (st)
            return st;
        if (fwrite(s, 1, n, w->fp) != n)
            return aug_fail(err, AUG_ERR_IO, "cannot write CSV: %s", strerror(errno));
        return AUG_OK;
    }
    aug_status st = room(w, n, err);
    if (st)
        return st;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    return AUG_OK;
}

static aug_status sep(aug_csv_writer *w, aug_error *err)
{
    if (w->fields++ == 0)
        return AUG_OK;
    aug_status st = room(w, 1, err);
    if (!st)
        w->buf[w->len++] = w->delim;
    return st;
}

aug_status aug_csv_writer_field_raw(aug_csv_writer *w, const char *s, size_t n,
                                    aug_error *err)
{
    aug_status st = sep(w, err);
    return st ? st : aug_csv_writer_raw(w, s, n, err);
}

aug_status aug_csv_writer_text(aug_csv_writer *w, const char *s, size_t n, aug_error *err)
{
    aug_status st = sep(w, err);
    if (st)
        return st;
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == w->delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return aug_csv_writer_raw(w, s, n, err);
    if ((st = aug_csv_writer_raw(w, "\"", 1, err)))
        return st;
    for (size_t i = 0, from = 0; i <= n; i++)
        if (i == n || s[i] == '"') {
            if ((st = aug_csv_writer_raw(w, s + from, i - from + (i < n), err)))
                return st;
            if (i < n && (st = aug_csv_writer_raw(w, "\"", 1, err)))
                return st;
            from = i + 1;
        }
    return aug_csv_writer_raw(w, "\"", 1, err);
}

static int format(aug_csv_writer *w, char *o, double v, int precision, aug_error *err)
{
    if (precision <= 0)
        return aug_csv_format_c(o, v, 0);
    if (!w->c && (w->c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0) {
        aug_fail(err, AUG_ERR_NOMEM, "out of memory creating the C locale");
        return -1;
    }
    locale_t old = uselocale(w->c);
    int n = aug_csv_format_c(o, v, precision);
    uselocale(old);
    return n;
}

aug_status aug_csv_writer_number(aug_csv_writer *w, double v, int precision, aug_error *err)
{
    aug_status st = sep(w, err);
    if (!st)
        st = room(w, AUG_CSV_NUMBUF + 2, err);
    if (st)
        return st;
    if (w->number_safe) {
        int n = format(w, w->buf + w->len, v, precision, err);
        if (n < 0)
            return err ? err->code : AUG_ERR_NOMEM;
        w->len += (size_t)n;
        return AUG_OK;
    }
    /* a delimiter such as '.' or '-' may be inside the number: quote it */
    char t[AUG_CSV_NUMBUF];
    int n = format(w, t, v, precision, err);
    if (n < 0)
        return err ? err->code : AUG_ERR_NOMEM;
    int q = memchr(t, w->delim, (size_t)n) != NULL;
    if (q)
        w->buf[w->len++] = '"';
    memcpy(w->buf + w->len, t, (size_t)n);
    w->len += (size_t)n;
    if (q)
        w->buf[w->len++] = '"';
    return AUG_OK;
}

aug_status aug_csv_writer_end(aug_csv_writer *w, aug_error *err)
{
    w->fields = 0;
    return aug_csv_writer_raw(w, w->eol, w->eol_len, err);
}

/* Where the label goes among the cols + 1 fields written: at label_pos,
 * or last if that is out of range. Feature c is then field c, or c + 1
 * from the label on. */
static size_t label_at(const aug_table *t)
{
    return t->label_pos < t->cols ? t->label_pos : t->cols;
}

aug_status aug_csv_writer_row(aug_csv_writer *w, const aug_table *t, const double *x,
                              size_t cls, int precision, aug_error *err)
{
    if (cls >= t->nclasses)
        return aug_fail(err, AUG_ERR_ARG, "a row has no valid class (%zu of %zu)", cls,
                        t->nclasses);
    size_t n = t->cols + 1, at = label_at(t);
    aug_status st = AUG_OK;
    if (!t->categorical && at == t->cols && w->number_safe && precision <= 0) {
        /* the common case, straight into the buffer: numbers, then the label */
        for (size_t c = 0; c < t->cols; c++) {
            if (WBUF - w->len < AUG_CSV_NUMBUF + 1 && (st = aug_csv_writer_flush(w, err)))
                return st;
            w->len += (size_t)aug_csv_format_c(w->buf + w->len, x[c], 0);
            w->buf[w->len++] = w->delim;
        }
        w->fields = 0; /* the label follows the delimiter already out */
        st = aug_csv_writer_text(w, t->classes[cls], strlen(t->classes[cls]), err);
        return st ? st : aug_csv_writer_end(w, err);
    }
    for (size_t j = 0; j < n && !st; j++) {
        if (j == at) {
            st = aug_csv_writer_text(w, t->classes[cls], strlen(t->classes[cls]), err);
            continue;
        }
        size_t c = j - (j > at);
        if (aug_table_is_categorical(t, c)) {
            size_t code = (size_t)x[c];
            if (code >= t->cats[c].n)
                return aug_fail(err, AUG_ERR_ARG, "column '%s' has no category %zu",
                                t->names[c], code);
            const aug_categories *cs = &t->cats[c];
            st = t->delimiter == w->delim
                     ? aug_csv_writer_field_raw(w, cs->raw[code], strlen(cs->raw[code]), err)
                     : aug_csv_writer_text(w, cs->text[code], strlen(cs->text[code]), err);
        } else {
            st = aug_csv_writer_number(w, x[c], precision, err);
        }
    }
    return st ? st : aug_csv_writer_end(w, err);
}

/* One record straight to stdio: for small writers (manifests, headers)
 * that should not pay for a buffer of their own. */
aug_status aug_csv_write_record(FILE *fp, char delimiter, const char *const *fields, size_t n,
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

aug_status aug_csv_write_header(FILE *fp, const aug_table *t, char delimiter, aug_error *err)
{
    if (!t || !t->cols)
        return aug_fail(err, AUG_ERR_ARG, "no table to write");
    size_t n = t->cols + 1;
    if (n > SIZE_MAX / sizeof(char *))
        return aug_fail(err, AUG_ERR_NOMEM, "too many columns");
    const char **f = malloc(n * sizeof *f);
    if (!f)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a header");
    size_t at = label_at(t);
    for (size_t j = 0; j < n; j++)
        f[j] = j == at ? t->label_name : t->names[j - (j > at)];
    aug_status st = aug_csv_write_record(fp, delimiter, f, n, err);
    free(f);
    return st;
}

aug_status aug_csv_write_rows(FILE *fp, const aug_table *t, size_t from, size_t to,
                              char delimiter, int precision, aug_error *err)
{
    if (!t || !t->cols || from > to || to > t->rows)
        return aug_fail(err, AUG_ERR_ARG, "rows [%zu, %zu) are not in the table", from, to);
    aug_csv_writer *w;
    aug_status st = aug_csv_writer_open(&w, fp, delimiter, "\n", err);
    for (size_t r = from; r < to && !st; r++)
        st = aug_csv_writer_row(w, t, t->x + r * t->cols, t->label[r], precision, err);
    aug_status cl = aug_csv_writer_close(&w, err);
    return st ? st : cl;
}
