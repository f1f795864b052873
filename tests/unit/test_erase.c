/* Random erasing: every reported rectangle obeys torchvision's constraints,
 * exactly that rectangle changes, the fills are what they claim, the box
 * distribution matches the sampler's laws, and parameters are validated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/kernels.h"
#include "testutil.h"

/* Content in 0..199 (alpha anywhere), so a fill of 250+ always shows. */
static aug_image pattern(int w, int h, int ch)
{
    aug_image img;
    make_image(&img, w, h, ch);
    for (size_t i = 0; i < aug_image_size(&img); i++)
        img.data[i] = (uint8_t)((i * 7 + i / 5) % 200);
    if (ch == 2 || ch == 4)
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            img.data[i * (size_t)ch + (size_t)ch - 1] = (uint8_t)(255 - i % 256);
    return img;
}

static int inside(aug_rect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static void erase(aug_image *img, const aug_erase_params *p, uint64_t seed,
                  aug_rect *rects)
{
    aug_rng rng;
    aug_error err = {0};
    aug_rng_seed(&rng, seed);
    assert_int_equal(aug_erase(img, p, &rng, rects, &err), AUG_OK);
}

/* The defaults with the area fraction in [slo, shi] and the aspect h/w in
 * [rlo, rhi]. */
static aug_erase_params ranges(double slo, double shi, double rlo, double rhi)
{
    aug_erase_params p;
    aug_erase_params_default(&p);
    p.scale_lo = slo;
    p.scale_hi = shi;
    p.ratio_lo = rlo;
    p.ratio_hi = rhi;
    return p;
}

/* Erase a fresh pattern with p when no box can fit: nothing changes and
 * every one of the p->count rects is reported empty (all zero). */
static void expect_no_box(int w, int h, int ch, const aug_erase_params *p, uint64_t seed)
{
    aug_image img = pattern(w, h, ch), orig = copy_image(&img);
    aug_rect r[4];
    assert_in_range(p->count, 1, 4);
    memset(r, 0x55, sizeof r);
    erase(&img, p, seed, r);
    for (int k = 0; k < p->count; k++)
        assert_true(r[k].x == 0 && r[k].y == 0 && r[k].w == 0 && r[k].h == 0);
    assert_memory_equal(img.data, orig.data, aug_image_size(&img));
    aug_image_free(&img);
    aug_image_free(&orig);
}

/* torchvision's constraints, and the area up to rounding: h and w are each
 * within 0.5 of sqrt(A*a) and sqrt(A/a), so |h*w - A| <= (h + w)/2 + 3/4. */
static void assert_rect_valid(aug_rect r, int W, int H, const aug_erase_params *p)
{
    assert_true(r.w > 0 && r.h > 0);
    assert_true(r.x >= 0 && r.y >= 0);
    assert_true(r.x + r.w <= W && r.y + r.h <= H);
    assert_true(r.w < W && r.h < H);
    double area = (double)W * H, slack = (r.w + r.h) / 2.0 + 0.75;
    assert_true(r.w * r.h >= p->scale_lo * area - slack);
    assert_true(r.w * r.h <= p->scale_hi * area + slack);
    /* The aspect h/w is log-uniform within the ratio range, up to the
     * same rounding of each side. */
    assert_true((r.h + 0.5) / (r.w - 0.5) >= p->ratio_lo);
    assert_true((r.h - 0.5) / (r.w + 0.5) <= p->ratio_hi);
}

static void test_defaults(void **state)
{
    (void)state;
    aug_erase_params p;
    memset(&p, 0xff, sizeof p);
    aug_erase_params_default(&p);
    assert_true(p.scale_lo == 0.02 && p.scale_hi == 0.33);
    assert_true(p.ratio_lo == 0.3 && p.ratio_hi == 3.3);
    assert_int_equal(p.attempts, 10);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.fill, AUG_ERASE_CONSTANT);
    for (int c = 0; c < 4; c++)
        assert_int_equal(p.value[c], 0);
}

