/* Resampling as PIL's Image.resize does it, bit for bit on 8-bit images.
 *
 * Each output pixel is a weighted sum of the source pixels under a filter
 * centred on it; when shrinking, the filter is stretched by the scale so
 * that every source pixel contributes (antialiasing). The weights of each
 * output column (and row) are computed once, normalised to sum to one,
 * then turned into integers with 22 fractional bits; the sums are rounded
 * and clipped to 0..255. The image is first resampled horizontally into
 * 8-bit rows, then vertically, as PIL does, so the bytes are PIL's. Images
 * with alpha are resampled premultiplied (PIL's RGBa and La modes), so
 * that transparent pixels lend no colour to their neighbours.
 *
 * Where PIL walks the taps of one output pixel at a time, the vertical
 * pass here adds whole source rows, each times its weight, into a row of
 * integer sums: the same integers in another order, and a loop the
 * compiler vectorises. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/geometry.h"
#include "core/dmath.h"

#define PRECISION_BITS (32 - 8 - 2)
#define HALF (1 << (PRECISION_BITS - 1))

#if defined(__GNUC__)
#define SPECIALISE static inline __attribute__((always_inline))
#else
#define SPECIALISE static inline
#endif

void aug_resample_params_default(aug_resample_params *p)
{
    memset(p, 0, sizeof *p);
    p->filter = AUG_FILTER_BILINEAR;
    p->antialias = 1;
}

/* ---- the filters, as PIL defines them ---- */

static double sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    x *= M_PI;
    return aug_sin(x) / x;
}

static double filter_at(aug_filter f, double x)
{
    switch (f) {
    case AUG_FILTER_BOX:
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
    case AUG_FILTER_BILINEAR:
        x = fabs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    case AUG_FILTER_BICUBIC: {
        const double a = -0.5;
        x = fabs(x);
        if (x < 1.0)
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0)
            return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }
    case AUG_FILTER_LANCZOS:
        return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
    case AUG_FILTER_NEAREST:
        break;
    }
    return 0.0;
}

static double filter_support(aug_filter f)
{
    switch (f) {
    case AUG_FILTER_BOX: return 0.5;
    case AUG_FILTER_BICUBIC: return 2.0;
    case AUG_FILTER_LANCZOS: return 3.0;
    default: return 1.0;
    }
}

/* ---- the weights of one axis ---- */

typedef struct taps {
    int ksize;      /* weights stored per output pixel */
    int *bounds;    /* first source pixel, count */
    int32_t *k;     /* out_size * ksize */
} taps;

static void taps_free(taps *t)
{
    free(t->bounds);
    free(t->k);
}

/* PIL's precompute_coeffs and normalize_coeffs_8bpc. The box edges are
 * floats, as PIL parses them. */
