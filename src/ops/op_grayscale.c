/* grayscale: PIL's convert("L") (torchvision Grayscale on PIL images),
 * one channel, or the input's channel count with --keep-channels
 * (src/kernels/grayscale.c). */
#include <string.h>

#include "ops/common.h"

typedef struct gray_cfg {
    int keep;
} gray_cfg;

typedef struct gray_params {
    int keep;
} gray_params;

static const aug_opt options[] = {
    AUG_OPT_FLAG_(0, "keep-channels", "keep the channel count (R = G = B)", gray_cfg, keep),
    AUG_OPT_END_,
};

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    (void)rng;
    (void)in;
    (void)err;
    ((gray_params *)params)->keep = ((const gray_cfg *)cfg)->keep;
    return AUG_OK;
}

static aug_status geometry(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err)
{
    (void)err;
    *out = *in;
    if (!((const gray_params *)params)->keep)
        out->channels = in->channels == 2 || in->channels == 4 ? 2 : 1;
    return AUG_OK;
}

static aug_status apply(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err)
{
    return aug_grayscale(src, dst, ((const gray_params *)params)->keep, err);
}

const aug_op aug_op_grayscale = {
    .name = "grayscale",
    .summary = "convert to grey (PIL's luma)",
    .usage = "[--keep-channels]",
    .description = "Convert each image to grey as PIL's convert(\"L\"), which torchvision's\n"
                   "Grayscale uses: (19595 R + 38470 G + 7471 B + 32768) >> 16. The output\n"
                   "has one channel (plus alpha, kept), or with --keep-channels as many as\n"
                   "the input (torchvision's num_output_channels=3 on RGB). Grey images are\n"
                   "copied.",
    .options = options,
    .cfg_size = sizeof(gray_cfg),
    .params_size = sizeof(gray_params),
    .draw = draw,
    .geometry = geometry,
    .apply = apply,
};
