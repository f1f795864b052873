/* Geometric kernels: crops and pads against the border patterns written
 * out by hand, crop then pad giving the original back, PIL's resampling
 * weights worked out on paper and against a reference written here in
 * double precision, premultiplied alpha, the general warps against the
 * rotate kernel and against direct formulas, the elastic field's range and
 * determinism, and CutMix boxes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/geometry.h"
#include "augment/kernels.h"
#include "core/dmath.h"
#include "testutil.h"

static void ok(aug_status st, const aug_error *err)
{
    if (st != AUG_OK)
        fail_msg("failed: %s", err->msg);
}

/* A one-row grey image with the given values. */
static void row_image(aug_image *img, const uint8_t *v, int n)
{
    make_image(img, n, 1, 1);
    memcpy(img->data, v, (size_t)n);
}

/* ---- crop and pad ---- */

static void test_crop_inside_copies(void **state)
{
    (void)state;
    aug_image src, dst;
    aug_error err;
    random_image(&src, 13, 9, 3, 1);
    ok(aug_crop(&src, &dst, 4, 2, 6, 5, AUG_BORDER_CONSTANT, NULL, &err), &err);
    assert_int_equal(dst.width, 6);
    assert_int_equal(dst.height, 5);
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 6; x++)
            assert_memory_equal(pixel_at(&dst, x, y), pixel_at(&src, x + 4, y + 2), 3);
    aug_image_free(&dst);
    aug_image_free(&src);
}

/* reference.md's patterns for the row abcdefgh (a = 1 ... h = 8, fill 9),
 * three pixels of margin each side. */
static void test_pad_patterns(void **state)
{
    (void)state;
    static const uint8_t row[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const struct {
        aug_border b;
        uint8_t want[14];
    } cases[] = {
        {AUG_BORDER_CONSTANT, {9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9}},
        {AUG_BORDER_REPLICATE, {1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8}},
        {AUG_BORDER_REFLECT, {3, 2, 1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6}},
        {AUG_BORDER_REFLECT101, {4, 3, 2, 1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 5}},
        {AUG_BORDER_WRAP, {6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3}},
    };
    aug_image src, dst;
    aug_error err;
    row_image(&src, row, 8);
    const uint8_t fill[4] = {9, 9, 9, 9};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ok(aug_crop(&src, &dst, -3, 0, 14, 1, cases[i].b, fill, &err), &err);
        assert_memory_equal(dst.data, cases[i].want, 14);
        aug_image_free(&dst);
    }
    /* vertically: a column of a 1-pixel-wide image, reflect101 */
    aug_image col;
    make_image(&col, 1, 8, 1);
    memcpy(col.data, row, 8);
    ok(aug_crop(&col, &dst, 0, -3, 1, 14, AUG_BORDER_REFLECT101, NULL, &err), &err);
    assert_memory_equal(dst.data, cases[3].want, 14);
    aug_image_free(&dst);
    /* far past the edge: wrap is periodic */
    ok(aug_crop(&src, &dst, 8 * 1000 + 2, 0, 3, 1, AUG_BORDER_WRAP, NULL, &err), &err);
    assert_int_equal(dst.data[0], 3);
    assert_int_equal(dst.data[2], 5);
    aug_image_free(&dst);
    aug_image_free(&col);
    aug_image_free(&src);
}

static void test_crop_then_pad_is_original_inside(void **state)
{
    (void)state;
    aug_image src, mid, back;
    aug_error err;
    random_image(&src, 21, 17, 4, 2);
    for (int b = AUG_BORDER_CONSTANT; b <= AUG_BORDER_WRAP; b++) {
        ok(aug_crop(&src, &mid, 5, 3, 11, 8, (aug_border)b, NULL, &err), &err);
        /* pad it back to the original frame */
        ok(aug_crop(&mid, &back, -5, -3, 21, 17, (aug_border)b, NULL, &err), &err);
        for (int y = 3; y < 11; y++)
            for (int x = 5; x < 16; x++)
                assert_memory_equal(pixel_at(&back, x, y), pixel_at(&src, x, y), 4);
        /* constant padding is zeros outside */
        if (b == AUG_BORDER_CONSTANT)
            assert_int_equal(pixel_at(&back, 0, 0)[3], 0);
        aug_image_free(&mid);
        aug_image_free(&back);
    }
    aug_image_free(&src);
}

