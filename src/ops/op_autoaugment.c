/* autoaugment: torchvision's AutoAugment (Cubuk et al. 2019) with its
 * learned ImageNet policy (and the CIFAR-10 and SVHN ones): one of 25
 * sub-policies drawn uniformly, each two operations applied with their own
 * probability at a fixed magnitude bin of 10, signed magnitudes negated
 * with probability 1/2 (src/ops/policy.c). The tables are the paper's, in
 * torchvision's order. */
#include <string.h>

#include "ops/policy.h"

enum {
    SX = AUG_POL_SHEAR_X, SY = AUG_POL_SHEAR_Y, TX = AUG_POL_TRANSLATE_X,
    TY = AUG_POL_TRANSLATE_Y, RO = AUG_POL_ROTATE, BR = AUG_POL_BRIGHTNESS, CO = AUG_POL_COLOR,
    CN = AUG_POL_CONTRAST, SH = AUG_POL_SHARPNESS, PO = AUG_POL_POSTERIZE,
    SO = AUG_POL_SOLARIZE, AC = AUG_POL_AUTOCONTRAST, EQ = AUG_POL_EQUALIZE,
    IN = AUG_POL_INVERT
};

typedef struct sub_op {
    int op;
    double prob;
    int bin; /* -1: no magnitude */
} sub_op;

typedef sub_op sub_policy[2];

static const sub_policy imagenet[25] = {
    {{PO, 0.4, 8}, {RO, 0.6, 9}},
    {{SO, 0.6, 5}, {AC, 0.6, -1}},
    {{EQ, 0.8, -1}, {EQ, 0.6, -1}},
    {{PO, 0.6, 7}, {PO, 0.6, 6}},
    {{EQ, 0.4, -1}, {SO, 0.2, 4}},
    {{EQ, 0.4, -1}, {RO, 0.8, 8}},
    {{SO, 0.6, 3}, {EQ, 0.6, -1}},
    {{PO, 0.8, 5}, {EQ, 1.0, -1}},
    {{RO, 0.2, 3}, {SO, 0.6, 8}},
    {{EQ, 0.6, -1}, {PO, 0.4, 6}},
    {{RO, 0.8, 8}, {CO, 0.4, 0}},
    {{RO, 0.4, 9}, {EQ, 0.6, -1}},
    {{EQ, 0.0, -1}, {EQ, 0.8, -1}},
    {{IN, 0.6, -1}, {EQ, 1.0, -1}},
    {{CO, 0.6, 4}, {CN, 1.0, 8}},
    {{RO, 0.8, 8}, {CO, 1.0, 2}},
    {{CO, 0.8, 8}, {SO, 0.8, 7}},
    {{SH, 0.4, 7}, {IN, 0.6, -1}},
    {{SX, 0.6, 5}, {EQ, 1.0, -1}},
    {{CO, 0.4, 0}, {EQ, 0.6, -1}},
    {{EQ, 0.4, -1}, {SO, 0.2, 4}},
    {{SO, 0.6, 5}, {AC, 0.6, -1}},
    {{IN, 0.6, -1}, {EQ, 1.0, -1}},
    {{CO, 0.6, 4}, {CN, 1.0, 8}},
    {{EQ, 0.8, -1}, {EQ, 0.6, -1}},
};

static const sub_policy cifar10[25] = {
    {{IN, 0.1, -1}, {CN, 0.2, 6}},
    {{RO, 0.7, 2}, {TX, 0.3, 9}},
    {{SH, 0.8, 1}, {SH, 0.9, 3}},
    {{SY, 0.5, 8}, {TY, 0.7, 9}},
    {{AC, 0.5, -1}, {EQ, 0.9, -1}},
    {{SY, 0.2, 7}, {PO, 0.3, 7}},
    {{CO, 0.4, 3}, {BR, 0.6, 7}},
    {{SH, 0.3, 9}, {BR, 0.7, 9}},
    {{EQ, 0.6, -1}, {EQ, 0.5, -1}},
    {{CN, 0.6, 7}, {SH, 0.6, 5}},
    {{CO, 0.7, 7}, {TX, 0.5, 8}},
    {{EQ, 0.3, -1}, {AC, 0.4, -1}},
    {{TY, 0.4, 3}, {SH, 0.2, 6}},
    {{BR, 0.9, 6}, {CO, 0.2, 8}},
    {{SO, 0.5, 2}, {IN, 0.0, -1}},
    {{EQ, 0.2, -1}, {AC, 0.6, -1}},
    {{EQ, 0.2, -1}, {EQ, 0.6, -1}},
    {{CO, 0.9, 9}, {EQ, 0.6, -1}},
    {{AC, 0.8, -1}, {SO, 0.2, 8}},
    {{BR, 0.1, 3}, {CO, 0.7, 0}},
    {{SO, 0.4, 5}, {AC, 0.9, -1}},
    {{TY, 0.9, 9}, {TY, 0.7, 9}},
    {{AC, 0.9, -1}, {SO, 0.8, 3}},
    {{EQ, 0.8, -1}, {IN, 0.1, -1}},
    {{TY, 0.7, 9}, {AC, 0.9, -1}},
};

