/* Channel conversion and weighted blending, the two steps that let images
 * of different kinds be mixed (mixup, SamplePairing). */
#include <stdint.h>
#include <string.h>

#include "augment/kernels.h"

static int valid(const aug_image *img)
{
    return img && img->data && img->width > 0 && img->height > 0 &&
           img->channels >= 1 && img->channels <= 4;
}

/* Rec.601 luma, floor(0.299 R + 0.587 G + 0.114 B + 0.5), in integers:
 * the weights 299/587/114 sum to 1000, so (299 R + 587 G + 114 B + 500) /
 * 1000 is that exact value with no floating-point doubt at the .5 ties,
 * and never exceeds 255. */
static uint8_t luma(const uint8_t *p)
{
    return (uint8_t)((299u * p[0] + 587u * p[1] + 114u * p[2] + 500u) / 1000u);
}

aug_status aug_convert(const aug_image *src, aug_image *dst, int channels,
                       aug_error *err)
{
    if (!valid(src))
        return aug_fail(err, AUG_ERR_ARG, "convert: not a valid source image");
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG,
                        "convert: the output must be a separate image");
    if (channels < 1 || channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "convert: %d channels (1 to 4 allowed)",
                        channels);
    aug_status st = aug_image_alloc(dst, src->width, src->height, channels, err);
    if (st)
        return st;
    if (channels == src->channels) {
        memcpy(dst->data, src->data, aug_image_size(src));
        return AUG_OK;
    }

    int sc = src->channels, dc = channels;
    int s_colour = aug_image_color_channels(src);
    int d_colour = aug_image_color_channels(dst);
    int s_alpha = aug_image_has_alpha(src), d_alpha = aug_image_has_alpha(dst);
    size_t n = (size_t)src->width * (size_t)src->height;
    const uint8_t *s = src->data;
    uint8_t *d = dst->data;
    for (size_t i = 0; i < n; i++, s += sc, d += dc) {
        if (s_colour == d_colour) {
            d[0] = s[0];
            if (d_colour == 3) {
                d[1] = s[1];
                d[2] = s[2];
            }
        } else if (d_colour == 3) {
            d[0] = d[1] = d[2] = s[0];
        } else {
            d[0] = luma(s);
        }
        /* Alpha is carried over when both have it, dropped when only the
         * source has it, and opaque when only the destination has it. */
        if (d_alpha)
            d[d_colour] = s_alpha ? s[s_colour] : 255;
    }
    return AUG_OK;
}

aug_status aug_blend(const aug_image *a, const aug_image *b, double wa,
                     aug_image *dst, aug_error *err)
{
    if (!valid(a) || !valid(b))
        return aug_fail(err, AUG_ERR_ARG, "blend: not a valid input image");
    if (!dst || dst == a || dst == b)
        return aug_fail(err, AUG_ERR_ARG, "blend: the output must be a separate image");
    if (!(wa >= 0.0 && wa <= 1.0)) /* also rejects NaN */
        return aug_fail(err, AUG_ERR_ARG, "blend: weight %g is outside [0, 1]", wa);
    if (a->width != b->width || a->height != b->height || a->channels != b->channels)
        return aug_fail(err, AUG_ERR_ARG,
                        "blend: images differ (%dx%d, %d channels vs %dx%d, %d channels)",
                        a->width, a->height, a->channels, b->width, b->height,
                        b->channels);
    aug_status st = aug_image_alloc(dst, a->width, a->height, a->channels, err);
    if (st)
        return st;
    /* Weights are usually typed as decimals (0.7, 0.35) that binary
     * doubles only approximate, so an exact tie such as 0.7 * 0 + 0.3 * 25
     * = 7.5 can come out a hair either side of .5. The double error is
     * below 1e-13 while non-tie values with weights of up to 8 decimals sit
     * at least 5e-9 from a tie, so a 1e-9 nudge makes such ties round up as
     * the formula says without moving anything else (the same margin
     * absorbs the order of the additions in the tables below). A convex
     * combination of 0..255 stays below 255 + 1e-13: no clamp needed.
     * The two products take only 256 values each, so they are tabled. */
    double ta[256], tb[256];
    for (int v = 0; v < 256; v++) {
        ta[v] = wa * v;
        tb[v] = (1.0 - wa) * v + (0.5 + 1e-9);
    }
    size_t n = aug_image_size(a);
    const uint8_t *pa = a->data, *pb = b->data;
    uint8_t *d = dst->data;
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(ta[pa[i]] + tb[pb[i]]);
    return AUG_OK;
}
