/* Shortest round-trip printing of doubles (aug_csv_format_double with no
 * precision), checked against the C library alone: every printed value
 * reads back bit for bit with strtod; no decimal with one digit fewer reads
 * back (both neighbours at that length are tried, from "%.*e"); and when
 * the correctly rounded decimal of that length reads back, it is the one
 * printed (closest). Random bit patterns, every power of two and ten, the
 * ends of the subnormal and normal ranges, and integers around 2^53. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/csv.h"

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s;
}

/* The significant digits of a printed number and its decimal exponent
 * (of the first digit), parsed here from the text. */
static int digits_of(const char *s, char *dig, int *x)
{
    const char *p = s + (*s == '-');
    int n = 0, intdigits = -1, idx = 0, first = -1;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            intdigits = idx;
            continue;
        }
        if (first < 0 && *p != '0')
            first = idx;
        if (first >= 0)
            dig[n++] = *p;
        idx++;
    }
    if (intdigits < 0)
        intdigits = idx;
    int e = *p == 'e' ? atoi(p + 1) : 0;
    if (first < 0) {
        dig[0] = '0';
        *x = 0;
        return 1;
    }
    *x = intdigits - 1 - first + e;
    while (n > 1 && dig[n - 1] == '0')
        n--;
    return n;
}

/* d0.d1...d(n-1)e(x) read by the C library. */
static double read_digits(const char *dig, int n, int x, int neg)
{
    char t[64];
    snprintf(t, sizeof t, "%s%c.%.*se%d", neg ? "-" : "", dig[0], n - 1, dig + 1, x);
    return strtod(t, NULL);
}

/* The n-digit decimal one unit in the last place away (dir = +1 or -1). */
static void step(char *dig, int n, int *x, int dir)
{
    int i = n - 1;
    if (dir > 0) {
        while (i >= 0 && dig[i] == '9')
            dig[i--] = '0';
        if (i < 0) {
            dig[0] = '1';
            (*x)++;
        } else {
            dig[i]++;
        }
    } else {
        while (i >= 0 && dig[i] == '0')
            dig[i--] = '9';
        if (i >= 0)
            dig[i]--;
        if (dig[0] == '0') { /* 1000 -> 0999: one digit less, exponent down */
            memmove(dig, dig + 1, (size_t)n - 1);
            dig[n - 1] = '9';
            (*x)--;
        }
    }
}

static size_t checked;

static void check(double v)
{
    if (!isfinite(v))
        return;
    char buf[64];
    int len = aug_csv_format_double(buf, sizeof buf, v, 0);
    assert_int_equal(len, (int)strlen(buf));
    double back = strtod(buf, NULL);
    if (memcmp(&back, &v, sizeof v) != 0)
        fail_msg("%a printed as '%s' reads back as %a", v, buf, back);
    /* %.17g always reads back: the shortest is never longer */
    char ref[64];
    snprintf(ref, sizeof ref, "%.17g", v);
    assert_true(strtod(ref, NULL) == v || isnan(v));
    char dig[32];
    int x, n = digits_of(buf, dig, &x);
    assert_true(n >= 1 && n <= 17);
    int neg = signbit(v) != 0;
    if (v == 0) {
        checked++;
        return;
    }
    /* one digit fewer: the correctly rounded one and both its neighbours */
    if (n > 1) {
        char e[64];
        snprintf(e, sizeof e, "%.*e", n - 2, fabs(v));
        char d2[32];
        int x2, n2 = digits_of(e, d2, &x2);
        char pad[32];
        memset(pad, '0', sizeof pad);
        memcpy(pad, d2, (size_t)n2);
        for (int dir = -1; dir <= 1; dir++) {
            char c[32];
            int xc = x2;
            memcpy(c, pad, sizeof c);
            if (dir)
                step(c, n - 1, &xc, dir);
            if (read_digits(c, n - 1, xc, neg) == v)
                fail_msg("%a: '%s' has %d digits but %.*s e%d (%d digits) reads back", v, buf, n,
                         n - 1, c, xc, n - 1);
        }
    }
    /* the closest of that length, when it reads back */
    char e[64];
    snprintf(e, sizeof e, "%.*e", n - 1, fabs(v));
    char d3[32];
    int x3, n3 = digits_of(e, d3, &x3);
    if (read_digits(d3, n3, x3, neg) == v && (n3 != n || x3 != x || memcmp(d3, dig, (size_t)n)))
        fail_msg("%a: printed '%s', but the closer '%s' reads back too", v, buf, e);
    checked++;
}

