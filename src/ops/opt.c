/* Declared options: one table binds each option to its storage, range and
 * help, and one parser reads argv-style words into it (as git's
 * parse-options). The parser returns errors instead of exiting, so a chain
 * can say which stage a bad value belongs to, and a fuzzer can drive it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/ops.h"

static int takes_value(const aug_opt *o)
{
    return o->kind != AUG_OPT_FLAG && o->kind != AUG_OPT_SET;
}

int aug_opt_active(const aug_opt *o, unsigned mask)
{
    return (o->groups & mask) == o->groups;
}

int aug_opt_given(const aug_opt *opts, uint64_t given, const char *name)
{
    for (size_t i = 0; opts && opts[i].kind != AUG_OPT_END && i < 64; i++)
        if (strcmp(opts[i].name, name) == 0)
            return (given >> i) & 1;
    return 0;
}

void aug_opt_usage(const aug_opt *o, char *buf, size_t size)
{
    int n = o->letter ? snprintf(buf, size, "-%c, --%s", o->letter, o->name)
                      : snprintf(buf, size, "    --%s", o->name);
    if (o->arg && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " %s", o->arg);
}

static aug_status bad_number(const aug_opt *o, const char *arg, aug_error *err)
{
    if (o->kind == AUG_OPT_INT || o->kind == AUG_OPT_LONG)
        return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not an integer in %.0f..%.0f",
                        o->name, arg, o->lo, o->hi);
    return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not a number in %c%g, %g]", o->name,
                    arg, o->flags & AUG_OPT_ABOVE_LO ? '(' : '[', o->lo, o->hi);
}

static int in_range(const aug_opt *o, double v)
{
    return isfinite(v) && v <= o->hi &&
           ((o->flags & AUG_OPT_ABOVE_LO) ? v > o->lo : v >= o->lo);
}

/* A whole decimal number: strtod, but nothing may follow it. */
static int whole_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return !errno && end != s && *end == '\0';
}

static aug_status parse_range(const aug_opt *o, const char *arg, double *out, aug_error *err)
{
    char *end;
    errno = 0;
    out[0] = strtod(arg, &end);
    int ok = end != arg;
    if (ok && *end == ':') {
        const char *second = end + 1;
        out[1] = strtod(second, &end);
        ok = end != second;
    } else {
        out[1] = out[0];
    }
    ok = ok && !errno && *end == '\0' && in_range(o, out[0]) && in_range(o, out[1]) &&
         out[0] <= out[1];
    if (!ok)
        return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not V or LO:HI with %g %s LO <= HI <= %g",
                        o->name, arg, o->lo, o->flags & AUG_OPT_ABOVE_LO ? "<" : "<=", o->hi);
    return AUG_OK;
}

static aug_status parse_color(const aug_opt *o, const char *arg, aug_color *out, aug_error *err)
{
    const char *p = arg;
    aug_color c = {{0, 0, 0, 0}, 0};
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (errno || end == p || v < 0 || v > 255 || c.n == 4 || (*p < '0' || *p > '9'))
            break;
        c.v[c.n++] = (uint8_t)v;
        if (*end == '\0') {
            if (c.n == 2)
                break; /* "V,W" is not a colour */
            *out = c;
            return AUG_OK;
        }
        if (*end != ',')
            break;
        p = end + 1;
    }
    return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not V or R,G,B or R,G,B,A with values 0..255",
                    o->name, arg);
}

static aug_status parse_choice(const aug_opt *o, const char *arg, int *out, aug_error *err)
{
    aug_buf allowed = {0};
    for (int i = 0; o->choices[i]; i++) {
        if (strcmp(arg, o->choices[i]) == 0) {
            *out = i;
            aug_buf_free(&allowed);
            return AUG_OK;
        }
        aug_buf_addf(&allowed, "%s%s", i ? ", " : "", o->choices[i]);
    }
    aug_status st = aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not one of %s", o->name, arg,
                             allowed.data ? allowed.data : "");
    aug_buf_free(&allowed);
    return st;
}

aug_status aug_opt_value(const aug_opt *o, const char *arg, void *base, aug_error *err)
{
    void *dst = (char *)base + o->offset;
    double d;
    switch (o->kind) {
    case AUG_OPT_FLAG:
        *(int *)dst = 1;
        return AUG_OK;
    case AUG_OPT_SET:
        *(int *)dst = o->value;
        return AUG_OK;
    case AUG_OPT_INT:
    case AUG_OPT_LONG: {
        char *end;
        errno = 0;
        long v = strtol(arg, &end, 10);
        if (errno || end == arg || *end || !in_range(o, (double)v))
            return bad_number(o, arg, err);
        if (o->kind == AUG_OPT_INT)
            *(int *)dst = (int)v;
        else
            *(long *)dst = v;
        return AUG_OK;
    }
    case AUG_OPT_DOUBLE:
        if (!whole_double(arg, &d) || !in_range(o, d))
            return bad_number(o, arg, err);
        *(double *)dst = d;
        return AUG_OK;
    case AUG_OPT_RANGE:
        return parse_range(o, arg, (double *)dst, err);
    case AUG_OPT_CHOICE:
        return parse_choice(o, arg, (int *)dst, err);
    case AUG_OPT_COLOR:
        return parse_color(o, arg, (aug_color *)dst, err);
    case AUG_OPT_STRING:
        *(const char **)dst = arg;
        return AUG_OK;
    case AUG_OPT_U64: {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(arg, &end, 10);
        if (errno || end == arg || *end || arg[0] < '0' || arg[0] > '9')
            return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not an integer in 0..2^64-1",
                            o->name, arg);
        *(uint64_t *)dst = (uint64_t)v;
        return AUG_OK;
    }
    case AUG_OPT_CUSTOM:
        return o->parse(o, arg, dst, err);
    case AUG_OPT_END:
        break;
    }
    return aug_fail(err, AUG_ERR_ARG, "--%s: not a declared option kind", o->name);
}

