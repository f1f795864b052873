/* The PNG reader, written from the specification (ISO/IEC 15948): chunks
 * walked and their CRCs checked, the zlib stream inflated by libdeflate in
 * one call into a buffer of exactly the size the header implies, rows
 * unfiltered in place, then converted to 8-bit samples.
 *
 * Why not stb_image, which read PNG before: its inflate and its byte-wise
 * unfiltering made PNG decoding slower than Pillow's (libpng + zlib);
 * libdeflate inflates about twice as fast as zlib, and unfiltering a row
 * with the pixel size fixed at compile time lets the compiler keep a
 * pixel's samples in registers. The output is what stb gave, so nothing
 * downstream changes: 1 to 4 channels by colour type (grey, grey+alpha,
 * RGB, RGBA; palettes expand to RGB, or RGBA with a tRNS chunk; a tRNS on
 * grey or RGB adds an alpha channel), 16-bit samples reduced to their high
 * byte (the caller is told the file had 16 bits), 1, 2 and 4-bit grey
 * scaled to 0..255, Adam7 interlacing undone.
 *
 * Refused, with one line: a bad signature or IHDR, a CRC error in a
 * critical chunk (IHDR, PLTE, IDAT, IEND; a bad ancillary chunk is skipped,
 * as libpng does), an unknown critical chunk, a palette image without or
 * with a short PLTE, an index past the palette, a filter type over 4, and
 * image data that is corrupt or ends early. Ancillary chunks other than
 * tRNS are ignored. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "io/codecs.h"
#include "io/png.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

typedef struct png_info {
    uint32_t width, height;
    int depth, colour, interlace;
    int in_ch;  /* samples per pixel in the file */
    int out_ch; /* channels of the decoded image */
    const uint8_t *plte;
    size_t plte_n;
    const uint8_t *trns;
    size_t trns_n;
} png_info;

static aug_status corrupt(aug_error *err, const char *why)
{
    return aug_fail(err, AUG_ERR_FORMAT, "corrupt PNG: %s", why);
}

static int crc_ok(const uint8_t *chunk, uint32_t n)
{
    return libdeflate_crc32(0, chunk + 4, 4 + (size_t)n) == be32(chunk + 8 + n);
}

/* The header alone: size first (so a bomb is refused with its size even
 * when the rest is damaged), then the fields and the IHDR's CRC. */
static aug_status read_ihdr(const uint8_t *buf, size_t len, size_t max_pixels, png_info *pi,
                            aug_error *err)
{
    if (len < 8 + 25 || memcmp(buf + 12, "IHDR", 4) != 0 || be32(buf + 8) != 13)
        return corrupt(err, "no IHDR chunk first");
    pi->width = be32(buf + 16);
    pi->height = be32(buf + 20);
    if (pi->width == 0 || pi->height == 0)
        return aug_fail(err, AUG_ERR_FORMAT, "the PNG header gives a size of %ux%u: no pixels",
                        (unsigned)pi->width, (unsigned)pi->height);
    if (pi->width > INT_MAX || pi->height > INT_MAX ||
        (uint64_t)pi->width * pi->height > max_pixels)
        return aug_codec_too_many(pi->width, pi->height, max_pixels, err);
    if (!crc_ok(buf + 8, 13))
        return corrupt(err, "IHDR fails its CRC");
    pi->depth = buf[24];
    pi->colour = buf[25];
    pi->interlace = buf[28];
    static const int samples[7] = {1, 0, 3, 1, 2, 0, 4};
    int d = pi->depth, c = pi->colour;
    int ok = c <= 6 && samples[c] &&
             (c == 0   ? d == 1 || d == 2 || d == 4 || d == 8 || d == 16
              : c == 3 ? d == 1 || d == 2 || d == 4 || d == 8
                       : d == 8 || d == 16);
    if (!ok)
        return corrupt(err, "a colour type and bit depth the standard does not allow");
    if (buf[26] != 0 || buf[27] != 0 || pi->interlace > 1)
        return corrupt(err, "unknown compression, filter or interlace method");
    pi->in_ch = samples[c];
    return AUG_OK;
}

/* tRNS: grey, one 16-bit value; RGB, three; palette, an alpha per entry
 * (fewer allowed). On the other colour types it means nothing. */
