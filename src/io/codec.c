/* Image codecs behind one table.
 *
 * Each row is a format: its name, its extensions (the first is the one we
 * write), a sniff function that recognises its bytes, and its loader and
 * saver (NULL: read only). Callers never name a library: a faster codec
 * replaces a row, a new format adds one, and the messages that list what
 * we read and write are made from the rows. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <threads.h>

#include "io/codecs.h"

static int magic(const uint8_t *buf, size_t len, const char *m, size_t n)
{
    return len >= n && memcmp(buf, m, n) == 0;
}

static int sniff_png(const uint8_t *b, size_t n) { return magic(b, n, "\x89PNG\r\n\x1a\n", 8); }
static int sniff_jpeg(const uint8_t *b, size_t n) { return magic(b, n, "\xff\xd8\xff", 3); }
static int sniff_gif(const uint8_t *b, size_t n) { return magic(b, n, "GIF8", 4); }
static int sniff_bmp(const uint8_t *b, size_t n) { return magic(b, n, "BM", 2); }
static int sniff_pnm(const uint8_t *b, size_t n)
{
    return magic(b, n, "P5", 2) || magic(b, n, "P6", 2);
}
/* TGA has no magic number: it is what is left (the last row). */
static int sniff_tga(const uint8_t *b, size_t n)
{
    (void)b;
    return n > 0;
}

typedef struct codec {
    aug_format fmt;
    const char *name;  /* for messages */
    const char *ext;   /* the extension we write */
    const char *exts;  /* every extension we read it under, space-separated */
    aug_sniff_fn sniff;
    aug_probe_fn probe;
    aug_decode_fn decode;
    aug_encode_fn encode;
} codec;

static const codec codecs[] = {
    {AUG_FMT_PNG, "PNG", "png", "png", sniff_png, aug_png_probe, aug_png_decode, aug_png_encode},
    {AUG_FMT_JPEG, "JPEG", "jpg", "jpg jpeg jpe", sniff_jpeg, aug_jpeg_probe, aug_jpeg_decode,
     aug_jpeg_encode},
    {AUG_FMT_WEBP, "WebP", "webp", "webp", aug_webp_sniff, aug_webp_probe, aug_webp_decode,
     aug_webp_encode},
    {AUG_FMT_TIFF, "TIFF", "tif", "tif tiff", aug_tiff_sniff, aug_tiff_probe, aug_tiff_decode,
     aug_tiff_encode},
    {AUG_FMT_BMP, "BMP", "bmp", "bmp", sniff_bmp, aug_stb_probe, aug_stb_decode, aug_bmp_encode},
    {AUG_FMT_GIF, "GIF", "gif", "gif", sniff_gif, aug_stb_probe, aug_stb_decode, NULL},
    {AUG_FMT_PNM, "PNM", "pnm", "pgm ppm pnm", sniff_pnm, aug_stb_probe, aug_stb_decode, NULL},
    {AUG_FMT_TGA, "TGA", "tga", "tga", sniff_tga, aug_stb_probe, aug_stb_decode, aug_tga_encode},
};
#define NCODECS (sizeof codecs / sizeof codecs[0])

static const codec *codec_for(aug_format fmt)
{
    for (size_t i = 0; i < NCODECS; i++)
        if (codecs[i].fmt == fmt)
            return &codecs[i];
    return NULL;
}

/* Is `name` (n bytes) one of the space-separated words of `list`? */
static int in_list(const char *list, const char *name, size_t n)
{
    for (const char *p = list; *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && strncasecmp(p, name, n) == 0)
            return 1;
        p += w;
        p += *p == ' ';
    }
    return 0;
}

aug_format aug_format_from_name(const char *name)
{
    for (size_t i = 0; i < NCODECS; i++)
        if (in_list(codecs[i].exts, name, strlen(name)))
            return codecs[i].fmt;
    return AUG_FMT_UNKNOWN;
}

aug_format aug_format_from_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    return dot && dot[1] ? aug_format_from_name(dot + 1) : AUG_FMT_UNKNOWN;
}

const char *aug_format_name(aug_format fmt)
{
    const codec *c = codec_for(fmt);
    return c ? c->name : "image";
}

const char *aug_format_ext(aug_format fmt)
{
    const codec *c = codec_for(fmt);
    return c ? c->ext : "";
}