static void test_paste(void **state)
{
    (void)state;
    aug_image a, b, out;
    aug_error err;
    flat_image(&a, 10, 6, 3, 10);
    flat_image(&b, 10, 6, 3, 200);
    aug_rect r = {7, 4, 5, 5}; /* clipped at the right and bottom */
    ok(aug_cutmix(&a, &b, r, &out, &err), &err);
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 10; x++)
            assert_int_equal(pixel_at(&out, x, y)[1], x >= 7 && y >= 4 ? 200 : 10);
    aug_image_free(&out);
    aug_image c;
    flat_image(&c, 9, 6, 3, 0);
    assert_int_equal(aug_cutmix(&a, &c, r, &out, &err), AUG_ERR_ARG);
    aug_image_free(&c);
    aug_image_free(&a);
    aug_image_free(&b);
}

/* ---- resample ---- */

static void resample(const aug_image *src, aug_image *dst, int w, int h, aug_filter f,
                     int antialias)
{
    aug_resample_params p;
    aug_error err;
    aug_resample_params_default(&p);
    p.filter = f;
    p.antialias = antialias;
    ok(aug_resample(src, dst, w, h, &p, &err), &err);
}

/* Worked on paper from PIL's definition: 4 -> 2 pixels, triangle filter
 * widened by 2. Output 0 has its centre at 1.0 and taps at 0, 1, 2 with
 * weights 3/7, 3/7, 1/7; output 1 at 3.0 with 1/7, 3/7, 3/7 on 1, 2, 3. */
static void test_resample_hand(void **state)
{
    (void)state;
    static const uint8_t v[4] = {0, 70, 140, 210};
    aug_image src, dst;
    row_image(&src, v, 4);
    resample(&src, &dst, 2, 1, AUG_FILTER_BILINEAR, 1);
    assert_int_equal(dst.data[0], 50);  /* (0 + 210 + 140) / 7 */
    assert_int_equal(dst.data[1], 160); /* (70 + 420 + 630) / 7 */
    aug_image_free(&dst);
    /* without antialiasing: taps at 0, 1 and 2, 3, halves */
    resample(&src, &dst, 2, 1, AUG_FILTER_BILINEAR, 0);
    assert_int_equal(dst.data[0], 35);
    assert_int_equal(dst.data[1], 175);
    aug_image_free(&dst);
    /* box ("area") by 2: the means of pairs */
    resample(&src, &dst, 2, 1, AUG_FILTER_BOX, 1);
    assert_int_equal(dst.data[0], 35);
    assert_int_equal(dst.data[1], 175);
    aug_image_free(&dst);
    /* nearest: floor((i + 0.5) * 2) */
    resample(&src, &dst, 2, 1, AUG_FILTER_NEAREST, 1);
    assert_int_equal(dst.data[0], 70);
    assert_int_equal(dst.data[1], 210);
    aug_image_free(&dst);
    /* up by 2: centres at 0.25 (one tap), 0.75 (3/4, 1/4), ... */
    resample(&src, &dst, 8, 1, AUG_FILTER_BILINEAR, 1);
    static const uint8_t up[8] = {0, 18, 53, 88, 123, 158, 193, 210};
    assert_memory_equal(dst.data, up, 8);
    aug_image_free(&dst);
    aug_image_free(&src);
}

static double tri(double x)
{
    x = fabs(x);
    return x < 1 ? 1 - x : 0;
}

/* An independent resampler: for every output sample the exact weights of
 * the stretched triangle over the whole row, in double precision,
 * separable; compared within one level (PIL rounds the horizontal pass). */
