/* autocontrast: PIL's ImageOps.autocontrast on the colour channels (src/kernels/levels.c). */
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
    return aug_autocontrast(img, err);
}

static const aug_opt options[] = {AUG_OPT_END_};

const aug_op aug_op_autocontrast = {
    .name = "autocontrast",
    .summary = "stretch each channel to 0..255 (PIL)",
    .usage = "",
    .description = "Stretch each colour channel so its darkest value becomes 0 and its\n"
                   "brightest 255, as PIL's ImageOps.autocontrast with no cutoff (torchvision\n"
                   "autocontrast on PIL images). Alpha is kept.",
    .options = options,
    .draw = draw,
    .apply_inplace = apply,
};
