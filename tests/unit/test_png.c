/* The PNG writer and reader. The writer, read back independently: every chunk's CRC, the IHDR
 * fields, the zlib stream inflated here with libdeflate, each row's filter
 * undone with the specification's own formulas (PNG 9.2-9.4, written out
 * below with the spec's branches, not the writer's vector form), and the
 * filter chosen on each row checked to be the one of smallest sum of
 * |signed byte| (lowest type on ties). For every level 0..12 and every
 * channel count; then the AVX2 build of the filters against the baseline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "augment/augment.h"
#include "testutil.h"

extern int aug_simd_disable;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* the spec's predictor, as printed there */
static int paeth_spec(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc)
        return a;
    if (pb <= pc)
        return b;
    return c;
}

static int predict(int f, int a, int b, int c)
{
    switch (f) {
    case 0: return 0;
    case 1: return a;
    case 2: return b;
    case 3: return (a + b) / 2;
    default: return paeth_spec(a, b, c);
    }
}

/* content with smooth parts, edges and noise, so rows choose different
 * filters */
static void mixed(aug_image *img, int w, int h, int ch, uint64_t seed)
{
    make_image(img, w, h, ch);
    aug_rng rng;
    aug_rng_seed(&rng, seed);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++) {
                int v;
                switch ((y / 4) % 4) {
                case 0: v = x * 3 + c * 40; break;           /* horizontal ramp */
                case 1: v = y * 5 + c; break;                /* vertical ramp */
                case 2: v = (int)aug_rng_below(&rng, 256); break; /* noise */
                default: v = ((x / 3 + y) & 1) * 200 + c; break;  /* stripes */
                }
                pixel_at(img, x, y)[c] = (uint8_t)v;
            }
}

static void check_file(const uint8_t *buf, size_t len, const aug_image *img)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const int colour_type[5] = {0, 0, 4, 2, 6};
    assert_true(len > 8);
    assert_memory_equal(buf, sig, 8);
    size_t w = (size_t)img->width, h = (size_t)img->height, bpp = (size_t)img->channels;
    size_t row = w * bpp, raw_len = (row + 1) * h;
    uint8_t *raw = malloc(raw_len);
    assert_non_null(raw);
    int seen_ihdr = 0, seen_idat = 0, seen_iend = 0;
    for (size_t at = 8; at < len;) {
        assert_true(at + 12 <= len);
        uint32_t n = be32(buf + at);
        assert_true(at + 12 + n <= len);
        const uint8_t *type = buf + at + 4, *data = buf + at + 8;
        assert_int_equal(be32(data + n), libdeflate_crc32(0, type, 4 + n));
        if (!memcmp(type, "IHDR", 4)) {
            assert_int_equal(n, 13);
            assert_int_equal(be32(data), w);
            assert_int_equal(be32(data + 4), h);
            assert_int_equal(data[8], 8);
            assert_int_equal(data[9], colour_type[bpp]);
            assert_int_equal(data[10] | data[11] | data[12], 0);
            seen_ihdr = 1;
        } else if (!memcmp(type, "IDAT", 4)) {
            struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
            size_t got = 0;
            assert_int_equal(libdeflate_zlib_decompress(d, data, n, raw, raw_len, &got),
                             LIBDEFLATE_SUCCESS);
            assert_int_equal(got, raw_len);
            libdeflate_free_decompressor(d);
            seen_idat++;
        } else if (!memcmp(type, "IEND", 4)) {
            assert_int_equal(n, 0);
            assert_int_equal(at + 12, len);
            seen_iend = 1;
        }
        at += 12 + n;
    }
    assert_true(seen_ihdr && seen_idat == 1 && seen_iend);
    for (size_t y = 0; y < h; y++) {
        const uint8_t *cur = img->data + y * row, *prev = y ? cur - row : NULL;
        const uint8_t *line = raw + y * (row + 1);
        int f = line[0];
        assert_in_range(f, 0, 4);
        unsigned long sums[5] = {0, 0, 0, 0, 0};
        for (size_t i = 0; i < row; i++) {
            int a = i >= bpp ? cur[i - bpp] : 0, b = prev ? prev[i] : 0;
            int c = prev && i >= bpp ? prev[i - bpp] : 0;
            /* undo the filter written: the image comes back */
            assert_int_equal((uint8_t)(line[1 + i] + predict(f, a, b, c)), cur[i]);
            for (int t = 0; t < 5; t++)
                sums[t] += (unsigned long)abs((int8_t)(uint8_t)(cur[i] - predict(t, a, b, c)));
        }
        for (int t = 0; t < 5; t++)
            assert_true(sums[f] < sums[t] || (sums[f] == sums[t] && f <= t));
    }
    free(raw);
}

