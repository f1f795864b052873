/* exp, log, sin, cos, tan and pow of our own, so that a draw or a kernel
 * gives the same bits with every C library.
 *
 * Why: the C standard leaves the accuracy of these functions open, and
 * glibc, musl and others round differently in the last place; a sigma, an
 * angle or an erased box drawn through them would then differ between
 * machines, and so would the bytes. These are built from +, -, *, / in a
 * fixed order (FP contraction off, see the Makefile), argument reduction
 * with constants split so that the products are exact, and Taylor series
 * long enough that truncation is far below rounding. The functions libm
 * must round correctly by IEEE 754 (sqrt, floor, ceil, fabs, fmod,
 * nearbyint, frexp, ldexp) are used as they are.
 *
 * Accuracy: within about 1 ulp of the true value on the ranges the kernels
 * use (tests/unit/test_dmath.c measures it against libm); pow is exp(y
 * log x), whose relative error grows with |y log x| (1e-13 at 700), but
 * whole powers up to 64 are products, exact when the result is.
 * Reduction for sin/cos is exact for |x| < 2^20 pi/2; beyond that it loses
 * accuracy, deterministically. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/dmath.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* ln 2 split: LN2_HI has 42 significant bits, so k * LN2_HI is exact for
 * |k| < 2^11; LN2_LO is the rest, rounded. */
static const double LN2_HI = 0x1.62e42fefa38p-1;
static const double LN2_LO = 5.497923018708371e-14;
static const double INV_LN2 = 1.4426950408889634;
/* pi/2 in three parts of 33 significant bits (the last rounded): k times
 * the first two is exact for |k| < 2^20. */
static const double PIO2_1 = 0x1.921fb544p+0;
static const double PIO2_2 = 0x1.0b4611a6p-34;
static const double PIO2_3 = 2.0222662487959506e-21;
static const double TWO_OVER_PI = 0.6366197723675814;
static const double SQRT_HALF = 0.7071067811865476;

double aug_exp(double x)
{
    if (x != x)
        return x;
    if (x > 709.782712893384)
        return INFINITY;
    if (x < -745.1332191019412)
        return 0.0;
    /* x = k ln2 + r, |r| <= ln2 / 2; e^r by its Taylor series to r^13
     * (the next term is below 4e-18), then scaled by 2^k exactly. */
    double k = floor(x * INV_LN2 + 0.5);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = 1.6059043836821613e-10;          /* 1/13! */
    p = p * r + 2.08767569878681e-09;           /* 1/12! */
    p = p * r + 2.505210838544172e-08;          /* 1/11! */
    p = p * r + 2.755731922398589e-07;          /* 1/10! */
    p = p * r + 2.7557319223985893e-06;         /* 1/9!  */
    p = p * r + 2.48015873015873e-05;           /* 1/8!  */
    p = p * r + 0.0001984126984126984;          /* 1/7!  */
    p = p * r + 0.001388888888888889;           /* 1/6!  */
    p = p * r + 0.008333333333333333;           /* 1/5!  */
    p = p * r + 0.041666666666666664;           /* 1/4!  */
    p = p * r + 0.16666666666666666;            /* 1/3!  */
    p = p * r + 0.5;
    p = p * r * r + r;                          /* e^r - 1, kept apart from the 1 */
    /* times 2^k: a double built from its exponent bits when 2^k is a
     * normal number (an exact product either way), ldexp for the rest */
    if (k > -1022 && k < 1024) {
        uint64_t bits = (uint64_t)(1023 + (int64_t)k) << 52;
        double two_k;
        memcpy(&two_k, &bits, sizeof two_k);
        return (1.0 + p) * two_k;
    }
    return ldexp(1.0 + p, (int)k);
}

double aug_log(double x)
{
    if (x != x || x < 0.0)
        return NAN;
    if (x == 0.0)
        return -INFINITY;
    if (isinf(x))
        return x;
    /* x = 2^e m, m in [sqrt(1/2), sqrt(2)); with f = m - 1 (exact) and
     * s = f / (2 + f), log m = 2 atanh s = f - (f^2/2 - s (f^2/2 + R)),
     * R = 2 z/3 + 2 z^2/5 + ..., z = s^2 <= 0.0295: 13 terms leave the
     * truncation below 1e-20 of the result. */
    int e;
    double m = frexp(x, &e);
    if (m < SQRT_HALF) {
        m *= 2.0;
        e--;
    }
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double R = 0.07407407407407407;             /* 2/27 */
    R = R * z + 0.08;                           /* 2/25 */
    R = R * z + 0.08695652173913043;            /* 2/23 */
    R = R * z + 0.09523809523809523;            /* 2/21 */
    R = R * z + 0.10526315789473684;            /* 2/19 */
    R = R * z + 0.11764705882352941;            /* 2/17 */
    R = R * z + 0.13333333333333333;            /* 2/15 */
    R = R * z + 0.15384615384615385;            /* 2/13 */
    R = R * z + 0.18181818181818182;            /* 2/11 */
    R = R * z + 0.2222222222222222;             /* 2/9  */
    R = R * z + 0.2857142857142857;             /* 2/7  */
    R = R * z + 0.4;                            /* 2/5  */
    R = R * z + 0.6666666666666666;             /* 2/3  */
    R = R * z;
    double hfsq = 0.5 * f * f;
    double de = (double)e;
    return de * LN2_HI + (f - (hfsq - (s * (hfsq + R) + de * LN2_LO)));
}