/* Constant fill, every channel count, odd sizes, many seeds: the rectangle
 * holds exactly the fill value, everything else (and all alpha) is intact. */
static void test_constant_exact_region(void **state)
{
    (void)state;
    const int sizes[][2] = {{64, 48}, {31, 17}, {5, 40}};
    for (int ch = 1; ch <= 4; ch++)
        for (int s = 0; s < 3; s++) {
            int W = sizes[s][0], H = sizes[s][1], hits = 0;
            int cc = ch == 2 || ch == 4 ? ch - 1 : ch;
            aug_erase_params p;
            aug_erase_params_default(&p);
            memcpy(p.value, (const uint8_t[4]){250, 251, 252, 253}, 4);
            for (uint64_t seed = 0; seed < 60; seed++) {
                aug_image img = pattern(W, H, ch), orig = copy_image(&img);
                aug_rect r = {-1, -1, -1, -1};
                erase(&img, &p, seed, &r);
                if (r.w == 0) {
                    assert_true(r.x == 0 && r.y == 0 && r.h == 0);
                    assert_memory_equal(img.data, orig.data, aug_image_size(&img));
                } else {
                    hits++;
                    assert_rect_valid(r, W, H, &p);
                    for (int y = 0; y < H; y++)
                        for (int x = 0; x < W; x++)
                            for (int c = 0; c < ch; c++) {
                                size_t k = ((size_t)y * W + x) * ch + c;
                                if (c < cc && inside(r, x, y))
                                    assert_int_equal(img.data[k], 250 + c);
                                else
                                    assert_int_equal(img.data[k], orig.data[k]);
                            }
                }
                aug_image_free(&img);
                aug_image_free(&orig);
            }
            /* With 10 attempts nearly every image gets a box. */
            assert_true(hits > 50);
        }
}

/* Two colours, 50 pixels each: per channel mean (a + b) / 2 rounded half
 * up: R (10+19)/2 = 14.5 -> 15, G (0+1)/2 = 0.5 -> 1, B (100+201)/2 =
 * 150.5 -> 151 (ties to even would give 14, 0, 150). The fill differs from
 * both colours, and with several boxes every box gets the mean of the
 * ORIGINAL picture. */
static void test_mean_fill(void **state)
{
    (void)state;
    for (int ch = 3; ch <= 4; ch++) {
        aug_image img;
        make_image(&img, 10, 10, ch);
        for (int i = 0; i < 100; i++) {
            uint8_t *px = img.data + i * ch;
            int a = i % 2 == 0;
            px[0] = a ? 10 : 19;
            px[1] = a ? 0 : 1;
            px[2] = a ? 100 : 201;
            if (ch == 4)
                px[3] = (uint8_t)(i * 3); /* must not enter any mean */
        }
        aug_image orig = copy_image(&img);
        aug_erase_params p = ranges(0.1, 0.3, 0.5, 2.0);
        p.fill = AUG_ERASE_MEAN;
        p.count = 4;
        aug_rect r[4];
        erase(&img, &p, 5, r);
        size_t erased = 0;
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 10; x++) {
                const uint8_t *px = img.data + (y * 10 + x) * ch;
                const uint8_t *o = orig.data + (y * 10 + x) * ch;
                int in = 0;
                for (int k = 0; k < 4; k++)
                    in |= inside(r[k], x, y);
                if (in) {
                    erased++;
                    assert_int_equal(px[0], 15);
                    assert_int_equal(px[1], 1);
                    assert_int_equal(px[2], 151);
                } else {
                    assert_memory_equal(px, o, (size_t)ch);
                }
                if (ch == 4)
                    assert_int_equal(px[3], o[3]);
            }
        assert_true(erased > 0);
        aug_image_free(&img);
        aug_image_free(&orig);
    }

    /* Grey 4x4, one column of 255: mean 1020/16 = 63.75 -> 64. Scale
     * 1/16 with aspect 1 is a box of exactly one pixel. */
    aug_image g;
    aug_erase_params p;
    aug_erase_params_default(&p);
    p.fill = AUG_ERASE_MEAN;
    p.ratio_lo = p.ratio_hi = 1.0;
    aug_rect r;
    make_image(&g, 4, 4, 1);
    for (int i = 0; i < 16; i++)
        g.data[i] = (uint8_t)(i % 4 == 3 ? 255 : 0);
    p.scale_lo = p.scale_hi = 1.0 / 16;
    erase(&g, &p, 2, &r);
    assert_true(r.w == 1 && r.h == 1);
    assert_int_equal(g.data[r.y * 4 + r.x], 64);
    aug_image_free(&g);
}

