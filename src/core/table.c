/* The table type: row-major features plus one class index per row.
 *
 * Classes stay sorted after every append, as np.unique lists them:
 * numerically when every label is a decimal number, otherwise by bytes.
 * New classes are merged into the sorted list and the rows renumbered
 * through the resulting map, once per call: appending rows in batches
 * (aug_table_append_rows) keeps a label column with thousands of distinct
 * values from costing a pass over all rows per new class. One new label
 * can switch the order (the first that is not a number): then the whole
 * list is re-sorted by bytes.
 *
 * A label is a number by the same grammar as a feature value (see
 * core/decimal.h). Numeric order compares the decimal text exactly (no
 * strtod), so it needs no locale, cannot overflow, and is a total order
 * together with the byte tie-break ("01" < "1" < "1.0", which are equal
 * numbers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/table.h"
#include "core/decimal.h"
#include "core/fnv.h"
#include "core/table_rows.h"

static int is_number(const char *s)
{
    return aug_dec_is_number(s, strlen(s));
}

/* Numeric order with a byte tie-break; strings that are not numbers fall
 * back to bytes (only reachable while probing a byte-ordered list, where a
 * miss is all that can happen). */
static int class_cmp(int numeric, const char *a, const char *b)
{
    if (numeric) {
        aug_dec x, y;
        if (aug_dec_scan(a, strlen(a), &x) && aug_dec_scan(b, strlen(b), &y)) {
            int c = aug_dec_cmp(&x, &y);
            if (c)
                return c;
        }
    }
    return strcmp(a, b);
}

static size_t search(char *const *cls, size_t n, const char *s, int numeric,
                     int *found)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = class_cmp(numeric, cls[mid], s);
        if (c < 0) {
            lo = mid + 1;
        } else if (c > 0) {
            hi = mid;
        } else {
            *found = 1;
            return mid;
        }
    }
    *found = 0;
    return lo;
}

/* The struct has no room to record which order is in force, and none is
 * needed for lookups: a byte search finds the label in a byte-ordered list,
 * a numeric search in a numeric one, and a hit is always an exact match. */
size_t aug_table_class_index(const aug_table *t, const char *label)
{
    if (!t || !label || !t->nclasses)
        return (size_t)-1;
    int found;
    size_t i = search(t->classes, t->nclasses, label, 0, &found);
    if (!found && is_number(label))
        i = search(t->classes, t->nclasses, label, 1, &found);
    return found ? i : (size_t)-1;
}

aug_status aug_table_init(aug_table *t, size_t cols, const char *const *names,
                          const char *label_name, aug_error *err)
{
    if (!t)
        return aug_fail(err, AUG_ERR_ARG, "no table given");
    memset(t, 0, sizeof *t);
    if (cols == 0)
        return aug_fail(err, AUG_ERR_ARG,
                        "a table needs at least one feature column");
    if (!names)
        return aug_fail(err, AUG_ERR_ARG, "no column names given");
    if (cols > SIZE_MAX / sizeof *t->names)
        return aug_fail(err, AUG_ERR_NOMEM, "%zu columns are too many", cols);
    t->names = calloc(cols, sizeof *t->names);
    if (!t->names)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory for %zu column names",
                        cols);
    t->cols = cols;
    for (size_t c = 0; c < cols; c++) {
        if (!names[c]) {
            aug_table_free(t);
            return aug_fail(err, AUG_ERR_ARG, "column %zu has no name", c);
        }
        t->names[c] = strdup(names[c]);
        if (!t->names[c]) {
            aug_table_free(t);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory copying column names");
        }
    }
    t->label_name = strdup(label_name ? label_name : "label");
    if (!t->label_name) {
        aug_table_free(t);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory copying the label name");
    }
    t->label_pos = cols; /* label last, unless the loader says otherwise */
    return AUG_OK;
}

