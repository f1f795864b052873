/* trivialaugment: torchvision's TrivialAugmentWide (Mueller and Hutter
 * 2021): one operation drawn uniformly, at a magnitude bin drawn uniformly
 * from the wide ranges (src/ops/policy.c). */
#include <string.h>

#include "ops/policy.h"

typedef struct ta_cfg {
    int bins;
    aug_policy_common c;
} ta_cfg;

static const aug_opt options[] = {
    AUG_OPT_INT_(0, "bins", "B", "number of magnitude bins (default 31)", ta_cfg, bins, 2, 1000),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest (default), bilinear or bicubic", ta_cfg,
                    c.interp, aug_ops_interp_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "colour of uncovered areas (default 0, transparent)",
                   ta_cfg, c.fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    ta_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->bins = 31;
    c->c.interp = AUG_INTERP_NEAREST;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    ta_cfg *c = cfg;
    (void)err;
    c->c.have_fill = aug_opt_given(options, given, "fill");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const ta_cfg *c = cfg;
    aug_policy_params *p = params;
    const aug_policy_op *list;
    int nlist = aug_policy_space_ops(AUG_SPACE_WIDE, &list);
    (void)err;
    memset(p, 0, sizeof *p);
    p->policy = -1;
    p->n = 1;
    aug_policy_op op = list[aug_ops_pick_int(rng, 0, nlist - 1)];
    int sgn;
    double m = 0.0;
    if (aug_policy_has_magnitude(AUG_SPACE_WIDE, op, &sgn)) {
        int bin = aug_ops_pick_int(rng, 0, c->bins - 1);
        m = aug_policy_magnitude(AUG_SPACE_WIDE, op, bin, c->bins, in->width, in->height);
        if (sgn && aug_ops_pick_int(rng, 0, 1))
            m = -m;
    }
    p->steps[0] = (aug_policy_step){(int)op, m};
    p->interp = c->c.interp;
    p->have_fill = c->c.have_fill;
    p->fill = c->c.fill;
    return AUG_OK;
}

const aug_op aug_op_trivialaugment = {
    .name = "trivialaugment",
    .summary = "TrivialAugmentWide: one random operation at a random magnitude",
    .usage = "[--bins B]",
    .description = "torchvision's TrivialAugmentWide: one operation drawn uniformly from\n"
                   "RandAugment's 14, at a magnitude bin drawn uniformly from B, over the wide\n"
                   "ranges: shear 0..0.99, translate 0..32 pixels, rotate 0..135 degrees,\n"
                   "enhance factors 1 +- 0..0.99, posterize 8..2 bits, solarize 255..0; signed\n"
                   "ones negated with probability 1/2. Nearest sampling, fill 0.",
    .options = options,
    .cfg_size = sizeof(ta_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(aug_policy_params),
    .draw = draw,
    .apply = aug_policy_apply,
    .describe = aug_policy_describe,
    .map_points = aug_policy_map_points,
    .apply_mask = aug_policy_apply_mask,
};
