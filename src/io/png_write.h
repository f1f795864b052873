/* Internal: the PNG writer of the codec table (src/io/png_write.c). */
#ifndef AUGMENT_IO_PNG_WRITE_H
#define AUGMENT_IO_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "augment/image.h"

/* 1..4 channels into a malloc'd PNG; level is libdeflate's (0..12). */
aug_status aug_png_write(const aug_image *img, int level, uint8_t **buf, size_t *len,
                         aug_error *err);

#endif
