/* randaugment: torchvision's RandAugment (Cubuk et al. 2020): N operations
 * drawn uniformly from its list of 14, each at magnitude M of B bins, signed
 * ops negated with probability 1/2 (src/ops/policy.c). */
#include <string.h>

#include "ops/policy.h"

typedef struct ra_cfg {
    int ops, magnitude, bins;
    aug_policy_common c;
} ra_cfg;

static const aug_opt options[] = {
    AUG_OPT_INT_(0, "ops", "N", "operations per image (default 2)", ra_cfg, ops, 0,
                 AUG_POLICY_MAX),
    AUG_OPT_INT_(0, "magnitude", "M", "magnitude bin, 0..bins-1 (default 9)", ra_cfg, magnitude,
                 0, 999),
    AUG_OPT_INT_(0, "bins", "B", "number of magnitude bins (default 31)", ra_cfg, bins, 2, 1000),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest (default), bilinear or bicubic", ra_cfg,
                    c.interp, aug_ops_interp_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "colour of uncovered areas (default 0, transparent)",
                   ra_cfg, c.fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    ra_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->ops = 2;
    c->magnitude = 9;
    c->bins = 31;
    c->c.interp = AUG_INTERP_NEAREST;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    ra_cfg *c = cfg;
    c->c.have_fill = aug_opt_given(options, given, "fill");
    if (c->magnitude >= c->bins)
        return aug_fail(err, AUG_ERR_ARG, "--magnitude %d: must be below --bins (%d), 0..%d",
                        c->magnitude, c->bins, c->bins - 1);
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const ra_cfg *c = cfg;
    aug_policy_params *p = params;
    const aug_policy_op *list;
    int nlist = aug_policy_space_ops(AUG_SPACE_RAND, &list);
    (void)err;
    memset(p, 0, sizeof *p);
    p->policy = -1;
    p->n = c->ops;
    for (int i = 0; i < c->ops; i++) {
        aug_policy_op op = list[aug_ops_pick_int(rng, 0, nlist - 1)];
        int sgn;
        double m = 0.0;
        if (aug_policy_has_magnitude(AUG_SPACE_RAND, op, &sgn)) {
            m = aug_policy_magnitude(AUG_SPACE_RAND, op, c->magnitude, c->bins, in->width,
                                     in->height);
            if (sgn && aug_ops_pick_int(rng, 0, 1))
                m = -m;
        }
        p->steps[i] = (aug_policy_step){(int)op, m};
    }
    p->interp = c->c.interp;
    p->have_fill = c->c.have_fill;
    p->fill = c->c.fill;
    return AUG_OK;
}

const aug_op aug_op_randaugment = {
    .name = "randaugment",
    .summary = "RandAugment: N random operations at one magnitude",
    .usage = "[--ops N] [--magnitude M] [--bins B]",
    .description = "torchvision's RandAugment: --ops times, an operation drawn uniformly from\n"
                   "Identity, ShearX, ShearY, TranslateX, TranslateY, Rotate, Brightness,\n"
                   "Color, Contrast, Sharpness, Posterize, Solarize, AutoContrast, Equalize,\n"
                   "at magnitude bin M of B: shear 0..0.3, translate 0..150/331 of the side,\n"
                   "rotate 0..30 degrees, enhance factors 1 +- 0..0.9, posterize 8..4 bits,\n"
                   "solarize 255..0; the signed ones negated with probability 1/2. Geometric\n"
                   "operations use nearest sampling and fill with 0, as torchvision; each is\n"
                   "the corresponding op of this tool with PIL's semantics. The manifest names\n"
                   "the operations and their magnitudes.",
    .options = options,
    .cfg_size = sizeof(ra_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(aug_policy_params),
    .draw = draw,
    .apply = aug_policy_apply,
    .describe = aug_policy_describe,
    .map_points = aug_policy_map_points,
    .apply_mask = aug_policy_apply_mask,
};
