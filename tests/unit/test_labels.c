/* Labels through plans (src/ops/labels.c and each op's map_points and
 * apply_mask): boxes, keypoints and polygons moved by every geometric op
 * to coordinates computed by hand here; masks staying aligned with the
 * boxes drawn into them; the largest and ellipse boxes of a rotated square
 * and rectangle with the numbers derived below; left/right keypoints
 * swapped under mirrors only; the filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/augment.h"
#include "augment/labels.h"
#include "testutil.h"

/* ---- helpers ---- */

static aug_plan *plan_for(const char *chain, int w, int h, uint64_t seed)
{
    aug_chain *c = NULL;
    aug_plan *p = NULL;
    aug_error err;
    aug_geom g = {w, h, 3};
    if (aug_chain_parse(chain, NULL, &c, &err))
        fail_msg("%s: %s", chain, err.msg);
    if (aug_chain_draw(c, seed, "key.png", 0, &g, &p, &err))
        fail_msg("%s: %s", chain, err.msg);
    aug_chain_free(c);
    return p;
}

/* One box object (x, y, w, h), optionally with keypoints. */
static void add_box(aug_labels *l, double x, double y, double w, double h, long long id)
{
    aug_object o = {.box = {x, y, w, h}, .weight = 1, .id = id, .cls = 0};
    assert_int_equal(aug_labels_add(l, &o, NULL), AUG_OK);
}

static void add_keypoints(aug_labels *l, size_t o, const double *xy, size_t n, const int *flip)
{
    aug_object *ob = &l->obj[o];
    ob->kps = calloc(n, sizeof *ob->kps);
    assert_non_null(ob->kps);
    for (size_t i = 0; i < n; i++)
        ob->kps[i] = (aug_keypoint){xy[2 * i], xy[2 * i + 1], 2};
    ob->nkps = n;
    ob->flip = flip;
}

static void add_polygon(aug_labels *l, size_t o, const double *xy, size_t n)
{
    aug_object *ob = &l->obj[o];
    ob->polys = calloc(1, sizeof *ob->polys);
    ob->polys[0].xy = malloc(n * 2 * sizeof(double));
    memcpy(ob->polys[0].xy, xy, n * 2 * sizeof(double));
    ob->polys[0].n = n;
    ob->npolys = 1;
}

static void transform(const char *chain, int w, int h, aug_labels *l,
                      const aug_label_params *lp)
{
    aug_plan *p = plan_for(chain, w, h, 1);
    aug_label_params d;
    aug_label_params_default(&d);
    aug_error err;
    if (aug_labels_transform(p, lp ? lp : &d, l, &err))
        fail_msg("%s: %s", chain, err.msg);
    aug_plan_free(p);
}

