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
 * Numeric order compares the decimal text exactly (no strtod), so it needs
 * no locale, cannot overflow, and is a total order together with the byte
 * tie-break ("01" < "1" < "1.0", which are equal numbers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/table.h"
#include "core/table_rows.h"

/* A parsed decimal: value = sign * 0.d1d2d3... * 10^exp, where the digits
 * run from `d` (skipping one '.') over `nd` significant digits. */
typedef struct dec {
    int sign;          /* -1, 0 or +1 */
    long long exp;
    const char *d;
    size_t nd;
} dec;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The grammar of aug_csv_parse_double (spaces, sign, digits with an
 * optional point, optional exponent), minus its range check. */
static int dec_parse(const char *s, dec *x)
{
    while (*s == ' ')
        s++;
    int neg = *s == '-';
    if (*s == '+' || *s == '-')
        s++;
    const char *first = NULL; /* first non-zero digit */
    long long point = 0;      /* digits before the point, from `first` */
    size_t ndigits = 0, nd = 0;
    int seen_point = 0;
    for (;; s++) {
        if (*s == '.' && !seen_point) {
            seen_point = 1;
            continue;
        }
        if (!is_digit(*s))
            break;
        ndigits++;
        if (!first && *s != '0')
            first = s;
        if (first) {
            nd++;
            if (!seen_point)
                point++;
        } else if (seen_point) {
            point--; /* a zero between the point and the first digit */
        }
    }
    if (ndigits == 0)
        return 0;
    long long e = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        int eneg = *s == '-';
        if (*s == '+' || *s == '-')
            s++;
        if (!is_digit(*s))
            return 0;
        for (; is_digit(*s); s++)
            if (e < 1000000000LL) /* saturate: beyond this only the sign matters */
                e = e * 10 + (*s - '0');
        if (eneg)
            e = -e;
    }
    while (*s == ' ')
        s++;
    if (*s)
        return 0;
    /* Trailing zeros are not significant. */
    if (first) {
        const char *p = first;
        size_t last = 0;
        for (size_t i = 0; i < nd; p++) {
            if (*p == '.')
                continue;
            i++;
            if (*p != '0')
                last = i;
        }
        nd = last;
    }
    x->sign = first ? (neg ? -1 : 1) : 0;
    x->exp = point + e;
    x->d = first;
    x->nd = nd;
    return 1;
}

static int dec_cmp(const dec *a, const dec *b)
{
    if (a->sign != b->sign)
        return a->sign < b->sign ? -1 : 1;
    if (a->sign == 0)
        return 0;
    int mag = 0;
    if (a->exp != b->exp) {
        mag = a->exp < b->exp ? -1 : 1;
    } else {
        const char *p = a->d, *q = b->d;
        size_t i = 0;
        for (; i < a->nd && i < b->nd && !mag; i++, p++, q++) {
            if (*p == '.')
                p++;
            if (*q == '.')
                q++;
            if (*p != *q)
                mag = *p < *q ? -1 : 1;
        }
        if (!mag && a->nd != b->nd)
            mag = a->nd < b->nd ? -1 : 1;
    }
    return a->sign * mag;
}

static int is_number(const char *s)
{
    dec x;
    return dec_parse(s, &x);
}

/* Numeric order with a byte tie-break; strings that are not numbers fall
 * back to bytes (only reachable while probing a byte-ordered list, where a
 * miss is all that can happen). */
static int class_cmp(int numeric, const char *a, const char *b)
{
    if (numeric) {
        dec x, y;
        if (dec_parse(a, &x) && dec_parse(b, &y)) {
            int c = dec_cmp(&x, &y);
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
    for (size_t i = 0; i < n; i++)
        t->label[t->rows + i] = aug_table_class_index(t, labels[i]);
    t->rows += n;
    return AUG_OK;
}

void aug_table_class_counts(const aug_table *t, size_t *counts)
{
    if (!t || !counts)
        return;
    memset(counts, 0, t->nclasses * sizeof *counts);
    for (size_t r = 0; r < t->rows; r++)
        counts[t->label[r]]++;
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
    free(t->names);
    free(t->label_name);
    free(t->classes);
    free(t->x);
    free(t->label);
    memset(t, 0, sizeof *t);
}
