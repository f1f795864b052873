/* SMOTE (Chawla et al. 2002) with imbalanced-learn's sampling strategies.
 *
 * A synthetic row is x + gap * (x_nn - x): one gap per row, so it lies on
 * the segment between a row and one of its k nearest same-class rows. (The
 * often-quoted x + gap * |x - x_nn| is wrong: with the absolute value the
 * row moves away from the neighbour wherever the neighbour is smaller.)
 * Memory is O(rows of the class * (features + k)); there is no distance
 * matrix anywhere. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/csv.h"
#include "augment/sampling.h"

/* x + gap * (x_nn - x) must round as written in every build, so callers
 * can recompute it: no fused multiply-add (GCC's -std=c11 already implies
 * this). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define SPEC_FORMS "auto, minority, not-minority, not-majority, all, a ratio in (0, 1] " \
                   "or CLASS=COUNT,..."

/* Rows per class, and the majority and minority as imbalanced-learn picks
 * them: max() / min() over the classes in sorted order, so the first one
 * wins a tie. */
typedef struct counts {
    size_t *n;
    size_t majority, minority; /* first class (in class order) with the max / min count */
} counts;

static aug_status get_counts(const aug_table *t, counts *c, aug_error *err)
{
    c->n = calloc(t->nclasses ? t->nclasses : 1, sizeof *c->n);
    if (!c->n)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory counting %zu classes", t->nclasses);
    aug_table_class_counts(t, c->n);
    c->majority = c->minority = 0;
    for (size_t i = 1; i < t->nclasses; i++) {
        if (c->n[i] > c->n[c->majority])
            c->majority = i;
        if (c->n[i] < c->n[c->minority])
            c->minority = i;
    }
    return AUG_OK;
}

/* The classes, comma separated, for error messages (cut to fit). */
static void list_classes(const aug_table *t, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->nclasses && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "", t->classes[i]);
        if (w < 0 || (size_t)w >= size - used) {
            if (size > 4)
                strcpy(buf + size - 4, "...");
            return;
        }
        used += (size_t)w;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    return s;
}

/* "not-minority", "not minority" (imbalanced-learn's spelling) and
 * "not_minority" all name the same strategy. */
static int is_word(const char *s, const char *word)
{
    for (; *s && *word; s++, word++) {
        int a = (unsigned char)*s, b = (unsigned char)*word;
        if (a == ' ' || a == '_')
            a = '-';
        if (a >= 'A' && a <= 'Z')
            a += 'a' - 'A';
        if (a != b)
            return 0;
    }
    return *s == *word;
}

static aug_status parse_count(const char *s, size_t *out)
{
    if (!*s)
        return AUG_ERR_ARG;
    size_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return AUG_ERR_ARG;
        size_t d = (size_t)(*s - '0');
        if (v > (SIZE_MAX - d) / 10)
            return AUG_ERR_ARG;
        v = v * 10 + d;
    }
    *out = v;
    return AUG_OK;
}

/* {class: count}: the wanted total per named class; others stay as they are. */
static aug_status strategy_dict(const aug_table *t, const counts *c, char *spec,
                                size_t *n_new, aug_error *err)
{
    char known[AUG_ERROR_MAX / 2];
    unsigned char *named = calloc(t->nclasses, 1);
    if (!named)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory parsing the strategy");
    aug_status st = AUG_OK;
    char *item = spec;
    for (;;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        /* The last '=' splits, so a class name may itself contain one. */
        char *eq = strrchr(item, '=');
        if (!eq) {
            st = aug_fail(err, AUG_ERR_ARG, "strategy item '%s' is not CLASS=COUNT",
                          trim(item));
            break;
        }
        *eq = '\0';
        char *name = trim(item);
        char *num = trim(eq + 1);
        size_t want;
        if (!*name) {
            st = aug_fail(err, AUG_ERR_ARG, "strategy item '=%s' names no class", num);
            break;
        }
        size_t ci = aug_table_class_index(t, name);
        if (ci == (size_t)-1) {
            list_classes(t, known, sizeof known);
            st = aug_fail(err, AUG_ERR_ARG,
                          "class '%s' in the strategy is not in the table (classes: %s)",
                          name, known);
            break;
        }
        if (parse_count(num, &want)) {
            st = aug_fail(err, AUG_ERR_ARG,
                          "the count for class '%s' must be a whole number of rows, not '%s'",
                          name, num);
            break;
        }
        if (named[ci]) {
            st = aug_fail(err, AUG_ERR_ARG, "class '%s' is named twice in the strategy", name);
            break;
        }
        named[ci] = 1;
        if (want < c->n[ci]) {
            st = aug_fail(err, AUG_ERR_ARG,
                          "class '%s' has %zu rows but the strategy asks for %zu; "
                          "SMOTE only adds rows (give a count of at least %zu)",
                          name, c->n[ci], want, c->n[ci]);
            break;
        }
        n_new[ci] = want - c->n[ci];
        if (!comma)
            break;
        item = comma + 1;
    }
    free(named);
    return st;
}

