/* The automatic augmentation policies (RandAugment, TrivialAugmentWide,
 * AutoAugment) as torchvision defines them: their operation lists,
 * magnitude tables (torch.linspace in single precision), signs, and the
 * operations themselves with PIL's semantics. Each policy is an op of its
 * own (op_randaugment.c, ...) whose draw picks sub-operations and their
 * magnitudes; apply runs them with the kernels. Internal to the library. */
#ifndef AUGMENT_OPS_POLICY_H
#define AUGMENT_OPS_POLICY_H

#include "ops/common.h"

typedef enum aug_policy_op {
    AUG_POL_IDENTITY = 0,
    AUG_POL_SHEAR_X,
    AUG_POL_SHEAR_Y,
    AUG_POL_TRANSLATE_X,
    AUG_POL_TRANSLATE_Y,
    AUG_POL_ROTATE,
    AUG_POL_BRIGHTNESS,
    AUG_POL_COLOR,
    AUG_POL_CONTRAST,
    AUG_POL_SHARPNESS,
    AUG_POL_POSTERIZE,
    AUG_POL_SOLARIZE,
    AUG_POL_AUTOCONTRAST,
    AUG_POL_EQUALIZE,
    AUG_POL_INVERT,
    AUG_POL_NOPS
} aug_policy_op;

/* torchvision's names: "Identity", "ShearX", ... */
extern const char *const aug_policy_op_names[AUG_POL_NOPS];

/* The magnitude spaces: RandAugment's, TrivialAugmentWide's and
 * AutoAugment's (RandAugment's without Identity, with Invert). */
typedef enum aug_policy_space { AUG_SPACE_RAND, AUG_SPACE_WIDE, AUG_SPACE_AUTO } aug_policy_space;

/* The operations of a space, in torchvision's order; returns how many. */
int aug_policy_space_ops(aug_policy_space space, const aug_policy_op **ops);
/* True when op has a magnitude table in the space, and whether its
 * magnitude takes a random sign. */
int aug_policy_has_magnitude(aug_policy_space space, aug_policy_op op, int *is_signed);
/* magnitudes[bin] of op's table with `bins` bins for a w x h image, as
 * torchvision computes it (single precision). */
double aug_policy_magnitude(aug_policy_space space, aug_policy_op op, int bin, int bins, int w,
                            int h);

#define AUG_POLICY_MAX 32

typedef struct aug_policy_step {
    int op;           /* aug_policy_op */
    double magnitude; /* signed, as passed to torchvision's _apply_op */
} aug_policy_step;

typedef struct aug_policy_params {
    int n;
    aug_policy_step steps[AUG_POLICY_MAX];
    int policy;       /* AutoAugment: the sub-policy drawn; else -1 */
    int interp, have_fill;
    aug_color fill;
} aug_policy_params;

/* Options and config every policy has: --interp and --fill. */
typedef struct aug_policy_common {
    int interp, have_fill;
    aug_color fill;
} aug_policy_common;

/* torchvision's _apply_op on a PIL image: src -> new *dst. */
aug_status aug_policy_apply_one(aug_policy_op op, double magnitude, int interp,
                                const uint8_t fill[4], const aug_image *src, aug_image *dst,
                                aug_error *err);
/* The op interface's apply and describe for every policy. */
aug_status aug_policy_apply(const void *params, const aug_image *src, aug_image *dst,
                            aug_error *err);
void aug_policy_describe(const void *params, aug_buf *out);
aug_status aug_policy_map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                                 aug_error *err);
aug_status aug_policy_apply_mask(const void *params, const aug_mask_opts *o,
                                 const aug_image *src, aug_image *dst, aug_error *err);

#endif
