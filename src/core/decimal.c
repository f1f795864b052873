/* The project's one decimal grammar (see decimal.h): scanning, exact
 * comparison (numeric class order) and conversion to double (CSV cells,
 * ratios).
 *
 * Conversion: most real values have few digits, and a mantissa up to 2^53
 * times a power of ten up to 10^22 is one correctly rounded IEEE operation
 * (Clinger's fast path), the same double strtod returns at a fraction of
 * its cost. The rest goes to strtod_l in the "C" locale, on text this
 * grammar has already accepted, so strtod's extras (hex, inf, nan, leading
 * tabs, a locale's decimal comma) can never get through. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

#define EXP_CAP 1000000000LL /* beyond this only the sign of an exponent matters */

int aug_dec_scan(const char *s, size_t len, aug_dec *d)
{
    const char *p = s, *end = s + len;
    while (p < end && *p == ' ')
        p++;
    d->neg = p < end && *p == '-';
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    const char *first = NULL; /* first non-zero digit */
    const char *last = NULL;  /* last non-zero digit */
    const char *dot = NULL;   /* the point */
    long long point = 0;      /* digits from `first` to the point */
    size_t ndigits = 0;
    int seen_point = 0;
    uint64_t mant = 0;
    long long e10 = 0;
    int exact = 1;
    for (; p < end; p++) {
        char c = *p;
        if (c == '.' && !seen_point) {
            seen_point = 1;
            dot = p;
            continue;
        }
        if (!is_digit(c))
            break;
        ndigits++;
        if (c != '0') {
            if (!first)
                first = p;
            last = p;
        }
        if (first && !seen_point)
            point++;
        else if (!first && seen_point)
            point--; /* a zero between the point and the first digit */
        if (mant < 100000000000000000ULL) {
            mant = mant * 10 + (uint64_t)(c - '0');
            e10 -= seen_point;
        } else {
            exact &= c == '0';
            e10 += !seen_point;
        }
    }
    if (ndigits == 0)
        return 0;
    long long e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = p < end && *p == '-';
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !is_digit(*p))
            return 0;
        for (; p < end && is_digit(*p); p++)
            if (e < EXP_CAP)
                e = e * 10 + (*p - '0');
        if (eneg)
            e = -e;
    }
    while (p < end && *p == ' ')
        p++;
    if (p != end)
        return 0;
    d->sign = first ? (d->neg ? -1 : 1) : 0;
    d->exp = point + e;
    d->digits = first;
    d->nd = 0;
    if (first) /* significant digits from the first to the last non-zero */
        d->nd = (size_t)(last - first) + 1 - (dot && dot > first && dot < last);
    d->exact = exact;
    d->mant = mant;
    d->e10 = e10 + e;
    return 1;
}

/* The grammar alone, without converting: the check every cell of a
 * numeric column gets on a first reading. Returns 0 for a number, -1 for
 * text, -2 for a number too large for a double (decided by aug_dec_parse
 * only when the digits and exponent come near the limit). */
int aug_dec_check(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while (p < end && *p == ' ')
        p++;
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    const char *d0 = p;
    while (p < end && *p == '0')
        p++;
    const char *i0 = p;
    while (p < end && is_digit(*p))
        p++;
    long long mag = (long long)(p - i0); /* integer digits after leading zeros */
    size_t nd = (size_t)(p - d0);
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        while (p < end && is_digit(*p))
            p++;
        nd += (size_t)(p - f0);
    }
    if (nd == 0)
        return -1;
    long long e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int neg = p < end && *p == '-';
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        const char *e0 = p;
        for (; p < end && is_digit(*p); p++)
            if (e < EXP_CAP)
                e = e * 10 + (*p - '0');
        if (p == e0)
            return -1;
        e = neg ? -e : e;
    }
    while (p < end && *p == ' ')
        p++;
    if (p != end)
        return -1;
    if (mag + e < 300)
        return 0;
    double v;
    return aug_dec_parse(s, len, &v) == 0 ? 0 : -2;
}

int aug_dec_is_number(const char *s, size_t len)
{
    return aug_dec_check(s, len) != -1;
}

int aug_dec_cmp(const aug_dec *a, const aug_dec *b)
{
    if (a->sign != b->sign)
        return a->sign < b->sign ? -1 : 1;
    if (a->sign == 0)
        return 0;
    int mag = 0;
    if (a->exp != b->exp) {
        mag = a->exp < b->exp ? -1 : 1;
    } else {
        const char *p = a->digits, *q = b->digits;
        for (size_t i = 0; i < a->nd && i < b->nd && !mag; i++, p++, q++) {
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

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
#define MANT_MAX 9007199254740992ULL /* 2^53 */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* strtod_l on a copy of the number without its spaces; the grammar has
 * accepted the text, so strtod reads all of it. */
static int slow_parse(const char *s, size_t len, double *out)
{
    while (len && *s == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    char small[128], *buf = small;
    if (len >= sizeof small && !(buf = malloc(len + 1)))
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    pthread_once(&c_locale_once, make_c_locale);
    double v = c_locale ? strtod_l(buf, NULL, c_locale) : strtod(buf, NULL);
    if (buf != small)
        free(buf);
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}

int aug_dec_parse(const char *s, size_t len, double *out)
{
    aug_dec d;
    if (!aug_dec_scan(s, len, &d))
        return -1;
    if (d.sign == 0) {
        *out = d.neg ? -0.0 : 0.0;
        return 0;
    }
#if FLT_EVAL_METHOD == 0
    if (d.exact && d.mant <= MANT_MAX && d.e10 >= -22 && d.e10 <= 22) {
        double v = (double)d.mant;
        v = d.e10 < 0 ? v / POW10[-d.e10] : v * POW10[d.e10];
        *out = d.neg ? -v : v;
        return 0;
    }
#endif
    /* Far outside the range of a double: no need to ask strtod. */
    if (d.exp > 400)
        return -2;
    if (d.exp < -400) {
        *out = d.neg ? -0.0 : 0.0;
        return 0;
    }
    return slow_parse(s, len, out);
}
