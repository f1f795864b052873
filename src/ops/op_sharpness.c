/* sharpness: PIL's ImageEnhance.Sharpness (torchvision adjust_sharpness on
 * PIL images), src/kernels/enhance.c. */
#include <string.h>

#include "ops/common.h"

typedef struct sharp_cfg {
    double factor[2];
} sharp_cfg;

typedef struct sharp_params {
    double factor;
} sharp_params;

static const aug_opt options[] = {
    AUG_OPT_RANGE_(0, "factor", "F|LO:HI",
                   "0 blurs, 1 keeps, above 1 sharpens; LO:HI drawn per output (required)",
                   sharp_cfg, factor, 0, 1e4, 0),
    AUG_OPT_END_,
};

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    (void)cfg;
    if (!aug_opt_given(options, given, "factor"))
        return aug_fail(err, AUG_ERR_ARG, "give --factor F or --factor LO:HI");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    (void)in;
    (void)err;
    ((sharp_params *)params)->factor = aug_ops_pick(rng, ((const sharp_cfg *)cfg)->factor);
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    return aug_sharpness(img, ((const sharp_params *)params)->factor, err);
}

static void describe(const void *params, aug_buf *out)
{
    aug_buf_item(out, "factor=%.17g", ((const sharp_params *)params)->factor);
}

const aug_op aug_op_sharpness = {
    .name = "sharpness",
    .summary = "sharpen or soften (PIL ImageEnhance.Sharpness)",
    .usage = "--factor F|LO:HI",
    .description = "Blend each image with PIL's 3x3 SMOOTH filter of itself (1 1 1 / 1 5 1 /\n"
                   "1 1 1, over 13; the outermost pixels kept) as PIL's\n"
                   "ImageEnhance.Sharpness, which torchvision's adjust_sharpness calls: 0 gives\n"
                   "the smoothed image, 1 the image, 2 twice the difference. Alpha is kept.",
    .options = options,
    .cfg_size = sizeof(sharp_cfg),
    .check = check,
    .params_size = sizeof(sharp_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
};