#define assert_near(a, b, tol)                                                          \
    do {                                                                               \
        double a_ = (a), b_ = (b);                                                     \
        if (!(fabs(a_ - b_) <= (tol)))                                                 \
            fail_msg("%s = %.12g, expected %.12g (+-%g)", #a, a_, b_, (double)(tol)); \
    } while (0)

static void assert_box(const aug_object *o, double x, double y, double w, double h, double tol)
{
    assert_near(o->box[0], x, tol);
    assert_near(o->box[1], y, tol);
    assert_near(o->box[2], w, tol);
    assert_near(o->box[3], h, tol);
}

/* A 100x60 image, the box (10, 20, 30, 10) and a keypoint (15, 25). */
static void one_box(aug_labels *l)
{
    *l = (aug_labels){0};
    add_box(l, 10, 20, 30, 10, 1);
    const double kp[2] = {15, 25};
    add_keypoints(l, 0, kp, 1, NULL);
}

/* ---- every geometric op, by hand ---- */

static void test_flip(void **state)
{
    (void)state;
    aug_labels l;
    one_box(&l);
    transform("flip --horizontal", 100, 60, &l, NULL);
    assert_int_equal(l.n, 1);
    /* x -> 100 - x: [10, 40] becomes [60, 90] */
    assert_box(&l.obj[0], 60, 20, 30, 10, 1e-12);
    assert_near(l.obj[0].kps[0].x, 85, 1e-12);
    assert_near(l.obj[0].kps[0].y, 25, 1e-12);
    assert_true(l.obj[0].moved);
    aug_labels_free(&l);

    one_box(&l);
    transform("flip --vertical", 100, 60, &l, NULL);
    assert_box(&l.obj[0], 10, 30, 30, 10, 1e-12); /* y -> 60 - y: [20, 30] -> [30, 40] */
    assert_near(l.obj[0].kps[0].y, 35, 1e-12);
    aug_labels_free(&l);
}

static void test_rotate90(void **state)
{
    (void)state;
    /* counter-clockwise on screen; w = 100, h = 60 */
    static const struct {
        const char *chain;
        double box[4], kp[2];
    } cases[] = {
        /* 90: (x, y) -> (y, 100 - x): corners (10,20)->(20,90), (40,30)->(30,60) */
        {"rotate90 --angles 90", {20, 60, 10, 30}, {25, 85}},
        /* 180: (100 - x, 60 - y) */
        {"rotate90 --angles 180", {60, 30, 30, 10}, {85, 35}},
        /* 270: (60 - y, x): (10,20)->(40,10), (40,30)->(30,40) */
        {"rotate90 --angles 270", {30, 10, 10, 30}, {35, 15}},
        /* rotate by 90 with --expand is the same quarter turn */
        {"rotate --angle 90 --expand", {20, 60, 10, 30}, {25, 85}},
        {"rotate --angle -90 --expand", {30, 10, 10, 30}, {35, 15}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aug_labels l;
        one_box(&l);
        transform(cases[i].chain, 100, 60, &l, NULL);
        assert_int_equal(l.n, 1);
        assert_box(&l.obj[0], cases[i].box[0], cases[i].box[1], cases[i].box[2],
                   cases[i].box[3], 1e-9);
        assert_near(l.obj[0].kps[0].x, cases[i].kp[0], 1e-9);
        assert_near(l.obj[0].kps[0].y, cases[i].kp[1], 1e-9);
        aug_labels_free(&l);
    }
}

static void test_crop_pad_resize(void **state)
{
    (void)state;
    aug_labels l;
    /* a 50x40 window at (20, 10): (10,20,30,10) -> (-10,10,30,10), clipped
     * to (0,10,20,10); the keypoint (15,25) -> (-5,15) leaves the image */
    one_box(&l);
    transform("crop --size 50x40 --position 20,10", 100, 60, &l, NULL);
    assert_int_equal(l.n, 1);
    assert_box(&l.obj[0], 0, 10, 20, 10, 1e-12);
    assert_int_equal(l.obj[0].kps[0].v, 0);
    aug_labels_free(&l);

    /* the same with --min-visibility 0.7: 200 / 300 px left, dropped */
    aug_label_params lp;
    aug_label_params_default(&lp);
    lp.min_visibility = 0.7;
    one_box(&l);
    transform("crop --size 50x40 --position 20,10", 100, 60, &l, &lp);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.ndropped, 1);
    assert_int_equal(l.dropped[0], 1);
    aug_labels_free(&l);
    lp.min_visibility = 0.6; /* 0.667 is enough */
    one_box(&l);
    transform("crop --size 50x40 --position 20,10", 100, 60, &l, &lp);
    assert_int_equal(l.n, 1);
    aug_labels_free(&l);

    /* pad left 5, top 7 */
    one_box(&l);
    transform("pad --pad 5,7,0,0", 100, 60, &l, NULL);
    assert_box(&l.obj[0], 15, 27, 30, 10, 1e-12);
    assert_near(l.obj[0].kps[0].x, 20, 1e-12);
    aug_labels_free(&l);

    /* resize 100x60 -> 50x30 and -> 200x120 */
    one_box(&l);
    transform("resize --size 50x30", 100, 60, &l, NULL);
    assert_box(&l.obj[0], 5, 10, 15, 5, 1e-12);
    aug_labels_free(&l);
    one_box(&l);
    transform("resize --scale 2", 100, 60, &l, NULL);
    assert_box(&l.obj[0], 20, 40, 60, 20, 1e-12);
    assert_near(l.obj[0].kps[0].x, 30, 1e-12);
    aug_labels_free(&l);

    /* crop then pad: what the crop cut off does not come back */
    one_box(&l);
    transform("crop --size 50x40 --position 20,10 | pad --pad 20,10,30,10", 100, 60, &l, NULL);
    assert_box(&l.obj[0], 20, 20, 20, 10, 1e-12);
    aug_labels_free(&l);
}

/* random-resized-crop: the window comes from the manifest (box=x,y,w,h) */
static void test_random_resized_crop(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed < 6; seed++) {
        aug_plan *p = plan_for("random-resized-crop --size 64x32", 100, 60, seed);
        int x, y, cw, ch;
        assert_int_equal(sscanf(aug_plan_text(p), "random-resized-crop(box=%d,%d,%d,%d", &x, &y, &cw, &ch), 4);
        double pts[4] = {x + 1.0, y + 2.0, x + cw * 0.5, y + ch * 0.25};
        assert_int_equal(aug_plan_map_points(p, pts, 2, NULL), AUG_OK);
        assert_near(pts[0], 1.0 * 64 / cw, 1e-12);
        assert_near(pts[1], 2.0 * 32 / ch, 1e-12);
        assert_near(pts[2], 32, 1e-12);
        assert_near(pts[3], 8, 1e-12);
        aug_plan_free(p);
    }
}

