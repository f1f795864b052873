/* augment — photometric kernels: torchvision's colour transforms on PIL
 * images (PIL's ImageEnhance, ImageOps and HSV conversion, reproduced with
 * their own rounding so that the bytes are PIL's), greyscale, gamma, and
 * blurs. Every kernel here leaves the alpha channel as it is, and works on
 * grey images as PIL does on mode "L" (saturation and hue then change
 * nothing). In place unless it says otherwise. */
#ifndef AUGMENT_COLOR_H
#define AUGMENT_COLOR_H

#include <stdint.h>
#include "augment/error.h"
#include "augment/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ImageEnhance (src/kernels/enhance.c) ----
 * Each blends the image with a "degenerate" version of itself by factor
 * (0 gives the degenerate image, 1 the image, above 1 extrapolates), in
 * single precision and truncated, as PIL's ImagingBlend:
 *   brightness: black;  contrast: the mean of the greyscale image (rounded);
 *   saturation: the greyscale image;  sharpness: the 3x3 SMOOTH filter
 *   (1 1 1 / 1 5 1 / 1 1 1, /13; the outermost pixels kept). */
aug_status aug_brightness(aug_image *img, double factor, aug_error *err);
aug_status aug_contrast(aug_image *img, double factor, aug_error *err);
aug_status aug_saturation(aug_image *img, double factor, aug_error *err);
aug_status aug_sharpness(aug_image *img, double factor, aug_error *err);

/* ---- hue (src/kernels/hue.c): torchvision's adjust_hue on PIL ----
 * RGB -> PIL's 8-bit HSV, H += (uint8)(int)(shift * 255) modulo 256, back to
 * RGB. shift in [-0.5, 0.5] of a full turn. */
aug_status aug_hue(aug_image *img, double shift, aug_error *err);

/* ---- per-value tables (src/kernels/levels.c) ---- */
aug_status aug_invert(aug_image *img, aug_error *err);            /* 255 - v */
aug_status aug_posterize(aug_image *img, int bits, aug_error *err); /* keep the top bits, 0..8 */
/* v >= threshold becomes 255 - v; threshold in 0..256 (256: no change). */
aug_status aug_solarize(aug_image *img, double threshold, aug_error *err);
/* torchvision's adjust_gamma on PIL: int(255.999 * (v / 255)^gamma). */
aug_status aug_gamma(aug_image *img, double gamma, aug_error *err);
/* PIL ImageOps.equalize and autocontrast (no cutoff), per colour channel. */
aug_status aug_equalize(aug_image *img, aug_error *err);
aug_status aug_autocontrast(aug_image *img, aug_error *err);

/* ---- greyscale (src/kernels/grayscale.c) ----
 * PIL's convert("L"): (19595 R + 38470 G + 7471 B + 32768) >> 16. The
 * output has one colour channel (and the alpha, if any), or with
 * keep_channels the input's channel count (R = G = B). *dst allocated. */
aug_status aug_grayscale(const aug_image *src, aug_image *dst, int keep_channels,
                         aug_error *err);

/* ---- blurs (src/kernels/blur.c, median.c): src -> new *dst ---- */
/* torchvision's gaussian_blur: kernel exp(-x^2 / 2 sigma^2) normalised
 * over ksize taps (odd), applied along rows then columns, reflect101
 * border, rounded. ksize 0: 2 ceil(3 sigma) + 1. */
aug_status aug_gaussian_blur(const aug_image *src, aug_image *dst, double sigma, int ksize,
                             aug_error *err);
/* The mean of the ksize x ksize box (odd), reflect101 border, rounded
 * half up (OpenCV blur). */
aug_status aug_box_blur(const aug_image *src, aug_image *dst, int ksize, aug_error *err);
/* The median of the ksize x ksize box (odd), replicate border (OpenCV
 * medianBlur). */
aug_status aug_median_blur(const aug_image *src, aug_image *dst, int ksize, aug_error *err);
/* A line of `length` pixels through the centre at `angle` degrees
 * (counter-clockwise from the x axis), antialiased and normalised, as the
 * kernel (imgaug / albumentations MotionBlur); reflect101 border. */
aug_status aug_motion_blur(const aug_image *src, aug_image *dst, int length, double angle,
                           aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
