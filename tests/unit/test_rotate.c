/* Rotate: hand-written quarter turns and border corners, an independent
 * bilinear reference (OpenCV's matrix, explicit floor and weights), and
 * exact properties of nearest and bicubic sampling. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/kernels.h"
#include "testutil.h"

#define PI 3.14159265358979323846

static void rotate(const aug_image *src, aug_image *dst, double angle,
                   aug_interp interp, aug_border border, int expand,
                   const uint8_t *fill)
{
    aug_rotate_params p;
    aug_error err = {0};
    aug_rotate_params_default(&p);
    p.angle = angle;
    p.interp = interp;
    p.border = border;
    p.expand = expand;
    if (fill)
        memcpy(p.fill, fill, 4);
    aug_status st = aug_rotate(src, dst, &p, &err);
    if (st != AUG_OK)
        fail_msg("aug_rotate failed: %s", err.msg);
}

/* An image whose pixel (x, y) has base value tab[y*w + x] and sample c is
 * base * 10 + c, so every channel is distinct and checkable. */
static void from_table(aug_image *img, int w, int h, int ch, const int *tab)
{
    make_image(img, w, h, ch);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++)
                pixel_at(img, x, y)[c] = (uint8_t)(tab[y * w + x] * 10 + c);
}

static void assert_table(const aug_image *img, int w, int h, const int *tab)
{
    assert_int_equal(img->width, w);
    assert_int_equal(img->height, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < img->channels; c++)
                if (pixel_at(img, x, y)[c] != tab[y * w + x] * 10 + c)
                    fail_msg("(%d,%d,%d): got %d, want %d", x, y, c, pixel_at(img, x, y)[c],
                             tab[y * w + x] * 10 + c);
}

static void test_defaults(void **state)
{
    (void)state;
    aug_rotate_params p;
    memset(&p, 0xab, sizeof p);
    aug_rotate_params_default(&p);
    assert_true(p.angle == 0.0);
    assert_int_equal(p.interp, AUG_INTERP_BILINEAR);
    assert_int_equal(p.border, AUG_BORDER_CONSTANT);
    assert_int_equal(p.expand, 0);
    for (int c = 0; c < 4; c++)
        assert_int_equal(p.fill[c], 0);
}

static void test_zero_is_copy(void **state)
{
    (void)state;
    const double angles[] = {0.0, 360.0, -720.0, 1e-12, -1e-10};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src;
        random_image(&src, 7, 5, ch, (uint64_t)ch);
        for (int a = 0; a < 5; a++)
            for (int in = 0; in < 3; in++)
                for (int ex = 0; ex < 2; ex++) {
                    aug_image dst;
                    rotate(&src, &dst, angles[a], (aug_interp)in, AUG_BORDER_CONSTANT, ex, NULL);
                    assert_int_equal(dst.width, 7);
                    assert_int_equal(dst.height, 5);
                    assert_memory_equal(dst.data, src.data, aug_image_size(&src));
                    aug_image_free(&dst);
                }
        aug_image_free(&src);
    }
}

/* 1 2 3      +90 (counter-clockwise), expanded:  3 6    -90:  4 1    180:  6 5 4
 * 4 5 6                                           2 5          5 2          3 2 1
 *                                                 1 4          6 3                 */
static void test_quarter_turns_expand(void **state)
{
    (void)state;
    static const int src_t[] = {1, 2, 3, 4, 5, 6};
    static const int ccw[] = {3, 6, 2, 5, 1, 4};
    static const int cw[] = {4, 1, 5, 2, 6, 3};
    static const int half[] = {6, 5, 4, 3, 2, 1};
    const struct { double angle; const int *want; int w, h, any_expand; } cases[] = {
        {90, ccw, 2, 3, 0},  {450, ccw, 2, 3, 0},  {-270, ccw, 2, 3, 0},
        {-90, cw, 2, 3, 0},  {270, cw, 2, 3, 0},   {90 + 1e-11, ccw, 2, 3, 0},
        {180, half, 3, 2, 1}, {-180, half, 3, 2, 1}, {540, half, 3, 2, 1},
    };
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src;
        from_table(&src, 3, 2, ch, src_t);
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
            for (int in = 0; in < 3; in++)
                for (int ex = cases[k].any_expand ? 0 : 1; ex < 2; ex++) {
                    aug_image dst;
                    rotate(&src, &dst, cases[k].angle, (aug_interp)in, AUG_BORDER_CONSTANT, ex,
                           NULL);
                    assert_table(&dst, cases[k].w, cases[k].h, cases[k].want);
                    aug_image_free(&dst);
                }
        aug_image_free(&src);
    }
}

/* A 4x2 image turned about its centre (1.5, 0.5) without expanding: the
 * upright 2x4 result covers columns 1..2 and rows -1..2, so rows 0..1 show
 * its middle and columns 0 and 3 come from outside the source.
 *   src 1 2 3 4    +90: . 3 7 .    270: . 6 2 .
 *       5 6 7 8         . 2 6 .         . 7 3 .
 * The missing pixels read source rows -1 and 2 of the same column. */
