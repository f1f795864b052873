/* Tables from CSV: a scan (every row checked, classes counted, columns
 * typed) and a load (the rows, or the rows of some classes, into an
 * aug_table). aug_csv_load_table does both, rewinding its input (or a
 * spooled copy of a pipe) in between.
 *
 * Column types: a column is categorical when --categorical names it, or
 * when its first non-empty cell is not a number ("red"); it is then kept
 * as text, every cell a category. Otherwise it is numeric, and a later
 * cell that is not a finite number is an error naming the file, line and
 * column (a decimal comma, "1,5", is said to be one). Deciding on the
 * first value keeps a typo in a numeric column from turning it silently
 * into thousands of categories.
 *
 * Messages read FILE:LINE:COL: ... and show the offending text; for a
 * ragged row COL is where the first extra field starts, or where a short
 * record ends (where the next field was due). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/fnv.h"
#include "core/table_rows.h"
#include "io/csv_internal.h"

void aug_csv_options_default(aug_csv_options *o)
{
    o->delimiter = ',';
    o->header = 1;
    o->label = NULL;
    o->categorical = NULL;
}

/* A value or name fit for a one-line message: control bytes become '?',
 * long text is cut (at a UTF-8 boundary) and marked with "...". */
static const char *show_n(char *dst, size_t size, const char *s, size_t len)
{
    size_t max = size - 4, n = 0;
    for (; n < len && n < max; n++)
        dst[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
    if (n < len) {
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
    return dst;
}

static const char *show(char *dst, size_t size, const char *s)
{
    return show_n(dst, size, s, strlen(s));
}

#define SHOW 48

static int is_nonfinite_word(const char *s, size_t len)
{
    static const char *const words[] = {"nan", "inf", "infinity"};
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t n = 0;
    while (i + n < len && s[i + n] != ' ')
        n++;
    for (size_t j = i + n; j < len; j++)
        if (s[j] != ' ')
            return 0;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        if (strlen(words[w]) != n)
            continue;
        size_t j = 0;
        while (j < n && (s[i + j] | 0x20) == words[w][j])
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

/* "1,5", "-0,25", "3,0e2": a number but for a comma where the point goes. */
static int is_decimal_comma(const char *s, size_t len)
{
    const char *c = memchr(s, ',', len);
    if (!c || memchr(c + 1, ',', len - (size_t)(c - s) - 1))
        return 0;
    if (c == s || !(c[-1] >= '0' && c[-1] <= '9') || (size_t)(c - s) + 1 >= len ||
        !(c[1] >= '0' && c[1] <= '9'))
        return 0;
    char buf[64];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[c - s] = '.';
    return aug_dec_is_number(buf, len);
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ')
            return 0;
    return 1;
}

/* ---- labels counted by text (the scan) ---- */

typedef struct counter {
    size_t cap, n;
    size_t *slot;   /* index + 1 into keys; 0 = empty */
    char **keys;
    size_t *count;
} counter;

static void counter_free(counter *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->keys[i]);
    free(c->slot);
    free(c->keys);
    free(c->count);
    memset(c, 0, sizeof *c);
}

static int counter_grow(counter *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64;
    size_t *slot = calloc(cap, sizeof *slot);
    char **keys = realloc(c->keys, cap / 2 * sizeof *keys);
    if (keys)
        c->keys = keys;
    size_t *count = keys ? realloc(c->count, cap / 2 * sizeof *count) : NULL;
    if (count)
        c->count = count;
    if (!slot || !keys || !count) {
        free(slot);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        size_t h = (size_t)aug_fnv1a(c->keys[i], strlen(c->keys[i])) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = i + 1;
    }
    free(c->slot);
    c->slot = slot;
    c->cap = cap;
    return 0;
}

static int counter_add(counter *c, const char *s, size_t len)
{
    if (2 * (c->n + 1) > c->cap && counter_grow(c))
        return -1;
    size_t h = (size_t)aug_fnv1a(s, len) & (c->cap - 1);
    for (; c->slot[h]; h = (h + 1) & (c->cap - 1)) {
        const char *k = c->keys[c->slot[h] - 1];
        if (strlen(k) == len && memcmp(k, s, len) == 0) {
            c->count[c->slot[h] - 1]++;
            return 0;
        }
    }
    char *k = malloc(len + 1);
    if (!k)
        return -1;
    memcpy(k, s, len);
    k[len] = '\0';
    c->keys[c->n] = k;
    c->count[c->n] = 1;
    c->slot[h] = ++c->n;
    return 0;
}

/* ---- one pass ---- */

enum { K_UNDECIDED, K_NUMERIC, K_TEXT };

typedef struct pass {
    aug_csv_reader *r;
    const char *name;       /* the input's, for messages */
    const aug_csv_options *o;
    const aug_csv_cell *f;  /* the record at hand */
    size_t nf;
    size_t ncols, label;
    char **names;
    unsigned char *kind;    /* per field */
    unsigned char *named;   /* per field: --categorical */
    size_t *empty_line, *empty_col; /* first blank cell of an undecided column */
    size_t rows;            /* data rows so far */
    /* scan */
    counter labels;
    aug_csv_record_fn each;
    void *ctx;
    /* load */
    aug_table *t;
    const unsigned char *keep; /* per class of t, or NULL: every row */
    double *x;              /* batch rows of features */
    size_t nb, batch;
    size_t *src;            /* their input rows */
    char *text;             /* their labels, NUL-separated */
    size_t tlen, tcap;
    size_t *off;
    const char **labs;
} pass;

static aug_status where_fail(pass *ps, size_t i, aug_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static aug_status where_fail(pass *ps, size_t i, aug_error *err, const char *fmt, ...)
{
    char msg[AUG_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t line, col;
    aug_csv_where(ps->r, i, &line, &col);
    return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: %s", ps->name, line, col, msg);
}

static aug_status no_label(pass *ps, const char *want, aug_error *err)
{
    char list[256], sn[SHOW], sw[SHOW];
    size_t n = 0;
    for (size_t i = 0; i < ps->ncols; i++) {
        show(sn, sizeof sn, ps->names[i]);
        /* keep room for ", ..." */
        if (n + strlen(sn) + 2 > sizeof list - 8) {
            snprintf(list + n, sizeof list - n, ", ...");
            break;
        }
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", sn);
    }
    return aug_fail(err, AUG_ERR_FORMAT, "%s: no label column '%s' (columns: %s)", ps->name,
                    show(sw, sizeof sw, want), list);
}

/* A column by name (the last of that name), else an all-digit index. */
static aug_status find_column(pass *ps, const char *want, size_t *out, int *hits)
{
    *hits = 0;
    for (size_t i = ps->ncols; i-- > 0;)
        if (!strcmp(ps->names[i], want)) {
            if (!*hits)
                *out = i;
            (*hits)++;
        }
    if (*hits)
        return AUG_OK;
    size_t k = 0;
    const char *s = want;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (k > (SIZE_MAX - 9) / 10)
            return AUG_ERR_ARG;
        k = k * 10 + (size_t)(*s - '0');
    }
    if (s == want || *s || k >= ps->ncols)
        return AUG_ERR_ARG;
    *out = k;
    *hits = 1;
    return AUG_OK;
}

static aug_status find_label(pass *ps, aug_error *err)
{
    const char *want = ps->o->label;
    if (!want) {
        ps->label = ps->ncols - 1;
        return AUG_OK;
    }
    int hits;
    if (find_column(ps, want, &ps->label, &hits))
        return no_label(ps, want, err);
    if (hits > 1) {
        char sw[SHOW];
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s: %d columns are named '%s'; give the label column by index",
                        ps->name, hits, show(sw, sizeof sw, want));
    }
    return AUG_OK;
}

/* --categorical COLS: names or indices, comma separated. */
static aug_status find_categorical(pass *ps, aug_error *err)
{
    const char *spec = ps->o->categorical;
    if (!spec)
        return AUG_OK;
    char *copy = strdup(spec);
    if (!copy)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory reading --categorical");
    aug_status st = AUG_OK;
    for (char *item = copy, *next; item && !st; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        while (*item == ' ')
            item++;
        size_t len = strlen(item);
        while (len && item[len - 1] == ' ')
            item[--len] = '\0';
        if (!*item)
            continue;
        size_t c;
        int hits;
        char sw[SHOW];
        if (find_column(ps, item, &c, &hits))
            st = aug_fail(err, AUG_ERR_ARG, "%s: --categorical names no column '%s'", ps->name,
                          show(sw, sizeof sw, item));
        else if (c == ps->label)
            st = aug_fail(err, AUG_ERR_ARG, "%s: --categorical '%s' is the label column "
                          "(labels are always text)", ps->name, show(sw, sizeof sw, item));
        else
            ps->named[c] = 1;
    }
    free(copy);
    return st;
}

/* The header (or, without one, the first record): columns and label. */
static aug_status set_columns(pass *ps, aug_error *err)
{
    ps->ncols = ps->nf;
    ps->names = calloc(ps->ncols, sizeof *ps->names);
    ps->kind = calloc(ps->ncols, 1);
    ps->named = calloc(ps->ncols, 1);
    ps->empty_line = calloc(ps->ncols, sizeof *ps->empty_line);
    ps->empty_col = calloc(ps->ncols, sizeof *ps->empty_col);
    if (!ps->names || !ps->kind || !ps->named || !ps->empty_line || !ps->empty_col)
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory allocating %zu columns", ps->name,
                        ps->ncols);
    for (size_t i = 0; i < ps->ncols; i++) {
        char gen[32];
        size_t len = (size_t)snprintf(gen, sizeof gen, "c%zu", i);
        const char *s = ps->o->header ? ps->f[i].s : gen;
        if (ps->o->header)
            len = ps->f[i].len;
        if (!(ps->names[i] = malloc(len + 1)))
            return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory copying column names", ps->name);
        memcpy(ps->names[i], s, len);
        ps->names[i][len] = '\0';
    }
    aug_status st = find_label(ps, err);
    if (st)
        return st;
    if (ps->ncols < 2) {
        char sn[SHOW], hint[96] = "";
        const char *name = ps->names[0];
        /* one column: most likely the wrong delimiter */
        static const char others[] = ";\t|,";
        for (const char *d = others; *d; d++)
            if (*d != ps->o->delimiter && strchr(name, *d)) {
                snprintf(hint, sizeof hint, " (the header holds '%s': try --delimiter '%s')",
                         *d == '\t' ? "\\t" : (char[]){*d, 0}, *d == '\t' ? "\\t" : (char[]){*d, 0});
                break;
            }
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s: only the label column '%s'; a table needs at least one feature "
                        "column%s", ps->name, show(sn, sizeof sn, name), hint);
    }
    return find_categorical(ps, err);
}

