/* Channel layout conversion (grey, grey+alpha, RGB, RGBA): part of the
 * image type rather than a transform, so that the codecs (a BMP writer
 * that has no grey+alpha layout) and the kernels can both use it. */
#include <stdint.h>
#include <string.h>

#include "augment/image.h"

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

