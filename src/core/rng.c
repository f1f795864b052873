/* Random streams: xoshiro256** (Blackman & Vigna), seeded via splitmix64.
 *
 * Why this design: a stream must be a pure function of (seed, key, index)
 * so that outputs do not depend on file order, threads or sharding. A
 * 64-bit hash of the three feeds splitmix64, which fills the 256-bit state;
 * xoshiro256** is small, fast and passes BigCrush. Everything below uses
 * integer arithmetic or IEEE-exact operations where it can, and otherwise
 * our own log/exp/pow (src/core/dmath.c) and IEEE sqrt, so that streams
 * agree across machines and C libraries. */
#include <math.h>
#include <string.h>

#include "core/dmath.h"
#include "core/simd.h"
#include <stdint.h>

#include "augment/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t mix64(uint64_t z)
{
    uint64_t x = z;
    return splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void aug_rng_seed(aug_rng *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&x);
}

static uint64_t derive(uint64_t seed, const char *key, uint64_t index)
{
    /* FNV-1a over the key's bytes, then avalanche each part before it is
     * combined, so "a/b", index 1 and "a/b1", index 0 land far apart. */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)(key ? key : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    uint64_t x = mix64(seed);
    x = mix64(x ^ mix64(h));
    return mix64(x ^ mix64(index ^ 0x6a09e667f3bcc909ULL));
}

void aug_rng_derive(aug_rng *rng, uint64_t seed, const char *key, uint64_t index)
{
    aug_rng_seed(rng, derive(seed, key, index));
}

void aug_rng_derive_stream(aug_rng *rng, uint64_t seed, const char *key,
                           uint64_t index, uint64_t stream)
{
    uint64_t x = derive(seed, key, index);
    /* Stream 0 must be the output's own stream, bit for bit. */
    if (stream)
        x = mix64(x ^ mix64(stream ^ 0xbb67ae8584caa73bULL));
    aug_rng_seed(rng, x);
}

uint64_t aug_rng_u64(aug_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

void aug_rng_bytes(aug_rng *rng, uint8_t *out, size_t n)
{
    /* The state in locals so the loop keeps it in registers. */
    aug_rng r = *rng;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v = aug_rng_u64(&r);
        for (int k = 0; k < 8; k++) /* little-endian whatever the host */
            out[i + (size_t)k] = (uint8_t)(v >> (8 * k));
    }
    if (i < n) {
        uint64_t v = aug_rng_u64(&r);
        for (int k = 0; i < n; i++, k++)
            out[i] = (uint8_t)(v >> (8 * k));
    }
    *rng = r;
}

double aug_rng_uniform(aug_rng *rng)
{
    return (double)(aug_rng_u64(rng) >> 11) * 0x1.0p-53;
}

double aug_rng_range(aug_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * aug_rng_uniform(rng);
}

