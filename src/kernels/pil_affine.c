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

/* PIL's COORD: truncation, with -1 for anything negative. */
static int coord(double v)
{
    return v < 0.0 ? -1 : (int)v;
}

/* PIL's FLOOR for the fixed-point conversion. */
static int32_t fix16(double v)
{
    v = v * 65536.0 + 0.5;
    return v < 0.0 ? (int32_t)floor(v) : (int32_t)v;
}

static int fits_fixed(const double a[6], int x, int y)
{
    return fabs(x * a[0] + y * a[1] + a[2]) < 32768.0 && fabs(x * a[3] + y * a[4] + a[5]) < 32768.0;
}

static void put(aug_image *dst, int x, int y, const aug_image *src, int sx, int sy)
{
    int ch = src->channels;
    memcpy(dst->data + ((size_t)y * (size_t)dst->width + (size_t)x) * (size_t)ch,
           src->data + ((size_t)sy * (size_t)src->width + (size_t)sx) * (size_t)ch, (size_t)ch);
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
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        memcpy(dst->data + i * (size_t)ch, fill, (size_t)ch);
    if (a[1] == 0 && a[3] == 0) { /* ImagingScaleAffine */
        int *xin = malloc((size_t)w * sizeof *xin);
        if (!xin) {
            aug_image_free(dst);
            return aug_fail(err, AUG_ERR_NOMEM, "warp: out of memory allocating a row table");
        }
        double xo = a[2] + a[0] * 0.5, yo = a[5] + a[4] * 0.5;
        for (int x = 0; x < w; x++, xo += a[0])
            xin[x] = coord(xo);
        for (int y = 0; y < h; y++, yo += a[4]) {
            int yi = coord(yo);
            if (yi < 0 || yi >= shh)
                continue;
            for (int x = 0; x < w; x++)
                if (xin[x] >= 0 && xin[x] < sw)
                    put(dst, x, y, src, xin[x], yi);
        }
        free(xin);
    } else if (fits_fixed(a, 0, 0) && fits_fixed(a, w, h) && fits_fixed(a, 0, h) &&
               fits_fixed(a, w, 0)) { /* affine_fixed */
        int32_t a0 = fix16(a[0]), a1 = fix16(a[1]), a3 = fix16(a[3]), a4 = fix16(a[4]);
        int32_t a2 = fix16(a[2] + a[0] * 0.5 + a[1] * 0.5);
        int32_t a5 = fix16(a[5] + a[3] * 0.5 + a[4] * 0.5);
        for (int y = 0; y < h; y++, a2 += a1, a5 += a4) {
            int32_t xx = a2, yy = a5;
            for (int x = 0; x < w; x++, xx += a0, yy += a3) {
                int xi = (int)(xx >> 16), yi = (int)(yy >> 16); /* arithmetic: floor */
                if (xi >= 0 && xi < sw && yi >= 0 && yi < shh)
                    put(dst, x, y, src, xi, yi);
            }
        }
    } else { /* doubles stepped along the row */
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
