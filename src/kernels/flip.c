/* Flips: exact pixel permutations done in place.
 *
 * A horizontal flip reverses the pixels of each row; a flip in both
 * directions (rotation by 180) reverses the pixels of the whole image as one
 * long row; a vertical flip swaps whole rows. No sample is ever computed, so
 * the output is bit-exact for every channel count and for either loop.
 *
 * Reversal in place is done out of place in chunks: the left chunk is
 * copied aside, the right chunk is reversed into its place, and the copy is
 * reversed into the right one. The out-of-place reversal is then a straight
 * pass that reads backward and writes forward, which the vector loop does
 * 16 bytes at a time (one shuffle per block); a swap loop in place cannot
 * be vectorised for three channels. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "augment/kernels.h"
#include "core/simd.h"


/* dst pixel x = src pixel n-1-x, one fixed-size pixel at a time (the
 * switch is outside the loops so each moves a 1-4 byte value). */
static void rev_scalar(uint8_t *restrict dst, const uint8_t *restrict src, size_t n, int ch)
{
    const uint8_t *s = src + (n - 1) * (size_t)ch;
    switch (ch) {
    case 1:
        for (size_t x = 0; x < n; x++)
            dst[x] = src[n - 1 - x];
        break;
    case 2:
        for (size_t x = 0; x < n; x++, s -= 2)
            memcpy(dst + 2 * x, s, 2);
        break;
    case 3:
        for (size_t x = 0; x < n; x++, s -= 3) {
            dst[3 * x] = s[0];
            dst[3 * x + 1] = s[1];
            dst[3 * x + 2] = s[2];
        }
        break;
    default:
        for (size_t x = 0; x < n; x++, s -= 4)
            memcpy(dst + 4 * x, s, 4);
        break;
    }
}

#if AUG_SIMD
/* The same with one 16-byte shuffle per block. One, two and four channels
 * reverse 16, 8 and 4 whole pixels per vector. Three channels reverse 5
 * pixels (15 bytes) per vector: each store writes one byte too many, the
 * first byte of the next block, which that block then overwrites, so a
 * store is made only while a next pixel exists; the source block at the
 * very end is loaded as 15 bytes so no byte past the row is read. */
AUG_SIMD_TARGET static void rev_vector(uint8_t *restrict dst, const uint8_t *restrict src,
                                       size_t n, int ch)
{
    size_t x = 0;
    aug_v16 v = {0}; /* the first 3-channel block loads 15 bytes */
    switch (ch) {
    case 1:
        for (; x + 16 <= n; x += 16) {
            memcpy(&v, src + n - x - 16, 16);
            v = __builtin_shufflevector(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2,
                                        1, 0);
            memcpy(dst + x, &v, 16);
        }
        break;
    case 2:
        for (; x + 8 <= n; x += 8) {
            memcpy(&v, src + 2 * (n - x - 8), 16);
            v = __builtin_shufflevector(v, v, 14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3,
                                        0, 1);
            memcpy(dst + 2 * x, &v, 16);
        }
        break;
    case 3:
        for (; x + 5 < n; x += 5) {
            const uint8_t *s = src + 3 * (n - x - 5);
            memcpy(&v, s, x ? 16 : 15);
            v = __builtin_shufflevector(v, v, 12, 13, 14, 9, 10, 11, 6, 7, 8, 3, 4, 5, 0, 1, 2,
                                        15);
            memcpy(dst + 3 * x, &v, 16);
        }
        break;
    default:
        for (; x + 4 <= n; x += 4) {
            memcpy(&v, src + 4 * (n - x - 4), 16);
            v = __builtin_shufflevector(v, v, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1,
                                        2, 3);
            memcpy(dst + 4 * x, &v, 16);
        }
        break;
    }
    if (x < n)
        rev_scalar(dst + x * (size_t)ch, src, n - x, ch);
}
#endif

#if AUG_WIDE
/* One, two and four channels again with 32-byte vectors (AVX2): 32, 16 or
 * 8 pixels per shuffle. Three channels stay with the 16-byte loop. */
typedef uint8_t aug_v32 __attribute__((vector_size(32), aligned(1), may_alias));
typedef uint16_t aug_h16 __attribute__((vector_size(32), aligned(1), may_alias));
typedef uint32_t aug_w8 __attribute__((vector_size(32), aligned(1), may_alias));

AUG_WIDE_TARGET static void rev_wide(uint8_t *restrict dst, const uint8_t *restrict src,
                                     size_t n, int ch)
{
    size_t x = 0;
    if (ch == 1) {
        aug_v32 v;
        for (; x + 32 <= n; x += 32) {
            memcpy(&v, src + n - x - 32, 32);
            v = __builtin_shufflevector(v, v, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
                                        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,
                                        2, 1, 0);
            memcpy(dst + x, &v, 32);
        }
    } else if (ch == 2) {
        aug_h16 v;
        for (; x + 16 <= n; x += 16) {
            memcpy(&v, src + 2 * (n - x - 16), 32);
            v = __builtin_shufflevector(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
                                        0);
            memcpy(dst + 2 * x, &v, 32);
        }
    } else if (ch == 4) {
        aug_w8 v;
        for (; x + 8 <= n; x += 8) {
            memcpy(&v, src + 4 * (n - x - 8), 32);
            v = __builtin_shufflevector(v, v, 7, 6, 5, 4, 3, 2, 1, 0);
            memcpy(dst + 4 * x, &v, 32);
        }
    }
    if (x < n)
        rev_vector(dst + x * (size_t)ch, src, n - x, ch);
}
#endif

