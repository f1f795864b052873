/* Noise kernel: statistics against the documented distributions, exact
 * structural properties (shared vs per-channel, alpha, saturation), and
 * parameter validation.
 *
 * Statistical tolerances are derived from standard errors: for n samples of
 * a variable with std s, the sample mean has SE s/sqrt(n) and the sample
 * variance SE ~ s^2 sqrt(2/n) (normal) — tolerances are >= 5 SE, so a
 * correct kernel fails with probability well below 1e-6 while biases of a
 * fraction of a grey level are still caught. Rounding to integers adds a
 * variance of ~1/12 (Sheppard), which the expectations include. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/kernels.h"
#include "testutil.h"

static aug_image flat(int w, int h, int ch, uint8_t v)
{
    aug_image img;
    make_image(&img, w, h, ch);
    size_t n = (size_t)w * (size_t)h;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < ch; c++) {
            int alpha = (ch == 2 || ch == 4) && c == ch - 1;
            /* A varied alpha, so any touch of it shows. */
            img.data[i * (size_t)ch + (size_t)c] = alpha ? (uint8_t)(i * 37 + 11) : v;
        }
    return img;
}

static aug_image varied(int w, int h, int ch, unsigned seed)
{
    aug_image img;
    make_image(&img, w, h, ch);
    for (size_t i = 0; i < aug_image_size(&img); i++)
        img.data[i] = (uint8_t)((i * 131 + seed * 17 + (i >> 3)) & 255);
    return img;
}

static aug_noise_params params(aug_noise_type type, double sigma)
{
    aug_noise_params p;
    aug_noise_params_default(&p);
    p.type = type;
    p.sigma = sigma;
    return p;
}

static void run(aug_image *img, const aug_noise_params *p, uint64_t seed)
{
    aug_rng rng;
    aug_error err = {0};
    aug_rng_seed(&rng, seed);
    assert_int_equal(aug_noise(img, p, &rng, &err), AUG_OK);
}

/* Mean and (population) variance of channel c over all pixels. */
static void moments(const aug_image *img, int c, double *mean, double *var)
{
    size_t n = (size_t)img->width * (size_t)img->height;
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double v = img->data[i * (size_t)img->channels + (size_t)c];
        s += v;
        s2 += v * v;
    }
    *mean = s / (double)n;
    *var = s2 / (double)n - *mean * *mean;
}

/* Channel c has mean em and variance ev, each within 6 standard errors
 * (SE of the sample variance ev sqrt(2/n), as for a near-normal law). */
static void assert_moments(const aug_image *img, int c, double em, double ev)
{
    double n = (double)img->width * (double)img->height, mean, var;
    moments(img, c, &mean, &var);
    assert_true(fabs(mean - em) < 6 * sqrt(ev / n));
    assert_true(fabs(var - ev) < 6 * ev * sqrt(2.0 / n));
}

