/* Label files (src/io/labels_yolo.c, coco_rle.c): YOLO lines to pixel
 * boxes and back, errors naming the file and line, the class lists, and
 * COCO's run-length text against counts encoded by hand here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "augment/augment.h"
#include "augment/labelfile.h"
#include "augment/labels.h"

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static aug_yolo_meta no_meta(void)
{
    return (aug_yolo_meta){-1, 0, 0, NULL, 0};
}

static aug_plan *plan_for(const char *chain, int w, int h)
{
    aug_chain *c = NULL;
    aug_plan *p = NULL;
    aug_error err;
    aug_geom g = {w, h, 3};
    assert_int_equal(aug_chain_parse(chain, NULL, &c, &err), AUG_OK);
    assert_int_equal(aug_chain_draw(c, 1, "a.png", 0, &g, &p, &err), AUG_OK);
    aug_chain_free(c);
    return p;
}

/* class xc yc w h on a 100x80 image: x = (xc - w/2) * 100, ... */
static void test_yolo_read(void **state)
{
    (void)state;
    const char *t = "0 0.25 0.5 0.2 0.25\n\n1 0.7 0.3 0.1 0.1\n";
    aug_yolo_meta m = no_meta();
    m.nclasses = 2;
    aug_labels l = {0};
    aug_error err;
    assert_int_equal(aug_yolo_parse(t, strlen(t), "a.txt", 100, 80, &m, NULL, 0, &l, &err), AUG_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.obj[0].cls, 0);
    assert_near(l.obj[0].box[0], 15);
    assert_near(l.obj[0].box[1], 30);
    assert_near(l.obj[0].box[2], 20);
    assert_near(l.obj[0].box[3], 20);
    assert_int_equal(l.obj[1].cls, 1);
    assert_int_equal(l.obj[1].id, 3); /* its line */
    assert_near(l.obj[1].box[0], 65);
    assert_near(l.obj[1].box[3], 8);
    /* not moved: written back as the same text */
    aug_buf out = {0};
    assert_int_equal(aug_yolo_format(&l, 100, 80, t, 0, 0, &out, &err), AUG_OK);
    assert_string_equal(out.data, "0 0.25 0.5 0.2 0.25\n1 0.7 0.3 0.1 0.1\n");
    aug_buf_free(&out);
    aug_labels_free(&l);
}

static void expect_error(const char *text, long nclasses, const char *want)
{
    aug_yolo_meta m = no_meta();
    m.nclasses = nclasses;
    aug_labels l = {0};
    aug_error err;
    assert_int_equal(aug_yolo_parse(text, strlen(text), "dir/a.txt", 100, 80, &m, NULL, 0, &l, &err),
                     AUG_ERR_FORMAT);
    if (!strstr(err.msg, want))
        fail_msg("'%s': message '%s' lacks '%s'", text, err.msg, want);
    aug_labels_free(&l);
}

static void test_yolo_errors(void **state)
{
    (void)state;
    expect_error("0 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n", 2, "dir/a.txt:2:");
    expect_error("0 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n", 2, "class 2");
    expect_error("0 1.5 0.5 0.1 0.1\n", -1, "dir/a.txt:1:");
    expect_error("0 -0.1 0.5 0.1 0.1\n", -1, "outside 0..1");
    expect_error("0 0.5 0.5 0.1\n", -1, "dir/a.txt:1:");
    expect_error("x 0.5 0.5 0.1 0.1\n", -1, "dir/a.txt:1:");
    expect_error("0 0.5 0.5 0.1 0.1\n\n0 0.5 nan 0.1 0.1\n", -1, "dir/a.txt:3:");
}

/* Found by tests/fuzz/fuzz_labels.c (corpus found-box-past-edge-unmoved):
 * a box whose values are each in 0..1 may reach past the edge (yc 1,
 * h 0.2: y 72..88 of 80). A plan that moves nothing keeps it as read (the
 * text round-trips); one that moves points clips it to the image. */
