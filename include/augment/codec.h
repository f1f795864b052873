/* augment — image files in and out.
 *
 * Decoding and encoding go through a codec table (src/io/codec.c): one row
 * per format with its names, a sniff function that recognises its bytes,
 * and its loader and saver, so a faster codec can be slotted in without
 * touching the kernels or the CLI. JPEG is libjpeg-turbo, WebP libwebp,
 * TIFF libtiff, PNG our writer over libdeflate and stb_image's reader, BMP,
 * TGA, PNM and GIF stb_image / stb_image_write. */
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
    AUG_FMT_GIF, /* first frame, read only */
    AUG_FMT_WEBP,
    AUG_FMT_TIFF /* one page, 8 bits per sample, in strips */
} aug_format;

/* Default cap on width * height, as Pillow's decompression-bomb limit. */
#define AUG_DEFAULT_MAX_PIXELS ((size_t)178956970)

typedef struct aug_decode_info {
    aug_format format; /* what the bytes were */
    int bits;          /* 8, or 16 when a 16-bit PNG was reduced to 8 */
} aug_decode_info;

/* Format from a file name's extension (case-insensitive), or UNKNOWN. */
aug_format aug_format_from_path(const char *path);
/* Format from a name: png, jpg/jpeg, bmp, tga, webp, tif/tiff, ...
 * (case-insensitive). */
aug_format aug_format_from_name(const char *name);
/* "png, jpg, bmp, tga, webp, tif": the formats we write, for messages. */
const char *aug_format_writable_list(void);
/* Every extension we read, space-separated ("png jpg jpeg ..."). */
const char *aug_format_readable_list(void);
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
    int mcu_width, mcu_height; /* JPEG: the MCU, which lossless transforms
                                  move whole; 0 otherwise */
} aug_header;
aug_status aug_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                     aug_error *err);

/* How a file is written. */
typedef enum aug_tiff_compression {
    AUG_TIFF_DEFLATE = 0, /* Deflate with horizontal differencing (default) */
    AUG_TIFF_LZW,         /* LZW with horizontal differencing */
    AUG_TIFF_NONE
} aug_tiff_compression;

typedef struct aug_encode_options {
    int quality;      /* JPEG and lossy WebP, 1..100 (default 95) */
    int png_level;    /* PNG: libdeflate's level 0..12 (default 2) */
    int lossless;     /* WebP: lossless instead of lossy */
    aug_tiff_compression tiff_compression;
} aug_encode_options;

void aug_encode_options_default(aug_encode_options *o);

/* Encode into a malloc'd buffer the caller frees. JPEG has no alpha: the
 * alpha of a 2- or 4-channel image is dropped (as ImageMagick does). PNG
 * and TIFF keep 1..4 channels as they are; WebP stores RGB or RGBA (grey
 * is written as RGB). */
aug_status aug_encode_with(const aug_image *img, aug_format fmt, const aug_encode_options *o,
                           uint8_t **buf, size_t *len, aug_error *err);
/* The same with the defaults and this quality (1..100). */
aug_status aug_encode(const aug_image *img, aug_format fmt, int quality,
                      uint8_t **buf, size_t *len, aug_error *err);

/* JPEG without generation loss: flips, quarter turns and transposes done on
 * the DCT coefficients (libjpeg-turbo's lossless transform, as jpegtran).
 * op is a dihedral transform (aug_dihedral, ops.h). With an image whose
 * size is not a multiple of the MCU on an edge that moves, the transform
 * is refused (AUG_ERR_UNSUPPORTED) rather than trimmed or padded: the
 * caller then decodes and encodes. No metadata is copied. */
aug_status aug_jpeg_transform(const uint8_t *buf, size_t len, int op, uint8_t **out,
                              size_t *out_len, aug_error *err);
/* Whether aug_jpeg_transform takes op for a JPEG of this header. */
int aug_jpeg_transform_exact(const aug_header *h, int op);

/* A 16-bit PNG through a symmetry (aug_dihedral) at full depth: its stored
 * samples moved, written back at 16 bits with its colour type and
 * transparent colour, libdeflate level `level`. Any other PNG is refused
 * (AUG_ERR_UNSUPPORTED): at 8 bits the pixel path is already exact. */
aug_status aug_png_transform(const uint8_t *buf, size_t len, size_t max_pixels, int op,
                             int level, uint8_t **out, size_t *out_len, aug_error *err);

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
