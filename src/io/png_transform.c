/* 16-bit PNGs through flips, quarter turns and transposes without losing
 * a bit: the stored samples are read whole (png_read.c), their pixels moved
 * as the symmetry says, and written back at 16 bits with the same colour
 * type and transparent colour (png_write.c). Every other operation works
 * on 8-bit samples (the kernels' fixed-point arithmetic is built for them),
 * so a chain with anything else reduces the image, and says so. */
#include <stdlib.h>
#include <string.h>

#include "augment/codec.h"
#include "io/png.h"

aug_status aug_png_transform(const uint8_t *buf, size_t len, size_t max_pixels, int op,
                             int level, uint8_t **out, size_t *out_len, aug_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (op < 0 || op > 7)
        return aug_fail(err, AUG_ERR_ARG, "png transform: no symmetry %d", op);
    if (level < 0 || level > 12)
        return aug_fail(err, AUG_ERR_ARG, "PNG level %d is outside 0..12", level);
    aug_png_layout in;
    uint8_t *px;
    aug_status st = aug_png_read_rows(buf, len, max_pixels ? max_pixels : AUG_DEFAULT_MAX_PIXELS,
                                      &in, &px, err);
    if (st)
        return st;
    /* transpose first (bit 4), then mirror left-right (1), top-bottom (2) */
    int t = (op & 4) != 0;
    size_t w = (size_t)in.width, h = (size_t)in.height, b = in.bytes_per_pixel;
    size_t ow = t ? h : w, oh = t ? w : h;
    uint8_t *moved = malloc(w * h * b);
    if (!moved) {
        free(px);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory turning a %zux%zu PNG", w, h);
    }
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++) {
            size_t tx = t ? y : x, ty = t ? x : y;
            if (op & 1)
                tx = ow - 1 - tx;
            if (op & 2)
                ty = oh - 1 - ty;
            memcpy(moved + (ty * ow + tx) * b, px + (y * w + x) * b, b);
        }
    free(px);
    aug_png_layout o = in;
    o.width = (int)ow;
    o.height = (int)oh;
    st = aug_png_write_rows(&o, moved, level, out, out_len, err);
    free(moved);
    return st;
}