/* Type and check cell i of a data row (scan). */
static aug_status check_cell(pass *ps, size_t i, aug_error *err)
{
    const aug_csv_cell *c = &ps->f[i];
    char sn[SHOW], sv[SHOW];
    if (ps->kind[i] == K_TEXT)
        return AUG_OK;
    if (ps->kind[i] == K_UNDECIDED) {
        if (ps->named[i]) {
            ps->kind[i] = K_TEXT;
            return AUG_OK;
        }
        if (is_blank(c->s, c->len)) {
            if (!ps->empty_line[i])
                aug_csv_where(ps->r, i, &ps->empty_line[i], &ps->empty_col[i]);
            return AUG_OK;
        }
        if (is_decimal_comma(c->s, c->len))
            return where_fail(ps, i, err,
                              "column '%s' holds '%s', a number with a decimal comma, which "
                              "cannot be read as a number; write it with a decimal point",
                              show(sn, sizeof sn, ps->names[i]), show_n(sv, sizeof sv, c->s, c->len));
        if (!aug_dec_is_number(c->s, c->len) && !is_nonfinite_word(c->s, c->len)) {
            ps->kind[i] = K_TEXT;
            return AUG_OK;
        }
        ps->kind[i] = K_NUMERIC;
        if (ps->empty_line[i])
            return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: empty value in column '%s'",
                            ps->name, ps->empty_line[i], ps->empty_col[i],
                            show(sn, sizeof sn, ps->names[i]));
    }
    int rc = aug_dec_check(c->s, c->len);
    if (rc == 0)
        return AUG_OK;
    show(sn, sizeof sn, ps->names[i]);
    if (is_blank(c->s, c->len))
        return where_fail(ps, i, err, "empty value in column '%s'", sn);
    show_n(sv, sizeof sv, c->s, c->len);
    if (rc == -2 || is_nonfinite_word(c->s, c->len))
        return where_fail(ps, i, err, "'%s' in column '%s' is not a finite number", sv, sn);
    if (is_decimal_comma(c->s, c->len))
        return where_fail(ps, i, err,
                          "column '%s' holds '%s', a number with a decimal comma, which cannot "
                          "be read as a number; write it with a decimal point", sn, sv);
    return where_fail(ps, i, err,
                      "column '%s' is numeric but holds '%s' (to keep the column as text, "
                      "name it in --categorical)", sn, sv);
}