static void test_affine_perspective(void **state)
{
    (void)state;
    /* a quarter turn counter-clockwise about (50, 50): (70, 50) -> (50, 30) */
    aug_plan *p = plan_for("affine --degrees 90:90", 100, 100, 1);
    double pt[2] = {70, 50};
    assert_int_equal(aug_plan_map_points(p, pt, 1, NULL), AUG_OK);
    assert_near(pt[0], 50, 1e-9);
    assert_near(pt[1], 30, 1e-9);
    aug_plan_free(p);
    /* scale 2 about the centre: (60, 50) -> (70, 50) */
    p = plan_for("affine --scale 2:2", 100, 100, 1);
    double q[2] = {60, 45};
    assert_int_equal(aug_plan_map_points(p, q, 1, NULL), AUG_OK);
    assert_near(q[0], 70, 1e-9);
    assert_near(q[1], 40, 1e-9);
    aug_plan_free(p);
    /* perspective: the corners go where the manifest says */
    for (uint64_t seed = 1; seed < 4; seed++) {
        p = plan_for("perspective --distortion 0.6", 80, 50, seed);
        int k[8];
        assert_int_equal(sscanf(aug_plan_text(p), "perspective(corners=%d,%d,%d,%d,%d,%d,%d,%d", &k[0],
                                &k[1], &k[2], &k[3], &k[4], &k[5], &k[6], &k[7]), 8);
        double c[8] = {0, 0, 79, 0, 79, 49, 0, 49};
        assert_int_equal(aug_plan_map_points(p, c, 4, NULL), AUG_OK);
        for (int i = 0; i < 8; i++)
            assert_near(c[i], k[i], 1e-6);
        aug_plan_free(p);
    }
}

/* rotate: positive angles turn counter-clockwise about the centre, in
 * continuous coordinates (w/2, h/2) */
static void test_rotate(void **state)
{
    (void)state;
    aug_plan *p = plan_for("rotate --angle 30", 200, 100, 1);
    double pt[2] = {120, 50}; /* 20 to the right of (100, 50) */
    assert_int_equal(aug_plan_map_points(p, pt, 1, NULL), AUG_OK);
    assert_near(pt[0], 100 + 20 * cos(M_PI / 6), 1e-9);
    assert_near(pt[1], 50 - 20 * sin(M_PI / 6), 1e-9);
    aug_plan_free(p);
}

/* The largest box and the ellipse box of a rotated square and rectangle,
 * centred in a 200x200 image (no clipping):
 *   a 40x40 square at 30 degrees: largest 40 (cos 30 + sin 30) = 54.6410 a
 *   side; its inscribed circle stays a circle, so the ellipse box is 40
 *   (exactly: whole-degree points at a whole-degree angle reach 0, 90,
 *   180, 270). At 45 degrees the largest side is 40 sqrt 2 = 56.5685.
 *   a 60x20 rectangle at 30 degrees: largest 60 cos 30 + 20 sin 30 =
 *   61.9615 by 60 sin 30 + 20 cos 30 = 47.3205; the ellipse of half-axes
 *   30, 10 has half-extents sqrt((30 cos 30)^2 + (10 sin 30)^2) = sqrt 700
 *   and sqrt((30 sin 30)^2 + (10 cos 30)^2) = sqrt 300, so 52.9150 by
 *   34.6410 (360 points come within 30 (1 - cos 0.5 deg) = 0.0012). */
