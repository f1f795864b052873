/* Photometric kernels: values worked out by hand from PIL's definitions
 * (ImageEnhance's truncating blend, the luma weights, HSV, ImageOps'
 * tables), identities (factor 1, invert twice, posterize 8, solarize 256,
 * gamma 1), alpha never touched and grey kept grey, and the blurs against
 * direct convolutions written here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/color.h"
#include "testutil.h"

static void ok(aug_status st, const aug_error *err)
{
    if (st != AUG_OK)
        fail_msg("failed: %s", err->msg);
}

static void pixels(aug_image *img, int w, int h, int ch, const uint8_t *v)
{
    make_image(img, w, h, ch);
    memcpy(img->data, v, aug_image_size(img));
}

static void test_brightness(void **state)
{
    (void)state;
    aug_error err;
    aug_image img, ref;
    random_image(&img, 9, 7, 3, 1);
    ref = copy_image(&img);
    ok(aug_brightness(&img, 1.0, &err), &err);
    assert_memory_equal(img.data, ref.data, aug_image_size(&img));
    aug_image_free(&img);
    aug_image_free(&ref);
    /* v * f, truncated and clipped: 100 * 0.5 = 50, 3 * 0.5 = 1.5 -> 1,
     * 200 * 1.5 = 300 -> 255, 101 * 1.5 = 151.5 -> 151 */
    const uint8_t v[4] = {100, 3, 200, 101};
    pixels(&img, 4, 1, 1, v);
    ok(aug_brightness(&img, 0.5, &err), &err);
    assert_int_equal(img.data[0], 50);
    assert_int_equal(img.data[1], 1);
    aug_image_free(&img);
    pixels(&img, 4, 1, 1, v);
    ok(aug_brightness(&img, 1.5, &err), &err);
    assert_int_equal(img.data[2], 255);
    assert_int_equal(img.data[3], 151);
    ok(aug_brightness(&img, 0.0, &err), &err);
    for (int i = 0; i < 4; i++)
        assert_int_equal(img.data[i], 0);
    aug_image_free(&img);
}

static void test_contrast(void **state)
{
    (void)state;
    aug_error err;
    aug_image img;
    /* grey mean 50: factor 0 gives 50 everywhere, 2 gives 0 and 150 */
    const uint8_t v[4] = {0, 100, 0, 100};
    pixels(&img, 2, 2, 1, v);
    ok(aug_contrast(&img, 2.0, &err), &err);
    assert_int_equal(img.data[0], 0);
    assert_int_equal(img.data[1], 150);
    ok(aug_contrast(&img, 0.0, &err), &err);
    assert_int_equal(img.data[0], 75); /* the mean of 0, 150, 0, 150 */
    aug_image_free(&img);
    /* RGB: the mean of the luma; (200, 100, 0) has luma 118 */
    const uint8_t rgb[6] = {200, 100, 0, 200, 100, 0};
    pixels(&img, 2, 1, 3, rgb);
    ok(aug_contrast(&img, 0.0, &err), &err);
    for (int i = 0; i < 6; i++)
        assert_int_equal(img.data[i], 118);
    aug_image_free(&img);
}

static void test_saturation_and_grayscale(void **state)
{
    (void)state;
    aug_error err;
    aug_image img, grey;
    /* (19595 * 200 + 38470 * 100 + 32768) >> 16 = 7798768 >> 16 = 118 */
    const uint8_t rgb[4] = {200, 100, 0, 77};
    pixels(&img, 1, 1, 4, rgb);
    ok(aug_grayscale(&img, &grey, 0, &err), &err);
    assert_int_equal(grey.channels, 2);
    assert_int_equal(grey.data[0], 118);
    assert_int_equal(grey.data[1], 77);
    aug_image_free(&grey);
    ok(aug_grayscale(&img, &grey, 1, &err), &err);
    const uint8_t kept[4] = {118, 118, 118, 77};
    assert_int_equal(grey.channels, 4);
    assert_memory_equal(grey.data, kept, 4);
    aug_image_free(&grey);
    /* saturation 0 is the grey image; 2 doubles the distance from it:
     * 118 + 2 * (200 - 118) = 282 -> 255, 118 + 2 * (100 - 118) = 82,
     * 118 - 236 -> 0 */
    ok(aug_saturation(&img, 0.0, &err), &err);
    assert_memory_equal(img.data, kept, 4);
    aug_image_free(&img);
    pixels(&img, 1, 1, 4, rgb);
    ok(aug_saturation(&img, 2.0, &err), &err);
    const uint8_t sat[4] = {255, 82, 0, 77};
    assert_memory_equal(img.data, sat, 4);
    aug_image_free(&img);
}

