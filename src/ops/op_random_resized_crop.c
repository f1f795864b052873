/* random-resized-crop: torchvision's RandomResizedCrop, the first line of
 * the usual ImageNet training recipe: a window of random area and aspect,
 * then resized (PIL's resize, as op_resize.c) to the size asked for. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "ops/common.h"
#include "core/dmath.h"

#define ATTEMPTS 10

typedef struct rrc_cfg {
    int size[2];
    double scale[2], ratio[2];
    int interp, no_antialias;
} rrc_cfg;

typedef struct rrc_params {
    /* the window (x, y, cw, ch) in the input's pixels, resized to w x h: a
     * point (px, py) moves to ((px - x) * w / cw, (py - y) * h / ch) */
    int x, y, cw, ch, w, h;
    int filter, antialias;
} rrc_params;

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "size", "WxH|S", "the output's size (required)", rrc_cfg, size,
                    aug_ops_parse_size),
    AUG_OPT_RANGE_(0, "scale", "LO:HI", "window area / image area (default 0.08:1)", rrc_cfg,
                   scale, 0, 1, AUG_OPT_ABOVE_LO),
    AUG_OPT_RANGE_(0, "ratio", "LO:HI", "window aspect w/h, log-uniform (default 0.75:1.3333)",
                   rrc_cfg, ratio, 0, 1e3, AUG_OPT_ABOVE_LO),
    AUG_OPT_CHOICE_(0, "interp", "NAME",
                    "nearest, bilinear (default), bicubic, area or lanczos (PIL's filters)",
                    rrc_cfg, interp, aug_ops_filter_names),
    AUG_OPT_FLAG_(0, "no-antialias", "keep the filter's own width when shrinking", rrc_cfg,
                  no_antialias),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    rrc_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->scale[0] = 0.08;
    c->scale[1] = 1.0;
    c->ratio[0] = 3.0 / 4.0;
    c->ratio[1] = 4.0 / 3.0;
    c->interp = AUG_FILTER_BILINEAR;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    rrc_cfg *c = cfg;
    if (!aug_opt_given(options, given, "size"))
        return aug_fail(err, AUG_ERR_ARG, "give the output's size: --size WxH or --size S");
    if (c->no_antialias && c->interp == AUG_FILTER_NEAREST)
        return aug_fail(err, AUG_ERR_ARG, "--no-antialias does not apply to --interp nearest");
    return AUG_OK;
}

/* RandomResizedCrop.get_params, with Python's round(). */
static void window(const rrc_cfg *c, aug_rng *rng, int W, int H, int *x, int *y, int *w, int *h)
{
    double area = (double)W * (double)H;
    double lr0 = aug_log(c->ratio[0]), lr1 = aug_log(c->ratio[1]);
    for (int k = 0; k < ATTEMPTS; k++) {
        double target = area * aug_rng_range(rng, c->scale[0], c->scale[1]);
        double aspect = aug_exp(aug_rng_range(rng, lr0, lr1));
        double fw = aug_ops_round_even(sqrt(target * aspect));
        double fh = aug_ops_round_even(sqrt(target / aspect));
        if (fw > 0 && fw <= W && fh > 0 && fh <= H) {
            *w = (int)fw;
            *h = (int)fh;
            *y = aug_ops_pick_int(rng, 0, H - *h);
            *x = aug_ops_pick_int(rng, 0, W - *w);
            return;
        }
    }
    /* the centre crop, clamped to the ratio range */
    double in_ratio = (double)W / (double)H;
    if (in_ratio < c->ratio[0]) {
        *w = W;
        *h = (int)aug_ops_round_even(*w / c->ratio[0]);
    } else if (in_ratio > c->ratio[1]) {
        *h = H;
        *w = (int)aug_ops_round_even(*h * c->ratio[1]);
    } else {
        *w = W;
        *h = H;
    }
    *w = *w < 1 ? 1 : *w > W ? W : *w;
    *h = *h < 1 ? 1 : *h > H ? H : *h;
    *y = (H - *h) / 2;
    *x = (W - *w) / 2;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const rrc_cfg *c = cfg;
    rrc_params *p = params;
    (void)err;
    memset(p, 0, sizeof *p);
    window(c, rng, in->width, in->height, &p->x, &p->y, &p->cw, &p->ch);
    p->w = c->size[0];
    p->h = c->size[1];
    p->filter = c->interp;
    p->antialias = !c->no_antialias;
    return AUG_OK;
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    const rrc_params *p = params;
    (void)err;
    *out = *in;
    out->width = p->w;
    out->height = p->h;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const rrc_params *p = params;
    /* crop, then resize the crop: a resize box would let the filter read
     * past the window's edges, which torchvision's crop-then-resize does not */
    aug_image win = {0};
    aug_status st = aug_crop(src, &win, p->x, p->y, p->cw, p->ch, AUG_BORDER_REPLICATE, NULL,
                             err);
    if (st)
        return st;
    aug_resample_params rp;
    aug_resample_params_default(&rp);
    rp.filter = (aug_filter)p->filter;
    rp.antialias = p->antialias;
    st = aug_resample(&win, dst, p->w, p->h, &rp, err);
    aug_image_free(&win);
    return st;
}

static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    const rrc_params *p = params;
    double sx = (double)p->w / p->cw, sy = (double)p->h / p->ch;
    (void)in;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = (xy[2 * i] - p->x) * sx;
        xy[2 * i + 1] = (xy[2 * i + 1] - p->y) * sy;
    }
    return AUG_OK;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    rrc_params m = *(const rrc_params *)params;
    (void)o;
    m.filter = AUG_FILTER_NEAREST;
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const rrc_params *p = params;
    aug_buf_item(out, "box=%d,%d,%d,%d", p->x, p->y, p->cw, p->ch);
}

const aug_op aug_op_random_resized_crop = {
    .name = "random-resized-crop",
    .summary = "a window of random area and aspect, resized (RandomResizedCrop)",
    .usage = "--size WxH|S [--scale LO:HI] [--ratio LO:HI]",
    .description = "torchvision's RandomResizedCrop: up to 10 tries of a window whose area is\n"
                   "U(--scale) of the image and whose aspect w/h is log-uniform in --ratio,\n"
                   "sides rounded, placed uniformly where it fits; if none fits, the centred\n"
                   "window of the image clamped to the ratio range. The window is resized to\n"
                   "--size as resize does (PIL's filters, antialiased). The manifest records\n"
                   "box=x,y,w,h of the window in the input's pixels.",
    .options = options,
    .cfg_size = sizeof(rrc_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(rrc_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