static aug_status check_row(pass *ps, aug_error *err)
{
    if (ps->nf != ps->ncols) {
        /* Field ncols: the first extra one, or for a short row the end of
         * the record, where the next field was due. */
        return where_fail(ps, ps->ncols, err, "expected %zu fields, found %zu", ps->ncols,
                          ps->nf);
    }
    if (ps->f[ps->label].len == 0) {
        size_t line, col;
        aug_csv_where(ps->r, ps->label, &line, &col);
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu: label is empty", ps->name, line);
    }
    return AUG_OK;
}

/* ---- the scan ---- */

static aug_status scan_row(pass *ps, aug_error *err)
{
    aug_status st = check_row(ps, err);
    for (size_t i = 0; !st && i < ps->ncols; i++)
        if (i != ps->label)
            st = check_cell(ps, i, err);
    if (st)
        return st;
    const aug_csv_cell *lab = &ps->f[ps->label];
    if (counter_add(&ps->labels, lab->s, lab->len))
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory counting the labels", ps->name);
    if (ps->each) {
        size_t len;
        const char *raw = aug_csv_raw_record(ps->r, &len, NULL);
        if ((st = ps->each(ps->ctx, ps->rows, ps->f, ps->nf, raw, len, err)))
            return st;
    }
    ps->rows++;
    return AUG_OK;
}