static void test_quarter_turns_keep_size(void **state)
{
    (void)state;
    static const int src_t[] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const int ccw_const[] = {9, 3, 7, 9, 9, 2, 6, 9};
    static const int ccw_repl[] = {3, 3, 7, 7, 2, 2, 6, 6};
    static const int ccw_r101[] = {7, 3, 7, 3, 6, 2, 6, 2};
    static const int cw_const[] = {9, 6, 2, 9, 9, 7, 3, 9};
    static const int cw_repl[] = {6, 6, 2, 2, 7, 7, 3, 3};
    const uint8_t fill[4] = {90, 91, 92, 93}; /* = base 9 in from_table's encoding */
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src;
        from_table(&src, 4, 2, ch, src_t);
        for (int in = 0; in < 3; in++) {
            const struct { double a; aug_border b; const int *want; } cases[] = {
                {90, AUG_BORDER_CONSTANT, ccw_const},   {90, AUG_BORDER_REPLICATE, ccw_repl},
                {90, AUG_BORDER_REFLECT, ccw_repl},     {90, AUG_BORDER_REFLECT101, ccw_r101},
                {-270, AUG_BORDER_CONSTANT, ccw_const}, {270, AUG_BORDER_CONSTANT, cw_const},
                {-90, AUG_BORDER_REPLICATE, cw_repl},
            };
            for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
                aug_image dst;
                rotate(&src, &dst, cases[k].a, (aug_interp)in, cases[k].b, 0, fill);
                assert_table(&dst, 4, 2, cases[k].want);
                aug_image_free(&dst);
            }
        }
        aug_image_free(&src);
    }
}

/* OpenCV's borderInterpolate, folding step by step as OpenCV does, as an
 * independent check of the far-away indices a thin strip produces. */
static int cv_border(int p, int len, aug_border b)
{
    if (p >= 0 && p < len)
        return p;
    if (b == AUG_BORDER_CONSTANT)
        return -1;
    if (b == AUG_BORDER_REPLICATE)
        return p < 0 ? 0 : len - 1;
    if (b == AUG_BORDER_WRAP) {
        if (p < 0)
            p -= ((p - len + 1) / len) * len;
        return p % len;
    }
    int delta = b == AUG_BORDER_REFLECT101;
    if (len == 1)
        return 0;
    do {
        if (p < 0)
            p = -p - 1 + delta;
        else
            p = len - 1 - (p - len) - delta;
    } while ((unsigned)p >= (unsigned)len);
    return p;
}

/* 90 degrees without expand on strips whose w - h is even: source
 * x = (w+h)/2 - 1 - y', source y = x' - (w-h)/2, far outside the strip. */
static void test_quarter_turn_strips(void **state)
{
    (void)state;
    const int sizes[][2] = {{2, 8}, {1, 5}, {9, 1}, {3, 11}};
    const uint8_t fill[4] = {250, 251, 252, 253};
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        aug_image src;
        random_image(&src, w, h, 2, 77 + (uint64_t)s);
        for (int b = 0; b < 5; b++) {
            aug_image dst;
            rotate(&src, &dst, 90, AUG_INTERP_BILINEAR, (aug_border)b, 0, fill);
            assert_int_equal(dst.width, w);
            assert_int_equal(dst.height, h);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int sx = cv_border((w + h) / 2 - 1 - y, w, (aug_border)b);
                    int sy = cv_border(x - (w - h) / 2, h, (aug_border)b);
                    const uint8_t *want = sx < 0 || sy < 0 ? fill : pixel_at(&src, sx, sy);
                    assert_memory_equal(pixel_at(&dst, x, y), want, 2);
                }
            aug_image_free(&dst);
        }
        aug_image_free(&src);
    }
}

/* 3x2 (w - h odd) at +90 without expand: the centre (1, 0.5) sends output
 * (x, y) to source (1.5 - y, x - 0.5), half-way between pixels, so it is
 * resampled: bilinear averages four pixels, nearest rounds halves up. */
static void test_quarter_turn_odd_difference(void **state)
{
    (void)state;
    static const int src_t[] = {1, 2, 3, 4, 5, 6};
    aug_image src, dst;
    from_table(&src, 3, 2, 1, src_t);
    rotate(&src, &dst, 90, AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT, 0, NULL);
    assert_int_equal(dst.width, 3);
    assert_int_equal(dst.height, 2);
    assert_int_equal(pixel_at(&dst, 1, 0)[0], (20 + 30 + 50 + 60) / 4); /* source (1.5, 0.5) */
    assert_int_equal(pixel_at(&dst, 1, 1)[0], (10 + 20 + 40 + 50) / 4); /* source (0.5, 0.5) */
    aug_image_free(&dst);
    rotate(&src, &dst, 90, AUG_INTERP_NEAREST, AUG_BORDER_CONSTANT, 0, NULL);
    assert_int_equal(pixel_at(&dst, 1, 0)[0], 60); /* (1.5, 0.5) rounds to (2, 1) */
    assert_int_equal(pixel_at(&dst, 1, 1)[0], 50); /* (0.5, 0.5) rounds to (1, 1) */
    aug_image_free(&dst);
    aug_image_free(&src);
}

static void argmax(const aug_image *img, int *bx, int *by)
{
    int best = -1;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            if (pixel_at(img, x, y)[0] > best) {
                best = pixel_at(img, x, y)[0];
                *bx = x;
                *by = y;
            }
}

/* Positive angles turn counter-clockwise on screen (y down): a point right
 * of the centre goes above it. */
