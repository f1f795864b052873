/* pad: add margins (torchvision Pad), or pad up to a size, centred
 * (albumentations PadIfNeeded), with OpenCV's five border rules
 * (src/kernels/crop.c: a pad is a crop with a negative offset). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ops/common.h"

typedef struct pad_cfg {
    int pad[4]; /* left, top, right, bottom */
    int to[2];
    int border;
    aug_color fill;
    int have_pad, have_fill;
} pad_cfg;

typedef struct pad_params {
    /* output pixel (i, j) is input pixel (i - left, j - top) */
    int left, top, right, bottom;
    int border, have_fill;
    aug_color fill;
} pad_params;

/* "N" (every side), "H,V" (left/right, top/bottom) or "L,T,R,B", as
 * torchvision's padding argument. */
static aug_status parse_pad(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    int *p = dst, v[4], n = 0;
    const char *s = arg;
    while (n < 4) {
        char *end;
        errno = 0;
        long x = strtol(s, &end, 10);
        if (errno || end == s || *s < '0' || *s > '9' || x > AUG_OPS_MAX_SIDE)
            break;
        v[n++] = (int)x;
        s = end;
        if (*s == '\0') {
            if (n == 3)
                break;
            int l = v[0], t = n > 1 ? v[1] : v[0];
            p[0] = l;
            p[1] = t;
            p[2] = n == 4 ? v[2] : l;
            p[3] = n == 4 ? v[3] : t;
            return AUG_OK;
        }
        if (*s++ != ',')
            break;
    }
    return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not N, H,V or L,T,R,B with values 0..%d",
                    o->name, arg, AUG_OPS_MAX_SIDE);
}

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "pad", "N|H,V|L,T,R,B", "margins in pixels (torchvision Pad)", pad_cfg, pad,
                    parse_pad),
    AUG_OPT_CUSTOM_(0, "to", "WxH|S", "pad up to at least this size, centred", pad_cfg, to,
                    aug_ops_parse_size),
    AUG_OPT_CHOICE_(0, "border", "MODE", "constant (default), replicate, reflect, reflect101, wrap",
                    pad_cfg, border, aug_ops_border_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "constant border colour (default 0, transparent)",
                   pad_cfg, fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    memset(cfg, 0, sizeof(pad_cfg));
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    pad_cfg *c = cfg;
    c->have_pad = aug_opt_given(options, given, "pad");
    c->have_fill = aug_opt_given(options, given, "fill");
    if (c->have_pad == aug_opt_given(options, given, "to"))
        return aug_fail(err, AUG_ERR_ARG, "give exactly one of --pad N|H,V|L,T,R,B or --to WxH");
    if (c->have_fill && c->border != AUG_BORDER_CONSTANT)
        return aug_fail(err, AUG_ERR_ARG, "--fill applies to --border constant only");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const pad_cfg *c = cfg;
    pad_params *p = params;
    (void)rng;
    memset(p, 0, sizeof *p);
    if (c->have_pad) {
        p->left = c->pad[0];
        p->top = c->pad[1];
        p->right = c->pad[2];
        p->bottom = c->pad[3];
    } else {
        int dw = c->to[0] > in->width ? c->to[0] - in->width : 0;
        int dh = c->to[1] > in->height ? c->to[1] - in->height : 0;
        p->left = dw / 2;
        p->right = dw - dw / 2;
        p->top = dh / 2;
        p->bottom = dh - dh / 2;
    }
    p->border = c->border;
    p->fill = c->fill;
    p->have_fill = c->have_fill;
    return aug_ops_check_size("pad", (int64_t)in->width + p->left + p->right,
                              (int64_t)in->height + p->top + p->bottom, err);
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    const pad_params *p = params;
    (void)err;
    *out = *in;
    out->width = in->width + p->left + p->right;
    out->height = in->height + p->top + p->bottom;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const pad_params *p = params;
    aug_warp_params wp;
    aug_ops_warp_params(&wp, 0, p->border, &p->fill, p->have_fill, src->channels);
    return aug_crop(src, dst, -p->left, -p->top, src->width + p->left + p->right,
                    src->height + p->top + p->bottom, (aug_border)p->border, wp.fill, err);
}

static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    const pad_params *p = params;
    (void)in;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] += p->left;
        xy[2 * i + 1] += p->top;
    }
    return AUG_OK;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    pad_params m = *(const pad_params *)params;
    m.have_fill = 1;
    aug_ops_mask_color(o, &m.fill);
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const pad_params *p = params;
    aug_buf_item(out, "pad=%d,%d,%d,%d", p->left, p->top, p->right, p->bottom);
}

const aug_op aug_op_pad = {
    .name = "pad",
    .summary = "add margins, or pad up to a size",
    .usage = "(--pad N|H,V|L,T,R,B | --to WxH|S) [--border MODE] [--fill V]",
    .description = "Add margins to each image (torchvision Pad: one value for every side, two\n"
                   "for left/right and top/bottom, or four), or pad it up to at least WxH with\n"
                   "the image centred (albumentations PadIfNeeded; left = (W - w) / 2 rounded\n"
                   "down). The margins follow --border with OpenCV's names; torchvision's\n"
                   "edge, symmetric and reflect are replicate, reflect and reflect101 here.\n"
                   "The manifest records pad=left,top,right,bottom.",
    .options = options,
    .cfg_size = sizeof(pad_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(pad_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
