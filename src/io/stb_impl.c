/* The one place stb_image and stb_image_write are compiled, with our limits.
 *
 * Why here and not Debian's prebuilt libstb: we choose the formats (less
 * decoder surface: stb_image has a long CVE record, mostly in formats we
 * do not need, such as PSD, HDR and PIC), cap the dimensions, and keep
 * every stb function static. stb_image decodes BMP, TGA, PNM and GIF;
 * stb_image_write writes BMP and TGA (PNG is ours, src/io/png_read.c and
 * png_write.c; JPEG is libjpeg-turbo). */
#include <stdlib.h>

#include <limits.h>

/* 2^16 per side: far beyond any training image, and small enough that
 * w * h * 4 cannot overflow an int inside stb. The --max-pixels guard
 * (checked from the header before any pixel is allocated) is the real cap. */
#define STBI_MAX_DIMENSIONS (1 << 16)
/* JPEG is libjpeg-turbo's (src/io/codec_jpeg.c) and PNG ours, so stb's
 * JPEG and PNG decoders (and its inflate) are left out. stb_image_write has no switch to leave out its JPEG and PNG
 * writers: they are compiled but never called. */
/* stb's allocations go through these so that a failure is known for what
 * it is: stb does not always say (its zlib returns NULL with no reason),
 * and a file must not be called corrupt when memory ran out. */
static _Thread_local int ran_out;

static void *stb_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        ran_out = 1;
    return p;
}

static void *stb_realloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q && n)
        ran_out = 1;
    return q;
}

#define STBI_MALLOC(n) stb_malloc(n)
#define STBI_REALLOC(p, n) stb_realloc(p, n)
#define STBI_FREE(p) free(p)
#define STBIW_MALLOC(n) stb_malloc(n)
#define STBIW_REALLOC(p, n) stb_realloc(p, n)
#define STBIW_FREE(p) free(p)

#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_ONLY_PNM
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "io/stb_impl.h"

int aug_stb_info(const uint8_t *buf, int len, int *w, int *h, int *comp)
{
    return stbi_info_from_memory(buf, len, w, h, comp);
}

int aug_stb_is_16_bit(const uint8_t *buf, int len)
{
    return stbi_is_16_bit_from_memory(buf, len);
}

uint8_t *aug_stb_load(const uint8_t *buf, int len, int *w, int *h, int *comp)
{
    ran_out = 0;
    return stbi_load_from_memory(buf, len, w, h, comp, 0);
}

int aug_stb_ran_out_of_memory(void)
{
    int r = ran_out;
    ran_out = 0;
    return r;
}

const char *aug_stb_failure_reason(void)
{
    return stbi_failure_reason();
}

int aug_stb_write_bmp(aug_stb_write_fn *fn, void *ctx, int w, int h, int comp, const void *data)
{
    return stbi_write_bmp_to_func(fn, ctx, w, h, comp, data);
}

int aug_stb_write_tga(aug_stb_write_fn *fn, void *ctx, int w, int h, int comp, const void *data)
{
    return stbi_write_tga_to_func(fn, ctx, w, h, comp, data);
}