static void test_box_methods(void **state)
{
    (void)state;
    static const struct {
        const char *chain;
        double w, h;
        aug_box_method m;
        double bw, bh, tol;
    } cases[] = {
        {"rotate --angle 30", 40, 40, AUG_BOX_LARGEST, 54.64101615137755, 54.64101615137755, 1e-9},
        {"rotate --angle 30", 40, 40, AUG_BOX_ELLIPSE, 40, 40, 1e-9},
        {"rotate --angle 45", 40, 40, AUG_BOX_LARGEST, 56.568542494923804, 56.568542494923804, 1e-9},
        {"rotate --angle 45", 40, 40, AUG_BOX_ELLIPSE, 40, 40, 1e-9},
        {"rotate --angle 30", 60, 20, AUG_BOX_LARGEST, 61.96152422706632, 47.32050807568877, 1e-9},
        {"rotate --angle 30", 60, 20, AUG_BOX_ELLIPSE, 52.91502622129181, 34.64101615137755, 2e-3},
        {"affine --degrees 30:30", 60, 20, AUG_BOX_ELLIPSE, 52.91502622129181, 34.64101615137755, 2e-3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aug_labels l = {0};
        add_box(&l, 100 - cases[i].w / 2, 100 - cases[i].h / 2, cases[i].w, cases[i].h, 1);
        aug_label_params lp;
        aug_label_params_default(&lp);
        lp.box_method = cases[i].m;
        transform(cases[i].chain, 200, 200, &l, &lp);
        assert_int_equal(l.n, 1);
        assert_near(l.obj[0].box[2], cases[i].bw, cases[i].tol);
        assert_near(l.obj[0].box[3], cases[i].bh, cases[i].tol);
        /* centred still */
        assert_near(l.obj[0].box[0] + l.obj[0].box[2] / 2, 100, 1e-9);
        assert_near(l.obj[0].box[1] + l.obj[0].box[3] / 2, 100, 1e-9);
        aug_labels_free(&l);
    }
}

/* Left/right keypoints: nose, left eye, right eye (flip 0, 2, 1) of a
 * face in a 100x60 image. A mirror swaps the two eyes' names; a double
 * mirror or a half turn (no mirror) does not. */
static void test_flip_pairs(void **state)
{
    (void)state;
    static const int flip[3] = {0, 2, 1};
    const double kp[6] = {50, 30, 40, 20, 60, 20};
    static const struct {
        const char *chain;
        double want[6];
    } cases[] = {
        /* mirrored: the old right eye (60 -> 40) is now the left eye */
        {"flip --horizontal", {50, 30, 40, 20, 60, 20}},
        /* a vertical mirror reverses handedness too: y -> 60 - y, swapped */
        {"flip --vertical", {50, 30, 60, 40, 40, 40}},
        /* two mirrors: positions back, names kept */
        {"flip --horizontal | flip --horizontal", {50, 30, 40, 20, 60, 20}},
        /* a half turn is no mirror: positions turned, names kept */
        {"flip --both", {50, 30, 60, 40, 40, 40}},
        {"rotate90 --angles 180", {50, 30, 60, 40, 40, 40}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aug_labels l = {0};
        add_box(&l, 30, 10, 40, 30, 1);
        add_keypoints(&l, 0, kp, 3, flip);
        transform(cases[i].chain, 100, 60, &l, NULL);
        for (int k = 0; k < 3; k++) {
            assert_near(l.obj[0].kps[k].x, cases[i].want[2 * k], 1e-12);
            assert_near(l.obj[0].kps[k].y, cases[i].want[2 * k + 1], 1e-12);
        }
        aug_labels_free(&l);
    }
    /* without a flip table the points move and keep their order */
    aug_labels l = {0};
    add_box(&l, 30, 10, 40, 30, 1);
    add_keypoints(&l, 0, kp, 3, NULL);
    transform("flip", 100, 60, &l, NULL);
    assert_near(l.obj[0].kps[1].x, 60, 1e-12);
    assert_near(l.obj[0].kps[2].x, 40, 1e-12);
    aug_labels_free(&l);
}

/* A triangle cropped: (0,0), (40,0), (0,40) with a 50x50 window at (10,10)
 * becomes x >= 0, y >= 0, x + y <= 20: the triangle (0,0), (20,0), (0,20),
 * area 200 of the 800 it would have, box (0, 0, 20, 20). */
static void test_polygon(void **state)
{
    (void)state;
    aug_labels l = {0};
    add_box(&l, 0, 0, 40, 40, 7);
    const double tri[6] = {0, 0, 40, 0, 0, 40};
    add_polygon(&l, 0, tri, 3);
    transform("crop --size 50x50 --position 10,10", 100, 100, &l, NULL);
    assert_int_equal(l.n, 1);
    assert_box(&l.obj[0], 0, 0, 20, 20, 1e-12);
    assert_near(l.obj[0].area, 200, 1e-9);
    assert_int_equal(l.obj[0].npolys, 1);
    assert_near(aug_polygon_area(l.obj[0].polys[0].xy, l.obj[0].polys[0].n), 200, 1e-9);
    aug_labels_free(&l);
    /* min-visibility 0.3: 200 / 800 = 0.25 is not enough */
    aug_label_params lp;
    aug_label_params_default(&lp);
    lp.min_visibility = 0.3;
    add_box(&l, 0, 0, 40, 40, 7);
    add_polygon(&l, 0, tri, 3);
    transform("crop --size 50x50 --position 10,10", 100, 100, &l, &lp);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.ndropped, 1);
    assert_int_equal(l.dropped[0], 7);
    aug_labels_free(&l);
    /* a polygon through a quarter turn is exact: its box is the box of
     * the turned vertices; (x, y) -> (y, 100 - x) */
    add_box(&l, 0, 0, 40, 40, 7);
    add_polygon(&l, 0, tri, 3);
    transform("rotate90 --angles 90", 100, 100, &l, NULL);
    assert_box(&l.obj[0], 0, 60, 40, 40, 1e-12);
    aug_labels_free(&l);
}

static void test_filters(void **state)
{
    (void)state;
    aug_label_params lp;
    aug_label_params_default(&lp);
    aug_labels l = {0};
    add_box(&l, 10, 10, 4, 30, 1);  /* 4 wide */
    add_box(&l, 50, 10, 20, 20, 2); /* 400 px */
    add_box(&l, 80, 40, 10, 10, 3); /* 100 px */
    lp.min_size = 5;
    lp.min_area = 150;
    transform("flip", 100, 60, &l, &lp);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.obj[0].id, 2);
    assert_int_equal(l.ndropped, 2);
    assert_int_equal(l.dropped[0], 1);
    assert_int_equal(l.dropped[1], 3);
    aug_labels_free(&l);
    /* a box pushed wholly outside is dropped whatever the filters */
    aug_label_params_default(&lp);
    add_box(&l, 0, 0, 10, 10, 4);
    transform("crop --size 20x20 --position 50,30", 100, 60, &l, &lp);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.ndropped, 1);
    aug_labels_free(&l);
    /* photometric ops move nothing: the object is untouched */
    add_box(&l, 1, 2, 3, 4, 5);
    transform("invert | noise --sigma 5", 100, 60, &l, &lp);
    assert_int_equal(l.n, 1);
    assert_false(l.obj[0].moved);
    assert_box(&l.obj[0], 1, 2, 3, 4, 0);
    aug_labels_free(&l);
}