static void pass_free(pass *ps)
{
    if (ps->names)
        for (size_t i = 0; i < ps->ncols; i++)
            free(ps->names[i]);
    free(ps->names);
    free(ps->kind);
    free(ps->named);
    free(ps->empty_line);
    free(ps->empty_col);
    counter_free(&ps->labels);
    free(ps->x);
    free(ps->src);
    free(ps->text);
    free(ps->off);
    free(ps->labs);
    aug_csv_close(ps->r);
}

void aug_csv_scan_free(aug_csv_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->names && i < s->ncols; i++)
        free(s->names[i]);
    for (size_t i = 0; s->classes && i < s->nclasses; i++)
        free(s->classes[i]);
    free(s->names);
    free(s->categorical);
    free(s->classes);
    free(s->counts);
    free(s->label_hint);
    memset(s, 0, sizeof *s);
}

/* Classes in the table's order (sorted as np.unique), with their counts. */
static aug_status finish_scan(pass *ps, aug_csv_scan *out, aug_error *err)
{
    /* A column of blanks only has no value at all: missing values are not
     * supported (unless --categorical makes the blank a category). */
    for (size_t i = 0; i < ps->ncols; i++)
        if (i != ps->label && ps->kind[i] == K_UNDECIDED && ps->empty_line[i]) {
            char sn[SHOW];
            return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: empty value in column '%s'",
                            ps->name, ps->empty_line[i], ps->empty_col[i],
                            show(sn, sizeof sn, ps->names[i]));
        }
    aug_table t;
    const char *one = "x";
    aug_status st = aug_table_init(&t, 1, &one, "y", err);
    if (!st)
        st = aug_table_add_classes(&t, (const char *const *)ps->labels.keys, ps->labels.n, err);
    if (st) {
        aug_table_free(&t);
        return st;
    }
    out->nclasses = t.nclasses;
    out->classes = t.classes; /* taken over */
    t.classes = NULL;
    t.nclasses = 0;
    aug_table_free(&t);
    out->counts = calloc(out->nclasses ? out->nclasses : 1, sizeof *out->counts);
    if (!out->counts)
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory counting the classes", ps->name);
    for (size_t i = 0; i < ps->labels.n; i++) {
        /* binary search by the table's own lookup */
        aug_table probe = {.classes = out->classes, .nclasses = out->nclasses};
        size_t c = aug_table_class_index(&probe, ps->labels.keys[i]);
        out->counts[c] = ps->labels.count[i];
    }
    out->ncols = ps->ncols;
    out->label = ps->label;
    out->names = ps->names;
    ps->names = NULL;
    out->categorical = calloc(ps->ncols, 1);
    if (!out->categorical)
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory typing the columns", ps->name);
    for (size_t i = 0; i < ps->ncols; i++)
        out->categorical[i] = i != ps->label && (ps->kind[i] == K_TEXT ||
                                                 (ps->kind[i] == K_UNDECIDED));
    out->rows = ps->rows;
    out->bom = aug_csv_had_bom(ps->r);
    /* Labels that are all numbers while the first column is text: the
     * label is probably the first column (a --label hint for errors). */
    if (!ps->o->label && ps->label != 0 && out->categorical[0] && out->nclasses > 0) {
        int numeric = 1;
        for (size_t c = 0; c < out->nclasses && numeric; c++)
            numeric = aug_dec_is_number(out->classes[c], strlen(out->classes[c]));
        if (numeric) {
            char sn[SHOW], buf[4 * SHOW + 96];
            show(sn, sizeof sn, out->names[0]);
            snprintf(buf, sizeof buf, "the first column '%s' is text and the label column "
                     "holds numbers: is '%s' the label? (--label %s)", sn, sn, sn);
            out->label_hint = strdup(buf);
        }
    }
    return AUG_OK;
}

