/* The policies (RandAugment, TrivialAugmentWide, AutoAugment): their
 * magnitude tables against torchvision's formulas worked out here, each
 * sub-operation at a fixed magnitude against the kernel it stands for
 * with torchvision's argument (or a direct formula), and the draws:
 * operations, bins and sub-policies uniform (chi-square), signs fair. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/augment.h"
#include "ops/policy.h"
#include "testutil.h"

static void ok(aug_status st, const aug_error *err)
{
    if (st != AUG_OK)
        fail_msg("failed: %s", err->msg);
}

static void near(double got, double want, double tol)
{
    if (fabs(got - want) > tol)
        fail_msg("got %.9g, want %.9g", got, want);
}

static void test_tables(void **state)
{
    (void)state;
    /* RandAugment, 31 bins: linspace(0, max, 31)[i] = max * i / 30 */
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_SHEAR_X, 30, 31, 1, 1), 0.3, 1e-7);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_SHEAR_Y, 9, 31, 1, 1), 0.09, 1e-7);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_TRANSLATE_X, 30, 31, 331, 10), 150, 1e-4);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_TRANSLATE_X, 9, 31, 331, 10), 45, 1e-4);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_TRANSLATE_Y, 30, 31, 10, 662), 300, 1e-4);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_ROTATE, 9, 31, 1, 1), 9, 1e-5);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_BRIGHTNESS, 9, 31, 1, 1), 0.27, 1e-7);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_SOLARIZE, 9, 31, 1, 1), 178.5, 1e-4);
    near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_SOLARIZE, 30, 31, 1, 1), 0, 1e-4);
    /* posterize: 8 - round(i / 7.5): 8 at 0..3, 7 at 4..11, ..., 4 at 27..30 */
    static const int bits[31] = {8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6,
                                 6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4};
    for (int i = 0; i < 31; i++)
        near(aug_policy_magnitude(AUG_SPACE_RAND, AUG_POL_POSTERIZE, i, 31, 1, 1), bits[i], 0);
    /* TrivialAugmentWide's wide ranges */
    near(aug_policy_magnitude(AUG_SPACE_WIDE, AUG_POL_SHEAR_X, 30, 31, 1, 1), 0.99, 1e-7);
    near(aug_policy_magnitude(AUG_SPACE_WIDE, AUG_POL_TRANSLATE_Y, 30, 31, 999, 999), 32, 1e-5);
    near(aug_policy_magnitude(AUG_SPACE_WIDE, AUG_POL_ROTATE, 30, 31, 1, 1), 135, 1e-4);
    near(aug_policy_magnitude(AUG_SPACE_WIDE, AUG_POL_SHARPNESS, 10, 31, 1, 1), 0.33, 1e-7);
    near(aug_policy_magnitude(AUG_SPACE_WIDE, AUG_POL_POSTERIZE, 30, 31, 1, 1), 2, 0);
    near(aug_policy_magnitude(AUG_SPACE_WIDE, AUG_POL_POSTERIZE, 15, 31, 1, 1), 5, 0);
    /* AutoAugment: 10 bins */
    near(aug_policy_magnitude(AUG_SPACE_AUTO, AUG_POL_ROTATE, 9, 10, 1, 1), 30, 1e-5);
    near(aug_policy_magnitude(AUG_SPACE_AUTO, AUG_POL_SOLARIZE, 5, 10, 1, 1), 255 - 5 * 255 / 9.0,
         1e-4);
    near(aug_policy_magnitude(AUG_SPACE_AUTO, AUG_POL_POSTERIZE, 8, 10, 1, 1), 4, 0);
    /* which ops have magnitudes and signs */
    int sgn;
    assert_true(aug_policy_has_magnitude(AUG_SPACE_RAND, AUG_POL_ROTATE, &sgn) && sgn);
    assert_true(aug_policy_has_magnitude(AUG_SPACE_RAND, AUG_POL_SOLARIZE, &sgn) && !sgn);
    assert_false(aug_policy_has_magnitude(AUG_SPACE_RAND, AUG_POL_EQUALIZE, &sgn));
    const aug_policy_op *ops;
    assert_int_equal(aug_policy_space_ops(AUG_SPACE_RAND, &ops), 14);
    assert_int_equal(ops[0], AUG_POL_IDENTITY);
    assert_int_equal(aug_policy_space_ops(AUG_SPACE_AUTO, &ops), 14);
    assert_int_equal(ops[13], AUG_POL_INVERT);
}

