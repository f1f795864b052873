/* Our exp/log/sin/cos/tan/pow against libm (glibc's are accurate to within
 * an ulp or so): the error, in units in the last place, over random
 * arguments on the ranges the kernels use, and the special values. The
 * point of them is determinism across C libraries (tests/portable/ checks
 * that); this checks they are also accurate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "augment/rng.h"
#include "core/dmath.h"

static double ulps(double got, double want)
{
    if (got == want)
        return 0;
    double u = nextafter(fabs(want), INFINITY) - fabs(want);
    if (want == 0)
        u = DBL_TRUE_MIN;
    return fabs(got - want) / u;
}

typedef double (*fn1)(double);

static double worst(fn1 ours, fn1 ref, double lo, double hi, int n, double *at)
{
    aug_rng rng;
    aug_rng_seed(&rng, 12345);
    double w = 0;
    for (int i = 0; i < n; i++) {
        double x = aug_rng_range(&rng, lo, hi);
        double e = ulps(ours(x), ref(x));
        if (e > w) {
            w = e;
            *at = x;
        }
    }
    return w;
}

static void check(const char *name, fn1 ours, fn1 ref, double lo, double hi, double max_ulps)
{
    double at = 0;
    double w = worst(ours, ref, lo, hi, 200000, &at);
    if (w > max_ulps)
        fail_msg("%s on [%g, %g]: %.2f ulps at %.17g (allowed %.1f)", name, lo, hi, w, at,
                 max_ulps);
}

static void test_exp_log(void **state)
{
    (void)state;
    check("exp", aug_exp, exp, -700, 700, 1.0);
    check("exp", aug_exp, exp, -1, 1, 1.0);
    check("exp", aug_exp, exp, -1e-8, 1e-8, 1.0);
    check("log", aug_log, log, 1e-300, 1e300, 1.0);
    check("log", aug_log, log, 0.5, 2, 1.0);
    check("log", aug_log, log, 0.999, 1.001, 1.0);
    check("log", aug_log, log, 1e-10, 1, 1.0);
    assert_true(aug_exp(0) == 1.0);
    assert_true(aug_log(1) == 0.0);
    assert_true(aug_exp(1000) == INFINITY);
    assert_true(aug_exp(-1000) == 0.0);
    assert_true(aug_exp(-INFINITY) == 0.0);
    assert_true(isnan(aug_exp(NAN)));
    assert_true(aug_log(0) == -INFINITY);
    assert_true(isnan(aug_log(-1)));
    assert_true(aug_log(INFINITY) == INFINITY);
    assert_true(ulps(aug_log(DBL_TRUE_MIN), log(DBL_TRUE_MIN)) <= 1);
    assert_true(ulps(aug_exp(-744), exp(-744)) <= 1); /* a subnormal result */
}

static void test_trig(void **state)
{
    (void)state;
    check("sin", aug_sin, sin, -7, 7, 1.0);
    check("cos", aug_cos, cos, -7, 7, 1.0);
    check("sin", aug_sin, sin, -1e5, 1e5, 3.0); /* a longer reduction */
    check("cos", aug_cos, cos, -1e5, 1e5, 3.0);
    check("tan", aug_tan, tan, -1.5, 1.5, 3.5); /* sin / cos: both errors */
    check("sin", aug_sin, sin, -1e-6, 1e-6, 1.0);
    /* the quarter turns the rotate kernel relies on elsewhere */
    assert_true(aug_sin(0) == 0.0);
    assert_true(aug_cos(0) == 1.0);
    assert_true(fabs(aug_cos(3.141592653589793 / 2)) < 1e-16);
    assert_true(isnan(aug_sin(INFINITY)));
}

static double pow_ref(double x, double y)
{
    return pow(x, y);
}

static void test_pow(void **state)
{
    (void)state;
    aug_rng rng;
    aug_rng_seed(&rng, 99);
    double w = 0;
    for (int i = 0; i < 200000; i++) {
        /* U^(1/a) of the gamma sampler, and gamma correction of 0..1 */
        double x = 1.0 - aug_rng_uniform(&rng), y = aug_rng_range(&rng, 0.001, 1000);
        double r = fabs(aug_pow(x, y) - pow_ref(x, y)) / fmax(pow_ref(x, y), DBL_MIN);
        if (pow_ref(x, y) > 1e-300 && r > w)
            w = r;
    }
    if (w > 2e-13)
        fail_msg("pow: relative error %g", w);
    assert_true(aug_pow(2, 10) == 1024.0);
    assert_true(aug_pow(-2, 3) == -8.0);
    assert_true(isnan(aug_pow(-2, 0.5)));
    assert_true(aug_pow(0, 2) == 0.0);
    assert_true(aug_pow(0, -1) == INFINITY);
    assert_true(aug_pow(5, 0) == 1.0);
    assert_true(aug_pow(1, NAN) == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_log),
        cmocka_unit_test(test_trig),
        cmocka_unit_test(test_pow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
