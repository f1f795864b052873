/* The image type: allocation, validation of sizes and channel counts, and
 * the channel-layout helpers. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "augment/image.h"

static void test_alloc_zeroed_and_sized(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img;
        aug_error err = {0};
        assert_int_equal(aug_image_alloc(&img, 37, 19, ch, &err), AUG_OK);
        assert_int_equal(img.width, 37);
        assert_int_equal(img.height, 19);
        assert_int_equal(img.channels, ch);
        assert_non_null(img.data);
        assert_int_equal(aug_image_size(&img), (size_t)37 * 19 * ch);
        for (size_t i = 0; i < aug_image_size(&img); i++)
            assert_int_equal(img.data[i], 0);
        /* The whole buffer is writable (ASan/valgrind catch a short one). */
        memset(img.data, 0xab, aug_image_size(&img));
        aug_image_free(&img);
        assert_null(img.data);
        assert_int_equal(img.width, 0);
        assert_int_equal(img.height, 0);
        assert_int_equal(img.channels, 0);
        assert_int_equal(aug_image_size(&img), 0);
    }
}

static void test_one_pixel(void **state)
{
    (void)state;
    aug_image img;
    assert_int_equal(aug_image_alloc(&img, 1, 1, 1, NULL), AUG_OK);
    assert_int_equal(aug_image_size(&img), 1);
    assert_int_equal(img.data[0], 0);
    aug_image_free(&img);
}

static void test_free_is_safe(void **state)
{
    (void)state;
    aug_image img;
    assert_int_equal(aug_image_alloc(&img, 3, 3, 3, NULL), AUG_OK);
    aug_image_free(&img);
    aug_image_free(&img); /* twice: the first reset it to empty */
    aug_image_free(NULL);
    aug_image empty = {0, 0, 0, NULL};
    aug_image_free(&empty);
    assert_null(empty.data);
}

static void check_arg_error(int w, int h, int ch, const char *needle)
{
    /* Garbage in *img beforehand: a failure must still leave it empty. */
    aug_image img = {99, 99, 9, (uint8_t *)&img};
    aug_error err = {0};
    assert_int_equal(aug_image_alloc(&img, w, h, ch, &err), AUG_ERR_ARG);
    assert_int_equal(err.code, AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, needle));
    assert_null(img.data);
    assert_int_equal(img.width, 0);
    assert_int_equal(img.height, 0);
    assert_int_equal(img.channels, 0);
    /* err may be NULL. */
    assert_int_equal(aug_image_alloc(&img, w, h, ch, NULL), AUG_ERR_ARG);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    check_arg_error(0, 5, 3, "0x5");
    check_arg_error(5, 0, 3, "5x0");
    check_arg_error(-1, 5, 3, "-1x5");
    check_arg_error(5, INT_MIN, 3, "not positive");
    check_arg_error(4, 4, 0, "channels");
    check_arg_error(4, 4, 5, "5 channels");
    check_arg_error(4, 4, -2, "channels");
}

static void test_huge_sizes_fail_cleanly(void **state)
{
    (void)state;
    /* Products that overflow (or nearly overflow) a size_t must be refused
     * before any multiplication wraps into a small, "successful" buffer. */
    const int sizes[][3] = {{INT_MAX, INT_MAX, 4}, {INT_MAX, INT_MAX, 1},
                            {INT_MAX, 1 << 30, 2}, {1 << 30, INT_MAX, 4}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        aug_image img;
        aug_error err = {0};
        aug_status st = aug_image_alloc(&img, sizes[i][0], sizes[i][1], sizes[i][2], &err);
        assert_int_equal(st, AUG_ERR_NOMEM);
        assert_int_equal(err.code, AUG_ERR_NOMEM);
        assert_true(strlen(err.msg) > 0);
        assert_null(img.data);
        assert_int_equal(img.width, 0);
    }
}

static void test_alpha_helpers(void **state)
{
    (void)state;
    const int alpha[5] = {0, 0, 1, 0, 1};
    const int colour[5] = {0, 1, 1, 3, 3};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img;
        assert_int_equal(aug_image_alloc(&img, 2, 2, ch, NULL), AUG_OK);
        assert_int_equal(aug_image_has_alpha(&img), alpha[ch]);
        assert_int_equal(aug_image_color_channels(&img), colour[ch]);
        aug_image_free(&img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_zeroed_and_sized),
        cmocka_unit_test(test_one_pixel),
        cmocka_unit_test(test_free_is_safe),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_huge_sizes_fail_cleanly),
        cmocka_unit_test(test_alpha_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
