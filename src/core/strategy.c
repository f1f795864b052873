/* imbalanced-learn's sampling_strategy, from text, over class counts.
 *
 * Kept apart from the samplers, as imbalanced-learn keeps its
 * check_sampling_strategy: the kernels receive numbers of rows and never
 * read text. Majority and minority are max() / min() over the classes in
 * sorted order, so the first one wins a tie, as over np.unique's classes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/sampling.h"
#include "core/decimal.h"

static const char *const FORMS[] = {
    [AUG_STRATEGY_OVER] = "auto, minority, not-minority, not-majority, all, a ratio in (0, 1] "
                          "or CLASS=COUNT,...",
    [AUG_STRATEGY_UNDER] = "auto, majority, not-minority, not-majority, all, a ratio in (0, 1] "
                           "or CLASS=COUNT,...",
    [AUG_STRATEGY_CLEAN] = "auto, majority, not-minority, not-majority, all or CLASS,...",
};

typedef struct classes {
    const size_t *n;
    const char *const *name;
    size_t k;
    size_t majority, minority;
} classes;

/* The classes, comma separated, for messages (cut to fit). */
static void list_classes(const classes *c, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->k && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "", c->name[i]);
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

static int parse_count(const char *s, size_t *out)
{
    if (!*s)
        return -1;
    size_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        size_t d = (size_t)(*s - '0');
        if (v > (SIZE_MAX - d) / 10)
            return -2;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static size_t find(const classes *c, const char *name)
{
    for (size_t i = 0; i < c->k; i++)
        if (strcmp(c->name[i], name) == 0)
            return i;
    return (size_t)-1;
}

static aug_status unknown_class(const classes *c, const char *name, aug_error *err)
{
    char known[AUG_ERROR_MAX / 2];
    list_classes(c, known, sizeof known);
    return aug_fail(err, AUG_ERR_ARG, "class '%s' in the strategy is not in the table "
                    "(classes: %s)", name, known);
}

/* CLASS=COUNT,...: over, the wanted total per named class (others stay);
 * under, the rows to keep. CLASS,... (clean): the classes to clean. */
static aug_status by_class(const classes *c, char *spec, aug_strategy_kind kind,
                           size_t *target, aug_error *err)
{
    unsigned char *named = calloc(c->k ? c->k : 1, 1);
    if (!named)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory parsing the strategy");
    aug_status st = AUG_OK;
    for (char *item = spec; item && !st;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma++ = '\0';
        char *name, *num = NULL;
        if (kind == AUG_STRATEGY_CLEAN) {
            name = trim(item);
        } else {
            /* The last '=' splits, so a class name may itself hold one. */
            char *eq = strrchr(item, '=');
            if (!eq) {
                st = aug_fail(err, AUG_ERR_ARG, "strategy item '%s' is not CLASS=COUNT",
                              trim(item));
                break;
            }
            *eq = '\0';
            name = trim(item);
            num = trim(eq + 1);
        }
        if (!*name) {
            st = aug_fail(err, AUG_ERR_ARG, "a strategy item names no class");
            break;
        }
        size_t ci = find(c, name);
        if (ci == (size_t)-1) {
            st = unknown_class(c, name, err);
            break;
        }
        if (named[ci]) {
            st = aug_fail(err, AUG_ERR_ARG, "class '%s' is named twice in the strategy", name);
            break;
        }
        named[ci] = 1;
        item = comma;
        if (kind == AUG_STRATEGY_CLEAN) {
            target[ci] = 1;
            continue;
        }
        size_t want;
        int rc = parse_count(num, &want);
        if (rc) {
            st = aug_fail(err, AUG_ERR_ARG, rc == -2 ? "the count for class '%s' is too large "
                          "('%s')" : "the count for class '%s' must be a whole number of rows, "
                          "not '%s'", name, num);
            break;
        }
        if (kind == AUG_STRATEGY_OVER) {
            if (want < c->n[ci])
                st = aug_fail(err, AUG_ERR_ARG,
                              "class '%s' has %zu rows but the strategy asks for %zu; "
                              "over-sampling only adds rows (give a count of at least %zu)",
                              name, c->n[ci], want, c->n[ci]);
            else
                target[ci] = want - c->n[ci];
        } else {
            if (want > c->n[ci])
                st = aug_fail(err, AUG_ERR_ARG,
                              "class '%s' has %zu rows but the strategy asks for %zu; "
                              "under-sampling only removes rows (give at most %zu)",
                              name, c->n[ci], want, c->n[ci]);
            else
                target[ci] = want;
        }
    }
    free(named);
    return st;
}

/* A ratio, binary only: over, int(n_majority * ratio - n_class) rows for
 * the other class (an error when that is negative); under, the majority
 * keeps int(n_minority / ratio) (an error when that is more than it has). */
static aug_status by_ratio(const classes *c, double ratio, const char *text,
                           aug_strategy_kind kind, size_t *target, aug_error *err)
{
    if (kind == AUG_STRATEGY_CLEAN)
        return aug_fail(err, AUG_ERR_ARG, "a cleaning method takes no ratio ('%s'); use %s",
                        text, FORMS[kind]);
    if (!(ratio > 0.0 && ratio <= 1.0))
        return aug_fail(err, AUG_ERR_ARG, "a ratio strategy must be in (0, 1], got %s", text);
    if (c->k != 2)
        return aug_fail(err, AUG_ERR_ARG,
                        "a ratio strategy needs exactly 2 classes, the table has %zu "
                        "(use CLASS=COUNT,... for more)", c->k);
    if (kind == AUG_STRATEGY_OVER) {
        size_t other = 1 - c->majority;
        double v = (double)c->n[c->majority] * ratio - (double)c->n[other];
        if (v <= -1.0)
            return aug_fail(err, AUG_ERR_ARG,
                            "ratio %s would remove rows from class '%s' (%zu rows, "
                            "%zu in class '%s'); over-sampling only adds rows, raise the ratio",
                            text, c->name[other], c->n[other], c->n[c->majority],
                            c->name[c->majority]);
        target[other] = v > 0.0 ? (size_t)v : 0;
        return AUG_OK;
    }
    size_t other = 1 - c->minority;
    double v = floor((double)c->n[c->minority] / ratio);
    if (v > (double)c->n[other])
        return aug_fail(err, AUG_ERR_ARG,
                        "ratio %s would add rows to class '%s' (%zu rows, %zu in class '%s'); "
                        "under-sampling only removes rows, raise the ratio",
                        text, c->name[other], c->n[other], c->n[c->minority],
                        c->name[c->minority]);
    target[other] = (size_t)v;
    return AUG_OK;
}

aug_status aug_sampling_strategy(const size_t *counts, const char *const *names,
                                 size_t nclasses, const char *spec, aug_strategy_kind kind,
                                 size_t *target, aug_error *err)
{
    if (!counts || !names || !spec || !target || (unsigned)kind > AUG_STRATEGY_CLEAN)
        return aug_fail(err, AUG_ERR_ARG, "sampling strategy: missing counts, text or output");
    /* Nothing changes unless the strategy says so. */
    for (size_t i = 0; i < nclasses; i++)
        target[i] = kind == AUG_STRATEGY_UNDER ? counts[i] : 0;
    /* imbalanced-learn refuses a single class: there is nothing to balance. */
    if (nclasses < 2)
        return aug_fail(err, AUG_ERR_ARG,
                        "resampling needs at least 2 classes; the table has %zu%s%s%s",
                        nclasses, nclasses ? " ('" : "", nclasses ? names[0] : "",
                        nclasses ? "')" : "");
    classes c = {counts, names, nclasses, 0, 0};
    for (size_t i = 1; i < nclasses; i++) {
        if (counts[i] > counts[c.majority])
            c.majority = i;
        if (counts[i] < counts[c.minority])
            c.minority = i;
    }
    char *copy = strdup(spec);
    if (!copy)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory parsing the strategy");
    char *s = trim(copy);
    enum { NONE, NOT_MAJORITY, NOT_MINORITY, MINORITY, MAJORITY, ALL } kw = NONE;
    if (is_word(s, "auto"))
        kw = kind == AUG_STRATEGY_OVER ? NOT_MAJORITY : NOT_MINORITY;
    else if (is_word(s, "not-majority"))
        kw = NOT_MAJORITY;
    else if (is_word(s, "not-minority"))
        kw = NOT_MINORITY;
    else if (is_word(s, "minority"))
        kw = MINORITY;
    else if (is_word(s, "majority"))
        kw = MAJORITY;
    else if (is_word(s, "all"))
        kw = ALL;
    aug_status st = AUG_OK;
    double ratio;
    if ((kw == MINORITY && kind != AUG_STRATEGY_OVER) ||
        (kw == MAJORITY && kind == AUG_STRATEGY_OVER)) {
        st = aug_fail(err, AUG_ERR_ARG, "'%s' makes no sense for %s (use %s)", s,
                      kind == AUG_STRATEGY_OVER ? "over-sampling" : "under-sampling",
                      FORMS[kind]);
    } else if (kw != NONE) {
        for (size_t i = 0; i < nclasses; i++) {
            int pick = kw == ALL || (kw == NOT_MAJORITY && i != c.majority) ||
                       (kw == NOT_MINORITY && i != c.minority) ||
                       (kw == MINORITY && i == c.minority) || (kw == MAJORITY && i == c.majority);
            if (!pick)
                continue;
            if (kind == AUG_STRATEGY_OVER)
                target[i] = counts[c.majority] - counts[i];
            else if (kind == AUG_STRATEGY_UNDER)
                target[i] = counts[c.minority];
            else
                target[i] = 1;
        }
    } else if (aug_dec_parse(s, strlen(s), &ratio) == 0) {
        st = by_ratio(&c, ratio, s, kind, target, err);
    } else if (strchr(s, '=') || (kind == AUG_STRATEGY_CLEAN && *s)) {
        st = by_class(&c, s, kind, target, err);
    } else {
        st = aug_fail(err, AUG_ERR_ARG, "unknown sampling strategy '%s' (use %s)", s,
                      FORMS[kind]);
    }
    if (st)
        for (size_t i = 0; i < nclasses; i++)
            target[i] = kind == AUG_STRATEGY_UNDER ? counts[i] : 0;
    free(copy);
    return st;
}
