/* The PNG writer: filter each row, deflate with libdeflate, wrap in chunks.
 *
 * Written from the PNG specification (ISO/IEC 15948) rather than taken from
 * stb_image_write, whose writer leaks its compressed buffer when a later
 * allocation fails and re-runs every filter on every row. The choices are
 * the same as stb's, so the files are the same bytes as before: 8 bits per
 * sample, the colour type of the channel count, no interlace, one IDAT,
 * and per row the filter whose output has the smallest sum of absolute
 * values as signed bytes (the "minimum sum of absolute differences" rule
 * of libpng and stb; ties go to the lower filter type). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "io/codecs.h"
#include "io/png_write.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The Paeth predictor (PNG spec 9.4): a, b, c are left, above, upper left. */
static inline uint8_t paeth(int a, int b, int c)
{
    int p = a + b - c;
    int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc)
        return (uint8_t)a;
    return (uint8_t)(pb <= pc ? b : c);
}

/* Filter one row of `len` bytes (bpp per pixel) with filter type `f`;
 * prev is the row above, or NULL for the first (taken as zeros). Returns
 * the sum of |out| with out read as signed bytes. */
static unsigned long filter_row(int f, const uint8_t *row, const uint8_t *prev, size_t len,
                                size_t bpp, uint8_t *out)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < len; i++) {
        int a = i >= bpp ? row[i - bpp] : 0;
        int b = prev ? prev[i] : 0;
        int c = prev && i >= bpp ? prev[i - bpp] : 0;
        int pred;
        switch (f) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        default: pred = paeth(a, b, c); break;
        }
        uint8_t v = (uint8_t)(row[i] - pred);
        out[i] = v;
        sum += (unsigned long)abs((int)(int8_t)v);
    }
    return sum;
}

aug_status aug_png_write(const aug_image *img, int level, uint8_t **buf, size_t *len,
                         aug_error *err)
{
    static const uint8_t colour_type[5] = {0, 0, 4, 2, 6};
    size_t w = (size_t)img->width, h = (size_t)img->height, bpp = (size_t)img->channels;
    size_t row = w * bpp;
    *buf = NULL;
    *len = 0;
    if (row > (SIZE_MAX - 1) / h - 1 || (row + 1) * h > (size_t)INT_MAX * 2u)
        return aug_fail(err, AUG_ERR_LIMIT, "a %zux%zu image is too large for PNG", w, h);
    size_t raw_len = (row + 1) * h;
    uint8_t *raw = malloc(raw_len), *trial = malloc(row ? row : 1);
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(level);
    uint8_t *out = NULL;
    aug_status st = AUG_OK;
    if (!raw || !trial || !z) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory encoding png");
        goto done;
    }
    for (size_t y = 0; y < h; y++) {
        const uint8_t *cur = img->data + y * row, *prev = y ? cur - row : NULL;
        uint8_t *dst = raw + y * (row + 1);
        unsigned long best = 0;
        int best_f = 0;
        for (int f = 0; f < 5; f++) {
            unsigned long s = filter_row(f, cur, prev, row, bpp, f == 0 ? dst + 1 : trial);
            if (f == 0 || s < best) {
                best = s;
                best_f = f;
                if (f)
                    memcpy(dst + 1, trial, row);
            }
        }
        dst[0] = (uint8_t)best_f;
    }
    size_t bound = libdeflate_zlib_compress_bound(z, raw_len);
    size_t total = 8 + (12 + 13) + 12 + bound + 12;
    out = malloc(total);
    if (!out) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory encoding png");
        goto done;
    }
    uint8_t *p = out;
    memcpy(p, "\x89PNG\r\n\x1a\n", 8);
    p += 8;
    /* IHDR */
    put32(p, 13);
    memcpy(p + 4, "IHDR", 4);
    put32(p + 8, (uint32_t)w);
    put32(p + 12, (uint32_t)h);
    p[16] = 8;
    p[17] = colour_type[bpp];
    p[18] = p[19] = p[20] = 0; /* deflate, adaptive filtering, no interlace */
    put32(p + 21, (uint32_t)libdeflate_crc32(0, p + 4, 17));
    p += 25;
    /* IDAT */
    size_t zlen = libdeflate_zlib_compress(z, raw, raw_len, p + 8, bound);
    if (zlen == 0 || zlen > 0x7fffffffu) {
        st = aug_fail(err, AUG_ERR_LIMIT, "a %zux%zu image does not fit one PNG data chunk", w, h);
        goto done;
    }
    put32(p, (uint32_t)zlen);
    memcpy(p + 4, "IDAT", 4);
    put32(p + 8 + zlen, (uint32_t)libdeflate_crc32(0, p + 4, 4 + zlen));
    p += 12 + zlen;
    /* IEND */
    put32(p, 0);
    memcpy(p + 4, "IEND", 4);
    put32(p + 8, (uint32_t)libdeflate_crc32(0, p + 4, 4));
    p += 12;
    *buf = out;
    *len = (size_t)(p - out);
    out = NULL;
done:
    free(out);
    free(raw);
    free(trial);
    if (z)
        libdeflate_free_compressor(z);
    return st;
}

aug_status aug_png_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                          size_t *len, aug_error *err)
{
    return aug_png_write(img, o->png_level, buf, len, err);
}
