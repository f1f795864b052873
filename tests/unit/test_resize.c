/* Resize: hand-computed bilinear values, exact properties of the OpenCV
 * pixel-centre geometry, and an exact rational reference on random sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "augment/kernels.h"
#include "testutil.h"

static uint8_t px(const aug_image *img, int x, int y, int c)
{
    return pixel_at(img, x, y)[c];
}

/* Resize the sw x sh grey image `in` to dw x dh and compare with `want`. */
static void check_grey(int sw, int sh, const uint8_t *in, int dw, int dh,
                       const uint8_t *want)
{
    aug_image src, dst;
    make_image(&src, sw, sh, 1);
    memcpy(src.data, in, (size_t)sw * sh);
    assert_int_equal(aug_resize(&src, &dst, dw, dh, NULL), AUG_OK);
    assert_int_equal(dst.width, dw);
    assert_int_equal(dst.height, dh);
    assert_int_equal(dst.channels, 1);
    assert_memory_equal(dst.data, want, (size_t)dw * dh);
    aug_image_free(&src);
    aug_image_free(&dst);
}

static void test_hand_upscale(void **state)
{
    (void)state;
    /* Source x = (d + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamp,
     * 1/4 of the way, 3/4 of the way, clamp. */
    const uint8_t row[2] = {0, 100}, up[4] = {0, 25, 75, 100};
    check_grey(2, 1, row, 4, 1, up);
    check_grey(1, 2, row, 1, 4, up); /* the same along y */

    /* 2x2 -> 4x4: rows 0 and 3 are the source rows upscaled as above,
     * rows 1 and 2 are 3:1 and 1:3 mixes of them, rounded half up.
     *   row 0: 0, 25, 75, 100      row 3: 200, 160, 80, 40
     *   row 1 = .75 r0 + .25 r3: 50, 58.75, 76.25, 85
     *   row 2 = .25 r0 + .75 r3: 150, 126.25, 78.75, 55 */
    const uint8_t sq[4] = {0, 100, 200, 40};
    const uint8_t sq_up[16] = {0,   25,  75, 100, 50,  59,  76, 85,
                               150, 126, 79, 55,  200, 160, 80, 40};
    check_grey(2, 2, sq, 4, 4, sq_up);

    /* 2 -> 3: x = -1/6 (clamp), 1/2 (midpoint), 7/6 (clamp). The midpoint
     * of 1 and 2 is the tie 1.5, which rounds up. The ratio 2/3 is not a
     * binary fraction, so this also checks the tie survives it. */
    const uint8_t two[2] = {1, 2}, three[3] = {1, 2, 2};
    check_grey(2, 1, two, 3, 1, three);
}

static void test_hand_downscale(void **state)
{
    (void)state;
    /* 3 -> 2: x = 0.25 and 1.75. 0*.75 + 100*.25 = 25; 100*.25 + 200*.75 = 175. */
    const uint8_t in3[3] = {0, 100, 200}, out2[2] = {25, 175};
    check_grey(3, 1, in3, 2, 1, out2);
    /* 2x downscale: x = 2d + 0.5, the midpoint of each pair, so each output
     * is (a + b) / 2 rounded half up: (1+2)/2 = 1.5 -> 2, 30/2 = 15,
     * (255+254)/2 = 254.5 -> 255, (0+1)/2 = 0.5 -> 1. */
    const uint8_t in8[8] = {1, 2, 10, 20, 255, 254, 0, 1};
    const uint8_t out4[4] = {2, 15, 255, 1};
    check_grey(8, 1, in8, 4, 1, out4);
    check_grey(1, 8, in8, 1, 4, out4);
}

static void test_downscale_by_two_averages_blocks(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src, dst;
        random_image(&src, 26, 14, ch, 40 + (uint64_t)ch);
        assert_int_equal(aug_resize(&src, &dst, 13, 7, NULL), AUG_OK);
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 13; x++)
                for (int c = 0; c < ch; c++) {
                    int sum = px(&src, 2 * x, 2 * y, c) + px(&src, 2 * x + 1, 2 * y, c) +
                              px(&src, 2 * x, 2 * y + 1, c) +
                              px(&src, 2 * x + 1, 2 * y + 1, c);
                    assert_int_equal(px(&dst, x, y, c), (sum + 2) / 4);
                }
        aug_image_free(&src);
        aug_image_free(&dst);
    }
}

