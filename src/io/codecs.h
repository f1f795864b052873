/* Internal: the rows of the codec table (src/io/codec.c). Each format has
 * a sniff function (do these bytes look like it), a probe (the header:
 * size and channels as decoding would give them, limits checked), a
 * decoder and, when we write it, an encoder. They are called with a
 * non-empty buffer, a non-zero max_pixels, a checked image and options. */
#ifndef AUGMENT_IO_CODECS_H
#define AUGMENT_IO_CODECS_H

#include <stddef.h>
#include <stdint.h>

#include "augment/codec.h"

typedef int (*aug_sniff_fn)(const uint8_t *buf, size_t len);
typedef aug_status (*aug_probe_fn)(const uint8_t *buf, size_t len, size_t max_pixels,
                                   aug_header *h, aug_error *err);
typedef aug_status (*aug_decode_fn)(const uint8_t *buf, size_t len, size_t max_pixels,
                                    aug_image *img, aug_decode_info *info, aug_error *err);
typedef aug_status (*aug_encode_fn)(const aug_image *img, const aug_encode_options *o,
                                    uint8_t **buf, size_t *len, aug_error *err);

/* "image is WxH = N pixels, over the limit of M (--max-pixels)" */
aug_status aug_codec_too_many(uint64_t w, uint64_t h, size_t max_pixels, aug_error *err);

/* stb_image's formats (codec_stb.c) */
aug_status aug_stb_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                         aug_error *err);
aug_status aug_stb_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                          aug_decode_info *info, aug_error *err);
aug_status aug_bmp_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                          size_t *len, aug_error *err);
aug_status aug_tga_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                          size_t *len, aug_error *err);
aug_status aug_png_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                         aug_error *err);
aug_status aug_png_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                          aug_decode_info *info, aug_error *err);
aug_status aug_png_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                          size_t *len, aug_error *err);

/* JPEG, libjpeg-turbo (codec_jpeg.c) */
aug_status aug_jpeg_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err);
aug_status aug_jpeg_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                           aug_decode_info *info, aug_error *err);
aug_status aug_jpeg_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                           size_t *len, aug_error *err);

/* WebP, libwebp (codec_webp.c) */
int aug_webp_sniff(const uint8_t *buf, size_t len);
aug_status aug_webp_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err);
aug_status aug_webp_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                           aug_decode_info *info, aug_error *err);
aug_status aug_webp_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                           size_t *len, aug_error *err);

/* TIFF, libtiff (codec_tiff.c) */
int aug_tiff_sniff(const uint8_t *buf, size_t len);
aug_status aug_tiff_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err);
aug_status aug_tiff_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                           aug_decode_info *info, aug_error *err);
aug_status aug_tiff_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                           size_t *len, aug_error *err);

#endif
