/* invert: PIL's ImageOps.invert on the colour channels (src/kernels/levels.c). */
#include "ops/common.h"

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    (void)cfg;
    (void)rng;
    (void)in;
    (void)params;
    (void)err;
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    (void)params;
    return aug_invert(img, err);
}

static const aug_opt options[] = {AUG_OPT_END_};

const aug_op aug_op_invert = {
    .name = "invert",
    .summary = "invert the colours (255 - v)",
    .usage = "",
    .description = "Replace every colour value v by 255 - v (PIL ImageOps.invert, torchvision\n"
                   "invert). Alpha is kept. Applied twice it gives the image back.",
    .options = options,
    .draw = draw,
    .apply_inplace = apply,
};