static aug_status pass_open(pass *ps, FILE *fp, const char *name, const aug_csv_options *o,
                            aug_error *err)
{
    memset(ps, 0, sizeof *ps);
    ps->o = o;
    aug_status st = aug_csv_open(&ps->r, fp, name, o->delimiter, err);
    if (st)
        return st;
    ps->name = aug_csv_name(ps->r);
    if ((st = aug_csv_next_cells(ps->r, &ps->f, &ps->nf, err)))
        return st;
    if (!ps->nf)
        return aug_fail(err, AUG_ERR_FORMAT, o->header ? "%s: empty file (no header)"
                        : "%s: no data rows", ps->name);
    return set_columns(ps, err);
}

aug_status aug_csv_scan_table(FILE *fp, const char *name, const aug_csv_options *o,
                              aug_csv_scan *out, aug_csv_record_fn each, void *ctx,
                              aug_error *err)
{
    aug_csv_options def;
    if (!o) {
        aug_csv_options_default(&def);
        o = &def;
    }
    memset(out, 0, sizeof *out);
    pass ps;
    aug_status st = pass_open(&ps, fp, name, o, err);
    ps.each = each;
    ps.ctx = ctx;
    if (!st) {
        size_t len, body;
        const char *raw = aug_csv_raw_record(ps.r, &len, &body);
        out->eol = len == body + 2 ? "\r\n" : len > body && raw[body] == '\r' ? "\r" : "\n";
        if (o->header && each)
            st = each(ctx, AUG_CSV_HEADER, ps.f, ps.nf, raw, len, err);
        else if (!o->header)
            st = scan_row(&ps, err);
    }
    while (!st) {
        if ((st = aug_csv_next_cells(ps.r, &ps.f, &ps.nf, err)) || !ps.nf)
            break;
        st = scan_row(&ps, err);
    }
    if (!st && !ps.rows)
        st = aug_fail(err, AUG_ERR_FORMAT, "%s: no data rows", ps.name);
    if (!st)
        st = finish_scan(&ps, out, err);
    pass_free(&ps);
    if (st)
        aug_csv_scan_free(out);
    return st;
}

/* ---- the load ---- */

/* Rows are appended in batches so that a label column with many distinct
 * values is sorted in once per batch (see core/table_rows.h): up to 8192
 * rows, or 8 MiB of features for wide tables. */
#define BATCH_ROWS 8192
#define BATCH_BYTES (8u << 20)

static aug_status flush(pass *ps, aug_error *err)
{
    aug_table *t = ps->t;
    for (size_t i = 0; i < ps->nb; i++)
        ps->labs[i] = ps->text + ps->off[i];
    size_t first = t->rows;
    aug_status st = aug_table_append_rows(t, ps->x, ps->labs, ps->nb, err);
    for (size_t i = 0; !st && i < ps->nb; i++)
        st = aug_table_set_source(t, first + i, ps->src[i], err);
    ps->nb = ps->tlen = 0;
    return st;
}