/* 2x2, scale 0.9..1: h*w must round to >= 4 - slack while both sides stay
 * below 2, which is impossible: nothing changes and every rect is empty. */
static void test_all_attempts_fail(void **state)
{
    (void)state;
    aug_erase_params p;
    aug_erase_params_default(&p);
    p.scale_lo = 0.9;
    p.scale_hi = 1.0;
    p.count = 3;
    p.value[0] = 255;
    for (int ch = 1; ch <= 4; ch++)
        expect_no_box(2, 2, ch, &p, 9);
    /* One row: only h = 0 fits. torchvision accepts such a box and erases
     * nothing; it is reported empty. Aspect 0.001..0.002 with area 10..20
     * gives h = round(<= 0.2) = 0 and w = 71..141, accepted when < 100. */
    p = ranges(0.1, 0.2, 0.001, 0.002);
    p.value[0] = 255;
    for (uint64_t seed = 0; seed < 50; seed++)
        expect_no_box(100, 1, 3, &p, seed);
    /* 1x1: no box can be smaller than the image except an empty one. */
    aug_erase_params_default(&p);
    p.value[0] = 255;
    for (uint64_t seed = 0; seed < 50; seed++)
        expect_no_box(1, 1, 4, &p, seed);
}

/* 1000x1000, scale 0.1..0.2, ratio 0.5..2: the largest side is
 * sqrt(0.2e6 * 2) = 632 < 1000, so no attempt is ever rejected and the
 * laws are the sampler's own: area fraction U(0.1, 0.2), mean 0.15, std
 * 0.1/sqrt(12) = 0.029 (SE 0.0009 over 1000 boxes; rounding moves the
 * area by < 1e-3 and averages out); log(h/w) U(log .5, log 2), mean 0, std
 * 0.40 (SE 0.013); corner position x/(W-w) uniform, mean 0.5, std 0.29
 * (SE 0.009). Tolerances are 5 SE. */
static void test_box_statistics(void **state)
{
    (void)state;
    const int W = 1000, H = 1000, N = 1000;
    aug_image img;
    make_image(&img, W, H, 1);
    aug_erase_params p = ranges(0.1, 0.2, 0.5, 2.0);
    p.attempts = 1; /* rejection would show as w == 0 */
    aug_rng rng;
    aug_rng_seed(&rng, 77);
    double sa = 0, sl = 0, sx = 0, sy = 0;
    int tall = 0, low = 0;
    for (int i = 0; i < N; i++) {
        aug_rect r;
        assert_int_equal(aug_erase(&img, &p, &rng, &r, NULL), AUG_OK);
        assert_rect_valid(r, W, H, &p);
        double a = (double)r.w * r.h / ((double)W * H);
        sa += a;
        low += a < 0.125;
        sl += log((double)r.h / r.w);
        tall += r.h > r.w;
        sx += (double)r.x / (W - r.w);
        sy += (double)r.y / (H - r.h);
    }
    assert_true(fabs(sa / N - 0.15) < 5 * 0.0289 / sqrt(N));
    assert_true(fabs(low / (double)N - 0.25) < 5 * sqrt(0.25 * 0.75 / N));
    assert_true(fabs(sl / N) < 5 * 0.4 / sqrt(N));
    assert_true(fabs(tall / (double)N - 0.5) < 5 * 0.5 / sqrt(N));
    assert_true(fabs(sx / N - 0.5) < 5 * 0.289 / sqrt(N));
    assert_true(fabs(sy / N - 0.5) < 5 * 0.289 / sqrt(N));
    aug_image_free(&img);
}