static int trns_fits(const png_info *pi, uint32_t n)
{
    return pi->colour == 0 ? n == 2 : pi->colour == 2 ? n == 6 : pi->colour == 3 && n <= 256;
}

/* Walk the chunks once: PLTE and tRNS noted, IDAT bytes gathered (by
 * reference when there is one chunk, the common case, else copied). */
static aug_status read_chunks(const uint8_t *buf, size_t len, png_info *pi, const uint8_t **z,
                              size_t *zlen, uint8_t **zcopy, aug_error *err)
{
    size_t idat_total = 0, idat_chunks = 0;
    const uint8_t *first = NULL;
    int seen_idat = 0, done = 0;
    *zcopy = NULL;
    for (size_t pos = 8; pos < len && !done;) {
        if (len - pos < 12)
            return corrupt(err, "the file ends inside a chunk");
        uint32_t n = be32(buf + pos);
        const uint8_t *chunk = buf + pos, *type = chunk + 4;
        if (n > len - pos - 12)
            return corrupt(err, "the file ends inside a chunk");
        int critical = !(type[0] & 0x20);
        if (!crc_ok(chunk, n)) {
            if (critical)
                return aug_fail(err, AUG_ERR_FORMAT, "corrupt PNG: %.4s fails its CRC",
                                (const char *)type);
            pos += 12 + (size_t)n; /* a damaged ancillary chunk is dropped */
            continue;
        }
        if (!memcmp(type, "IDAT", 4)) {
            if (seen_idat == 2)
                return corrupt(err, "IDAT chunks are not consecutive");
            seen_idat = 1;
            if (n) {
                if (!first)
                    first = chunk + 8;
                idat_total += n;
                idat_chunks++;
            }
        } else {
            if (seen_idat)
                seen_idat = 2;
            if (!memcmp(type, "IEND", 4)) {
                done = 1;
            } else if (!memcmp(type, "PLTE", 4)) {
                if (seen_idat || n % 3 || n == 0 || n > 768)
                    return corrupt(err, "a bad PLTE chunk");
                pi->plte = chunk + 8;
                pi->plte_n = n / 3;
            } else if (!memcmp(type, "tRNS", 4)) {
                if (!seen_idat && trns_fits(pi, n)) {
                    pi->trns = chunk + 8;
                    pi->trns_n = n;
                }
            } else if (!memcmp(type, "IHDR", 4) && pos != 8) {
                return corrupt(err, "a second IHDR");
            } else if (critical && memcmp(type, "IHDR", 4)) {
                return aug_fail(err, AUG_ERR_FORMAT, "corrupt PNG: unknown critical chunk %.4s",
                                (const char *)type);
            }
        }
        pos += 12 + (size_t)n;
    }
    if (!idat_total)
        return corrupt(err, "no image data");
    if (pi->colour == 3 && !pi->plte)
        return corrupt(err, "a palette image without PLTE");
    if (idat_chunks == 1) {
        *z = first;
        *zlen = idat_total;
        return AUG_OK;
    }
    uint8_t *cat = malloc(idat_total);
    if (!cat)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory reading a PNG");
    size_t at = 0;
    for (size_t pos = 8; at < idat_total;) {
        uint32_t n = be32(buf + pos);
        if (!memcmp(buf + pos + 4, "IDAT", 4) && crc_ok(buf + pos, n)) {
            memcpy(cat + at, buf + pos + 8, n);
            at += n;
        }
        pos += 12 + (size_t)n;
    }
    *z = cat;
    *zlen = idat_total;
    *zcopy = cat;
    return AUG_OK;
}

static void set_channels(png_info *pi)
{
    static const int out[7] = {1, 0, 3, 3, 2, 0, 4};
    pi->out_ch = out[pi->colour] + (pi->trns != NULL && pi->colour != 4 && pi->colour != 6);
}

aug_status aug_png_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                         aug_error *err)
{
    png_info pi = {0};
    aug_status st = read_ihdr(buf, len, max_pixels, &pi, err);
    if (st)
        return st;
    /* tRNS (which adds a channel) comes before the image data: look
     * without checking the rest */
    for (size_t pos = 8; len - pos >= 12;) {
        uint32_t n = be32(buf + pos);
        const uint8_t *type = buf + pos + 4;
        if (!memcmp(type, "IDAT", 4) || n > len - pos - 12)
            break;
        if (!memcmp(type, "tRNS", 4) && trns_fits(&pi, n) && crc_ok(buf + pos, n))
            pi.trns = buf + pos + 8; /* as read_chunks takes it */
        pos += 12 + (size_t)n;
    }
    set_channels(&pi);
    h->width = (int)pi.width;
    h->height = (int)pi.height;
    h->channels = pi.out_ch;
    h->bits = pi.depth == 16 ? 16 : 8;
    return AUG_OK;
}

