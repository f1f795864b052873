/* Pixel noise: gaussian, uniform, salt-and-pepper, speckle and poisson.
 *
 * Values live in 0..255 units. Every noisy sample becomes
 * floor(v + noise + 0.5) saturated to 0..255: rounding half up keeps the
 * mean unbiased for symmetric noise, and saturation (not wraparound) is what
 * imgaug and albumentations do. Alpha carries coverage, not intensity, so it
 * is never noised. By default one draw per pixel is shared by its colour
 * channels (imgaug's per_channel=False), which keeps grey pixels grey.
 *
 * Each noise type has its own loop, chosen once by a switch, so the inner
 * loop carries no dispatch. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "augment/kernels.h"
#include "core/simd.h"

/* Above this, Poisson(255 * scale) no longer fits the generator's integer
 * result comfortably, and the noise (std sqrt(v / scale)) is far below one
 * grey level anyway. */
#define MAX_POISSON_SCALE 1e12

void aug_noise_params_default(aug_noise_params *p)
{
    p->type = AUG_NOISE_GAUSSIAN;
    p->sigma = 10.0;
    p->amount = 0.05;
    p->salt_ratio = 0.5;
    p->scale = 1.0;
    p->per_channel = 0;
}

static inline uint8_t to_u8(double x)
{
    double r = floor(x + 0.5);
    if (!(r > 0.0)) /* also catches NaN, which must not reach the cast */
        return 0;
    if (r >= 255.0)
        return 255;
    return (uint8_t)r;
}

/* The geometry every loop shares: `cc` colour samples at the start of each
 * `step`-byte pixel; the alpha byte after them is skipped. */
typedef struct pixels {
    uint8_t *data;
    size_t count;
    int step, cc;
} pixels;

/* Normals come from the ziggurat (aug_rng_normals) in blocks, so that
 * drawing and adding are two tight loops: the second has no branch and the
 * compiler vectorises it. */
#define BLOCK 2048

/* floor(v + n + 0.5) saturated to 0..255, in float: v + n + 0.5 is clamped
 * to [0, 255.5] and truncated (truncation is floor for what is >= 0). The
 * float sum of an 8-bit value and a float noise is exact to well under a
 * thousandth of a grey level, far from the .5 boundaries that matter. */
static inline uint8_t add_sat(uint8_t v, float n)
{
    float x = (float)v + n + 0.5f;
    x = x < 0.0f ? 0.0f : x;
    x = x > 255.5f ? 255.5f : x;
    return (uint8_t)(int)x;
}

/* The sum over a flat run of samples, the one loop that touches every
 * byte, built for the baseline and again for AVX2 (core/simd.h): the same
 * float operations, so the same bytes. */
AUG_ALWAYS_INLINE void add_body(uint8_t *restrict d, const float *restrict nz, size_t n,
                                float s)
{
    for (size_t k = 0; k < n; k++)
        d[k] = add_sat(d[k], s * nz[k]);
}

static void add_base(uint8_t *restrict d, const float *restrict nz, size_t n, float s)
{
    add_body(d, nz, n, s);
}

#if AUG_WIDE
AUG_WIDE_TARGET static void add_wide(uint8_t *restrict d, const float *restrict nz, size_t n,
                                     float s)
{
    add_body(d, nz, n, s);
}
#endif

static void gaussian(pixels im, double sigma, int per_channel, aug_rng *rng)
{
    float buf[BLOCK], wide[BLOCK];
    float s = (float)sigma;
    size_t cc = (size_t)im.cc, step = (size_t)im.step;
    size_t per_px = per_channel ? cc : 1, block = BLOCK / cc;
    if (im.cc == im.step) {
        /* no alpha: each block of pixels is one flat run of samples; a
         * shared draw is first repeated for the pixel's channels */
        void (*add)(uint8_t *restrict, const float *restrict, size_t, float) = add_base;
#if AUG_WIDE
        if (aug_wide_ok())
            add = add_wide;
#endif
        for (size_t at = 0; at < im.count; at += block) {
            size_t n = im.count - at < block ? im.count - at : block;
            aug_rng_normals(rng, buf, n * per_px);
            const float *nz = buf;
            if (!per_channel && cc > 1) {
                for (size_t k = 0; k < n; k++)
                    for (size_t c = 0; c < cc; c++)
                        wide[k * cc + c] = buf[k];
                nz = wide;
            }
            add(im.data + at * cc, nz, n * cc, s);
        }
        return;
    }
    for (size_t at = 0; at < im.count; at += block) {
        size_t n = im.count - at < block ? im.count - at : block;
        aug_rng_normals(rng, buf, n * per_px);
        uint8_t *d = im.data + at * step;
        for (size_t k = 0; k < n; k++, d += step)
            for (size_t c = 0; c < cc; c++)
                d[c] = add_sat(d[c], s * buf[per_channel ? k * cc + c : k]);
    }
}

static void uniform(pixels im, double sigma, int per_channel, aug_rng *rng)
{
    for (size_t i = 0; i < im.count; i++) {
        uint8_t *px = im.data + i * (size_t)im.step;
        if (per_channel) {
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8(px[c] + aug_rng_range(rng, -sigma, sigma));
        } else {
            double n = aug_rng_range(rng, -sigma, sigma);
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8(px[c] + n);
        }
    }
}