static void test_odd_downscale_picks_centres(void **state)
{
    (void)state;
    /* Factor 3: x = 3d + 1, exactly the centre pixel of each block. */
    aug_image src, dst;
    random_image(&src, 15, 9, 3, 3);
    assert_int_equal(aug_resize(&src, &dst, 5, 3, NULL), AUG_OK);
    for (int y = 0; y < 3; y++)
        for (int x = 0; x < 5; x++)
            for (int c = 0; c < 3; c++)
                assert_int_equal(px(&dst, x, y, c), px(&src, 3 * x + 1, 3 * y + 1, c));
    aug_image_free(&src);
    aug_image_free(&dst);
}

static void test_constant_stays_constant(void **state)
{
    (void)state;
    const int sizes[][2] = {{1, 1}, {3, 11}, {20, 2}, {7, 5}, {64, 1}, {13, 37}};
    const uint8_t value[4] = {13, 200, 77, 255};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src;
        make_image(&src, 7, 5, ch);
        for (size_t i = 0; i < aug_image_size(&src); i++)
            src.data[i] = value[i % (size_t)ch];
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            aug_image dst;
            assert_int_equal(aug_resize(&src, &dst, sizes[s][0], sizes[s][1], NULL), AUG_OK);
            for (size_t i = 0; i < aug_image_size(&dst); i++)
                assert_int_equal(dst.data[i], value[i % (size_t)ch]);
            aug_image_free(&dst);
        }
        aug_image_free(&src);
    }
}

static void test_identity_size_is_copy(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src, dst;
        random_image(&src, 9, 4, ch, 11);
        assert_int_equal(aug_resize(&src, &dst, 9, 4, NULL), AUG_OK);
        assert_int_equal(dst.channels, ch);
        assert_memory_equal(dst.data, src.data, aug_image_size(&src));
        aug_image_free(&dst);
        /* Width kept, height doubled: the first and last output rows fall
         * in the clamped margins, so they are exact copies of the source's
         * first and last rows. */
        assert_int_equal(aug_resize(&src, &dst, 9, 8, NULL), AUG_OK);
        assert_memory_equal(dst.data, src.data, (size_t)9 * ch);
        assert_memory_equal(dst.data + (size_t)7 * 9 * ch, src.data + (size_t)3 * 9 * ch,
                            (size_t)9 * ch);
        aug_image_free(&dst);
        aug_image_free(&src);
    }
}

static void test_one_pixel_source(void **state)
{
    (void)state;
    aug_image src, dst;
    make_image(&src, 1, 1, 4);
    const uint8_t p[4] = {1, 128, 254, 9};
    memcpy(src.data, p, 4);
    assert_int_equal(aug_resize(&src, &dst, 5, 3, NULL), AUG_OK);
    for (size_t i = 0; i < 15; i++)
        assert_memory_equal(dst.data + 4 * i, p, 4);
    aug_image_free(&dst);
    assert_int_equal(aug_resize(&src, &dst, 1, 1, NULL), AUG_OK);
    assert_memory_equal(dst.data, p, 4);
    aug_image_free(&dst);
    aug_image_free(&src);
}

/* The definition in exact rational arithmetic: the source coordinate
 * (d + 1/2) S/D - 1/2 = ((2d + 1) S - D) / 2D is clamped to [0, S-1], split
 * into an integer part i and a fraction f / 2D, and the pixels i and i+1
 * (i itself at the last pixel) get weights (2D - f) and f. */
typedef struct rtap {
    int i0, i1;
    int64_t w0, w1, den;
} rtap;

static rtap rational_tap(int d, int S, int D)
{
    rtap t;
    t.den = 2 * (int64_t)D;
    int64_t num = (2 * (int64_t)d + 1) * S - D;
    if (num < 0)
        num = 0;
    if (num > (int64_t)(S - 1) * t.den)
        num = (int64_t)(S - 1) * t.den;
    t.i0 = (int)(num / t.den);
    t.i1 = t.i0 + 1 < S ? t.i0 + 1 : t.i0;
    t.w1 = num % t.den;
    t.w0 = t.den - t.w1;
    return t;
}