uint64_t aug_rng_below(aug_rng *rng, uint64_t n)
{
    /* Lemire's nearly-divisionless method: unbiased, one multiply. */
    __uint128_t m = (__uint128_t)aug_rng_u64(rng) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            m = (__uint128_t)aug_rng_u64(rng) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

void aug_rng_normal2(aug_rng *rng, double *a, double *b)
{
    /* Marsaglia's polar method. */
    double u, v, s;
    do {
        u = 2.0 * aug_rng_uniform(rng) - 1.0;
        v = 2.0 * aug_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * aug_log(s) / s);
    *a = u * f;
    *b = v * f;
}

/* ---- many normals at once ---- */

/* Box-Muller in float, branch-free so that the compiler vectorises it:
 * one 64-bit draw makes two normals. Its low 24 bits give u1 in (0, 1],
 * its top 3 bits an octant, and the high word's top 24 bits an angle phi
 * in [0, pi/4); then r = sqrt(-2 ln u1) and the pair is (r cos, r sin) of
 * phi reflected into the octant (swap for one bit, a sign for each of the
 * others), an angle uniform on the circle. ln, sin and cos are our own
 * polynomials (the series of atanh for ln m, m in [sqrt(1/2), sqrt(2));
 * Taylor to the 11th and 10th power on [0, pi/4)), accurate to about 1e-9
 * relative before float rounding, so the sample is the same bits with
 * every compiler and C library. |x| stops at sqrt(48 ln 2) = 5.77 (u1 has
 * 24 bits), a tail of probability 8e-9. */
AUG_ALWAYS_INLINE void box_muller_body(const uint32_t *restrict lo, const uint32_t *restrict hi,
                                       float *restrict out, size_t pairs)
{
    for (size_t k = 0; k < pairs; k++) {
        /* ln u1 = e ln 2 + ln m with u1 = m 2^e */
        float u1 = (float)(int32_t)((lo[k] & 0xffffff) + 1) * 0x1p-24f;
        uint32_t ub;
        memcpy(&ub, &u1, 4);
        int32_t e = (int32_t)(ub >> 23) - 127;
        uint32_t mb = (ub & 0x7fffff) | 0x3f800000;
        int32_t big = mb > 0x3fb504f3u; /* m > sqrt(2): halve it */
        mb -= (uint32_t)big << 23;
        e += big;
        float m;
        memcpy(&m, &mb, 4);
        float s = (m - 1.0f) / (m + 1.0f), s2 = s * s;
        float lnm = s * (2.0f + s2 * (2.0f / 3 + s2 * (2.0f / 5 + s2 * (2.0f / 7 + s2 * (2.0f / 9)))));
        float r = __builtin_sqrtf(-2.0f * ((float)e * 0.693147181f + lnm));
        float ph = (float)(int32_t)(hi[k] >> 8) * (0x1p-24f * 0.785398163f), p2 = ph * ph;
        float sn = ph * (1.0f - p2 * (1.0f / 6 - p2 * (1.0f / 120 - p2 * (1.0f / 5040 -
                                                                          p2 * (1.0f / 362880)))));
        float cs = 1.0f - p2 * (0.5f - p2 * (1.0f / 24 - p2 * (1.0f / 720 - p2 * (1.0f / 40320 -
                                                                          p2 * (1.0f / 3628800)))));
        uint32_t oct = lo[k] >> 29, snb, csb;
        memcpy(&snb, &sn, 4);
        memcpy(&csb, &cs, 4);
        uint32_t sw = 0u - (oct & 1); /* selects by mask: no branch in the loop */
        uint32_t xb = (snb & sw) | (csb & ~sw), yb = (csb & sw) | (snb & ~sw);
        float x, y;
        memcpy(&x, &xb, 4);
        memcpy(&y, &yb, 4);
        x *= r;
        y *= r;
        memcpy(&xb, &x, 4);
        memcpy(&yb, &y, 4);
        xb ^= (oct & 2) << 30;
        yb ^= (oct & 4) << 29;
        memcpy(&out[2 * k], &xb, 4);
        memcpy(&out[2 * k + 1], &yb, 4);
    }
}

static void box_muller_base(const uint32_t *restrict lo, const uint32_t *restrict hi,
                            float *restrict out, size_t pairs)
{
    box_muller_body(lo, hi, out, pairs);
}

#if AUG_WIDE
AUG_WIDE_TARGET static void box_muller_wide(const uint32_t *restrict lo,
                                            const uint32_t *restrict hi, float *restrict out,
                                            size_t pairs)
{
    box_muller_body(lo, hi, out, pairs);
}
#endif

/* Four xoshiro256** generators run side by side, seeded from the stream
 * at each call (four draws), as one vector of four 64-bit lanes: lane l
 * gives the draws 4t + l. Chunks of 256 pairs: the draws, split into
 * their halves, then the transform. The result depends on the stream and
 * n only. */
typedef uint64_t lanes4 __attribute__((vector_size(32)));
#define PAIRS 256

void aug_rng_normals(aug_rng *rng, float *out, size_t n)
{
    lanes4 a, b, c, d;
    for (int l = 0; l < 4; l++) {
        aug_rng one;
        aug_rng_seed(&one, aug_rng_u64(rng));
        a[l] = one.s[0];
        b[l] = one.s[1];
        c[l] = one.s[2];
        d[l] = one.s[3];
    }
    void (*transform)(const uint32_t *restrict, const uint32_t *restrict, float *restrict,
                      size_t) = box_muller_base;
#if AUG_WIDE
    if (aug_wide_ok())
        transform = box_muller_wide;
#endif
    uint32_t lo[PAIRS], hi[PAIRS];
    float tmp[2 * PAIRS];
    for (size_t i = 0; i < n; i += 2 * PAIRS) {
        size_t m = n - i < 2 * PAIRS ? n - i : 2 * PAIRS, pairs = (m + 1) / 2;
        for (size_t q = 0; q < pairs; q += 4) {
            lanes4 x5 = (b << 2) + b; /* xoshiro256**: rotl(s1 * 5, 7) * 9 */
            lanes4 r = (x5 << 7) | (x5 >> 57);
            r = (r << 3) + r;
            lanes4 t = b << 17;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= t;
            d = (d << 45) | (d >> 19);
            for (int l = 0; l < 4; l++) {
                lo[q + (size_t)l] = (uint32_t)r[l];
                hi[q + (size_t)l] = (uint32_t)(r[l] >> 32);
            }
        }
        float *dst = m == 2 * PAIRS ? out + i : tmp;
        transform(lo, hi, dst, pairs);
        if (dst == tmp)
            memcpy(out + i, tmp, m * sizeof *out);
    }
}

double aug_rng_normal(aug_rng *rng)
{
    /* The second variate is discarded so the stream carries no hidden
     * cached state; loops that need many use aug_rng_normal2. */
    double a, b;
    aug_rng_normal2(rng, &a, &b);
    return a;
}

double aug_rng_gamma(aug_rng *rng, double shape)
{
    if (!(shape > 0.0))
        return NAN;
    if (shape < 1.0) {
        /* Boost: Gamma(a) = Gamma(a + 1) * U^(1/a). 1 - U keeps U > 0. */
        double g = aug_rng_gamma(rng, shape + 1.0);
        return g * aug_pow(1.0 - aug_rng_uniform(rng), 1.0 / shape);
    }
    /* Marsaglia & Tsang (2000). */
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = aug_rng_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = 1.0 - aug_rng_uniform(rng);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x))
            return d * v;
        if (aug_log(u) < 0.5 * x * x + d * (1.0 - v + aug_log(v)))
            return d * v;
    }
}