typedef struct found {
    const aug_opt *opt;
    size_t set, index;
} found;

/* An exact long name wins; otherwise a prefix that names one option only. */
static int find_long(aug_optset *sets, size_t nsets, const char *name, size_t len, found *f,
                     int *ambiguous)
{
    int hits = 0;
    *ambiguous = 0;
    for (size_t s = 0; s < nsets; s++)
        for (size_t i = 0; sets[s].opts && sets[s].opts[i].kind != AUG_OPT_END; i++) {
            const aug_opt *o = &sets[s].opts[i];
            if (!aug_opt_active(o, sets[s].mask) || strncmp(o->name, name, len) != 0)
                continue;
            if (o->name[len] == '\0') {
                *f = (found){o, s, i};
                return 1;
            }
            if (hits++ == 0)
                *f = (found){o, s, i};
        }
    *ambiguous = hits > 1;
    return hits == 1;
}

static int find_short(aug_optset *sets, size_t nsets, char letter, found *f)
{
    for (size_t s = 0; s < nsets; s++)
        for (size_t i = 0; sets[s].opts && sets[s].opts[i].kind != AUG_OPT_END; i++) {
            const aug_opt *o = &sets[s].opts[i];
            if (o->letter == letter && aug_opt_active(o, sets[s].mask)) {
                *f = (found){o, s, i};
                return 1;
            }
        }
    return 0;
}

/* Flags that set one field to different values are one choice: a second
 * one (or the same twice) would silently override the first, so it is
 * refused, naming the choices. */
static aug_status one_choice(const aug_optset *set, const found *f, aug_error *err)
{
    const aug_opt *opts = set->opts;
    int clash = 0;
    aug_buf names = {0};
    for (size_t i = 0; opts[i].kind != AUG_OPT_END && i < 64; i++) {
        if (opts[i].kind != AUG_OPT_SET || opts[i].offset != f->opt->offset)
            continue;
        clash |= (int)((set->given >> i) & 1);
        aug_buf_addf(&names, "%s--%s", names.len ? ", " : "", opts[i].name);
    }
    aug_status st = AUG_OK;
    if (clash)
        st = aug_fail(err, AUG_ERR_ARG, "give only one of %s", names.data ? names.data : "");
    aug_buf_free(&names);
    return st;
}

static aug_status store(aug_optset *sets, const found *f, const char *arg, aug_error *err)
{
    aug_status st = f->opt->kind == AUG_OPT_SET ? one_choice(&sets[f->set], f, err) : AUG_OK;
    if (st)
        return st;
    st = aug_opt_value(f->opt, arg, sets[f->set].base, err);
    if (!st && f->index < 64)
        sets[f->set].given |= (uint64_t)1 << f->index;
    return st;
}

aug_status aug_opt_parse(aug_optset *sets, size_t nsets, int argc, char **argv,
                         int *noperands, aug_error *err)
{
    int nops = 0, only_operands = 0;
    for (size_t s = 0; s < nsets; s++)
        sets[s].given = 0;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        found f;
        aug_status st;
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            if (!noperands)
                return aug_fail(err, AUG_ERR_ARG, "unexpected '%s' (not an option)", a);
            argv[nops++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int ambiguous;
            if (!find_long(sets, nsets, name, len, &f, &ambiguous))
                return aug_fail(err, AUG_ERR_ARG, "%s option '--%.*s'",
                                ambiguous ? "ambiguous" : "unknown", (int)len, name);
            const char *val = NULL;
            if (takes_value(f.opt)) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else
                    return aug_fail(err, AUG_ERR_ARG, "--%s needs a value", f.opt->name);
            } else if (eq) {
                return aug_fail(err, AUG_ERR_ARG, "--%s takes no value", f.opt->name);
            }
            if ((st = store(sets, &f, val, err)))
                return st;
            continue;
        }
        /* A cluster of short options: "-qv", "-n5", "-n 5". */
        for (const char *p = a + 1; *p; p++) {
            if (!find_short(sets, nsets, *p, &f))
                return aug_fail(err, AUG_ERR_ARG, "unknown option '-%c'", *p);
            if (!takes_value(f.opt)) {
                if ((st = store(sets, &f, NULL, err)))
                    return st;
                continue;
            }
            const char *val = p[1] ? p + 1 : NULL;
            if (!val) {
                if (i + 1 >= argc)
                    return aug_fail(err, AUG_ERR_ARG, "-%c needs a value", *p);
                val = argv[++i];
            }
            if ((st = store(sets, &f, val, err)))
                return st;
            break;
        }
    }
    if (noperands)
        *noperands = nops;
    return AUG_OK;
}

void aug_color_for(const aug_color *c, int channels, uint8_t out[4])
{
    const uint8_t *v = c->v;
    uint8_t r = v[0], g = c->n >= 3 ? v[1] : v[0], b = c->n >= 3 ? v[2] : v[0];
    uint8_t a = c->n == 4 ? v[3] : 255;
    uint8_t grey = (uint8_t)((299u * r + 587u * g + 114u * b + 500u) / 1000u);
    switch (channels) {
    case 1: out[0] = grey; break;
    case 2: out[0] = grey; out[1] = a; break;
    case 3: out[0] = r; out[1] = g; out[2] = b; break;
    default: out[0] = r; out[1] = g; out[2] = b; out[3] = a; break;
    }
}
