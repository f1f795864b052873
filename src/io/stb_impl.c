/* The one place stb_image and stb_image_write are compiled, with our limits.
 *
 * Why here and not Debian's prebuilt libstb: we choose the formats (less
 * decoder surface: stb_image has a long CVE record, mostly in formats we
 * do not need, such as PSD, HDR and PIC), cap the dimensions, and route
 * PNG compression through libdeflate, which is both faster and smaller
 * than stb_image_write's built-in deflate. */
#include <stdlib.h>

#include <libdeflate.h>

#include <limits.h>

/* 2^16 per side: far beyond any training image, and small enough that
 * w * h * 4 cannot overflow an int inside stb. The --max-pixels guard
 * (checked from the header before any pixel is allocated) is the real cap. */
#define STBI_MAX_DIMENSIONS (1 << 16)
/* JPEG is libjpeg-turbo's (src/io/codec_jpeg.c), so stb's JPEG decoder is
 * left out. stb_image_write has no switch to leave out its JPEG writer: it
 * is compiled but never called. */
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_ONLY_PNM
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

/* stb hands us the filtered scanlines; we return a zlib stream allocated
 * with malloc, which stb frees. Level 6 is zlib's and Pillow's default:
 * the size/speed balance users of those tools already accept. */
static unsigned char *aug_stbiw_deflate(unsigned char *data, int len,
                                        int *out_len, int quality)
{
    (void)quality; /* stb's own level scale; we fix libdeflate's instead */
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    if (!c)
        return NULL;
    size_t bound = libdeflate_zlib_compress_bound(c, (size_t)len);
    unsigned char *out = malloc(bound);
    size_t n = out ? libdeflate_zlib_compress(c, data, (size_t)len, out, bound) : 0;
    libdeflate_free_compressor(c);
    if (n == 0 || n > (size_t)INT_MAX) {
        free(out);
        return NULL;
    }
    *out_len = (int)n;
    return out;
}

#define STBIW_ZLIB_COMPRESS aug_stbiw_deflate
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
