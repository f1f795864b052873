/* Internal: the one decimal grammar of the project (src/core/decimal.c).
 *
 * A feature value in a CSV cell, a numeric class label and a ratio given
 * on the command line are all read by this grammar, so that "is it a
 * number" has one answer everywhere:
 *
 *     [spaces] [+|-] (digits [. [digits]] | . digits) [(e|E) [+|-] digits] [spaces]
 *
 * with spaces meaning ' ' only. No hex, no inf or nan, no thousands
 * separators, no decimal comma. */
#ifndef AUGMENT_CORE_DECIMAL_H
#define AUGMENT_CORE_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* A number as read: value = sign * 0.D1D2...Dnd * 10^exp, where the digits
 * D are read from `digits` skipping one '.', and nd counts the significant
 * ones (leading and trailing zeros dropped). sign is 0 for any zero. */
typedef struct aug_dec {
    int sign;
    long long exp;      /* saturated far beyond any double's range */
    const char *digits; /* the first significant digit */
    size_t nd;
    /* For conversion: the value is (neg ? -1 : 1) * mant * 10^e10 exactly
     * when `exact` (every significant digit fits in mant). */
    int neg;
    int exact;
    uint64_t mant;
    long long e10;
} aug_dec;

/* Scan s[0..len): 1 when the whole text is a number by the grammar (and
 * *d describes it), else 0. */
int aug_dec_scan(const char *s, size_t len, aug_dec *d);
/* Compare two scanned numbers by exact value: -1, 0 or 1. */
int aug_dec_cmp(const aug_dec *a, const aug_dec *b);
/* The double nearest to s[0..len) (round half to even): 0; -1 when the
 * text is not a number by the grammar; -2 when it is one too large for a
 * double (an underflow is a tiny number or zero, not an error). *out is
 * set only on success. */
int aug_dec_parse(const char *s, size_t len, double *out);
/* 0 when s[0..len) is a number a double holds, -1 when it is not a
 * number by the grammar, -2 when it is one too large (converting only
 * near the limit). */
int aug_dec_check(const char *s, size_t len);
/* 1 when s[0..len) is a number by the grammar (no conversion). */
int aug_dec_is_number(const char *s, size_t len);

#endif
