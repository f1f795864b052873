/* augment — the image kernels.
 *
 * Kernels know nothing of files, flags or threads: each takes an image,
 * its parameters and (when it draws anything) an explicit random stream,
 * and touches no other state, so any number may run at once. Kernels that
 * keep the size work in place; the others write a new image into *dst,
 * which the caller frees with aug_image_free(). */
#ifndef AUGMENT_KERNELS_H
#define AUGMENT_KERNELS_H

#include <stdint.h>
#include "augment/error.h"
#include "augment/image.h"
#include "augment/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- flip (src/kernels/flip.c): an exact pixel permutation, in place ---- */
typedef enum aug_flip_mode {
    AUG_FLIP_NONE = 0,
    AUG_FLIP_HORIZONTAL, /* mirror left-right, OpenCV flip(img, 1) */
    AUG_FLIP_VERTICAL,   /* mirror top-bottom, OpenCV flip(img, 0) */
    AUG_FLIP_BOTH        /* both, = rotation by 180 degrees */
} aug_flip_mode;

aug_status aug_flip(aug_image *img, aug_flip_mode mode, aug_error *err);

/* ---- rotate (src/kernels/rotate.c) ---- */
typedef enum aug_interp {
    AUG_INTERP_NEAREST = 0,
    AUG_INTERP_BILINEAR,
    AUG_INTERP_BICUBIC /* Keys kernel, a = -0.75, as OpenCV */
} aug_interp;

/* OpenCV's border names; for image abcdefgh:
 * constant iii|abcdefgh|iii, replicate aaa|abcdefgh|hhh,
 * reflect fedcba|abcdefgh|hgfedcb, reflect101 gfedcb|abcdefgh|gfedcba,
 * wrap cdefgh|abcdefgh|abcdefg. */
typedef enum aug_border {
    AUG_BORDER_CONSTANT = 0,
    AUG_BORDER_REPLICATE,
    AUG_BORDER_REFLECT,
    AUG_BORDER_REFLECT101,
    AUG_BORDER_WRAP
} aug_border;

typedef struct aug_rotate_params {
    double angle;       /* degrees, positive = counter-clockwise on screen */
    aug_interp interp;  /* default bilinear */
    aug_border border;  /* default constant */
    uint8_t fill[4];    /* constant border value, one per image channel */
    int expand;         /* grow the canvas to hold the whole rotated image */
} aug_rotate_params;

/* angle 0, bilinear, constant border, fill 0, no expand. */
void aug_rotate_params_default(aug_rotate_params *p);

/* Rotate about the centre ((w-1)/2, (h-1)/2) with the matrix of OpenCV's
 * getRotationMatrix2D(centre, angle, 1) and warpAffine's sampling.
 * Multiples of 90 degrees move pixels without interpolation; 90 and 270
 * swap width and height only with expand (otherwise the size is kept and
 * the uncovered area follows the border mode; when width - height is odd
 * the centre then falls between pixels, and those are interpolated).
 * expand gives ceil(|w cos| + |h sin|) x ceil(|w sin| + |h cos|). *dst is
 * allocated here. */
aug_status aug_rotate(const aug_image *src, aug_image *dst,
                      const aug_rotate_params *p, aug_error *err);
/* For an angle that is a multiple of 90 degrees (within 1e-9 degrees, as
 * aug_rotate decides it), the number of counter-clockwise quarter turns
 * 0..3; else -1. */
int aug_rotate_quarter(double angle);
/* The map aug_rotate makes of a w x h image, input to output in
 * pixel-index coordinates (the centre of pixel i is i): x' = f[0] x +
 * f[1] y + f[2], y' = f[3] x + f[4] y + f[5]; OpenCV's
 * getRotationMatrix2D, moved to the new centre with expand. */
void aug_rotate_matrix(int w, int h, const aug_rotate_params *p, double f[6]);
/* The size aug_rotate gives a w x h image (w x h unless expand). */
aug_status aug_rotate_size(int w, int h, const aug_rotate_params *p, int *out_w,
                           int *out_h, aug_error *err);