static void test_matches_rational_reference(void **state)
{
    (void)state;
    const int sizes[][4] = {{5, 3, 7, 4},  {7, 4, 5, 3},   {13, 1, 4, 9}, {1, 6, 3, 6},
                            {10, 10, 3, 7}, {3, 7, 10, 10}, {31, 17, 9, 29}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int ch = 1; ch <= 4; ch++) {
            int sw = sizes[s][0], sh = sizes[s][1], dw = sizes[s][2], dh = sizes[s][3];
            aug_image src, dst;
            random_image(&src, sw, sh, ch, 500 + s * 4 + (uint64_t)ch);
            assert_int_equal(aug_resize(&src, &dst, dw, dh, NULL), AUG_OK);
            for (int y = 0; y < dh; y++) {
                rtap ty = rational_tap(y, sh, dh);
                for (int x = 0; x < dw; x++) {
                    rtap tx = rational_tap(x, sw, dw);
                    for (int c = 0; c < ch; c++) {
                        int64_t sum = tx.w0 * ty.w0 * px(&src, tx.i0, ty.i0, c) +
                                      tx.w1 * ty.w0 * px(&src, tx.i1, ty.i0, c) +
                                      tx.w0 * ty.w1 * px(&src, tx.i0, ty.i1, c) +
                                      tx.w1 * ty.w1 * px(&src, tx.i1, ty.i1, c);
                        int64_t den = tx.den * ty.den;
                        int64_t want = (2 * sum + den) / (2 * den); /* half up */
                        assert_int_equal(px(&dst, x, y, c), want);
                    }
                }
            }
            aug_image_free(&src);
            aug_image_free(&dst);
        }
}

static void test_channels_are_independent(void **state)
{
    (void)state;
    /* Resizing an RGBA image equals resizing each of its planes alone. */
    aug_image src, dst;
    random_image(&src, 11, 6, 4, 77);
    assert_int_equal(aug_resize(&src, &dst, 17, 4, NULL), AUG_OK);
    for (int c = 0; c < 4; c++) {
        aug_image plane, pd;
        make_image(&plane, 11, 6, 1);
        for (size_t i = 0; i < 66; i++)
            plane.data[i] = src.data[4 * i + (size_t)c];
        assert_int_equal(aug_resize(&plane, &pd, 17, 4, NULL), AUG_OK);
        for (size_t i = 0; i < 68; i++)
            assert_int_equal(pd.data[i], dst.data[4 * i + (size_t)c]);
        aug_image_free(&plane);
        aug_image_free(&pd);
    }
    aug_image_free(&src);
    aug_image_free(&dst);
}

static void test_errors(void **state)
{
    (void)state;
    aug_error err = {0};
    aug_image src, dst = {7, 7, 7, NULL};
    make_image(&src, 4, 4, 3);
    assert_int_equal(aug_resize(&src, &dst, 0, 4, &err), AUG_ERR_ARG);
    assert_int_equal(err.code, AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "0x4"));
    assert_int_equal(aug_resize(&src, &dst, 4, 0, &err), AUG_ERR_ARG);
    assert_int_equal(aug_resize(&src, &dst, -3, 2, &err), AUG_ERR_ARG);
    assert_null(dst.data);
    assert_int_equal(aug_resize(NULL, &dst, 2, 2, &err), AUG_ERR_ARG);
    assert_int_equal(aug_resize(&src, NULL, 2, 2, &err), AUG_ERR_ARG);
    assert_int_equal(aug_resize(&src, &src, 2, 2, &err), AUG_ERR_ARG);
    assert_non_null(src.data); /* the source survived */
    aug_image_free(&src);
    assert_int_equal(aug_resize(&src, &dst, 2, 2, &err), AUG_ERR_ARG); /* empty */
    /* A target too large to allocate fails cleanly instead of crashing. */
    make_image(&src, 1, 1, 4);
    assert_int_equal(aug_resize(&src, &dst, 2147483647, 2147483647, &err), AUG_ERR_NOMEM);
    assert_null(dst.data);
    aug_image_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_upscale),
        cmocka_unit_test(test_hand_downscale),
        cmocka_unit_test(test_downscale_by_two_averages_blocks),
        cmocka_unit_test(test_odd_downscale_picks_centres),
        cmocka_unit_test(test_constant_stays_constant),
        cmocka_unit_test(test_identity_size_is_copy),
        cmocka_unit_test(test_one_pixel_source),
        cmocka_unit_test(test_matches_rational_reference),
        cmocka_unit_test(test_channels_are_independent),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
