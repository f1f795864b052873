/* Flip: hand-written small cases, a straightforward coordinate-mapping
 * reference on random images, and the group laws of the four flips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/kernels.h"
#include "testutil.h"

static const aug_flip_mode MODES[4] = {AUG_FLIP_NONE, AUG_FLIP_HORIZONTAL,
                                       AUG_FLIP_VERTICAL, AUG_FLIP_BOTH};

/* The definition: output (x, y) is input (x', y') with x' = w-1-x for a
 * horizontal component and y' = h-1-y for a vertical one. */
static void reference(const aug_image *in, aug_image *out, aug_flip_mode m)
{
    int hx = m == AUG_FLIP_HORIZONTAL || m == AUG_FLIP_BOTH;
    int vy = m == AUG_FLIP_VERTICAL || m == AUG_FLIP_BOTH;
    make_image(out, in->width, in->height, in->channels);
    for (int y = 0; y < in->height; y++)
        for (int x = 0; x < in->width; x++) {
            int sx = hx ? in->width - 1 - x : x, sy = vy ? in->height - 1 - y : y;
            memcpy(pixel_at(out, x, y), pixel_at(in, sx, sy), (size_t)in->channels);
        }
}

/* A 3x2 image whose pixels are numbered 0..5 in reading order:
 *     0 1 2        horizontal 2 1 0   vertical 3 4 5   both 5 4 3
 *     3 4 5                   5 4 3            0 1 2        2 1 0
 * Each table lists, for every output pixel, which input pixel lands there. */
static const int PERM[4][6] = {
    {0, 1, 2, 3, 4, 5}, /* none */
    {2, 1, 0, 5, 4, 3}, /* horizontal */
    {3, 4, 5, 0, 1, 2}, /* vertical */
    {5, 4, 3, 2, 1, 0}, /* both */
};

static void test_hand_3x2_all_channels(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++)
        for (int m = 0; m < 4; m++) {
            aug_image img;
            make_image(&img, 3, 2, ch);
            /* sample c of pixel p = 16p + c + 1: every sample distinct */
            for (int p = 0; p < 6; p++)
                for (int c = 0; c < ch; c++)
                    img.data[p * ch + c] = (uint8_t)(16 * p + c + 1);
            assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
            for (int p = 0; p < 6; p++)
                for (int c = 0; c < ch; c++)
                    assert_int_equal(img.data[p * ch + c], 16 * PERM[m][p] + c + 1);
            aug_image_free(&img);
        }
}

static void test_hand_literal_rgb(void **state)
{
    (void)state;
    /* 3x1 RGB: pixels A B C mirrored to C B A with channel order kept. */
    aug_image img;
    make_image(&img, 3, 1, 3);
    const uint8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const uint8_t out[9] = {7, 8, 9, 4, 5, 6, 1, 2, 3};
    memcpy(img.data, in, 9);
    assert_int_equal(aug_flip(&img, AUG_FLIP_HORIZONTAL, NULL), AUG_OK);
    assert_memory_equal(img.data, out, 9);
    assert_int_equal(aug_flip(&img, AUG_FLIP_VERTICAL, NULL), AUG_OK);
    assert_memory_equal(img.data, out, 9); /* one row: vertical is identity */
    aug_image_free(&img);
}

/* Sizes with odd and even sides, single rows/columns, and rows longer than
 * the 4096-byte swap chunk (1500 * 4 = 6000 bytes). */
static const int SIZES[][2] = {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {5, 3},
                               {4, 6}, {17, 9}, {1500, 3}, {1031, 4}};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

static void test_matches_reference(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSIZES; s++)
        for (int ch = 1; ch <= 4; ch++)
            for (int m = 0; m < 4; m++) {
                aug_image img, want;
                random_image(&img, SIZES[s][0], SIZES[s][1], ch,
                             100 + s * 16 + (size_t)ch * 4 + (size_t)m);
                reference(&img, &want, MODES[m]);
                assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
                assert_memory_equal(img.data, want.data, aug_image_size(&img));
                aug_image_free(&img);
                aug_image_free(&want);
            }
}

/* Every loop (32-byte vectors, 16-byte ones, scalar: each forced in turn
 * where the machine has the wider ones) against the reference on every width up to 48, so each
 * remainder after whole vector blocks occurs for every channel count, and
 * on widths around the in-place chunks (two chunks of 1024 pixels swap
 * through the stack; rows of 2048 and more take that path) and around the
 * two-ended swap of the 32-byte loops. The buffers
 * are exactly the image's size, so ASan sees any byte read or written past
 * a row's end. */
extern int aug_simd_disable;

static void test_vector_and_scalar_loops(void **state)
{
    (void)state;
    /* and around the two-ended 32-byte swap of one channel (two vectors
     * are 64 pixels) */
    static const int wide[] = {63, 64, 65, 95, 96, 97, 127, 128, 129, 2047, 2048, 2049, 3071,
                               4100};
    const int nwide = (int)(sizeof wide / sizeof *wide);
    for (int level = 0; level <= 2; level++) { /* AVX2, SSSE3, baseline */
        aug_simd_disable = level;
        for (int ch = 1; ch <= 4; ch++)
            for (int wi = 1; wi < 49 + nwide; wi++) {
                int w = wi < 49 ? wi : wide[wi - 49];
                for (int h = 1; h <= (w < 49 ? 3 : 1); h++)
                    for (int m = 1; m < 4; m += 2) { /* horizontal, both */
                        aug_image img, want;
                        random_image(&img, w, h, ch, (uint64_t)(w * 131 + h * 7 + ch + m));
                        reference(&img, &want, MODES[m]);
                        assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
                        assert_memory_equal(img.data, want.data, aug_image_size(&img));
                        aug_image_free(&img);
                        aug_image_free(&want);
                    }
            }
    }
    aug_simd_disable = 0;
}

