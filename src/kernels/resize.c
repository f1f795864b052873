/* Bilinear resize with OpenCV INTER_LINEAR geometry.
 *
 * Output pixel centre d maps to source coordinate s = (d + 0.5) * S/D - 0.5,
 * so pixel centres (not corners) line up and a 2x downscale averages pairs.
 * Coordinates outside [0, S-1] clamp to the edge pixel (replicate border).
 * No antialiasing, as OpenCV: a large downscale samples, it does not
 * average. Results are rounded half up.
 *
 * The x taps are the same for every row, so they are computed once. Each
 * output row blends two horizontally interpolated source rows; those are
 * kept in two buffers and reused while consecutive output rows share them
 * (every row when upscaling), which makes the cost one horizontal pass per
 * source row touched plus one vertical blend per output row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/kernels.h"

typedef struct xtap {
    size_t o0, o1; /* sample offsets of the left and right source pixels */
    double w0, w1; /* their weights */
} xtap;

/* Source pixels and weights for output index d. The coordinate is the
 * rational ((2d + 1) S - D) / (2D), kept in integers (it fits: both sizes
 * are ints) so that the split into index and fraction is exact and the
 * weights of common ratios (1/2, 1/4, 3/4, ...) are exact doubles. */
static void tap(int d, int src_size, int dst_size, int *i0, int *i1,
                double *w0, double *w1)
{
    int64_t den = 2 * (int64_t)dst_size;
    int64_t num = (2 * (int64_t)d + 1) * src_size - dst_size;
    int64_t i = 0, rem = 0;
    if (num > 0) {
        i = num / den;
        rem = num % den;
    }
    if (i >= src_size - 1) {
        i = src_size - 1;
        rem = 0;
    }
    *i0 = (int)i;
    *i1 = i + 1 < src_size ? (int)i + 1 : (int)i;
    *w0 = (double)(den - rem) / (double)den;
    *w1 = (double)rem / (double)den;
}

static void hpass(const uint8_t *src, const xtap *xt, int dw, int ch, double *out)
{
    for (int x = 0; x < dw; x++) {
        const uint8_t *a = src + xt[x].o0, *b = src + xt[x].o1;
        double w0 = xt[x].w0, w1 = xt[x].w1;
        for (int c = 0; c < ch; c++)
            out[(size_t)x * ch + c] = w0 * a[c] + w1 * b[c];
    }
}

/* Round half up. The exact value is a rational whose distance from a tie
 * is at least 1 / (8 * width * height) of the output, while the double
 * computation errs by under 1e-12; the 1e-11 nudge therefore turns exact
 * ties that came out a hair low back into ties, and can only misround for
 * outputs beyond 1e10 pixels. v is a convex combination of 0..255 (weights
 * non-negative, summing to 1 within an ulp), so it needs no clamp and the
 * loop stays branch-free. */
static uint8_t round_half_up(double v)
{
    return (uint8_t)(v + (0.5 + 1e-11));
}

aug_status aug_resize(const aug_image *src, aug_image *dst, int width,
                      int height, aug_error *err)
{
    if (!src || !src->data || src->width <= 0 || src->height <= 0 ||
        src->channels < 1 || src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "resize: not a valid source image");
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG,
                        "resize: the output must be a separate image");
    if (width <= 0 || height <= 0)
        return aug_fail(err, AUG_ERR_ARG, "resize: target size %dx%d is not positive",
                        width, height);
    aug_status st = aug_image_alloc(dst, width, height, src->channels, err);
    if (st)
        return st;
    if (width == src->width && height == src->height) {
        memcpy(dst->data, src->data, aug_image_size(src));
        return AUG_OK;
    }

    int ch = src->channels;
    size_t row_n = (size_t)width * (size_t)ch;
    /* One block: the x taps, then two rows of horizontal results. */
    size_t xt_bytes = (size_t)width * sizeof(xtap);
    xt_bytes = (xt_bytes + sizeof(double) - 1) / sizeof(double) * sizeof(double);
    if (row_n > (SIZE_MAX - xt_bytes) / 2 / sizeof(double)) {
        aug_image_free(dst);
        return aug_fail(err, AUG_ERR_NOMEM, "resize: %dx%d is too large", width, height);
    }
    unsigned char *block = malloc(xt_bytes + 2 * row_n * sizeof(double));
    if (!block) {
        aug_image_free(dst);
        return aug_fail(err, AUG_ERR_NOMEM, "resize: out of memory for work buffers");
    }
    xtap *xt = (xtap *)(void *)block;
    double *rows[2] = {(double *)(void *)(block + xt_bytes),
                       (double *)(void *)(block + xt_bytes) + row_n};
    int have[2] = {-1, -1}; /* source row held by each buffer */

    for (int x = 0; x < width; x++) {
        int i0, i1;
        tap(x, src->width, width, &i0, &i1, &xt[x].w0, &xt[x].w1);
        xt[x].o0 = (size_t)i0 * ch;
        xt[x].o1 = (size_t)i1 * ch;
    }

    size_t src_row = (size_t)src->width * ch;
    for (int y = 0; y < height; y++) {
        int r[2];
        double w0, w1;
        tap(y, src->height, height, &r[0], &r[1], &w0, &w1);
        /* Rows only move forward, so the old bottom row may become the new
         * top one; swapping buffers then saves a horizontal pass. */
        if (have[0] != r[0] && have[1] == r[0]) {
            double *t = rows[0];
            rows[0] = rows[1];
            rows[1] = t;
            have[0] = r[0];
            have[1] = -1;
        }
        for (int k = 0; k < 2; k++) {
            if (have[k] != r[k]) {
                hpass(src->data + (size_t)r[k] * src_row, xt, width, ch, rows[k]);
                have[k] = r[k];
            }
        }
        uint8_t *out = dst->data + (size_t)y * row_n;
        const double *t = rows[0], *b = rows[1];
        for (size_t i = 0; i < row_n; i++)
            out[i] = round_half_up(w0 * t[i] + w1 * b[i]);
    }
    free(block);
    return AUG_OK;
}
