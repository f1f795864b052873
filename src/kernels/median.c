/* Median blur (OpenCV medianBlur: odd square window, replicate border) by
 * Huang's sliding histogram: along a row the window loses one column and
 * gains one, 2 k histogram updates per pixel, and the median moves by a
 * few levels at most, tracked with the count of values below it. Each
 * colour channel on its own; alpha copied. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/color.h"
#include "augment/geometry.h"

aug_status aug_median_blur(const aug_image *src, aug_image *dst, int ksize, aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "median blur: the output must be a separate image");
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "median blur: not a valid image");
    if (ksize < 1 || ksize % 2 == 0 || ksize > 255)
        return aug_fail(err, AUG_ERR_ARG, "median blur: kernel size %d is not odd in 1..255",
                        ksize);
    int r = ksize / 2, w = src->width, h = src->height, ch = src->channels;
    aug_image p = {0};
    aug_status st = aug_crop(src, &p, -r, -r, w + 2 * r, h + 2 * r, AUG_BORDER_REPLICATE, NULL,
                             err);
    if (st || (st = aug_image_alloc(dst, w, h, ch, err))) {
        aug_image_free(&p);
        return st;
    }
    memcpy(dst->data, src->data, aug_image_size(src)); /* alpha */
    int cc = aug_image_color_channels(src), half = ksize * ksize / 2;
    size_t prow = (size_t)p.width * (size_t)ch, drow = (size_t)w * (size_t)ch;
    for (int c = 0; c < cc; c++)
        for (int y = 0; y < h; y++) {
            uint32_t hist[256] = {0};
            const uint8_t *top = p.data + (size_t)y * prow + c;
            for (int j = 0; j < ksize; j++)
                for (int i = 0; i < ksize; i++)
                    hist[top[(size_t)j * prow + (size_t)i * ch]]++;
            /* the median: the level m with fewer than half+1 values below
             * it and at least half+1 at or below it */
            int m = 0;
            uint32_t below = 0;
            while (below + hist[m] <= (uint32_t)half)
                below += hist[m++];
            uint8_t *out = dst->data + (size_t)y * drow + c;
            out[0] = (uint8_t)m;
            for (int x = 1; x < w; x++) {
                const uint8_t *gone = top + (size_t)(x - 1) * ch;
                const uint8_t *come = top + (size_t)(x - 1 + ksize) * ch;
                for (int j = 0; j < ksize; j++) {
                    int v = gone[(size_t)j * prow];
                    hist[v]--;
                    below -= v < m;
                    v = come[(size_t)j * prow];
                    hist[v]++;
                    below += v < m;
                }
                while (below > (uint32_t)half)
                    below -= hist[--m];
                while (below + hist[m] <= (uint32_t)half)
                    below += hist[m++];
                out[(size_t)x * ch] = (uint8_t)m;
            }
        }
    aug_image_free(&p);
    return AUG_OK;
}
