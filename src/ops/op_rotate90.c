/* rotate90: a random quarter turn, as Augmentor's rotate_random_90 (90,
 * 180 or 270 degrees counter-clockwise, the canvas turned with the image),
 * exact: rotate's kernel moves the pixels without interpolating, and a
 * JPEG whose size is whole MCUs is turned on its DCT coefficients. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ops/common.h"

typedef struct angles {
    int n;
    int deg[4];
} angles;

typedef struct r90_cfg {
    angles set;
} r90_cfg;

typedef struct r90_params {
    /* counter-clockwise about the centre; 90 and 270 swap the sides: a
     * point (x, y) of a w x h image goes to (y, w - x) for 90, (w - x,
     * h - y) for 180, (h - y, x) for 270, in continuous coordinates */
    int angle;
} r90_params;

static aug_status parse_angles(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    angles *a = dst;
    const char *s = arg;
    a->n = 0;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || end == s || *s < '0' || *s > '9' || (v != 0 && v != 90 && v != 180 &&
                                                          v != 270) || a->n == 4)
            break;
        for (int i = 0; i < a->n; i++)
            if (a->deg[i] == v)
                goto bad;
        a->deg[a->n++] = (int)v;
        if (*end == '\0')
            return AUG_OK;
        if (*end != ',')
            break;
        s = end + 1;
    }
bad:
    return aug_fail(err, AUG_ERR_ARG,
                    "--%s: '%s' is not a list of distinct angles among 0, 90, 180, 270", o->name,
                    arg);
}

static const aug_opt options[] = {
    AUG_OPT_CUSTOM_(0, "angles", "A[,A...]",
                    "the quarter turns to choose from, uniformly (default 90,180,270)", r90_cfg,
                    set, parse_angles),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    r90_cfg *c = cfg;
    *c = (r90_cfg){{3, {90, 180, 270, 0}}};
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const r90_cfg *c = cfg;
    (void)in;
    (void)err;
    ((r90_params *)params)->angle = c->set.deg[aug_ops_pick_int(rng, 0, c->set.n - 1)];
    return AUG_OK;
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    int a = ((const r90_params *)params)->angle;
    (void)err;
    *out = *in;
    if (a == 90 || a == 270) {
        out->width = in->height;
        out->height = in->width;
    }
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    aug_rotate_params p;
    aug_rotate_params_default(&p);
    p.angle = ((const r90_params *)params)->angle;
    p.expand = 1;
    return aug_rotate(src, dst, &p, err);
}

static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    int a = ((const r90_params *)params)->angle;
    double w = in->width, h = in->height;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        switch (a) {
        case 90: xy[2 * i] = y; xy[2 * i + 1] = w - x; break;
        case 180: xy[2 * i] = w - x; xy[2 * i + 1] = h - y; break;
        case 270: xy[2 * i] = h - y; xy[2 * i + 1] = x; break;
        default: break;
        }
    }
    return AUG_OK;
}

/* A quarter turn moves pixels without sampling: the image's own apply. */
static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    (void)o;
    return apply(params, src, dst, err);
}

/* counter-clockwise turns as symmetries: a JPEG can take them losslessly */
static int dihedral(const void *params, const aug_geom *in)
{
    (void)in;
    switch (((const r90_params *)params)->angle) {
    case 90: return AUG_D4_ROT90_CCW;
    case 180: return AUG_D4_ROT180;
    case 270: return AUG_D4_ROT90_CW;
    default: return AUG_D4_IDENTITY;
    }
}

static void describe(const void *params, aug_buf *out)
{
    aug_buf_item(out, "angle=%d", ((const r90_params *)params)->angle);
}

const aug_op aug_op_rotate90 = {
    .name = "rotate90",
    .summary = "turn by a random multiple of 90 degrees, exactly",
    .usage = "[--angles A[,A...]]",
    .description = "Turn each image counter-clockwise by an angle chosen uniformly from\n"
                   "--angles (default 90,180,270, as Augmentor's rotate_random_90; add 0 for\n"
                   "albumentations' RandomRotate90). 90 and 270 swap the width and height.\n"
                   "The pixels are moved, never interpolated.",
    .options = options,
    .cfg_size = sizeof(r90_cfg),
    .init = init,
    .params_size = sizeof(r90_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
    .describe = describe,
    .dihedral = dihedral,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
