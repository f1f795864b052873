/* PIL's nearest-neighbour affine transform, in its own arithmetic, for the
 * policies that torchvision defines on PIL images (RandAugment and its
 * kin sample with nearest and fill outside). PIL steps the source position
 * along each row in 16.16 fixed point where the whole map fits that range,
 * so its positions drift from the exact ones by up to about w / 2^17
 * pixels; rotate's samplers are exact, and the two then pick neighbouring
 * pixels here and there. To give PIL's bytes, the three paths of its
 * ImagingTransformAffine are followed: scaling only (doubles), 16.16
 * fixed point, and doubles stepped along the row. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/geometry.h"

/* PIL's COORD: truncation, with -1 for anything negative (or too large). */
static int coord(double v)
{
    return v < 0.0 || v >= 2147483647.0 ? -1 : (int)v;
}

/* PIL's FLOOR for the fixed-point conversion. */
static int32_t fix16(double v)
{
    v = v * 65536.0 + 0.5;
    return v < 0.0 ? (int32_t)floor(v) : (int32_t)v;
}

static void put(aug_image *dst, int x, int y, const aug_image *src, int sx, int sy)
{
    int ch = src->channels;
    memcpy(dst->data + ((size_t)y * (size_t)dst->width + (size_t)x) * (size_t)ch,
           src->data + ((size_t)sy * (size_t)src->width + (size_t)sx) * (size_t)ch, (size_t)ch);
}

static int fits_fixed(const double a[6], int x, int y)
{
    return fabs(x * a[0] + y * a[1] + a[2]) < 32768.0 && fabs(x * a[3] + y * a[4] + a[5]) < 32768.0;
}

#if defined(__GNUC__)
#define SPECIALISE static inline __attribute__((always_inline))
#else
#define SPECIALISE static inline
#endif

/* One pixel of ch samples: copied with a constant ch, so it unrolls. */
SPECIALISE void copy_px(uint8_t *o, const uint8_t *p, int ch)
{
    o[0] = p[0];
    if (ch > 1)
        o[1] = p[1];
    if (ch > 2)
        o[2] = p[2];
    if (ch > 3)
        o[3] = p[3];
}

/* ImagingScaleAffine's rows: the columns from a table, one source row per
 * output row; outside takes the fill. */
SPECIALISE void scale_rows(const aug_image *src, aug_image *dst, const int *xin, double yo,
                           double dy, const uint8_t *fill, int ch)
{
    const int sw = src->width, sh = src->height, w = dst->width, h = dst->height;
    const size_t stride = (size_t)sw * (size_t)ch;
    uint8_t *o = dst->data;
    for (int y = 0; y < h; y++, yo += dy) {
        int yi = coord(yo);
        const uint8_t *row = (unsigned)yi < (unsigned)sh ? src->data + (size_t)yi * stride : NULL;
        for (int x = 0; x < w; x++, o += ch)
            copy_px(o, row && (unsigned)xin[x] < (unsigned)sw ? row + (size_t)xin[x] * ch : fill,
                    ch);
    }
}

/* affine_fixed's rows: the source position stepped in 16.16 fixed point;
 * a position outside takes the fill. */
SPECIALISE void fixed_rows(const aug_image *src, aug_image *dst, const int32_t k[6],
                           const uint8_t *fill, int ch)
{
    const int sw = src->width, sh = src->height, w = dst->width, h = dst->height;
    const size_t stride = (size_t)sw * (size_t)ch;
    int32_t a2 = k[2], a5 = k[5];
    uint8_t *o = dst->data;
    for (int y = 0; y < h; y++, a2 += k[1], a5 += k[4]) {
        int32_t xx = a2, yy = a5;
        for (int x = 0; x < w; x++, xx += k[0], yy += k[3], o += ch) {
            int xi = (int)(xx >> 16), yi = (int)(yy >> 16); /* arithmetic: floor */
            if ((unsigned)xi < (unsigned)sw && (unsigned)yi < (unsigned)sh)
                copy_px(o, src->data + (size_t)yi * stride + (size_t)xi * (size_t)ch, ch);
            else
                copy_px(o, fill, ch);
        }
    }
}

aug_status aug_warp_affine_pil(const aug_image *src, aug_image *dst, int w, int h,
                               const double a[6], const uint8_t fill[4], aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "warp: the output must be a separate image");
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "warp: not a valid source image");
    for (int i = 0; i < 6; i++)
        if (!isfinite(a[i]) || fabs(a[i]) > 1e9)
            return aug_fail(err, AUG_ERR_ARG, "warp: the map is not finite");
    aug_status st = aug_image_alloc(dst, w, h, src->channels, err);
    if (st)
        return st;
    int ch = src->channels, sw = src->width, shh = src->height;
    if (fits_fixed(a, 0, 0) && fits_fixed(a, w, h) && fits_fixed(a, 0, h) &&
        fits_fixed(a, w, 0) && !(a[1] == 0 && a[3] == 0)) { /* affine_fixed */
        int32_t k[6] = {fix16(a[0]), fix16(a[1]), fix16(a[2] + a[0] * 0.5 + a[1] * 0.5),
                        fix16(a[3]), fix16(a[4]), fix16(a[5] + a[3] * 0.5 + a[4] * 0.5)};
        switch (ch) {
        case 1: fixed_rows(src, dst, k, fill, 1); break;
        case 2: fixed_rows(src, dst, k, fill, 2); break;
        case 3: fixed_rows(src, dst, k, fill, 3); break;
        default: fixed_rows(src, dst, k, fill, 4); break;
        }
        return AUG_OK;
    }
    if (a[1] == 0 && a[3] == 0) { /* ImagingScaleAffine */
        int *xin = malloc((size_t)w * sizeof *xin);
        if (!xin) {
            aug_image_free(dst);
            return aug_fail(err, AUG_ERR_NOMEM, "warp: out of memory allocating a row table");
        }
        double xo = a[2] + a[0] * 0.5, yo = a[5] + a[4] * 0.5;
        for (int x = 0; x < w; x++, xo += a[0])
            xin[x] = coord(xo);
        switch (ch) {
        case 1: scale_rows(src, dst, xin, yo, a[4], fill, 1); break;
        case 2: scale_rows(src, dst, xin, yo, a[4], fill, 2); break;
        case 3: scale_rows(src, dst, xin, yo, a[4], fill, 3); break;
        default: scale_rows(src, dst, xin, yo, a[4], fill, 4); break;
        }
        free(xin);
        return AUG_OK;
    }
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        memcpy(dst->data + i * (size_t)ch, fill, (size_t)ch);
    { /* doubles stepped along the row */
        double xo = a[2] + a[1] * 0.5 + a[0] * 0.5, yo = a[5] + a[4] * 0.5 + a[3] * 0.5;
        for (int y = 0; y < h; y++, xo += a[1], yo += a[4]) {
            double xx = xo, yy = yo;
            for (int x = 0; x < w; x++, xx += a[0], yy += a[3]) {
                int xi = coord(xx), yi = coord(yy);
                if (xi >= 0 && xi < sw && yi >= 0 && yi < shh)
                    put(dst, x, y, src, xi, yi);
            }
        }
    }
    return AUG_OK;
}