static void test_levels_and_filters(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1, 1}, {2, 3}, {37, 29}, {130, 17}};
    for (int ch = 1; ch <= 4; ch++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            aug_image img;
            mixed(&img, sizes[s][0], sizes[s][1], ch, (uint64_t)(ch * 10 + (int)s));
            size_t stored = 0, best = 0;
            for (int level = 0; level <= 12; level++) {
                aug_encode_options o;
                aug_encode_options_default(&o);
                o.png_level = level;
                uint8_t *buf = NULL;
                size_t len = 0;
                aug_error err = {0};
                assert_int_equal(aug_encode_with(&img, AUG_FMT_PNG, &o, &buf, &len, &err),
                                 AUG_OK);
                check_file(buf, len, &img);
                /* and our decoder agrees */
                aug_image back;
                assert_int_equal(aug_decode(buf, len, 0, &back, NULL, &err), AUG_OK);
                assert_int_equal(back.channels, ch);
                assert_memory_equal(back.data, img.data, aug_image_size(&img));
                aug_image_free(&back);
                if (level == 0)
                    stored = len;
                if (level == 12)
                    best = len;
                free(buf);
            }
            /* level 0 stores: never smaller than what level 12 makes */
            assert_true(stored >= best);
            if (aug_image_size(&img) > 1000)
                assert_true(stored > best);
            aug_image_free(&img);
        }
}

static void test_refused_levels(void **state)
{
    (void)state;
    aug_image img;
    mixed(&img, 4, 4, 3, 1);
    for (int level = -1; level <= 13; level += 14) {
        aug_encode_options o;
        aug_encode_options_default(&o);
        o.png_level = level;
        uint8_t *buf = NULL;
        size_t len = 0;
        aug_error err = {0};
        assert_int_equal(aug_encode_with(&img, AUG_FMT_PNG, &o, &buf, &len, &err), AUG_ERR_ARG);
        assert_non_null(strstr(err.msg, "0..12"));
        assert_null(buf);
    }
    aug_image_free(&img);
}

static void test_wide_build_same_bytes(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img;
        mixed(&img, 301, 67, ch, (uint64_t)ch);
        uint8_t *a = NULL, *b = NULL;
        size_t la = 0, lb = 0;
        aug_error err = {0};
        assert_int_equal(aug_encode(&img, AUG_FMT_PNG, 95, &a, &la, &err), AUG_OK);
        aug_simd_disable = 1;
        assert_int_equal(aug_encode(&img, AUG_FMT_PNG, 95, &b, &lb, &err), AUG_OK);
        aug_simd_disable = 0;
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a);
        free(b);
        aug_image_free(&img);
    }
}

/* ---- the reader ----
 *
 * PNGs built here from the specification, sample by sample: every colour
 * type at every bit depth it allows, plain and Adam7-interlaced, with and
 * without tRNS, rows filtered with each of the five filters in turn (so
 * every unfilter runs at every pixel size), the data split over several
 * IDAT chunks; the decoded pixels are checked against the rules written
 * here (16 bits to the high byte, 1/2/4-bit grey scaled to 0..255,
 * palettes expanded, tRNS to an alpha channel). Then damaged files. */

typedef struct bytes {
    uint8_t *d;
    size_t n, cap;
} bytes;

static void put(bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->d = realloc(b->d, b->cap);
        assert_non_null(b->d);
    }
    memcpy(b->d + b->n, p, n);
    b->n += n;
}

static void put32(bytes *b, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(b, p, 4);
}

static void chunk(bytes *b, const char *type, const uint8_t *data, size_t n)
{
    put32(b, (uint32_t)n);
    size_t at = b->n;
    put(b, type, 4);
    if (n)
        put(b, data, n);
    put32(b, (uint32_t)libdeflate_crc32(0, b->d + at, 4 + n));
}

