/* crop: a window of a fixed size, centred (torchvision CenterCrop), at a
 * random place (RandomCrop) or at a given place, padded where it reaches
 * past the image when --pad-if-needed (src/kernels/crop.c). */
#include <stddef.h>
#include <string.h>

#include "ops/common.h"

enum { POS_CENTER, POS_RANDOM, POS_AT };

typedef struct crop_pos {
    int mode;
    int xy[2];
} crop_pos;

typedef struct crop_cfg {
    int size[2];
    crop_pos pos;
    int pad, border;
    aug_color fill;
    int have_fill;
} crop_cfg;

typedef struct crop_params {
    /* the window in the input's pixels: output pixel (i, j) is input pixel
     * (x + i, y + j), so a point moves by (-x, -y) */
    int x, y, w, h;
    int border, have_fill;
    aug_color fill;
} crop_params;

static aug_status parse_pos(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    crop_pos *p = dst;
    if (strcmp(arg, "center") == 0 || strcmp(arg, "centre") == 0) {
        p->mode = POS_CENTER;
        return AUG_OK;
    }
    if (strcmp(arg, "random") == 0) {
        p->mode = POS_RANDOM;
        return AUG_OK;
    }
    aug_status st = aug_ops_parse_point(o, arg, p->xy, err);
    if (st)
        return aug_fail(err, st, "--%s: '%s' is not center, random or X,Y", o->name, arg);
    p->mode = POS_AT;
    return AUG_OK;
}

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "size", "WxH|S", "the window's size (required)", crop_cfg, size,
                    aug_ops_parse_size),
    AUG_OPT_CUSTOM_(0, "position", "P", "center (default), random, or X,Y of its top-left corner",
                    crop_cfg, pos, parse_pos),
    AUG_OPT_FLAG_(0, "pad-if-needed", "pad where the window reaches past the image", crop_cfg,
                  pad),
    AUG_OPT_CHOICE_(0, "border", "MODE",
                    "with --pad-if-needed: constant (default), replicate, reflect, reflect101, wrap",
                    crop_cfg, border, aug_ops_border_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "constant border colour (default 0, transparent)",
                   crop_cfg, fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    memset(cfg, 0, sizeof(crop_cfg));
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    crop_cfg *c = cfg;
    c->have_fill = aug_opt_given(options, given, "fill");
    if (!aug_opt_given(options, given, "size"))
        return aug_fail(err, AUG_ERR_ARG, "give the window's size: --size WxH or --size S");
    if (!c->pad && (aug_opt_given(options, given, "border") || c->have_fill))
        return aug_fail(err, AUG_ERR_ARG, "--border and --fill apply with --pad-if-needed only");
    if (c->have_fill && c->border != AUG_BORDER_CONSTANT)
        return aug_fail(err, AUG_ERR_ARG, "--fill applies to --border constant only");
    return AUG_OK;
}

/* One axis: where the window of n starts in an image of len. */
static int place(const crop_cfg *c, aug_rng *rng, int len, int n, int at)
{
    if (c->pos.mode == POS_AT)
        return at;
    if (n > len) /* padded: CenterCrop pads (d/2, d - d/2); RandomCrop d each side */
        return c->pos.mode == POS_CENTER ? -((n - len) / 2) : -aug_ops_pick_int(rng, 0, n - len);
    if (c->pos.mode == POS_CENTER)
        return (int)aug_ops_round_even((len - n) / 2.0); /* int(round(...)) */
    return aug_ops_pick_int(rng, 0, len - n);
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const crop_cfg *c = cfg;
    crop_params *p = params;
    int w = c->size[0], h = c->size[1];
    if (!c->pad) {
        if (w > in->width || h > in->height)
            return aug_fail(err, AUG_ERR_ARG,
                            "crop: the %dx%d window is larger than the %dx%d image "
                            "(--pad-if-needed pads it)", w, h, in->width, in->height);
        if (c->pos.mode == POS_AT &&
            (c->pos.xy[0] < 0 || c->pos.xy[1] < 0 || (int64_t)c->pos.xy[0] + w > in->width ||
             (int64_t)c->pos.xy[1] + h > in->height))
            return aug_fail(err, AUG_ERR_ARG,
                            "crop: the %dx%d window at %d,%d reaches past the %dx%d image "
                            "(--pad-if-needed pads it)", w, h, c->pos.xy[0], c->pos.xy[1],
                            in->width, in->height);
    }
    memset(p, 0, sizeof *p);
    /* RandomCrop draws the row, then the column, and nothing when the
     * window is the whole image */
    int random_whole = c->pos.mode == POS_RANDOM && w == in->width && h == in->height;
    p->y = random_whole ? 0 : place(c, rng, in->height, h, c->pos.xy[1]);
    p->x = random_whole ? 0 : place(c, rng, in->width, w, c->pos.xy[0]);
    p->w = w;
    p->h = h;
    p->border = c->border;
    p->fill = c->fill;
    p->have_fill = c->have_fill;
    return AUG_OK;
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    const crop_params *p = params;
    (void)err;
    *out = *in;
    out->width = p->w;
    out->height = p->h;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const crop_params *p = params;
    aug_warp_params wp;
    aug_ops_warp_params(&wp, 0, p->border, &p->fill, p->have_fill, src->channels);
    return aug_crop(src, dst, p->x, p->y, p->w, p->h, (aug_border)p->border, wp.fill, err);
}

static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    const crop_params *p = params;
    (void)in;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] -= p->x;
        xy[2 * i + 1] -= p->y;
    }
    return AUG_OK;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    crop_params m = *(const crop_params *)params;
    m.have_fill = 1;
    aug_ops_mask_color(o, &m.fill);
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const crop_params *p = params;
    aug_buf_item(out, "box=%d,%d,%d,%d", p->x, p->y, p->w, p->h);
}

const aug_op aug_op_crop = {
    .name = "crop",
    .summary = "cut a window of a fixed size: centred, random or placed",
    .usage = "--size WxH|S [--position center|random|X,Y] [--pad-if-needed]",
    .description = "Cut a WxH window (torchvision CenterCrop / RandomCrop): centred (default),\n"
                   "at a uniformly random place, or with its top-left corner at X,Y. A window\n"
                   "larger than the image, or reaching past it, is an error unless\n"
                   "--pad-if-needed, which fills the outside by --border (torchvision's\n"
                   "pad_if_needed: a centred window pads both sides evenly, a random one\n"
                   "pads each side by the shortfall). The manifest records box=x,y,w,h in\n"
                   "the input's pixels.",
    .options = options,
    .cfg_size = sizeof(crop_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(crop_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