/* The box sampler written out from torchvision's get_params, drawing from
 * the same stream: the kernel must produce the very same boxes (this pins
 * the draw order and Python's round-half-even, which statistics cannot). */
static void test_matches_torchvision_sampler(void **state)
{
    (void)state;
    const int W = 57, H = 23;
    aug_erase_params p;
    aug_erase_params_default(&p);
    p.count = 3;
    p.attempts = 4;
    for (uint64_t seed = 0; seed < 200; seed++) {
        aug_rng ref;
        aug_rng_seed(&ref, seed);
        aug_rect want[3];
        for (int k = 0; k < 3; k++) {
            want[k] = (aug_rect){0, 0, 0, 0};
            for (int a = 0; a < p.attempts; a++) {
                double area = W * H * (p.scale_lo + (p.scale_hi - p.scale_lo) *
                                                        aug_rng_uniform(&ref));
                double lr = log(p.ratio_lo) +
                            (log(p.ratio_hi) - log(p.ratio_lo)) * aug_rng_uniform(&ref);
                double ar = exp(lr);
                double hh = sqrt(area * ar), ww = sqrt(area / ar);
                /* round half to even, by hand */
                double h = floor(hh), w = floor(ww);
                if (hh - h > 0.5 || (hh - h == 0.5 && fmod(h, 2) != 0))
                    h += 1;
                if (ww - w > 0.5 || (ww - w == 0.5 && fmod(w, 2) != 0))
                    w += 1;
                if (!(h < H && w < W))
                    continue;
                int y = (int)aug_rng_below(&ref, (uint64_t)(H - h + 1));
                int x = (int)aug_rng_below(&ref, (uint64_t)(W - w + 1));
                if (h > 0 && w > 0)
                    want[k] = (aug_rect){x, y, (int)w, (int)h};
                break;
            }
        }
        aug_image img = pattern(W, H, 3);
        aug_rect got[3];
        erase(&img, &p, seed, got);
        for (int k = 0; k < 3; k++) {
            assert_int_equal(got[k].x, want[k].x);
            assert_int_equal(got[k].y, want[k].y);
            assert_int_equal(got[k].w, want[k].w);
            assert_int_equal(got[k].h, want[k].h);
        }
        aug_image_free(&img);
    }
}

/* count 3: three valid boxes (no rejection possible with these ranges),
 * the changed pixels are exactly their union, the entry after them is
 * not written, and rects may be NULL. */
static void test_count(void **state)
{
    (void)state;
    aug_image img = pattern(100, 100, 3), orig = copy_image(&img);
    aug_erase_params p = ranges(0.05, 0.1, 0.5, 2.0);
    p.count = 3;
    memset(p.value, 255, 3);
    aug_rect r[4];
    r[3] = (aug_rect){-7, -7, -7, -7};
    erase(&img, &p, 3, r);
    for (int k = 0; k < 3; k++)
        assert_rect_valid(r[k], 100, 100, &p);
    assert_int_equal(r[3].x, -7);
    assert_int_equal(r[3].w, -7);
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 100; x++) {
            int in = inside(r[0], x, y) || inside(r[1], x, y) || inside(r[2], x, y);
            for (int c = 0; c < 3; c++) {
                size_t k = ((size_t)y * 100 + x) * 3 + c;
                assert_int_equal(img.data[k], in ? 255 : orig.data[k]);
            }
        }
    /* Same seed without rects: same picture. */
    aug_image again = copy_image(&orig);
    erase(&again, &p, 3, NULL);
    assert_memory_equal(again.data, img.data, aug_image_size(&img));
    /* A different seed erases elsewhere. */
    aug_image other = copy_image(&orig);
    erase(&other, &p, 4, NULL);
    assert_memory_not_equal(other.data, img.data, aug_image_size(&img));
    aug_image_free(&img);
    aug_image_free(&orig);
    aug_image_free(&again);
    aug_image_free(&other);
}

