/* Linear blurs: gaussian (torchvision's GaussianBlur kernel), box (OpenCV's
 * blur) and motion (a line kernel). The source is first padded by the
 * kernel's radius with the border rule (a crop whose window reaches past
 * the edges), so the loops below never test an index: each output row is
 * a sum of whole shifted rows times a weight, which the compiler
 * vectorises. The alpha channel is copied back unchanged. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/color.h"
#include "augment/geometry.h"
#include "core/dmath.h"

static aug_status check(const aug_image *src, aug_image *dst, const char *what,
                        aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "%s: the output must be a separate image", what);
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "%s: not a valid image", what);
    return AUG_OK;
}

/* src padded by r on every side with reflect101. */
static aug_status pad(const aug_image *src, int r, aug_image *out, aug_error *err)
{
    return aug_crop(src, out, -r, -r, src->width + 2 * r, src->height + 2 * r,
                    AUG_BORDER_REFLECT101, NULL, err);
}

static void restore_alpha(const aug_image *src, aug_image *dst)
{
    if (!aug_image_has_alpha(src))
        return;
    int ch = src->channels;
    size_t n = (size_t)src->width * (size_t)src->height;
    for (size_t i = 0; i < n; i++)
        dst->data[i * ch + ch - 1] = src->data[i * ch + ch - 1];
}

static uint8_t round8(float v)
{
    v = rintf(v); /* half to even, as torch.round */
    return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t)v;
}

/* A separable blur with the 1-D kernel k of 2r + 1 taps, rows then
 * columns, in single precision. */
static aug_status separable(const aug_image *src, aug_image *dst, const float *k, int r,
                            const char *what, aug_error *err)
{
    aug_image p = {0};
    aug_status st = pad(src, r, &p, err);
    if (st)
        return st;
    int w = src->width, h = src->height, ch = src->channels, ph = p.height;
    size_t n = (size_t)w * (size_t)ch, prow = (size_t)p.width * (size_t)ch;
    float *rows = malloc((size_t)ph * n * sizeof *rows), *acc = malloc(n * sizeof *acc);
    if (!rows || !acc || (st = aug_image_alloc(dst, w, h, ch, err))) {
        free(rows);
        free(acc);
        aug_image_free(&p);
        return st ? st : aug_fail(err, AUG_ERR_NOMEM, "%s: out of memory allocating work rows", what);
    }
    for (int y = 0; y < ph; y++) {
        float *o = rows + (size_t)y * n;
        const uint8_t *in = p.data + (size_t)y * prow;
        for (size_t i = 0; i < n; i++)
            o[i] = 0.0f;
        for (int t = 0; t <= 2 * r; t++) {
            const uint8_t *s = in + (size_t)t * (size_t)ch;
            const float wt = k[t];
            for (size_t i = 0; i < n; i++)
                o[i] += wt * s[i];
        }
    }
    for (int y = 0; y < h; y++) {
        for (size_t i = 0; i < n; i++)
            acc[i] = 0.0f;
        for (int t = 0; t <= 2 * r; t++) {
            const float *s = rows + (size_t)(y + t) * n;
            const float wt = k[t];
            for (size_t i = 0; i < n; i++)
                acc[i] += wt * s[i];
        }
        uint8_t *o = dst->data + (size_t)y * n;
        for (size_t i = 0; i < n; i++)
            o[i] = round8(acc[i]);
    }
    free(rows);
    free(acc);
    aug_image_free(&p);
    restore_alpha(src, dst);
    return AUG_OK;
}

aug_status aug_gaussian_blur(const aug_image *src, aug_image *dst, double sigma, int ksize,
                             aug_error *err)
{
    aug_status st = check(src, dst, "gaussian blur", err);
    if (st)
        return st;
    if (!(sigma > 0.0 && sigma <= 1000.0))
        return aug_fail(err, AUG_ERR_ARG, "gaussian blur: sigma %g is outside (0, 1000]", sigma);
    if (ksize == 0)
        ksize = 2 * (int)ceil(3.0 * sigma) + 1;
    if (ksize < 1 || ksize % 2 == 0 || ksize > 6001)
        return aug_fail(err, AUG_ERR_ARG, "gaussian blur: kernel size %d is not odd in 1..6001",
                        ksize);
    /* torchvision's _get_gaussian_kernel1d, in single precision */
    int r = ksize / 2;
    float *k = malloc((size_t)ksize * sizeof *k), sum = 0.0f;
    if (!k)
        return aug_fail(err, AUG_ERR_NOMEM, "gaussian blur: out of memory allocating the kernel");
    for (int i = 0; i < ksize; i++) {
        float x = (float)(i - r) / (float)sigma;
        k[i] = (float)aug_exp(-0.5 * (double)(x * x));
        sum += k[i];
    }
    for (int i = 0; i < ksize; i++)
        k[i] /= sum;
    st = separable(src, dst, k, r, "gaussian blur", err);
    free(k);
    return st;
}