static void one(aug_policy_op op, double m, const aug_image *src, aug_image *dst)
{
    aug_error err;
    static const uint8_t zero[4] = {0, 0, 0, 0};
    ok(aug_policy_apply_one(op, m, AUG_INTERP_NEAREST, zero, src, dst, &err), &err);
}

/* Each photometric sub-op at RandAugment's bin 9 is the kernel with
 * torchvision's argument (1 + m for the enhancements). */
static void test_photometric_ops(void **state)
{
    (void)state;
    aug_error err;
    aug_image src, got, want;
    random_image(&src, 23, 17, 3, 1);
    for (int op = AUG_POL_IDENTITY; op < AUG_POL_NOPS; op++) {
        if (op >= AUG_POL_SHEAR_X && op <= AUG_POL_ROTATE)
            continue;
        double m = aug_policy_magnitude(AUG_SPACE_RAND, (aug_policy_op)op, 9, 31, 23, 17);
        if (op >= AUG_POL_BRIGHTNESS && op <= AUG_POL_SHARPNESS)
            m = -m; /* a negated draw */
        one((aug_policy_op)op, m, &src, &got);
        want = copy_image(&src);
        switch (op) {
        case AUG_POL_BRIGHTNESS: ok(aug_brightness(&want, 1.0 - (double)0.27f, &err), &err); break;
        case AUG_POL_COLOR: ok(aug_saturation(&want, 1.0 - (double)0.27f, &err), &err); break;
        case AUG_POL_CONTRAST: ok(aug_contrast(&want, 1.0 - (double)0.27f, &err), &err); break;
        case AUG_POL_SHARPNESS: ok(aug_sharpness(&want, 1.0 - (double)0.27f, &err), &err); break;
        case AUG_POL_POSTERIZE: ok(aug_posterize(&want, 7, &err), &err); break;
        case AUG_POL_SOLARIZE: ok(aug_solarize(&want, 178.5, &err), &err); break;
        case AUG_POL_AUTOCONTRAST: ok(aug_autocontrast(&want, &err), &err); break;
        case AUG_POL_EQUALIZE: ok(aug_equalize(&want, &err), &err); break;
        case AUG_POL_INVERT: ok(aug_invert(&want, &err), &err); break;
        default: break; /* Identity */
        }
        if (memcmp(got.data, want.data, aug_image_size(&src)) != 0)
            fail_msg("%s differs from its kernel", aug_policy_op_names[op]);
        aug_image_free(&got);
        aug_image_free(&want);
    }
    aug_image_free(&src);
}

/* The geometric ones against direct formulas: PIL's nearest sampling
 * reads the pixel under the mapped pixel centre, fill 0 outside. */
static void test_geometric_ops(void **state)
{
    (void)state;
    aug_error err;
    aug_image src, got, want;
    random_image(&src, 30, 30, 3, 2);
    /* TranslateX 45.6 -> int 45 pixels to the right */
    one(AUG_POL_TRANSLATE_X, 45.6, &src, &got);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 30; x++)
            for (int c = 0; c < 3; c++)
                assert_int_equal(pixel_at(&got, x, y)[c], 0);
    aug_image_free(&got);
    one(AUG_POL_TRANSLATE_X, 7.9, &src, &got);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 30; x++)
            assert_int_equal(pixel_at(&got, x, y)[1], x >= 7 ? pixel_at(&src, x - 7, y)[1] : 0);
    aug_image_free(&got);
    /* TranslateY -10.7 -> int -10: up by ten */
    one(AUG_POL_TRANSLATE_Y, -10.7, &src, &got);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 30; x++)
            assert_int_equal(pixel_at(&got, x, y)[2], y < 20 ? pixel_at(&src, x, y + 10)[2] : 0);
    aug_image_free(&got);
    /* ShearX 0.25 about the top-left corner: the centre of output pixel
     * (x, y) reads the input at x + 0.5 + 0.25 (y + 0.5) */
    one(AUG_POL_SHEAR_X, 0.25, &src, &got);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 30; x++) {
            int sx = (int)floor(x + 0.5 + 0.25 * (y + 0.5));
            assert_int_equal(pixel_at(&got, x, y)[0], sx < 30 ? pixel_at(&src, sx, y)[0] : 0);
        }
    aug_image_free(&got);
    one(AUG_POL_SHEAR_Y, -0.25, &src, &got);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 30; x++) {
            int sy = (int)floor(y + 0.5 - 0.25 * (x + 0.5));
            assert_int_equal(pixel_at(&got, x, y)[0], sy >= 0 ? pixel_at(&src, x, sy)[0] : 0);
        }
    aug_image_free(&got);
    /* Rotate by a quarter turn of a square image: rotate's exact turn */
    aug_rotate_params rp;
    aug_rotate_params_default(&rp);
    for (int a = -90; a <= 180; a += 90) {
        rp.angle = a;
        one(AUG_POL_ROTATE, a, &src, &got);
        ok(aug_rotate(&src, &want, &rp, &err), &err);
        assert_memory_equal(got.data, want.data, aug_image_size(&src));
        aug_image_free(&got);
        aug_image_free(&want);
    }
    aug_image_free(&src);
}

