/* What the new operations draw, read back from their manifest text
 * through the chain API: RandomResizedCrop's area and aspect
 * distributions and its fallback, ColorJitter's factor ranges and orders,
 * crop positions; and identities of whole ops (resize to the same size,
 * crop then pad, a one-stage chain of each geometric op keeps what its
 * geometry says). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/augment.h"
#include "testutil.h"

static void ok(aug_status st, const aug_error *err)
{
    if (st != AUG_OK)
        fail_msg("failed: %s", err->msg);
}

/* Draw copy k of chain `text` for a w x h image; the plan's text. */
static aug_plan *plan_of(const aug_chain *c, int w, int h, uint64_t k)
{
    aug_plan *p;
    aug_error err;
    aug_geom g = {w, h, 3};
    ok(aug_chain_draw(c, 99, "img.png", k, &g, &p, &err), &err);
    return p;
}

static aug_chain *chain(const char *text)
{
    aug_chain *c;
    aug_error err;
    ok(aug_chain_parse(text, NULL, &c, &err), &err);
    return c;
}

static void box(const aug_plan *p, int *x, int *y, int *w, int *h)
{
    const char *t = strstr(aug_plan_text(p), "box=");
    assert_non_null(t);
    assert_int_equal(sscanf(t, "box=%d,%d,%d,%d", x, y, w, h), 4);
}

/* With --scale 0.08:0.5 on a square image no try is ever rejected (area
 * times aspect stays below 0.67 of the image), so the area fraction is
 * uniform on [0.08, 0.5] and log(w/h) uniform on [log 3/4, log 4/3], up
 * to the rounding of the sides. */
static void test_rrc_distributions(void **state)
{
    (void)state;
    aug_chain *c = chain("random-resized-crop --size 8 --scale 0.08:0.5");
    const int n = 4000;
    double sa = 0, sl = 0, sl2 = 0, spos = 0;
    int below = 0, npos = 0;
    for (int k = 0; k < n; k++) {
        aug_plan *p = plan_of(c, 1000, 1000, (uint64_t)k);
        int x, y, w, h;
        box(p, &x, &y, &w, &h);
        assert_true(x >= 0 && y >= 0 && x + w <= 1000 && y + h <= 1000);
        double a = (double)w * h / 1e6, l = log((double)w / h);
        assert_true(a > 0.078 && a < 0.502);
        assert_true(l > log(0.75) - 0.01 && l < log(4.0 / 3.0) + 0.01);
        sa += a;
        sl += l;
        sl2 += l * l;
        below += a < 0.185; /* the lower quarter of [0.08, 0.5] */
        if (w < 1000) {
            spos += (double)x / (1000 - w); /* uniform position: mean 1/2 */
            npos++;
        }
        aug_plan_free(p);
    }
    /* means: area 0.29 (sd 0.121, se 0.0019); log-aspect 0 (sd 0.166,
     * se 0.0026); variance of the log-aspect 0.5754^2 / 12 = 0.0276 */
    double ma = sa / n, ml = sl / n, vl = sl2 / n - ml * ml;
    if (fabs(ma - 0.29) > 0.01 || fabs(ml) > 0.013 || fabs(vl - 0.0276) > 0.003)
        fail_msg("area mean %.4f, log-aspect mean %.4f variance %.4f", ma, ml, vl);
    /* a quarter below the lower quartile: 1000 +- 27 */
    assert_true(below > 880 && below < 1120);
    assert_true(fabs(spos / npos - 0.5) < 0.02);
    aug_chain_free(c);
}

/* No window fits a 2000 x 10 image (the smallest, 8% of it, is 35 rows
 * high at the widest aspect): the centre crop clamped to the ratio range,
 * 10 rows by round(10 * 4/3) = 13 columns at (2000 - 13) / 2 = 993. */
static void test_rrc_fallback(void **state)
{
    (void)state;
    aug_chain *c = chain("random-resized-crop --size 4");
    for (int k = 0; k < 20; k++) {
        aug_plan *p = plan_of(c, 2000, 10, (uint64_t)k);
        int x, y, w, h;
        box(p, &x, &y, &w, &h);
        assert_int_equal(x, 993);
        assert_int_equal(y, 0);
        assert_int_equal(w, 13);
        assert_int_equal(h, 10);
        aug_geom g;
        aug_plan_geometry(p, &g);
        assert_int_equal(g.width, 4);
        assert_int_equal(g.height, 4);
        aug_plan_free(p);
    }
    aug_chain_free(c);
}

static double factor(const char *text, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, "%s=", name);
    const char *t = strstr(text, key);
    return t ? atof(t + strlen(key)) : NAN;
}