static void test_twice_is_identity(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSIZES; s++)
        for (int ch = 1; ch <= 4; ch++)
            for (int m = 0; m < 4; m++) {
                aug_image img, orig;
                random_image(&img, SIZES[s][0], SIZES[s][1], ch, 7 + s);
                orig = copy_image(&img);
                assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
                assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
                assert_memory_equal(img.data, orig.data, aug_image_size(&img));
                aug_image_free(&img);
                aug_image_free(&orig);
            }
}

static void test_both_is_horizontal_then_vertical(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSIZES; s++)
        for (int ch = 1; ch <= 4; ch++) {
            aug_image a, b;
            random_image(&a, SIZES[s][0], SIZES[s][1], ch, 55 + s);
            b = copy_image(&a);
            assert_int_equal(aug_flip(&a, AUG_FLIP_BOTH, NULL), AUG_OK);
            assert_int_equal(aug_flip(&b, AUG_FLIP_HORIZONTAL, NULL), AUG_OK);
            assert_int_equal(aug_flip(&b, AUG_FLIP_VERTICAL, NULL), AUG_OK);
            assert_memory_equal(a.data, b.data, aug_image_size(&a));
            aug_image_free(&a);
            aug_image_free(&b);
        }
}

static void test_degenerate_shapes(void **state)
{
    (void)state;
    /* 1x1: every mode is the identity. */
    for (int m = 0; m < 4; m++) {
        aug_image img;
        make_image(&img, 1, 1, 4);
        const uint8_t px[4] = {9, 8, 7, 6};
        memcpy(img.data, px, 4);
        assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
        assert_memory_equal(img.data, px, 4);
        aug_image_free(&img);
    }
    /* A 1-wide column: horizontal is identity, vertical reverses. */
    aug_image col;
    make_image(&col, 1, 5, 2);
    const uint8_t cin[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const uint8_t crev[10] = {9, 10, 7, 8, 5, 6, 3, 4, 1, 2};
    memcpy(col.data, cin, 10);
    assert_int_equal(aug_flip(&col, AUG_FLIP_HORIZONTAL, NULL), AUG_OK);
    assert_memory_equal(col.data, cin, 10);
    assert_int_equal(aug_flip(&col, AUG_FLIP_VERTICAL, NULL), AUG_OK);
    assert_memory_equal(col.data, crev, 10);
    aug_image_free(&col);
    /* A 1-high row: vertical is identity, horizontal reverses. */
    aug_image row;
    make_image(&row, 4, 1, 1);
    const uint8_t rin[4] = {1, 2, 3, 4}, rrev[4] = {4, 3, 2, 1};
    memcpy(row.data, rin, 4);
    assert_int_equal(aug_flip(&row, AUG_FLIP_VERTICAL, NULL), AUG_OK);
    assert_memory_equal(row.data, rin, 4);
    assert_int_equal(aug_flip(&row, AUG_FLIP_BOTH, NULL), AUG_OK);
    assert_memory_equal(row.data, rrev, 4);
    aug_image_free(&row);
}

static int cmp_px4(const void *a, const void *b)
{
    return memcmp(a, b, 4);
}

static void test_pixel_multiset_preserved(void **state)
{
    (void)state;
    for (int m = 0; m < 4; m++) {
        aug_image img, orig;
        random_image(&img, 33, 21, 4, 999);
        orig = copy_image(&img);
        assert_int_equal(aug_flip(&img, MODES[m], NULL), AUG_OK);
        size_t n = (size_t)33 * 21;
        qsort(img.data, n, 4, cmp_px4);
        qsort(orig.data, n, 4, cmp_px4);
        assert_memory_equal(img.data, orig.data, n * 4);
        aug_image_free(&img);
        aug_image_free(&orig);
    }
}

static void test_invalid(void **state)
{
    (void)state;
    aug_error err = {0};
    aug_image img;
    make_image(&img, 2, 2, 3);
    assert_int_equal(aug_flip(&img, (aug_flip_mode)7, &err), AUG_ERR_ARG);
    assert_int_equal(err.code, AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "mode"));
    assert_int_equal(aug_flip(NULL, AUG_FLIP_VERTICAL, &err), AUG_ERR_ARG);
    img.channels = 5;
    assert_int_equal(aug_flip(&img, AUG_FLIP_HORIZONTAL, &err), AUG_ERR_ARG);
    img.channels = 3;
    aug_image_free(&img);
    assert_int_equal(aug_flip(&img, AUG_FLIP_HORIZONTAL, NULL), AUG_ERR_ARG); /* empty */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_3x2_all_channels),
        cmocka_unit_test(test_hand_literal_rgb),
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_vector_and_scalar_loops),
        cmocka_unit_test(test_twice_is_identity),
        cmocka_unit_test(test_both_is_horizontal_then_vertical),
        cmocka_unit_test(test_degenerate_shapes),
        cmocka_unit_test(test_pixel_multiset_preserved),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
