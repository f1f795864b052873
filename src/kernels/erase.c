/* Random Erasing (Zhong et al. 2017) with torchvision's sampler.
 *
 * Each rectangle follows torchvision's RandomErasing.get_params draw for
 * draw: target area uniform in [scale_lo, scale_hi] of the image, aspect
 * h/w log-uniform in [ratio_lo, ratio_hi], sides rounded with Python's
 * round() (ties to even), accepted only if strictly smaller than the image,
 * then a top-left corner uniform over every position that fits. A user who
 * knows torchvision's parameters gets the same distribution of boxes. */
#include <math.h>

#include "core/dmath.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "augment/kernels.h"

void aug_erase_params_default(aug_erase_params *p)
{
    p->scale_lo = 0.02;
    p->scale_hi = 0.33;
    p->ratio_lo = 0.3;
    p->ratio_hi = 3.3;
    p->attempts = 10;
    p->count = 1;
    p->fill = AUG_ERASE_CONSTANT;
    memset(p->value, 0, sizeof p->value);
}

static aug_status check(const aug_image *img, const aug_erase_params *p,
                        const aug_rng *rng, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        img->channels < 1 || img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "erase: no image, or an invalid one");
    if (!p || !rng)
        return aug_fail(err, AUG_ERR_ARG, "erase: missing parameters or random stream");
    if (!(p->scale_lo > 0.0 && p->scale_lo <= p->scale_hi && p->scale_hi <= 1.0))
        return aug_fail(err, AUG_ERR_ARG,
                        "erase: scale %g..%g must satisfy 0 < lo <= hi <= 1",
                        p->scale_lo, p->scale_hi);
    if (!(p->ratio_lo > 0.0 && p->ratio_lo <= p->ratio_hi && isfinite(p->ratio_hi)))
        return aug_fail(err, AUG_ERR_ARG,
                        "erase: ratio %g..%g must satisfy 0 < lo <= hi (finite)",
                        p->ratio_lo, p->ratio_hi);
    if (p->attempts < 1)
        return aug_fail(err, AUG_ERR_ARG, "erase: attempts %d must be >= 1",
                        p->attempts);
    if (p->count < 1)
        return aug_fail(err, AUG_ERR_ARG, "erase: count %d must be >= 1", p->count);
    if ((int)p->fill < AUG_ERASE_CONSTANT || (int)p->fill > AUG_ERASE_MEAN)
        return aug_fail(err, AUG_ERR_ARG,
                        "erase: unknown fill %d (constant, random or mean)",
                        (int)p->fill);
    return AUG_OK;
}

/* One rectangle, torchvision's get_params; {0,0,0,0} if every attempt fails.
 * A box that rounds to zero height or width is accepted, as torchvision
 * does, and erases nothing; it is reported as {0,0,0,0} too, so that for
 * callers w == 0 always means "nothing erased". */
aug_rect aug_erase_sample(int W, int H, const aug_erase_params *p, aug_rng *rng)
{
    aug_rect r = {0, 0, 0, 0};
    double area = (double)H * (double)W;
    double log_lo = aug_log(p->ratio_lo), log_hi = aug_log(p->ratio_hi);
    for (int a = 0; a < p->attempts; a++) {
        double target = area * aug_rng_range(rng, p->scale_lo, p->scale_hi);
        double aspect = aug_exp(aug_rng_range(rng, log_lo, log_hi));
        /* nearbyint under the default rounding mode is Python's round(). */
        double hd = nearbyint(sqrt(target * aspect));
        double wd = nearbyint(sqrt(target / aspect));
        if (!(hd < H && wd < W))
            continue;
        r.h = (int)hd;
        r.w = (int)wd;
        r.y = (int)aug_rng_below(rng, (uint64_t)(H - r.h + 1));
        r.x = (int)aug_rng_below(rng, (uint64_t)(W - r.w + 1));
        if (r.w == 0 || r.h == 0)
            r = (aug_rect){0, 0, 0, 0};
        return r;
    }
    return r;
}

/* The image's own per-channel mean, rounded half up in exact integers. */
static void image_mean(const aug_image *img, int cc, uint8_t mean[4])
{
    uint64_t sum[4] = {0, 0, 0, 0};
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *px = img->data + i * (size_t)img->channels;
        for (int c = 0; c < cc; c++)
            sum[c] += px[c];
    }
    for (int c = 0; c < cc; c++)
        mean[c] = (uint8_t)((2 * sum[c] + n) / (2 * (uint64_t)n));
}

