/* Per-value transforms, each a table of 256 entries applied to the colour
 * channels (alpha left alone): invert, posterize, solarize and gamma, and
 * PIL's ImageOps.equalize and autocontrast, whose tables come from each
 * channel's histogram with PIL's integer and double arithmetic. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "augment/color.h"
#include "core/dmath.h"

static aug_status check(const aug_image *img, const char *what, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 || img->channels < 1 ||
        img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "%s: not a valid image", what);
    return AUG_OK;
}

/* Colour channel c of every pixel through lut[c] (one table per channel). */
static void apply(aug_image *img, const uint8_t (*lut)[256], int per_channel)
{
    int ch = img->channels, cc = aug_image_color_channels(img);
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t *p = img->data;
    if (!per_channel && cc == ch) {
        for (size_t i = 0; i < n * (size_t)ch; i++)
            p[i] = lut[0][p[i]];
        return;
    }
    const uint8_t *l0 = lut[0], *l1 = lut[per_channel ? 1 : 0], *l2 = lut[per_channel ? 2 : 0];
    if (cc == 3) { /* RGB and RGBA: three tables, no loop over channels */
        for (size_t i = 0; i < n; i++, p += ch) {
            p[0] = l0[p[0]];
            p[1] = l1[p[1]];
            p[2] = l2[p[2]];
        }
        return;
    }
    for (size_t i = 0; i < n; i++, p += ch) /* grey + alpha */
        p[0] = l0[p[0]];
}

aug_status aug_invert(aug_image *img, aug_error *err)
{
    aug_status st = check(img, "invert", err);
    if (st)
        return st;
    uint8_t lut[1][256];
    for (int v = 0; v < 256; v++)
        lut[0][v] = (uint8_t)(255 - v);
    apply(img, lut, 0);
    return AUG_OK;
}

aug_status aug_posterize(aug_image *img, int bits, aug_error *err)
{
    aug_status st = check(img, "posterize", err);
    if (st)
        return st;
    if (bits < 0 || bits > 8)
        return aug_fail(err, AUG_ERR_ARG, "posterize: %d bits (0..8 allowed)", bits);
    uint8_t mask = (uint8_t)(~((1u << (8 - bits)) - 1u) & 255u), lut[1][256];
    for (int v = 0; v < 256; v++)
        lut[0][v] = (uint8_t)(v & mask);
    apply(img, lut, 0);
    return AUG_OK;
}

aug_status aug_solarize(aug_image *img, double threshold, aug_error *err)
{
    aug_status st = check(img, "solarize", err);
    if (st)
        return st;
    if (!(threshold >= 0.0 && threshold <= 256.0))
        return aug_fail(err, AUG_ERR_ARG, "solarize: threshold %g is outside 0..256", threshold);
    uint8_t lut[1][256];
    for (int v = 0; v < 256; v++)
        lut[0][v] = (uint8_t)(v < threshold ? v : 255 - v);
    apply(img, lut, 0);
    return AUG_OK;
}

aug_status aug_gamma(aug_image *img, double gamma, aug_error *err)
{
    aug_status st = check(img, "gamma", err);
    if (st)
        return st;
    if (!(gamma >= 0.0 && gamma <= 1e3))
        return aug_fail(err, AUG_ERR_ARG, "gamma: %g is outside 0..1000", gamma);
    uint8_t lut[1][256];
    for (int v = 0; v < 256; v++) {
        double g = (255 + 1 - 1e-3) * aug_pow(v / 255.0, gamma);
        lut[0][v] = (uint8_t)(g >= 255.0 ? 255 : (int)g);
    }
    apply(img, lut, 0);
    return AUG_OK;
}

/* The histogram of each colour channel. */
static void histograms(const aug_image *img, uint64_t (*h)[256])
{
    int ch = img->channels, cc = aug_image_color_channels(img);
    memset(h, 0, 3 * sizeof *h);
    size_t n = (size_t)img->width * (size_t)img->height;
    const uint8_t *p = img->data;
    if (cc == 3) {
        for (size_t i = 0; i < n; i++, p += ch) {
            h[0][p[0]]++;
            h[1][p[1]]++;
            h[2][p[2]]++;
        }
        return;
    }
    for (size_t i = 0; i < n; i++, p += ch)
        h[0][p[0]]++;
}

aug_status aug_equalize(aug_image *img, aug_error *err)
{
    aug_status st = check(img, "equalize", err);
    if (st)
        return st;
    uint64_t h[3][256];
    uint8_t lut[3][256];
    histograms(img, h);
    for (int c = 0; c < aug_image_color_channels(img); c++) {
        /* step: (all but the last used level) / 255 */
        uint64_t total = 0, last = 0;
        int used = 0;
        for (int v = 0; v < 256; v++)
            if (h[c][v]) {
                total += h[c][v];
                last = h[c][v];
                used++;
            }
        uint64_t step = used > 1 ? (total - last) / 255 : 0;
        if (!step) {
            for (int v = 0; v < 256; v++)
                lut[c][v] = (uint8_t)v;
            continue;
        }
        uint64_t n = step / 2;
        for (int v = 0; v < 256; v++) {
            uint64_t q = n / step;
            lut[c][v] = (uint8_t)(q > 255 ? 255 : q); /* point() clips */
            n += h[c][v];
        }
    }
    apply(img, lut, 1);
    return AUG_OK;
}

aug_status aug_autocontrast(aug_image *img, aug_error *err)
{
    aug_status st = check(img, "autocontrast", err);
    if (st)
        return st;
    uint64_t h[3][256];
    uint8_t lut[3][256];
    histograms(img, h);
    for (int c = 0; c < aug_image_color_channels(img); c++) {
        int lo = 0, hi = 255;
        while (lo < 255 && !h[c][lo])
            lo++;
        while (hi > 0 && !h[c][hi])
            hi--;
        if (hi <= lo) {
            for (int v = 0; v < 256; v++)
                lut[c][v] = (uint8_t)v;
            continue;
        }
        double scale = 255.0 / (hi - lo), offset = -lo * scale;
        for (int v = 0; v < 256; v++) {
            int ix = (int)(v * scale + offset);
            lut[c][v] = (uint8_t)(ix < 0 ? 0 : ix > 255 ? 255 : ix);
        }
    }
    apply(img, lut, 1);
    return AUG_OK;
}