typedef void (*rev_fn)(uint8_t *restrict, const uint8_t *restrict, size_t, int);

#if AUG_WIDE
/* Reverse in place from both ends with 32-byte vectors: a vector from each
 * end, reversed, stored at the other, so each byte is read and written
 * once. (Through `tmp`, a row held in cache costs a copy more: half the
 * time of a short row.) Returns the pixels done at each end; fewer than
 * two vectors' worth are left in the middle. One, two and four channels. */
AUG_WIDE_TARGET static size_t swap_ends_wide(uint8_t *p, size_t n, int ch)
{
    size_t per = 32 / (size_t)ch, i = 0, j = n;
    for (; j - i >= 2 * per; i += per, j -= per) {
        uint8_t *a = p + i * (size_t)ch, *b = p + (j - per) * (size_t)ch;
        if (ch == 1) {
            aug_v32 u, v;
            memcpy(&u, a, 32);
            memcpy(&v, b, 32);
            u = __builtin_shufflevector(u, u, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
                                        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,
                                        2, 1, 0);
            v = __builtin_shufflevector(v, v, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
                                        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,
                                        2, 1, 0);
            memcpy(a, &v, 32);
            memcpy(b, &u, 32);
        } else if (ch == 2) {
            aug_h16 u, v;
            memcpy(&u, a, 32);
            memcpy(&v, b, 32);
            u = __builtin_shufflevector(u, u, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
                                        0);
            v = __builtin_shufflevector(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
                                        0);
            memcpy(a, &v, 32);
            memcpy(b, &u, 32);
        } else {
            aug_w8 u, v;
            memcpy(&u, a, 32);
            memcpy(&v, b, 32);
            u = __builtin_shufflevector(u, u, 7, 6, 5, 4, 3, 2, 1, 0);
            v = __builtin_shufflevector(v, v, 7, 6, 5, 4, 3, 2, 1, 0);
            memcpy(a, &v, 32);
            memcpy(b, &u, 32);
        }
    }
    return i;
}
#endif

static rev_fn choose_rev(int ch)
{
#if AUG_WIDE
    if (ch != 3 && aug_wide_ok())
        return rev_wide;
#endif
#if AUG_SIMD
    if (aug_simd_ok())
        return rev_vector;
#endif
    (void)ch;
    return rev_scalar;
}

#define CHUNK 1024 /* pixels; two chunks of four channels fill `tmp` */

/* Reverse n pixels in place: chunks from both ends swap through `tmp`,
 * then what is left (fewer than two chunks) is copied and reversed back. */
static void reverse_pixels(uint8_t *p, size_t n, int ch, rev_fn rev)
{
    uint8_t tmp[2 * CHUNK * 4];
    size_t c = (size_t)ch, i = 0, j = n;
#if AUG_WIDE
    if (rev == rev_wide) {
        i = swap_ends_wide(p, n, ch);
        j = n - i;
    }
#endif
    while (j - i >= 2 * CHUNK) {
        memcpy(tmp, p + i * c, CHUNK * c);
        rev(p + i * c, p + (j - CHUNK) * c, CHUNK, ch);
        rev(p + (j - CHUNK) * c, tmp, CHUNK, ch);
        i += CHUNK;
        j -= CHUNK;
    }
    if (j - i > 1) {
        memcpy(tmp, p + i * c, (j - i) * c);
        rev(p + i * c, tmp, j - i, ch);
    }
}

/* Swap two rows in one pass (they never overlap: y < h-1-y). The plain
 * loop, vectorised by the compiler, beats swapping through a buffer: each
 * row is read once and written once, about 1.2x a memcpy of the image. */
static void swap_rows(uint8_t *restrict a, uint8_t *restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
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
    case AUG_FLIP_HORIZONTAL: {
        rev_fn rev = choose_rev(img->channels);
        for (size_t y = 0; y < h; y++)
            reverse_pixels(d + y * row, w, img->channels, rev);
        return AUG_OK;
    }
    case AUG_FLIP_VERTICAL:
        for (size_t y = 0; y < h / 2; y++)
            swap_rows(d + y * row, d + (h - 1 - y) * row, row);
        return AUG_OK;
    case AUG_FLIP_BOTH:
        /* Pixel (x, y) goes to (w-1-x, h-1-y): linear index i to N-1-i. */
        reverse_pixels(d, w * h, img->channels, choose_rev(img->channels));
        return AUG_OK;
    }
    return aug_fail(err, AUG_ERR_ARG, "flip: unknown mode %d", (int)mode);
}
