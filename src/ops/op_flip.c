/* flip: mirror the image; an exact pixel permutation. */
#include <stddef.h>
#include <string.h>

#include "augment/kernels.h"
#include "augment/ops.h"

typedef struct flip_cfg {
    int mode; /* aug_flip_mode, or RANDOM */
} flip_cfg;

typedef struct flip_params {
    aug_flip_mode mode;
} flip_params;

enum { RANDOM = 100 };

static const aug_opt options[] = {
    AUG_OPT_SET_(0, "horizontal", "mirror left-right (default)", flip_cfg, mode, AUG_FLIP_HORIZONTAL),
    AUG_OPT_SET_(0, "vertical", "mirror top-bottom", flip_cfg, mode, AUG_FLIP_VERTICAL),
    AUG_OPT_SET_(0, "both", "both, i.e. rotate by 180 degrees", flip_cfg, mode, AUG_FLIP_BOTH),
    AUG_OPT_SET_(0, "random", "per output, one of horizontal, vertical, none", flip_cfg, mode, RANDOM),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    ((flip_cfg *)cfg)->mode = AUG_FLIP_HORIZONTAL;
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    static const aug_flip_mode choices[] = {AUG_FLIP_HORIZONTAL, AUG_FLIP_VERTICAL,
                                            AUG_FLIP_NONE};
    const flip_cfg *c = cfg;
    flip_params *p = params;
    (void)in;
    (void)err;
    p->mode = c->mode == RANDOM ? choices[aug_rng_below(rng, 3)] : (aug_flip_mode)c->mode;
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    return aug_flip(img, ((const flip_params *)params)->mode, err);
}

static void describe(const void *params, aug_buf *out)
{
    static const char *const names[] = {"none", "horizontal", "vertical", "both"};
    aug_buf_item(out, "flip=%s", names[((const flip_params *)params)->mode]);
}

/* Labels: a mirror of the continuous coordinates, x -> w - x. */
static aug_status map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err)
{
    aug_flip_mode m = ((const flip_params *)params)->mode;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        if (m == AUG_FLIP_HORIZONTAL || m == AUG_FLIP_BOTH)
            xy[2 * i] = in->width - xy[2 * i];
        if (m == AUG_FLIP_VERTICAL || m == AUG_FLIP_BOTH)
            xy[2 * i + 1] = in->height - xy[2 * i + 1];
    }
    return AUG_OK;
}

static aug_status apply_mask(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err)
{
    (void)o;
    aug_status st = aug_image_alloc(dst, src->width, src->height, src->channels, err);
    if (!st) {
        memcpy(dst->data, src->data, aug_image_size(src));
        if ((st = apply(params, dst, err)))
            aug_image_free(dst);
    }
    return st;
}

static int dihedral(const void *params, const aug_geom *in)
{
    static const int d[] = {AUG_D4_IDENTITY, AUG_D4_HFLIP, AUG_D4_VFLIP, AUG_D4_ROT180};
    (void)in;
    return d[((const flip_params *)params)->mode];
}

const aug_op aug_op_flip = {
    .name = "flip",
    .summary = "mirror images horizontally, vertically or both",
    .usage = "[--horizontal|--vertical|--both|--random]",
    .description = "Mirror each image. Horizontal is left-right (ImageMagick -flop),\n"
                   "vertical is top-bottom (ImageMagick -flip). A flip is an exact\n"
                   "permutation of the pixels.",
    .options = options,
    .cfg_size = sizeof(flip_cfg),
    .init = init,
    .params_size = sizeof(flip_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
    .dihedral = dihedral,
    .map_points = map_points,
    .apply_mask = apply_mask,
};
