/* solarize: invert the values at or above a threshold (PIL
 * ImageOps.solarize, torchvision solarize), src/kernels/levels.c. */
#include <string.h>

#include "ops/common.h"

typedef struct sol_cfg {
    double threshold[2];
} sol_cfg;

typedef struct sol_params {
    double threshold;
} sol_params;

static const aug_opt options[] = {
    AUG_OPT_RANGE_(0, "threshold", "T|LO:HI",
                   "values >= T are inverted, 0..256 (default 128); LO:HI drawn per output",
                   sol_cfg, threshold, 0, 256, 0),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    sol_cfg *c = cfg;
    c->threshold[0] = c->threshold[1] = 128.0;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    (void)in;
    (void)err;
    ((sol_params *)params)->threshold = aug_ops_pick(rng, ((const sol_cfg *)cfg)->threshold);
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    return aug_solarize(img, ((const sol_params *)params)->threshold, err);
}

static void describe(const void *params, aug_buf *out)
{
    aug_buf_item(out, "threshold=%.17g", ((const sol_params *)params)->threshold);
}

const aug_op aug_op_solarize = {
    .name = "solarize",
    .summary = "invert the colour values at or above a threshold",
    .usage = "[--threshold T|LO:HI]",
    .description = "Replace every colour value v >= T by 255 - v (PIL's ImageOps.solarize,\n"
                   "torchvision solarize; T = 256 changes nothing, 0 inverts everything).\n"
                   "Alpha is kept.",
    .options = options,
    .cfg_size = sizeof(sol_cfg),
    .init = init,
    .params_size = sizeof(sol_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
};