/* Random fill: ~3000 pixels x 3 samples of U{0..255}: essentially every
 * value appears (P(a value is missing) = (255/256)^9000 ~ 5e-16), the mean
 * is 127.5 (std 73.9, SE 0.78), outside the box nothing changes, alpha
 * stays. */
static void test_random_fill(void **state)
{
    (void)state;
    aug_image img = pattern(100, 100, 4), orig = copy_image(&img);
    aug_erase_params p = ranges(0.3, 0.33, 0.8, 1.25);
    p.fill = AUG_ERASE_RANDOM;
    aug_rect r;
    erase(&img, &p, 11, &r);
    assert_rect_valid(r, 100, 100, &p);
    int seen[256] = {0};
    double sum = 0;
    size_t n = 0;
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 100; x++) {
            const uint8_t *px = img.data + (y * 100 + x) * 4;
            const uint8_t *o = orig.data + (y * 100 + x) * 4;
            assert_int_equal(px[3], o[3]);
            if (!inside(r, x, y)) {
                assert_memory_equal(px, o, 4);
                continue;
            }
            for (int c = 0; c < 3; c++) {
                seen[px[c]] = 1;
                sum += px[c];
                n++;
            }
        }
    int distinct = 0;
    for (int v = 0; v < 256; v++)
        distinct += seen[v];
    assert_int_equal(distinct, 256); /* includes 200..255, absent before */
    assert_true(fabs(sum / (double)n - 127.5) < 5 * 73.9 / sqrt((double)n));
    aug_image_free(&img);
    aug_image_free(&orig);
}

/* The fills byte for byte against the rule written out here: a random
 * row of w pixels takes ceil(w * cc / 8) draws of the stream and uses the
 * little-endian bytes of each in order for its colour samples; a constant
 * fill writes the value's colour samples; alpha and everything outside the
 * rectangle stay. Widths cross the 4080-byte chunk of the alpha path
 * (1360 RGB pixels, 4080 grey ones) and leave every remainder mod 8. */
static void test_fill_bytes_exact(void **state)
{
    (void)state;
    static const int widths[] = {1, 2, 3, 5, 7, 8, 9, 13, 1359, 1360, 1361, 4081};
    for (int ch = 1; ch <= 4; ch++)
        for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++)
            for (int fill = 0; fill < 2; fill++) {
                int rw = widths[wi], W = rw + 3, H = 5, cc = ch == 2 || ch == 4 ? ch - 1 : ch;
                aug_image img = pattern(W, H, ch), want = copy_image(&img);
                aug_rect r = {2, 1, rw, 3};
                const uint8_t v[4] = {9, 200, 31, 77};
                aug_rng s, ref;
                aug_rng_seed(&s, (uint64_t)(ch * 100 + rw));
                ref = s;
                for (int y = r.y; y < r.y + r.h; y++) {
                    uint8_t row[4081 * 3 + 8];
                    size_t nb = (size_t)rw * (size_t)cc;
                    for (size_t b = 0; b < nb; b += 8) {
                        uint64_t d = aug_rng_u64(&ref);
                        for (int k = 0; k < 8; k++)
                            row[b + (size_t)k] = (uint8_t)(d >> (8 * k));
                    }
                    for (int x = 0; x < rw; x++)
                        for (int c = 0; c < cc; c++)
                            want.data[((size_t)y * (size_t)W + (size_t)(r.x + x)) * (size_t)ch +
                                      (size_t)c] = fill ? row[(size_t)x * (size_t)cc + (size_t)c]
                                                        : v[c];
                }
                aug_error err = {0};
                assert_int_equal(aug_erase_rects(&img, &r, 1,
                                                 fill ? AUG_ERASE_RANDOM : AUG_ERASE_CONSTANT, v,
                                                 &s, &err),
                                 AUG_OK);
                assert_memory_equal(img.data, want.data, aug_image_size(&img));
                if (fill) /* the stream advanced by exactly the draws used */
                    assert_true(aug_rng_u64(&s) == aug_rng_u64(&ref));
                aug_image_free(&img);
                aug_image_free(&want);
            }
}

