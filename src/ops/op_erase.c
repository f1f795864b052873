/* erase: Random Erasing (Zhong et al. 2017) with torchvision's
 * RandomErasing parameters and defaults (src/kernels/erase.c). */
#include <stddef.h>
#include <string.h>

#include "augment/kernels.h"
#include "augment/ops.h"

#define MAX_RECTS 1000

typedef struct erase_value {
    int fill; /* aug_erase_fill */
    aug_color color;
} erase_value;

typedef struct erase_cfg {
    double scale[2], ratio[2];
    int count, attempts;
    erase_value value;
} erase_cfg;

typedef struct erase_params {
    int count;
    erase_value value;
    aug_rect rects[MAX_RECTS];
    /* A random fill draws each rectangle's samples from the stream as it
     * stood after that rectangle was drawn (the standalone kernel's order). */
    aug_rng streams[MAX_RECTS];
} erase_params;

static aug_status parse_value(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    erase_value *v = dst;
    if (strcmp(arg, "random") == 0) {
        v->fill = AUG_ERASE_RANDOM;
        return AUG_OK;
    }
    if (strcmp(arg, "mean") == 0) {
        v->fill = AUG_ERASE_MEAN;
        return AUG_OK;
    }
    /* A colour, parsed as any colour option would be. */
    aug_opt as_color = *o;
    as_color.kind = AUG_OPT_COLOR;
    as_color.offset = 0;
    aug_color c;
    aug_status st = aug_opt_value(&as_color, arg, &c, err);
    if (st)
        return aug_fail(err, st, "--%s: '%s' is not 0, R,G,B, random or mean", o->name, arg);
    if (c.n == 4)
        return aug_fail(err, AUG_ERR_ARG, "--%s: alpha is never erased; give V or R,G,B", o->name);
    v->fill = AUG_ERASE_CONSTANT;
    v->color = c;
    return AUG_OK;
}

static const aug_opt options[] = {
    AUG_OPT_RANGE_(0, "scale", "LO:HI", "erased area / image area (default 0.02:0.33)",
                   erase_cfg, scale, 0, 1, AUG_OPT_ABOVE_LO),
    AUG_OPT_RANGE_(0, "ratio", "LO:HI", "aspect ratio h/w, log-uniform (default 0.3:3.3)",
                   erase_cfg, ratio, 0, 1e6, AUG_OPT_ABOVE_LO),
    AUG_OPT_CUSTOM_(0, "value", "V", "0 (default), R,G,B, random (noise) or mean (image mean)",
                    erase_cfg, value, parse_value),
    AUG_OPT_INT_(0, "count", "N", "rectangles per image (default 1)", erase_cfg, count, 1,
                 MAX_RECTS),
    AUG_OPT_INT_(0, "attempts", "N", "tries per rectangle before giving up (default 10)",
                 erase_cfg, attempts, 1, 1000),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    erase_cfg *c = cfg;
    aug_erase_params d;
    aug_erase_params_default(&d);
    *c = (erase_cfg){.scale = {d.scale_lo, d.scale_hi}, .ratio = {d.ratio_lo, d.ratio_hi},
                     .count = d.count, .attempts = d.attempts,
                     .value = {AUG_ERASE_CONSTANT, {{0, 0, 0, 0}, 1}}};
}

static void kernel_params(const erase_cfg *c, aug_erase_params *p)
{
    aug_erase_params_default(p);
    p->scale_lo = c->scale[0];
    p->scale_hi = c->scale[1];
    p->ratio_lo = c->ratio[0];
    p->ratio_hi = c->ratio[1];
    p->attempts = c->attempts;
    p->count = c->count;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const erase_cfg *c = cfg;
    erase_params *ep = params;
    aug_erase_params p;
    (void)err;
    kernel_params(c, &p);
    ep->count = c->count;
    ep->value = c->value;
    int cc = in->channels == 2 || in->channels == 4 ? in->channels - 1 : in->channels;
    for (int i = 0; i < c->count; i++) {
        aug_rect r = aug_erase_sample(in->width, in->height, &p, rng);
        ep->rects[i] = r;
        if (c->value.fill != AUG_ERASE_RANDOM)
            continue;
        ep->streams[i] = *rng;
        /* Step over the fill's draws (ceil(w * cc / 8) per row, see
         * fill_rect) so that the next rectangle is drawn where the
         * standalone kernel draws it. */
        if (i + 1 < c->count && r.w > 0)
            for (size_t k = (size_t)r.h * (((size_t)r.w * (size_t)cc + 7) / 8); k > 0; k--)
                aug_rng_u64(rng);
    }
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    const erase_params *ep = params;
    uint8_t v[4];
    aug_color_for(&ep->value.color, img->channels, v);
    aug_rng streams[MAX_RECTS];
    if (ep->value.fill == AUG_ERASE_RANDOM)
        memcpy(streams, ep->streams, (size_t)ep->count * sizeof *streams);
    return aug_erase_rects(img, ep->rects, ep->count, (aug_erase_fill)ep->value.fill, v,
                           streams, err);
}

/* Masks are erased only on request (--erase-masks): the rectangles take
 * the mask's fill. Points do not move. */
static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    const erase_params *ep = params;
    aug_status st = aug_image_alloc(dst, src->width, src->height, src->channels, err);
    if (st)
        return st;
    memcpy(dst->data, src->data, aug_image_size(src));
    if (!o->erase)
        return AUG_OK;
    uint8_t v[4] = {o->fill, o->fill, o->fill, o->fill};
    if ((st = aug_erase_rects(dst, ep->rects, ep->count, AUG_ERASE_CONSTANT, v, NULL, err)))
        aug_image_free(dst);
    return st;
}

static void describe(const void *params, aug_buf *out)
{
    const erase_params *ep = params;
    for (int i = 0; i < ep->count; i++)
        aug_buf_item(out, "rect=%d,%d,%d,%d", ep->rects[i].x, ep->rects[i].y, ep->rects[i].w,
                     ep->rects[i].h);
}

const aug_op aug_op_erase = {
    .name = "erase",
    .summary = "erase random rectangles (Random Erasing)",
    .usage = "[--scale LO:HI] [--ratio LO:HI] [--value V] [--count N]",
    .description = "Erase random rectangles as torchvision's RandomErasing: area = U(scale) of\n"
                   "the image, aspect log-uniform in ratio, up to --attempts tries each; an image\n"
                   "where every try fails is left as it is. Alpha is untouched. The manifest\n"
                   "records each rectangle as x,y,w,h (0,0,0,0 when none fitted).",
    .options = options,
    .cfg_size = sizeof(erase_cfg),
    .init = init,
    .params_size = sizeof(erase_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
    .apply_mask = apply_mask,
};