static void test_hue(void **state)
{
    (void)state;
    aug_error err;
    aug_image img;
    /* pure red has hue byte 0. A third of a turn adds int(85.0) = 85: hue
     * sector 2 with no remainder, pure green. 0.4 adds int(102.0) = 102:
     * sector 2 with remainder 0.4, so (0, 255, round(255 * 0.4)) = (0,
     * 255, 102). -0.4 adds (uint8)-102 = 154: sector 3, remainder 0.6235,
     * (0, round(255 * (1 - 0.6235)), 255) = (0, 96, 255). */
    static const struct {
        double shift;
        uint8_t want[3];
    } cases[] = {{1.0 / 3.0, {0, 255, 0}}, {0.4, {0, 255, 102}}, {-0.4, {0, 96, 255}}};
    const uint8_t red[3] = {255, 0, 0};
    for (int i = 0; i < 3; i++) {
        pixels(&img, 1, 1, 3, red);
        ok(aug_hue(&img, cases[i].shift, &err), &err);
        assert_memory_equal(img.data, cases[i].want, 3);
        aug_image_free(&img);
    }
    /* grey pixels have no hue to turn */
    const uint8_t grey[6] = {90, 90, 90, 200, 200, 200};
    pixels(&img, 2, 1, 3, grey);
    ok(aug_hue(&img, 0.4, &err), &err);
    assert_memory_equal(img.data, grey, 6);
    aug_image_free(&img);
    assert_int_equal(aug_hue(&img, 0.6, &err), AUG_ERR_ARG);
}

static void test_tables(void **state)
{
    (void)state;
    aug_error err;
    aug_image img, ref;
    random_image(&img, 11, 5, 3, 2);
    ref = copy_image(&img);
    ok(aug_invert(&img, &err), &err);
    for (size_t i = 0; i < aug_image_size(&img); i++)
        assert_int_equal(img.data[i], 255 - ref.data[i]);
    ok(aug_invert(&img, &err), &err);
    assert_memory_equal(img.data, ref.data, aug_image_size(&img));
    ok(aug_posterize(&img, 8, &err), &err);
    ok(aug_solarize(&img, 256, &err), &err);
    ok(aug_gamma(&img, 1.0, &err), &err);
    assert_memory_equal(img.data, ref.data, aug_image_size(&img));
    aug_image_free(&img);
    aug_image_free(&ref);
    const uint8_t v[5] = {255, 127, 128, 0, 200};
    pixels(&img, 5, 1, 1, v);
    ok(aug_posterize(&img, 3, &err), &err);
    const uint8_t post[5] = {224, 96, 128, 0, 192};
    assert_memory_equal(img.data, post, 5);
    aug_image_free(&img);
    pixels(&img, 5, 1, 1, v);
    ok(aug_solarize(&img, 128, &err), &err);
    const uint8_t sol[5] = {0, 127, 127, 0, 55};
    assert_memory_equal(img.data, sol, 5);
    aug_image_free(&img);
    pixels(&img, 5, 1, 1, v);
    ok(aug_posterize(&img, 0, &err), &err);
    for (int i = 0; i < 5; i++)
        assert_int_equal(img.data[i], 0);
    aug_image_free(&img);
    /* gamma 2: int(255.999 * (128/255)^2) = int(64.50) = 64 */
    pixels(&img, 5, 1, 1, v);
    ok(aug_gamma(&img, 2.0, &err), &err);
    assert_int_equal(img.data[2], 64);
    assert_int_equal(img.data[0], 255);
    assert_int_equal(img.data[3], 0);
    aug_image_free(&img);
}

static void test_equalize_autocontrast(void **state)
{
    (void)state;
    aug_error err;
    aug_image img;
    /* 255 pixels at 0 and 255 at 100: step (510 - 255) / 255 = 1, so 0
     * maps to 0 and 100 to (0 + 255) / 1 = 255 */
    make_image(&img, 510, 1, 1);
    for (int i = 0; i < 510; i++)
        img.data[i] = i < 255 ? 0 : 100;
    ok(aug_equalize(&img, &err), &err);
    assert_int_equal(img.data[0], 0);
    assert_int_equal(img.data[300], 255);
    aug_image_free(&img);
    /* a single level: nothing to equalize or stretch */
    flat_image(&img, 4, 4, 1, 90);
    ok(aug_equalize(&img, &err), &err);
    ok(aug_autocontrast(&img, &err), &err);
    assert_int_equal(img.data[5], 90);
    aug_image_free(&img);
    /* 50..150 stretched: scale 2.55, offset -127.5; 100 -> int(127.5) */
    const uint8_t v[3] = {50, 100, 150};
    pixels(&img, 3, 1, 1, v);
    ok(aug_autocontrast(&img, &err), &err);
    const uint8_t want[3] = {0, 127, 255};
    assert_memory_equal(img.data, want, 3);
    aug_image_free(&img);
}