static aug_status keep_label(pass *ps, const char *s, size_t len, aug_error *err)
{
    size_t n = len + 1;
    if (n > ps->tcap - ps->tlen) {
        size_t cap = ps->tcap ? ps->tcap : 4096;
        while (cap - ps->tlen < n && cap <= SIZE_MAX / 2)
            cap *= 2;
        char *b = cap - ps->tlen >= n ? realloc(ps->text, cap) : NULL;
        if (!b)
            return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory keeping labels", ps->name);
        ps->text = b;
        ps->tcap = cap;
    }
    ps->off[ps->nb] = ps->tlen;
    memcpy(ps->text + ps->tlen, s, len);
    ps->text[ps->tlen + len] = '\0';
    ps->tlen += n;
    return AUG_OK;
}

static aug_status load_row(pass *ps, aug_error *err)
{
    aug_table *t = ps->t;
    aug_status st = check_row(ps, err);
    if (st)
        return st;
    const aug_csv_cell *lab = &ps->f[ps->label];
    size_t row = ps->rows++;
    if (ps->each) {
        size_t len;
        const char *raw = aug_csv_raw_record(ps->r, &len, NULL);
        if ((st = ps->each(ps->ctx, row, ps->f, ps->nf, raw, len, err)))
            return st;
    }
    if (ps->keep) {
        /* the class of this row, by the table's own lookup */
        char small[256], *s = small;
        if (lab->len >= sizeof small && !(s = malloc(lab->len + 1)))
            return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory reading a label", ps->name);
        memcpy(s, lab->s, lab->len);
        s[lab->len] = '\0';
        size_t c = aug_table_class_index(t, s);
        if (s != small)
            free(s);
        if (c == (size_t)-1)
            return where_fail(ps, ps->label, err, "a label the first reading did not see "
                              "(the input changed while it was read)");
        if (!ps->keep[c])
            return AUG_OK;
    }
    double *x = ps->x + ps->nb * t->cols;
    for (size_t i = 0, c = 0; i < ps->ncols; i++) {
        if (i == ps->label)
            continue;
        const aug_csv_cell *cell = &ps->f[i];
        if (aug_table_is_categorical(t, c)) {
            uint32_t code;
            if ((st = aug_table_category(t, c, cell->s, cell->len, cell->raw, cell->raw_len,
                                         &code, err)))
                return st;
            x[c++] = (double)code;
        } else if (aug_dec_parse(cell->s, cell->len, &x[c++]) != 0) {
            return where_fail(ps, i, err, "a value the first reading accepted does not read "
                              "(the input changed while it was read)");
        }
    }
    if ((st = keep_label(ps, lab->s, lab->len, err)))
        return st;
    ps->src[ps->nb] = row;
    return ++ps->nb == ps->batch ? flush(ps, err) : AUG_OK;
}

/* The table's columns from the scan: names, label, categorical flags. */
static aug_status init_table(pass *ps, const aug_csv_scan *scan, aug_error *err)
{
    aug_table *t = ps->t;
    size_t fcols = ps->ncols - 1;
    const char **feat = malloc(fcols * sizeof *feat);
    ps->batch = BATCH_BYTES / sizeof(double) / fcols;
    ps->batch = ps->batch < 1 ? 1 : ps->batch > BATCH_ROWS ? BATCH_ROWS : ps->batch;
    if (fcols <= SIZE_MAX / sizeof(double) / ps->batch)
        ps->x = malloc(ps->batch * fcols * sizeof *ps->x);
    ps->off = malloc(ps->batch * sizeof *ps->off);
    ps->src = malloc(ps->batch * sizeof *ps->src);
    ps->labs = malloc(ps->batch * sizeof *ps->labs);
    if (!feat || !ps->x || !ps->off || !ps->src || !ps->labs) {
        free(feat);
        return aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory allocating a row", ps->name);
    }
    for (size_t i = 0, c = 0; i < ps->ncols; i++)
        if (i != ps->label)
            feat[c++] = ps->names[i];
    aug_status st = aug_table_init(t, fcols, feat, ps->names[ps->label], err);
    free(feat);
    if (st)
        return st;
    t->label_pos = ps->label;
    t->delimiter = ps->o->delimiter;
    for (size_t i = 0, c = 0; i < ps->ncols && !st; i++) {
        if (i == ps->label)
            continue;
        if (scan->categorical[i])
            st = aug_table_set_categorical(t, c, err);
        c++;
    }
    if (!st)
        st = aug_table_add_classes(t, (const char *const *)scan->classes, scan->nclasses, err);
    return st;
}