static void test_resample_reference(void **state)
{
    (void)state;
    aug_image src, dst;
    random_image(&src, 37, 23, 3, 5);
    static const int sizes[][2] = {{11, 7}, {37, 9}, {80, 23}, {50, 50}, {5, 60}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        resample(&src, &dst, w, h, AUG_FILTER_BILINEAR, 1);
        double *tmp = calloc((size_t)w * 23 * 3, sizeof *tmp);
        double sx = 37.0 / w, sy = 23.0 / h, fx = sx > 1 ? sx : 1, fy = sy > 1 ? sy : 1;
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < w; x++) {
                double c = (x + 0.5) * sx, wsum = 0, acc[3] = {0, 0, 0};
                for (int i = 0; i < 37; i++) {
                    double wt = tri((i + 0.5 - c) / fx);
                    wsum += wt;
                    for (int k = 0; k < 3; k++)
                        acc[k] += wt * pixel_at(&src, i, y)[k];
                }
                for (int k = 0; k < 3; k++)
                    tmp[((size_t)y * w + x) * 3 + k] = acc[k] / wsum;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double c = (y + 0.5) * sy, wsum = 0, acc[3] = {0, 0, 0};
                for (int j = 0; j < 23; j++) {
                    double wt = tri((j + 0.5 - c) / fy);
                    wsum += wt;
                    for (int k = 0; k < 3; k++)
                        acc[k] += wt * tmp[((size_t)j * w + x) * 3 + k];
                }
                for (int k = 0; k < 3; k++) {
                    double want = acc[k] / wsum;
                    if (fabs(pixel_at(&dst, x, y)[k] - want) > 1.0)
                        fail_msg("%dx%d (%d,%d,%d): %d, reference %.3f", w, h, x, y, k,
                                 pixel_at(&dst, x, y)[k], want);
                }
            }
        free(tmp);
        aug_image_free(&dst);
    }
    aug_image_free(&src);
}

static void test_resample_identity_and_constant(void **state)
{
    (void)state;
    aug_image src, dst;
    random_image(&src, 19, 14, 4, 6);
    for (aug_filter f = AUG_FILTER_NEAREST; f <= AUG_FILTER_LANCZOS; f++) {
        resample(&src, &dst, 19, 14, f, 1);
        assert_memory_equal(dst.data, src.data, aug_image_size(&src));
        aug_image_free(&dst);
    }
    aug_image flat;
    flat_image(&flat, 30, 20, 3, 77);
    for (aug_filter f = AUG_FILTER_NEAREST; f <= AUG_FILTER_LANCZOS; f++) {
        resample(&flat, &dst, 13, 41, f, 1);
        for (size_t i = 0; i < aug_image_size(&dst); i++)
            assert_int_equal(dst.data[i], 77);
        aug_image_free(&dst);
    }
    aug_image_free(&flat);
    aug_image_free(&src);
}

/* Alpha is resampled premultiplied: a transparent pixel lends no colour. */
static void test_resample_premultiplied(void **state)
{
    (void)state;
    aug_image src, dst;
    make_image(&src, 2, 1, 4);
    const uint8_t px[8] = {255, 0, 0, 255, 0, 255, 0, 0};
    memcpy(src.data, px, 8);
    resample(&src, &dst, 1, 1, AUG_FILTER_BILINEAR, 1);
    /* premultiplied (255,0,0,255) and (0,0,0,0) average to (128,0,0,128),
     * which is (255,0,0) at alpha 128 */
    const uint8_t want[4] = {255, 0, 0, 128};
    assert_memory_equal(dst.data, want, 4);
    aug_image_free(&dst);
    aug_image_free(&src);
}

static void test_resample_box(void **state)
{
    (void)state;
    aug_image src, dst, crop;
    aug_error err;
    random_image(&src, 20, 16, 3, 8);
    aug_resample_params p;
    aug_resample_params_default(&p);
    /* a whole-pixel box of the output's size is a crop */
    p.box[0] = 3;
    p.box[1] = 2;
    p.box[2] = 10;
    p.box[3] = 7;
    ok(aug_resample(&src, &dst, 7, 5, &p, &err), &err);
    ok(aug_crop(&src, &crop, 3, 2, 7, 5, AUG_BORDER_CONSTANT, NULL, &err), &err);
    assert_memory_equal(dst.data, crop.data, aug_image_size(&crop));
    aug_image_free(&dst);
    aug_image_free(&crop);
    p.box[2] = 25; /* past the image */
    assert_int_equal(aug_resample(&src, &dst, 7, 5, &p, &err), AUG_ERR_ARG);
    assert_int_equal(dst.data, NULL);
    aug_image_free(&src);
}