static void test_direction(void **state)
{
    (void)state;
    aug_image src, dst;
    int x = -1, y = -1;
    make_image(&src, 5, 5, 1);
    pixel_at(&src, 3, 2)[0] = 255;
    const struct { double a; int x, y; } q[] = {{90, 2, 1}, {-90, 2, 3}, {180, 1, 2}, {270, 2, 3}};
    for (int k = 0; k < 4; k++)
        for (int ex = 0; ex < 2; ex++) {
            rotate(&src, &dst, q[k].a, AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT, ex, NULL);
            argmax(&dst, &x, &y);
            assert_int_equal(x, q[k].x);
            assert_int_equal(y, q[k].y);
            assert_int_equal(pixel_at(&dst, x, y)[0], 255);
            aug_image_free(&dst);
        }
    aug_image_free(&src);
    /* 3 px right of the centre of a 9x9, turned 45 degrees: lands at
     * (4 + 3 cos 45, 4 - 3 sin 45) = (6.12, 1.88), up and to the right. */
    make_image(&src, 9, 9, 1);
    pixel_at(&src, 7, 4)[0] = 255;
    for (int in = 0; in < 3; in++) {
        rotate(&src, &dst, 45, (aug_interp)in, AUG_BORDER_CONSTANT, 0, NULL);
        argmax(&dst, &x, &y);
        assert_int_equal(x, 6);
        assert_int_equal(y, 2);
        aug_image_free(&dst);
    }
    aug_image_free(&src);
}

/* Nearest, source value v(x, y) = 10 y + x + 1. Output corners read the
 * source at c + R^T (d - c) with R^T = [cos -sin; sin cos]:
 *   5x5 at 30 degrees, c = (2, 2): (0,0) -> (1.27, -0.73) ~ (1, -1);
 *     (4,0) -> (4.73, 1.27) ~ (5, 1); (4,4) -> (2.73, 4.73) ~ (3, 5);
 *     (0,4) -> (-0.73, 2.73) ~ (-1, 3).
 *   9x9 at 45 degrees, c = (4, 4): (0,0) -> (4, -1.66) ~ (4, -2);
 *     (8,0) -> (9.66, 4) ~ (10, 4).
 * Then each border rule folds the outside index by hand. */
static void test_border_corners(void **state)
{
    (void)state;
    const uint8_t fill[4] = {200, 0, 0, 0};
    /* per border: constant, replicate, reflect, reflect101, wrap */
    static const int c5[4][5] = {
        {200, 2, 2, 12, 42},  /* (1,-1) */
        {200, 15, 15, 14, 11}, /* (5,1) */
        {200, 44, 44, 34, 4},  /* (3,5) */
        {200, 31, 31, 32, 35}, /* (-1,3) */
    };
    static const int c9[2][5] = {
        {200, 5, 15, 25, 75},  /* (4,-2) */
        {200, 49, 48, 47, 42}, /* (10,4) */
    };
    const int corners5[4][2] = {{0, 0}, {4, 0}, {4, 4}, {0, 4}};
    const int corners9[2][2] = {{0, 0}, {8, 0}};
    aug_image s5, s9, dst;
    make_image(&s5, 5, 5, 1);
    make_image(&s9, 9, 9, 1);
    for (int y = 0; y < 9; y++)
        for (int x = 0; x < 9; x++) {
            if (x < 5 && y < 5)
                pixel_at(&s5, x, y)[0] = (uint8_t)(10 * y + x + 1);
            pixel_at(&s9, x, y)[0] = (uint8_t)(10 * y + x + 1);
        }
    for (int b = 0; b < 5; b++) {
        rotate(&s5, &dst, 30, AUG_INTERP_NEAREST, (aug_border)b, 0, fill);
        for (int k = 0; k < 4; k++)
            assert_int_equal(pixel_at(&dst, corners5[k][0], corners5[k][1])[0], c5[k][b]);
        assert_int_equal(pixel_at(&dst, 2, 2)[0], 23); /* the centre stays */
        aug_image_free(&dst);
        rotate(&s9, &dst, 45, AUG_INTERP_NEAREST, (aug_border)b, 0, fill);
        for (int k = 0; k < 2; k++)
            assert_int_equal(pixel_at(&dst, corners9[k][0], corners9[k][1])[0], c9[k][b]);
        aug_image_free(&dst);
    }
    aug_image_free(&s5);
    aug_image_free(&s9);
}

/* An 11x11 at 45 degrees: corner (0,0) reads source row 5 - 5 * 1.414 =
 * -2.07, whose bilinear and bicubic footprints are entirely outside, so it
 * is exactly the fill colour, per channel. The centre maps onto itself. */
static void test_constant_fill_in_corners(void **state)
{
    (void)state;
    const uint8_t fill[4] = {10, 20, 30, 40};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src, dst;
        flat_image(&src, 11, 11, ch, 100);
        for (int in = 0; in < 3; in++) {
            rotate(&src, &dst, 45, (aug_interp)in, AUG_BORDER_CONSTANT, 0, fill);
            const int corners[4][2] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
            for (int k = 0; k < 4; k++)
                assert_memory_equal(pixel_at(&dst, corners[k][0], corners[k][1]), fill,
                                    (size_t)ch);
            for (int c = 0; c < ch; c++)
                assert_int_equal(pixel_at(&dst, 5, 5)[c], 100);
            aug_image_free(&dst);
        }
        aug_image_free(&src);
    }
}