int aug_format_writable(aug_format fmt)
{
    const codec *c = codec_for(fmt);
    return c && c->encode;
}

/* The two lists are made from the table once, whichever thread asks first. */
static char writable[128], readable[256];
static once_flag lists_once = ONCE_FLAG_INIT;

static void make_lists(void)
{
    for (size_t i = 0; i < NCODECS; i++) {
        size_t n = strlen(readable);
        snprintf(readable + n, sizeof readable - n, "%s%s", n ? " " : "", codecs[i].exts);
        if (!codecs[i].encode)
            continue;
        n = strlen(writable);
        snprintf(writable + n, sizeof writable - n, "%s%s", n ? ", " : "", codecs[i].ext);
    }
}

const char *aug_format_writable_list(void)
{
    call_once(&lists_once, make_lists);
    return writable;
}

const char *aug_format_readable_list(void)
{
    call_once(&lists_once, make_lists);
    return readable;
}

aug_status aug_codec_too_many(uint64_t w, uint64_t h, size_t max_pixels, aug_error *err)
{
    return aug_fail(err, AUG_ERR_LIMIT,
                    "image is %llux%llu = %llu pixels, over the limit of %zu (--max-pixels)",
                    (unsigned long long)w, (unsigned long long)h,
                    (unsigned long long)(w * h), max_pixels);
}

/* The row for these bytes: the first whose sniff says yes. */
static const codec *sniff(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < NCODECS; i++)
        if (codecs[i].sniff(buf, len))
            return &codecs[i];
    return &codecs[NCODECS - 1];
}

void aug_encode_options_default(aug_encode_options *o)
{
    *o = (aug_encode_options){.quality = 95, .png_level = 2, .lossless = 0,
                              .tiff_compression = AUG_TIFF_DEFLATE};
}

aug_status aug_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                     aug_error *err)
{
    *h = (aug_header){0};
    if (len == 0)
        return aug_fail(err, AUG_ERR_FORMAT, "empty file");
    const codec *c = sniff(buf, len);
    h->format = c->fmt;
    h->bits = 8;
    return c->probe(buf, len, max_pixels ? max_pixels : AUG_DEFAULT_MAX_PIXELS, h, err);
}

aug_status aug_decode(const uint8_t *buf, size_t len, size_t max_pixels,
                      aug_image *img, aug_decode_info *info, aug_error *err)
{
    img->width = img->height = img->channels = 0;
    img->data = NULL;
    if (len == 0)
        return aug_fail(err, AUG_ERR_FORMAT, "empty file");
    if (max_pixels == 0)
        max_pixels = AUG_DEFAULT_MAX_PIXELS;
    const codec *c = sniff(buf, len);
    aug_decode_info local = {0};
    if (!info)
        info = &local;
    info->format = c->fmt;
    info->bits = 8;
    return c->decode(buf, len, max_pixels, img, info, err);
}

aug_status aug_encode(const aug_image *img, aug_format fmt, int quality,
                      uint8_t **buf, size_t *len, aug_error *err)
{
    aug_encode_options o;
    aug_encode_options_default(&o);
    o.quality = quality;
    return aug_encode_with(img, fmt, &o, buf, len, err);
}

aug_status aug_encode_with(const aug_image *img, aug_format fmt, const aug_encode_options *o,
                           uint8_t **buf, size_t *len, aug_error *err)
{
    *buf = NULL;
    *len = 0;
    const codec *c = codec_for(fmt);
    if (!c || !c->encode)
        return aug_fail(err, AUG_ERR_UNSUPPORTED, "cannot write %s (writable: %s)",
                        c ? c->name : "this format", aug_format_writable_list());
    if (!img->data || img->channels < 1 || img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "cannot encode an empty image");
    if (o->quality < 1 || o->quality > 100)
        return aug_fail(err, AUG_ERR_ARG, "quality %d is outside 1..100", o->quality);
    if (o->png_level < 0 || o->png_level > 12)
        return aug_fail(err, AUG_ERR_ARG, "PNG level %d is outside 0..12", o->png_level);
    if ((size_t)img->width * (size_t)img->channels > (size_t)INT_MAX / 2)
        return aug_fail(err, AUG_ERR_LIMIT, "image too wide to encode");
    return c->encode(img, o, buf, len, err);
}
