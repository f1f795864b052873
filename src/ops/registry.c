/* The table of operations, in the order the tool lists them, and the
 * options every stage has besides its op's own. */
#include <stddef.h>
#include <string.h>

#include "augment/ops.h"

extern const aug_op aug_op_flip, aug_op_rotate, aug_op_noise, aug_op_erase;
extern const aug_op aug_op_crop, aug_op_resize, aug_op_random_resized_crop, aug_op_pad,
    aug_op_affine, aug_op_perspective, aug_op_elastic, aug_op_rotate90;
extern const aug_op aug_op_color, aug_op_grayscale, aug_op_invert, aug_op_posterize,
    aug_op_solarize, aug_op_equalize, aug_op_autocontrast, aug_op_sharpness, aug_op_gamma,
    aug_op_blur;
extern const aug_op aug_op_randaugment, aug_op_trivialaugment, aug_op_autoaugment;

static const aug_op *const ops[] = {
    &aug_op_flip,
    &aug_op_rotate,
    &aug_op_noise,
    &aug_op_erase,
    /* crops, resizes and warps */
    &aug_op_crop,
    &aug_op_resize,
    &aug_op_random_resized_crop,
    &aug_op_pad,
    &aug_op_affine,
    &aug_op_perspective,
    &aug_op_elastic,
    &aug_op_rotate90,
    /* colour */
    &aug_op_color,
    &aug_op_grayscale,
    &aug_op_invert,
    &aug_op_posterize,
    &aug_op_solarize,
    &aug_op_equalize,
    &aug_op_autocontrast,
    &aug_op_sharpness,
    &aug_op_gamma,
    &aug_op_blur,
    /* policies over the ops above */
    &aug_op_randaugment,
    &aug_op_trivialaugment,
    &aug_op_autoaugment,
};

const aug_op *const *aug_ops(size_t *n)
{
    *n = sizeof ops / sizeof ops[0];
    return ops;
}

const aug_op *aug_op_find(const char *name)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i]->name, name) == 0)
            return ops[i];
    return NULL;
}

const aug_opt aug_stage_options[] = {
    AUG_OPT_DOUBLE_(0, "prob", "P", "apply with probability P, else leave the image (default 1)",
                    aug_stage_opts, prob, 0, 1),
    AUG_OPT_END_,
};