aug_status aug_csv_load_rows(aug_table *t, FILE *fp, const char *name,
                             const aug_csv_options *o, const aug_csv_scan *scan,
                             const unsigned char *keep, aug_csv_record_fn each, void *ctx,
                             aug_error *err)
{
    aug_csv_options def;
    if (!o) {
        aug_csv_options_default(&def);
        o = &def;
    }
    memset(t, 0, sizeof *t);
    pass ps;
    aug_status st = pass_open(&ps, fp, name, o, err);
    if (!st && (ps.ncols != scan->ncols || ps.label != scan->label))
        st = aug_fail(err, AUG_ERR_FORMAT, "%s: the columns changed while it was read",
                      ps.name);
    ps.t = t;
    ps.keep = keep;
    ps.each = each;
    ps.ctx = ctx;
    if (!st)
        st = init_table(&ps, scan, err);
    if (!st && o->header && each) {
        size_t len;
        const char *raw = aug_csv_raw_record(ps.r, &len, NULL);
        st = each(ctx, AUG_CSV_HEADER, ps.f, ps.nf, raw, len, err);
    }
    if (!st && !o->header)
        st = load_row(&ps, err);
    while (!st) {
        if ((st = aug_csv_next_cells(ps.r, &ps.f, &ps.nf, err)) || !ps.nf)
            break;
        st = load_row(&ps, err);
    }
    if (!st && ps.nb)
        st = flush(&ps, err);
    if (!st)
        st = aug_table_sort_categories(t, err);
    pass_free(&ps);
    if (st)
        aug_table_free(t);
    return st;
}

FILE *aug_csv_spool(FILE *fp, aug_error *err)
{
    FILE *tmp = tmpfile();
    if (!tmp) {
        aug_fail(err, AUG_ERR_IO, "cannot make a temporary copy of the input: %s",
                 strerror(errno));
        return NULL;
    }
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (fwrite(buf, 1, n, tmp) != n) {
            aug_fail(err, AUG_ERR_IO, "cannot copy the input to a temporary file: %s",
                     strerror(errno));
            fclose(tmp);
            return NULL;
        }
    if (ferror(fp)) {
        aug_fail(err, AUG_ERR_IO, "read error: %s", strerror(errno));
        fclose(tmp);
        return NULL;
    }
    if (fflush(tmp) || fseek(tmp, 0, SEEK_SET)) {
        aug_fail(err, AUG_ERR_IO, "cannot rewind the temporary copy: %s", strerror(errno));
        fclose(tmp);
        return NULL;
    }
    return tmp;
}

aug_status aug_csv_load_table(aug_table *t, FILE *fp, const char *name,
                              const aug_csv_options *o, aug_error *err)
{
    memset(t, 0, sizeof *t);
    if (!fp)
        return aug_fail(err, AUG_ERR_ARG, "no input stream given");
    /* Two readings: from here again if the stream can seek, else from a
     * copy of what it gives. */
    FILE *in = fp, *spooled = NULL;
    long start = ftell(fp);
    if (start < 0 || fseek(fp, start, SEEK_SET) != 0) {
        if (!(spooled = aug_csv_spool(fp, err)))
            return err ? err->code : AUG_ERR_IO;
        in = spooled;
        start = 0;
    }
    aug_csv_scan scan;
    aug_status st = aug_csv_scan_table(in, name, o, &scan, NULL, NULL, err);
    if (!st && fseek(in, start, SEEK_SET) != 0)
        st = aug_fail(err, AUG_ERR_IO, "%s: cannot read it a second time: %s",
                      name ? name : "-", strerror(errno));
    if (!st) {
        clearerr(in);
        st = aug_csv_load_rows(t, in, name, o, &scan, NULL, NULL, NULL, err);
    }
    aug_csv_scan_free(&scan);
    if (spooled)
        fclose(spooled);
    return st;
}