/* Fill one rectangle at the speed of the memory. Without alpha a row is
 * whole pixels: a constant fill is a memset per row when the samples are
 * equal, else the first row is built by doubling copies and copied down;
 * a random fill writes each row's bytes straight from the stream. With
 * alpha the colour samples are written pixel by pixel and alpha is left.
 * A random row of w pixels takes ceil(w * cc / 8) draws whatever the
 * layout (aug_rng_bytes; op_erase steps over exactly that many). */
#define RANDOM_CHUNK 4080 /* bytes; a multiple of 8 and of 1, 2 and 3 */

static void fill_rect(aug_image *img, int cc, aug_rect r, aug_erase_fill fill,
                      const uint8_t value[4], aug_rng *rng)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    size_t ch = (size_t)img->channels, c = (size_t)cc, w = (size_t)r.w;
    size_t stride = (size_t)img->width * ch, n = w * ch;
    uint8_t *row0 = img->data + (size_t)r.y * stride + (size_t)r.x * ch;
    if (c == ch) {
        int same = 1;
        for (size_t k = 1; k < c; k++)
            same &= value[k] == value[0];
        for (int y = 0; y < r.h; y++) {
            uint8_t *row = row0 + (size_t)y * stride;
            if (fill == AUG_ERASE_RANDOM) {
                aug_rng_bytes(rng, row, n);
            } else if (same) {
                memset(row, value[0], n);
            } else if (y > 0) {
                memcpy(row, row0, n);
            } else {
                memcpy(row, value, c);
                for (size_t done = c; done < n;) {
                    size_t k = done < n - done ? done : n - done;
                    memcpy(row + done, row, k);
                    done += k;
                }
            }
        }
        return;
    }
    /* one alpha sample after c colour ones: ch = c + 1 */
    uint8_t buf[RANDOM_CHUNK];
    for (int y = 0; y < r.h; y++) {
        uint8_t *px = row0 + (size_t)y * stride;
        for (size_t left = w; left > 0;) {
            size_t k = left < RANDOM_CHUNK / c ? left : RANDOM_CHUNK / c;
            const uint8_t *src = buf;
            size_t step = c;
            if (fill == AUG_ERASE_RANDOM) {
                aug_rng_bytes(rng, buf, k * c);
            } else {
                src = value;
                step = 0;
            }
            if (c == 1)
                for (size_t i = 0; i < k; i++)
                    px[2 * i] = src[i * step];
            else
                for (size_t i = 0; i < k; i++)
                    memcpy(px + 4 * i, src + i * step, 3);
            px += k * ch;
            left -= k;
        }
    }
}

aug_status aug_erase(aug_image *img, const aug_erase_params *p, aug_rng *rng,
                     aug_rect *rects, aug_error *err)
{
    aug_status st = check(img, p, rng, err);
    if (st)
        return st;
    int cc = aug_image_color_channels(img);
    uint8_t value[4];
    memcpy(value, p->value, sizeof value);
    /* Computed once, before any erasing, so later rectangles are filled
     * with the mean of the original picture, not of a half-erased one. */
    if (p->fill == AUG_ERASE_MEAN)
        image_mean(img, cc, value);
    for (int i = 0; i < p->count; i++) {
        aug_rect r = aug_erase_sample(img->width, img->height, p, rng);
        fill_rect(img, cc, r, p->fill, value, rng);
        if (rects)
            rects[i] = r;
    }
    return AUG_OK;
}

aug_status aug_erase_rects(aug_image *img, const aug_rect *rects, int n, aug_erase_fill fill,
                           const uint8_t value[4], aug_rng *streams, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        img->channels < 1 || img->channels > 4 || n < 0 || (n && !rects))
        return aug_fail(err, AUG_ERR_ARG, "erase: no image, or an invalid one");
    if (fill == AUG_ERASE_RANDOM && n && !streams)
        return aug_fail(err, AUG_ERR_ARG, "erase: a random fill needs a stream per rectangle");
    for (int i = 0; i < n; i++) {
        aug_rect r = rects[i];
        if (r.w < 0 || r.h < 0 || r.x < 0 || r.y < 0 || r.x > img->width - r.w ||
            r.y > img->height - r.h)
            return aug_fail(err, AUG_ERR_ARG, "erase: rectangle %d,%d,%d,%d is outside %dx%d",
                            r.x, r.y, r.w, r.h, img->width, img->height);
    }
    int cc = aug_image_color_channels(img);
    uint8_t v[4];
    memcpy(v, value, sizeof v);
    if (fill == AUG_ERASE_MEAN)
        image_mean(img, cc, v);
    for (int i = 0; i < n; i++)
        fill_rect(img, cc, rects[i], fill, v, fill == AUG_ERASE_RANDOM ? &streams[i] : NULL);
    return AUG_OK;
}
