/* Blend and channel conversion: hand-computed values, exhaustive checks
 * against integer formulas where the weights are exact binary fractions,
 * and the documented error cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "augment/kernels.h"
#include "testutil.h"

/* ---- convert ---- */

/* Convert one pixel of `sc` channels to `dc` channels. */
static void convert_px(int sc, const uint8_t *in, int dc, uint8_t *out)
{
    aug_image src, dst;
    make_image(&src, 1, 1, sc);
    memcpy(src.data, in, (size_t)sc);
    assert_int_equal(aug_convert(&src, &dst, dc, NULL), AUG_OK);
    assert_int_equal(dst.width, 1);
    assert_int_equal(dst.height, 1);
    assert_int_equal(dst.channels, dc);
    memcpy(out, dst.data, (size_t)dc);
    aug_image_free(&src);
    aug_image_free(&dst);
}

static void test_luma_hand_values(void **state)
{
    (void)state;
    /* 0.299*255 = 76.245 -> 76; 0.587*255 = 149.685 -> 150;
     * 0.114*255 = 29.07 -> 29; white 255, black 0;
     * 0.114*250 = 28.5 exactly, a tie, -> 29 (half up). */
    const uint8_t rgb[6][3] = {{255, 0, 0}, {0, 255, 0},   {0, 0, 255},
                               {255, 255, 255}, {0, 0, 0}, {0, 0, 250}};
    const uint8_t grey[6] = {76, 150, 29, 255, 0, 29};
    for (int i = 0; i < 6; i++) {
        uint8_t out[2];
        convert_px(3, rgb[i], 1, out);
        assert_int_equal(out[0], grey[i]);
        /* With alpha on either side the luma is the same. */
        const uint8_t rgba[4] = {rgb[i][0], rgb[i][1], rgb[i][2], 17};
        convert_px(4, rgba, 1, out);
        assert_int_equal(out[0], grey[i]);
        convert_px(4, rgba, 2, out);
        assert_int_equal(out[0], grey[i]);
        assert_int_equal(out[1], 17);
        convert_px(3, rgb[i], 2, out);
        assert_int_equal(out[0], grey[i]);
        assert_int_equal(out[1], 255);
    }
}

static void test_grey_round_trips(void **state)
{
    (void)state;
    /* Every grey level through RGB and RGBA and back is unchanged (the
     * luma weights sum to one). */
    aug_image g, rgb, rgba, back;
    make_image(&g, 16, 16, 1);
    for (int i = 0; i < 256; i++)
        g.data[i] = (uint8_t)i;
    assert_int_equal(aug_convert(&g, &rgb, 3, NULL), AUG_OK);
    for (int i = 0; i < 256; i++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(rgb.data[3 * i + c], i);
    assert_int_equal(aug_convert(&rgb, &back, 1, NULL), AUG_OK);
    assert_memory_equal(back.data, g.data, 256);
    aug_image_free(&back);
    assert_int_equal(aug_convert(&g, &rgba, 4, NULL), AUG_OK);
    for (int i = 0; i < 256; i++) {
        for (int c = 0; c < 3; c++)
            assert_int_equal(rgba.data[4 * i + c], i);
        assert_int_equal(rgba.data[4 * i + 3], 255);
    }
    assert_int_equal(aug_convert(&rgba, &back, 1, NULL), AUG_OK);
    assert_memory_equal(back.data, g.data, 256);
    aug_image_free(&back);
    aug_image_free(&rgb);
    aug_image_free(&rgba);
    aug_image_free(&g);
}

static void test_alpha_handling(void **state)
{
    (void)state;
    uint8_t out[4];
    const uint8_t ga[2] = {40, 99};
    convert_px(2, ga, 4, out); /* grey+alpha -> RGBA keeps alpha */
    const uint8_t ga_rgba[4] = {40, 40, 40, 99};
    assert_memory_equal(out, ga_rgba, 4);
    convert_px(2, ga, 3, out); /* -> RGB drops it */
    const uint8_t ga_rgb[3] = {40, 40, 40};
    assert_memory_equal(out, ga_rgb, 3);
    convert_px(2, ga, 1, out);
    assert_int_equal(out[0], 40);

    const uint8_t g[1] = {7};
    convert_px(1, g, 2, out); /* added alpha is opaque */
    assert_int_equal(out[0], 7);
    assert_int_equal(out[1], 255);

    const uint8_t rgb[3] = {1, 2, 3};
    convert_px(3, rgb, 4, out);
    const uint8_t rgb_a[4] = {1, 2, 3, 255};
    assert_memory_equal(out, rgb_a, 4);
    const uint8_t rgba[4] = {1, 2, 3, 4};
    convert_px(4, rgba, 3, out);
    assert_memory_equal(out, rgb, 3);
}

static void test_convert_same_channels_copies(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src, dst;
        random_image(&src, 5, 3, ch, 20 + (uint64_t)ch);
        assert_int_equal(aug_convert(&src, &dst, ch, NULL), AUG_OK);
        assert_int_equal(dst.channels, ch);
        assert_memory_equal(dst.data, src.data, aug_image_size(&src));
        aug_image_free(&src);
        aug_image_free(&dst);
    }
}

