/* Flips: exact pixel permutations done in place.
 *
 * A horizontal flip reverses the pixels of each row; a flip in both
 * directions (rotation by 180) reverses the pixels of the whole image as one
 * long row; a vertical flip swaps whole rows. No sample is ever computed, so
 * the output is bit-exact for every channel count. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "augment/kernels.h"

/* Reverse the order of n pixels of `ch` samples each. The channel count is
 * switched on once, outside the loops, so each loop moves a fixed-size pixel
 * that the compiler can keep in a register (memcpy of 2 or 4 bytes compiles
 * to a single load/store and is free of alignment and aliasing issues). */
static void reverse_pixels(uint8_t *p, size_t n, int ch)
{
    if (n < 2)
        return;
    size_t i = 0, j = n - 1;
    switch (ch) {
    case 1:
        for (; i < j; i++, j--) {
            uint8_t t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        break;
    case 2:
        for (; i < j; i++, j--) {
            uint16_t a, b;
            memcpy(&a, p + 2 * i, 2);
            memcpy(&b, p + 2 * j, 2);
            memcpy(p + 2 * i, &b, 2);
            memcpy(p + 2 * j, &a, 2);
        }
        break;
    case 3:
        for (; i < j; i++, j--) {
            uint8_t *a = p + 3 * i, *b = p + 3 * j;
            uint8_t t0 = a[0], t1 = a[1], t2 = a[2];
            a[0] = b[0];
            a[1] = b[1];
            a[2] = b[2];
            b[0] = t0;
            b[1] = t1;
            b[2] = t2;
        }
        break;
    default: /* 4 */
        for (; i < j; i++, j--) {
            uint32_t a, b;
            memcpy(&a, p + 4 * i, 4);
            memcpy(&b, p + 4 * j, 4);
            memcpy(p + 4 * i, &b, 4);
            memcpy(p + 4 * j, &a, 4);
        }
        break;
    }
}

/* Swap two equal-length byte ranges through a small stack buffer, so a
 * vertical flip of any width needs no allocation (and so cannot fail). */
static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
    uint8_t tmp[4096];
    while (n > 0) {
        size_t k = n < sizeof tmp ? n : sizeof tmp;
        memcpy(tmp, a, k);
        memcpy(a, b, k);
        memcpy(b, tmp, k);
        a += k;
        b += k;
        n -= k;
    }
}

aug_status aug_flip(aug_image *img, aug_flip_mode mode, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        img->channels < 1 || img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "flip: not a valid image");

    size_t w = (size_t)img->width, h = (size_t)img->height;
    size_t row = w * (size_t)img->channels;
    uint8_t *d = img->data;
    switch (mode) {
    case AUG_FLIP_NONE:
        return AUG_OK;
    case AUG_FLIP_HORIZONTAL:
        for (size_t y = 0; y < h; y++)
            reverse_pixels(d + y * row, w, img->channels);
        return AUG_OK;
    case AUG_FLIP_VERTICAL:
        for (size_t y = 0; y < h / 2; y++)
            swap_bytes(d + y * row, d + (h - 1 - y) * row, row);
        return AUG_OK;
    case AUG_FLIP_BOTH:
        /* Pixel (x, y) goes to (w-1-x, h-1-y): linear index i to N-1-i. */
        reverse_pixels(d, w * h, img->channels);
        return AUG_OK;
    }
    return aug_fail(err, AUG_ERR_ARG, "flip: unknown mode %d", (int)mode);
}