aug_status aug_box_blur(const aug_image *src, aug_image *dst, int ksize, aug_error *err)
{
    aug_status st = check(src, dst, "box blur", err);
    if (st)
        return st;
    if (ksize < 1 || ksize % 2 == 0 || ksize > 4095)
        return aug_fail(err, AUG_ERR_ARG, "box blur: kernel size %d is not odd in 1..4095", ksize);
    int r = ksize / 2;
    aug_image p = {0};
    if ((st = pad(src, r, &p, err)))
        return st;
    /* integer sums: rows of ksize samples, then ksize of those rows; the
     * mean of an odd count is never a tie, so adding half rounds it */
    int w = src->width, h = src->height, ch = src->channels, ph = p.height;
    size_t n = (size_t)w * (size_t)ch, prow = (size_t)p.width * (size_t)ch;
    uint32_t *rows = malloc((size_t)ph * n * sizeof *rows), *acc = malloc(n * sizeof *acc);
    if (!rows || !acc || (st = aug_image_alloc(dst, w, h, ch, err))) {
        free(rows);
        free(acc);
        aug_image_free(&p);
        return st ? st : aug_fail(err, AUG_ERR_NOMEM, "box blur: out of memory allocating work rows");
    }
    for (int y = 0; y < ph; y++) {
        uint32_t *o = rows + (size_t)y * n;
        const uint8_t *in = p.data + (size_t)y * prow;
        uint32_t s[4] = {0, 0, 0, 0};
        for (int t = 0; t < ksize; t++)
            for (int c = 0; c < ch; c++)
                s[c] += in[(size_t)t * ch + c];
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < ch; c++)
                o[(size_t)x * ch + c] = s[c];
            if (x + 1 < w)
                for (int c = 0; c < ch; c++)
                    s[c] += (uint32_t)in[(size_t)(x + ksize) * ch + c] - in[(size_t)x * ch + c];
        }
    }
    uint64_t area = (uint64_t)ksize * (uint64_t)ksize;
    for (size_t i = 0; i < n; i++)
        acc[i] = 0;
    for (int t = 0; t < ksize; t++)
        for (size_t i = 0; i < n; i++)
            acc[i] += rows[(size_t)t * n + i];
    for (int y = 0; y < h; y++) {
        uint8_t *o = dst->data + (size_t)y * n;
        for (size_t i = 0; i < n; i++)
            o[i] = (uint8_t)((acc[i] + area / 2) / area);
        if (y + 1 < h)
            for (size_t i = 0; i < n; i++)
                acc[i] += rows[(size_t)(y + ksize) * n + i] - rows[(size_t)y * n + i];
    }
    free(rows);
    free(acc);
    aug_image_free(&p);
    restore_alpha(src, dst);
    return AUG_OK;
}

aug_status aug_motion_blur(const aug_image *src, aug_image *dst, int length, double angle,
                           aug_error *err)
{
    aug_status st = check(src, dst, "motion blur", err);
    if (st)
        return st;
    if (length < 1 || length > 1001)
        return aug_fail(err, AUG_ERR_ARG, "motion blur: length %d is outside 1..1001", length);
    if (!isfinite(angle))
        return aug_fail(err, AUG_ERR_ARG, "motion blur: the angle is not finite");
    /* The kernel: a segment of `length` pixels centred on the kernel's
     * centre, sampled 64 times per pixel of its length; each sample adds
     * to the cell it falls in, so a cell's weight is the length of the
     * segment inside it. */
    int r = (length + 1) / 2, k = 2 * r + 1;
    float *kern = calloc((size_t)k * (size_t)k, sizeof *kern);
    if (!kern)
        return aug_fail(err, AUG_ERR_NOMEM, "motion blur: out of memory allocating the kernel");
    double a = angle * (M_PI / 180.0), dx = aug_cos(a), dy = -aug_sin(a); /* y points down */
    int samples = 64 * length;
    for (int i = 0; i < samples; i++) {
        double t = ((i + 0.5) / samples - 0.5) * length;
        int cx = (int)floor(r + t * dx + 0.5), cy = (int)floor(r + t * dy + 0.5);
        if (cx >= 0 && cx < k && cy >= 0 && cy < k)
            kern[(size_t)cy * (size_t)k + (size_t)cx] += 1.0f;
    }
    float total = 0.0f;
    for (int i = 0; i < k * k; i++)
        total += kern[i];
    aug_image p = {0};
    int w = src->width, h = src->height, ch = src->channels;
    size_t n = (size_t)w * (size_t)ch;
    float *acc = malloc(n * sizeof *acc);
    if (!acc || (st = pad(src, r, &p, err)) || (st = aug_image_alloc(dst, w, h, ch, err))) {
        free(kern);
        free(acc);
        aug_image_free(&p);
        return st ? st : aug_fail(err, AUG_ERR_NOMEM, "motion blur: out of memory allocating work rows");
    }
    size_t prow = (size_t)p.width * (size_t)ch;
    for (int y = 0; y < h; y++) {
        for (size_t i = 0; i < n; i++)
            acc[i] = 0.0f;
        for (int ty = 0; ty < k; ty++)
            for (int tx = 0; tx < k; tx++) {
                float wt = kern[(size_t)ty * (size_t)k + (size_t)tx];
                if (wt == 0.0f)
                    continue;
                wt /= total;
                const uint8_t *s = p.data + (size_t)(y + ty) * prow + (size_t)tx * (size_t)ch;
                for (size_t i = 0; i < n; i++)
                    acc[i] += wt * s[i];
            }
        uint8_t *o = dst->data + (size_t)y * n;
        for (size_t i = 0; i < n; i++)
            o[i] = round8(acc[i]);
    }
    free(kern);
    free(acc);
    aug_image_free(&p);
    restore_alpha(src, dst);
    return AUG_OK;
}