static const sub_policy svhn[25] = {
    {{SX, 0.9, 4}, {IN, 0.2, -1}},
    {{SY, 0.9, 8}, {IN, 0.7, -1}},
    {{EQ, 0.6, -1}, {SO, 0.6, 6}},
    {{IN, 0.9, -1}, {EQ, 0.6, -1}},
    {{EQ, 0.6, -1}, {RO, 0.9, 3}},
    {{SX, 0.9, 4}, {AC, 0.8, -1}},
    {{SY, 0.9, 8}, {IN, 0.4, -1}},
    {{SY, 0.9, 5}, {SO, 0.2, 6}},
    {{IN, 0.9, -1}, {AC, 0.8, -1}},
    {{EQ, 0.6, -1}, {RO, 0.9, 3}},
    {{SX, 0.9, 4}, {SO, 0.3, 3}},
    {{SY, 0.8, 8}, {IN, 0.7, -1}},
    {{EQ, 0.9, -1}, {TY, 0.6, 6}},
    {{IN, 0.9, -1}, {EQ, 0.6, -1}},
    {{CN, 0.3, 3}, {RO, 0.8, 4}},
    {{IN, 0.8, -1}, {TY, 0.0, 2}},
    {{SY, 0.7, 6}, {SO, 0.4, 8}},
    {{IN, 0.6, -1}, {RO, 0.8, 4}},
    {{SY, 0.3, 7}, {TX, 0.9, 3}},
    {{SX, 0.1, 6}, {IN, 0.6, -1}},
    {{SO, 0.7, 2}, {TY, 0.6, 7}},
    {{SY, 0.8, 4}, {IN, 0.8, -1}},
    {{SX, 0.7, 9}, {TY, 0.8, 3}},
    {{SY, 0.8, 5}, {AC, 0.7, -1}},
    {{SX, 0.7, 2}, {IN, 0.1, -1}},
};

static const char *const policy_names[] = {"imagenet", "cifar10", "svhn", NULL};
static const sub_policy *const policies[] = {imagenet, cifar10, svhn};

typedef struct aa_cfg {
    int policy;
    aug_policy_common c;
} aa_cfg;

static const aug_opt options[] = {
    AUG_OPT_CHOICE_(0, "policy", "NAME", "imagenet (default), cifar10 or svhn", aa_cfg, policy,
                    policy_names),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest (default), bilinear or bicubic", aa_cfg,
                    c.interp, aug_ops_interp_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "colour of uncovered areas (default 0, transparent)",
                   aa_cfg, c.fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    aa_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->c.interp = AUG_INTERP_NEAREST;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    aa_cfg *c = cfg;
    (void)err;
    c->c.have_fill = aug_opt_given(options, given, "fill");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const aa_cfg *c = cfg;
    aug_policy_params *p = params;
    (void)err;
    memset(p, 0, sizeof *p);
    /* get_params: the sub-policy, two probabilities, two signs */
    p->policy = aug_ops_pick_int(rng, 0, 24);
    double probs[2];
    int signs[2];
    probs[0] = aug_rng_uniform(rng);
    probs[1] = aug_rng_uniform(rng);
    signs[0] = aug_ops_pick_int(rng, 0, 1);
    signs[1] = aug_ops_pick_int(rng, 0, 1);
    const sub_op *sp = policies[c->policy][p->policy];
    for (int i = 0; i < 2; i++) {
        if (!(probs[i] <= sp[i].prob))
            continue;
        int sgn;
        double m = 0.0;
        if (sp[i].bin >= 0 && aug_policy_has_magnitude(AUG_SPACE_AUTO, sp[i].op, &sgn)) {
            m = aug_policy_magnitude(AUG_SPACE_AUTO, sp[i].op, sp[i].bin, 10, in->width,
                                     in->height);
            if (sgn && signs[i] == 0)
                m = -m;
        }
        p->steps[p->n++] = (aug_policy_step){sp[i].op, m};
    }
    p->interp = c->c.interp;
    p->have_fill = c->c.have_fill;
    p->fill = c->c.fill;
    return AUG_OK;
}

const aug_op aug_op_autoaugment = {
    .name = "autoaugment",
    .summary = "AutoAugment's learned policy (ImageNet, CIFAR-10, SVHN)",
    .usage = "[--policy imagenet|cifar10|svhn]",
    .description = "torchvision's AutoAugment: one of the policy's 25 sub-policies drawn\n"
                   "uniformly; each of its two operations applied with its probability at its\n"
                   "magnitude bin (of 10, RandAugment's ranges plus Invert), signed ones\n"
                   "negated with probability 1/2. Nearest sampling, fill 0. The manifest\n"
                   "records the sub-policy's index and the operations applied.",
    .options = options,
    .cfg_size = sizeof(aa_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(aug_policy_params),
    .draw = draw,
    .apply = aug_policy_apply,
    .describe = aug_policy_describe,
    .map_points = aug_policy_map_points,
    .apply_mask = aug_policy_apply_mask,
};