/* Nearest copies: every output pixel is a whole source pixel or the fill. */
static void test_nearest_copies_pixels(void **state)
{
    (void)state;
    const uint8_t fill[4] = {1, 2, 3, 4};
    const double angles[] = {17, 45, 200, -33.3};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image src, dst;
        random_image(&src, 11, 7, ch, 55 + (uint64_t)ch);
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 5; b++) {
                rotate(&src, &dst, angles[a], AUG_INTERP_NEAREST, (aug_border)b, a & 1, fill);
                for (int y = 0; y < dst.height; y++)
                    for (int x = 0; x < dst.width; x++) {
                        const uint8_t *o = pixel_at(&dst, x, y);
                        int found = b == AUG_BORDER_CONSTANT && memcmp(o, fill, (size_t)ch) == 0;
                        for (size_t i = 0; !found && i < (size_t)src.width * src.height; i++)
                            found = memcmp(o, src.data + i * (size_t)ch, (size_t)ch) == 0;
                        assert_true(found);
                    }
                aug_image_free(&dst);
            }
        aug_image_free(&src);
    }
}

/* Nearest rounds halves up, as OpenCV. 5x3 at -30 degrees about (2, 1):
 * output (2, 0) reads (2 - sin 30, 1 - cos 30) = (1.5, 0.13) -> (2, 0) and
 * output (2, 2) reads (2.5, 1.87) -> (3, 2); sin() returns 30 degrees as
 * 0.49999999999999994, so this needs care. */
static void test_nearest_halves(void **state)
{
    (void)state;
    aug_image src, dst;
    make_image(&src, 5, 3, 1);
    for (int i = 0; i < 15; i++)
        src.data[i] = (uint8_t)(i + 1);
    rotate(&src, &dst, -30, AUG_INTERP_NEAREST, AUG_BORDER_CONSTANT, 0, NULL);
    assert_int_equal(pixel_at(&dst, 2, 0)[0], pixel_at(&src, 2, 0)[0]);
    assert_int_equal(pixel_at(&dst, 2, 2)[0], pixel_at(&src, 3, 2)[0]);
    aug_image_free(&dst);
    aug_image_free(&src);
}

/* Keys' kernel in its textbook piecewise form, a = -0.75. */
static double keys(double d)
{
    const double a = -0.75;
    d = fabs(d);
    if (d <= 1)
        return (a + 2) * d * d * d - (a + 3) * d * d + 1;
    if (d < 2)
        return a * d * d * d - 5 * a * d * d + 8 * a * d - 4 * a;
    return 0;
}

/* The reference: getRotationMatrix2D written out, the 2x2 inverse by
 * cofactors, then floor and the taps on each axis: two with the tent
 * weights (bilinear) or four with keys() (bicubic), clamped to 0..255.
 * Constant border (taps outside read the fill) or replicate (taps clamp).
 * Returns the largest difference from `got`. */
static int ref_filter(const aug_image *s, double deg, int cubic, int replicate,
                      const uint8_t *fill, const aug_image *got)
{
    int nw = got->width, nh = got->height, n = cubic ? 4 : 2;
    double r = deg * PI / 180.0, al = cos(r), be = sin(r);
    double cx = (s->width - 1) / 2.0, cy = (s->height - 1) / 2.0;
    double m[2][3] = {{al, be, (1 - al) * cx - be * cy}, {-be, al, be * cx + (1 - al) * cy}};
    m[0][2] += (nw - 1) / 2.0 - cx; /* zero unless the canvas grew */
    m[1][2] += (nh - 1) / 2.0 - cy;
    double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    int worst = 0;
    for (int y = 0; y < nh; y++)
        for (int x = 0; x < nw; x++) {
            double u = x - m[0][2], v = y - m[1][2];
            double sx = (m[1][1] * u - m[0][1] * v) / det, sy = (-m[1][0] * u + m[0][0] * v) / det;
            int x0 = (int)floor(sx) - cubic, y0 = (int)floor(sy) - cubic;
            for (int c = 0; c < s->channels; c++) {
                double acc = 0;
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < n; i++) {
                        int px = x0 + i, py = y0 + j;
                        double dx = fabs(sx - px), dy = fabs(sy - py), val;
                        double wt = cubic ? keys(dx) * keys(dy) : (1 - dx) * (1 - dy);
                        if (replicate) {
                            px = px < 0 ? 0 : px >= s->width ? s->width - 1 : px;
                            py = py < 0 ? 0 : py >= s->height ? s->height - 1 : py;
                        }
                        if (px < 0 || py < 0 || px >= s->width || py >= s->height)
                            val = fill[c];
                        else
                            val = pixel_at(s, px, py)[c];
                        acc += wt * val;
                    }
                acc = acc < 0 ? 0 : acc > 255 ? 255 : acc;
                int want = (int)floor(acc + 0.5), d = abs(want - pixel_at(got, x, y)[c]);
                if (d > worst)
                    worst = d;
            }
        }
    return worst;
}

/* Random images (alpha included: it is interpolated like any channel) and
 * random 0/255 images, whose bicubic overshoot must saturate. */