static aug_status make_taps(int in_size, float in0, float in1, int out_size, aug_filter f,
                            int antialias, taps *t, aug_error *err)
{
    double scale = (double)(in1 - in0) / out_size, filterscale = scale;
    if (filterscale < 1.0 || !antialias)
        filterscale = 1.0;
    double support = filter_support(f) * filterscale;
    if (!(support < 1e8))
        return aug_fail(err, AUG_ERR_LIMIT, "resample: the filter is too wide");
    int ksize = (int)ceil(support) * 2 + 1;
    t->ksize = ksize;
    t->bounds = NULL;
    t->k = NULL;
    if ((size_t)out_size > SIZE_MAX / sizeof(double) / (size_t)ksize)
        return aug_fail(err, AUG_ERR_NOMEM, "resample: %d x %d weights are too many",
                        out_size, ksize);
    t->bounds = malloc((size_t)out_size * 2 * sizeof *t->bounds);
    t->k = malloc((size_t)out_size * (size_t)ksize * sizeof *t->k);
    double *w = malloc((size_t)ksize * sizeof *w);
    if (!t->bounds || !t->k || !w) {
        free(w);
        taps_free(t);
        return aug_fail(err, AUG_ERR_NOMEM, "resample: out of memory allocating the weights");
    }
    double ss = 1.0 / filterscale;
    for (int xx = 0; xx < out_size; xx++) {
        double center = in0 + (xx + 0.5) * scale, ww = 0.0;
        int xmin = (int)(center - support + 0.5);
        if (xmin < 0)
            xmin = 0;
        int xmax = (int)(center + support + 0.5);
        if (xmax > in_size)
            xmax = in_size;
        xmax -= xmin;
        if (xmax > ksize) /* cannot happen: the support spans ksize pixels */
            xmax = ksize;
        for (int x = 0; x < xmax; x++) {
            w[x] = filter_at(f, (x + xmin - center + 0.5) * ss);
            ww += w[x];
        }
        int32_t *k = t->k + (size_t)xx * (size_t)ksize;
        for (int x = 0; x < ksize; x++) {
            double v = x < xmax ? (ww != 0.0 ? w[x] / ww : w[x]) : 0.0;
            k[x] = v < 0 ? (int32_t)(-0.5 + v * (1 << PRECISION_BITS))
                         : (int32_t)(0.5 + v * (1 << PRECISION_BITS));
        }
        t->bounds[2 * xx] = xmin;
        t->bounds[2 * xx + 1] = xmax < 0 ? 0 : xmax;
    }
    free(w);
    return AUG_OK;
}

