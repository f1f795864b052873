/* Weighted blending of two images of the same size and layout (mixup,
 * SamplePairing); aug_convert (src/core/convert.c) brings them there. */
#include <stdint.h>
#include <string.h>

#include "augment/kernels.h"

static int valid(const aug_image *img)
{
    return img && img->data && img->width > 0 && img->height > 0 &&
           img->channels >= 1 && img->channels <= 4;
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