/* ---- warps ---- */

static void warp_affine(const aug_image *src, aug_image *dst, int w, int h, const double m[6],
                        aug_interp interp, aug_border border)
{
    aug_warp_params p;
    aug_error err;
    memset(&p, 0, sizeof p);
    p.interp = interp;
    p.border = border;
    ok(aug_warp_affine(src, dst, w, h, m, &p, &err), &err);
}

static void test_warp_identity_and_shift(void **state)
{
    (void)state;
    aug_image src, dst;
    random_image(&src, 17, 11, 3, 9);
    const double id[6] = {1, 0, 0, 0, 1, 0};
    for (aug_interp i = AUG_INTERP_NEAREST; i <= AUG_INTERP_BICUBIC; i++) {
        warp_affine(&src, &dst, 17, 11, id, i, AUG_BORDER_CONSTANT);
        assert_memory_equal(dst.data, src.data, aug_image_size(&src));
        aug_image_free(&dst);
    }
    /* output (x, y) reads input (x - 3, y + 2): a shifted copy, zeros */
    const double shift[6] = {1, 0, -3, 0, 1, 2};
    warp_affine(&src, &dst, 17, 11, shift, AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT);
    for (int y = 0; y < 11; y++)
        for (int x = 0; x < 17; x++) {
            int sx = x - 3, sy = y + 2;
            for (int c = 0; c < 3; c++)
                assert_int_equal(pixel_at(&dst, x, y)[c],
                                 sx >= 0 && sy < 11 ? pixel_at(&src, sx, sy)[c] : 0);
        }
    aug_image_free(&dst);
    aug_image_free(&src);
}

/* rotate is the affine warp with its own matrix: the same bytes. */
static void test_warp_is_rotate(void **state)
{
    (void)state;
    aug_image src, a, b;
    aug_error err;
    random_image(&src, 40, 29, 3, 10);
    /* the matrix as rotate.c computes it */
    double deg = 23.0, r = deg * (3.14159265358979323846 / 180.0);
    double c = aug_cos(r), s = aug_sin(r);
    double cx = 39 / 2.0, cy = 28 / 2.0;
    /* getRotationMatrix2D's forward map, inverted as warpAffine does */
    double f[6] = {c, s, (1 - c) * cx - s * cy, -s, c, s * cx + (1 - c) * cy};
    double det = 1.0 / (f[0] * f[4] - f[1] * f[3]);
    double a11 = f[4] * det, a12 = -f[1] * det, a21 = -f[3] * det, a22 = f[0] * det;
    double inv[6] = {a11, a12, -a11 * f[2] - a12 * f[5], a21, a22, -a21 * f[2] - a22 * f[5]};
    for (aug_interp i = AUG_INTERP_NEAREST; i <= AUG_INTERP_BICUBIC; i++) {
        aug_rotate_params p;
        aug_rotate_params_default(&p);
        p.angle = deg;
        p.interp = i;
        p.border = AUG_BORDER_REFLECT101;
        ok(aug_rotate(&src, &a, &p, &err), &err);
        warp_affine(&src, &b, 40, 29, inv, i, AUG_BORDER_REFLECT101);
        assert_memory_equal(a.data, b.data, aug_image_size(&a));
        aug_image_free(&a);
        aug_image_free(&b);
    }
    aug_image_free(&src);
}

/* Bilinear at a quarter pixel, scale 2 (larger than one step per pixel). */
static void test_warp_bilinear_values(void **state)
{
    (void)state;
    static const uint8_t v[6] = {0, 40, 80, 120, 160, 200};
    aug_image src, dst;
    row_image(&src, v, 6);
    const double m[6] = {2, 0, 0.25, 0, 1, 0}; /* x reads 2x + 0.25 */
    warp_affine(&src, &dst, 3, 1, m, AUG_INTERP_BILINEAR, AUG_BORDER_REPLICATE);
    assert_int_equal(dst.data[0], 10);  /* 0.25 of the way from 0 to 40 */
    assert_int_equal(dst.data[1], 90);  /* 2.25 */
    assert_int_equal(dst.data[2], 170); /* 4.25 */
    aug_image_free(&dst);
    aug_image_free(&src);
}

