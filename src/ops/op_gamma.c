/* gamma: torchvision's adjust_gamma on PIL images (a table of
 * int(255.999 (v/255)^gamma)), src/kernels/levels.c. */
#include <string.h>

#include "ops/common.h"

typedef struct gamma_cfg {
    double gamma[2];
} gamma_cfg;

typedef struct gamma_params {
    double gamma;
} gamma_params;

static const aug_opt options[] = {
    AUG_OPT_RANGE_(0, "gamma", "G|LO:HI",
                   "exponent: below 1 brightens, above 1 darkens; LO:HI drawn per output "
                   "(required)", gamma_cfg, gamma, 0, 1000, 0),
    AUG_OPT_END_,
};

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    (void)cfg;
    if (!aug_opt_given(options, given, "gamma"))
        return aug_fail(err, AUG_ERR_ARG, "give --gamma G or --gamma LO:HI");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    (void)in;
    (void)err;
    ((gamma_params *)params)->gamma = aug_ops_pick(rng, ((const gamma_cfg *)cfg)->gamma);
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    return aug_gamma(img, ((const gamma_params *)params)->gamma, err);
}

static void describe(const void *params, aug_buf *out)
{
    aug_buf_item(out, "gamma=%.17g", ((const gamma_params *)params)->gamma);
}

const aug_op aug_op_gamma = {
    .name = "gamma",
    .summary = "gamma correction",
    .usage = "--gamma G|LO:HI",
    .description = "Map each colour value v to int(255.999 (v / 255)^G), as torchvision's\n"
                   "adjust_gamma on PIL images (gain 1). Alpha is kept.",
    .options = options,
    .cfg_size = sizeof(gamma_cfg),
    .check = check,
    .params_size = sizeof(gamma_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
};
