/* Internal: the JPEG row of the codec table (src/io/codec.c), on
 * libjpeg-turbo's TurboJPEG API. */
#ifndef AUGMENT_IO_CODEC_JPEG_H
#define AUGMENT_IO_CODEC_JPEG_H

#include <stddef.h>
#include <stdint.h>

#include "augment/codec.h"

/* Grey JPEGs come out 1 channel, every other colour JPEG 3 (RGB). */
aug_status aug_jpeg_decode(const uint8_t *buf, size_t len, size_t max_pixels,
                           aug_image *img, aug_decode_info *info, aug_error *err);
aug_status aug_jpeg_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err);
/* 1..4 channels (alpha dropped) into a malloc'd buffer the caller frees. */
aug_status aug_jpeg_encode(const aug_image *img, int quality, uint8_t **buf,
                           size_t *len, aug_error *err);

#endif