static void assert_alpha_equal(const aug_image *a, const aug_image *b)
{
    if (!aug_image_has_alpha(a))
        return;
    size_t n = (size_t)a->width * (size_t)a->height;
    for (size_t i = 0; i < n; i++) {
        size_t k = i * (size_t)a->channels + (size_t)a->channels - 1;
        assert_int_equal(a->data[k], b->data[k]);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    aug_noise_params p;
    memset(&p, 0xff, sizeof p);
    aug_noise_params_default(&p);
    assert_int_equal(p.type, AUG_NOISE_GAUSSIAN);
    assert_true(p.sigma == 10.0 && p.amount == 0.05 && p.salt_ratio == 0.5);
    assert_true(p.scale == 1.0);
    assert_int_equal(p.per_channel, 0);
}

/* 512x512 samples, sigma 20: SE(mean) = 20/512 = 0.039, so 0.3 is 7.7 SE
 * and catches a floor-instead-of-round bias (0.5); SE(std) = 20/sqrt(2n)
 * = 0.028, so 0.5 is 18 SE and catches a wrong scale of a few percent.
 * Clipping is 6.4 sigma away and does not matter. */
static void test_gaussian_moments(void **state)
{
    (void)state;
    aug_image img = flat(512, 512, 1, 128);
    aug_noise_params p = params(AUG_NOISE_GAUSSIAN, 20);
    run(&img, &p, 1);
    double mean, var;
    moments(&img, 0, &mean, &var);
    assert_true(fabs(mean - 128.0) < 0.3);
    assert_true(fabs(sqrt(var) - sqrt(400.0 + 1.0 / 12)) < 0.5);
    aug_image_free(&img);

    /* Per-channel draws have the same marginal in every channel. */
    img = flat(512, 512, 4, 128);
    aug_image orig = copy_image(&img);
    p.per_channel = 1;
    run(&img, &p, 2);
    for (int c = 0; c < 3; c++) {
        moments(&img, c, &mean, &var);
        assert_true(fabs(mean - 128.0) < 0.3);
        assert_true(fabs(sqrt(var) - 20.0) < 0.5);
    }
    assert_alpha_equal(&img, &orig);
    aug_image_free(&img);
    aug_image_free(&orig);
}

static void test_shared_vs_per_channel(void **state)
{
    (void)state;
    for (int ch = 3; ch <= 4; ch++) {
        aug_image img = flat(64, 64, ch, 128), orig = copy_image(&img);
        aug_noise_params p = params(AUG_NOISE_GAUSSIAN, 20);
        run(&img, &p, 3);
        size_t n = 64 * 64, changed = 0;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *px = img.data + i * (size_t)ch;
            assert_int_equal(px[0], px[1]);
            assert_int_equal(px[1], px[2]);
            changed += px[0] != 128;
        }
        /* P(|N(0,20)| < 0.5) = 2%: nearly every pixel moved. */
        assert_true(changed > n * 9 / 10);
        assert_alpha_equal(&img, &orig);
        aug_image_free(&img);

        img = copy_image(&orig);
        p.per_channel = 1;
        run(&img, &p, 3);
        size_t differ = 0;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *px = img.data + i * (size_t)ch;
            differ += px[0] != px[1] || px[1] != px[2];
        }
        /* Two independent rounded N(0,20) agree with probability ~1.4%. */
        assert_true(differ > n * 9 / 10);
        assert_alpha_equal(&img, &orig);
        aug_image_free(&img);
        aug_image_free(&orig);
    }
}

/* Gaussian noise byte for byte on images of one block (fewer than 682
 * pixels), against the rule written here: the draws are one call of
 * aug_rng_normals (a sample per colour sample, or per pixel when shared)
 * and each colour sample becomes floor(v + sigma z + 0.5) clamped to
 * 0..255, summed in float; alpha stays. Then, on an image of many blocks,
 * the AVX2 build of the loops gives the bytes of the baseline one. */
extern int aug_simd_disable;

static void test_gaussian_exact(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++)
        for (int per = 0; per < 2; per++) {
            aug_image img = varied(23, 19, ch, (unsigned)(ch + per)), want = copy_image(&img);
            int cc = ch == 2 || ch == 4 ? ch - 1 : ch;
            size_t npx = 23 * 19, nz = per ? npx * (size_t)cc : npx;
            float z[23 * 19 * 3];
            aug_rng rng;
            aug_rng_seed(&rng, 99);
            aug_rng_normals(&rng, z, nz);
            for (size_t i = 0; i < npx; i++)
                for (int c = 0; c < cc; c++) {
                    uint8_t *v = &want.data[i * (size_t)ch + (size_t)c];
                    float x = (float)*v + 25.0f * z[per ? i * (size_t)cc + (size_t)c : i] + 0.5f;
                    *v = x <= 0.0f ? 0 : x >= 255.0f ? 255 : (uint8_t)floorf(x);
                }
            aug_noise_params p = params(AUG_NOISE_GAUSSIAN, 25);
            p.per_channel = per;
            run(&img, &p, 99);
            assert_memory_equal(img.data, want.data, aug_image_size(&img));
            aug_image_free(&img);
            aug_image_free(&want);
        }
    for (int ch = 1; ch <= 4; ch++)
        for (int per = 0; per < 2; per++) {
            aug_image a = varied(301, 97, ch, 5), b = copy_image(&a);
            aug_noise_params p = params(AUG_NOISE_GAUSSIAN, 40);
            p.per_channel = per;
            run(&a, &p, 7);
            aug_simd_disable = 1;
            run(&b, &p, 7);
            aug_simd_disable = 0;
            assert_memory_equal(a.data, b.data, aug_image_size(&a));
            aug_image_free(&a);
            aug_image_free(&b);
        }
}

