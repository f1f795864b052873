/* posterize: keep the top bits of each colour value (PIL ImageOps.posterize,
 * torchvision posterize), src/kernels/levels.c. */
#include <math.h>
#include <string.h>

#include "ops/common.h"

typedef struct post_cfg {
    double bits[2];
} post_cfg;

typedef struct post_params {
    int bits;
} post_params;

static const aug_opt options[] = {
    AUG_OPT_RANGE_(0, "bits", "B|LO:HI", "bits kept, 0..8; LO:HI drawn per output (required)",
                   post_cfg, bits, 0, 8, 0),
    AUG_OPT_END_,
};

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    const post_cfg *c = cfg;
    if (!aug_opt_given(options, given, "bits"))
        return aug_fail(err, AUG_ERR_ARG, "give --bits B (0..8) or --bits LO:HI");
    if (c->bits[0] != floor(c->bits[0]) || c->bits[1] != floor(c->bits[1]))
        return aug_fail(err, AUG_ERR_ARG, "--bits: whole numbers 0..8");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const post_cfg *c = cfg;
    (void)in;
    (void)err;
    ((post_params *)params)->bits = aug_ops_pick_int(rng, (int)c->bits[0], (int)c->bits[1]);
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    return aug_posterize(img, ((const post_params *)params)->bits, err);
}

static void describe(const void *params, aug_buf *out)
{
    aug_buf_item(out, "bits=%d", ((const post_params *)params)->bits);
}

const aug_op aug_op_posterize = {
    .name = "posterize",
    .summary = "keep the top bits of each colour value",
    .usage = "--bits B|LO:HI",
    .description = "Keep the top B bits of each colour value and clear the others (PIL's\n"
                   "ImageOps.posterize, torchvision posterize): B = 8 changes nothing, 0 makes\n"
                   "the image black. LO:HI draws B uniformly per output. Alpha is kept.",
    .options = options,
    .cfg_size = sizeof(post_cfg),
    .check = check,
    .params_size = sizeof(post_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
};
