/* aug_csv_load_table: a labelled table from the streaming reader.
 *
 * Messages read FILE:LINE:COL: ... and show the offending text; for a
 * ragged row COL is where the first extra field starts, or where a short
 * record ends (where the next field was due). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/table_rows.h"
#include "io/csv_internal.h"

void aug_csv_options_default(aug_csv_options *o)
{
    o->delimiter = ',';
    o->header = 1;
    o->label = NULL;
}

/* A value or name fit for a one-line message: control bytes become '?',
 * long text is cut (at a UTF-8 boundary) and marked with "...". */
static const char *show(char *dst, size_t size, const char *s)
{
    size_t max = size - 4, n = 0;
    for (; s[n] && n < max; n++)
        dst[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
    if (s[n]) {
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
    return dst;
}

#define SHOW 48

static int is_nonfinite_word(const char *s)
{
    static const char *const words[] = {"nan", "inf", "infinity"};
    while (*s == ' ')
        s++;
    if (*s == '+' || *s == '-')
        s++;
    size_t n = 0;
    while (s[n] && s[n] != ' ')
        n++;
    for (size_t i = 0; s[n + i]; i++)
        if (s[n + i] != ' ')
            return 0;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        if (strlen(words[w]) != n)
            continue;
        size_t i = 0;
        while (i < n && (s[i] | 0x20) == words[w][i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Rows are appended in batches so that a label column with many distinct
 * values is sorted in once per batch (see core/table_rows.h): up to 8192
 * rows, or 8 MiB of features for wide tables. */
#define BATCH_ROWS 8192
#define BATCH_BYTES (8u << 20)

typedef struct loader {
    aug_csv_reader *r;
    const char *name;       /* the input's, for messages */
    const aug_csv_options *o;
    char **f;               /* the record at hand, from aug_csv_next */
    size_t nf;
    size_t ncols, label;    /* fields per row, index of the label */
    char **names;           /* ncols column names */
    double *x;              /* batch rows of features */
    size_t nb, batch;       /* rows in the batch, and room for */
    char *text;             /* their labels, NUL-separated */
    size_t tlen, tcap;
    size_t *off;            /* where each label starts in text */
    const char **labels;
} loader;

static aug_status flush(loader *ld, aug_table *t, aug_error *err)
{
    for (size_t i = 0; i < ld->nb; i++)
        ld->labels[i] = ld->text + ld->off[i];
    aug_status st = aug_table_append_rows(t, ld->x, ld->labels, ld->nb, err);
    ld->nb = ld->tlen = 0;
    return st;
}

static aug_status keep_label(loader *ld, const char *s, aug_error *err)
{
    size_t n = strlen(s) + 1;
    if (n > ld->tcap - ld->tlen) {
        size_t cap = ld->tcap ? ld->tcap : 4096;
        while (cap - ld->tlen < n && cap <= SIZE_MAX / 2)
            cap *= 2;
        char *b = cap - ld->tlen >= n ? realloc(ld->text, cap) : NULL;
        if (!b)
            return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory keeping labels", ld->name);
        ld->text = b;
        ld->tcap = cap;
    }
    ld->off[ld->nb] = ld->tlen;
    memcpy(ld->text + ld->tlen, s, n);
    ld->tlen += n;
    return AUG_OK;
}

static aug_status value(loader *ld, size_t i, double *out, aug_error *err)
{
    const char *s = ld->f[i], *name = ld->name;
    int rc = aug_csv_parse_c(s, out);
    if (rc == 0)
        return AUG_OK;
    char sn[SHOW], sv[SHOW];
    size_t line, col;
    aug_csv_where(ld->r, i, &line, &col);
    show(sn, sizeof sn, ld->names[i]);
    if (s[strspn(s, " ")] == '\0')
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: empty value in column '%s'",
                        name, line, col, sn);
    show(sv, sizeof sv, s);
    if (rc == -2 || is_nonfinite_word(s))
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s:%zu:%zu: '%s' in column '%s' is not a finite number",
                        name, line, col, sv, sn);
    return aug_fail(err, AUG_ERR_FORMAT,
                    "%s:%zu:%zu: column '%s' is not numeric ('%s'); "
                    "categorical features are not supported yet",
                    name, line, col, sn, sv);
}

static aug_status take_row(loader *ld, aug_table *t, aug_error *err)
{
    size_t line, col;
    if (ld->nf != ld->ncols) {
        /* Field ncols: the first extra one, or for a short row the end of
         * the record, where the next field was due. */
        aug_csv_where(ld->r, ld->ncols, &line, &col);
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: expected %zu fields, found %zu",
                        ld->name, line, col, ld->ncols, ld->nf);
    }
    double *row = ld->x + ld->nb * (ld->ncols - 1);
    for (size_t i = 0, c = 0; i < ld->ncols; i++) {
        if (i == ld->label)
            continue;
        aug_status st = value(ld, i, &row[c++], err);
        if (st)
            return st;
    }
    const char *label = ld->f[ld->label];
    if (!label[0]) {
        aug_csv_where(ld->r, ld->label, &line, &col);
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu: label is empty", ld->name, line);
    }
    aug_status st = keep_label(ld, label, err);
    if (st)
        return st;
    return ++ld->nb == ld->batch ? flush(ld, t, err) : AUG_OK;
}

static aug_status no_label(loader *ld, const char *want, aug_error *err)
{
    char list[256], sn[SHOW], sw[SHOW];
    size_t n = 0;
    for (size_t i = 0; i < ld->ncols; i++) {
        show(sn, sizeof sn, ld->names[i]);
        /* keep room for ", ..." */
        if (n + strlen(sn) + 2 > sizeof list - 8) {
            snprintf(list + n, sizeof list - n, ", ...");
            break;
        }
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", sn);
    }
    return aug_fail(err, AUG_ERR_FORMAT, "%s: no label column '%s' (columns: %s)",
                    ld->name, show(sw, sizeof sw, want), list);
}

/* By name first; an all-digit option that names no column is an index. */
static aug_status find_label(loader *ld, aug_error *err)
{
    const char *want = ld->o->label;
    if (!want) {
        ld->label = ld->ncols - 1;
        return AUG_OK;
    }
    size_t hits = 0;
    for (size_t i = ld->ncols; i-- > 0;)
        if (!strcmp(ld->names[i], want)) {
            ld->label = i;
            hits++;
        }
    if (hits > 1) {
        char sw[SHOW];
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s: %zu columns are named '%s'; give the label column by index",
                        ld->name, hits, show(sw, sizeof sw, want));
    }
    if (hits)
        return AUG_OK;
    size_t k = 0;
    const char *s = want;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (k > (SIZE_MAX - 9) / 10)
            return no_label(ld, want, err);
        k = k * 10 + (size_t)(*s - '0');
    }
    if (s == want || *s || k >= ld->ncols)
        return no_label(ld, want, err);
    ld->label = k;
    return AUG_OK;
}

