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

/* Normals come two per polar step; a kernel keeps the second for its next
 * sample instead of throwing it away (half the cost of the draws). The
 * buffer lives for one kernel call only, so streams stay explicit. */
typedef struct normals {
    double spare;
    int have;
} normals;

static inline double next_normal(normals *nb, aug_rng *rng)
{
    if (nb->have) {
        nb->have = 0;
        return nb->spare;
    }
    double a;
    aug_rng_normal2(rng, &a, &nb->spare);
    nb->have = 1;
    return a;
}

static void gaussian(pixels im, double sigma, int per_channel, aug_rng *rng)
{
    normals nb = {0.0, 0};
    for (size_t i = 0; i < im.count; i++) {
        uint8_t *px = im.data + i * (size_t)im.step;
        if (per_channel) {
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8(px[c] + sigma * next_normal(&nb, rng));
        } else {
            double n = sigma * next_normal(&nb, rng);
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8(px[c] + n);
        }
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
    normals nb = {0.0, 0};
    for (size_t i = 0; i < im.count; i++) {
        uint8_t *px = im.data + i * (size_t)im.step;
        if (per_channel) {
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8(px[c] * (1.0 + s * next_normal(&nb, rng)));
        } else {
            double f = 1.0 + s * next_normal(&nb, rng);
            for (int c = 0; c < im.cc; c++)
                px[c] = to_u8(px[c] * f);
        }
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