static void test_sharpness(void **state)
{
    (void)state;
    aug_error err;
    aug_image img, ref;
    random_image(&img, 12, 9, 3, 3);
    ref = copy_image(&img);
    ok(aug_sharpness(&img, 1.0, &err), &err);
    assert_memory_equal(img.data, ref.data, aug_image_size(&img));
    aug_image_free(&img);
    aug_image_free(&ref);
    /* a lone bright pixel: SMOOTH gives 5 * 130 / 13 + 0.5 = 50.5 -> 50;
     * factor 0 is the smoothed image (its outer pixels are the image's) */
    make_image(&img, 3, 3, 1);
    img.data[4] = 130;
    ok(aug_sharpness(&img, 0.0, &err), &err);
    assert_int_equal(img.data[4], 50);
    assert_int_equal(img.data[0], 0);
    aug_image_free(&img);
    /* factor 2: 50 + 2 * (130 - 50) = 210 */
    make_image(&img, 3, 3, 1);
    img.data[4] = 130;
    ok(aug_sharpness(&img, 2.0, &err), &err);
    assert_int_equal(img.data[4], 210);
    aug_image_free(&img);
}

/* Every colour kernel leaves alpha alone, and the ones that cannot change
 * a grey pixel leave grey images alone. */
static void test_alpha_and_grey(void **state)
{
    (void)state;
    aug_error err;
    for (int ch = 2; ch <= 4; ch += 2) {
        aug_image img, ref, out;
        random_image(&ref, 16, 13, ch, (uint64_t)ch);
        for (int k = 0; k < 15; k++) {
            img = copy_image(&ref);
            aug_status st = AUG_OK;
            out = (aug_image){0};
            switch (k) {
            case 0: st = aug_brightness(&img, 1.7, &err); break;
            case 1: st = aug_contrast(&img, 0.3, &err); break;
            case 2: st = aug_saturation(&img, 1.9, &err); break;
            case 3: st = aug_sharpness(&img, 2.5, &err); break;
            case 4: st = aug_hue(&img, 0.27, &err); break;
            case 5: st = aug_invert(&img, &err); break;
            case 6: st = aug_posterize(&img, 2, &err); break;
            case 7: st = aug_solarize(&img, 99, &err); break;
            case 8: st = aug_gamma(&img, 0.4, &err); break;
            case 9: st = aug_equalize(&img, &err); break;
            case 10: st = aug_autocontrast(&img, &err); break;
            case 11: st = aug_gaussian_blur(&img, &out, 1.5, 0, &err); break;
            case 12: st = aug_box_blur(&img, &out, 5, &err); break;
            case 13: st = aug_median_blur(&img, &out, 5, &err); break;
            default: st = aug_motion_blur(&img, &out, 7, 30, &err); break;
            }
            ok(st, &err);
            const aug_image *res = out.data ? &out : &img;
            size_t n = (size_t)16 * 13;
            for (size_t i = 0; i < n; i++)
                if (res->data[i * ch + ch - 1] != ref.data[i * ch + ch - 1])
                    fail_msg("kernel %d, %d channels: alpha of pixel %zu changed", k, ch, i);
            aug_image_free(&out);
            aug_image_free(&img);
        }
        aug_image_free(&ref);
    }
    aug_image g, ref;
    random_image(&ref, 10, 10, 1, 9);
    g = copy_image(&ref);
    ok(aug_saturation(&g, 2.0, &err), &err);
    ok(aug_hue(&g, 0.3, &err), &err);
    assert_memory_equal(g.data, ref.data, aug_image_size(&ref));
    aug_image_free(&g);
    aug_image_free(&ref);
}

/* A direct 2-D convolution with the border rule written here. */
static int reflect101(int i, int n)
{
    if (n == 1)
        return 0;
    while (i < 0 || i >= n)
        i = i < 0 ? -i : 2 * n - 2 - i;
    return i;
}