static void test_determinism(void **state)
{
    (void)state;
    for (int t = AUG_NOISE_GAUSSIAN; t <= AUG_NOISE_POISSON; t++) {
        aug_image a = varied(37, 23, 3, 1), b = copy_image(&a), c = copy_image(&a);
        aug_noise_params p = params((aug_noise_type)t, 15);
        p.amount = 0.3;
        run(&a, &p, 42);
        run(&b, &p, 42);
        run(&c, &p, 43);
        assert_memory_equal(a.data, b.data, aug_image_size(&a));
        assert_memory_not_equal(a.data, c.data, aug_image_size(&a));
        aug_image_free(&a);
        aug_image_free(&b);
        aug_image_free(&c);
    }
}

static double phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* 255 + N(0,100) saturates: the exact law of the output is
 * P(k) = Phi((k + 0.5 - 255)/s) - Phi((k - 0.5 - 255)/s) with the tails
 * piled at 0 and 255; its mean and variance are computed here from erfc.
 * Wraparound would turn the upper half into small values instead. */
static void test_gaussian_saturates(void **state)
{
    (void)state;
    const double s = 100.0;
    aug_image img = flat(256, 256, 1, 255);
    aug_noise_params p = params(AUG_NOISE_GAUSSIAN, s);
    run(&img, &p, 4);
    double em = 0, e2 = 0, p_low = phi((127.5 - 255) / s);
    for (int k = 0; k <= 255; k++) {
        double hi = k == 255 ? 1.0 : phi((k + 0.5 - 255) / s);
        double lo = k == 0 ? 0.0 : phi((k - 0.5 - 255) / s);
        em += k * (hi - lo);
        e2 += (double)k * k * (hi - lo);
    }
    double evar = e2 - em * em, n = 256.0 * 256.0;
    double mean, var;
    moments(&img, 0, &mean, &var);
    assert_true(mean < 255.0);
    assert_true(fabs(mean - em) < 6 * sqrt(evar / n));
    size_t low = 0, top = 0;
    for (size_t i = 0; i < (size_t)n; i++) {
        low += img.data[i] < 128;
        top += img.data[i] == 255;
    }
    double p_top = 1.0 - phi(-0.5 / s);
    assert_true(fabs(low / n - p_low) < 6 * sqrt(p_low * (1 - p_low) / n));
    assert_true(fabs(top / n - p_top) < 6 * sqrt(p_top * (1 - p_top) / n));
    aug_image_free(&img);

    /* And symmetric at the bottom: 0 - noise never wraps to 255-ish. */
    img = flat(256, 256, 1, 0);
    run(&img, &p, 5);
    size_t zero = 0, high = 0;
    for (size_t i = 0; i < (size_t)n; i++) {
        zero += img.data[i] == 0;
        high += img.data[i] > 128;
    }
    assert_true(fabs(zero / n - p_top) < 6 * sqrt(p_top * (1 - p_top) / n));
    assert_true(fabs(high / n - p_low) < 6 * sqrt(p_low * (1 - p_low) / n));
    aug_image_free(&img);
}

/* U(-a, a) rounded half up: deltas stay within [-round(a), round(a)],
 * mean 0 (SE a/sqrt(3n)), variance a^2/3 + 1/12 (SE a^2 sqrt(4/45n)). */
static void test_uniform(void **state)
{
    (void)state;
    const double sigmas[] = {30.0, 12.3};
    for (int k = 0; k < 4; k++) {
        double a = sigmas[k % 2], n = 512.0 * 512.0;
        aug_image img = flat(512, 512, 3, 128);
        aug_noise_params p = params(AUG_NOISE_UNIFORM, a);
        p.per_channel = k >= 2;
        run(&img, &p, 6);
        int bound = (int)floor(a + 0.5);
        for (int c = 0; c < 3; c++) {
            int lo = 999, hi = -999;
            double s = 0, s2 = 0;
            for (size_t i = 0; i < (size_t)n; i++) {
                int d = img.data[i * 3 + (size_t)c] - 128;
                lo = d < lo ? d : lo;
                hi = d > hi ? d : hi;
                s += d;
                s2 += (double)d * d;
            }
            assert_int_equal(lo, -bound);
            assert_int_equal(hi, bound);
            double mean = s / n, var = s2 / n - mean * mean;
            assert_true(fabs(mean) < 6 * a / sqrt(3 * n));
            assert_true(fabs(var - (a * a / 3 + 1.0 / 12)) <
                        6 * a * a * sqrt(4.0 / 45 / n));
        }
        size_t differ = 0;
        for (size_t i = 0; i < (size_t)n; i++)
            differ += img.data[i * 3] != img.data[i * 3 + 2];
        if (p.per_channel) /* independent: equal with probability ~1/(2a) */
            assert_true(differ > (size_t)(n * 0.9));
        else
            assert_int_equal(differ, 0);
        aug_image_free(&img);
    }
}