static void test_colorjitter_ranges(void **state)
{
    (void)state;
    aug_chain *c = chain("color --brightness 0.4 --contrast 0.2:0.5 --saturation 0 --hue 0.1");
    const int n = 3000;
    double bmin = 9, bmax = 0, bsum = 0, cmin = 9, cmax = 0, hmin = 9, hmax = -9;
    int orders[6] = {0};
    static const char *const perms[6] = {
        "brightness,contrast,hue", "brightness,hue,contrast", "contrast,brightness,hue",
        "contrast,hue,brightness", "hue,brightness,contrast", "hue,contrast,brightness"};
    for (int k = 0; k < n; k++) {
        aug_plan *p = plan_of(c, 20, 20, (uint64_t)k);
        const char *t = aug_plan_text(p);
        double b = factor(t, "brightness"), ct = factor(t, "contrast"), h = factor(t, "hue");
        assert_true(isnan(factor(t, "saturation"))); /* 0 means 1:1, left out */
        assert_true(b >= 0.6 && b < 1.4 && ct >= 0.2 && ct < 0.5 && h >= -0.1 && h < 0.1);
        bmin = b < bmin ? b : bmin;
        bmax = b > bmax ? b : bmax;
        bsum += b;
        cmin = ct < cmin ? ct : cmin;
        cmax = ct > cmax ? ct : cmax;
        hmin = h < hmin ? h : hmin;
        hmax = h > hmax ? h : hmax;
        int found = 0;
        for (int i = 0; i < 6; i++)
            if (strstr(t, perms[i])) {
                orders[i]++;
                found = 1;
            }
        assert_true(found);
        aug_plan_free(p);
    }
    /* uniform over the whole ranges: the extremes come within 1% */
    assert_true(bmin < 0.61 && bmax > 1.39 && cmin < 0.21 && cmax > 0.49);
    assert_true(hmin < -0.098 && hmax > 0.098);
    assert_true(fabs(bsum / n - 1.0) < 0.02); /* sd 0.23, se 0.004 */
    /* six orders, 5 degrees of freedom: 20.5 is the 0.999 quantile */
    double x = 0;
    for (int i = 0; i < 6; i++)
        x += (orders[i] - n / 6.0) * (orders[i] - n / 6.0) / (n / 6.0);
    if (x > 20.5)
        fail_msg("orders far from uniform: chi-square %.1f", x);
    aug_chain_free(c);
    /* LO:HI is the range itself: 1.3:1.3 is exactly 1.3 */
    c = chain("color --brightness 1.3:1.3");
    aug_plan *p = plan_of(c, 20, 20, 0);
    assert_true(factor(aug_plan_text(p), "brightness") == 1.3);
    aug_plan_free(p);
    aug_chain_free(c);
}

/* The image through a chain. */
static void apply(const char *text, const aug_image *src, aug_image *out, uint64_t k)
{
    aug_chain *c = chain(text);
    aug_plan *p;
    aug_error err;
    aug_geom g = {src->width, src->height, src->channels};
    ok(aug_chain_draw(c, 7, "x.png", k, &g, &p, &err), &err);
    ok(aug_plan_apply(p, src, out, &err), &err);
    aug_geom after;
    aug_plan_geometry(p, &after);
    assert_int_equal(after.width, out->width);
    assert_int_equal(after.height, out->height);
    assert_int_equal(after.channels, out->channels);
    aug_plan_free(p);
    aug_chain_free(c);
}