static void test_filters_match_reference(void **state)
{
    (void)state;
    const uint8_t fill[4] = {7, 130, 250, 33};
    /* 13x9 canvases by hand: 45: 22 * 0.7071 = 15.56 -> 16 x 16;
     * 17: 13 * 0.956 + 9 * 0.292 = 15.06 -> 16, 13 * 0.292 + 9 * 0.956 = 12.41 -> 13;
     * -30: 13 * 0.866 + 9 * 0.5 = 15.76 -> 16, 6.5 + 7.79 = 14.29 -> 15;
     * 123: 13 * 0.545 + 9 * 0.839 = 14.63 -> 15, 13 * 0.839 + 9 * 0.545 = 15.81 -> 16. */
    const struct { double a; int ew, eh; } cases[] = {
        {45, 16, 16}, {17, 16, 13}, {-30, 16, 15}, {123, 15, 16}};
    for (int ch = 1; ch <= 4; ch++)
        for (int binary = 0; binary < 2; binary++) {
            aug_image src, dst;
            random_image(&src, 13, 9, ch, 1000 + (uint64_t)ch);
            for (size_t i = 0; binary && i < aug_image_size(&src); i++)
                src.data[i] = src.data[i] < 128 ? 0 : 255;
            for (int k = 0; k < 4; k++)
                for (int ex = 0; ex < 2; ex++)
                    for (int rep = 0; rep < 2; rep++)
                        for (int cubic = 0; cubic < 2; cubic++) {
                            rotate(&src, &dst, cases[k].a,
                                   cubic ? AUG_INTERP_BICUBIC : AUG_INTERP_BILINEAR,
                                   rep ? AUG_BORDER_REPLICATE : AUG_BORDER_CONSTANT, ex, fill);
                            assert_int_equal(dst.width, ex ? cases[k].ew : 13);
                            assert_int_equal(dst.height, ex ? cases[k].eh : 9);
                            int d = ref_filter(&src, cases[k].a, cubic, rep, fill, &dst);
                            assert_in_range(d, 0, 1);
                            aug_image_free(&dst);
                        }
            aug_image_free(&src);
        }
}

/* The bicubic kernel itself: background 100 with one 200 pixel one step
 * right of the centre of a 9x9, turned 30 degrees. Near the centre the
 * output is 100 + 100 K(sx - 5) K(sy - 4) at the inverse-mapped point, e.g.
 * output (5, 4) reads (4.866, 4.5): 100 + 100 * 0.9626 * 0.59375 = 157. */
static void test_bicubic_kernel(void **state)
{
    (void)state;
    aug_image src, dst;
    flat_image(&src, 9, 9, 1, 100);
    pixel_at(&src, 5, 4)[0] = 200;
    rotate(&src, &dst, 30, AUG_INTERP_BICUBIC, AUG_BORDER_CONSTANT, 0, NULL);
    assert_int_equal(pixel_at(&dst, 5, 4)[0], 157);
    double cs = cos(PI / 6), sn = sin(PI / 6);
    for (int y = 2; y <= 6; y++)
        for (int x = 2; x <= 6; x++) {
            double sx = 4 + cs * (x - 4) - sn * (y - 4), sy = 4 + sn * (x - 4) + cs * (y - 4);
            double want = 100 + 100 * keys(sx - 5) * keys(sy - 4);
            assert_int_equal(pixel_at(&dst, x, y)[0], (int)floor(want + 0.5));
        }
    aug_image_free(&dst);
    aug_image_free(&src);
}

/* Bicubic weights sum to one: a constant stays constant wherever the 4x4
 * footprint is inside (within radius 8 - 3 of the centre of a 20x16), and
 * everywhere with a border that extends the constant. */
static void test_bicubic_constant(void **state)
{
    (void)state;
    aug_image src, dst;
    flat_image(&src, 20, 16, 3, 100);
    const double angles[] = {23, -61, 137};
    for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 5; b++) {
            rotate(&src, &dst, angles[a], AUG_INTERP_BICUBIC, (aug_border)b, 0, NULL);
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 20; x++) {
                    double r = hypot(x - 9.5, y - 7.5);
                    if (b != AUG_BORDER_CONSTANT || r <= 5.0)
                        for (int c = 0; c < 3; c++)
                            assert_int_equal(pixel_at(&dst, x, y)[c], 100);
                }
            aug_image_free(&dst);
        }
    }
    aug_image_free(&src);
}

/* A linear ramp 10 + 5x + 3y, turned 23 degrees: where the footprint is
 * inside, the output is the ramp at the inverse-mapped point. Bilinear is
 * exact on it; Keys' kernel with a = -0.75 shifts the first moment by up to
 * 0.05 px, i.e. <= 0.4 in value here, so both stay within 1. */
