/* augment — the one image type every codec and kernel speaks. */
#ifndef AUGMENT_IMAGE_H
#define AUGMENT_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "augment/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 8 bits per sample, interleaved, rows packed with no padding:
 * sample (x, y, c) is data[((size_t)y * width + x) * channels + c].
 * channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. The last channel of a 2- or
 * 4-channel image is alpha. An image owns `data` (malloc'd) once allocated. */
typedef struct aug_image {
    int width;
    int height;
    int channels;
    uint8_t *data;
} aug_image;

/* Allocate a zeroed width x height x channels image. On failure *img is left
 * empty (data NULL). */
aug_status aug_image_alloc(aug_image *img, int width, int height, int channels,
                           aug_error *err);
/* Release the pixels and reset *img to empty; safe on an empty image. */
void aug_image_free(aug_image *img);
/* Number of bytes of pixel data. */
size_t aug_image_size(const aug_image *img);
/* True for 2- and 4-channel images. */
int aug_image_has_alpha(const aug_image *img);
/* Number of colour channels (channels without the alpha). */
int aug_image_color_channels(const aug_image *img);
/* Convert to `channels` (1..4): grey->RGB replicates, RGB->grey uses
 * Rec.601 luma, an added alpha is opaque. *dst is allocated here. */
aug_status aug_convert(const aug_image *src, aug_image *dst, int channels,
                       aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