typedef struct spec {
    int w, h, depth, colour, interlace;
    const uint8_t *plte; /* colour 3: entries x 3 */
    int plte_n;
    const uint8_t *trns;
    int trns_n;
} spec;

static int samples_of(int colour)
{
    static const int s[7] = {1, 0, 3, 1, 2, 0, 4};
    return s[colour];
}

/* Adam7 (PNG 8.2) */
static const int A7X[7] = {0, 4, 0, 2, 0, 1, 0}, A7Y[7] = {0, 0, 4, 0, 2, 0, 1};
static const int A7DX[7] = {8, 8, 4, 4, 2, 2, 1}, A7DY[7] = {8, 8, 8, 4, 4, 2, 2};

/* The file for these samples (w * h * samples values, each below 2^depth). */
static bytes build(const spec *sp, const uint16_t *v, int idat_pieces)
{
    bytes f = {0}, raw = {0};
    put(&f, "\x89PNG\r\n\x1a\n", 8);
    uint8_t ihdr[13];
    for (int k = 0; k < 4; k++) {
        ihdr[k] = (uint8_t)(sp->w >> (24 - 8 * k));
        ihdr[4 + k] = (uint8_t)(sp->h >> (24 - 8 * k));
    }
    ihdr[8] = (uint8_t)sp->depth;
    ihdr[9] = (uint8_t)sp->colour;
    ihdr[10] = ihdr[11] = 0;
    ihdr[12] = (uint8_t)sp->interlace;
    chunk(&f, "IHDR", ihdr, 13);
    chunk(&f, "tEXt", (const uint8_t *)"Comment\0made by the test", 24);
    if (sp->plte)
        chunk(&f, "PLTE", sp->plte, (size_t)sp->plte_n * 3);
    if (sp->trns)
        chunk(&f, "tRNS", sp->trns, (size_t)sp->trns_n);
    int ns = samples_of(sp->colour), filter = 0;
    size_t bpp = ((size_t)ns * (size_t)sp->depth + 7) / 8;
    for (int p = 0; p < (sp->interlace ? 7 : 1); p++) {
        int x0 = sp->interlace ? A7X[p] : 0, y0 = sp->interlace ? A7Y[p] : 0;
        int dx = sp->interlace ? A7DX[p] : 1, dy = sp->interlace ? A7DY[p] : 1;
        int pw = sp->w > x0 ? (sp->w - x0 + dx - 1) / dx : 0;
        int ph = sp->h > y0 ? (sp->h - y0 + dy - 1) / dy : 0;
        if (!pw || !ph)
            continue;
        size_t n = ((size_t)pw * (size_t)ns * (size_t)sp->depth + 7) / 8;
        uint8_t *prev = calloc(1, n), *cur = malloc(n), *out = malloc(n + 1);
        for (int y = 0; y < ph; y++) {
            /* pack the row's samples */
            memset(cur, 0, n);
            for (int x = 0; x < pw; x++)
                for (int c = 0; c < ns; c++) {
                    size_t at = ((size_t)(y0 + y * dy) * (size_t)sp->w + (size_t)(x0 + x * dx)) *
                                    (size_t)ns + (size_t)c;
                    size_t k = (size_t)x * (size_t)ns + (size_t)c;
                    unsigned val = v[at];
                    if (sp->depth == 16) {
                        cur[2 * k] = (uint8_t)(val >> 8);
                        cur[2 * k + 1] = (uint8_t)val;
                    } else if (sp->depth == 8) {
                        cur[k] = (uint8_t)val;
                    } else {
                        size_t bit = k * (size_t)sp->depth;
                        cur[bit / 8] |= (uint8_t)(val << (8 - sp->depth - (int)(bit % 8)));
                    }
                }
            /* filter it with the next type in turn, by the spec */
            int ft = filter++ % 5;
            out[0] = (uint8_t)ft;
            for (size_t i = 0; i < n; i++) {
                int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                out[1 + i] = (uint8_t)(cur[i] - predict(ft, a, b, c));
            }
            put(&raw, out, n + 1);
            memcpy(prev, cur, n);
        }
        free(prev);
        free(cur);
        free(out);
    }
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
    size_t cap = libdeflate_zlib_compress_bound(z, raw.n);
    uint8_t *zd = malloc(cap);
    size_t zn = libdeflate_zlib_compress(z, raw.d, raw.n, zd, cap);
    assert_true(zn > 0);
    libdeflate_free_compressor(z);
    chunk(&f, "IDAT", NULL, 0); /* an empty one first: allowed, means nothing */
    for (int k = 0; k < idat_pieces; k++) {
        size_t a = zn * (size_t)k / (size_t)idat_pieces, b = zn * (size_t)(k + 1) / (size_t)idat_pieces;
        chunk(&f, "IDAT", zd + a, b - a);
    }
    chunk(&f, "IEND", NULL, 0);
    free(zd);
    free(raw.d);
    return f;
}