/* An op's config from its flags, and one draw's parameters. */
static void *config(const char *name, const char *flags)
{
    const aug_op *op = aug_op_find(name);
    assert_non_null(op);
    void *cfg = calloc(1, op->cfg_size ? op->cfg_size : 1);
    if (op->init)
        op->init(cfg);
    char buf[256], *argv[16];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", flags);
    for (char *t = strtok(buf, " "); t && argc < 16; t = strtok(NULL, " "))
        argv[argc++] = t;
    aug_optset set = {op->options, cfg, 0, 0};
    aug_error err;
    ok(aug_opt_parse(&set, 1, argc, argv, NULL, &err), &err);
    if (op->check)
        ok(op->check(cfg, set.given, &err), &err);
    return cfg;
}

static void draw(const char *name, const void *cfg, aug_rng *rng, aug_policy_params *p)
{
    aug_error err;
    aug_geom g = {331, 200, 3};
    ok(aug_op_find(name)->draw(cfg, rng, &g, p, &err), &err);
}

/* sum (observed - expected)^2 / expected */
static double chi2(const int *counts, int k, double expected)
{
    double s = 0;
    for (int i = 0; i < k; i++)
        s += (counts[i] - expected) * (counts[i] - expected) / expected;
    return s;
}

static void test_randaugment_draws(void **state)
{
    (void)state;
    void *cfg = config("randaugment", "--ops 1 --magnitude 9");
    aug_rng rng;
    aug_rng_seed(&rng, 1);
    int counts[AUG_POL_NOPS] = {0}, signed_n = 0, negative = 0;
    const int n = 14000;
    for (int i = 0; i < n; i++) {
        aug_policy_params p;
        draw("randaugment", cfg, &rng, &p);
        assert_int_equal(p.n, 1);
        int op = p.steps[0].op, sgn;
        counts[op]++;
        double m = p.steps[0].magnitude;
        if (aug_policy_has_magnitude(AUG_SPACE_RAND, (aug_policy_op)op, &sgn)) {
            near(fabs(m), aug_policy_magnitude(AUG_SPACE_RAND, (aug_policy_op)op, 9, 31, 331, 200),
                 0);
            if (sgn) {
                signed_n++;
                negative += m < 0;
            }
        } else {
            near(m, 0, 0);
        }
    }
    assert_int_equal(counts[AUG_POL_INVERT], 0); /* not in RandAugment's list */
    /* 14 ops, 13 degrees of freedom: 34.5 is the 0.999 quantile */
    double x = chi2(counts, 14, n / 14.0);
    if (x > 34.5)
        fail_msg("operation counts far from uniform: chi-square %.1f", x);
    /* signs: 9 signed ops, about 9000 draws, sd of the share 0.005 */
    near((double)negative / signed_n, 0.5, 0.03);
    free(cfg);
    /* --ops N: N steps */
    cfg = config("randaugment", "--ops 5 --magnitude 30");
    aug_policy_params p;
    draw("randaugment", cfg, &rng, &p);
    assert_int_equal(p.n, 5);
    free(cfg);
}

