/* Internal: our PNG reader and writer (src/io/png_read.c, png_write.c),
 * and the 16-bit path through symmetries (png_transform.c). */
#ifndef AUGMENT_IO_PNG_H
#define AUGMENT_IO_PNG_H

#include <stddef.h>
#include <stdint.h>

#include "augment/image.h"

/* 1..4 channels into a malloc'd PNG; level is libdeflate's (0..12). */
aug_status aug_png_write(const aug_image *img, int level, uint8_t **buf, size_t *len,
                         aug_error *err);

/* Rows of whole-byte pixels as they go into a PNG (16-bit samples big
 * endian), with the colour type and depth to declare and an optional tRNS
 * chunk body. */
typedef struct aug_png_layout {
    int width, height, depth, colour_type;
    size_t bytes_per_pixel;
    const uint8_t *trns;
    size_t trns_len;
} aug_png_layout;

aug_status aug_png_write_rows(const aug_png_layout *l, const uint8_t *pixels, int level,
                              uint8_t **buf, size_t *len, aug_error *err);

/* A PNG of 16-bit samples read whole, samples as stored (big endian),
 * interlacing undone: *pixels is malloc'd, l->trns points into buf. */
aug_status aug_png_read_rows(const uint8_t *buf, size_t len, size_t max_pixels,
                             aug_png_layout *l, uint8_t **pixels, aug_error *err);

#endif