/* The decoded pixel (x, y) by the rules, into out (returns channels). */
static int expect_px(const spec *sp, const uint16_t *v, int x, int y, uint8_t out[4])
{
    int ns = samples_of(sp->colour), d = sp->depth;
    const uint16_t *s = v + ((size_t)y * (size_t)sp->w + (size_t)x) * (size_t)ns;
    if (sp->colour == 3) {
        memcpy(out, sp->plte + 3 * s[0], 3);
        if (!sp->trns)
            return 3;
        out[3] = s[0] < sp->trns_n ? sp->trns[s[0]] : 255;
        return 4;
    }
    static const int scale[9] = {0, 255, 85, 0, 17, 0, 0, 0, 1};
    for (int c = 0; c < ns; c++)
        out[c] = (uint8_t)(d == 16 ? s[c] >> 8 : s[c] * scale[d]);
    if (!sp->trns)
        return ns;
    int match = 1;
    for (int c = 0; c < ns; c++)
        match &= s[c] == ((unsigned)sp->trns[2 * c] << 8 | sp->trns[2 * c + 1]);
    out[ns] = match ? 0 : 255;
    return ns + 1;
}

static void check_decode(const spec *sp, uint64_t seed)
{
    int ns = samples_of(sp->colour);
    size_t count = (size_t)sp->w * (size_t)sp->h * (size_t)ns;
    uint16_t *v = malloc(count * sizeof *v);
    aug_rng rng;
    aug_rng_seed(&rng, seed);
    unsigned top = sp->colour == 3 ? (unsigned)sp->plte_n : 1u << sp->depth;
    for (size_t i = 0; i < count; i++)
        v[i] = (uint16_t)aug_rng_below(&rng, top);
    /* some pixels of the tRNS colour, so the alpha is 0 somewhere */
    if (sp->trns && sp->colour != 3)
        for (size_t px = 0; px < count / (size_t)ns; px += 3)
            for (int c = 0; c < ns; c++)
                v[px * (size_t)ns + (size_t)c] =
                    (uint16_t)(((unsigned)sp->trns[2 * c] << 8 | sp->trns[2 * c + 1]) & (top - 1));
    bytes f = build(sp, v, 3);
    aug_image img;
    aug_decode_info info;
    aug_header h;
    aug_error err = {0};
    if (aug_decode(f.d, f.n, 0, &img, &info, &err) != AUG_OK)
        fail_msg("colour %d depth %d interlace %d: %s", sp->colour, sp->depth, sp->interlace,
                 err.msg);
    assert_int_equal(aug_probe(f.d, f.n, 0, &h, &err), AUG_OK);
    assert_int_equal(info.format, AUG_FMT_PNG);
    assert_int_equal(info.bits, sp->depth == 16 ? 16 : 8);
    assert_int_equal(h.channels, img.channels);
    assert_int_equal(h.bits, info.bits);
    assert_int_equal(img.width, sp->w);
    assert_int_equal(img.height, sp->h);
    for (int y = 0; y < sp->h; y++)
        for (int x = 0; x < sp->w; x++) {
            uint8_t want[4];
            int ch = expect_px(sp, v, x, y, want);
            assert_int_equal(img.channels, ch);
            assert_memory_equal(pixel_at(&img, x, y), want, (size_t)ch);
        }
    aug_image_free(&img);
    free(f.d);
    free(v);
}