/* Binomial: the replaced fraction has SE sqrt(p(1-p)/n), the salt share
 * among the replaced SE sqrt(r(1-r)/replaced). */
static void test_saltpepper(void **state)
{
    (void)state;
    const double amount = 0.1, ratio = 0.3;
    aug_noise_params p = params(AUG_NOISE_SALTPEPPER, 0);
    p.amount = amount;
    p.salt_ratio = ratio;

    /* Shared, RGBA: a pixel is all-salt, all-pepper or untouched. */
    aug_image img = flat(256, 256, 4, 0), orig;
    size_t n = 256 * 256;
    for (size_t i = 0; i < n; i++) {
        img.data[i * 4 + 0] = 10;
        img.data[i * 4 + 1] = 100;
        img.data[i * 4 + 2] = 200;
    }
    orig = copy_image(&img);
    run(&img, &p, 7);
    size_t replaced = 0, salt = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *px = img.data + i * 4;
        if (px[0] == 10 && px[1] == 100 && px[2] == 200)
            continue;
        assert_true(px[0] == 0 || px[0] == 255);
        assert_int_equal(px[1], px[0]);
        assert_int_equal(px[2], px[0]);
        replaced++;
        salt += px[0] == 255;
    }
    double f = (double)replaced / (double)n, sr = (double)salt / (double)replaced;
    assert_true(fabs(f - amount) < 6 * sqrt(amount * (1 - amount) / (double)n));
    assert_true(fabs(sr - ratio) < 6 * sqrt(ratio * (1 - ratio) / (double)replaced));
    assert_alpha_equal(&img, &orig);
    aug_image_free(&img);

    /* Per channel: each sample decided alone, so mixed pixels appear and
     * each channel's replaced fraction is still `amount`. */
    img = copy_image(&orig);
    p.per_channel = 1;
    run(&img, &p, 8);
    size_t mixed = 0, rep[3] = {0, 0, 0}, salts = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *px = img.data + i * 4, *o = orig.data + i * 4;
        int r = 0;
        for (int c = 0; c < 3; c++) {
            if (px[c] == o[c])
                continue;
            assert_true(px[c] == 0 || px[c] == 255);
            rep[c]++;
            r++;
            salts += px[c] == 255;
        }
        mixed += r == 1 || r == 2;
    }
    for (int c = 0; c < 3; c++)
        assert_true(fabs((double)rep[c] / (double)n - amount) <
                    6 * sqrt(amount * (1 - amount) / (double)n));
    size_t all = rep[0] + rep[1] + rep[2];
    assert_true(fabs((double)salts / (double)all - ratio) <
                6 * sqrt(ratio * (1 - ratio) / (double)all));
    /* P(1 or 2 of 3 replaced) = 1 - 0.9^3 - 0.1^3 = 0.27. */
    assert_true(fabs((double)mixed / (double)n - 0.27) < 0.02);
    assert_alpha_equal(&img, &orig);
    aug_image_free(&img);

    /* The ends of the ranges are exact. */
    p.per_channel = 0;
    p.amount = 0;
    img = copy_image(&orig);
    run(&img, &p, 9);
    assert_memory_equal(img.data, orig.data, aug_image_size(&img));
    p.amount = 1;
    p.salt_ratio = 1;
    run(&img, &p, 9);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(img.data[i * 4 + (size_t)c], 255);
    p.salt_ratio = 0;
    run(&img, &p, 9);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(img.data[i * 4 + (size_t)c], 0);
    assert_alpha_equal(&img, &orig);
    aug_image_free(&img);
    aug_image_free(&orig);
}