/* Masks and boxes together: boxes drawn into a mask, both moved, the box
 * of each transformed mask region equals the transformed box within a
 * pixel for the axis-aligned ops. */
static void draw_box(aug_image *m, const double b[4], uint8_t v)
{
    for (int y = (int)b[1]; y < (int)(b[1] + b[3]); y++)
        for (int x = (int)b[0]; x < (int)(b[0] + b[2]); x++)
            m->data[(size_t)y * (size_t)m->width + (size_t)x] = v;
}

static void region_box(const aug_image *m, uint8_t v, double b[4])
{
    int x0 = m->width, y0 = m->height, x1 = -1, y1 = -1;
    for (int y = 0; y < m->height; y++)
        for (int x = 0; x < m->width; x++)
            if (m->data[(size_t)y * (size_t)m->width + (size_t)x] == v) {
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1;
                y1 = y > y1 ? y : y1;
            }
    b[0] = x0;
    b[1] = y0;
    b[2] = x1 + 1 - x0;
    b[3] = y1 + 1 - y0;
}

static void test_mask_alignment(void **state)
{
    (void)state;
    static const char *const chains[] = {
        "flip --horizontal",
        "flip --vertical",
        "rotate90 --angles 90",
        "rotate90 --angles 270",
        "rotate --angle 180",
        "crop --size 70x50 --position 13,4",
        "crop --size 120x80 --pad-if-needed",
        "pad --pad 7,3,11,5",
        "resize --size 57x33",
        "resize --scale 1.7 --interp bicubic",
        "random-resized-crop --size 64x48",
        "rotate90 | resize --size 80x90 | crop --size 60x60 --position random | flip",
    };
    const double boxes[3][4] = {{10, 8, 30, 20}, {50, 30, 25, 22}, {70, 5, 20, 12}};
    for (size_t c = 0; c < sizeof chains / sizeof chains[0]; c++)
        for (uint64_t seed = 1; seed <= 3; seed++) {
            aug_image mask;
            flat_image(&mask, 100, 60, 1, 0);
            aug_labels l = {0};
            for (int i = 0; i < 3; i++) {
                draw_box(&mask, boxes[i], (uint8_t)(i + 1));
                add_box(&l, boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3], i + 1);
            }
            aug_plan *p = plan_for(chains[c], 100, 60, seed);
            aug_label_params lp;
            aug_label_params_default(&lp);
            aug_image out;
            assert_int_equal(aug_labels_transform(p, &lp, &l, NULL), AUG_OK);
            assert_int_equal(aug_plan_apply_mask(p, &lp.mask, &mask, &out, NULL), AUG_OK);
            aug_geom g;
            aug_plan_geometry(p, &g);
            assert_int_equal(out.width, g.width);
            assert_int_equal(out.height, g.height);
            for (size_t i = 0; i < l.n; i++) {
                double b[4];
                region_box(&out, (uint8_t)l.obj[i].id, b);
                for (int k = 0; k < 4; k++)
                    if (fabs(b[k] - l.obj[i].box[k]) > 1.0)
                        fail_msg("%s seed %llu box %lld: mask %g,%g,%g,%g, box %g,%g,%g,%g",
                                 chains[c], (unsigned long long)seed, l.obj[i].id, b[0], b[1],
                                 b[2], b[3], l.obj[i].box[0], l.obj[i].box[1], l.obj[i].box[2],
                                 l.obj[i].box[3]);
            }
            aug_labels_free(&l);
            aug_image_free(&mask);
            aug_image_free(&out);
            aug_plan_free(p);
        }
}