static void test_convert_whole_image(void **state)
{
    (void)state;
    /* Every pixel of a multi-pixel image is converted, not just the first:
     * compare against the per-pixel integer formula. */
    aug_image src, dst;
    random_image(&src, 7, 5, 4, 8);
    assert_int_equal(aug_convert(&src, &dst, 2, NULL), AUG_OK);
    for (size_t i = 0; i < 35; i++) {
        const uint8_t *p = src.data + 4 * i;
        unsigned y = (299u * p[0] + 587u * p[1] + 114u * p[2] + 500u) / 1000u;
        assert_int_equal(dst.data[2 * i], y);
        assert_int_equal(dst.data[2 * i + 1], p[3]);
    }
    aug_image_free(&src);
    aug_image_free(&dst);
}

static void test_convert_errors(void **state)
{
    (void)state;
    aug_error err = {0};
    aug_image src, dst = {0, 0, 0, NULL};
    make_image(&src, 2, 2, 3);
    assert_int_equal(aug_convert(&src, &dst, 0, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "channels"));
    assert_int_equal(aug_convert(&src, &dst, 5, &err), AUG_ERR_ARG);
    assert_null(dst.data);
    assert_int_equal(aug_convert(&src, &src, 1, &err), AUG_ERR_ARG);
    assert_int_equal(aug_convert(NULL, &dst, 1, &err), AUG_ERR_ARG);
    assert_int_equal(aug_convert(&src, NULL, 1, &err), AUG_ERR_ARG);
    aug_image_free(&src);
}

/* ---- blend ---- */

static uint8_t blend_px(uint8_t a, uint8_t b, double wa)
{
    aug_image ia, ib, out;
    make_image(&ia, 1, 1, 1);
    make_image(&ib, 1, 1, 1);
    ia.data[0] = a;
    ib.data[0] = b;
    assert_int_equal(aug_blend(&ia, &ib, wa, &out, NULL), AUG_OK);
    uint8_t v = out.data[0];
    aug_image_free(&ia);
    aug_image_free(&ib);
    aug_image_free(&out);
    return v;
}

static void test_blend_hand_values(void **state)
{
    (void)state;
    assert_int_equal(blend_px(1, 2, 0.5), 2);     /* 1.5, half up */
    assert_int_equal(blend_px(2, 1, 0.5), 2);     /* the same tie, swapped */
    assert_int_equal(blend_px(0, 255, 0.5), 128); /* 127.5 */
    assert_int_equal(blend_px(10, 20, 0.25), 18); /* 2.5 + 15 = 17.5 */
    assert_int_equal(blend_px(2, 0, 0.25), 1);    /* 0.5 */
    assert_int_equal(blend_px(100, 0, 0.75), 75);
    assert_int_equal(blend_px(200, 100, 0.3), 130); /* 60 + 70 */
    assert_int_equal(blend_px(0, 25, 0.7), 8);      /* 7.5, decimal weight */
    assert_int_equal(blend_px(25, 0, 0.3), 8);      /* the same, swapped */
    assert_int_equal(blend_px(255, 255, 0.37), 255);
    assert_int_equal(blend_px(0, 0, 0.37), 0);
}

/* Blend a and b with weight wa and check every sample against the exact
 * rational form of the weight, wa = na / den: floor(wa a + (1 - wa) b + 1/2)
 * is (na a + (den - na) b + den / 2) / den in integers (den is even). */