static void test_gaussian_reference(void **state)
{
    (void)state;
    aug_error err;
    aug_image src, dst;
    random_image(&src, 23, 17, 3, 4);
    const double sigma = 1.3;
    const int k = 9, r = 4;
    ok(aug_gaussian_blur(&src, &dst, sigma, k, &err), &err);
    double g[9], sum = 0;
    for (int i = 0; i < k; i++)
        sum += g[i] = exp(-0.5 * (i - r) * (i - r) / (sigma * sigma));
    for (int y = 0; y < 17; y++)
        for (int x = 0; x < 23; x++)
            for (int c = 0; c < 3; c++) {
                double v = 0;
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < k; i++)
                        v += g[j] * g[i] / (sum * sum) *
                             pixel_at(&src, reflect101(x + i - r, 23), reflect101(y + j - r, 17))[c];
                if (fabs(pixel_at(&dst, x, y)[c] - v) > 0.5 + 1e-3)
                    fail_msg("(%d,%d,%d): %d, reference %.3f", x, y, c, pixel_at(&dst, x, y)[c], v);
            }
    aug_image_free(&dst);
    /* the default size covers 3 sigma each side */
    aug_image flat;
    flat_image(&flat, 8, 8, 1, 200);
    ok(aug_gaussian_blur(&flat, &dst, 2.0, 0, &err), &err);
    for (int i = 0; i < 64; i++)
        assert_int_equal(dst.data[i], 200);
    aug_image_free(&dst);
    aug_image_free(&flat);
    assert_int_equal(aug_gaussian_blur(&src, &dst, 1.0, 4, &err), AUG_ERR_ARG);
    aug_image_free(&src);
}

static void test_box_and_median(void **state)
{
    (void)state;
    aug_error err;
    aug_image src, dst;
    random_image(&src, 14, 11, 2, 5);
    ok(aug_box_blur(&src, &dst, 3, &err), &err);
    for (int y = 0; y < 11; y++)
        for (int x = 0; x < 14; x++) {
            int s = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++)
                    s += pixel_at(&src, reflect101(x + i, 14), reflect101(y + j, 11))[0];
            assert_int_equal(pixel_at(&dst, x, y)[0], (s + 4) / 9);
        }
    aug_image_free(&dst);
    ok(aug_median_blur(&src, &dst, 5, &err), &err);
    for (int y = 0; y < 11; y++)
        for (int x = 0; x < 14; x++) {
            int v[25], n = 0;
            for (int j = -2; j <= 2; j++)
                for (int i = -2; i <= 2; i++) {
                    int xx = x + i < 0 ? 0 : x + i > 13 ? 13 : x + i;
                    int yy = y + j < 0 ? 0 : y + j > 10 ? 10 : y + j;
                    v[n++] = pixel_at(&src, xx, yy)[0];
                }
            for (int a = 1; a < 25; a++) /* insertion sort */
                for (int b = a; b > 0 && v[b - 1] > v[b]; b--) {
                    int t = v[b];
                    v[b] = v[b - 1];
                    v[b - 1] = t;
                }
            assert_int_equal(pixel_at(&dst, x, y)[0], v[12]);
        }
    aug_image_free(&dst);
    aug_image_free(&src);
}

static void test_motion(void **state)
{
    (void)state;
    aug_error err;
    aug_image src, dst;
    /* a horizontal streak of 3 over a vertical step 0 | 90: the columns
     * next to the edge average a third and two thirds of it */
    make_image(&src, 6, 3, 1);
    for (int y = 0; y < 3; y++)
        for (int x = 3; x < 6; x++)
            pixel_at(&src, x, y)[0] = 90;
    ok(aug_motion_blur(&src, &dst, 3, 0.0, &err), &err);
    const uint8_t want[6] = {0, 0, 30, 60, 90, 90};
    for (int y = 0; y < 3; y++)
        assert_memory_equal(pixel_at(&dst, 0, y), want, 6);
    aug_image_free(&dst);
    /* at 90 degrees the same streak runs down the columns: rows unchanged */
    ok(aug_motion_blur(&src, &dst, 3, 90.0, &err), &err);
    assert_memory_equal(dst.data, src.data, aug_image_size(&src));
    aug_image_free(&dst);
    aug_image_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brightness),
        cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_saturation_and_grayscale),
        cmocka_unit_test(test_hue),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_equalize_autocontrast),
        cmocka_unit_test(test_sharpness),
        cmocka_unit_test(test_alpha_and_grey),
        cmocka_unit_test(test_gaussian_reference),
        cmocka_unit_test(test_box_and_median),
        cmocka_unit_test(test_motion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
