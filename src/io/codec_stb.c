/* The rows of the codec table that stb_image / stb_image_write serve:
 * BMP, TGA, PNM and GIF in; BMP and TGA out (PNG is ours: png_read.c and
 * png_write.c). stb is compiled in stb_impl.c with our limits; here are
 * the checks it does not make (truncated files, zero sizes) and the
 * messages. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "io/codecs.h"
#include "io/stb_impl.h"

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }

/* Bytes a PNM header takes: magic, width, height, maxval (comments
 * allowed between them), then exactly one whitespace. 0 if malformed. */
static size_t pnm_header(const uint8_t *buf, size_t len, unsigned *maxval)
{
    size_t pos = 2;
    unsigned long v = 0;
    for (int field = 0; field < 3; field++) {
        while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r' ||
                             buf[pos] == '\n' || buf[pos] == '#'))
            if (buf[pos++] == '#')
                while (pos < len && buf[pos] != '\n')
                    pos++;
        if (pos >= len || buf[pos] < '0' || buf[pos] > '9')
            return 0;
        for (v = 0; pos < len && buf[pos] >= '0' && buf[pos] <= '9' && v < 1000000; pos++)
            v = v * 10 + (unsigned long)(buf[pos] - '0');
    }
    *maxval = (unsigned)v;
    return pos + 1;
}

/* stb reads a PNM header's numbers into an int with no overflow check
 * (undefined behaviour on a long run of digits): every field is looked at
 * here first. Sides are capped at 65536 and maxval at 65535, so no valid
 * field has more than 6 digits. 0 if one does. */
static int pnm_fields_fit(const uint8_t *buf, size_t len)
{
    size_t pos = 2;
    for (int field = 0; field < 3; field++) {
        /* stb's whitespace: C's isspace in the "C" locale */
        while (pos < len && (buf[pos] == ' ' || (buf[pos] >= '\t' && buf[pos] <= '\r') ||
                             buf[pos] == '#'))
            if (buf[pos++] == '#')
                while (pos < len && buf[pos] != '\n' && buf[pos] != '\r')
                    pos++;
        size_t digits = 0;
        for (; pos < len && buf[pos] >= '0' && buf[pos] <= '9'; pos++)
            if (++digits > 6)
                return 0;
    }
    return 1;
}

/* stb zero-fills a PNM, BMP or uncompressed TGA that ends early instead of
 * failing; refuse one shorter than its own header says it is. */
static int is_truncated(aug_format fmt, const uint8_t *buf, size_t len, int w, int h)
{
    uint64_t need = 0, px = (uint64_t)w * (uint64_t)h;
    if (fmt == AUG_FMT_PNM) {
        unsigned maxval = 255;
        size_t hdr = pnm_header(buf, len, &maxval);
        need = hdr + px * (buf[1] == '6' ? 3u : 1u) * (maxval > 255 ? 2u : 1u);
    } else if (fmt == AUG_FMT_BMP && len >= 34 && le32(buf + 14) >= 40) {
        uint32_t compression = le32(buf + 30), bits = le16(buf + 28);
        if (compression == 0 || compression == 3) /* not run-length coded */
            need = le32(buf + 10) + ((uint64_t)w * bits + 31) / 32 * 4 * (uint64_t)h;
    } else if (fmt == AUG_FMT_TGA && len >= 18 && buf[2] >= 1 && buf[2] <= 3) {
        uint64_t cmap = buf[1] ? (uint64_t)le16(buf + 5) * ((buf[7] + 7u) / 8u) : 0;
        need = 18u + buf[0] + cmap + px * ((buf[16] + 7u) / 8u);
    }
    return need > len;
}

aug_status aug_stb_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err)
{
    int w, ht, comp;
    if (len > (size_t)INT_MAX)
        return aug_fail(err, AUG_ERR_LIMIT, "file is larger than 2 GiB");
    if (h->format == AUG_FMT_PNM && !pnm_fields_fit(buf, len))
        return aug_fail(err, AUG_ERR_FORMAT,
                        "the PNM header has a number over 6 digits (sides go to 65536)");
    if (!aug_stb_info(buf, (int)len, &w, &ht, &comp)) {
        const char *why = aug_stb_failure_reason();
        if (why && strcmp(why, "too large") == 0)
            return aug_fail(err, AUG_ERR_LIMIT, "%s header gives a side over 65536 pixels",
                            aug_format_name(h->format));
        return aug_fail(err, AUG_ERR_FORMAT, "not a supported image (%s)", why ? why : "?");
    }
    /* A BMP stored top-down has a negative height (a common layout): stb
     * reports it as it is stored and decodes it the right way up. */
    if (h->format == AUG_FMT_BMP && ht < 0 && ht > INT_MIN)
        ht = -ht;
    if (w <= 0 || ht <= 0)
        return aug_fail(err, AUG_ERR_FORMAT, "the %s header gives a size of %dx%d: no pixels",
                        aug_format_name(h->format), w, ht);
    if ((uint64_t)w * (uint64_t)ht > max_pixels)
        return aug_codec_too_many((uint64_t)w, (uint64_t)ht, max_pixels, err);
    h->width = w;
    h->height = ht;
    h->channels = comp;
    h->bits = aug_stb_is_16_bit(buf, (int)len) ? 16 : 8;
    return AUG_OK;
}