/* ---- unfiltering ---- */

static inline uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
    int pa = abs((int)b - c), pb = abs((int)a - c), pc = abs((int)a + b - 2 * c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undo one row's filter in place: row has n bytes, prev the row above
 * (zeros above the first), bpp bytes per pixel (at least 1). Inlined with
 * bpp constant, the loops over a pixel's bytes unroll. */
static inline __attribute__((always_inline)) int unfilter_row(int f, uint8_t *row,
                                                              const uint8_t *prev, size_t n,
                                                              size_t bpp)
{
    size_t i;
    switch (f) {
    case 0:
        return 0;
    case 1:
        for (i = bpp; i < n; i++)
            row[i] = (uint8_t)(row[i] + row[i - bpp]);
        return 0;
    case 2:
        for (i = 0; i < n; i++)
            row[i] = (uint8_t)(row[i] + prev[i]);
        return 0;
    case 3:
        for (i = 0; i < bpp && i < n; i++)
            row[i] = (uint8_t)(row[i] + (prev[i] >> 1));
        for (; i < n; i++)
            row[i] = (uint8_t)(row[i] + ((row[i - bpp] + prev[i]) >> 1));
        return 0;
    case 4:
        for (i = 0; i < bpp && i < n; i++)
            row[i] = (uint8_t)(row[i] + prev[i]);
        for (; i < n; i++)
            row[i] = (uint8_t)(row[i] + paeth(row[i - bpp], prev[i], prev[i - bpp]));
        return 0;
    default:
        return -1;
    }
}

static int unfilter_rows(uint8_t *raw, size_t rows, size_t n, size_t bpp, const uint8_t *zeros)
{
    const uint8_t *prev = zeros;
    for (size_t y = 0; y < rows; y++) {
        uint8_t *row = raw + y * (n + 1);
        int f = row[0], bad;
        switch (bpp) { /* the common pixel sizes as constants */
        case 1: bad = unfilter_row(f, row + 1, prev, n, 1); break;
        case 2: bad = unfilter_row(f, row + 1, prev, n, 2); break;
        case 3: bad = unfilter_row(f, row + 1, prev, n, 3); break;
        case 4: bad = unfilter_row(f, row + 1, prev, n, 4); break;
        case 6: bad = unfilter_row(f, row + 1, prev, n, 6); break;
        case 8: bad = unfilter_row(f, row + 1, prev, n, 8); break;
        default: bad = unfilter_row(f, row + 1, prev, n, bpp); break;
        }
        if (bad)
            return -1;
        prev = row + 1;
    }
    return 0;
}

/* ---- conversion to the output samples ---- */

/* Sample x (0-based) of a row of `depth`-bit samples. */
static inline unsigned sample(const uint8_t *row, size_t x, int depth)
{
    switch (depth) {
    case 8: return row[x];
    case 16: return (unsigned)row[2 * x] << 8 | row[2 * x + 1];
    default: {
        size_t bit = x * (size_t)depth;
        return (unsigned)(row[bit / 8] >> (8 - depth - (int)(bit % 8))) & ((1u << depth) - 1);
    }
    }
}

/* One row of w pixels (already unfiltered, `row`) to the output pixels at
 * `out`, `step` bytes apart (1 pixel apart, or 2^k for an interlaced
 * pass). Returns -1 for a palette index past the palette. */
static int convert_row(const png_info *pi, const uint8_t *row, size_t w, uint8_t *out,
                       size_t step)
{
    int d = pi->depth, ic = pi->in_ch, oc = pi->out_ch;
    if (d == 8 && ic == oc && step == (size_t)oc) {
        memcpy(out, row, w * (size_t)oc);
        return 0;
    }
    if (pi->colour == 3) {
        for (size_t x = 0; x < w; x++, out += step) {
            unsigned k = sample(row, x, d);
            if (k >= pi->plte_n)
                return -1;
            memcpy(out, pi->plte + 3 * k, 3);
            if (oc == 4)
                out[3] = k < pi->trns_n ? pi->trns[k] : 255;
        }
        return 0;
    }
    /* grey scaled from 1, 2 or 4 bits; 16 bits to the high byte */
    static const uint8_t scale[17] = {0, 0xff, 0x55, 0, 0x11, 0, 0, 0, 1};
    for (size_t x = 0; x < w; x++, out += step) {
        int match = 1;
        for (int c = 0; c < ic; c++) {
            unsigned v = sample(row, x * (size_t)ic + (size_t)c, d);
            out[c] = (uint8_t)(d == 16 ? v >> 8 : v * scale[d]);
        }
        if (oc > ic) { /* the tRNS colour is transparent, every other opaque */
            for (int c = 0; c < ic; c++)
                match &= sample(row, x * (size_t)ic + (size_t)c, d) == be16(pi->trns + 2 * c);
            out[ic] = match ? 0 : 255;
        }
    }
    return 0;
}

/* The bytes of a pass of w x h pixels: a filter byte and the row. */
static size_t row_bytes(const png_info *pi, size_t w)
{
    return (w * (size_t)pi->in_ch * (size_t)pi->depth + 7) / 8;
}

/* What the image data holds once inflated and unfiltered: one pass, or
 * Adam7's seven, each rows of a filter byte and n bytes. */
typedef struct passes {
    int count;
    size_t w[7], h[7], sx[7], sy[7], stepx[7], stepy[7];
    uint8_t *raw;
} passes;

static size_t pass_rows_bytes(const png_info *pi, const passes *ps, int p)
{
    return ps->w[p] ? ps->h[p] * (row_bytes(pi, ps->w[p]) + 1) : 0;
}

/* Header, chunks, inflate and unfilter: everything both readers share.
 * On success ps->raw is malloc'd. */
static aug_status inflate_all(const uint8_t *buf, size_t len, size_t max_pixels, png_info *pi,
                              passes *ps, aug_error *err)
{
    aug_status st = read_ihdr(buf, len, max_pixels, pi, err);
    if (st)
        return st;
    const uint8_t *z = NULL;
    size_t zlen = 0;
    uint8_t *zcopy = NULL, *zeros = NULL;
    struct libdeflate_decompressor *dec = NULL;
    if ((st = read_chunks(buf, len, pi, &z, &zlen, &zcopy, err)))
        return st;
    set_channels(pi);
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, y0[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    int a = pi->interlace;
    ps->count = a ? 7 : 1;
    ps->raw = NULL;
    uint64_t total = 0;
    for (int p = 0; p < ps->count; p++) {
        ps->sx[p] = a ? (size_t)x0[p] : 0;
        ps->sy[p] = a ? (size_t)y0[p] : 0;
        ps->stepx[p] = a ? (size_t)dx[p] : 1;
        ps->stepy[p] = a ? (size_t)dy[p] : 1;
        ps->w[p] = pi->width > ps->sx[p] ? (pi->width - ps->sx[p] + ps->stepx[p] - 1) / ps->stepx[p] : 0;
        ps->h[p] = pi->height > ps->sy[p] ? (pi->height - ps->sy[p] + ps->stepy[p] - 1) / ps->stepy[p] : 0;
        if (!ps->h[p])
            ps->w[p] = 0;
        total += pass_rows_bytes(pi, ps, p);
    }
    if (total > SIZE_MAX) {
        st = aug_fail(err, AUG_ERR_LIMIT, "a %ux%u PNG is too large to decode here",
                      (unsigned)pi->width, (unsigned)pi->height);
        goto done;
    }
    ps->raw = malloc((size_t)total);
    zeros = calloc(1, row_bytes(pi, pi->width) + 1);
    dec = libdeflate_alloc_decompressor();
    if (!ps->raw || !zeros || !dec) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory decoding a %ux%u PNG",
                      (unsigned)pi->width, (unsigned)pi->height);
        goto done;
    }
    size_t got = 0;
    enum libdeflate_result r =
        libdeflate_zlib_decompress(dec, z, zlen, ps->raw, (size_t)total, &got);
    /* more data than the image needs is ignored, as libpng does */
    if ((r != LIBDEFLATE_SUCCESS && r != LIBDEFLATE_INSUFFICIENT_SPACE) || got < total) {
        st = aug_fail(err, AUG_ERR_FORMAT, "corrupt or truncated PNG data");
        goto done;
    }
    size_t bpp = ((size_t)pi->in_ch * (size_t)pi->depth + 7) / 8;
    uint8_t *at = ps->raw;
    for (int p = 0; p < ps->count; p++) {
        if (!ps->w[p])
            continue;
        if (unfilter_rows(at, ps->h[p], row_bytes(pi, ps->w[p]), bpp, zeros)) {
            st = aug_fail(err, AUG_ERR_FORMAT, "corrupt PNG: a row filter type over 4");
            goto done;
        }
        at += pass_rows_bytes(pi, ps, p);
    }
done:
    if (st) {
        free(ps->raw);
        ps->raw = NULL;
    }
    if (dec)
        libdeflate_free_decompressor(dec);
    free(zeros);
    free(zcopy);
    return st;
}