static void test_box_past_edge(void **state)
{
    (void)state;
    const char *t = "1 0.1 1.0 0.2 0.2\n";
    aug_yolo_meta m = no_meta();
    aug_error err;
    aug_label_params lp;
    aug_label_params_default(&lp);
    lp.min_visibility = 0.25;
    for (int moved = 0; moved < 2; moved++) {
        aug_labels l = {0};
        assert_int_equal(aug_yolo_parse(t, strlen(t), "a.txt", 100, 80, &m, NULL, 0, &l, &err),
                         AUG_OK);
        aug_plan *p = plan_for(moved ? "flip --vertical" : "erase --count 2", 100, 80);
        assert_int_equal(aug_plan_moves_points(p), moved);
        assert_int_equal(aug_labels_transform(p, &lp, &l, &err), AUG_OK);
        assert_int_equal(l.n, 1);
        assert_near(l.obj[0].box[0], 0);
        assert_near(l.obj[0].box[2], 20);
        /* unmoved: y 72..88; flipped: y -8..8, clipped to 0..8 (half left) */
        assert_near(l.obj[0].box[1], moved ? 0 : 72);
        assert_near(l.obj[0].box[3], moved ? 8 : 16);
        aug_buf out = {0};
        assert_int_equal(aug_yolo_format(&l, 100, 80, t, 0, 0, &out, &err), AUG_OK);
        if (!moved)
            assert_string_equal(out.data, t);
        else
            assert_string_equal(out.data, "1 0.1 0.05 0.2 0.1\n");
        aug_buf_free(&out);
        aug_plan_free(p);
        aug_labels_free(&l);
    }
}

/* Found by tests/fuzz/fuzz_labels.c (found-rewritten-past-one): the same
 * box on a 33x31 image written again from its pixels (as mixup does, with
 * a weight column) gave yc = (27.9 + 3.1) / 31 = 1.0000000000000002, which
 * no reader takes; written values are held to 0..1. */
static void test_rewritten_in_range(void **state)
{
    (void)state;
    const char *t = "1 0.1 1.0 0.2 0.2\n";
    aug_yolo_meta m = no_meta();
    aug_error err;
    aug_labels l = {0}, again = {0};
    assert_int_equal(aug_yolo_parse(t, strlen(t), "a.txt", 33, 31, &m, NULL, 0, &l, &err), AUG_OK);
    assert_true((l.obj[0].box[1] + l.obj[0].box[3] / 2) / 31 > 1); /* the rounding */
    aug_buf out = {0};
    assert_int_equal(aug_yolo_format(&l, 33, 31, NULL, 0, 1, &out, &err), AUG_OK);
    assert_string_equal(out.data, "1 0.1 1 0.2 0.2 1\n");
    aug_buf_free(&out);
    assert_int_equal(aug_yolo_format(&l, 33, 31, NULL, 0, 0, &out, &err), AUG_OK);
    assert_int_equal(aug_yolo_parse(out.data, out.len, "b.txt", 33, 31, &m, NULL, 0, &again, &err),
                     AUG_OK);
    aug_buf_free(&out);
    aug_labels_free(&again);
    aug_labels_free(&l);
}

