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
#include <threads.h>

#include "core/dmath.h"
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

/* ---- the ziggurat ---- */

/* 256 layers: r is where the tail starts, v the area of each layer
 * (Marsaglia & Tsang 2000). 98.5% of draws take the fast path. */
#define ZIG_N 256
#define ZIG_R 3.6541528853610088
#define ZIG_V 0.00492867323399
/* a draw's 32 bits: 8 choose the layer, 1 the sign, 23 the position j;
 * x = j * w[i], and the fast path takes j < k[i], inside the rectangle
 * under the next layer */
#define ZIG_M 8388608.0

static uint32_t zig_k[ZIG_N];
static double zig_w[ZIG_N], zig_f[ZIG_N];
static float zig_wf[ZIG_N]; /* zig_w as floats, for the fast path */
static once_flag zig_once = ONCE_FLAG_INIT;

/* The tables, from the paper's recurrence, computed with our own exp and
 * log so that they are the same bits everywhere. */
static void zig_tables(void)
{
    double dn = ZIG_R, tn = dn;
    double q = ZIG_V / aug_exp(-0.5 * dn * dn);
    zig_k[0] = (uint32_t)((dn / q) * ZIG_M);
    zig_k[1] = 0;
    zig_w[0] = q / ZIG_M;
    zig_w[ZIG_N - 1] = dn / ZIG_M;
    zig_f[0] = 1.0;
    zig_f[ZIG_N - 1] = aug_exp(-0.5 * dn * dn);
    for (int i = ZIG_N - 2; i >= 1; i--) {
        dn = sqrt(-2.0 * aug_log(ZIG_V / dn + aug_exp(-0.5 * dn * dn)));
        zig_k[i + 1] = (uint32_t)((dn / tn) * ZIG_M);
        tn = dn;
        zig_f[i] = aug_exp(-0.5 * dn * dn);
        zig_w[i] = dn / ZIG_M;
    }
    for (int i = 0; i < ZIG_N; i++)
        zig_wf[i] = (float)zig_w[i];
}

/* The rare case: the base layer's tail beyond r, or a wedge. */
static double zig_slow(aug_rng *rng, uint32_t u)
{
    for (;;) {
        int i = (int)(u & (ZIG_N - 1));
        double sign = u & ZIG_N ? -1.0 : 1.0;
        double j = (double)(u >> 9), x = j * zig_w[i];
        if (j < zig_k[i])
            return sign * x;
        if (i == 0) { /* the tail: Marsaglia's exponential method */
            double xt, y;
            do {
                xt = -aug_log(1.0 - aug_rng_uniform(rng)) / ZIG_R;
                y = -aug_log(1.0 - aug_rng_uniform(rng));
            } while (y + y < xt * xt);
            return sign * (ZIG_R + xt);
        }
        if (zig_f[i] + aug_rng_uniform(rng) * (zig_f[i - 1] - zig_f[i]) < aug_exp(-0.5 * x * x))
            return sign * x;
        u = (uint32_t)(aug_rng_u64(rng) >> 32);
    }
}

/* The fast path runs four xoshiro256** generators side by side, seeded
 * from the stream at each call: four independent chains of arithmetic keep
 * the processor busy where one would make it wait on each step, and the
 * compiler can put them in vector registers. Eight normals are made at a
 * time; the few that fall outside their layer's rectangle are then redone
 * one by one on the slow path, which draws from the stream itself. The
 * result depends on the stream and n only. */
#define LANES 4

void aug_rng_normals(aug_rng *rng, float *out, size_t n)
{
    call_once(&zig_once, zig_tables);
    /* the lanes' states, word by word, in locals the compiler can keep in
     * registers */
    uint64_t a[LANES], b[LANES], c[LANES], d[LANES];
    for (int l = 0; l < LANES; l++) {
        aug_rng one;
        aug_rng_seed(&one, aug_rng_u64(rng));
        a[l] = one.s[0];
        b[l] = one.s[1];
        c[l] = one.s[2];
        d[l] = one.s[3];
    }
    float tmp[2 * LANES];
    for (size_t i = 0; i < n; i += 2 * LANES) {
        size_t m = n - i < 2 * LANES ? n - i : 2 * LANES;
        float *dst = m == 2 * LANES ? out + i : tmp;
        uint64_t r[LANES];
        for (int l = 0; l < LANES; l++) {
            r[l] = rotl(b[l] * 5, 7) * 9;
            uint64_t t = b[l] << 17;
            c[l] ^= a[l];
            d[l] ^= b[l];
            b[l] ^= c[l];
            a[l] ^= d[l];
            c[l] ^= t;
            d[l] = rotl(d[l], 45);
        }
        unsigned slow = 0;
        for (int q = 0; q < 2 * LANES; q++) {
            uint32_t u = (uint32_t)(q & 1 ? r[q >> 1] >> 32 : r[q >> 1]);
            uint32_t layer = u & (ZIG_N - 1), j = u >> 9;
            slow |= j >= zig_k[layer];
            /* j < 2^23 is exact as a float; the sign goes into the float's
             * sign bit (a branch on a random bit would be mispredicted
             * half the time) */
            float x = (float)j * zig_wf[layer];
            uint32_t xb;
            memcpy(&xb, &x, 4);
            xb |= (u & ZIG_N) << 23;
            memcpy(&dst[q], &xb, 4);
        }
        /* about one batch in nine: redo those outside their rectangle */
        for (int q = 0; slow && q < 2 * LANES; q++) {
            uint32_t u = (uint32_t)(q & 1 ? r[q >> 1] >> 32 : r[q >> 1]);
            if ((u >> 9) >= zig_k[u & (ZIG_N - 1)])
                dst[q] = (float)zig_slow(rng, u);
        }
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