static void test_reader_every_layout(void **state)
{
    (void)state;
    static const int depths[7][6] = {{1, 2, 4, 8, 16, 0}, {0}, {8, 16, 0}, {1, 2, 4, 8, 0},
                                     {8, 16, 0}, {0}, {8, 16, 0}};
    static const int sizes[][2] = {{1, 1}, {3, 2}, {13, 11}, {37, 9}};
    uint8_t plte[256 * 3], palpha[256];
    for (int i = 0; i < 256 * 3; i++)
        plte[i] = (uint8_t)(i * 37 + 11);
    for (int i = 0; i < 256; i++)
        palpha[i] = (uint8_t)(255 - i * 3);
    static const uint8_t trns_grey[2] = {0, 1}, trns_rgb[6] = {0, 2, 0, 1, 0, 3};
    for (int colour = 0; colour <= 6; colour++)
        for (int di = 0; depths[colour][di]; di++)
            for (int il = 0; il < 2; il++)
                for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
                    for (int trns = 0; trns < 2; trns++) {
                        if (trns && (colour == 4 || colour == 6))
                            continue;
                        int d = depths[colour][di];
                        spec sp = {sizes[s][0], sizes[s][1], d, colour, il, NULL, 0, NULL, 0};
                        if (colour == 3) {
                            sp.plte = plte;
                            sp.plte_n = d == 8 ? 200 : 1 << d;
                        }
                        if (trns) {
                            sp.trns = colour == 0 ? trns_grey : colour == 2 ? trns_rgb : palpha;
                            sp.trns_n = colour == 0 ? 2 : colour == 2 ? 6 : sp.plte_n / 2 + 1;
                        }
                        check_decode(&sp, (uint64_t)(colour * 1000 + d * 10 + il) + s);
                    }
}

/* the bytes of a small valid RGB file, then one thing broken at a time */
static bytes valid_rgb(void)
{
    spec sp = {5, 4, 8, 2, 0, NULL, 0, NULL, 0};
    uint16_t v[5 * 4 * 3];
    for (int i = 0; i < 60; i++)
        v[i] = (uint16_t)(i * 13 % 256);
    return build(&sp, v, 1);
}

/* the offset of the first chunk of this type */
static size_t find_chunk(const bytes *f, const char *type)
{
    for (size_t at = 8; at + 12 <= f->n; at += 12 + be32(f->d + at))
        if (!memcmp(f->d + at + 4, type, 4))
            return at;
    fail_msg("no %s chunk", type);
    return 0;
}

static void expect_refused(const bytes *f, aug_status code, const char *says)
{
    aug_image img;
    aug_error err = {0};
    assert_int_equal(aug_decode(f->d, f->n, 0, &img, NULL, &err), code);
    assert_null(img.data);
    if (!strstr(err.msg, says))
        fail_msg("'%s' does not say '%s'", err.msg, says);
}

static void recrc(bytes *f, size_t at)
{
    uint32_t n = be32(f->d + at), c = (uint32_t)libdeflate_crc32(0, f->d + at + 4, 4 + n);
    for (int k = 0; k < 4; k++)
        f->d[at + 8 + n + (size_t)k] = (uint8_t)(c >> (24 - 8 * k));
}

