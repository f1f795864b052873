/* perspective: torchvision's RandomPerspective. Each corner moves inwards
 * by a random amount up to --distortion of half the side; the homography
 * that takes the moved corners back to the original ones is solved as
 * torchvision's _get_perspective_coeffs does, and the image is sampled
 * through it with rotate's samplers (aug_warp_perspective). */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "ops/common.h"

typedef struct persp_cfg {
    double distortion;
    int interp, border;
    aug_color fill;
    int have_fill;
} persp_cfg;

typedef struct persp_params {
    int corners[8]; /* where the corners go: top-left, top-right, bottom-right, bottom-left */
    /* input -> output in continuous coordinates, row-major 3x3 (for
     * points and boxes): (x', y', w') = fwd (x, y, 1), divided by w' */
    double fwd[9];
    double inv[9]; /* output -> input, pixel-index coordinates (the warp's) */
    int interp, border, have_fill;
    aug_color fill;
} persp_params;

static const aug_opt options[] = {
    AUG_OPT_DOUBLE_(0, "distortion", "D", "how far corners may move, 0..1 of half a side "
                    "(default 0.5)", persp_cfg, distortion, 0, 1),
    AUG_OPT_CHOICE_(0, "interp", "NAME", "nearest, bilinear (default) or bicubic", persp_cfg,
                    interp, aug_ops_interp_names),
    AUG_OPT_CHOICE_(0, "border", "MODE", "constant (default), replicate, reflect, reflect101, wrap",
                    persp_cfg, border, aug_ops_border_names),
    AUG_OPT_COLOR_(0, "fill", "V|R,G,B[,A]", "constant border colour (default 0, transparent)",
                   persp_cfg, fill),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    persp_cfg *c = cfg;
    memset(c, 0, sizeof *c);
    c->distortion = 0.5;
    c->interp = AUG_INTERP_BILINEAR;
}

static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    persp_cfg *c = cfg;
    c->have_fill = aug_opt_given(options, given, "fill");
    if (c->have_fill && c->border != AUG_BORDER_CONSTANT)
        return aug_fail(err, AUG_ERR_ARG, "--fill applies to --border constant only");
    return AUG_OK;
}

/* The homography (a..h, with the last entry 1) taking the points `from`
 * to `to`: 8 equations, Gaussian elimination with partial pivoting. */
