/* What the policies share (src/ops/policy.h): torchvision's tables and
 * _apply_op, over the kernels. */
#include <math.h>
#include <string.h>

#include "ops/policy.h"

const char *const aug_policy_op_names[AUG_POL_NOPS] = {
    "Identity", "ShearX",     "ShearY",    "TranslateX", "TranslateY",
    "Rotate",   "Brightness", "Color",     "Contrast",   "Sharpness",
    "Posterize", "Solarize",  "AutoContrast", "Equalize", "Invert",
};

static const aug_policy_op rand_ops[] = {
    AUG_POL_IDENTITY,   AUG_POL_SHEAR_X,      AUG_POL_SHEAR_Y,   AUG_POL_TRANSLATE_X,
    AUG_POL_TRANSLATE_Y, AUG_POL_ROTATE,      AUG_POL_BRIGHTNESS, AUG_POL_COLOR,
    AUG_POL_CONTRAST,   AUG_POL_SHARPNESS,    AUG_POL_POSTERIZE, AUG_POL_SOLARIZE,
    AUG_POL_AUTOCONTRAST, AUG_POL_EQUALIZE,
};

static const aug_policy_op auto_ops[] = {
    AUG_POL_SHEAR_X,    AUG_POL_SHEAR_Y,   AUG_POL_TRANSLATE_X, AUG_POL_TRANSLATE_Y,
    AUG_POL_ROTATE,     AUG_POL_BRIGHTNESS, AUG_POL_COLOR,      AUG_POL_CONTRAST,
    AUG_POL_SHARPNESS,  AUG_POL_POSTERIZE, AUG_POL_SOLARIZE,    AUG_POL_AUTOCONTRAST,
    AUG_POL_EQUALIZE,   AUG_POL_INVERT,
};

int aug_policy_space_ops(aug_policy_space space, const aug_policy_op **ops)
{
    if (space == AUG_SPACE_AUTO) {
        *ops = auto_ops;
        return (int)(sizeof auto_ops / sizeof auto_ops[0]);
    }
    *ops = rand_ops;
    return (int)(sizeof rand_ops / sizeof rand_ops[0]);
}

int aug_policy_has_magnitude(aug_policy_space space, aug_policy_op op, int *is_signed)
{
    (void)space;
    *is_signed = op >= AUG_POL_SHEAR_X && op <= AUG_POL_SHARPNESS;
    return op >= AUG_POL_SHEAR_X && op <= AUG_POL_SOLARIZE;
}

/* torch.linspace(start, end, steps)[i] for float32: the first half counts
 * up from start, the second half down from end. */
static float linspace(float start, float end, int steps, int i)
{
    if (steps == 1)
        return start;
    float step = (end - start) / (float)(steps - 1);
    if (i < steps / 2)
        return start + step * (float)i;
    return end - step * (float)(steps - i - 1);
}

/* 8 - (arange(bins) / ((bins - 1) / q)).round().int() */
static int posterize_bits(int bin, int bins, double q)
{
    float d = (float)bin / (float)((bins - 1) / q);
    return 8 - (int)rintf(d); /* torch.round: halves to even */
}

double aug_policy_magnitude(aug_policy_space space, aug_policy_op op, int bin, int bins, int w,
                            int h)
{
    int wide = space == AUG_SPACE_WIDE;
    switch (op) {
    case AUG_POL_SHEAR_X:
    case AUG_POL_SHEAR_Y:
        return linspace(0.0f, wide ? 0.99f : 0.3f, bins, bin);
    case AUG_POL_TRANSLATE_X:
        return linspace(0.0f, wide ? 32.0f : (float)(150.0 / 331.0 * w), bins, bin);
    case AUG_POL_TRANSLATE_Y:
        return linspace(0.0f, wide ? 32.0f : (float)(150.0 / 331.0 * h), bins, bin);
    case AUG_POL_ROTATE:
        return linspace(0.0f, wide ? 135.0f : 30.0f, bins, bin);
    case AUG_POL_BRIGHTNESS:
    case AUG_POL_COLOR:
    case AUG_POL_CONTRAST:
    case AUG_POL_SHARPNESS:
        return linspace(0.0f, wide ? 0.99f : 0.9f, bins, bin);
    case AUG_POL_POSTERIZE:
        return posterize_bits(bin, bins, wide ? 6.0 : 4.0);
    case AUG_POL_SOLARIZE:
        return linspace(255.0f, 0.0f, bins, bin);
    default:
        return 0.0;
    }
}

/* torchvision's F.affine and F.rotate on PIL images: nearest in PIL's
 * arithmetic (its bytes), the other interpolations with rotate's samplers. */
static aug_status warp(const aug_image *src, aug_image *dst, const double cont[6], int interp,
                       const uint8_t fill[4], aug_error *err)
{
    if (interp == AUG_INTERP_NEAREST)
        return aug_warp_affine_pil(src, dst, src->width, src->height, cont, fill, err);
    aug_warp_params wp;
    memset(&wp, 0, sizeof wp);
    wp.interp = (aug_interp)interp;
    wp.border = AUG_BORDER_CONSTANT;
    memcpy(wp.fill, fill, 4);
    double idx[6];
    aug_ops_affine_to_index(cont, idx);
    return aug_warp_affine(src, dst, src->width, src->height, idx, &wp, err);
}

static aug_status copy(const aug_image *src, aug_image *dst, aug_error *err)
{
    aug_status st = aug_image_alloc(dst, src->width, src->height, src->channels, err);
    if (!st)
        memcpy(dst->data, src->data, aug_image_size(src));
    return st;
}

/* The geometric operations' maps, output -> input in continuous
 * coordinates (PIL's data) for a w x h image; 0 for the others. */