/* sin and cos of |r| <= pi/4 (with a little slack) by Taylor series to
 * r^21 and r^20: the first term left out is below 1e-19. */
static double sin_poly(double r)
{
    double z = r * r;
    double p = 1.9572941063391263e-20;          /*  1/21! */
    p = p * z - 8.22063524662433e-18;           /* -1/19! */
    p = p * z + 2.8114572543455206e-15;         /*  1/17! */
    p = p * z - 7.647163731819816e-13;          /* -1/15! */
    p = p * z + 1.6059043836821613e-10;         /*  1/13! */
    p = p * z - 2.505210838544172e-08;          /* -1/11! */
    p = p * z + 2.7557319223985893e-06;         /*  1/9!  */
    p = p * z - 0.0001984126984126984;          /* -1/7!  */
    p = p * z + 0.008333333333333333;           /*  1/5!  */
    p = p * z - 0.16666666666666666;            /* -1/3!  */
    return r + r * z * p;
}

static double cos_poly(double r)
{
    double z = r * r;
    double p = 4.110317623312165e-19;           /*  1/20! */
    p = p * z - 1.5619206968586225e-16;         /* -1/18! */
    p = p * z + 4.779477332387385e-14;          /*  1/16! */
    p = p * z - 1.1470745597729725e-11;         /* -1/14! */
    p = p * z + 2.08767569878681e-09;           /*  1/12! */
    p = p * z - 2.755731922398589e-07;          /* -1/10! */
    p = p * z + 2.48015873015873e-05;           /*  1/8!  */
    p = p * z - 0.001388888888888889;           /* -1/6!  */
    p = p * z + 0.041666666666666664;           /*  1/4!  */
    /* 1 - z/2 + z^2 p, with the large part added last */
    double hz = 0.5 * z;
    double w = 1.0 - hz;
    return w + (((1.0 - w) - hz) + z * z * p);
}

/* x = k pi/2 + r, |r| <= pi/4 (about); the quadrant is k mod 4. */
static double reduce(double x, int *quadrant)
{
    double k = floor(x * TWO_OVER_PI + 0.5);
    double r = ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
    double q = fmod(k, 4.0);
    if (q < 0)
        q += 4.0;
    *quadrant = (int)q;
    return r;
}

double aug_sin(double x)
{
    if (!isfinite(x))
        return NAN;
    int q;
    double r = reduce(x, &q);
    switch (q) {
    case 0: return sin_poly(r);
    case 1: return cos_poly(r);
    case 2: return -sin_poly(r);
    default: return -cos_poly(r);
    }
}

double aug_cos(double x)
{
    if (!isfinite(x))
        return NAN;
    int q;
    double r = reduce(x, &q);
    switch (q) {
    case 0: return cos_poly(r);
    case 1: return -sin_poly(r);
    case 2: return -cos_poly(r);
    default: return sin_poly(r);
    }
}

double aug_tan(double x)
{
    if (!isfinite(x))
        return NAN;
    int q;
    double r = reduce(x, &q);
    double s = sin_poly(r), c = cos_poly(r);
    return q & 1 ? -c / s : s / c;
}

double aug_pow(double x, double y)
{
    if (y == 0.0 || x == 1.0)
        return 1.0;
    if (x != x || y != y)
        return NAN;
    double iy = floor(y);
    int integer = iy == y, odd = integer && fmod(iy, 2.0) != 0.0;
    if (x == 0.0)
        return y > 0 ? (odd ? x : 0.0) : (odd ? copysign(INFINITY, x) : INFINITY);
    if (x < 0.0) {
        if (!integer)
            return NAN;
        double v = aug_pow(-x, y);
        return odd ? -v : v;
    }
    if (isinf(y))
        return (x > 1.0) == (y > 0) ? INFINITY : 0.0;
    if (isinf(x))
        return y > 0 ? INFINITY : 0.0;
    if (integer && fabs(y) <= 64) {
        /* small whole powers by squaring: exact when the result is */
        double r = 1.0, b = x;
        for (unsigned n = (unsigned)fabs(y); n; n >>= 1, b *= b)
            if (n & 1)
                r *= b;
        return y < 0 ? 1.0 / r : r;
    }
    return aug_exp(y * aug_log(x));
}