static int solve_homography(const double from[8], const double to[8], double hm[9])
{
    double a[8][9];
    for (int i = 0; i < 4; i++) {
        double x = from[2 * i], y = from[2 * i + 1], u = to[2 * i], v = to[2 * i + 1];
        double r0[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
        double r1[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        memcpy(a[2 * i], r0, sizeof r0);
        memcpy(a[2 * i + 1], r1, sizeof r1);
    }
    for (int col = 0; col < 8; col++) {
        int piv = col;
        for (int r = col + 1; r < 8; r++)
            if (fabs(a[r][col]) > fabs(a[piv][col]))
                piv = r;
        if (fabs(a[piv][col]) < 1e-12)
            return -1;
        if (piv != col)
            for (int k = 0; k < 9; k++) {
                double t = a[col][k];
                a[col][k] = a[piv][k];
                a[piv][k] = t;
            }
        for (int r = 0; r < 8; r++) {
            if (r == col)
                continue;
            double f = a[r][col] / a[col][col];
            for (int k = col; k < 9; k++)
                a[r][k] -= f * a[col][k];
        }
    }
    for (int i = 0; i < 8; i++)
        hm[i] = a[i][8] / a[i][i];
    hm[8] = 1.0;
    return 0;
}

/* T(-1/2) H T(1/2): the same map between pixel-index coordinates. */
static void homography_to_index(const double h[9], double o[9])
{
    double t[9];
    for (int r = 0; r < 3; r++) { /* H T(1/2): column 2 gains (col0 + col1) / 2 */
        t[3 * r] = h[3 * r];
        t[3 * r + 1] = h[3 * r + 1];
        t[3 * r + 2] = h[3 * r + 2] + 0.5 * (h[3 * r] + h[3 * r + 1]);
    }
    for (int c = 0; c < 3; c++) { /* T(-1/2) on the left: rows 0, 1 lose row 2 / 2 */
        o[c] = t[c] - 0.5 * t[6 + c];
        o[3 + c] = t[3 + c] - 0.5 * t[6 + c];
        o[6 + c] = t[6 + c];
    }
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const persp_cfg *c = cfg;
    persp_params *p = params;
    memset(p, 0, sizeof *p);
    int W = in->width, H = in->height;
    int dw = (int)(c->distortion * (W / 2)), dh = (int)(c->distortion * (H / 2));
    /* RandomPerspective.get_params: randint(lo, hi) is lo..hi-1 */
    p->corners[0] = aug_ops_pick_int(rng, 0, dw);
    p->corners[1] = aug_ops_pick_int(rng, 0, dh);
    p->corners[2] = aug_ops_pick_int(rng, W - dw - 1, W - 1);
    p->corners[3] = aug_ops_pick_int(rng, 0, dh);
    p->corners[4] = aug_ops_pick_int(rng, W - dw - 1, W - 1);
    p->corners[5] = aug_ops_pick_int(rng, H - dh - 1, H - 1);
    p->corners[6] = aug_ops_pick_int(rng, 0, dw);
    p->corners[7] = aug_ops_pick_int(rng, H - dh - 1, H - 1);
    double start[8] = {0, 0, W - 1, 0, W - 1, H - 1, 0, H - 1}, end[8], inv[9];
    for (int i = 0; i < 8; i++)
        end[i] = p->corners[i];
    if (solve_homography(end, start, inv) || solve_homography(start, end, p->fwd)) {
        /* a 1-pixel side: every corner on one line; nothing moves */
        memset(inv, 0, sizeof inv);
        inv[0] = inv[4] = inv[8] = 1.0;
        memcpy(p->fwd, inv, sizeof inv);
    }
    homography_to_index(inv, p->inv);
    p->interp = c->interp;
    p->border = c->border;
    p->fill = c->fill;
    p->have_fill = c->have_fill;
    (void)err;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    const persp_params *p = params;
    aug_warp_params wp;
    aug_ops_warp_params(&wp, p->interp, p->border, &p->fill, p->have_fill, src->channels);
    return aug_warp_perspective(src, dst, src->width, src->height, p->inv, &wp, err);
}

/* A point whose denominator is not positive lies beyond the horizon: it
 * goes far outside, where clipping removes it. */
static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    const double *f = ((const persp_params *)params)->fwd;
    (void)in;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        double den = f[6] * x + f[7] * y + f[8];
        if (!(den > 1e-12)) {
            xy[2 * i] = xy[2 * i + 1] = -1e9;
            continue;
        }
        xy[2 * i] = (f[0] * x + f[1] * y + f[2]) / den;
        xy[2 * i + 1] = (f[3] * x + f[4] * y + f[5]) / den;
    }
    return AUG_OK;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    persp_params m = *(const persp_params *)params;
    m.interp = AUG_INTERP_NEAREST;
    m.have_fill = 1;
    aug_ops_mask_color(o, &m.fill);
    return apply(&m, src, dst, err);
}

static void describe(const void *params, aug_buf *out)
{
    const int *k = ((const persp_params *)params)->corners;
    aug_buf_item(out, "corners=%d,%d,%d,%d,%d,%d,%d,%d", k[0], k[1], k[2], k[3], k[4], k[5],
                 k[6], k[7]);
}

const aug_op aug_op_perspective = {
    .name = "perspective",
    .summary = "a random perspective distortion (RandomPerspective)",
    .usage = "[--distortion D] [--interp NAME] [--border MODE]",
    .description = "torchvision's RandomPerspective: the corners (0,0), (w-1,0), (w-1,h-1) and\n"
                   "(0,h-1) move inwards by whole pixels drawn uniformly up to\n"
                   "int(D * (side / 2)), and the image follows the homography that takes the\n"
                   "moved corners back to the original ones (PIL's perspective transform,\n"
                   "continuous coordinates). The manifest records where the corners went.",
    .options = options,
    .cfg_size = sizeof(persp_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(persp_params),
    .draw = draw,
    .apply = apply,
    .describe = describe,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
