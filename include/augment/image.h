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

/* The eight symmetries of a rectangle (the dihedral group D4): the pixel
 * permutations that flips, quarter turns and transposes make, which a JPEG
 * can undergo without decoding (aug_jpeg_transform). As bits: 4 =
 * transpose first (swap x and y), then 1 = mirror left-right, 2 = mirror
 * top-bottom. */
typedef enum aug_dihedral {
    AUG_D4_IDENTITY = 0,
    AUG_D4_HFLIP = 1,
    AUG_D4_VFLIP = 2,
    AUG_D4_ROT180 = 3,
    AUG_D4_TRANSPOSE = 4,
    AUG_D4_ROT90_CW = 5,  /* transpose, then mirror left-right */
    AUG_D4_ROT90_CCW = 6, /* transpose, then mirror top-bottom */
    AUG_D4_TRANSVERSE = 7
} aug_dihedral;

/* b after a, as one symmetry. */
aug_dihedral aug_dihedral_then(aug_dihedral a, aug_dihedral b);

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
