/* augment — image files in and out.
 *
 * Decoding and encoding go through a small codec table (src/io/codec.c), so
 * a faster codec can be slotted in without touching the kernels or the
 * CLI. JPEG is libjpeg-turbo; the other formats are stb_image /
 * stb_image_write. */
#ifndef AUGMENT_CODEC_H
#define AUGMENT_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include "augment/error.h"
#include "augment/image.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum aug_format {
    AUG_FMT_UNKNOWN = 0,
    AUG_FMT_PNG,
    AUG_FMT_JPEG,
    AUG_FMT_BMP,
    AUG_FMT_TGA,
    AUG_FMT_PNM, /* PGM / PPM, read only */
    AUG_FMT_GIF  /* first frame, read only */
} aug_format;

/* Default cap on width * height, as Pillow's decompression-bomb limit. */
#define AUG_DEFAULT_MAX_PIXELS ((size_t)178956970)

typedef struct aug_decode_info {
    aug_format format; /* what the bytes were */
    int bits;          /* 8, or 16 when a 16-bit PNG was reduced to 8 */
} aug_decode_info;

/* Format from a file name's extension (case-insensitive), or UNKNOWN. */
aug_format aug_format_from_path(const char *path);
/* Format from a name: png, jpg/jpeg, bmp, tga (case-insensitive). */
aug_format aug_format_from_name(const char *name);
/* Human name ("PNG", "JPEG", ...) for messages. */
const char *aug_format_name(aug_format fmt);
/* Canonical extension without the dot ("png", "jpg", ...). */
const char *aug_format_ext(aug_format fmt);
/* True if we can write this format. */
int aug_format_writable(aug_format fmt);

/* Decode an image held in memory; channels are kept as stored (palette
 * images come out RGB or RGBA). Images over max_pixels (0 = the default)
 * are refused with AUG_ERR_LIMIT before their pixels are allocated. */
aug_status aug_decode(const uint8_t *buf, size_t len, size_t max_pixels,
                      aug_image *img, aug_decode_info *info, aug_error *err);
/* What an image's header says, read without decoding a pixel: the size
 * and channels aug_decode would give. The same limits apply (max_pixels,
 * 0 = the default); a file whose header reads may still fail to decode. */
typedef struct aug_header {
    aug_format format;
    int width, height, channels;
    int bits; /* 8, or 16 for a 16-bit PNG */
} aug_header;
aug_status aug_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                     aug_error *err);

/* Encode into a malloc'd buffer the caller frees. quality 1..100 is used by
 * JPEG only. JPEG has no alpha: the alpha of a 2- or 4-channel image is
 * dropped (as ImageMagick does). PNG keeps 1..4 channels as they are. */
aug_status aug_encode(const aug_image *img, aug_format fmt, int quality,
                      uint8_t **buf, size_t *len, aug_error *err);

/* Convenience: read and decode the file at `path` ("-" = stdin). */
aug_status aug_load(const char *path, size_t max_pixels, aug_image *img,
                    aug_decode_info *info, aug_error *err);
/* Encode and write to `path` atomically (a temporary in the same folder,
 * renamed into place). fmt AUG_FMT_UNKNOWN: from the path's extension;
 * quality 0: 95. */
aug_status aug_save(const aug_image *img, const char *path, aug_format fmt, int quality,
                    aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
