/* What several operations share: size and list parsers for their option
 * tables, the interpolation and border names, and drawing from ranges.
 * Internal to the library (src/ops/). */
#ifndef AUGMENT_OPS_COMMON_H
#define AUGMENT_OPS_COMMON_H

#include <stdint.h>

#include "augment/color.h"
#include "augment/geometry.h"
#include "augment/kernels.h"
#include "augment/ops.h"

/* Largest output side any op makes, and largest area: past these an
 * output is refused with a message rather than an allocation failure. */
#define AUG_OPS_MAX_SIDE (1 << 20)
#define AUG_OPS_MAX_AREA ((int64_t)1 << 31)

extern const char *const aug_ops_interp_names[];  /* nearest bilinear bicubic */
extern const char *const aug_ops_border_names[];  /* OpenCV's five */
extern const char *const aug_ops_filter_names[];  /* nearest bilinear bicubic area lanczos */

/* "WxH" or "S" (square), each 1..AUG_OPS_MAX_SIDE, into int[2] = {w, h}. */
aug_status aug_ops_parse_size(const aug_opt *o, const char *arg, void *dst, aug_error *err);
/* "X,Y" integers (may be negative) into int[2]. */
aug_status aug_ops_parse_point(const aug_opt *o, const char *arg, void *dst, aug_error *err);

/* A range that draws only when it is one: lo when lo == hi. */
double aug_ops_pick(aug_rng *rng, const double r[2]);
/* An integer uniform in lo..hi (both included). */
int aug_ops_pick_int(aug_rng *rng, int lo, int hi);
/* Python's round(): to the nearest integer, halves to even. */
double aug_ops_round_even(double v);

/* The fill as warp parameters: the colour when given, else zeros in every
 * channel (black, and transparent on images with alpha). */
void aug_ops_warp_params(aug_warp_params *w, int interp, int border, const aug_color *fill,
                         int have_fill, int channels);

/* Labels: x' = m[0] x + m[1] y + m[2], y' = m[3] x + m[4] y + m[5] on n
 * points (x y pairs); the inverse of such a map (a singular one gives the
 * identity); a mask's fill as a colour option would give it. */
void aug_ops_map_affine(const double m[6], double *xy, size_t n);
void aug_ops_affine_invert(const double m[6], double inv[6]);
void aug_ops_mask_color(const aug_mask_opts *o, aug_color *c);

/* An output size check: "<op>: the output would be WxH, over ..." */
aug_status aug_ops_check_size(const char *op, int64_t w, int64_t h, aug_error *err);

#endif

/* torchvision's _get_inverse_affine_matrix in continuous coordinates: the
 * map output -> input (inverted) or input -> output, about (cx, cy), with
 * its angle convention (degrees, clockwise on screen), post-rotation
 * translation (tx, ty), scale and shears (degrees). */
void aug_ops_tv_affine(double cx, double cy, double angle, double tx, double ty, double scale,
                       double shear_x, double shear_y, int inverted, double m[6]);
/* An affine map between continuous coordinates as the same map between
 * pixel-index coordinates (pixel centres at whole numbers). */
void aug_ops_affine_to_index(const double cont[6], double idx[6]);
/* PIL's Image.rotate(angle) matrix (output -> input, continuous) for a
 * w x h image, about its centre, without expand. */
void aug_ops_pil_rotate(double angle, int w, int h, double m[6]);
/* A symmetric-or-explicit range: "V" (V >= 0) means -V:V, "LO:HI" itself,
 * within [lo, hi], into double[2]. */
aug_status aug_ops_parse_sym(const aug_opt *o, const char *arg, double lo, double hi,
                             double out[2], aug_error *err);