/* A float: binary only, the wanted minority/majority ratio afterwards.
 * imbalanced-learn computes int(n_majority * ratio - n_class), truncating
 * towards zero, and fails only when that is negative. */
static aug_status strategy_ratio(const aug_table *t, const counts *c, double ratio,
                                 const char *text, size_t *n_new, aug_error *err)
{
    if (!(ratio > 0.0 && ratio <= 1.0))
        return aug_fail(err, AUG_ERR_ARG,
                        "a ratio strategy must be in (0, 1], got %s", text);
    if (t->nclasses != 2)
        return aug_fail(err, AUG_ERR_ARG,
                        "a ratio strategy needs exactly 2 classes, the table has %zu "
                        "(use CLASS=COUNT,... for more)", t->nclasses);
    size_t other = 1 - c->majority;
    double v = (double)c->n[c->majority] * ratio - (double)c->n[other];
    if (v <= -1.0)
        return aug_fail(err, AUG_ERR_ARG,
                        "ratio %s would remove rows from class '%s' (%zu rows, "
                        "%zu in class '%s'); SMOTE only adds rows, raise the ratio",
                        text, t->classes[other], c->n[other], c->n[c->majority],
                        t->classes[c->majority]);
    n_new[other] = v > 0.0 ? (size_t)v : 0;
    return AUG_OK;
}

aug_status aug_smote_strategy(const aug_table *t, const char *spec, size_t *n_new,
                              aug_error *err)
{
    if (!t || !spec || !n_new)
        return aug_fail(err, AUG_ERR_ARG, "smote strategy: missing table, text or output");
    /* imbalanced-learn refuses a single class: there is nothing to balance. */
    if (t->nclasses < 2)
        return aug_fail(err, AUG_ERR_ARG,
                        "SMOTE needs at least 2 classes; the table has %zu%s%s%s",
                        t->nclasses, t->nclasses ? " ('" : "",
                        t->nclasses ? t->classes[0] : "", t->nclasses ? "')" : "");
    counts c;
    aug_status st = get_counts(t, &c, err);
    if (st)
        return st;
    memset(n_new, 0, t->nclasses * sizeof *n_new);
    char *copy = strdup(spec);
    if (!copy) {
        free(c.n);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory parsing the strategy");
    }
    char *s = trim(copy);
    /* Keywords: which classes grow, each to the majority's count. */
    enum { NONE, NOT_MAJORITY, MINORITY, NOT_MINORITY, ALL } kw = NONE;
    if (is_word(s, "auto") || is_word(s, "not-majority"))
        kw = NOT_MAJORITY;
    else if (is_word(s, "minority"))
        kw = MINORITY;
    else if (is_word(s, "not-minority"))
        kw = NOT_MINORITY;
    else if (is_word(s, "all"))
        kw = ALL;
    if (kw != NONE) {
        for (size_t i = 0; i < t->nclasses; i++) {
            int grow = kw == ALL || (kw == NOT_MAJORITY && i != c.majority) ||
                       (kw == MINORITY && i == c.minority) ||
                       (kw == NOT_MINORITY && i != c.minority);
            n_new[i] = grow ? c.n[c.majority] - c.n[i] : 0;
        }
    } else {
        double ratio;
        if (strchr(s, '='))
            st = strategy_dict(t, &c, s, n_new, err);
        else if (aug_csv_parse_double(s, &ratio) == 0) /* locale-free, like CSV cells */
            st = strategy_ratio(t, &c, ratio, s, n_new, err);
        else
            st = aug_fail(err, AUG_ERR_ARG, "unknown SMOTE strategy '%s' (use %s)", s,
                          SPEC_FORMS);
        if (st)
            memset(n_new, 0, t->nclasses * sizeof *n_new);
    }
    free(copy);
    free(c.n);
    return st;
}

/* All checks before the first row is added, so a failure leaves *out as
 * the caller gave it. */