/* Room for `more` rows beyond t->rows, doubling so appends stay O(1). */
static aug_status reserve_rows(aug_table *t, size_t more, aug_error *err)
{
    if (more <= t->cap_rows - t->rows)
        return AUG_OK;
    if (more > SIZE_MAX - t->rows)
        goto too_big;
    size_t need = t->rows + more, cap = t->cap_rows ? t->cap_rows : 16;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            goto too_big;
        cap *= 2;
    }
    if (cap > SIZE_MAX / sizeof(double) / t->cols || cap > SIZE_MAX / sizeof(size_t))
        goto too_big;
    double *x = realloc(t->x, cap * t->cols * sizeof *x);
    if (!x)
        goto no_mem;
    t->x = x; /* a larger x than cap_rows says is harmless */
    size_t *label = realloc(t->label, cap * sizeof *label);
    if (!label)
        goto no_mem;
    t->label = label;
    if (t->source) {
        size_t *src = realloc(t->source, cap * sizeof *src);
        if (!src)
            goto no_mem;
        t->source = src;
    }
    t->cap_rows = cap;
    return AUG_OK;
too_big:
    return aug_fail(err, AUG_ERR_NOMEM, "a table of %zu + %zu rows x %zu columns is too large",
                    t->rows, more, t->cols);
no_mem:
    return aug_fail(err, AUG_ERR_NOMEM, "out of memory growing the table to %zu rows", t->rows + more);
}

typedef struct ranked {
    char *s;
    size_t old;
} ranked;

static int by_bytes(const void *a, const void *b)
{
    return strcmp(((const ranked *)a)->s, ((const ranked *)b)->s);
}

static int by_number(const void *a, const void *b)
{
    return class_cmp(1, ((const ranked *)a)->s, ((const ranked *)b)->s);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Place the sorted old classes rk[0..k) and new ones rk[k..k+nu) into
 * t->classes in one order, recording where each old class went. Usually
 * the order is unchanged and a merge will do; the first label that is not
 * a number turns the whole list to byte order. */
static void place(aug_table *t, ranked *rk, size_t k, size_t nu, int was_numeric,
                  int numeric, size_t *map)
{
    size_t total = k + nu;
    if (numeric != was_numeric) {
        qsort(rk, total, sizeof *rk, by_bytes);
        for (size_t i = 0; i < total; i++) {
            t->classes[i] = rk[i].s;
            if (rk[i].old < k)
                map[rk[i].old] = i;
        }
        return;
    }
    qsort(rk + k, nu, sizeof *rk, numeric ? by_number : by_bytes);
    for (size_t i = 0, a = 0, b = k; i < total; i++) {
        int old = b == total || (a < k && class_cmp(numeric, rk[a].s, rk[b].s) < 0);
        ranked *r = old ? &rk[a++] : &rk[b++];
        t->classes[i] = r->s;
        if (old)
            map[r->old] = i;
    }
}

/* Add distinct labels, none of them a class yet: one sort and one pass
 * over the rows, however many there are. */
static aug_status add_classes(aug_table *t, const char *const *fresh, size_t nu,
                              aug_error *err)
{
    size_t k = t->nclasses, total = k + nu;
    if (nu > SIZE_MAX / sizeof(ranked) - k)
        return aug_fail(err, AUG_ERR_NOMEM, "too many classes");
    /* Labels with letters sort last in byte order: scan from the end. */
    int was_numeric = 1, numeric;
    for (size_t i = k; i-- > 0 && was_numeric;)
        was_numeric = is_number(t->classes[i]);
    numeric = was_numeric;
    for (size_t j = 0; j < nu && numeric; j++)
        numeric = is_number(fresh[j]);
    ranked *rk = malloc(total * sizeof *rk);
    size_t *map = malloc((k ? k : 1) * sizeof *map);
    char **cls = realloc(t->classes, total * sizeof *cls);
    if (cls)
        t->classes = cls;
    size_t copied = 0;
    while (rk && map && cls && copied < nu && (rk[k + copied].s = strdup(fresh[copied]))) {
        rk[k + copied].old = k + copied;
        copied++;
    }
    if (copied < nu) {
        while (rk && copied > 0)
            free(rk[k + --copied].s);
        free(rk);
        free(map);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory adding %zu classes", nu);
    }
    for (size_t i = 0; i < k; i++)
        rk[i] = (ranked){t->classes[i], i};
    place(t, rk, k, nu, was_numeric, numeric, map);
    for (size_t r = 0; r < t->rows; r++)
        t->label[r] = map[t->label[r]];
    t->nclasses = total;
    free(rk);
    free(map);
    return AUG_OK;
}

aug_status aug_table_append(aug_table *t, const double *row, const char *label,
                            aug_error *err)
{
    /* The common case, a row of a known class, without the batch setup. */
    size_t idx = t && t->cols && row && label ? aug_table_class_index(t, label)
                                              : (size_t)-1;
    if (idx == (size_t)-1)
        return aug_table_append_rows(t, row, &label, 1, err);
    aug_status st = reserve_rows(t, 1, err);
    if (st)
        return st;
    memcpy(t->x + t->rows * t->cols, row, t->cols * sizeof *row);
    if (t->source)
        t->source[t->rows] = t->rows;
    t->label[t->rows++] = idx;
    return AUG_OK;
}

aug_status aug_table_append_rows(aug_table *t, const double *x,
                                 const char *const *labels, size_t n,
                                 aug_error *err)
{
    if (!t || !t->cols || (n && (!x || !labels)))
        return aug_fail(err, AUG_ERR_ARG, "append: missing table, rows or labels");
    for (size_t i = 0; i < n; i++)
        if (!labels[i])
            return aug_fail(err, AUG_ERR_ARG, "append: row %zu has no label", i);
    aug_status st = reserve_rows(t, n, err);
    if (st)
        return st;
    /* New labels first, so that classes are sorted once per call. */
    const char **fresh = NULL;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        if (aug_table_class_index(t, labels[i]) != (size_t)-1)
            continue;
        if (!fresh && !(fresh = malloc((n - i) * sizeof *fresh)))
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory collecting new classes");
        fresh[nf++] = labels[i];
    }
    if (nf) {
        qsort(fresh, nf, sizeof *fresh, by_string);
        size_t nu = 1;
        for (size_t j = 1; j < nf; j++)
            if (strcmp(fresh[j], fresh[nu - 1]))
                fresh[nu++] = fresh[j];
        st = add_classes(t, fresh, nu, err);
        free(fresh);
        if (st)
            return st;
    }
    if (n)
        memcpy(t->x + t->rows * t->cols, x, n * t->cols * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        t->label[t->rows + i] = aug_table_class_index(t, labels[i]);
        if (t->source)
            t->source[t->rows + i] = t->rows + i;
    }
    t->rows += n;
    return AUG_OK;
}

