/* affine: rotation, translation, scale and shear in one warp, drawn as
 * torchvision's RandomAffine and composed with its matrix about the
 * image centre, sampled with rotate's interpolations and borders
 * (aug_warp_affine, src/kernels/rotate.c). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ops/common.h"

typedef struct affine_cfg {
    double degrees[2], translate[2], scale[2], shear[4];
    int have_translate;
    int interp, border;
    aug_color fill;
    int have_fill;
} affine_cfg;

typedef struct affine_params {
    double angle, scale, shear_x, shear_y;
    int tx, ty;
    /* input -> output in continuous coordinates (for points and boxes):
     * (x', y') = (fwd[0] x + fwd[1] y + fwd[2], fwd[3] x + fwd[4] y + fwd[5]) */
    double fwd[6];
    double inv[6];      /* output -> input, pixel-index coordinates (the warp's) */
    double inv_cont[6]; /* the same in continuous coordinates (PIL's) */
    int interp, border, have_fill;
    aug_color fill;
} affine_params;

static aug_status parse_degrees(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    return aug_ops_parse_sym(o, arg, -360, 360, dst, err);
}

/* "S|LO:HI" for x, optionally ",S|LO:HI" for y. */
static aug_status parse_shear(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    double *sh = dst;
    const char *comma = strchr(arg, ',');
    char first[64];
    size_t n = comma ? (size_t)(comma - arg) : strlen(arg);
    aug_status st = AUG_ERR_ARG;
    if (n < sizeof first) {
        memcpy(first, arg, n);
        first[n] = '\0';
        st = aug_ops_parse_sym(o, first, -89, 89, sh, err);
        if (!st && comma)
            st = aug_ops_parse_sym(o, comma + 1, -89, 89, sh + 2, err);
    }
    if (st)
        return aug_fail(err, AUG_ERR_ARG,
                        "--%s: '%s' is not X or X,Y, each S (meaning -S:S) or LO:HI in degrees, "
                        "-89..89", o->name, arg);
    if (!comma)
        sh[2] = sh[3] = 0.0;
    return AUG_OK;
}

/* "FX,FY" (or one F for both): the largest shift as a fraction of the
 * width and height, 0..1. */