aug_status aug_stb_decode(const uint8_t *buf, size_t len, size_t max_pixels,
                           aug_image *img, aug_decode_info *info, aug_error *err)
{
    int w, h, comp;
    /* Read the header first so that a decompression bomb is refused before
     * stb allocates anything for it. */
    aug_header hd = {.format = info->format};
    aug_status st = aug_stb_probe(buf, len, max_pixels, &hd, err);
    if (st)
        return st;
    w = hd.width;
    h = hd.height;
    if (is_truncated(info->format, buf, len, w, h))
        return aug_fail(err, AUG_ERR_FORMAT, "truncated %s data (%dx%d expected)",
                        aug_format_name(info->format), w, h);
    int is16 = aug_stb_is_16_bit(buf, (int)len);
    uint8_t *px = aug_stb_load(buf, (int)len, &w, &h, &comp);
    const char *why = px ? NULL : aug_stb_failure_reason();
    int ran_out = aug_stb_ran_out_of_memory();
    if (!px && (ran_out || (why && strcmp(why, "outofmem") == 0)))
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory decoding a %dx%d %s", hd.width,
                        hd.height, aug_format_name(info->format));
    if (!px)
        /* stb's reason here is often from another format's probe ("bad png
         * sig" for a broken BMP, say), so it is not repeated. */
        return aug_fail(err, AUG_ERR_FORMAT, "corrupt or truncated %s data",
                        aug_format_name(info->format));
    /* stb allocates with malloc (STBI_MALLOC is not overridden), so the
     * image adopts the buffer as it is: no copy. */
    img->width = w;
    img->height = h;
    img->channels = comp;
    img->data = px;
    info->bits = is16 ? 16 : 8;
    return AUG_OK;
}

typedef int (*stb_encode_fn)(aug_stb_write_fn *fn, void *ctx, const aug_image *img);

static int stb_bmp(aug_stb_write_fn *fn, void *ctx, const aug_image *img)
{
    if (img->channels != 2)
        return aug_stb_write_bmp(fn, ctx, img->width, img->height,
                                      img->channels, img->data);
    /* BMP has no grey+alpha layout and stb would drop the alpha: write
     * RGBA instead, the one BMP layout that keeps it. */
    aug_image rgba;
    if (aug_convert(img, &rgba, 4, NULL))
        return 0;
    int ok = aug_stb_write_bmp(fn, ctx, rgba.width, rgba.height, 4, rgba.data);
    aug_image_free(&rgba);
    return ok;
}

static int stb_tga(aug_stb_write_fn *fn, void *ctx, const aug_image *img)
{
    return aug_stb_write_tga(fn, ctx, img->width, img->height, img->channels,
                                  img->data);
}

typedef struct membuf {
    uint8_t *data;
    size_t len, cap;
    int failed;
} membuf;

static void membuf_write(void *ctx, void *data, int size)
{
    membuf *m = ctx;
    if (m->failed || size <= 0)
        return;
    if (m->len + (size_t)size > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->len + (size_t)size)
            cap *= 2;
        uint8_t *p = realloc(m->data, cap);
        if (!p) {
            m->failed = 1;
            return;
        }
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, (size_t)size);
    m->len += (size_t)size;
}

/* stb writes through a callback: collect its output in a growing buffer. */
static aug_status stb_encode(stb_encode_fn encode, const char *ext, const aug_image *img,
                             uint8_t **buf, size_t *len, aug_error *err)
{
    membuf m = {0};
    int ok = encode(membuf_write, &m, img);
    if (!ok || m.failed) {
        /* stb's writers fail for want of memory only (theirs or ours) */
        free(m.data);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory encoding %s", ext);
    }
    *buf = m.data;
    *len = m.len;
    return AUG_OK;
}

aug_status aug_bmp_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                          size_t *len, aug_error *err)
{
    (void)o;
    return stb_encode(stb_bmp, "bmp", img, buf, len, err);
}

aug_status aug_tga_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                          size_t *len, aug_error *err)
{
    (void)o;
    return stb_encode(stb_tga, "tga", img, buf, len, err);
}