static void test_perspective_and_remap(void **state)
{
    (void)state;
    aug_image src, a, b;
    aug_error err;
    random_image(&src, 23, 19, 3, 11);
    aug_warp_params p;
    memset(&p, 0, sizeof p);
    p.interp = AUG_INTERP_BILINEAR;
    /* an affine homography (last row 0 0 1) is the affine warp */
    const double m[6] = {0.9, 0.1, 1.5, -0.2, 1.1, 0.25};
    const double hm[9] = {0.9, 0.1, 1.5, -0.2, 1.1, 0.25, 0, 0, 1};
    warp_affine(&src, &a, 23, 19, m, AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT);
    ok(aug_warp_perspective(&src, &b, 23, 19, hm, &p, &err), &err);
    for (size_t i = 0; i < aug_image_size(&a); i++)
        assert_true(abs(a.data[i] - b.data[i]) <= 1);
    aug_image_free(&a);
    aug_image_free(&b);
    /* a scaled homography is the same map */
    double h2[9];
    for (int i = 0; i < 9; i++)
        h2[i] = hm[i] * 2.5;
    ok(aug_warp_perspective(&src, &a, 23, 19, hm, &p, &err), &err);
    ok(aug_warp_perspective(&src, &b, 23, 19, h2, &p, &err), &err);
    for (size_t i = 0; i < aug_image_size(&a); i++)
        assert_true(abs(a.data[i] - b.data[i]) <= 1);
    aug_image_free(&a);
    aug_image_free(&b);
    /* remap with the identity map is a copy */
    float *mx = malloc(23 * 19 * sizeof *mx), *my = malloc(23 * 19 * sizeof *my);
    for (int y = 0; y < 19; y++)
        for (int x = 0; x < 23; x++) {
            mx[y * 23 + x] = (float)x;
            my[y * 23 + x] = (float)y;
        }
    ok(aug_remap(&src, &a, 23, 19, mx, my, &p, &err), &err);
    assert_memory_equal(a.data, src.data, aug_image_size(&src));
    aug_image_free(&a);
    free(mx);
    free(my);
    aug_image_free(&src);
}

/* PIL's nearest affine: the pixel under each output centre, fill outside.
 * Its 16.16 stepping moves positions by far less than 1e-3 px on an image
 * this small, so the exact floor is the reference away from pixel edges. */
static void test_warp_pil_nearest(void **state)
{
    (void)state;
    aug_image src, dst;
    aug_error err;
    random_image(&src, 31, 24, 3, 13);
    const uint8_t fill[4] = {1, 2, 3, 4};
    static const double maps[][6] = {
        {0.8, 0.3, -2.2, -0.35, 0.9, 6.1}, /* fixed point */
        {1.7, 0, -3.3, 0, 0.6, 2.05},      /* scaling only */
        {1, 0, 0, 0, 1, 0},                /* identity */
        {1e4, 0.5, 0, 0, 1, 0},            /* past 16.16's range: doubles */
    };
    for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++) {
        const double *a = maps[m];
        ok(aug_warp_affine_pil(&src, &dst, 27, 29, a, fill, &err), &err);
        for (int y = 0; y < 29; y++)
            for (int x = 0; x < 27; x++) {
                double sx = a[0] * (x + 0.5) + a[1] * (y + 0.5) + a[2];
                double sy = a[3] * (x + 0.5) + a[4] * (y + 0.5) + a[5];
                if (fabs(sx - floor(sx + 0.5)) < 1e-3 || fabs(sy - floor(sy + 0.5)) < 1e-3)
                    continue; /* on a pixel edge */
                int ix = (int)floor(sx), iy = (int)floor(sy);
                const uint8_t *want = ix >= 0 && ix < 31 && iy >= 0 && iy < 24
                                          ? pixel_at(&src, ix, iy)
                                          : fill;
                if (memcmp(pixel_at(&dst, x, y), want, 3) != 0)
                    fail_msg("map %zu, (%d,%d): not the pixel under its centre", m, x, y);
            }
        if (m == 2)
            for (int y = 0; y < 24; y++)
                assert_memory_equal(pixel_at(&dst, 0, y), pixel_at(&src, 0, y), 27 * 3);
        aug_image_free(&dst);
    }
    aug_image_free(&src);
}

