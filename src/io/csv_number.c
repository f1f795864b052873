/* Locale-free numbers: a feature value is read by the project's one decimal
 * grammar (core/decimal.c) and written as the shortest text that reads back
 * to the same double (io/dtoa.c), laid out as printf's "%.{P}g" would. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "io/csv_internal.h"
#include "io/dtoa.h"

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

int aug_csv_parse_c(const char *s, double *out)
{
    return aug_dec_parse(s, strlen(s), out);
}

int aug_csv_parse_double(const char *s, double *out)
{
    double v;
    if (!s || !out || aug_dec_parse(s, strlen(s), &v))
        return -1;
    *out = v;
    return 0;
}

/* printf's "%.{P}g" layout of the digits dig[0..n) (no trailing zeros;
 * 17 bytes readable) with x the exponent of the first: fixed when -4 <= x
 * < P, else d.ddde+XX. Digits are copied 17 at a time (b has room, see
 * AUG_CSV_NUMBUF) and the length set after: no variable-size copy. */
static int render(char *b, int neg, const char *dig, int n, int P, int x)
{
    char *o = b;
    *o = '-';
    o += neg;
    if (x >= -4 && x < P) {
        if (x < 0) {
            memcpy(o, "0.0000", 6);
            o += 1 - x;
            memcpy(o, dig, 17);
            o += n;
        } else if (n <= x + 1) {
            memcpy(o, dig, 17);
            o += n;
            for (int i = n; i <= x; i++)
                *o++ = '0';
        } else {
            memcpy(o, dig, 17);
            o += x + 1;
            memcpy(o + 1, dig + x + 1, 16);
            *o = '.';
            o += n - x;
        }
    } else {
        *o++ = dig[0];
        *o = '.';
        memcpy(o + 1, dig + 1, 16);
        o += n > 1 ? n : 0;
        *o++ = 'e';
        *o++ = x < 0 ? '-' : '+';
        int a = x < 0 ? -x : x;
        if (a >= 100)
            *o++ = (char)('0' + a / 100);
        *o++ = (char)('0' + a / 10 % 10);
        *o++ = (char)('0' + a % 10);
    }
    *o = '\0';
    return (int)(o - b);
}

/* The shortest digits are laid out as "%.{P}g" with P the digits needed,
 * but at least 15 for a normal double (15 significant digits always
 * survive a round trip, so plain-looking values keep the fixed layout up
 * to 10^15). --precision D is printf's own "%.{D}g", which needs the "C"
 * numeric locale in force. */
int aug_csv_format_c(char *b, double v, int precision)
{
    if (!isfinite(v))
        return snprintf(b, AUG_CSV_NUMBUF, "%s",
                        isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
    if (precision > 0)
        return snprintf(b, AUG_CSV_NUMBUF, "%.*g",
                        precision > 17 ? 17 : precision, v);
    char dig[AUG_DIGITS_BUF];
    int first, x, n = aug_shortest_digits(v, dig, &first, &x);
    int subnormal = v != 0 && fabs(v) < DBL_MIN;
    int P = subnormal || n > 15 ? n : 15;
    return render(b, signbit(v) != 0, dig + first, n, P, x);
}

int aug_csv_format_double(char *buf, size_t size, double v, int precision)
{
    char b[AUG_CSV_NUMBUF];
    int n;
    if (precision > 0) {
        aug_c_locale l;
        if (aug_c_locale_enter(&l, NULL))
            return -1;
        n = aug_csv_format_c(b, v, precision);
        aug_c_locale_leave(&l);
    } else {
        n = aug_csv_format_c(b, v, 0);
    }
    if (buf && size)
        snprintf(buf, size, "%s", b);
    return n;
}