static void test_reader_refusals(void **state)
{
    (void)state;
    bytes f = valid_rgb();
    aug_image img;
    aug_error err = {0};
    assert_int_equal(aug_decode(f.d, f.n, 0, &img, NULL, &err), AUG_OK);
    aug_image_free(&img);

    size_t idat = find_chunk(&f, "IDAT") + 12; /* the one after the empty first */
    size_t text = find_chunk(&f, "tEXt");
    bytes g;
#define COPY() (g.n = f.n, g.d = malloc(f.n), memcpy(g.d, f.d, f.n))
    COPY(); /* a critical chunk's CRC */
    g.d[idat + 9] ^= 1;
    expect_refused(&g, AUG_ERR_FORMAT, "IDAT fails its CRC");
    free(g.d);
    COPY(); /* an ancillary chunk's CRC: the chunk is dropped, the image read */
    g.d[text + 10] ^= 1;
    assert_int_equal(aug_decode(g.d, g.n, 0, &img, NULL, &err), AUG_OK);
    aug_image_free(&img);
    free(g.d);
    COPY(); /* an unknown critical chunk */
    memcpy(g.d + text + 4, "QUUX", 4);
    recrc(&g, text);
    expect_refused(&g, AUG_ERR_FORMAT, "unknown critical chunk QUUX");
    free(g.d);
    COPY(); /* the header's CRC */
    g.d[8 + 8 + 5] ^= 1;
    expect_refused(&g, AUG_ERR_FORMAT, "IHDR fails its CRC");
    free(g.d);
    COPY(); /* RGB at 4 bits is not a PNG */
    g.d[8 + 8 + 8] = 4;
    recrc(&g, 8);
    expect_refused(&g, AUG_ERR_FORMAT, "bit depth");
    free(g.d);
    COPY(); /* a side of zero */
    memset(g.d + 8 + 8, 0, 4);
    recrc(&g, 8);
    expect_refused(&g, AUG_ERR_FORMAT, "no pixels");
    free(g.d);
    /* every length short of the whole: refused, never read past the end */
    for (size_t n = 0; n + 12 < f.n; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, f.d, n);
        assert_int_not_equal(aug_decode(cut, n, 0, &img, NULL, &err), AUG_OK);
        free(cut);
    }
    /* the IEND chunk alone missing: the image is all there */
    assert_int_equal(aug_decode(f.d, f.n - 12, 0, &img, NULL, &err), AUG_OK);
    aug_image_free(&img);
    free(f.d);

    /* a filter type of 5 in the data */
    spec sp = {4, 3, 8, 0, 0, NULL, 0, NULL, 0};
    uint8_t raw[3 * 5] = {0, 1, 2, 3, 4, 5, 9, 9, 9, 9, 0, 1, 1, 1, 1};
    uint8_t zd[128];
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
    size_t zn = libdeflate_zlib_compress(z, raw, sizeof raw, zd, sizeof zd);
    libdeflate_free_compressor(z);
    uint16_t v[12] = {0};
    f = build(&sp, v, 1);
    bytes h = {0};
    put(&h, f.d, find_chunk(&f, "IDAT"));
    chunk(&h, "IDAT", zd, zn);
    chunk(&h, "IEND", NULL, 0);
    expect_refused(&h, AUG_ERR_FORMAT, "filter type");
    free(h.d);
    /* a palette index past the palette */
    static const uint8_t two[6] = {1, 2, 3, 4, 5, 6};
    spec ps = {3, 1, 8, 3, 0, two, 2, NULL, 0};
    uint16_t idx[3] = {0, 1, 2};
    h = build(&ps, idx, 1);
    expect_refused(&h, AUG_ERR_FORMAT, "palette");
    free(h.d);
    /* a tRNS whose CRC fails is dropped by the header probe and by the
     * decoder alike: both say 3 channels */
    static const uint8_t alpha1[1] = {7};
    spec pt = {3, 1, 8, 3, 0, two, 2, alpha1, 1};
    idx[2] = 1;
    h = build(&pt, idx, 1);
    h.d[find_chunk(&h, "tRNS") + 9] ^= 0x40;
    aug_header hd;
    assert_int_equal(aug_probe(h.d, h.n, 0, &hd, &err), AUG_OK);
    assert_int_equal(aug_decode(h.d, h.n, 0, &img, NULL, &err), AUG_OK);
    assert_int_equal(hd.channels, 3);
    assert_int_equal(img.channels, 3);
    aug_image_free(&img);
    free(h.d);
    /* a palette image without PLTE */
    ps.plte = NULL;
    idx[2] = 0;
    h = build(&ps, idx, 1);
    expect_refused(&h, AUG_ERR_FORMAT, "without PLTE");
    free(h.d);
    free(f.d);
#undef COPY
}

/* 16-bit PNGs through the eight symmetries: the output read back here
 * (IHDR, tRNS kept, the data inflated and unfiltered by the spec's
 * formulas) holds every 16-bit sample of the input at the place the
 * symmetry sends it, for every 16-bit colour type, plain and interlaced. */