static void test_ramp(void **state)
{
    (void)state;
    aug_image src, dst;
    make_image(&src, 24, 24, 1);
    for (int y = 0; y < 24; y++)
        for (int x = 0; x < 24; x++)
            pixel_at(&src, x, y)[0] = (uint8_t)(10 + 5 * x + 3 * y);
    double r = 23 * PI / 180.0, cs = cos(r), sn = sin(r);
    int checked = 0;
    for (int in = AUG_INTERP_BILINEAR; in <= AUG_INTERP_BICUBIC; in++) {
        rotate(&src, &dst, 23, (aug_interp)in, AUG_BORDER_CONSTANT, 0, NULL);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 24; x++) {
                double sx = 11.5 + cs * (x - 11.5) - sn * (y - 11.5);
                double sy = 11.5 + sn * (x - 11.5) + cs * (y - 11.5);
                if (sx < 1 || sy < 1 || sx > 21 || sy > 21)
                    continue;
                double want = 10 + 5 * sx + 3 * sy;
                assert_true(fabs(pixel_at(&dst, x, y)[0] - want) <= 1.0);
                checked++;
            }
        aug_image_free(&dst);
    }
    assert_true(checked > 400);
    aug_image_free(&src);
}

/* Any filter through any border, by the book, at source point (sx, sy):
 * nearest takes floor(s + 0.5); bilinear and bicubic weight every tap of
 * the footprint by the tent or keys(), each folded by cv_border(). The
 * value before rounding and clamping. */
static double ref_sample(const aug_image *s, double sx, double sy, aug_interp in, aug_border b,
                         const uint8_t *fill, int c)
{
    if (in == AUG_INTERP_NEAREST) {
        int px = cv_border((int)floor(sx + 0.5), s->width, b);
        int py = cv_border((int)floor(sy + 0.5), s->height, b);
        return px < 0 || py < 0 ? fill[c] : pixel_at(s, px, py)[c];
    }
    int cubic = in == AUG_INTERP_BICUBIC, n = cubic ? 4 : 2;
    int x0 = (int)floor(sx) - cubic, y0 = (int)floor(sy) - cubic;
    double acc = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double dx = fabs(sx - (x0 + i)), dy = fabs(sy - (y0 + j));
            double wt = cubic ? keys(dx) * keys(dy) : (1 - dx) * (1 - dy);
            int px = cv_border(x0 + i, s->width, b), py = cv_border(y0 + j, s->height, b);
            acc += wt * (px < 0 || py < 0 ? fill[c] : pixel_at(s, px, py)[c]);
        }
    return acc;
}

/* Largest difference of `got` from ref_sample() at the positions
 * getRotationMatrix2D sends its pixels to (re-centred when the canvas
 * grew). Nearest must match exactly, except within 1e-5 px of a rounding
 * tie, where either neighbour is right. */
static int ref_worst(const aug_image *s, const aug_image *got, double deg, aug_interp in,
                     aug_border b, const uint8_t *fill)
{
    double r = deg * PI / 180.0, cs = cos(r), sn = sin(r);
    double cx = (s->width - 1) / 2.0, cy = (s->height - 1) / 2.0;
    double gx = (got->width - 1) / 2.0, gy = (got->height - 1) / 2.0;
    int worst = 0;
    for (int y = 0; y < got->height; y++)
        for (int x = 0; x < got->width; x++) {
            /* the inverse of a rotation about the centre is its transpose */
            double sx = cx + cs * (x - gx) - sn * (y - gy);
            double sy = cy + sn * (x - gx) + cs * (y - gy);
            if (in == AUG_INTERP_NEAREST && (fabs(sx - floor(sx) - 0.5) < 1e-5 ||
                                             fabs(sy - floor(sy) - 0.5) < 1e-5))
                continue;
            for (int c = 0; c < s->channels; c++) {
                double v = ref_sample(s, sx, sy, in, b, fill, c);
                v = v < 0 ? 0 : v > 255 ? 255 : v;
                int d = abs((int)floor(v + 0.5) - pixel_at(got, x, y)[c]);
                if (d > worst)
                    worst = d;
            }
        }
    return worst;
}

/* Every filter, border, channel count and canvas against ref_sample(), on
 * sizes from a strip too thin for any footprint to fit inside up to one
 * where most rows are mostly inside. Half the images are 0/255, where
 * bicubic overshoots and its weights are most sensitive to position. */
static void test_all_borders_match_reference(void **state)
{
    (void)state;
    const int sizes[][2] = {{37, 29}, {6, 5}, {4, 4}, {2, 7}, {9, 1}};
    const double angles[] = {-17.3, 33, 151};
    const uint8_t fill[4] = {201, 3, 77, 140};
    for (int k = 0; k < 5; k++)
        for (int ch = 1; ch <= 4; ch++) {
            aug_image src, dst;
            random_image(&src, sizes[k][0], sizes[k][1], ch, 500 + (uint64_t)(10 * k + ch));
            for (size_t i = 0; ch % 2 == 0 && i < aug_image_size(&src); i++)
                src.data[i] = src.data[i] < 128 ? 0 : 255;
            for (int in = 0; in < 3; in++)
                for (int b = 0; b < 5; b++)
                    for (int a = 0; a < 3; a++)
                        for (int ex = 0; ex < 2; ex++) {
                            rotate(&src, &dst, angles[a], (aug_interp)in, (aug_border)b, ex,
                                   fill);
                            int d = ref_worst(&src, &dst, angles[a], (aug_interp)in,
                                              (aug_border)b, fill);
                            if (d > (in == AUG_INTERP_NEAREST ? 0 : 1))
                                fail_msg("%dx%d ch %d interp %d border %d angle %g expand %d: "
                                         "off by %d", sizes[k][0], sizes[k][1], ch, in, b,
                                         angles[a], ex, d);
                            aug_image_free(&dst);
                        }
            aug_image_free(&src);
        }
}