static void test_identities(void **state)
{
    (void)state;
    aug_image src, out;
    random_image(&src, 18, 13, 4, 1);
    static const char *const same[] = {
        "resize --size 18x13 --interp lanczos", "resize --scale 1", "color --brightness 1:1",
        "sharpness --factor 1", "gamma --gamma 1", "posterize --bits 8", "solarize --threshold 256",
        "invert | invert", "crop --size 18x13 --position random", "pad --pad 0",
        "affine --degrees 0:0", "rotate90 --angles 0", "rotate90 --angles 90 | rotate90 --angles 270",
        "randaugment --ops 0", "blur --type box --kernel 1", "blur --type median --kernel 1"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        apply(same[i], &src, &out, i);
        if (out.width != 18 || out.height != 13 ||
            memcmp(out.data, src.data, aug_image_size(&src)) != 0)
            fail_msg("'%s' is not the identity", same[i]);
        aug_image_free(&out);
    }
    /* crop then pad: the original inside the window */
    apply("crop --size 10x7 --position 3,2 | pad --pad 3,2,5,4", &src, &out, 0);
    assert_int_equal(out.width, 18);
    for (int y = 0; y < 13; y++)
        for (int x = 0; x < 18; x++) {
            int in = x >= 3 && x < 13 && y >= 2 && y < 9;
            for (int c = 0; c < 4; c++)
                assert_int_equal(pixel_at(&out, x, y)[c], in ? pixel_at(&src, x, y)[c] : 0);
        }
    aug_image_free(&out);
    /* a padded centre crop: CenterCrop's split of the margin */
    apply("crop --size 21x13 --pad-if-needed", &src, &out, 0);
    assert_int_equal(pixel_at(&out, 0, 5)[0], 0);
    assert_memory_equal(pixel_at(&out, 1, 5), pixel_at(&src, 0, 5), 4);
    aug_image_free(&out);
    /* sizes and channels follow the geometry */
    apply("resize --short-side 26", &src, &out, 0); /* int(26 * 18 / 13) = 36 */
    assert_int_equal(out.width, 36);
    assert_int_equal(out.height, 26);
    aug_image_free(&out);
    apply("resize --long-side 9", &src, &out, 0); /* int(9 * 13 / 18) = 6 */
    assert_int_equal(out.width, 9);
    assert_int_equal(out.height, 6);
    aug_image_free(&out);
    apply("rotate90 --angles 90 | grayscale", &src, &out, 0);
    assert_int_equal(out.width, 13);
    assert_int_equal(out.channels, 2);
    aug_image_free(&out);
    apply("pad --to 20x20 --border reflect", &src, &out, 0);
    assert_int_equal(out.width, 20);
    assert_memory_equal(pixel_at(&out, 1, 3), pixel_at(&src, 0, 0), 4);
    assert_memory_equal(pixel_at(&out, 0, 3), pixel_at(&src, 0, 0), 4);
    aug_image_free(&out);
    aug_image_free(&src);
}

/* Bad values are refused by name with their range. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"crop", "--size"},
        {"crop --size 0x4", "--size: '0x4' is not WxH or S with sides 1.."},
        {"crop --size 4 --border wrap", "--pad-if-needed"},
        {"resize --size 4 --scale 2", "exactly one of"},
        {"resize --scale 0", "--scale: '0' is not a number in [1e-06"},
        {"random-resized-crop --scale 0.5", "--size"},
        {"random-resized-crop --size 8 --scale 0:1", "--scale: '0:1' is not V or LO:HI with 0 <"},
        {"pad", "exactly one of --pad"},
        {"pad --pad 1,2,3", "--pad: '1,2,3' is not N, H,V or L,T,R,B"},
        {"affine", "at least one of"},
        {"affine --shear 95", "--shear"},
        {"affine --translate 1.5,0", "--translate: '1.5,0' is not FX,FY (fractions 0..1)"},
        {"perspective --distortion 2", "--distortion: '2' is not a number in [0, 1]"},
        {"rotate90 --angles 45", "--angles: '45' is not a list of distinct angles"},
        {"color", "at least one of --brightness"},
        {"color --hue 0.7", "--hue: '0.7' is not V (0 <= V <= 0.5, meaning -V:V)"},
        {"color --brightness -1", "--brightness: '-1' is not V"},
        {"posterize --bits 9", "--bits: '9' is not V or LO:HI with 0 <= LO <= HI <= 8"},
        {"posterize --bits 2.5", "--bits: whole numbers 0..8"},
        {"solarize --threshold 300", "--threshold"},
        {"sharpness", "--factor"},
        {"gamma --gamma -1", "--gamma"},
        {"blur --kernel 4 --type box", "--kernel: odd whole numbers"},
        {"blur --type box --sigma 2", "--sigma applies to --type gaussian only"},
        {"blur --length 5", "--length and --angle apply to --type motion only"},
        {"randaugment --magnitude 31", "--magnitude 31: must be below --bins (31), 0..30"},
        {"randaugment --ops 40", "--ops: '40' is not an integer in 0..32"},
        {"autoaugment --policy x", "--policy: 'x' is not one of imagenet, cifar10, svhn"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        aug_chain *c;
        aug_error err;
        if (aug_chain_parse(bad[i].text, NULL, &c, &err) != AUG_ERR_ARG)
            fail_msg("'%s' was accepted", bad[i].text);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].text, err.msg, bad[i].msg);
    }
    /* a window larger than the image fails that image's draw, by name */
    aug_chain *c = chain("crop --size 30x5");
    aug_plan *p;
    aug_error err;
    aug_geom g = {20, 20, 3};
    assert_int_equal(aug_chain_draw(c, 1, "a", 0, &g, &p, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "the 30x5 window is larger than the 20x20 image"));
    aug_chain_free(c);
    c = chain("resize --scale 10000");
    g = (aug_geom){5000, 5000, 3};
    assert_int_equal(aug_chain_draw(c, 1, "a", 0, &g, &p, &err), AUG_ERR_LIMIT);
    aug_chain_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rrc_distributions),
        cmocka_unit_test(test_rrc_fallback),
        cmocka_unit_test(test_colorjitter_ranges),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