static void assert_blend_exact(const aug_image *a, const aug_image *b, double wa, int na,
                               int den)
{
    aug_image out;
    assert_int_equal(aug_blend(a, b, wa, &out, NULL), AUG_OK);
    assert_int_equal(out.channels, a->channels);
    for (size_t i = 0; i < aug_image_size(a); i++)
        assert_int_equal(out.data[i],
                         (na * a->data[i] + (den - na) * b->data[i] + den / 2) / den);
    aug_image_free(&out);
}

/* All 65536 (a, b) pairs against the formula in exact integer arithmetic:
 * wa = 1/2 and 1/4 (exact doubles), and the decimal weights 0.7 and 0.35
 * (inexact doubles, whose ties must still round up). */
static void test_blend_exhaustive_binary_weights(void **state)
{
    (void)state;
    const struct { double wa; int na, den; } weights[] = {
        {0.5, 1, 2}, {0.25, 1, 4}, {0.7, 7, 10}, {0.35, 35, 100}};
    aug_image a, b;
    make_image(&a, 256, 256, 1);
    make_image(&b, 256, 256, 1);
    for (int i = 0; i < 65536; i++) {
        a.data[i] = (uint8_t)(i & 255);
        b.data[i] = (uint8_t)(i >> 8);
    }
    for (size_t k = 0; k < sizeof weights / sizeof weights[0]; k++)
        assert_blend_exact(&a, &b, weights[k].wa, weights[k].na, weights[k].den);
    aug_image_free(&a);
    aug_image_free(&b);
}

static void test_blend_endpoints_all_channels(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image a, b, out;
        random_image(&a, 9, 5, ch, 1 + (uint64_t)ch);
        random_image(&b, 9, 5, ch, 100 + (uint64_t)ch);
        assert_int_equal(aug_blend(&a, &b, 1.0, &out, NULL), AUG_OK);
        assert_int_equal(out.channels, ch);
        assert_memory_equal(out.data, a.data, aug_image_size(&a));
        aug_image_free(&out);
        assert_int_equal(aug_blend(&a, &b, 0.0, &out, NULL), AUG_OK);
        assert_memory_equal(out.data, b.data, aug_image_size(&b));
        aug_image_free(&out);
        /* Every sample, alpha included, is blended: 0.7 a + 0.3 b half up
         * is (7a + 3b + 5) / 10 in integers. */
        assert_blend_exact(&a, &b, 0.7, 7, 10);
        aug_image_free(&a);
        aug_image_free(&b);
    }
}

static void test_blend_errors(void **state)
{
    (void)state;
    aug_error err = {0};
    aug_image a, b, c, d, out = {0, 0, 0, NULL};
    make_image(&a, 4, 3, 3);
    make_image(&b, 4, 3, 3);
    make_image(&c, 3, 4, 3); /* same pixel count, other shape */
    make_image(&d, 4, 3, 4);
    assert_int_equal(aug_blend(&a, &c, 0.5, &out, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "4x3"));
    assert_non_null(strstr(err.msg, "3x4"));
    assert_int_equal(aug_blend(&a, &d, 0.5, &out, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "channels"));
    assert_int_equal(aug_blend(&a, &b, -0.01, &out, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "weight"));
    assert_int_equal(aug_blend(&a, &b, 1.01, &out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_blend(&a, &b, NAN, &out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_blend(&a, &b, 0.5, &a, &err), AUG_ERR_ARG);
    assert_int_equal(aug_blend(&a, NULL, 0.5, &out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_blend(&a, &b, 0.5, NULL, &err), AUG_ERR_ARG);
    assert_null(out.data);
    aug_image_free(&a);
    aug_image_free(&b);
    aug_image_free(&c);
    aug_image_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luma_hand_values),
        cmocka_unit_test(test_grey_round_trips),
        cmocka_unit_test(test_alpha_handling),
        cmocka_unit_test(test_convert_same_channels_copies),
        cmocka_unit_test(test_convert_whole_image),
        cmocka_unit_test(test_convert_errors),
        cmocka_unit_test(test_blend_hand_values),
        cmocka_unit_test(test_blend_exhaustive_binary_weights),
        cmocka_unit_test(test_blend_endpoints_all_channels),
        cmocka_unit_test(test_blend_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
