/* Locale-free numbers: the decimal grammar of a feature value, and the
 * shortest text that reads back to the same double.
 *
 * We check our own grammar before strtod so that its extras (hex, inf,
 * nan, leading tabs) never get through, and run every conversion in the
 * "C" locale (see csv_internal.h). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_internal.h"

aug_status aug_c_locale_enter(aug_c_locale *l, aug_error *err)
{
    l->old = (locale_t)0;
    l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory creating the C locale");
    l->old = uselocale(l->c);
    return AUG_OK;
}

void aug_c_locale_leave(aug_c_locale *l)
{
    uselocale(l->old);
    freelocale(l->c);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
#define MANT_MAX 9007199254740992ULL /* 2^53 */

/* Most real values have few digits: a mantissa up to 2^53 times a power of
 * ten up to 10^22 is one correctly rounded IEEE operation (Clinger's fast
 * path), the same double strtod returns at a fraction of its cost. The
 * rest goes to strtod. */
int aug_csv_parse_c(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    const char *p = s;
    int neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    uint64_t m = 0;
    int exact = 1;  /* m holds every significant digit */
    long q = 0;     /* the value is m * 10^q */
    size_t digits = 0;
    for (int frac = 0;; p++) {
        if (*p == '.' && !frac) {
            frac = 1;
            continue;
        }
        if (!is_digit(*p))
            break;
        digits++;
        if (m < 100000000000000000ULL) {
            m = m * 10 + (uint64_t)(*p - '0');
            q -= frac;
        } else {
            exact = 0;
        }
    }
    if (!digits)
        return -1;
    long e = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = *p == '-';
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return -1;
        for (; is_digit(*p); p++)
            if (e < 100000) /* beyond this, only "huge" or "tiny" matters */
                e = e * 10 + (*p - '0');
        if (eneg)
            e = -e;
    }
    const char *end = p;
    while (*p == ' ')
        p++;
    if (*p)
        return -1;
#if FLT_EVAL_METHOD == 0
    q += e;
    if (exact && (m == 0 || (m <= MANT_MAX && q >= -22 && q <= 22))) {
        double v = (double)m;
        if (m)
            v = q < 0 ? v / POW10[-q] : v * POW10[q];
        *out = neg ? -v : v;
        return 0;
    }
#endif
    char *stop;
    double v = strtod(s, &stop);
    if (stop != end)
        return -1;
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}

int aug_csv_parse_double(const char *s, double *out)
{
    aug_c_locale l;
    double v;
    if (!s || !out || aug_c_locale_enter(&l, NULL))
        return -1;
    int rc = aug_csv_parse_c(s, &v);
    aug_c_locale_leave(&l);
    if (rc)
        return -1;
    *out = v;
    return 0;
}

/* The first `prec` significant digits of |v|, correctly rounded, and the
 * decimal exponent of the first one. */
static void e_digits(double v, int prec, char *dig, int *x)
{
    char t[40];
    snprintf(t, sizeof t, "%.*e", prec - 1, fabs(v));
    const char *p = t;
    for (int n = 0; *p != 'e'; p++)
        if (is_digit(*p))
            dig[n++] = *p;
    int neg = *++p == '-', e = 0;
    for (p++; is_digit(*p); p++)
        e = e * 10 + (*p - '0');
    *x = neg ? -e : e;
}

/* 17 digits rounded to p < 17 in text. It agrees with rounding the exact
 * value unless the dropped digits are exactly one half ("5", "50"): then
 * the 17 digits hide which side the exact value lies on, and we return 0. */
static int round_digits(const char *d17, int p, char *dig, int *x)
{
    memcpy(dig, d17, (size_t)p);
    if (d17[p] == '5') {
        int rest = 0;
        for (int i = p + 1; i < 17; i++)
            rest |= d17[i] != '0';
        if (!rest)
            return 0;
    }
    if (d17[p] >= '5') {
        int i = p - 1;
        while (i >= 0 && dig[i] == '9')
            dig[i--] = '0';
        if (i < 0) {
            dig[0] = '1';
            (*x)++;
        } else {
            dig[i]++;
        }
    }
    return 1;
}

/* printf's "%.{P}g" layout of the digits dig[0..P) with exponent x. */
static int render(char *b, int neg, const char *dig, int P, int x)
{
    int k = P;
    while (k > 1 && dig[k - 1] == '0')
        k--;
    char *o = b;
    if (neg)
        *o++ = '-';
    if (x >= -4 && x < P) {
        if (x < 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -x - 1; i++)
                *o++ = '0';
        }
        for (int i = 0; i < k || i <= x; i++) {
            if (i == x + 1 && x >= 0)
                *o++ = '.';
            *o++ = i < k ? dig[i] : '0';
        }
    } else {
        *o++ = dig[0];
        if (k > 1)
            *o++ = '.';
        memcpy(o, dig + 1, (size_t)(k - 1));
        o += k - 1;
        o += snprintf(o, 8, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    }
    *o = '\0';
    return (int)(o - b);
}

/* Needs the "C" numeric locale in force. For a normal double, if 15
 * significant digits read back, so would the nearest shorter rendering
 * (it is the 15-digit one with zeros dropped), so 15, 16, 17 finds the
 * shortest; a subnormal has fewer bits and may need fewer digits still.
 * One "%.17e" serves all three lengths in all but the rare half-way case. */
int aug_csv_format_c(char *b, double v, int precision)
{
    if (!isfinite(v))
        return snprintf(b, AUG_CSV_NUMBUF, "%s",
                        isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
    if (precision > 0)
        return snprintf(b, AUG_CSV_NUMBUF, "%.*g",
                        precision > 17 ? 17 : precision, v);
    int neg = signbit(v) != 0, x17, x, n;
    char d17[17], dig[17];
    double back;
    int subnormal = v != 0 && fabs(v) < DBL_MIN;
    e_digits(v, 17, d17, &x17);
    for (int p = subnormal ? 1 : 15; p < 17; p++) {
        x = x17;
        if (subnormal || !round_digits(d17, p, dig, &x))
            e_digits(v, p, dig, &x);
        n = render(b, neg, dig, p, x);
        if (aug_csv_parse_c(b, &back) == 0 && back == v)
            return n;
    }
    return render(b, neg, d17, 17, x17);
}

int aug_csv_format_double(char *buf, size_t size, double v, int precision)
{
    char b[AUG_CSV_NUMBUF];
    aug_c_locale l;
    if (aug_c_locale_enter(&l, NULL))
        return -1;
    int n = aug_csv_format_c(b, v, precision);
    aug_c_locale_leave(&l);
    snprintf(buf, size, "%s", b);
    return n;
}
