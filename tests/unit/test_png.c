/* The PNG writer, read back independently: every chunk's CRC, the IHDR
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_and_filters),
        cmocka_unit_test(test_refused_levels),
        cmocka_unit_test(test_wide_build_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