aug_status aug_table_add_classes(aug_table *t, const char *const *labels, size_t n,
                                 aug_error *err)
{
    if (!t || (n && !labels))
        return aug_fail(err, AUG_ERR_ARG, "add classes: missing table or labels");
    const char **fresh = NULL;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        if (!labels[i])
            return aug_fail(err, AUG_ERR_ARG, "add classes: label %zu is missing", i);
        if (aug_table_class_index(t, labels[i]) != (size_t)-1)
            continue;
        if (!fresh && !(fresh = malloc((n - i) * sizeof *fresh)))
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory collecting new classes");
        fresh[nf++] = labels[i];
    }
    if (!nf)
        return AUG_OK;
    qsort(fresh, nf, sizeof *fresh, by_string);
    size_t nu = 1;
    for (size_t j = 1; j < nf; j++)
        if (strcmp(fresh[j], fresh[nu - 1]))
            fresh[nu++] = fresh[j];
    aug_status st = add_classes(t, fresh, nu, err);
    free(fresh);
    return st;
}

void aug_table_class_counts(const aug_table *t, size_t *counts)
{
    if (!t || !counts)
        return;
    memset(counts, 0, t->nclasses * sizeof *counts);
    for (size_t r = 0; r < t->rows; r++)
        counts[t->label[r]]++;
}

/* ---- categorical columns ----
 *
 * Each column's categories are found by text through an open-addressing
 * hash (FNV-1a); numbers are handed out in order of arrival while a table
 * is loaded, then put in byte order once (aug_table_sort_categories), so
 * that the numbering does not depend on which rows were loaded. */