static void speckle(pixels im, double sigma, int per_channel, aug_rng *rng)
{
    /* sigma is in 0..255 units; the multiplicative factor is relative. */
    double s = sigma / 255.0;
    float buf[BLOCK];
    size_t cc = (size_t)im.cc, per_px = per_channel ? cc : 1, block = BLOCK / per_px;
    for (size_t at = 0; at < im.count; at += block) {
        size_t n = im.count - at < block ? im.count - at : block;
        aug_rng_normals(rng, buf, n * per_px);
        uint8_t *d = im.data + at * (size_t)im.step;
        for (size_t k = 0; k < n; k++, d += im.step)
            for (size_t c = 0; c < cc; c++)
                d[c] = to_u8(d[c] * (1.0 + s * buf[per_channel ? k * cc + c : k]));
    }
}

static void saltpepper(pixels im, double amount, double salt_ratio,
                       int per_channel, aug_rng *rng)
{
    for (size_t i = 0; i < im.count; i++) {
        uint8_t *px = im.data + i * (size_t)im.step;
        if (per_channel) {
            for (int c = 0; c < im.cc; c++)
                if (aug_rng_uniform(rng) < amount)
                    px[c] = aug_rng_uniform(rng) < salt_ratio ? 255 : 0;
        } else if (aug_rng_uniform(rng) < amount) {
            uint8_t v = aug_rng_uniform(rng) < salt_ratio ? 255 : 0;
            for (int c = 0; c < im.cc; c++)
                px[c] = v;
        }
    }
}

static void poisson(pixels im, double scale, int per_channel, aug_rng *rng)
{
    for (size_t i = 0; i < im.count; i++) {
        uint8_t *px = im.data + i * (size_t)im.step;
        if (per_channel || im.cc == 1) {
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8((double)aug_rng_poisson(rng, px[c] * scale) / scale);
            continue;
        }
        /* Shot noise depends on each value, so "one draw per pixel" needs a
         * definition: draw Poisson at the pixel's mean level, standardise it,
         * and give every channel that z-score at its own spread
         * sqrt(v / scale). Each channel keeps mean v and variance v / scale,
         * a grey pixel gets exactly Poisson(v * scale) / scale, and channels
         * move together as with the other shared noises. */
        double m = 0.0;
        for (int c = 0; c < im.cc; c++)
            m += px[c];
        m /= im.cc;
        if (m == 0.0)
            continue; /* Poisson(0) is 0: black stays black */
        double lambda = m * scale;
        double k = (double)aug_rng_poisson(rng, lambda);
        double z = (k - lambda) / sqrt(lambda);
        for (int c = 0; c < im.cc; c++) {
            double v = px[c];
            /* The direct form when v is the mean, so that grey pixels are
             * exact and not off by a rounding error at a .5 boundary. */
            px[c] = to_u8(v == m ? k / scale : v + z * sqrt(v / scale));
        }
    }
}

static aug_status check(const aug_image *img, const aug_noise_params *p,
                        const aug_rng *rng, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        img->channels < 1 || img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "noise: no image, or an invalid one");
    if (!p || !rng)
        return aug_fail(err, AUG_ERR_ARG, "noise: missing parameters or random stream");
    /* Every field is checked, used by the type or not: a garbage field
     * usually means the struct was never passed through the default. */
    if ((int)p->type < AUG_NOISE_GAUSSIAN || (int)p->type > AUG_NOISE_POISSON)
        return aug_fail(err, AUG_ERR_ARG,
                        "noise: unknown type %d (gaussian, uniform, saltpepper, "
                        "speckle or poisson)", (int)p->type);
    if (!(p->sigma >= 0.0 && isfinite(p->sigma)))
        return aug_fail(err, AUG_ERR_ARG,
                        "noise: sigma %g must be finite and >= 0", p->sigma);
    if (!(p->amount >= 0.0 && p->amount <= 1.0))
        return aug_fail(err, AUG_ERR_ARG,
                        "noise: amount %g must be in [0, 1]", p->amount);
    if (!(p->salt_ratio >= 0.0 && p->salt_ratio <= 1.0))
        return aug_fail(err, AUG_ERR_ARG,
                        "noise: salt_ratio %g must be in [0, 1]", p->salt_ratio);
    if (!(p->scale > 0.0 && p->scale <= MAX_POISSON_SCALE))
        return aug_fail(err, AUG_ERR_ARG,
                        "noise: scale %g must be in (0, %g]", p->scale,
                        MAX_POISSON_SCALE);
    return AUG_OK;
}

aug_status aug_noise(aug_image *img, const aug_noise_params *p, aug_rng *rng,
                     aug_error *err)
{
    aug_status st = check(img, p, rng, err);
    if (st)
        return st;
    pixels im = {img->data, (size_t)img->width * (size_t)img->height,
                 img->channels, aug_image_color_channels(img)};
    int per = p->per_channel != 0;
    switch (p->type) {
    case AUG_NOISE_GAUSSIAN: gaussian(im, p->sigma, per, rng); break;
    case AUG_NOISE_UNIFORM: uniform(im, p->sigma, per, rng); break;
    case AUG_NOISE_SALTPEPPER:
        saltpepper(im, p->amount, p->salt_ratio, per, rng);
        break;
    case AUG_NOISE_SPECKLE: speckle(im, p->sigma, per, rng); break;
    case AUG_NOISE_POISSON: poisson(im, p->scale, per, rng); break;
    }
    return AUG_OK;
}