static aug_status set_columns(loader *ld, aug_table *t, aug_error *err)
{
    ld->ncols = ld->nf;
    ld->names = calloc(ld->ncols, sizeof *ld->names);
    if (!ld->names)
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory for %zu column names",
                        ld->name, ld->ncols);
    for (size_t i = 0; i < ld->ncols; i++) {
        char gen[32];
        snprintf(gen, sizeof gen, "c%zu", i);
        ld->names[i] = strdup(ld->o->header ? ld->f[i] : gen);
        if (!ld->names[i])
            return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory copying column names", ld->name);
    }
    aug_status st = find_label(ld, err);
    if (st)
        return st;
    if (ld->ncols < 2) {
        char sn[SHOW];
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s: only the label column '%s'; "
                        "a table needs at least one feature column", ld->name, show(sn, sizeof sn, ld->names[0]));
    }
    /* The feature names are the column names without the label's. */
    size_t fcols = ld->ncols - 1;
    const char **feat = malloc(fcols * sizeof *feat);
    ld->batch = BATCH_BYTES / sizeof(double) / fcols;
    ld->batch = ld->batch < 1 ? 1 : ld->batch > BATCH_ROWS ? BATCH_ROWS : ld->batch;
    if (fcols <= SIZE_MAX / sizeof(double) / ld->batch)
        ld->x = malloc(ld->batch * fcols * sizeof *ld->x);
    ld->off = malloc(ld->batch * sizeof *ld->off);
    ld->labels = malloc(ld->batch * sizeof *ld->labels);
    if (!feat || !ld->x || !ld->off || !ld->labels) {
        free(feat);
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory for a row", ld->name);
    }
    for (size_t i = 0, c = 0; i < ld->ncols; i++)
        if (i != ld->label)
            feat[c++] = ld->names[i];
    st = aug_table_init(t, fcols, feat, ld->names[ld->label], err);
    free(feat);
    t->label_pos = ld->label;
    return st;
}

static aug_status load(loader *ld, aug_table *t, aug_error *err)
{
    aug_status st = aug_csv_next(ld->r, &ld->f, &ld->nf, err);
    if (st)
        return st;
    if (!ld->nf)
        return aug_fail(err, AUG_ERR_FORMAT, ld->o->header ? "%s: empty file (no header)"
                        : "%s: no data rows", ld->name);
    st = set_columns(ld, t, err);
    if (st)
        return st;
    if (!ld->o->header && (st = take_row(ld, t, err)))
        return st;
    for (;;) {
        if ((st = aug_csv_next(ld->r, &ld->f, &ld->nf, err)))
            return st;
        if (!ld->nf)
            break;
        if ((st = take_row(ld, t, err)))
            return st;
    }
    if (ld->nb && (st = flush(ld, t, err)))
        return st;
    if (!t->rows)
        return aug_fail(err, AUG_ERR_FORMAT, "%s: no data rows", ld->name);
    return AUG_OK;
}

aug_status aug_csv_load_table(aug_table *t, FILE *fp, const char *name,
                              const aug_csv_options *o, aug_error *err)
{
    aug_csv_options def;
    if (!o) {
        aug_csv_options_default(&def);
        o = &def;
    }
    memset(t, 0, sizeof *t);
    loader ld = {.o = o};
    aug_status st = aug_csv_open(&ld.r, fp, name, o->delimiter, err);
    if (st)
        return st;
    ld.name = aug_csv_name(ld.r);
    aug_c_locale l;
    if ((st = aug_c_locale_enter(&l, err))) {
        aug_csv_close(ld.r);
        return st;
    }
    st = load(&ld, t, err);
    aug_c_locale_leave(&l);
    if (ld.names)
        for (size_t i = 0; i < ld.ncols; i++)
            free(ld.names[i]);
    free(ld.names);
    free(ld.x);
    free(ld.text);
    free(ld.off);
    free(ld.labels);
    aug_csv_close(ld.r);
    if (st)
        aug_table_free(t);
    return st;
}