static uint8_t clip8(int32_t v)
{
    v >>= PRECISION_BITS; /* arithmetic: the sums may be negative */
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

/* ---- the two passes, specialised per channel count ---- */

SPECIALISE void hrow(const uint8_t *in, uint8_t *out, int xsize, const taps *t, int ch)
{
    const int ks = t->ksize;
    for (int xx = 0; xx < xsize; xx++, out += ch) {
        const uint8_t *p = in + (size_t)t->bounds[2 * xx] * (size_t)ch;
        const int32_t *k = t->k + (size_t)xx * (size_t)ks;
        int n = t->bounds[2 * xx + 1];
        int32_t s0 = HALF, s1 = HALF, s2 = HALF, s3 = HALF;
        for (int x = 0; x < n; x++, p += ch) {
            s0 += p[0] * k[x];
            if (ch > 1)
                s1 += p[1] * k[x];
            if (ch > 2)
                s2 += p[2] * k[x];
            if (ch > 3)
                s3 += p[3] * k[x];
        }
        out[0] = clip8(s0);
        if (ch > 1)
            out[1] = clip8(s1);
        if (ch > 2)
            out[2] = clip8(s2);
        if (ch > 3)
            out[3] = clip8(s3);
    }
}

static void hpass(const uint8_t *in, size_t in_stride, uint8_t *out, int xsize, int rows,
                  const taps *t, int ch)
{
    size_t out_stride = (size_t)xsize * (size_t)ch;
    for (int y = 0; y < rows; y++) {
        const uint8_t *r = in + (size_t)y * in_stride;
        uint8_t *o = out + (size_t)y * out_stride;
        switch (ch) {
        case 1: hrow(r, o, xsize, t, 1); break;
        case 2: hrow(r, o, xsize, t, 2); break;
        case 3: hrow(r, o, xsize, t, 3); break;
        default: hrow(r, o, xsize, t, 4); break;
        }
    }
}

/* Rows of n samples: out row yy = sum over its taps of source rows. */
static void vpass(const uint8_t *in, size_t n, uint8_t *out, int ysize, const taps *t,
                  int32_t *acc)
{
    for (int yy = 0; yy < ysize; yy++) {
        const int32_t *k = t->k + (size_t)yy * (size_t)t->ksize;
        const uint8_t *r = in + (size_t)t->bounds[2 * yy] * n;
        int cnt = t->bounds[2 * yy + 1];
        for (size_t i = 0; i < n; i++)
            acc[i] = HALF;
        for (int y = 0; y < cnt; y++, r += n) {
            const int32_t w = k[y];
            for (size_t i = 0; i < n; i++)
                acc[i] += r[i] * w;
        }
        uint8_t *o = out + (size_t)yy * n;
        for (size_t i = 0; i < n; i++)
            o[i] = clip8(acc[i]);
    }
}

/* ---- premultiplied alpha, with PIL's rounding ---- */

static uint8_t muldiv255(unsigned a, unsigned b)
{
    unsigned t = a * b + 128;
    return (uint8_t)(((t >> 8) + t) >> 8);
}

static void premultiply(aug_image *img)
{
    int ch = img->channels, a = ch - 1;
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t *p = img->data;
    for (size_t i = 0; i < n; i++, p += ch)
        for (int c = 0; c < a; c++)
            p[c] = muldiv255(p[c], p[a]);
}

static void unpremultiply(aug_image *img)
{
    int ch = img->channels, a = ch - 1;
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t *p = img->data;
    for (size_t i = 0; i < n; i++, p += ch) {
        unsigned al = p[a];
        if (al == 0 || al == 255)
            continue;
        for (int c = 0; c < a; c++) {
            unsigned v = 255u * p[c] / al;
            p[c] = (uint8_t)(v > 255 ? 255 : v);
        }
    }
}

/* ---- nearest: PIL's scaling affine transform ---- */

static aug_status nearest(const aug_image *src, aug_image *dst, const float box[4],
                          aug_error *err)
{
    int ch = src->channels, w = dst->width, h = dst->height;
    double a0 = (double)(box[2] - box[0]) / w, a4 = (double)(box[3] - box[1]) / h;
    double xo = box[0] + a0 * 0.5, yo = box[1] + a4 * 0.5;
    int *xin = malloc((size_t)w * sizeof *xin);
    if (!xin)
        return aug_fail(err, AUG_ERR_NOMEM, "resample: out of memory allocating work rows");
    for (int x = 0; x < w; x++, xo += a0) {
        int v = xo < 0.0 ? 0 : (int)xo;
        xin[x] = v >= src->width ? src->width - 1 : v;
    }
    size_t srow = (size_t)src->width * (size_t)ch, drow = (size_t)w * (size_t)ch;
    for (int y = 0; y < h; y++, yo += a4) {
        int yi = yo < 0.0 ? 0 : (int)yo;
        if (yi >= src->height)
            yi = src->height - 1;
        const uint8_t *in = src->data + (size_t)yi * srow;
        uint8_t *out = dst->data + (size_t)y * drow;
        for (int x = 0; x < w; x++)
            memcpy(out + (size_t)x * ch, in + (size_t)xin[x] * ch, (size_t)ch);
    }
    free(xin);
    return AUG_OK;
}

/* PIL's ImagingResampleInner: horizontal into the rows the vertical pass
 * needs, then vertical; either pass is skipped when it would not change
 * anything. */
static aug_status convolve(const aug_image *src, aug_image *dst, const float box[4],
                           const aug_resample_params *p, aug_error *err)
{
    int ch = src->channels, w = dst->width, h = dst->height;
    int need_h = w != src->width || box[0] != 0 || box[2] != w;
    int need_v = h != src->height || box[1] != 0 || box[3] != h;
    taps th, tv;
    aug_status st = make_taps(src->width, box[0], box[2], w, p->filter, p->antialias, &th, err);
    if (st)
        return st;
    if ((st = make_taps(src->height, box[1], box[3], h, p->filter, p->antialias, &tv, err))) {
        taps_free(&th);
        return st;
    }
    int first = tv.bounds[0], last = tv.bounds[2 * h - 2] + tv.bounds[2 * h - 1];
    size_t srow = (size_t)src->width * (size_t)ch, drow = (size_t)w * (size_t)ch;
    uint8_t *tmp = NULL;
    int32_t *acc = NULL;
    if (need_h && need_v) {
        tmp = malloc((size_t)(last - first > 0 ? last - first : 1) * drow);
        acc = malloc(drow * sizeof *acc);
        if (!tmp || !acc) {
            st = aug_fail(err, AUG_ERR_NOMEM, "resample: out of memory allocating work rows");
            goto done;
        }
        hpass(src->data + (size_t)first * srow, srow, tmp, w, last - first, &th, ch);
        for (int i = 0; i < h; i++)
            tv.bounds[2 * i] -= first;
        vpass(tmp, drow, dst->data, h, &tv, acc);
    } else if (need_h) {
        /* no vertical change: the rows are the box's own */
        hpass(src->data + (size_t)first * srow, srow, dst->data, w, h, &th, ch);
    } else if (need_v) {
        acc = malloc(srow * sizeof *acc);
        if (!acc) {
            st = aug_fail(err, AUG_ERR_NOMEM, "resample: out of memory allocating work rows");
            goto done;
        }
        vpass(src->data, srow, dst->data, h, &tv, acc);
    } else {
        memcpy(dst->data, src->data, aug_image_size(src));
    }
done:
    free(tmp);
    free(acc);
    taps_free(&th);
    taps_free(&tv);
    return st;
}

aug_status aug_resample(const aug_image *src, aug_image *dst, int w, int h,
                        const aug_resample_params *p, aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "resample: the output must be a separate image");
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "resample: not a valid source image");
    if (!p || (unsigned)p->filter > (unsigned)AUG_FILTER_LANCZOS)
        return aug_fail(err, AUG_ERR_ARG, "resample: unknown filter");
    if (w <= 0 || h <= 0)
        return aug_fail(err, AUG_ERR_ARG, "resample: target size %dx%d is not positive", w, h);
    float box[4] = {(float)p->box[0], (float)p->box[1], (float)p->box[2], (float)p->box[3]};
    if (box[0] == 0 && box[1] == 0 && box[2] == 0 && box[3] == 0) {
        box[2] = (float)src->width;
        box[3] = (float)src->height;
    }
    if (!(box[0] >= 0 && box[1] >= 0 && box[2] <= src->width && box[3] <= src->height &&
          box[2] - box[0] > 0 && box[3] - box[1] > 0))
        return aug_fail(err, AUG_ERR_ARG,
                        "resample: box %g,%g,%g,%g is not inside the %dx%d image", p->box[0],
                        p->box[1], p->box[2], p->box[3], src->width, src->height);
    aug_status st = aug_image_alloc(dst, w, h, src->channels, err);
    if (st)
        return st;
    /* Image.resize: the same size over the whole image is a copy */
    if (w == src->width && h == src->height && box[0] == 0 && box[1] == 0 &&
        box[2] == w && box[3] == h) {
        memcpy(dst->data, src->data, aug_image_size(src));
        return AUG_OK;
    }
    aug_image pre = {0};
    const aug_image *in = src;
    int alpha = aug_image_has_alpha(src) && p->filter != AUG_FILTER_NEAREST;
    if (alpha) {
        if ((st = aug_image_alloc(&pre, src->width, src->height, src->channels, err))) {
            aug_image_free(dst);
            return st;
        }
        memcpy(pre.data, src->data, aug_image_size(src));
        premultiply(&pre);
        in = &pre;
    }
    /* _resize: a whole-pixel box of the output's size is a crop */
    if (box[0] == (int)box[0] && box[1] == (int)box[1] && box[2] - box[0] == w &&
        box[3] - box[1] == h) {
        size_t row = (size_t)w * (size_t)in->channels;
        for (int y = 0; y < h; y++)
            memcpy(dst->data + (size_t)y * row,
                   in->data + ((size_t)((int)box[1] + y) * (size_t)in->width + (size_t)box[0]) *
                                  (size_t)in->channels,
                   row);
    } else if (p->filter == AUG_FILTER_NEAREST) {
        st = nearest(in, dst, box, err);
    } else {
        st = convolve(in, dst, box, p, err);
    }
    aug_image_free(&pre);
    if (st) {
        aug_image_free(dst);
        return st;
    }
    if (alpha)
        unpremultiply(dst);
    return AUG_OK;
}