typedef struct cat_index {
    size_t cap;     /* power of two */
    uint32_t *slot; /* category number + 1; 0 = empty */
} cat_index;

static void cats_free(aug_categories *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
        free(c->raw[i]);
    }
    free(c->text);
    free(c->raw);
    cat_index *ix = c->index;
    if (ix)
        free(ix->slot);
    free(ix);
    memset(c, 0, sizeof *c);
}

static int cat_rehash(aug_categories *c, size_t cap)
{
    cat_index *ix = c->index;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        size_t h = (size_t)aug_fnv1a(c->text[i], strlen(c->text[i])) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)(i + 1);
    }
    free(ix->slot);
    ix->slot = slot;
    ix->cap = cap;
    return 0;
}

aug_status aug_table_set_categorical(aug_table *t, size_t c, aug_error *err)
{
    if (!t || c >= t->cols)
        return aug_fail(err, AUG_ERR_ARG, "no feature column %zu", c);
    if (!t->categorical) {
        t->categorical = calloc(t->cols, 1);
        t->cats = calloc(t->cols, sizeof *t->cats);
        if (!t->categorical || !t->cats) {
            free(t->categorical);
            free(t->cats);
            t->categorical = NULL;
            t->cats = NULL;
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory marking column %zu categorical", c);
        }
    }
    if (!t->categorical[c]) {
        cat_index *ix = calloc(1, sizeof *ix);
        if (!ix)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory marking column %zu categorical", c);
        t->cats[c].index = ix;
        if (cat_rehash(&t->cats[c], 16)) {
            free(ix);
            t->cats[c].index = NULL;
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory marking column %zu categorical", c);
        }
        t->categorical[c] = 1;
    }
    return AUG_OK;
}

int aug_table_is_categorical(const aug_table *t, size_t c)
{
    return t && t->categorical && c < t->cols && t->categorical[c];
}

size_t aug_table_ncategorical(const aug_table *t)
{
    size_t n = 0;
    for (size_t c = 0; t && t->categorical && c < t->cols; c++)
        n += t->categorical[c];
    return n;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

aug_status aug_table_category(aug_table *t, size_t c, const char *text, size_t len,
                              const char *raw, size_t raw_len, uint32_t *code,
                              aug_error *err)
{
    if (!aug_table_is_categorical(t, c) || (!text && len))
        return aug_fail(err, AUG_ERR_ARG, "column %zu is not categorical", c);
    aug_categories *cs = &t->cats[c];
    cat_index *ix = cs->index;
    size_t h = (size_t)aug_fnv1a(text, len) & (ix->cap - 1);
    for (; ix->slot[h]; h = (h + 1) & (ix->cap - 1)) {
        const char *s = cs->text[ix->slot[h] - 1];
        if (strlen(s) == len && memcmp(s, text, len) == 0) {
            *code = ix->slot[h] - 1;
            return AUG_OK;
        }
    }
    if (cs->n >= UINT32_MAX - 1)
        return aug_fail(err, AUG_ERR_NOMEM, "column '%s' has too many categories", t->names[c]);
    if (!raw) {
        raw = text;
        raw_len = len;
    }
    char **tx = realloc(cs->text, (cs->n + 1) * sizeof *tx);
    if (tx)
        cs->text = tx;
    char **rw = tx ? realloc(cs->raw, (cs->n + 1) * sizeof *rw) : NULL;
    if (rw)
        cs->raw = rw;
    char *a = rw ? dup_n(text, len) : NULL, *b = a ? dup_n(raw, raw_len) : NULL;
    if (!b) {
        free(a);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory adding a category to column '%s'",
                        t->names[c]);
    }
    cs->text[cs->n] = a;
    cs->raw[cs->n] = b;
    *code = (uint32_t)cs->n;
    ix->slot[h] = (uint32_t)++cs->n;
    if (2 * cs->n > ix->cap && cat_rehash(cs, ix->cap * 2)) {
        /* the category is in; a full-ish table only slows lookups down */
        if (cs->n >= ix->cap) {
            cs->n--;
            ix->slot[h] = 0;
            free(a);
            free(b);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory adding a category to column '%s'",
                            t->names[c]);
        }
    }
    return AUG_OK;
}

