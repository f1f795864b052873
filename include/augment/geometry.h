/* augment — geometric kernels beyond flip and rotate: crops and pads,
 * resampling with PIL's filters, warps by any affine map, homography or
 * displacement field, and the elastic displacement field.
 *
 * As in kernels.h: no files, flags or threads; explicit random streams;
 * a kernel that changes the size writes a new *dst the caller frees.
 *
 * Coordinates: pixel (i, j) covers [i, i+1) x [j, j+1) ("continuous"
 * coordinates, where boxes live); its centre is (i + 0.5, j + 0.5). The
 * warps take their maps in pixel-index coordinates (the centre of pixel i
 * is i), as OpenCV's warpAffine does; geometry.c's helpers convert. */
#ifndef AUGMENT_GEOMETRY_H
#define AUGMENT_GEOMETRY_H

#include <stdint.h>
#include "augment/error.h"
#include "augment/image.h"
#include "augment/kernels.h"
#include "augment/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- crop and pad (src/kernels/crop.c) ---- */
/* The window (x, y, w, h) of src as a new w x h image. The window may reach
 * outside src (a pad is a crop with a negative offset); what lies outside
 * follows `border` (OpenCV's patterns, as rotate), `fill` for constant. A
 * window wholly inside is a copy of rows. */
aug_status aug_crop(const aug_image *src, aug_image *dst, int x, int y, int w, int h,
                    aug_border border, const uint8_t fill[4], aug_error *err);
/* Copy the rectangle r of b into a at the same place (CutMix). a and b
 * have the same size and channels; r is clipped to the image. */
aug_status aug_paste(aug_image *a, const aug_image *b, aug_rect r, aug_error *err);

/* ---- CutMix (src/kernels/cutmix.c) ---- */
/* timm's rand_bbox for a width x height image and lam (the share of the
 * first image): sides int(side * sqrt(1 - lam)), centre row then column
 * uniform, half the side each way (rounded down), clipped to the image.
 * *corrected (may be NULL) receives 1 - box area / image area, timm's
 * correct_lam. */
aug_rect aug_cutmix_box(int width, int height, double lam, aug_rng *rng, double *corrected);
/* a with b's pixels inside box: a new *dst. a and b have the same size
 * and channels. */
aug_status aug_cutmix(const aug_image *a, const aug_image *b, aug_rect box, aug_image *dst,
                      aug_error *err);

/* ---- resample (src/kernels/resample.c): PIL's Image.resize ---- */
typedef enum aug_filter {
    AUG_FILTER_NEAREST = 0,
    AUG_FILTER_BILINEAR, /* triangle, support 1 */
    AUG_FILTER_BICUBIC,  /* Keys kernel with a = -0.5, support 2 (PIL's) */
    AUG_FILTER_BOX,      /* "area": support 1/2 */
    AUG_FILTER_LANCZOS   /* sinc windowed by sinc, support 3 */
} aug_filter;

typedef struct aug_resample_params {
    aug_filter filter;
    /* Shrinking widens the filter by the scale (PIL; antialiasing). With
     * 0 the support stays the filter's own, as OpenCV and torch without
     * antialias. */
    int antialias;
    /* The source region x0, y0, x1, y1 in continuous coordinates (PIL's
     * box); all zero means the whole image. */
    double box[4];
} aug_resample_params;

/* bilinear, antialias, whole image. */
void aug_resample_params_default(aug_resample_params *p);
/* Resize to w x h as PIL's Image.resize(size, filter, box) does, bit for
 * bit on 8-bit images: separable convolution with 22-bit integer weights,
 * the horizontal pass first (rounded to 8 bits), images with alpha
 * resampled premultiplied. Nearest samples floor((i + 0.5) * scale). A
 * whole-pixel box of the output's size is a copy. */
aug_status aug_resample(const aug_image *src, aug_image *dst, int w, int h,
                        const aug_resample_params *p, aug_error *err);

/* ---- warps (src/kernels/rotate.c's samplers) ---- */
typedef struct aug_warp_params {
    aug_interp interp;  /* nearest, bilinear or bicubic (Keys, a = -0.75) */
    aug_border border;
    uint8_t fill[4];    /* constant border, one value per channel */
} aug_warp_params;

/* dst (w x h, allocated here) samples src at inv * (x, y, 1) for each
 * output pixel (x, y), in pixel-index coordinates: src_x = inv[0] x +
 * inv[1] y + inv[2], src_y = inv[3] x + inv[4] y + inv[5]. The same
 * samplers as aug_rotate (whose bytes are this with its own matrix);
 * a map made of whole-pixel steps and offsets copies pixels. */
aug_status aug_warp_affine(const aug_image *src, aug_image *dst, int w, int h,
                           const double inv[6], const aug_warp_params *p, aug_error *err);
/* The same for a homography: src = (H (x, y, 1)) projected, H row-major
 * 3x3 in pixel-index coordinates. Output pixels whose denominator is not
 * positive take the border's value as if far outside. */
aug_status aug_warp_perspective(const aug_image *src, aug_image *dst, int w, int h,
                                const double inv[9], const aug_warp_params *p,
                                aug_error *err);
/* cv2.remap: dst (map_w x map_h) samples src at (mx[i], my[i]) for output
 * pixel i (row-major), pixel-index coordinates. */
aug_status aug_remap(const aug_image *src, aug_image *dst, int w, int h, const float *mx,
                     const float *my, const aug_warp_params *p, aug_error *err);

/* PIL's Image.transform(AFFINE, NEAREST) in PIL's own arithmetic (16.16
 * fixed-point positions where the map allows), bit for bit: `cont` maps
 * output to input in continuous coordinates (PIL's data), pixels whose
 * centre maps outside take `fill`. The policies use it to give
 * torchvision's bytes; rotate's samplers are exact instead. */
aug_status aug_warp_affine_pil(const aug_image *src, aug_image *dst, int w, int h,
                               const double cont[6], const uint8_t fill[4], aug_error *err);

/* ---- elastic deformation (src/kernels/elastic.c) ---- */
/* torchvision's ElasticTransform field for a w x h image, in pixels:
 * uniform noise in [-1, 1) per pixel (dx for every pixel, then dy, row by
 * row, from rng), each blurred with a gaussian of sigma (kernel size
 * int(8 sigma + 1) made odd, reflect101 border; sigma 0 = no blur) and
 * scaled as torchvision scales it on its normalised grid: dx by
 * alpha * w / (2 h), dy by alpha * h / (2 w) (alpha / 2 on a square
 * image). dx and dy hold w * h floats each. The output pixel (x, y) then
 * reads the source at (x + dx, y + dy). */
aug_status aug_elastic_field(int w, int h, double alpha, double sigma, aug_rng *rng,
                             float *dx, float *dy, aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