/* Rows of 2100 pixels turned a little either way, so that runs of well
 * over a thousand output pixels (24 / sin 1 degree = 1375) read the source
 * in one line, stepping forwards (1 and -0.6 degrees) or backwards (180.8):
 * positions accumulated along such a run must not drift. Nearest, exact,
 * notices a drift of a thousandth of a pixel. */
static void test_long_rows(void **state)
{
    (void)state;
    const double angles[] = {1.0, 180.8, -0.6};
    const aug_border borders[] = {AUG_BORDER_CONSTANT, AUG_BORDER_REFLECT101};
    const uint8_t fill[4] = {9, 99, 199, 0};
    aug_image src, dst;
    random_image(&src, 2100, 24, 3, 4242);
    for (int in = 0; in < 3; in++)
        for (int b = 0; b < 2; b++)
            for (int a = 0; a < 3; a++) {
                rotate(&src, &dst, angles[a], (aug_interp)in, borders[b], 0, fill);
                int d = ref_worst(&src, &dst, angles[a], (aug_interp)in, borders[b], fill);
                if (d > (in == AUG_INTERP_NEAREST ? 0 : 1))
                    fail_msg("interp %d border %d angle %g: off by %d", in, (int)borders[b],
                             angles[a], d);
                aug_image_free(&dst);
            }
    aug_image_free(&src);
}

/* Canvas sizes with expand, by hand: ceil(|w cos| + |h sin|) by
 * ceil(|w sin| + |h cos|), quarter turns exactly swapped. */
