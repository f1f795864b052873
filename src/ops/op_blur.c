/* blur: gaussian (torchvision GaussianBlur), box (OpenCV blur), median
 * (OpenCV medianBlur) and motion (imgaug / albumentations MotionBlur);
 * src/kernels/blur.c, median.c. */
#include <math.h>
#include <string.h>

#include "ops/common.h"

enum { GAUSSIAN, BOX, MEDIAN, MOTION };
static const char *const type_names[] = {"gaussian", "box", "median", "motion", NULL};

typedef struct blur_cfg {
    int type;
    double sigma[2], kernel[2], length[2], angle[2];
    int have_kernel;
} blur_cfg;

typedef struct blur_params {
    int type, ksize, length;
    double sigma, angle;
} blur_params;

static const aug_opt options[] = {
    AUG_OPT_CHOICE_('t', "type", "T", "gaussian (default), box, median or motion", blur_cfg, type,
                    type_names),
    AUG_OPT_RANGE_(0, "sigma", "S|LO:HI", "gaussian: sigma, drawn per output (default 0.1:2)",
                   blur_cfg, sigma, 0, 100, AUG_OPT_ABOVE_LO),
    AUG_OPT_RANGE_(0, "kernel", "K|LO:HI",
                   "window side, odd; LO:HI an odd size drawn per output (box, median: default "
                   "3; gaussian: default 2 ceil(3 sigma) + 1)", blur_cfg, kernel, 1, 255, 0),
    AUG_OPT_RANGE_(0, "length", "L|LO:HI", "motion: length of the streak in pixels (default 9)",
                   blur_cfg, length, 1, 255, 0),
    AUG_OPT_RANGE_(0, "angle", "A|LO:HI",
                   "motion: direction in degrees, counter-clockwise (default 0:180)", blur_cfg,
                   angle, -360, 360, 0),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    blur_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->sigma[0] = 0.1;
    c->sigma[1] = 2.0;
    c->kernel[0] = c->kernel[1] = 3;
    c->length[0] = c->length[1] = 9;
    c->angle[1] = 180.0;
}

static int odd(double v)
{
    return v == floor(v) && fmod(v, 2.0) == 1.0;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    blur_cfg *c = cfg;
    c->have_kernel = aug_opt_given(options, given, "kernel");
    if (aug_opt_given(options, given, "sigma") && c->type != GAUSSIAN)
        return aug_fail(err, AUG_ERR_ARG, "--sigma applies to --type gaussian only");
    if (c->have_kernel && c->type == MOTION)
        return aug_fail(err, AUG_ERR_ARG, "--kernel does not apply to --type motion (--length)");
    if ((aug_opt_given(options, given, "length") || aug_opt_given(options, given, "angle")) &&
        c->type != MOTION)
        return aug_fail(err, AUG_ERR_ARG, "--length and --angle apply to --type motion only");
    if (c->have_kernel && (!odd(c->kernel[0]) || !odd(c->kernel[1])))
        return aug_fail(err, AUG_ERR_ARG, "--kernel: odd whole numbers 1..255");
    if (c->length[0] != floor(c->length[0]) || c->length[1] != floor(c->length[1]))
        return aug_fail(err, AUG_ERR_ARG, "--length: whole numbers 1..255");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const blur_cfg *c = cfg;
    blur_params *p = params;
    (void)in;
    (void)err;
    memset(p, 0, sizeof *p);
    p->type = c->type;
    switch (c->type) {
    case GAUSSIAN:
        p->sigma = aug_ops_pick(rng, c->sigma);
        if (c->have_kernel)
            p->ksize = (int)c->kernel[0] +
                       2 * aug_ops_pick_int(rng, 0, (int)(c->kernel[1] - c->kernel[0]) / 2);
        else
            p->ksize = 2 * (int)ceil(3.0 * p->sigma) + 1;
        break;
    case BOX:
    case MEDIAN:
        p->ksize = (int)c->kernel[0] +
                   2 * aug_ops_pick_int(rng, 0, (int)(c->kernel[1] - c->kernel[0]) / 2);
        break;
    default:
        p->length = aug_ops_pick_int(rng, (int)c->length[0], (int)c->length[1]);
        p->angle = aug_ops_pick(rng, c->angle);
        break;
    }
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const blur_params *p = params;
    switch (p->type) {
    case GAUSSIAN: return aug_gaussian_blur(src, dst, p->sigma, p->ksize, err);
    case BOX: return aug_box_blur(src, dst, p->ksize, err);
    case MEDIAN: return aug_median_blur(src, dst, p->ksize, err);
    default: return aug_motion_blur(src, dst, p->length, p->angle, err);
    }
}

static void describe(const void *params, aug_buf *out)
{
    const blur_params *p = params;
    aug_buf_item(out, "type=%s", type_names[p->type]);
    if (p->type == GAUSSIAN)
        aug_buf_item(out, "sigma=%.17g;kernel=%d", p->sigma, p->ksize);
    else if (p->type == MOTION)
        aug_buf_item(out, "length=%d;angle=%.17g", p->length, p->angle);
    else
        aug_buf_item(out, "kernel=%d", p->ksize);
}

const aug_op aug_op_blur = {
    .name = "blur",
    .summary = "gaussian, box, median or motion blur",
    .usage = "[--type T] [--sigma LO:HI] [--kernel K] [--length L] [--angle A]",
    .description = "Blur each image:\n"
                   "  gaussian  torchvision's GaussianBlur: sigma drawn from --sigma (default\n"
                   "            0.1:2), kernel 2 ceil(3 sigma) + 1 taps unless --kernel\n"
                   "  box       the mean of a K x K window (OpenCV blur)\n"
                   "  median    the median of a K x K window (OpenCV medianBlur)\n"
                   "  motion    a streak of --length pixels at --angle degrees (imgaug,\n"
                   "            albumentations MotionBlur)\n"
                   "Borders reflect (reflect101; median replicates). Alpha is kept. A flag\n"
                   "that does not apply to the chosen type is refused.",
    .options = options,
    .cfg_size = sizeof(blur_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(blur_params),
    .draw = draw,
    .apply = apply,
    .describe = describe,
};