aug_status aug_png_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                          aug_decode_info *info, aug_error *err)
{
    png_info pi = {0};
    passes ps;
    aug_status st = inflate_all(buf, len, max_pixels, &pi, &ps, err);
    if (st)
        return st;
    if (aug_image_alloc(img, (int)pi.width, (int)pi.height, pi.out_ch, NULL)) {
        free(ps.raw);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory decoding a %ux%u PNG",
                        (unsigned)pi.width, (unsigned)pi.height);
    }
    size_t oc = (size_t)pi.out_ch, stride = (size_t)pi.width * oc;
    const uint8_t *at = ps.raw;
    for (int p = 0; p < ps.count && !st; p++) {
        size_t n = ps.w[p] ? row_bytes(&pi, ps.w[p]) : 0;
        for (size_t y = 0; y < ps.h[p] && ps.w[p]; y++, at += n + 1)
            if (convert_row(&pi, at + 1, ps.w[p],
                            img->data + (ps.sy[p] + y * ps.stepy[p]) * stride + ps.sx[p] * oc,
                            ps.stepx[p] * oc)) {
                st = corrupt(err, "a palette index past the palette");
                break;
            }
    }
    free(ps.raw);
    if (st) {
        aug_image_free(img);
        return st;
    }
    info->bits = pi.depth == 16 ? 16 : 8;
    return AUG_OK;
}