static void check_both(double v)
{
    check(v);
    check(-v);
}

static void test_random_bits(void **state)
{
    (void)state;
    uint64_t s = 7;
    checked = 0;
    for (size_t i = 0; i < 400000; i++) {
        uint64_t bits = (lcg(&s) >> 32) << 32 | lcg(&s) >> 32;
        double v;
        memcpy(&v, &bits, sizeof v);
        check(v);
    }
    assert_true(checked > 390000);
}

static void test_random_short_decimals(void **state)
{
    (void)state;
    /* values as tables hold them: few digits, any scale */
    uint64_t s = 11;
    for (size_t i = 0; i < 100000; i++) {
        char t[64];
        snprintf(t, sizeof t, "%llu.%llue%d", (unsigned long long)(lcg(&s) >> 44),
                 (unsigned long long)(lcg(&s) >> 50), (int)(lcg(&s) >> 55) - 256);
        check_both(strtod(t, NULL));
    }
}

static void test_powers(void **state)
{
    (void)state;
    for (int e = -1074; e <= 1023; e++)
        check_both(ldexp(1.0, e));
    for (int e = -323; e <= 308; e++) {
        char t[16];
        snprintf(t, sizeof t, "1e%d", e);
        double v = strtod(t, NULL);
        check_both(v);
        check_both(nextafter(v, 0));
        check_both(nextafter(v, INFINITY));
    }
}

static void test_edges(void **state)
{
    (void)state;
    const double picked[] = {0.0, 5e-324, 1e-323, 1.5e-323, DBL_MIN, nextafter(DBL_MIN, 0),
                             nextafter(DBL_MIN, 1), DBL_MAX, nextafter(DBL_MAX, 0), DBL_EPSILON,
                             0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 9007199254740991.0,
                             9007199254740992.0, 9007199254740994.0, 1e15, 1e16, 1e17,
                             1e22, 1e23, 8.41e21, 5e-310, 2.2250738585072011e-308,
                             4.9406564584124654e-324, 1.7976931348623157e308, 123456789.125,
                             2.675, 1.005, 0.000123, 1e-5, 0.0001};
    for (size_t i = 0; i < sizeof picked / sizeof *picked; i++)
        check_both(picked[i]);
    /* the whole subnormal range by strides, and integers near 2^53 */
    for (uint64_t t = 1; t < (1ULL << 52); t = t * 3 + 1) {
        double v;
        memcpy(&v, &t, sizeof v);
        check_both(v);
    }
    for (int i = -50; i < 200; i++)
        check_both(9007199254740992.0 + i); /* past 2^53 only even ones exist */
}

/* The layout is fixed for the same values as before: "%.{P}g" with P the
 * digits needed, at least 15 for a normal double. */
static void test_layout(void **state)
{
    (void)state;
    const struct {
        double v;
        const char *s;
    } cases[] = {
        {5e-324, "5e-324"},       {1e-323, "1e-323"},   {0.0001, "0.0001"},
        {1e-5, "1e-05"},          {123456, "123456"},   {1e14, "100000000000000"},
        {1e15, "1e+15"},          {1.5e300, "1.5e+300"}, {-2.5, "-2.5"},
        {0.1 + 0.2, "0.30000000000000004"}, {1234567890123456.7, "1234567890123456.8"},
        {12345678901234567.0, "12345678901234568"}, {123456789012345678.0, "1.2345678901234568e+17"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[64];
        aug_csv_format_double(buf, sizeof buf, cases[i].v, 0);
        assert_string_equal(buf, cases[i].s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_bits),
        cmocka_unit_test(test_random_short_decimals),
        cmocka_unit_test(test_powers),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
