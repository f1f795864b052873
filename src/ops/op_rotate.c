/* rotate: about the centre, counter-clockwise for positive angles, with
 * OpenCV's matrix, interpolations and border modes (src/kernels/rotate.c). */
#include <stddef.h>
#include <string.h>

#include "augment/kernels.h"
#include "augment/ops.h"

static const char *const interp_names[] = {"nearest", "bilinear", "bicubic", NULL};
static const char *const border_names[] = {"constant", "replicate", "reflect",
                                           "reflect101", "wrap", NULL};

typedef struct rotate_cfg {
    double angle;
    double range[2];
    int interp, border, expand;
    aug_color fill;
    int have_range, have_fill;
} rotate_cfg;

typedef struct rotate_params {
    aug_rotate_params p; /* fill resolved per image in apply */
    aug_color fill;
    int have_fill;
} rotate_params;

static const aug_opt options[] = {
    AUG_OPT_DOUBLE_('a', "angle", "DEG", "rotate by DEG degrees (positive = counter-clockwise)",
                    rotate_cfg, angle, -1e6, 1e6),
    AUG_OPT_RANGE_(0, "range", "LO:HI", "a uniform random angle in [LO, HI) per output",
                   rotate_cfg, range, -1e6, 1e6, 0),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest, bilinear (default) or bicubic",
                    rotate_cfg, interp, interp_names),
    AUG_OPT_CHOICE_(0, "border", "MODE", "constant (default), replicate, reflect, reflect101, wrap",
                    rotate_cfg, border, border_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "constant border colour (default 0, transparent)",
                   rotate_cfg, fill),
    AUG_OPT_FLAG_(0, "expand", "grow the canvas to hold the whole rotated image",
                  rotate_cfg, expand),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    rotate_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->interp = AUG_INTERP_BILINEAR;
    c->border = AUG_BORDER_CONSTANT;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    rotate_cfg *c = cfg;
    c->have_range = aug_opt_given(options, given, "range");
    c->have_fill = aug_opt_given(options, given, "fill");
    if (aug_opt_given(options, given, "angle") == c->have_range)
        return aug_fail(err, AUG_ERR_ARG, "give exactly one of --angle DEG or --range LO:HI");
    if (c->have_fill && c->border != AUG_BORDER_CONSTANT)
        return aug_fail(err, AUG_ERR_ARG, "--fill applies to --border constant only");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const rotate_cfg *c = cfg;
    rotate_params *p = params;
    (void)in;
    (void)err;
    aug_rotate_params_default(&p->p);
    p->p.angle = c->have_range ? aug_rng_range(rng, c->range[0], c->range[1]) : c->angle;
    p->p.interp = (aug_interp)c->interp;
    p->p.border = (aug_border)c->border;
    p->p.expand = c->expand;
    p->fill = c->fill;
    p->have_fill = c->have_fill;
    return AUG_OK;
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    *out = *in;
    return aug_rotate_size(in->width, in->height, &((const rotate_params *)params)->p,
                           &out->width, &out->height, err);
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const rotate_params *rp = params;
    aug_rotate_params p = rp->p;
    /* Without --fill the border is all zeros: black, and transparent on
     * images with alpha. */
    if (rp->have_fill)
        aug_color_for(&rp->fill, src->channels, p.fill);
    return aug_rotate(src, dst, &p, err);
}

static void describe(const void *params, aug_buf *out)
{
    aug_buf_item(out, "angle=%.17g", ((const rotate_params *)params)->p.angle);
}

/* Labels: OpenCV's matrix acts on pixel indices; continuous coordinates
 * are those plus one half, in and out. */
static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    double f[6];
    (void)err;
    aug_rotate_matrix(in->width, in->height, &((const rotate_params *)params)->p, f);
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i] - 0.5, y = xy[2 * i + 1] - 0.5;
        xy[2 * i] = f[0] * x + f[1] * y + f[2] + 0.5;
        xy[2 * i + 1] = f[3] * x + f[4] * y + f[5] + 0.5;
    }
    return AUG_OK;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    rotate_params m = *(const rotate_params *)params;
    m.p.interp = AUG_INTERP_NEAREST;
    m.have_fill = 1;
    m.fill = (aug_color){{o->fill, o->fill, o->fill, o->fill}, 1};
    return apply(&m, src, dst, err);
}

/* Quarter turns move pixels without interpolation when the canvas turns
 * with them (--expand, or a square image). */
static int dihedral(const void *params, const aug_geom *in)
{
    const aug_rotate_params *p = &((const rotate_params *)params)->p;
    int q = aug_rotate_quarter(p->angle);
    if (q < 0 || ((q & 1) && !p->expand && in->width != in->height))
        return -1;
    static const int d[] = {AUG_D4_IDENTITY, AUG_D4_ROT90_CCW, AUG_D4_ROT180, AUG_D4_ROT90_CW};
    return d[q];
}

const aug_op aug_op_rotate = {
    .name = "rotate",
    .summary = "rotate images by a fixed or random angle",
    .usage = "(--angle DEG | --range LO:HI)",
    .description = "Rotate each image about its centre ((w-1)/2, (h-1)/2). Positive angles turn\n"
                   "counter-clockwise, as OpenCV and PIL. The size is kept unless --expand;\n"
                   "uncovered areas follow --border. Multiples of 90 degrees move pixels\n"
                   "without interpolation, except 90/270 without --expand when width - height\n"
                   "is odd (the centre then falls between pixels).",
    .options = options,
    .cfg_size = sizeof(rotate_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(rotate_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
    .describe = describe,
    .dihedral = dihedral,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