/* v + v * N(0, sigma/255): std v * sigma / 255, so quadrupling v
 * multiplies the variance by 16. SE(var)/var = sqrt(2/n) = 0.28%; 4% is
 * far above it and still catches a wrong power of v or a missing /255. */
static void test_speckle(void **state)
{
    (void)state;
    aug_noise_params p = params(AUG_NOISE_SPECKLE, 20);
    for (int per = 0; per <= 1; per++) {
        p.per_channel = per;
        aug_image img = flat(64, 64, 3, 0);
        run(&img, &p, 10);
        for (size_t i = 0; i < aug_image_size(&img); i++)
            assert_int_equal(img.data[i], 0);
        aug_image_free(&img);
    }
    const int v[2] = {40, 160};
    const double n = 512.0 * 512.0;
    for (int per = 0; per <= 1; per++) {
        p.per_channel = per;
        double var[2][3];
        for (int k = 0; k < 2; k++) {
            aug_image img = flat(512, 512, 3, (uint8_t)v[k]);
            run(&img, &p, 11 + (uint64_t)k);
            double mean, expect = pow(v[k] * 20.0 / 255.0, 2);
            for (int c = 0; c < 3; c++) {
                moments(&img, c, &mean, &var[k][c]);
                assert_true(fabs(mean - v[k]) < 6 * sqrt(expect / n));
                assert_true(fabs(var[k][c] - (expect + 1.0 / 12)) < 0.04 * expect);
            }
            size_t differ = 0;
            for (size_t i = 0; i < (size_t)n; i++)
                differ += img.data[i * 3] != img.data[i * 3 + 1];
            if (per) /* independent draws with std >= 3 rarely agree */
                assert_true(differ > (size_t)(n * 0.8));
            else
                assert_int_equal(differ, 0);
            aug_image_free(&img);
        }
        for (int c = 0; c < 3; c++)
            assert_true(fabs(var[1][c] / var[0][c] - 16.0) < 16.0 * 0.06);
    }
}

/* The exact law of floor(K/scale + 0.5), K ~ Poisson(v * scale), from the
 * pmf summed here; with scale 4 rounding half up biases the mean by +1/8
 * and adds ~0.08 to the variance of 12.5. */
static void poisson_law(double v, double scale, double *mean, double *var)
{
    double lambda = v * scale, pk = exp(-lambda), m = 0, m2 = 0;
    for (int k = 0; k < 4000; k++) {
        if (k > 0)
            pk *= lambda / k;
        double x = floor(k / scale + 0.5);
        x = x > 255 ? 255 : x;
        m += x * pk;
        m2 += x * x * pk;
    }
    *mean = m;
    *var = m2 - m * m;
}

/* The documented shared law for a coloured pixel of mean level `level`:
 * K ~ Poisson(level * scale), z = (K - level*scale) / sqrt(level*scale),
 * value floor(v + z * sqrt(v / scale) + 0.5) saturated. */
static void coupled_law(double v, double level, double scale, double *mean,
                        double *var)
{
    double lambda = level * scale, pk = exp(-lambda), m = 0, m2 = 0;
    for (int k = 0; k < 4000; k++) {
        if (k > 0)
            pk *= lambda / k;
        double x = floor(v + (k - lambda) / sqrt(lambda) * sqrt(v / scale) + 0.5);
        x = x < 0 ? 0 : x > 255 ? 255 : x;
        m += x * pk;
        m2 += x * x * pk;
    }
    *mean = m;
    *var = m2 - m * m;
}

