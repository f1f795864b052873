/* Greyscale as PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point,
 * (19595 R + 38470 G + 7471 B + 0x8000) >> 16, the weights summing to
 * 65536. Alpha is carried over. */
#include <stdint.h>
#include <string.h>

#include "augment/color.h"

aug_status aug_grayscale(const aug_image *src, aug_image *dst, int keep_channels,
                         aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "grayscale: the output must be a separate image");
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "grayscale: not a valid image");
    int sc = src->channels, alpha = aug_image_has_alpha(src);
    int dc = keep_channels ? sc : 1 + alpha;
    aug_status st = aug_image_alloc(dst, src->width, src->height, dc, err);
    if (st)
        return st;
    if (aug_image_color_channels(src) == 1) { /* already grey */
        memcpy(dst->data, src->data, aug_image_size(src));
        return AUG_OK;
    }
    size_t n = (size_t)src->width * (size_t)src->height;
    const uint8_t *s = src->data;
    uint8_t *d = dst->data;
    for (size_t i = 0; i < n; i++, s += sc, d += dc) {
        uint8_t g = (uint8_t)((s[0] * 19595u + s[1] * 38470u + s[2] * 7471u + 0x8000u) >> 16);
        d[0] = g;
        if (dc >= 3)
            d[1] = d[2] = g;
        if (alpha)
            d[dc - 1] = s[sc - 1];
    }
    return AUG_OK;
}
