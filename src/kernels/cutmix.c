/* CutMix (Yun et al. 2019) as timm draws it: a box whose sides are
 * sqrt(1 - lam) of the image's, centred uniformly and clipped to the
 * image, and lam corrected to the box's real area (timm's correct_lam). */
#include <math.h>
#include <string.h>

#include "augment/geometry.h"

aug_rect aug_cutmix_box(int width, int height, double lam, aug_rng *rng, double *corrected)
{
    if (width <= 0 || height <= 0) {
        if (corrected)
            *corrected = lam;
        return (aug_rect){0, 0, 0, 0};
    }
    double ratio = sqrt(lam < 1.0 ? 1.0 - lam : 0.0);
    int cut_h = (int)(height * ratio), cut_w = (int)(width * ratio);
    /* rand_bbox: the centre row, then the column */
    int cy = (int)aug_rng_below(rng, (uint64_t)height);
    int cx = (int)aug_rng_below(rng, (uint64_t)width);
    int yl = cy - cut_h / 2, yh = cy + cut_h / 2, xl = cx - cut_w / 2, xh = cx + cut_w / 2;
    yl = yl < 0 ? 0 : yl > height ? height : yl;
    yh = yh < 0 ? 0 : yh > height ? height : yh;
    xl = xl < 0 ? 0 : xl > width ? width : xl;
    xh = xh < 0 ? 0 : xh > width ? width : xh;
    aug_rect r = {xl, yl, xh - xl, yh - yl};
    if (corrected)
        *corrected = 1.0 - (double)r.w * (double)r.h / ((double)width * (double)height);
    return r;
}

aug_status aug_cutmix(const aug_image *a, const aug_image *b, aug_rect box, aug_image *dst,
                      aug_error *err)
{
    if (!dst || dst == a || dst == b)
        return aug_fail(err, AUG_ERR_ARG, "cutmix: the output must be a separate image");
    if (!a || !b || !a->data || !b->data || a->width != b->width || a->height != b->height ||
        a->channels != b->channels)
        return aug_fail(err, AUG_ERR_ARG, "cutmix: the two images differ in size or channels");
    aug_status st = aug_image_alloc(dst, a->width, a->height, a->channels, err);
    if (st)
        return st;
    memcpy(dst->data, a->data, aug_image_size(a));
    return aug_paste(dst, b, box, err);
}