typedef struct cat_rank {
    const char *text;
    size_t old;
} cat_rank;

static int by_cat_text(const void *a, const void *b)
{
    return strcmp(((const cat_rank *)a)->text, ((const cat_rank *)b)->text);
}

aug_status aug_table_sort_categories(aug_table *t, aug_error *err)
{
    for (size_t c = 0; t && t->categorical && c < t->cols; c++) {
        if (!t->categorical[c])
            continue;
        aug_categories *cs = &t->cats[c];
        size_t n = cs->n;
        if (n < 2)
            continue;
        cat_rank *rk = malloc(n * sizeof *rk);
        size_t *map = malloc(n * sizeof *map);
        char **tx = malloc(n * sizeof *tx), **rw = malloc(n * sizeof *rw);
        if (!rk || !map || !tx || !rw) {
            free(rk);
            free(map);
            free(tx);
            free(rw);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory sorting the categories of '%s'",
                            t->names[c]);
        }
        for (size_t i = 0; i < n; i++)
            rk[i] = (cat_rank){cs->text[i], i};
        qsort(rk, n, sizeof *rk, by_cat_text);
        for (size_t i = 0; i < n; i++) {
            map[rk[i].old] = i;
            tx[i] = cs->text[rk[i].old];
            rw[i] = cs->raw[rk[i].old];
        }
        free(cs->text);
        free(cs->raw);
        cs->text = tx;
        cs->raw = rw;
        for (size_t r = 0; r < t->rows; r++) {
            double *v = &t->x[r * t->cols + c];
            *v = (double)map[(size_t)*v];
        }
        free(rk);
        free(map);
        if (cat_rehash(cs, ((cat_index *)cs->index)->cap))
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory sorting the categories of '%s'",
                            t->names[c]);
    }
    return AUG_OK;
}

aug_status aug_table_set_source(aug_table *t, size_t r, size_t input_row, aug_error *err)
{
    if (!t || r >= t->rows)
        return aug_fail(err, AUG_ERR_ARG, "no row %zu", r);
    if (!t->source) {
        t->source = malloc((t->cap_rows ? t->cap_rows : 1) * sizeof *t->source);
        if (!t->source)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory recording the rows' sources");
        for (size_t i = 0; i < t->rows; i++)
            t->source[i] = i;
    }
    t->source[r] = input_row;
    return AUG_OK;
}

size_t aug_table_source(const aug_table *t, size_t r)
{
    return t->source ? t->source[r] : r;
}

aug_status aug_table_init_like(aug_table *out, const aug_table *t, aug_error *err)
{
    aug_status st = aug_table_init(out, t->cols, (const char *const *)t->names, t->label_name,
                                   err);
    if (st)
        return st;
    out->label_pos = t->label_pos;
    out->delimiter = t->delimiter;
    for (size_t c = 0; c < t->cols && !st; c++) {
        if (!aug_table_is_categorical(t, c))
            continue;
        st = aug_table_set_categorical(out, c, err);
        const aug_categories *cs = &t->cats[c];
        for (size_t i = 0; i < cs->n && !st; i++) {
            uint32_t code;
            st = aug_table_category(out, c, cs->text[i], strlen(cs->text[i]), cs->raw[i],
                                    strlen(cs->raw[i]), &code, err);
        }
    }
    if (st)
        aug_table_free(out);
    return st;
}

void aug_table_free(aug_table *t)
{
    if (!t)
        return;
    if (t->names)
        for (size_t c = 0; c < t->cols; c++)
            free(t->names[c]);
    if (t->classes)
        for (size_t k = 0; k < t->nclasses; k++)
            free(t->classes[k]);
    if (t->cats)
        for (size_t c = 0; c < t->cols; c++)
            cats_free(&t->cats[c]);
    free(t->names);
    free(t->label_name);
    free(t->classes);
    free(t->x);
    free(t->label);
    free(t->categorical);
    free(t->cats);
    free(t->source);
    memset(t, 0, sizeof *t);
}
