/* Crops, pads and pastes: windows of an image that may reach past its
 * edges, where OpenCV's border rules (or a constant) supply the pixels.
 * A pad is a crop whose window starts at a negative offset and is larger
 * than the image. The part of each output row that lies inside the source
 * is one memcpy; only the margins go through the border rule. */
#include <stdint.h>
#include <string.h>

#include "augment/geometry.h"
#include "kernels/border.h"

static void put(uint8_t *o, const uint8_t *p, int ch)
{
    for (int c = 0; c < ch; c++)
        o[c] = p[c];
}

aug_status aug_crop(const aug_image *src, aug_image *dst, int x, int y, int w, int h,
                    aug_border border, const uint8_t fill[4], aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "crop: the output must be a separate image");
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "crop: not a valid source image");
    if (w <= 0 || h <= 0)
        return aug_fail(err, AUG_ERR_ARG, "crop: window %dx%d is not positive", w, h);
    if ((unsigned)border > (unsigned)AUG_BORDER_WRAP)
        return aug_fail(err, AUG_ERR_ARG, "crop: unknown border mode %d", (int)border);
    aug_status st = aug_image_alloc(dst, w, h, src->channels, err);
    if (st)
        return st;
    static const uint8_t zero[4] = {0, 0, 0, 0};
    if (!fill)
        fill = zero;
    int ch = src->channels, sw = src->width, sh = src->height;
    size_t srow = (size_t)sw * (size_t)ch, drow = (size_t)w * (size_t)ch;
    /* the output columns [lo, hi) read source columns inside the image */
    int64_t lo = (int64_t)x < 0 ? -(int64_t)x : 0;
    int64_t hi = (int64_t)sw - x;
    if (hi > w)
        hi = w;
    if (lo > w)
        lo = w;
    if (hi < lo)
        hi = lo;
    for (int j = 0; j < h; j++) {
        uint8_t *out = dst->data + (size_t)j * drow;
        int64_t sy = aug_border_index((int64_t)y + j, sh, border);
        if (sy < 0) {
            for (int i = 0; i < w; i++)
                put(out + (size_t)i * ch, fill, ch);
            continue;
        }
        const uint8_t *in = src->data + (size_t)sy * srow;
        for (int64_t i = 0; i < lo; i++) {
            int64_t sx = aug_border_index((int64_t)x + i, sw, border);
            put(out + (size_t)i * ch, sx < 0 ? fill : in + (size_t)sx * ch, ch);
        }
        if (hi > lo)
            memcpy(out + (size_t)lo * ch, in + (size_t)((int64_t)x + lo) * ch,
                   (size_t)(hi - lo) * ch);
        for (int64_t i = hi; i < w; i++) {
            int64_t sx = aug_border_index((int64_t)x + i, sw, border);
            put(out + (size_t)i * ch, sx < 0 ? fill : in + (size_t)sx * ch, ch);
        }
    }
    return AUG_OK;
}

aug_status aug_paste(aug_image *a, const aug_image *b, aug_rect r, aug_error *err)
{
    if (!a || !b || !a->data || !b->data || a->width != b->width ||
        a->height != b->height || a->channels != b->channels)
        return aug_fail(err, AUG_ERR_ARG, "paste: the two images differ in size or channels");
    int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    int64_t x1 = (int64_t)r.x + r.w, y1 = (int64_t)r.y + r.h;
    if (x1 > a->width)
        x1 = a->width;
    if (y1 > a->height)
        y1 = a->height;
    if (x1 <= x0 || y1 <= y0)
        return AUG_OK;
    size_t row = (size_t)a->width * (size_t)a->channels, ch = (size_t)a->channels;
    for (int64_t j = y0; j < y1; j++)
        memcpy(a->data + (size_t)j * row + (size_t)x0 * ch,
               b->data + (size_t)j * row + (size_t)x0 * ch, (size_t)(x1 - x0) * ch);
    return AUG_OK;
}