static void test_expand_size(void **state)
{
    (void)state;
    const struct { int w, h; double a; int ew, eh; } cases[] = {
        {10, 10, 45, 15, 15}, /* 14.14 */
        {8, 4, 30, 9, 8},     /* 6.93 + 2 = 8.93, 4 + 3.46 = 7.46 */
        {5, 3, -30, 6, 6},    /* 4.33 + 1.5 = 5.83, 2.5 + 2.6 = 5.1 */
        {7, 3, 90, 3, 7},   {7, 3, 270, 3, 7}, {7, 3, -90, 3, 7},
        {6, 3, 90, 3, 6},   {7, 3, 180, 7, 3}, {1, 1, 45, 2, 2},
        {1, 1, 90, 1, 1},   {1, 9, 90, 9, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        aug_image src, dst;
        make_image(&src, cases[k].w, cases[k].h, 1);
        rotate(&src, &dst, cases[k].a, AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT, 1, NULL);
        assert_int_equal(dst.width, cases[k].ew);
        assert_int_equal(dst.height, cases[k].eh);
        aug_image_free(&dst);
        aug_image_free(&src);
    }
}

/* With expand nothing is cut: a lone bright pixel at any corner keeps its
 * mass (bilinear spreads it over a few pixels, total ~255 up to sampling
 * and rounding). Without expand a 45-degree turn of a 12x8 puts every
 * corner at least 0.86 px outside the canvas: at most a 0.14 sliver left. */
static void test_expand_keeps_corners(void **state)
{
    (void)state;
    const int corners[4][2] = {{0, 0}, {11, 0}, {11, 7}, {0, 7}};
    const double angles[] = {30, 45, 135, -60, 200};
    for (int k = 0; k < 4; k++) {
        aug_image src, dst;
        make_image(&src, 12, 8, 1);
        pixel_at(&src, corners[k][0], corners[k][1])[0] = 255;
        for (int a = 0; a < 5; a++) {
            rotate(&src, &dst, angles[a], AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT, 1, NULL);
            long sum = 0;
            for (size_t i = 0; i < aug_image_size(&dst); i++)
                sum += dst.data[i];
            assert_in_range(sum, 255 * 7 / 10, 255 * 13 / 10);
            aug_image_free(&dst);
        }
        rotate(&src, &dst, 45, AUG_INTERP_BILINEAR, AUG_BORDER_CONSTANT, 0, NULL);
        long cut = 0;
        for (size_t i = 0; i < aug_image_size(&dst); i++)
            cut += dst.data[i];
        assert_in_range(cut, 0, 255 * 3 / 10);
        aug_image_free(&dst);
        aug_image_free(&src);
    }
}

/* A 1x1 image: its centre is its pixel, so any angle returns it; with
 * expand at 45 degrees the 2x2 canvas samples around it, and a replicated
 * border makes all four that pixel too. */
static void test_one_pixel(void **state)
{
    (void)state;
    const uint8_t px[4] = {12, 34, 56, 78};
    aug_image src, dst;
    make_image(&src, 1, 1, 4);
    memcpy(src.data, px, 4);
    for (int in = 0; in < 3; in++)
        for (int b = 0; b < 5; b++) {
            rotate(&src, &dst, 33, (aug_interp)in, (aug_border)b, 0, NULL);
            assert_int_equal(dst.width, 1);
            assert_memory_equal(dst.data, px, 4);
            aug_image_free(&dst);
            rotate(&src, &dst, 45, (aug_interp)in, AUG_BORDER_REPLICATE, 1, NULL);
            assert_int_equal(dst.width, 2);
            assert_int_equal(dst.height, 2);
            for (int i = 0; i < 4; i++)
                assert_memory_equal(dst.data + 4 * i, px, 4);
            aug_image_free(&dst);
        }
    aug_image_free(&src);
}

static void expect_arg_error(const aug_image *src, const aug_rotate_params *p)
{
    uint8_t junk = 0;
    aug_image dst = {5, 5, 1, &junk};
    aug_error err = {0};
    assert_int_equal(aug_rotate(src, &dst, p, &err), AUG_ERR_ARG);
    assert_int_equal(err.code, AUG_ERR_ARG);
    assert_true(strncmp(err.msg, "rotate: ", 8) == 0 && strlen(err.msg) > 12);
    assert_null(dst.data);
    assert_int_equal(aug_rotate(src, &dst, p, NULL), AUG_ERR_ARG); /* no record wanted */
}

static void test_errors(void **state)
{
    (void)state;
    aug_image src, dst;
    aug_rotate_params p;
    make_image(&src, 4, 3, 3);
    aug_rotate_params_default(&p);
    p.angle = NAN;
    expect_arg_error(&src, &p);
    p.angle = INFINITY;
    expect_arg_error(&src, &p);
    p.angle = -INFINITY;
    expect_arg_error(&src, &p);
    aug_rotate_params_default(&p);
    p.interp = (aug_interp)3;
    expect_arg_error(&src, &p);
    p.interp = (aug_interp)-1;
    expect_arg_error(&src, &p);
    aug_rotate_params_default(&p);
    p.border = (aug_border)5;
    expect_arg_error(&src, &p);
    aug_rotate_params_default(&p);
    aug_image empty = {0, 0, 3, NULL};
    expect_arg_error(&empty, &p);
    aug_image zero_w = {0, 3, 3, src.data};
    expect_arg_error(&zero_w, &p);
    aug_image five = {4, 3, 5, src.data};
    expect_arg_error(&five, &p);
    expect_arg_error(NULL, &p);
    expect_arg_error(&src, NULL);
    aug_error err = {0};
    assert_int_equal(aug_rotate(&src, &src, &p, &err), AUG_ERR_ARG);
    assert_non_null(src.data); /* the input was not touched */
    /* and a valid call after all that still works */
    rotate(&src, &dst, 10, AUG_INTERP_BICUBIC, AUG_BORDER_WRAP, 1, NULL);
    aug_image_free(&dst);
    aug_image_free(&src);
}

/* The AVX2 build of the fast samplers (a pixel's channels as vector lanes)
 * against the baseline, byte for byte: every channel count, bilinear and
 * bicubic, borders that keep the footprint on the last row and column
 * (replicate, reflect) and a constant one, angles with and without
 * expansion, and a 3-channel image whose bottom-right pixel is sampled
 * (where a 4-byte load would pass the end and the scalar sums take over).
 * ASan sees any read past the image: buffers are exactly its size. */
extern int aug_simd_disable;

static void test_wide_build_same_bytes(void **state)
{
    (void)state;
    static const double angles[] = {0.5, 30, -77.7, 135, 200.25};
    static const aug_border borders[] = {AUG_BORDER_CONSTANT, AUG_BORDER_REPLICATE,
                                         AUG_BORDER_REFLECT};
    for (int ch = 1; ch <= 4; ch++)
        for (int interp = AUG_INTERP_BILINEAR; interp <= AUG_INTERP_BICUBIC; interp++)
            for (size_t a = 0; a < sizeof angles / sizeof angles[0]; a++)
                for (size_t b = 0; b < sizeof borders / sizeof borders[0]; b++) {
                    aug_image img;
                    random_image(&img, 67 + (int)a, 45 + ch, ch, (uint64_t)(a * 7 + b + ch));
                    aug_rotate_params p;
                    aug_rotate_params_default(&p);
                    p.angle = angles[a];
                    p.interp = (aug_interp)interp;
                    p.border = borders[b];
                    p.expand = (int)(a & 1);
                    aug_image wide, base;
                    aug_error err = {0};
                    assert_int_equal(aug_rotate(&img, &wide, &p, &err), AUG_OK);
                    aug_simd_disable = 1;
                    assert_int_equal(aug_rotate(&img, &base, &p, &err), AUG_OK);
                    aug_simd_disable = 0;
                    assert_int_equal(aug_image_size(&wide), aug_image_size(&base));
                    assert_memory_equal(wide.data, base.data, aug_image_size(&base));
                    aug_image_free(&wide);
                    aug_image_free(&base);
                    aug_image_free(&img);
                }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_zero_is_copy),
        cmocka_unit_test(test_quarter_turns_expand),
        cmocka_unit_test(test_quarter_turns_keep_size),
        cmocka_unit_test(test_quarter_turn_strips),
        cmocka_unit_test(test_quarter_turn_odd_difference),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_border_corners),
        cmocka_unit_test(test_constant_fill_in_corners),
        cmocka_unit_test(test_filters_match_reference),
        cmocka_unit_test(test_nearest_copies_pixels),
        cmocka_unit_test(test_nearest_halves),
        cmocka_unit_test(test_bicubic_kernel),
        cmocka_unit_test(test_bicubic_constant),
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_all_borders_match_reference),
        cmocka_unit_test(test_long_rows),
        cmocka_unit_test(test_expand_size),
        cmocka_unit_test(test_expand_keeps_corners),
        cmocka_unit_test(test_one_pixel),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_wide_build_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