/* ---- noise (src/kernels/noise.c): in place, alpha never noised ---- */
typedef enum aug_noise_type {
    AUG_NOISE_GAUSSIAN = 0, /* v + N(0, sigma) */
    AUG_NOISE_UNIFORM,      /* v + U(-sigma, sigma) */
    AUG_NOISE_SALTPEPPER,   /* a fraction `amount` set to 255 or 0 */
    AUG_NOISE_SPECKLE,      /* v + v * N(0, sigma / 255) */
    AUG_NOISE_POISSON       /* Poisson(v * scale) / scale */
} aug_noise_type;

typedef struct aug_noise_params {
    aug_noise_type type;
    double sigma;      /* gaussian/speckle std dev, uniform half-width; 0..255 units */
    double amount;     /* salt-and-pepper: fraction of pixels replaced, 0..1 */
    double salt_ratio; /* salt-and-pepper: share of salt among them, 0..1 */
    double scale;      /* poisson: events per unit of value, > 0 */
    int per_channel;   /* draw each colour channel independently */
} aug_noise_params;

/* gaussian, sigma 10, amount 0.05, salt_ratio 0.5, scale 1, shared. */
void aug_noise_params_default(aug_noise_params *p);
aug_status aug_noise(aug_image *img, const aug_noise_params *p, aug_rng *rng,
                     aug_error *err);

/* ---- erase (src/kernels/erase.c): torchvision RandomErasing, in place ---- */
typedef enum aug_erase_fill {
    AUG_ERASE_CONSTANT = 0, /* params.value */
    AUG_ERASE_RANDOM,       /* per-sample uniform 0..255 */
    AUG_ERASE_MEAN          /* the image's own per-channel mean */
} aug_erase_fill;

typedef struct aug_erase_params {
    double scale_lo, scale_hi; /* erased area / image area, default 0.02..0.33 */
    double ratio_lo, ratio_hi; /* aspect h/w, default 0.3..3.3 (log-uniform) */
    int attempts;              /* per rectangle, default 10 */
    int count;                 /* rectangles, default 1 */
    aug_erase_fill fill;
    uint8_t value[4];          /* for AUG_ERASE_CONSTANT, per colour channel */
} aug_erase_params;

typedef struct aug_rect {
    int x, y, w, h; /* w == 0 when every attempt failed */
} aug_rect;

void aug_erase_params_default(aug_erase_params *p);
/* rects (may be NULL) receives params->count entries describing what was
 * erased. Alpha is left untouched. */
aug_status aug_erase(aug_image *img, const aug_erase_params *p, aug_rng *rng,
                     aug_rect *rects, aug_error *err);
/* The two halves of aug_erase, for callers that draw first and apply later:
 * one rectangle drawn as torchvision's get_params ({0,0,0,0} when every
 * attempt fails) — a random fill then takes one draw per colour sample of
 * it from the same stream, w * h * colour channels in all; and the filling
 * of n rectangles, the mean taken before any is filled, a random fill
 * drawing rectangle i's samples from streams[i]. */
aug_rect aug_erase_sample(int width, int height, const aug_erase_params *p, aug_rng *rng);
aug_status aug_erase_rects(aug_image *img, const aug_rect *rects, int n, aug_erase_fill fill,
                           const uint8_t value[4], aug_rng *streams, aug_error *err);

/* ---- resize and blend (src/kernels/resize.c, blend.c): for mixing ---- */
/* Bilinear resize with pixel-centre alignment (OpenCV INTER_LINEAR,
 * no antialiasing). *dst is allocated here with src's channel count. */
aug_status aug_resize(const aug_image *src, aug_image *dst, int width,
                      int height, aug_error *err);
/* dst = floor(wa * a + (1 - wa) * b + 0.5), per sample, 0 <= wa <= 1;
 * a and b must have the same size and channels. *dst is allocated here. */
aug_status aug_blend(const aug_image *a, const aug_image *b, double wa,
                     aug_image *dst, aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
