/* equalize: PIL's ImageOps.equalize on the colour channels (src/kernels/levels.c). */
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
    return aug_equalize(img, err);
}

static const aug_opt options[] = {AUG_OPT_END_};

const aug_op aug_op_equalize = {
    .name = "equalize",
    .summary = "equalize each channel's histogram (PIL)",
    .usage = "",
    .description = "Equalize the histogram of each colour channel as PIL's ImageOps.equalize\n"
                   "(torchvision equalize on PIL images): a table from the cumulative\n"
                   "histogram in PIL's integer steps. Alpha is kept.",
    .options = options,
    .draw = draw,
    .apply_inplace = apply,
};
