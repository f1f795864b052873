/* elastic: torchvision's ElasticTransform (Simard et al. 2003, as imgaug's
 * ElasticTransformation): a smoothed random displacement per pixel
 * (src/kernels/elastic.c), sampled with rotate's samplers (aug_remap). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops/common.h"

typedef struct elastic_cfg {
    double alpha[2], sigma[2];
    int interp, border;
    aug_color fill;
    int have_fill;
} elastic_cfg;

typedef struct elastic_params {
    double alpha, sigma;
    /* The field is drawn when applied, from this stream as it stood after
     * the parameters were drawn: aug_elastic_field(w, h, alpha, sigma,
     * &field) rebuilds it, for the image or for anything that moves with
     * it (output pixel (x, y) reads the input at (x + dx, y + dy)). */
    aug_rng field;
    int interp, border, have_fill;
    aug_color fill;
} elastic_params;

static const aug_opt options[] = {
    AUG_OPT_RANGE_(0, "alpha", "A|LO:HI", "strength of the displacement (default 50)",
                   elastic_cfg, alpha, 0, 1e5, 0),
    AUG_OPT_RANGE_(0, "sigma", "S|LO:HI", "smoothness: the gaussian's sigma (default 5)",
                   elastic_cfg, sigma, 0, 100, 0),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest, bilinear (default) or bicubic", elastic_cfg,
                    interp, aug_ops_interp_names),
    AUG_OPT_CHOICE_(0, "border", "MODE", "constant (default), replicate, reflect, reflect101, wrap",
                    elastic_cfg, border, aug_ops_border_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "constant border colour (default 0, transparent)",
                   elastic_cfg, fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    elastic_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->alpha[0] = c->alpha[1] = 50.0;
    c->sigma[0] = c->sigma[1] = 5.0;
    c->interp = AUG_INTERP_BILINEAR;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    elastic_cfg *c = cfg;
    c->have_fill = aug_opt_given(options, given, "fill");
    if (c->have_fill && c->border != AUG_BORDER_CONSTANT)
        return aug_fail(err, AUG_ERR_ARG, "--fill applies to --border constant only");
    return AUG_OK;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const elastic_cfg *c = cfg;
    elastic_params *p = params;
    (void)in;
    (void)err;
    memset(p, 0, sizeof *p);
    p->alpha = aug_ops_pick(rng, c->alpha);
    p->sigma = aug_ops_pick(rng, c->sigma);
    p->field = *rng;
    p->interp = c->interp;
    p->border = c->border;
    p->fill = c->fill;
    p->have_fill = c->have_fill;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const elastic_params *p = params;
    int w = src->width, h = src->height;
    size_t n = (size_t)w * (size_t)h;
    float *mx = malloc(n * sizeof *mx), *my = malloc(n * sizeof *my);
    aug_rng rng = p->field;
    aug_status st = !mx || !my ? aug_fail(err, AUG_ERR_NOMEM,
                                          "elastic: out of memory allocating a %dx%d field", w, h)
                               : aug_elastic_field(w, h, p->alpha, p->sigma, &rng, mx, my, err);
    if (!st) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                size_t i = (size_t)y * (size_t)w + (size_t)x;
                mx[i] += (float)x;
                my[i] += (float)y;
            }
        aug_warp_params wp;
        aug_ops_warp_params(&wp, p->interp, p->border, &p->fill, p->have_fill, src->channels);
        st = aug_remap(src, dst, w, h, mx, my, &wp, err);
    }
    free(mx);
    free(my);
    return st;
}

/* The field at a pixel-index position, bilinear between pixel centres and
 * held constant past the edges. */
static void field_at(const float *dx, const float *dy, int w, int h, double x, double y,
                     double *u, double *v)
{
    x = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
    y = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    double fx = x - x0, fy = y - y0;
    size_t i00 = (size_t)y0 * (size_t)w + (size_t)x0, i01 = (size_t)y0 * (size_t)w + (size_t)x1;
    size_t i10 = (size_t)y1 * (size_t)w + (size_t)x0, i11 = (size_t)y1 * (size_t)w + (size_t)x1;
    *u = (1 - fy) * ((1 - fx) * dx[i00] + fx * dx[i01]) + fy * ((1 - fx) * dx[i10] + fx * dx[i11]);
    *v = (1 - fy) * ((1 - fx) * dy[i00] + fx * dy[i01]) + fy * ((1 - fx) * dy[i10] + fx * dy[i11]);
}

/* Labels: the image's output pixel q reads the input at q + d(q), so a
 * point p of the input goes to the q that solves q + d(q) = p. Solved by
 * the fixed-point iteration q <- p - d(q) from q = p (albumentations takes
 * its first step only), which converges while the field is smooth (a
 * gradient below 1); after 50 steps the last is kept. */
static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    const elastic_params *p = params;
    int w = in->width, h = in->height;
    size_t np = (size_t)w * (size_t)h;
    if (n == 0)
        return AUG_OK;
    float *dx = malloc(np * sizeof *dx), *dy = malloc(np * sizeof *dy);
    aug_rng rng = p->field;
    aug_status st = !dx || !dy ? aug_fail(err, AUG_ERR_NOMEM,
                                          "elastic: out of memory allocating a %dx%d field", w, h)
                               : aug_elastic_field(w, h, p->alpha, p->sigma, &rng, dx, dy, err);
    for (size_t i = 0; !st && i < n; i++) {
        double px = xy[2 * i] - 0.5, py = xy[2 * i + 1] - 0.5, qx = px, qy = py;
        for (int k = 0; k < 50; k++) {
            double u, v;
            field_at(dx, dy, w, h, qx, qy, &u, &v);
            double nx = px - u, ny = py - v;
            double moved = fabs(nx - qx) + fabs(ny - qy);
            qx = nx;
            qy = ny;
            if (moved < 1e-7)
                break;
        }
        xy[2 * i] = qx + 0.5;
        xy[2 * i + 1] = qy + 0.5;
    }
    free(dx);
    free(dy);
    return st;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    elastic_params m = *(const elastic_params *)params;
    m.interp = AUG_INTERP_NEAREST;
    m.have_fill = 1;
    aug_ops_mask_color(o, &m.fill);
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const elastic_params *p = params;
    aug_buf_item(out, "alpha=%.17g;sigma=%.17g", p->alpha, p->sigma);
}

const aug_op aug_op_elastic = {
    .name = "elastic",
    .summary = "a smooth random deformation (ElasticTransform)",
    .usage = "[--alpha A] [--sigma S]",
    .description = "torchvision's ElasticTransform: per pixel a displacement drawn uniformly\n"
                   "in [-1, 1) for x and for y, each field blurred by a gaussian of --sigma\n"
                   "(kernel int(8 sigma + 1), made odd) and scaled as torchvision scales it:\n"
                   "alpha / 2 pixels per unit on a square image (x by alpha w / 2h, y by\n"
                   "alpha h / 2w otherwise), so imgaug's ElasticTransformation(alpha, sigma)\n"
                   "is --alpha 2*alpha here on square images. Values given as LO:HI are\n"
                   "drawn per output. The field follows from the seed, so it can be rebuilt.",
    .options = options,
    .cfg_size = sizeof(elastic_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(elastic_params),
    .draw = draw,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
    .bends_lines = 1,
};