double aug_rng_beta(aug_rng *rng, double a, double b)
{
    double g1 = aug_rng_gamma(rng, a);
    double g2 = aug_rng_gamma(rng, b);
    double sum = g1 + g2;
    /* Both gammas can underflow to 0 for tiny shapes; then the mass sits
     * at the ends, and a fair coin picks which (the limit of Beta(a, a)). */
    if (sum == 0.0)
        return aug_rng_uniform(rng) < a / (a + b) ? 1.0 : 0.0;
    return g1 / sum;
}

/* log(k!) by Stirling's series, exact enough for rejection tests; a
 * local function because lgamma() writes the global `signgam`. */
static double log_factorial(double k)
{
    static const double small[10] = {
        0.0, 0.0, 0.69314718055994531, 1.79175946922805500,
        3.17805383034794562, 4.78749174278204599, 6.57925121201010100,
        8.52516136106541430, 10.60460290274525023, 12.80182748008146961};
    if (k < 10.0)
        return small[(int)k];
    double x = k + 1.0;
    double x2 = 1.0 / (x * x);
    double series = (1.0 / 12.0 - x2 * (1.0 / 360.0 - x2 * (1.0 / 1260.0 - x2 / 1680.0))) / x;
    return (x - 0.5) * aug_log(x) - x + 0.91893853320467274178 + series;
}

uint64_t aug_rng_poisson(aug_rng *rng, double mean)
{
    if (!(mean > 0.0))
        return 0;
    if (mean < 10.0) {
        /* Knuth: multiply uniforms until the product drops below e^-mean. */
        double limit = aug_exp(-mean), p = 1.0;
        uint64_t k = 0;
        for (;;) {
            p *= aug_rng_uniform(rng);
            if (p <= limit)
                return k;
            k++;
        }
    }
    /* PTRS, Hormann (1993): transformed rejection with squeeze. */
    double slam = sqrt(mean), loglam = aug_log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = aug_rng_uniform(rng) - 0.5;
        double v = aug_rng_uniform(rng);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr)
            return (uint64_t)k;
        if (k < 0.0 || (us < 0.013 && v > us))
            continue;
        if (aug_log(v) + aug_log(invalpha) - aug_log(a / (us * us) + b) <=
            -mean + k * loglam - log_factorial(k))
            return (uint64_t)k;
    }
}