static void test_trivialaugment_draws(void **state)
{
    (void)state;
    void *cfg = config("trivialaugment", "");
    aug_rng rng;
    aug_rng_seed(&rng, 2);
    int ops[AUG_POL_NOPS] = {0}, bins[31] = {0}, nbins = 0;
    const int n = 14000;
    for (int i = 0; i < n; i++) {
        aug_policy_params p;
        draw("trivialaugment", cfg, &rng, &p);
        assert_int_equal(p.n, 1);
        ops[p.steps[0].op]++;
        if (p.steps[0].op == AUG_POL_ROTATE) { /* bin = |m| / 4.5 degrees */
            double b = fabs(p.steps[0].magnitude) / 4.5;
            near(b, floor(b + 0.5), 1e-4);
            bins[(int)floor(b + 0.5)]++;
            nbins++;
        }
    }
    double x = chi2(ops, 14, n / 14.0);
    if (x > 34.5)
        fail_msg("operation counts far from uniform: chi-square %.1f", x);
    /* 31 bins, 30 degrees of freedom: 59.7 is the 0.999 quantile */
    x = chi2(bins, 31, nbins / 31.0);
    if (x > 59.7)
        fail_msg("magnitude bins far from uniform: chi-square %.1f", x);
    free(cfg);
}

static void test_autoaugment_draws(void **state)
{
    (void)state;
    void *cfg = config("autoaugment", "--policy imagenet");
    aug_rng rng;
    aug_rng_seed(&rng, 3);
    int policies[25] = {0}, two_eq = 0, applied = 0;
    const int n = 10000;
    for (int i = 0; i < n; i++) {
        aug_policy_params p;
        draw("autoaugment", cfg, &rng, &p);
        assert_true(p.policy >= 0 && p.policy < 25 && p.n <= 2);
        policies[p.policy]++;
        /* sub-policy 2 is (Equalize, 0.8), (Equalize, 0.6): 1.4 applied on
         * average; sub-policy 7 is (Posterize 0.8 at bin 5, Equalize 1.0) */
        if (p.policy == 2) {
            two_eq++;
            applied += p.n;
            for (int k = 0; k < p.n; k++)
                assert_int_equal(p.steps[k].op, AUG_POL_EQUALIZE);
        }
        if (p.policy == 7) {
            assert_int_equal(p.steps[p.n - 1].op, AUG_POL_EQUALIZE);
            if (p.n == 2) /* 8 - round(5 / 2.25) = 6 bits */
                near(p.steps[0].magnitude, 6, 0);
        }
    }
    /* 25 sub-policies, 24 degrees of freedom: 51.2 is the 0.999 quantile */
    double x = chi2(policies, 25, n / 25.0);
    if (x > 51.2)
        fail_msg("sub-policies far from uniform: chi-square %.1f", x);
    /* 400 draws of sub-policy 2: mean 1.4, sd 0.65 / 20 */
    near((double)applied / two_eq, 1.4, 0.12);
    free(cfg);
}

/* Through the op interface: describe names what apply does. */
static void test_plan_text(void **state)
{
    (void)state;
    aug_chain *chain;
    aug_plan *plan;
    aug_error err;
    aug_geom g = {40, 30, 3};
    ok(aug_chain_parse("randaugment --ops 3", NULL, &chain, &err), &err);
    ok(aug_chain_draw(chain, 5, "a.png", 0, &g, &plan, &err), &err);
    const char *t = aug_plan_text(plan);
    assert_true(strncmp(t, "randaugment(ops=", 16) == 0);
    int commas = 0;
    for (const char *q = t; *q; q++)
        commas += *q == ',';
    assert_int_equal(commas, 2);
    aug_image src, out;
    random_image(&src, 40, 30, 3, 4);
    ok(aug_plan_apply(plan, &src, &out, &err), &err);
    assert_int_equal(out.width, 40);
    aug_image_free(&out);
    aug_image_free(&src);
    aug_plan_free(plan);
    aug_chain_free(chain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_photometric_ops),
        cmocka_unit_test(test_geometric_ops),
        cmocka_unit_test(test_randaugment_draws),
        cmocka_unit_test(test_trivialaugment_draws),
        cmocka_unit_test(test_autoaugment_draws),
        cmocka_unit_test(test_plan_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