/* Masks under warps (rotate, affine, perspective, elastic, a policy):
 * nearest sampling never makes a value the mask did not have, and the
 * fill lands outside. */
static void test_mask_values(void **state)
{
    (void)state;
    static const char *const chains[] = {
        "rotate --angle 17",
        "affine --degrees 20 --shear 10 --scale 0.7:0.7",
        "perspective --distortion 0.8",
        "elastic --alpha 80 --sigma 4",
        "randaugment --ops 4 --magnitude 20",
        "trivialaugment",
        "autoaugment",
        "erase --count 3",
    };
    for (size_t c = 0; c < sizeof chains / sizeof chains[0]; c++) {
        aug_image mask, out;
        flat_image(&mask, 64, 48, 1, 1);
        draw_box(&mask, (const double[4]){10, 10, 20, 20}, 2);
        aug_plan *p = plan_for(chains[c], 64, 48, 3);
        aug_mask_opts mo = {9, 1};
        assert_int_equal(aug_plan_apply_mask(p, &mo, &mask, &out, NULL), AUG_OK);
        for (size_t i = 0; i < aug_image_size(&out); i++)
            if (out.data[i] != 1 && out.data[i] != 2 && out.data[i] != 9)
                fail_msg("%s: value %d in the mask", chains[c], out.data[i]);
        aug_image_free(&out);
        aug_image_free(&mask);
        aug_plan_free(p);
    }
}