static void test_poisson(void **state)
{
    (void)state;
    const double scales[] = {1.0, 4.0, 0.5};
    const double n = 512.0 * 512.0;
    for (int k = 0; k < 3; k++) {
        aug_image img = flat(512, 512, 1, 50);
        aug_noise_params p = params(AUG_NOISE_POISSON, 0);
        p.scale = scales[k];
        run(&img, &p, 20 + (uint64_t)k);
        double em, ev;
        poisson_law(50, scales[k], &em, &ev);
        assert_true(fabs(ev - 50.0 / scales[k]) < 0.1); /* the law is right */
        assert_moments(&img, 0, em, ev);
        if (scales[k] == 1.0)
            for (size_t i = 0; i < (size_t)n; i++)
                assert_true(img.data[i] < 255); /* 205 above a mean of 50 */
        aug_image_free(&img);
    }

    /* Shared on a grey RGB picture: channels stay equal, with the same
     * Poisson law; per channel: independent, each with the law. */
    aug_image img = flat(512, 512, 3, 50);
    aug_noise_params p = params(AUG_NOISE_POISSON, 0);
    run(&img, &p, 30);
    for (size_t i = 0; i < (size_t)n; i++) {
        assert_int_equal(img.data[i * 3], img.data[i * 3 + 1]);
        assert_int_equal(img.data[i * 3], img.data[i * 3 + 2]);
    }
    assert_moments(&img, 1, 50, 50);
    aug_image_free(&img);

    img = flat(512, 512, 3, 50);
    p.per_channel = 1;
    run(&img, &p, 31);
    size_t differ = 0;
    for (size_t i = 0; i < (size_t)n; i++)
        differ += img.data[i * 3] != img.data[i * 3 + 1];
    /* Two independent Poisson(50) agree with probability ~4%. */
    assert_true(differ > (size_t)(n * 0.9));
    for (int c = 0; c < 3; c++)
        assert_moments(&img, c, 50, 50);
    aug_image_free(&img);

    /* Shared on a coloured pixel: each channel keeps mean v and variance
     * v / scale (up to rounding on the lattice of values, which the exact
     * law accounts for), and the channels move together. */
    img = flat(512, 512, 3, 0);
    const int v[3] = {20, 80, 160};
    for (size_t i = 0; i < (size_t)n; i++)
        for (int c = 0; c < 3; c++)
            img.data[i * 3 + (size_t)c] = (uint8_t)v[c];
    p.per_channel = 0;
    run(&img, &p, 32);
    for (int c = 0; c < 3; c++) {
        double em, ev;
        coupled_law(v[c], (20 + 80 + 160) / 3.0, 1.0, &em, &ev);
        assert_true(fabs(em - v[c]) < 0.05 && fabs(ev - v[c]) < 0.1 * v[c]);
        assert_moments(&img, c, em, ev);
    }
    double cov = 0, m0 = 0, m2 = 0;
    for (size_t i = 0; i < (size_t)n; i++) {
        m0 += img.data[i * 3];
        m2 += img.data[i * 3 + 2];
    }
    m0 /= n;
    m2 /= n;
    for (size_t i = 0; i < (size_t)n; i++)
        cov += (img.data[i * 3] - m0) * (img.data[i * 3 + 2] - m2);
    /* Fully coupled z-scores: correlation ~1 (rounding of the 20-channel
     * lowers it slightly); independent draws would give ~0. */
    assert_true(cov / n / sqrt(20.0 * 160.0) > 0.95);
    aug_image_free(&img);

    /* Zero stays zero in both modes. */
    for (int per = 0; per <= 1; per++) {
        img = flat(16, 16, 3, 0);
        p.per_channel = per;
        run(&img, &p, 33);
        for (size_t i = 0; i < aug_image_size(&img); i++)
            assert_int_equal(img.data[i], 0);
        aug_image_free(&img);
    }
}

/* Every type, every channel count, odd sizes and 1x1: alpha untouched,
 * colour changed when the noise is strong. */
static void test_channels_and_sizes(void **state)
{
    (void)state;
    const int sizes[][2] = {{1, 1}, {7, 5}, {33, 1}, {1, 17}};
    for (int ch = 1; ch <= 4; ch++)
        for (int s = 0; s < 4; s++)
            for (int t = AUG_NOISE_GAUSSIAN; t <= AUG_NOISE_POISSON; t++)
                for (int per = 0; per <= 1; per++) {
                    aug_image img = flat(sizes[s][0], sizes[s][1], ch, 128);
                    aug_image orig = copy_image(&img);
                    aug_noise_params p = params((aug_noise_type)t, 60);
                    p.amount = 1.0;
                    p.scale = 0.02; /* Poisson(2.56) * 50: large swings */
                    p.per_channel = per;
                    size_t changed = 0, px = (size_t)img.width * (size_t)img.height;
                    for (uint64_t seed = 0; seed < 4 && changed == 0; seed++) {
                        run(&img, &p, 100 + seed);
                        for (size_t i = 0; i < px; i++)
                            changed += img.data[i * (size_t)ch] != 128;
                    }
                    assert_true(changed > 0);
                    assert_alpha_equal(&img, &orig);
                    aug_image_free(&img);
                    aug_image_free(&orig);
                }
}