static aug_status parse_translate(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    double *t = dst;
    char *end;
    errno = 0;
    t[0] = strtod(arg, &end);
    int ok = end != arg && !errno && t[0] >= 0 && t[0] <= 1;
    if (ok && *end == ',') {
        const char *s = end + 1;
        t[1] = strtod(s, &end);
        ok = end != s && !errno && t[1] >= 0 && t[1] <= 1;
    } else {
        t[1] = t[0];
    }
    if (!ok || *end != '\0')
        return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not FX,FY (fractions 0..1)", o->name, arg);
    return AUG_OK;
}

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "degrees", "D|LO:HI",
                    "rotation angle, counter-clockwise; D means -D:D (default 0)", affine_cfg,
                    degrees, parse_degrees),
    AUG_OPT_CUSTOM_(0, "translate", "FX,FY",
                    "largest shift as a fraction of width, height (default none)", affine_cfg,
                    translate, parse_translate),
    AUG_OPT_RANGE_(0, "scale", "LO:HI", "zoom factor (default 1)", affine_cfg, scale, 0, 100,
                   AUG_OPT_ABOVE_LO),
    AUG_OPT_CUSTOM_(0, "shear", "X[,Y]",
                    "shear angles in degrees, each S (-S:S) or LO:HI; x, then y (default none)",
                    affine_cfg, shear, parse_shear),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest, bilinear (default) or bicubic", affine_cfg,
                    interp, aug_ops_interp_names),
    AUG_OPT_CHOICE_(0, "border", "MODE", "constant (default), replicate, reflect, reflect101, wrap",
                    affine_cfg, border, aug_ops_border_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "constant border colour (default 0, transparent)",
                   affine_cfg, fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    affine_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->scale[0] = c->scale[1] = 1.0;
    c->interp = AUG_INTERP_BILINEAR;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    affine_cfg *c = cfg;
    c->have_translate = aug_opt_given(options, given, "translate");
    c->have_fill = aug_opt_given(options, given, "fill");
    if (!aug_opt_given(options, given, "degrees") && !c->have_translate &&
        !aug_opt_given(options, given, "scale") && !aug_opt_given(options, given, "shear"))
        return aug_fail(err, AUG_ERR_ARG,
                        "give at least one of --degrees, --translate, --scale, --shear");
    if (c->have_fill && c->border != AUG_BORDER_CONSTANT)
        return aug_fail(err, AUG_ERR_ARG, "--fill applies to --border constant only");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const affine_cfg *c = cfg;
    affine_params *p = params;
    (void)err;
    memset(p, 0, sizeof *p);
    /* RandomAffine.get_params' order: angle, translation, scale, shears */
    p->angle = aug_ops_pick(rng, c->degrees);
    if (c->have_translate) {
        double mx = c->translate[0] * in->width, my = c->translate[1] * in->height;
        double r0[2] = {-mx, mx}, r1[2] = {-my, my};
        p->tx = (int)aug_ops_round_even(aug_ops_pick(rng, r0));
        p->ty = (int)aug_ops_round_even(aug_ops_pick(rng, r1));
    }
    p->scale = aug_ops_pick(rng, c->scale);
    p->shear_x = aug_ops_pick(rng, c->shear);
    p->shear_y = aug_ops_pick(rng, c->shear + 2);
    /* torchvision's angle turns clockwise; ours counter-clockwise */
    double cx = in->width * 0.5, cy = in->height * 0.5;
    aug_ops_tv_affine(cx, cy, -p->angle, p->tx, p->ty, p->scale, p->shear_x, p->shear_y, 0,
                      p->fwd);
    aug_ops_tv_affine(cx, cy, -p->angle, p->tx, p->ty, p->scale, p->shear_x, p->shear_y, 1,
                      p->inv_cont);
    aug_ops_affine_to_index(p->inv_cont, p->inv);
    p->interp = c->interp;
    p->border = c->border;
    p->fill = c->fill;
    p->have_fill = c->have_fill;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const affine_params *p = params;
    aug_warp_params wp;
    aug_ops_warp_params(&wp, p->interp, p->border, &p->fill, p->have_fill, src->channels);
    /* RandomAffine's own case, nearest with a fill: PIL's arithmetic, so
     * torchvision's bytes (rotate's exact positions pick a neighbouring
     * pixel here and there) */
    if (p->interp == AUG_INTERP_NEAREST && p->border == AUG_BORDER_CONSTANT)
        return aug_warp_affine_pil(src, dst, src->width, src->height, p->inv_cont, wp.fill, err);
    return aug_warp_affine(src, dst, src->width, src->height, p->inv, &wp, err);
}

static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    (void)in;
    (void)err;
    aug_ops_map_affine(((const affine_params *)params)->fwd, xy, n);
    return AUG_OK;
}

/* Nearest, in the same arithmetic as the image's nearest. */
static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    affine_params m = *(const affine_params *)params;
    m.interp = AUG_INTERP_NEAREST;
    m.have_fill = 1;
    aug_ops_mask_color(o, &m.fill);
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const affine_params *p = params;
    aug_buf_item(out, "angle=%.17g;translate=%d,%d;scale=%.17g;shear=%.17g,%.17g", p->angle,
                 p->tx, p->ty, p->scale, p->shear_x, p->shear_y);
}

const aug_op aug_op_affine = {
    .name = "affine",
    .summary = "rotate, translate, scale and shear in one warp (RandomAffine)",
    .usage = "[--degrees D] [--translate FX,FY] [--scale LO:HI] [--shear X[,Y]]",
    .description = "torchvision's RandomAffine: per output an angle U(--degrees), a shift of\n"
                   "round(U(-FX w, FX w)) by round(U(-FY h, FY h)) pixels, a scale U(--scale)\n"
                   "and shears U(--shear), composed about the centre (w/2, h/2) with its\n"
                   "matrix, in one warp with rotate's samplers. A single value D means -D:D,\n"
                   "as torchvision; LO:HI is the range itself (D:D is exactly D). Positive\n"
                   "angles turn counter-clockwise, as rotate (torchvision's affine() angle\n"
                   "turns clockwise: its angle a is our -a). The default interpolation is\n"
                   "bilinear (RandomAffine's is nearest: --interp nearest, which with the\n"
                   "constant border samples in PIL's arithmetic, giving torchvision's bytes).",
    .options = options,
    .cfg_size = sizeof(affine_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(affine_params),
    .draw = draw,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