static int op_matrix(aug_policy_op op, double m, int w, int h, double mat[6])
{
    double cx = w * 0.5, cy = h * 0.5;
    switch (op) {
    /* Shears about the top-left corner by degrees(atan(m)): torchvision's
     * matrix is then (1, tan(atan(m)), 0; 0, 1, 0), which is m to the last
     * bit or two; m itself is used, so no arctangent is needed. */
    case AUG_POL_SHEAR_X: {
        const double sx[6] = {1, m, 0, 0, 1, 0};
        memcpy(mat, sx, sizeof sx);
        return 1;
    }
    case AUG_POL_SHEAR_Y: {
        const double sy[6] = {1, 0, 0, m, 1, 0};
        memcpy(mat, sy, sizeof sy);
        return 1;
    }
    case AUG_POL_TRANSLATE_X: /* translate = [int(m), 0] */
        aug_ops_tv_affine(cx, cy, 0, (double)(long)m, 0, 1, 0, 0, 1, mat);
        return 1;
    case AUG_POL_TRANSLATE_Y:
        aug_ops_tv_affine(cx, cy, 0, 0, (double)(long)m, 1, 0, 0, 1, mat);
        return 1;
    case AUG_POL_ROTATE:
        aug_ops_pil_rotate(m, w, h, mat);
        return 1;
    default:
        return 0;
    }
}

aug_status aug_policy_apply_one(aug_policy_op op, double m, int interp, const uint8_t fill[4],
                                const aug_image *src, aug_image *dst, aug_error *err)
{
    double mat[6];
    if (op_matrix(op, m, src->width, src->height, mat))
        return warp(src, dst, mat, interp, fill, err);
    aug_status st = copy(src, dst, err);
    if (st)
        return st;
    switch (op) {
    case AUG_POL_BRIGHTNESS: st = aug_brightness(dst, 1.0 + m, err); break;
    case AUG_POL_COLOR: st = aug_saturation(dst, 1.0 + m, err); break;
    case AUG_POL_CONTRAST: st = aug_contrast(dst, 1.0 + m, err); break;
    case AUG_POL_SHARPNESS: st = aug_sharpness(dst, 1.0 + m, err); break;
    case AUG_POL_POSTERIZE: st = aug_posterize(dst, (int)m, err); break;
    case AUG_POL_SOLARIZE: st = aug_solarize(dst, m, err); break;
    case AUG_POL_AUTOCONTRAST: st = aug_autocontrast(dst, err); break;
    case AUG_POL_EQUALIZE: st = aug_equalize(dst, err); break;
    case AUG_POL_INVERT: st = aug_invert(dst, err); break;
    default: break; /* Identity */
    }
    if (st)
        aug_image_free(dst);
    return st;
}

aug_status aug_policy_apply(const void *params, const aug_image *src, aug_image *dst,
                            aug_error *err)
{
    const aug_policy_params *p = params;
    uint8_t fill[4] = {0, 0, 0, 0};
    if (p->have_fill)
        aug_color_for(&p->fill, src->channels, fill);
    aug_image cur = {0};
    const aug_image *in = src;
    for (int i = 0; i < p->n; i++) {
        aug_image next;
        aug_status st = aug_policy_apply_one((aug_policy_op)p->steps[i].op,
                                             p->steps[i].magnitude, p->interp, fill, in, &next,
                                             err);
        aug_image_free(&cur);
        if (st)
            return st;
        cur = next;
        in = &cur;
    }
    if (in == src)
        return copy(src, dst, err);
    *dst = cur;
    return AUG_OK;
}

/* Labels: points move through the geometric steps (the inverse of each
 * step's map); masks through the same steps with nearest sampling, the
 * colour steps left out. */
aug_status aug_policy_map_points(const void *params, const aug_geom *in, double *xy, size_t n,
                                 aug_error *err)
{
    const aug_policy_params *p = params;
    (void)err;
    for (int i = 0; i < p->n; i++) {
        double mat[6], fwd[6];
        if (op_matrix((aug_policy_op)p->steps[i].op, p->steps[i].magnitude, in->width,
                      in->height, mat)) {
            aug_ops_affine_invert(mat, fwd);
            aug_ops_map_affine(fwd, xy, n);
        }
    }
    return AUG_OK;
}

aug_status aug_policy_apply_mask(const void *params, const aug_mask_opts *o,
                                 const aug_image *src, aug_image *dst, aug_error *err)
{
    const aug_policy_params *p = params;
    uint8_t fill[4] = {o->fill, o->fill, o->fill, o->fill};
    aug_image cur = {0};
    const aug_image *in = src;
    for (int i = 0; i < p->n; i++) {
        double mat[6];
        if (!op_matrix((aug_policy_op)p->steps[i].op, p->steps[i].magnitude, src->width,
                       src->height, mat))
            continue;
        aug_image next;
        aug_status st = warp(in, &next, mat, AUG_INTERP_NEAREST, fill, err);
        aug_image_free(&cur);
        if (st)
            return st;
        cur = next;
        in = &cur;
    }
    if (in == src)
        return copy(src, dst, err);
    *dst = cur;
    return AUG_OK;
}

void aug_policy_describe(const void *params, aug_buf *out)
{
    const aug_policy_params *p = params;
    if (p->policy >= 0)
        aug_buf_item(out, "policy=%d", p->policy);
    aug_buf ops = {0};
    for (int i = 0; i < p->n; i++) {
        const aug_policy_step *s = &p->steps[i];
        aug_buf_addf(&ops, "%s%s(%.9g)", i ? "," : "", aug_policy_op_names[s->op],
                     s->magnitude);
    }
    aug_buf_item(out, "ops=%s", ops.data ? ops.data : "");
    if (ops.failed)
        out->failed = 1;
    aug_buf_free(&ops);
}