static void test_zero_strength_is_identity(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img = varied(31, 9, ch, (unsigned)ch), orig = copy_image(&img);
        const aug_noise_type types[] = {AUG_NOISE_GAUSSIAN, AUG_NOISE_UNIFORM,
                                        AUG_NOISE_SPECKLE};
        for (int t = 0; t < 3; t++)
            for (int per = 0; per <= 1; per++) {
                aug_noise_params p = params(types[t], 0);
                p.per_channel = per;
                run(&img, &p, 50);
                assert_memory_equal(img.data, orig.data, aug_image_size(&img));
            }
        /* A huge scale makes Poisson noise vanish below one grey level. */
        aug_noise_params p = params(AUG_NOISE_POISSON, 0);
        p.scale = 1e9;
        run(&img, &p, 51);
        assert_memory_equal(img.data, orig.data, aug_image_size(&img));
        aug_image_free(&img);
        aug_image_free(&orig);
    }
}

static void expect_invalid(aug_noise_params p, const char *word)
{
    aug_image img = varied(4, 3, 3, 1), orig = copy_image(&img);
    aug_rng rng;
    aug_rng_seed(&rng, 1);
    aug_error err = {0};
    assert_int_equal(aug_noise(&img, &p, &rng, &err), AUG_ERR_ARG);
    assert_int_equal(err.code, AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, word));
    assert_memory_equal(img.data, orig.data, aug_image_size(&img));
    /* A NULL error record is allowed. */
    assert_int_equal(aug_noise(&img, &p, &rng, NULL), AUG_ERR_ARG);
    aug_image_free(&img);
    aug_image_free(&orig);
}

static void test_invalid(void **state)
{
    (void)state;
    aug_noise_params p = params(AUG_NOISE_GAUSSIAN, 10);
    p.sigma = -1;
    expect_invalid(p, "sigma");
    p.sigma = NAN;
    expect_invalid(p, "sigma");
    p.sigma = INFINITY;
    expect_invalid(p, "sigma");
    p = params(AUG_NOISE_SALTPEPPER, 10);
    p.amount = -0.01;
    expect_invalid(p, "amount");
    p.amount = 1.01;
    expect_invalid(p, "amount");
    p.amount = NAN;
    expect_invalid(p, "amount");
    p = params(AUG_NOISE_SALTPEPPER, 10);
    p.salt_ratio = 1.5;
    expect_invalid(p, "salt_ratio");
    p.salt_ratio = -0.5;
    expect_invalid(p, "salt_ratio");
    p = params(AUG_NOISE_POISSON, 10);
    p.scale = 0;
    expect_invalid(p, "scale");
    p.scale = -1;
    expect_invalid(p, "scale");
    p.scale = NAN;
    expect_invalid(p, "scale");
    p.scale = INFINITY;
    expect_invalid(p, "scale");
    p = params((aug_noise_type)5, 10);
    expect_invalid(p, "type");
    p = params((aug_noise_type)-1, 10);
    expect_invalid(p, "type");

    aug_image img = varied(4, 3, 3, 1);
    aug_rng rng;
    aug_rng_seed(&rng, 1);
    p = params(AUG_NOISE_GAUSSIAN, 10);
    assert_int_equal(aug_noise(NULL, &p, &rng, NULL), AUG_ERR_ARG);
    assert_int_equal(aug_noise(&img, NULL, &rng, NULL), AUG_ERR_ARG);
    assert_int_equal(aug_noise(&img, &p, NULL, NULL), AUG_ERR_ARG);
    aug_image empty = {0, 0, 0, NULL};
    assert_int_equal(aug_noise(&empty, &p, &rng, NULL), AUG_ERR_ARG);
    aug_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_gaussian_moments),
        cmocka_unit_test(test_shared_vs_per_channel),
        cmocka_unit_test(test_gaussian_exact),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_gaussian_saturates),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_saltpepper),
        cmocka_unit_test(test_speckle),
        cmocka_unit_test(test_poisson),
        cmocka_unit_test(test_channels_and_sizes),
        cmocka_unit_test(test_zero_strength_is_identity),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
