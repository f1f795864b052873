/* PIL's ImageEnhance, which torchvision's adjust_brightness, _contrast,
 * _saturation and _sharpness call on PIL images: a blend of the image
 * with a "degenerate" version of itself.
 *
 * PIL blends in single precision, deg + f * (v - deg) with f a float, and
 * truncates (clipping to 0..255 first when f extrapolates); doing the same
 * arithmetic here gives PIL's bytes. Where the degenerate value does not
 * depend on the pixel (brightness, contrast), the blend is a table of 256
 * entries. Alpha is left alone (PIL puts the original alpha back). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/color.h"

static aug_status check(const aug_image *img, double factor, const char *what, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 || img->channels < 1 ||
        img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "%s: not a valid image", what);
    if (!(factor >= 0.0 && factor <= 1e6))
        return aug_fail(err, AUG_ERR_ARG, "%s: factor %g is outside 0..1e6", what, factor);
    return AUG_OK;
}

/* ImagingBlend for one sample; a is PIL's float alpha. */
static inline uint8_t blend1(int deg, int v, float a)
{
    float t = (float)deg + a * (float)(v - deg);
    if (t <= 0.0f)
        return 0;
    if (t >= 255.0f)
        return 255;
    return (uint8_t)t;
}

/* PIL's greyscale of an RGB pixel (convert("L")). */
static inline int luma(const uint8_t *p)
{
    return (int)((p[0] * 19595u + p[1] * 38470u + p[2] * 7471u + 0x8000u) >> 16);
}

/* Every colour sample through a table. */
static void apply_table(aug_image *img, const uint8_t lut[256])
{
    int ch = img->channels, cc = aug_image_color_channels(img);
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t *p = img->data;
    if (cc == ch) {
        for (size_t i = 0; i < n * (size_t)ch; i++)
            p[i] = lut[p[i]];
        return;
    }
    for (size_t i = 0; i < n; i++, p += ch)
        for (int c = 0; c < cc; c++)
            p[c] = lut[p[c]];
}

static void blend_table(aug_image *img, int deg, float a)
{
    uint8_t lut[256];
    for (int v = 0; v < 256; v++)
        lut[v] = blend1(deg, v, a);
    apply_table(img, lut);
}

aug_status aug_brightness(aug_image *img, double factor, aug_error *err)
{
    aug_status st = check(img, factor, "brightness", err);
    if (!st)
        blend_table(img, 0, (float)factor);
    return st;
}

aug_status aug_contrast(aug_image *img, double factor, aug_error *err)
{
    aug_status st = check(img, factor, "contrast", err);
    if (st)
        return st;
    /* ImageStat's mean of convert("L"), rounded half up */
    int ch = img->channels, cc = aug_image_color_channels(img);
    size_t n = (size_t)img->width * (size_t)img->height;
    uint64_t sum = 0;
    const uint8_t *p = img->data;
    for (size_t i = 0; i < n; i++, p += ch)
        sum += cc == 3 ? (uint64_t)luma(p) : p[0];
    int mean = (int)((double)sum / (double)n + 0.5);
    blend_table(img, mean, (float)factor);
    return AUG_OK;
}

aug_status aug_saturation(aug_image *img, double factor, aug_error *err)
{
    aug_status st = check(img, factor, "saturation", err);
    if (st || aug_image_color_channels(img) == 1)
        return st; /* grey: the degenerate image is the image itself */
    float a = (float)factor;
    int ch = img->channels;
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t *p = img->data;
    for (size_t i = 0; i < n; i++, p += ch) {
        int g = luma(p);
        p[0] = blend1(g, p[0], a);
        p[1] = blend1(g, p[1], a);
        p[2] = blend1(g, p[2], a);
    }
    return AUG_OK;
}

/* PIL's ImagingFilter3x3 with SMOOTH for one output row: the kernel is
 * 1/13 and 5/13 as floats, each row of three summed left to right, the
 * rows below, at and above added to 0.5 in that order, then truncated. */
static void smooth_row(const uint8_t *above, const uint8_t *at, const uint8_t *below,
                       uint8_t *out, int w, int ch, int cc)
{
    const float k1 = 1.0f / 13.0f, k5 = 5.0f / 13.0f;
    for (int x = 1; x < w - 1; x++)
        for (int c = 0; c < cc; c++) {
            size_t l = (size_t)(x - 1) * ch + c, m = (size_t)x * ch + c,
                   r = (size_t)(x + 1) * ch + c;
            float ss = 0.5f;
            ss += (float)below[l] * k1 + (float)below[m] * k1 + (float)below[r] * k1;
            ss += (float)at[l] * k1 + (float)at[m] * k5 + (float)at[r] * k1;
            ss += (float)above[l] * k1 + (float)above[m] * k1 + (float)above[r] * k1;
            out[m] = ss <= 0.0f ? 0 : ss >= 255.0f ? 255 : (uint8_t)ss;
        }
}

aug_status aug_sharpness(aug_image *img, double factor, aug_error *err)
{
    aug_status st = check(img, factor, "sharpness", err);
    if (st)
        return st;
    int w = img->width, h = img->height, ch = img->channels;
    int cc = aug_image_color_channels(img);
    if (w < 3 || h < 3) /* PIL copies images smaller than the kernel */
        return AUG_OK;
    size_t row = (size_t)w * (size_t)ch;
    /* the original's rows y-1, y, y+1 (a ring), and the smoothed row */
    uint8_t *buf = malloc(4 * row);
    if (!buf)
        return aug_fail(err, AUG_ERR_NOMEM, "sharpness: out of memory allocating work rows");
    uint8_t *ring[3] = {buf, buf + row, buf + 2 * row}, *deg = buf + 3 * row;
    float a = (float)factor;
    memcpy(ring[0], img->data, row);
    memcpy(ring[1], img->data + row, row);
    for (int y = 1; y < h - 1; y++) {
        uint8_t *above = ring[(y - 1) % 3], *at = ring[y % 3], *below = ring[(y + 1) % 3];
        memcpy(below, img->data + (size_t)(y + 1) * row, row);
        memcpy(deg, at, row); /* the first and last pixels stay */
        smooth_row(above, at, below, deg, w, ch, cc);
        uint8_t *o = img->data + (size_t)y * row;
        for (int x = 0; x < w; x++)
            for (int c = 0; c < cc; c++) {
                size_t i = (size_t)x * ch + c;
                o[i] = blend1(deg[i], at[i], a);
            }
    }
    free(buf);
    return AUG_OK;
}