aug_status aug_png_read_rows(const uint8_t *buf, size_t len, size_t max_pixels,
                             aug_png_layout *l, uint8_t **pixels, aug_error *err)
{
    png_info pi = {0};
    passes ps;
    *pixels = NULL;
    aug_status st = read_ihdr(buf, len, max_pixels, &pi, err);
    if (st)
        return st;
    if (pi.depth != 16)
        return aug_fail(err, AUG_ERR_UNSUPPORTED, "not a 16-bit PNG");
    if ((st = inflate_all(buf, len, max_pixels, &pi, &ps, err)))
        return st;
    size_t bpp = (size_t)pi.in_ch * 2, stride = (size_t)pi.width * bpp;
    uint8_t *out = ps.count == 1 ? NULL : malloc(stride * pi.height);
    if (ps.count == 1) {
        /* in place: drop each row's filter byte */
        for (size_t y = 0; y < pi.height; y++)
            memmove(ps.raw + y * stride, ps.raw + y * (stride + 1) + 1, stride);
        out = ps.raw;
    } else if (out) {
        const uint8_t *at = ps.raw;
        for (int p = 0; p < ps.count; p++)
            for (size_t y = 0; y < ps.h[p] && ps.w[p]; y++, at += ps.w[p] * bpp + 1)
                for (size_t x = 0; x < ps.w[p]; x++)
                    memcpy(out + (ps.sy[p] + y * ps.stepy[p]) * stride +
                               (ps.sx[p] + x * ps.stepx[p]) * bpp,
                           at + 1 + x * bpp, bpp);
        free(ps.raw);
    } else {
        free(ps.raw);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory decoding a %ux%u PNG",
                        (unsigned)pi.width, (unsigned)pi.height);
    }
    *l = (aug_png_layout){(int)pi.width, (int)pi.height, 16, pi.colour, bpp, pi.trns,
                          pi.trns ? pi.trns_n : 0};
    *pixels = out;
    return AUG_OK;
}
