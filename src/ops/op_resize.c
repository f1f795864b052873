/* resize: to a size, by a factor, or by one side keeping the aspect
 * (torchvision Resize), resampled as PIL's Image.resize with its filters
 * and its antialiasing when shrinking (src/kernels/resample.c). */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "ops/common.h"

typedef struct resize_cfg {
    int size[2];
    double scale;
    int short_side, long_side;
    int interp, no_antialias;
    int mode; /* which of the four was given */
} resize_cfg;

enum { BY_SIZE, BY_SCALE, BY_SHORT, BY_LONG };

typedef struct resize_params {
    /* input w x h to output w x h: a point (x, y) in continuous coordinates
     * moves to (x * out_w / in_w, y * out_h / in_h) */
    int in_w, in_h, w, h;
    int filter, antialias;
} resize_params;

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "size", "WxH|S", "resize to WxH (S: SxS)", resize_cfg, size,
                    aug_ops_parse_size),
    AUG_OPT_DOUBLE_(0, "scale", "F", "multiply both sides by F (rounded)", resize_cfg, scale,
                    1e-6, 1e4),
    AUG_OPT_INT_(0, "short-side", "S", "the shorter side becomes S, keeping the aspect",
                 resize_cfg, short_side, 1, AUG_OPS_MAX_SIDE),
    AUG_OPT_INT_(0, "long-side", "S", "the longer side becomes S, keeping the aspect",
                 resize_cfg, long_side, 1, AUG_OPS_MAX_SIDE),
    AUG_OPT_CHOICE_(0, "interp", "NAME",
                    "nearest, bilinear (default), bicubic, area or lanczos (PIL's filters)",
                    resize_cfg, interp, aug_ops_filter_names),
    AUG_OPT_FLAG_(0, "no-antialias", "keep the filter's own width when shrinking (OpenCV-like)",
                  resize_cfg, no_antialias),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    resize_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->interp = AUG_FILTER_BILINEAR;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    resize_cfg *c = cfg;
    static const char *const names[] = {"size", "scale", "short-side", "long-side"};
    int n = 0;
    for (int i = 0; i < 4; i++)
        if (aug_opt_given(options, given, names[i])) {
            c->mode = i;
            n++;
        }
    if (n != 1)
        return aug_fail(err, AUG_ERR_ARG,
                        "give exactly one of --size WxH, --scale F, --short-side S, --long-side S");
    if (c->no_antialias && c->interp == AUG_FILTER_NEAREST)
        return aug_fail(err, AUG_ERR_ARG, "--no-antialias does not apply to --interp nearest");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const resize_cfg *c = cfg;
    resize_params *p = params;
    (void)rng;
    int64_t w = in->width, h = in->height;
    switch (c->mode) {
    case BY_SIZE:
        w = c->size[0];
        h = c->size[1];
        break;
    case BY_SCALE:
        w = (int64_t)floor(in->width * c->scale + 0.5);
        h = (int64_t)floor(in->height * c->scale + 0.5);
        w = w < 1 ? 1 : w;
        h = h < 1 ? 1 : h;
        break;
    default: {
        /* torchvision: the other side is int(S * long / short), truncated */
        int wide = in->width > in->height;
        int64_t shorter = wide ? in->height : in->width, longer = wide ? in->width : in->height;
        int64_t ns, nl;
        if (c->mode == BY_SHORT) {
            ns = c->short_side;
            nl = (int64_t)((double)c->short_side * (double)longer / (double)shorter);
        } else {
            nl = c->long_side;
            ns = (int64_t)((double)c->long_side * (double)shorter / (double)longer);
        }
        ns = ns < 1 ? 1 : ns;
        nl = nl < 1 ? 1 : nl;
        w = wide ? nl : ns;
        h = wide ? ns : nl;
        break;
    }
    }
    aug_status st = aug_ops_check_size("resize", w, h, err);
    if (st)
        return st;
    *p = (resize_params){in->width, in->height, (int)w, (int)h, c->interp, !c->no_antialias};
    return AUG_OK;
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    const resize_params *p = params;
    (void)err;
    *out = *in;
    out->width = p->w;
    out->height = p->h;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const resize_params *p = params;
    aug_resample_params rp;
    aug_resample_params_default(&rp);
    rp.filter = (aug_filter)p->filter;
    rp.antialias = p->antialias;
    return aug_resample(src, dst, p->w, p->h, &rp, err);
}

static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    const resize_params *p = params;
    double sx = (double)p->w / in->width, sy = (double)p->h / in->height;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] *= sx;
        xy[2 * i + 1] *= sy;
    }
    return AUG_OK;
}

/* PIL's nearest: output pixel i takes input floor((i + 0.5) * in / out). */
static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    resize_params m = *(const resize_params *)params;
    (void)o;
    m.filter = AUG_FILTER_NEAREST;
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const resize_params *p = params;
    aug_buf_item(out, "size=%dx%d", p->w, p->h);
}

const aug_op aug_op_resize = {
    .name = "resize",
    .summary = "resize to a size, by a factor, or by its short or long side",
    .usage = "(--size WxH|S | --scale F | --short-side S | --long-side S) [--interp NAME]",
    .description = "Resize each image as PIL's Image.resize, which torchvision's Resize calls\n"
                   "on PIL images: bit for bit the same bytes. --short-side S is torchvision's\n"
                   "Resize(S) (the other side int(S * long / short)); --long-side S makes the\n"
                   "longer side S the same way; --scale F rounds each side to the nearest\n"
                   "pixel. Shrinking widens the filter by the scale, so every input pixel\n"
                   "counts (antialiasing, as PIL; --no-antialias gives OpenCV's and torch's\n"
                   "unantialiased sampling). area is PIL's BOX filter, bicubic PIL's a = -0.5.\n"
                   "Images with alpha are resized premultiplied, as PIL does.",
    .options = options,
    .cfg_size = sizeof(resize_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(resize_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