static char *temp_file(const char *text)
{
    char *path = strdup("/tmp/test_labelfile_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_class_lists(void **state)
{
    (void)state;
    aug_error err;
    aug_yolo_meta m = no_meta();
    char *p = temp_file("cat\ndog\nbird\n\n\n");
    assert_int_equal(aug_yolo_read_classes(p, &m, &err), AUG_OK);
    assert_int_equal(m.nclasses, 3);
    aug_yolo_meta_free(&m);
    unlink(p);
    free(p);
    m = no_meta();
    p = temp_file("names:\n  0: person\n  1: car\nkpt_shape: [3, 3]\nflip_idx: [1, 0, 2]\n");
    assert_int_equal(aug_yolo_read_yaml(p, &m, &err), AUG_OK);
    assert_int_equal(m.nclasses, 2);
    assert_int_equal(m.kpt_n, 3);
    assert_int_equal(m.kpt_dims, 3);
    assert_int_equal(m.nflip, 3);
    assert_int_equal(m.flip[0], 1);
    assert_int_equal(m.flip[1], 0);
    assert_int_equal(m.flip[2], 2);
    aug_yolo_meta_free(&m);
    unlink(p);
    free(p);
    /* a class id key at LONG_MAX (a fuzzer finding: ids + 1 overflowed) and
     * an nc past any class count are refused, naming the file */
    static const char *const huge[] = {"names:\n  9223372036854775807: x\n",
                                       "names:\n  2147483648: x\n", "nc: 9223372036854775807\n"};
    for (size_t i = 0; i < sizeof huge / sizeof *huge; i++) {
        m = no_meta();
        p = temp_file(huge[i]);
        assert_int_equal(aug_yolo_read_yaml(p, &m, &err), AUG_ERR_FORMAT);
        assert_non_null(strstr(err.msg, p));
        aug_yolo_meta_free(&m);
        unlink(p);
        free(p);
    }
    m = no_meta();
    p = temp_file("names:\n  2147483647: x\n");
    assert_int_equal(aug_yolo_read_yaml(p, &m, &err), AUG_OK);
    assert_int_equal(m.nclasses, 2147483648L);
    aug_yolo_meta_free(&m);
    unlink(p);
    free(p);
    /* a pose line of 5 + 3 x 3 values; a flip table swaps the eyes on a mirror */
    const char *t = "0 0.5 0.5 0.4 0.4 0.3 0.4 2 0.6 0.4 2 0.5 0.6 1\n";
    static const int flip[3] = {1, 0, 2};
    m = (aug_yolo_meta){1, 3, 3, NULL, 0};
    aug_labels l = {0};
    assert_int_equal(aug_yolo_parse(t, strlen(t), "p.txt", 100, 100, &m, flip, 3, &l, &err),
                     AUG_OK);
    assert_int_equal(l.obj[0].nkps, 3);
    assert_near(l.obj[0].kps[0].x, 30);
    assert_near(l.obj[0].kps[2].y, 60);
    assert_int_equal(l.obj[0].kps[2].v, 1);
    aug_labels_free(&l);
    /* a pose of more points than its left/right table is an error naming
     * the line, never a read past the table (a fuzzer finding) */
    l = (aug_labels){0};
    assert_int_equal(aug_yolo_parse(t, strlen(t), "p.txt", 100, 100, &m, flip, 2, &l, &err),
                     AUG_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "p.txt:1: 3 keypoints"));
    aug_labels_free(&l);
    /* flip_idx that is not a list */
    m = no_meta();
    p = temp_file("kpt_shape: [3, 3]\nflip_idx: Ke\n");
    assert_int_equal(aug_yolo_read_yaml(p, &m, &err), AUG_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "flip_idx is not a list"));
    aug_yolo_meta_free(&m);
    unlink(p);
    free(p);
}

/* COCO's compressed counts, by hand for [30, 90, 1080]: each count in
 * 5-bit groups, low first, 0x20 = more, + 48; counts from the third on
 * are stored minus the count two before (not needed here).
 * 30 = 11110b: bit 4 set, so one more group "0": 30|32 = 62 -> 'n', 0 -> '0'.
 * 90 = 2 * 32 + 26: 26|32 = 58 -> 'j', 2 -> '2'.
 * 1080 = 33 * 32 + 24: 24|32 -> 'h'; 33 = 1 * 32 + 1: 1|32 -> 'Q'; 1 -> '1'. */
static void test_rle(void **state)
{
    (void)state;
    static const uint32_t counts[3] = {30, 90, 1080};
    aug_buf s = {0};
    assert_int_equal(aug_rle_encode_string(counts, 3, &s), AUG_OK);
    assert_string_equal(s.data, "n0j2hQ1");
    aug_image m;
    aug_error err;
    assert_int_equal(aug_rle_decode_string(s.data, 40, 30, &m, &err), AUG_OK);
    /* column-major: the first 30 zeros are column 0, then columns 1..3 */
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 40; x++)
            assert_int_equal(m.data[(size_t)y * 40 + (size_t)x] != 0, x >= 1 && x <= 3);
    uint32_t *back;
    size_t n;
    assert_int_equal(aug_rle_encode(&m, &back, &n, &err), AUG_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(back, counts, sizeof counts);
    free(back);
    aug_image_free(&m);
    aug_buf_free(&s);
    /* counts that do not add up to the image are refused */
    assert_int_not_equal(aug_rle_decode_counts(counts, 3, 40, 31, &m, &err), AUG_OK);
    assert_true(err.msg[0] != '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yolo_read),
        cmocka_unit_test(test_yolo_errors),
        cmocka_unit_test(test_box_past_edge),
        cmocka_unit_test(test_rewritten_in_range),
        cmocka_unit_test(test_class_lists),
        cmocka_unit_test(test_rle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