static void test_png16_symmetries(void **state)
{
    (void)state;
    static const int colours[4] = {0, 2, 4, 6};
    static const uint8_t trns_rgb[6] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc};
    for (int ci = 0; ci < 4; ci++)
        for (int il = 0; il < 2; il++) {
            int colour = colours[ci], ns = samples_of(colour), w = 7, h = 5;
            spec sp = {w, h, 16, colour, il, NULL, 0, colour == 2 ? trns_rgb : NULL,
                       colour == 2 ? 6 : 0};
            uint16_t v[7 * 5 * 4];
            aug_rng rng;
            aug_rng_seed(&rng, (uint64_t)(ci * 2 + il));
            for (int k = 0; k < w * h * ns; k++)
                v[k] = (uint16_t)aug_rng_below(&rng, 65536);
            bytes f = build(&sp, v, 2);
            for (int op = 0; op < 8; op++) {
                uint8_t *out = NULL;
                size_t len = 0;
                aug_error err = {0};
                assert_int_equal(aug_png_transform(f.d, f.n, 0, op, 6, &out, &len, &err), AUG_OK);
                int t = (op & 4) != 0, ow = t ? h : w, oh = t ? w : h;
                assert_int_equal(be32(out + 16), ow);
                assert_int_equal(be32(out + 20), oh);
                assert_int_equal(out[24], 16);
                assert_int_equal(out[25], colour);
                assert_int_equal(out[28], 0); /* written plain */
                size_t at = 8 + 25, n = (size_t)ow * (size_t)ns * 2;
                if (colour == 2) { /* the transparent colour kept */
                    assert_memory_equal(out + at + 4, "tRNS", 4);
                    assert_memory_equal(out + at + 8, trns_rgb, 6);
                    at += 12 + 6;
                }
                assert_memory_equal(out + at + 4, "IDAT", 4);
                uint8_t raw[8 * (8 * 8 + 1)], rows[8 * 8 * 8];
                size_t got = 0;
                struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
                assert_int_equal(libdeflate_zlib_decompress(d, out + at + 8, be32(out + at), raw,
                                                            sizeof raw, &got),
                                 LIBDEFLATE_SUCCESS);
                libdeflate_free_decompressor(d);
                assert_int_equal(got, (n + 1) * (size_t)oh);
                size_t bpp = (size_t)ns * 2;
                for (int y = 0; y < oh; y++)
                    for (size_t i = 0; i < n; i++) {
                        uint8_t *cur = rows + (size_t)y * n;
                        int a = i >= bpp ? cur[i - bpp] : 0, b = y ? cur[i - n] : 0;
                        int c = y && i >= bpp ? cur[i - n - bpp] : 0;
                        cur[i] = (uint8_t)(raw[(size_t)y * (n + 1) + 1 + i] +
                                           predict(raw[(size_t)y * (n + 1)], a, b, c));
                    }
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        int tx = t ? y : x, ty = t ? x : y;
                        if (op & 1)
                            tx = ow - 1 - tx;
                        if (op & 2)
                            ty = oh - 1 - ty;
                        for (int c = 0; c < ns; c++) {
                            const uint8_t *q = rows + (size_t)ty * n + ((size_t)tx * (size_t)ns + (size_t)c) * 2;
                            assert_int_equal(q[0] << 8 | q[1], v[(y * w + x) * ns + c]);
                        }
                    }
                free(out);
            }
            free(f.d);
        }
    /* an 8-bit PNG is not for this path */
    aug_image img;
    mixed(&img, 4, 4, 3, 2);
    uint8_t *png, *out;
    size_t len, olen;
    aug_error err = {0};
    assert_int_equal(aug_encode(&img, AUG_FMT_PNG, 95, &png, &len, &err), AUG_OK);
    assert_int_equal(aug_png_transform(png, len, 0, 1, 2, &out, &olen, &err), AUG_ERR_UNSUPPORTED);
    free(png);
    aug_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_and_filters),
        cmocka_unit_test(test_refused_levels),
        cmocka_unit_test(test_wide_build_same_bytes),
        cmocka_unit_test(test_reader_every_layout),
        cmocka_unit_test(test_reader_refusals),
        cmocka_unit_test(test_png16_symmetries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