static aug_status check_classes(const aug_table *t, const counts *c, const size_t *n_new,
                                size_t k, size_t *total, aug_error *err)
{
    *total = 0;
    for (size_t i = 0; i < t->nclasses; i++) {
        if (n_new[i] == 0)
            continue;
        if (n_new[i] > SIZE_MAX - *total)
            return aug_fail(err, AUG_ERR_NOMEM, "too many synthetic rows requested");
        *total += n_new[i];
        if (c->n[i] <= 1)
            return aug_fail(err, AUG_ERR_ARG,
                            "class '%s' has %zu row%s; SMOTE cannot grow it (it "
                            "interpolates between two rows of a class)",
                            t->classes[i], c->n[i], c->n[i] == 1 ? "" : "s");
        if (c->n[i] <= k)
            return aug_fail(err, AUG_ERR_ARG,
                            "class '%s' has %zu rows; SMOTE needs more than k=%zu "
                            "(lower --k to at most %zu)",
                            t->classes[i], c->n[i], k, c->n[i] - 1);
        if (c->n[i] > SIZE_MAX / sizeof(double) / (t->cols > k ? t->cols : k))
            return aug_fail(err, AUG_ERR_NOMEM, "class '%s' is too large", t->classes[i]);
    }
    return AUG_OK;
}

static aug_status grow_class(const aug_table *t, size_t cls, size_t n_c, size_t n_new,
                             size_t k, uint64_t seed, aug_table *out,
                             aug_smote_origin *origins, const aug_runner *runner,
                             aug_error *err)
{
    size_t cols = t->cols;
    size_t *rows = malloc(n_c * sizeof *rows);
    size_t *nn = malloc(n_c * k * sizeof *nn);
    double *pts = malloc(n_c * cols * sizeof *pts);
    double *row = malloc(cols * sizeof *row);
    aug_status st = AUG_OK;
    if (!rows || !nn || !pts || !row) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory for SMOTE on class '%s' (%zu rows)",
                      t->classes[cls], n_c);
        goto done;
    }
    /* A private copy of the class: *out may grow (and move) as rows are
     * appended, even when the caller hands in the input table itself. */
    size_t m = 0;
    for (size_t r = 0; r < t->rows && m < n_c; r++)
        if (t->label[r] == cls) {
            rows[m] = r;
            memcpy(pts + m * cols, t->x + r * cols, cols * sizeof *pts);
            m++;
        }
    st = aug_knn_self_run(pts, n_c, cols, k, nn, runner, err);
    if (st)
        goto done;

    const char *name = t->classes[cls];
    aug_rng rng;
    aug_rng_derive(&rng, seed, name, 0);
    for (size_t i = 0; i < n_new; i++) {
        size_t base = (size_t)aug_rng_below(&rng, n_c);
        size_t nb = nn[base * k + (size_t)aug_rng_below(&rng, k)];
        double gap = aug_rng_uniform(&rng);
        const double *xb = pts + base * cols, *xn = pts + nb * cols;
        for (size_t f = 0; f < cols; f++)
            row[f] = xb[f] + gap * (xn[f] - xb[f]);
        st = aug_table_append(out, row, name, err);
        if (st)
            goto done;
        if (origins) {
            origins[i].base = rows[base];
            origins[i].neighbor = rows[nb];
            origins[i].gap = gap;
        }
    }
done:
    free(rows);
    free(nn);
    free(pts);
    free(row);
    return st;
}

aug_status aug_smote(const aug_table *t, const size_t *n_new, size_t k, uint64_t seed,
                     aug_table *out, aug_smote_origin *origins, aug_error *err)
{
    return aug_smote_run(t, n_new, k, seed, out, origins, NULL, err);
}

aug_status aug_smote_run(const aug_table *t, const size_t *n_new, size_t k, uint64_t seed,
                         aug_table *out, aug_smote_origin *origins, const aug_runner *runner,
                         aug_error *err)
{
    if (!t || !n_new || !out)
        return aug_fail(err, AUG_ERR_ARG, "smote: missing table, counts or output");
    if (k < 1)
        return aug_fail(err, AUG_ERR_ARG, "SMOTE needs k >= 1 neighbours");
    if (out->cols != t->cols)
        return aug_fail(err, AUG_ERR_ARG,
                        "smote: the output table has %zu feature columns, the input %zu",
                        out->cols, t->cols);
    counts c;
    aug_status st = get_counts(t, &c, err);
    if (st)
        return st;
    size_t total;
    st = check_classes(t, &c, n_new, k, &total, err);
    /* Read before appending: out may be t itself. */
    size_t nclasses = t->nclasses, done = 0;
    for (size_t i = 0; i < nclasses && !st; i++) {
        if (n_new[i] == 0)
            continue;
        st = grow_class(t, i, c.n[i], n_new[i], k, seed, out,
                        origins ? origins + done : NULL, runner, err);
        done += n_new[i];
    }
    free(c.n);
    return st;
}