/* elastic: a point p goes to the q with q + d(q) = p, d the field the
 * image samples through (rebuilt here from the same stream, seed and key:
 * node 0's stream after alpha and sigma, which are fixed, draw nothing). */
static void test_elastic(void **state)
{
    (void)state;
    int w = 40, h = 30;
    aug_plan *p = plan_for("elastic --alpha 30 --sigma 6", w, h, 5);
    aug_rng rng;
    aug_rng_derive(&rng, 5, "key.png", 0);
    float *dx = malloc((size_t)w * h * sizeof *dx), *dy = malloc((size_t)w * h * sizeof *dy);
    assert_int_equal(aug_elastic_field(w, h, 30, 6, &rng, dx, dy, NULL), AUG_OK);
    double pts[6] = {10.5, 10.5, 20.25, 15.75, 30, 5};
    double q[6];
    memcpy(q, pts, sizeof q);
    assert_int_equal(aug_plan_map_points(p, q, 3, NULL), AUG_OK);
    for (int i = 0; i < 3; i++) {
        /* the field, bilinear, at q (pixel-index coordinates) */
        double x = q[2 * i] - 0.5, y = q[2 * i + 1] - 0.5;
        int x0 = (int)floor(x), y0 = (int)floor(y);
        double fx = x - x0, fy = y - y0, u = 0, v = 0;
        for (int j = 0; j < 4; j++) {
            int xx = x0 + (j & 1), yy = y0 + (j >> 1);
            double wgt = ((j & 1) ? fx : 1 - fx) * ((j >> 1) ? fy : 1 - fy);
            u += wgt * dx[yy * w + xx];
            v += wgt * dy[yy * w + xx];
        }
        assert_near(x + u, pts[2 * i] - 0.5, 1e-5);
        assert_near(y + v, pts[2 * i + 1] - 0.5, 1e-5);
        /* and it did move */
        assert_true(fabs(q[2 * i] - pts[2 * i]) + fabs(q[2 * i + 1] - pts[2 * i + 1]) > 1e-3);
    }
    free(dx);
    free(dy);
    aug_plan_free(p);
}

/* policies: the drawn operations read back from the manifest, their maps
 * computed here (PIL's: TranslateX by int(m) pixels, ShearX x' = x - m y,
 * Rotate counter-clockwise about (w/2, h/2)). */
static void test_policy(void **state)
{
    (void)state;
    int seen = 0;
    for (uint64_t seed = 1; seed < 200 && seen != 7; seed++) {
        aug_plan *p = plan_for("randaugment --ops 1 --magnitude 20", 100, 80, seed);
        char name[32];
        double m;
        if (sscanf(aug_plan_text(p), "randaugment(ops=%31[A-Za-z](%lf)", name, &m) != 2)
            fail_msg("%s", aug_plan_text(p));
        double pt[2] = {70, 30}, want[2] = {70, 30};
        if (strcmp(name, "TranslateX") == 0) {
            want[0] += (double)(long)m;
            seen |= 1;
        } else if (strcmp(name, "TranslateY") == 0) {
            want[1] += (double)(long)m;
        } else if (strcmp(name, "ShearX") == 0) {
            want[0] -= m * 30;
            seen |= 2;
        } else if (strcmp(name, "ShearY") == 0) {
            want[1] -= m * 70;
        } else if (strcmp(name, "Rotate") == 0) {
            /* (dx, dy) = (20, -10) from the centre (50, 40), turned
             * counter-clockwise on screen: (dx c + dy s, -dx s + dy c) */
            double a = m * M_PI / 180;
            want[0] = 50 + 20 * cos(a) - 10 * sin(a);
            want[1] = 40 - 20 * sin(a) - 10 * cos(a);
            seen |= 4;
        }
        assert_int_equal(aug_plan_map_points(p, pt, 1, NULL), AUG_OK);
        assert_near(pt[0], want[0], 1e-6);
        assert_near(pt[1], want[1], 1e-6);
        aug_plan_free(p);
    }
    assert_int_equal(seen, 7);
}