/* ---- elastic field ---- */

static void test_elastic_field(void **state)
{
    (void)state;
    enum { W = 40, H = 20 };
    float dx[W * H], dy[W * H], ex[W * H], ey[W * H];
    aug_rng r1, r2;
    aug_error err;
    aug_rng_seed(&r1, 4);
    r2 = r1;
    /* no blur: uniform noise scaled by alpha w / 2h (x) and alpha h / 2w (y) */
    ok(aug_elastic_field(W, H, 10.0, 0.0, &r1, dx, dy, &err), &err);
    double sx = 10.0 * W / (2.0 * H), sy = 10.0 * H / (2.0 * W), mean = 0;
    for (int i = 0; i < W * H; i++) {
        assert_true(fabs(dx[i]) <= sx && fabs(dy[i]) <= sy);
        mean += dx[i] / sx;
    }
    mean /= W * H; /* U(-1, 1): sd 0.577 / sqrt(800) = 0.02 */
    assert_true(fabs(mean) < 0.1);
    /* the same stream gives the same field */
    ok(aug_elastic_field(W, H, 10.0, 0.0, &r2, ex, ey, &err), &err);
    assert_memory_equal(dx, ex, sizeof dx);
    assert_memory_equal(dy, ey, sizeof dy);
    /* alpha 0: nothing moves */
    ok(aug_elastic_field(W, H, 0.0, 3.0, &r1, dx, dy, &err), &err);
    for (int i = 0; i < W * H; i++)
        assert_true(dx[i] == 0.0f && dy[i] == 0.0f);
    /* a blur shrinks the field: its largest value is well below the raw one */
    ok(aug_elastic_field(W, H, 10.0, 3.0, &r1, dx, dy, &err), &err);
    double mx = 0;
    for (int i = 0; i < W * H; i++)
        mx = fabs(dx[i]) > mx ? fabs(dx[i]) : mx;
    assert_true(mx < 0.5 * sx);
}

/* ---- CutMix boxes ---- */

static void test_cutmix_box(void **state)
{
    (void)state;
    aug_rng rng;
    aug_rng_seed(&rng, 12);
    int inside = 0;
    for (int i = 0; i < 2000; i++) {
        double lam = 0.75, corrected;
        aug_rect r = aug_cutmix_box(100, 80, lam, &rng, &corrected);
        assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= 100 && r.y + r.h <= 80);
        assert_true(corrected == 1.0 - (double)r.w * r.h / 8000.0);
        /* sides int(100 * 0.5) = 50, int(80 * 0.5) = 40, half each way */
        assert_true(r.w <= 50 && r.h <= 40);
        if (r.w == 50 && r.h == 40) {
            inside++;
            assert_true(fabs(corrected - 0.75) < 1e-12);
        }
    }
    /* the centre is uniform: unclipped when 25 <= cx <= 75 and 20 <= cy
     * <= 60, probability 51/100 * 41/80 = 0.261; 523 expected, sd 20 */
    assert_true(inside > 420 && inside < 625);
    aug_rect r = aug_cutmix_box(10, 10, 1.0, &rng, NULL);
    assert_int_equal(r.w * r.h, 0); /* lambda 1: nothing pasted */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crop_inside_copies),
        cmocka_unit_test(test_pad_patterns),
        cmocka_unit_test(test_crop_then_pad_is_original_inside),
        cmocka_unit_test(test_paste),
        cmocka_unit_test(test_resample_hand),
        cmocka_unit_test(test_resample_reference),
        cmocka_unit_test(test_resample_identity_and_constant),
        cmocka_unit_test(test_resample_premultiplied),
        cmocka_unit_test(test_resample_box),
        cmocka_unit_test(test_warp_identity_and_shift),
        cmocka_unit_test(test_warp_is_rotate),
        cmocka_unit_test(test_warp_bilinear_values),
        cmocka_unit_test(test_perspective_and_remap),
        cmocka_unit_test(test_warp_pil_nearest),
        cmocka_unit_test(test_elastic_field),
        cmocka_unit_test(test_cutmix_box),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