static void expect_invalid(aug_erase_params p, const char *word)
{
    aug_image img = pattern(8, 8, 3), orig = copy_image(&img);
    aug_rng rng;
    aug_rng_seed(&rng, 1);
    aug_error err = {0};
    aug_rect r;
    assert_int_equal(aug_erase(&img, &p, &rng, &r, &err), AUG_ERR_ARG);
    assert_int_equal(err.code, AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, word));
    assert_memory_equal(img.data, orig.data, aug_image_size(&img));
    aug_image_free(&img);
    aug_image_free(&orig);
}

static void test_invalid(void **state)
{
    (void)state;
    aug_erase_params d, p;
    aug_erase_params_default(&d);
    p = d; p.scale_lo = 0;             expect_invalid(p, "scale");
    p = d; p.scale_lo = -0.1;          expect_invalid(p, "scale");
    p = d; p.scale_lo = 0.5; p.scale_hi = 0.4; expect_invalid(p, "scale");
    p = d; p.scale_hi = 1.01;          expect_invalid(p, "scale");
    p = d; p.scale_lo = NAN;           expect_invalid(p, "scale");
    p = d; p.scale_hi = NAN;           expect_invalid(p, "scale");
    p = d; p.ratio_lo = 0;             expect_invalid(p, "ratio");
    p = d; p.ratio_lo = 2; p.ratio_hi = 1; expect_invalid(p, "ratio");
    p = d; p.ratio_hi = INFINITY;      expect_invalid(p, "ratio");
    p = d; p.ratio_lo = NAN;           expect_invalid(p, "ratio");
    p = d; p.attempts = 0;             expect_invalid(p, "attempts");
    p = d; p.count = 0;                expect_invalid(p, "count");
    p = d; p.count = -3;               expect_invalid(p, "count");
    p = d; p.fill = (aug_erase_fill)3; expect_invalid(p, "fill");
    p = d; p.fill = (aug_erase_fill)-1; expect_invalid(p, "fill");

    /* The boundaries themselves are valid. */
    p = d;
    p.scale_lo = p.scale_hi = 1.0;
    p.ratio_lo = p.ratio_hi = 1.0;
    p.attempts = 1;
    aug_image img = pattern(8, 8, 3);
    aug_rng rng;
    aug_rng_seed(&rng, 1);
    assert_int_equal(aug_erase(&img, &p, &rng, NULL, NULL), AUG_OK);
    assert_int_equal(aug_erase(NULL, &p, &rng, NULL, NULL), AUG_ERR_ARG);
    assert_int_equal(aug_erase(&img, NULL, &rng, NULL, NULL), AUG_ERR_ARG);
    assert_int_equal(aug_erase(&img, &p, NULL, NULL, NULL), AUG_ERR_ARG);
    aug_image empty = {0, 0, 0, NULL};
    assert_int_equal(aug_erase(&empty, &p, &rng, NULL, NULL), AUG_ERR_ARG);
    aug_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_constant_exact_region),
        cmocka_unit_test(test_mean_fill),
        cmocka_unit_test(test_all_attempts_fail),
        cmocka_unit_test(test_box_statistics),
        cmocka_unit_test(test_matches_torchvision_sampler),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_random_fill),
        cmocka_unit_test(test_fill_bytes_exact),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