/* CutMix's two sides: a partner's boxes clipped to the pasted region,
 * A's boxes dropped where the patch hides them. */
static void test_keep_rect(void **state)
{
    (void)state;
    aug_label_params lp;
    aug_label_params_default(&lp);
    const double r[4] = {20, 10, 40, 30};
    aug_labels b = {0};
    add_box(&b, 0, 0, 30, 20, 1);  /* -> (20,10,10,10) */
    add_box(&b, 70, 50, 10, 5, 2); /* outside: dropped */
    assert_int_equal(aug_labels_keep_rect(&b, r, 0, &lp, NULL), AUG_OK);
    assert_int_equal(b.n, 1);
    assert_box(&b.obj[0], 20, 10, 10, 10, 1e-12);
    assert_int_equal(b.ndropped, 1);
    aug_labels_free(&b);
    aug_labels a = {0};
    add_box(&a, 25, 15, 10, 10, 1); /* wholly under the patch: dropped */
    add_box(&a, 50, 30, 20, 20, 2); /* 100 of 400 under it: kept, whole */
    assert_int_equal(aug_labels_keep_rect(&a, r, 1, &lp, NULL), AUG_OK);
    assert_int_equal(a.n, 1);
    assert_box(&a.obj[0], 50, 30, 20, 20, 0);
    aug_labels_free(&a);
    lp.min_visibility = 0.8; /* 300 / 400 = 0.75 left: dropped */
    add_box(&a, 50, 30, 20, 20, 2);
    assert_int_equal(aug_labels_keep_rect(&a, r, 1, &lp, NULL), AUG_OK);
    assert_int_equal(a.n, 0);
    aug_labels_free(&a);
    /* scaling a partner of 50x30 to 100x60 */
    add_box(&a, 5, 6, 7, 8, 3);
    assert_int_equal(aug_labels_scale(&a, 2, 2, 100, 60, NULL), AUG_OK);
    assert_box(&a.obj[0], 10, 12, 14, 16, 0);
    aug_labels_free(&a);
}

/* Every geometric op declares both hooks; colour ops declare neither. */
static void test_declarations(void **state)
{
    (void)state;
    static const char *const geometric[] = {
        "flip", "rotate", "rotate90", "crop", "pad", "resize", "random-resized-crop",
        "affine", "perspective", "elastic", "randaugment", "trivialaugment", "autoaugment"};
    for (size_t i = 0; i < sizeof geometric / sizeof geometric[0]; i++) {
        const aug_op *op = aug_op_find(geometric[i]);
        assert_non_null(op);
        if (!op->map_points || !op->apply_mask)
            fail_msg("%s does not move labels", geometric[i]);
    }
    size_t n;
    const aug_op *const *ops = aug_ops(&n);
    for (size_t i = 0; i < n; i++)
        if (ops[i]->geometry && !ops[i]->map_points && strcmp(ops[i]->name, "grayscale") != 0)
            fail_msg("%s changes the size but moves no labels", ops[i]->name);
    assert_null(aug_op_find("noise")->map_points);
    assert_null(aug_op_find("color")->apply_mask);
    assert_null(aug_op_find("erase")->map_points);
    assert_non_null(aug_op_find("erase")->apply_mask);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flip),
        cmocka_unit_test(test_rotate90),
        cmocka_unit_test(test_crop_pad_resize),
        cmocka_unit_test(test_random_resized_crop),
        cmocka_unit_test(test_affine_perspective),
        cmocka_unit_test(test_rotate),
        cmocka_unit_test(test_box_methods),
        cmocka_unit_test(test_flip_pairs),
        cmocka_unit_test(test_polygon),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_mask_alignment),
        cmocka_unit_test(test_mask_values),
        cmocka_unit_test(test_elastic),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_keep_rect),
        cmocka_unit_test(test_declarations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
