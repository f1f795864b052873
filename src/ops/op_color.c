/* color: torchvision's ColorJitter on PIL images: brightness, contrast,
 * saturation and hue factors drawn per output and applied in a random
 * order (src/kernels/enhance.c, hue.c). */
#include <string.h>

#include "ops/common.h"

enum { BRIGHTNESS, CONTRAST, SATURATION, HUE, NFACTORS };
static const char *const factor_names[NFACTORS] = {"brightness", "contrast", "saturation",
                                                   "hue"};

typedef struct color_cfg {
    double range[NFACTORS][2];
    int active[NFACTORS];
} color_cfg;

typedef struct color_params {
    int order[NFACTORS];      /* the factors in the order applied */
    int active[NFACTORS];
    double value[NFACTORS];   /* factor (brightness, contrast, saturation) or hue shift */
} color_params;

/* "V": torchvision's range for a number (max(0, 1-V):1+V, or -V:V for
 * hue); "LO:HI": the range itself. */
static aug_status parse_factor(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    double *r = dst;
    int hue = strcmp(o->name, "hue") == 0;
    aug_opt ro = *o;
    ro.kind = AUG_OPT_RANGE;
    ro.offset = 0;
    ro.lo = hue ? -0.5 : 0.0;
    ro.hi = hue ? 0.5 : 1e4;
    double v[2];
    if (aug_opt_value(&ro, arg, v, NULL) != AUG_OK || (!strchr(arg, ':') && v[0] < 0))
        return aug_fail(err, AUG_ERR_ARG,
                        "--%s: '%s' is not V (%s) or LO:HI with %g <= LO <= HI <= %g", o->name,
                        arg, hue ? "0 <= V <= 0.5, meaning -V:V" : "V >= 0, meaning 1-V:1+V",
                        ro.lo, ro.hi);
    if (strchr(arg, ':')) {
        r[0] = v[0];
        r[1] = v[1];
    } else if (hue) {
        r[0] = -v[0];
        r[1] = v[0];
    } else {
        r[0] = 1.0 - v[0] < 0.0 ? 0.0 : 1.0 - v[0];
        r[1] = 1.0 + v[0];
    }
    return AUG_OK;
}

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "brightness", "B|LO:HI", "factor range; B means max(0,1-B):1+B",
                    color_cfg, range[BRIGHTNESS], parse_factor),
    AUG_OPT_CUSTOM_(0, "contrast", "C|LO:HI", "factor range; C means max(0,1-C):1+C", color_cfg,
                    range[CONTRAST], parse_factor),
    AUG_OPT_CUSTOM_(0, "saturation", "S|LO:HI", "factor range; S means max(0,1-S):1+S",
                    color_cfg, range[SATURATION], parse_factor),
    AUG_OPT_CUSTOM_(0, "hue", "H|LO:HI", "shift range in turns; H (<= 0.5) means -H:H",
                    color_cfg, range[HUE], parse_factor),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    color_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    for (int i = 0; i < HUE; i++)
        c->range[i][0] = c->range[i][1] = 1.0;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    color_cfg *c = cfg;
    int any = 0;
    for (int i = 0; i < NFACTORS; i++) {
        any |= aug_opt_given(options, given, factor_names[i]);
        /* ColorJitter leaves out a factor whose range is its identity */
        double centre = i == HUE ? 0.0 : 1.0;
        c->active[i] = !(c->range[i][0] == centre && c->range[i][1] == centre);
    }
    if (!any)
        return aug_fail(err, AUG_ERR_ARG,
                        "give at least one of --brightness, --contrast, --saturation, --hue");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const color_cfg *c = cfg;
    color_params *p = params;
    (void)in;
    (void)err;
    memset(p, 0, sizeof *p);
    /* get_params: fn_idx = randperm(4), then the four factors in order */
    for (int i = 0; i < NFACTORS; i++)
        p->order[i] = i;
    for (int i = NFACTORS - 1; i > 0; i--) {
        int j = aug_ops_pick_int(rng, 0, i), t = p->order[i];
        p->order[i] = p->order[j];
        p->order[j] = t;
    }
    for (int i = 0; i < NFACTORS; i++) {
        p->active[i] = c->active[i];
        if (c->active[i])
            p->value[i] = aug_ops_pick(rng, c->range[i]);
    }
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    const color_params *p = params;
    aug_status st = AUG_OK;
    for (int k = 0; k < NFACTORS && !st; k++) {
        int f = p->order[k];
        if (!p->active[f])
            continue;
        double v = p->value[f];
        st = f == BRIGHTNESS   ? aug_brightness(img, v, err)
             : f == CONTRAST   ? aug_contrast(img, v, err)
             : f == SATURATION ? aug_saturation(img, v, err)
                               : aug_hue(img, v, err);
    }
    return st;
}

static void describe(const void *params, aug_buf *out)
{
    const color_params *p = params;
    aug_buf order = {0};
    for (int k = 0; k < NFACTORS; k++)
        if (p->active[p->order[k]])
            aug_buf_addf(&order, "%s%s", order.len ? "," : "", factor_names[p->order[k]]);
    aug_buf_item(out, "order=%s", order.data ? order.data : "");
    if (order.failed)
        out->failed = 1;
    aug_buf_free(&order);
    for (int i = 0; i < NFACTORS; i++)
        if (p->active[i])
            aug_buf_item(out, "%s=%.17g", factor_names[i], p->value[i]);
}

const aug_op aug_op_color = {
    .name = "color",
    .summary = "jitter brightness, contrast, saturation and hue (ColorJitter)",
    .usage = "[--brightness B] [--contrast C] [--saturation S] [--hue H]",
    .description = "torchvision's ColorJitter on PIL images: per output a factor drawn\n"
                   "uniformly from each given range, applied in a random order (as its\n"
                   "randperm), with PIL's ImageEnhance (blends with black, the mean grey, the\n"
                   "greyscale image) and PIL's HSV for hue. A single value V means\n"
                   "torchvision's range max(0, 1-V):1+V (hue -V:V); LO:HI is the range itself,\n"
                   "so --brightness 1.3:1.3 is exactly 1.3. Alpha is kept; saturation and hue\n"
                   "leave grey images as they are. The manifest records the order and each\n"
                   "factor.",
    .options = options,
    .cfg_size = sizeof(color_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(color_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
};
