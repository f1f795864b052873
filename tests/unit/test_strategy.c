/* imbalanced-learn's sampling_strategy for undersampling and cleaning
 * (aug_sampling_strategy; over-sampling is in test_smote.c), each count
 * worked out by hand from check_sampling_strategy's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "augment/sampling.h"

static const char *const CLS[] = {"a", "b", "c"};

static void expect(const size_t *counts, size_t k, const char *spec, aug_strategy_kind kind,
                   const size_t *want)
{
    size_t got[3];
    aug_error err;
    if (aug_sampling_strategy(counts, CLS, k, spec, kind, got, &err))
        fail_msg("'%s': %s", spec, err.msg);
    for (size_t i = 0; i < k; i++)
        if (got[i] != want[i])
            fail_msg("'%s', class %zu: %zu, want %zu", spec, i, got[i], want[i]);
}

static void expect_error(const size_t *counts, size_t k, const char *spec,
                         aug_strategy_kind kind, const char *part)
{
    size_t got[3] = {7, 7, 7};
    aug_error err;
    assert_int_equal(aug_sampling_strategy(counts, CLS, k, spec, kind, got, &err), AUG_ERR_ARG);
    if (!strstr(err.msg, part))
        fail_msg("'%s': message '%s' lacks '%s'", spec, err.msg, part);
    /* a failed strategy changes nothing: every class as it is */
    for (size_t i = 0; i < k; i++)
        assert_int_equal(got[i], kind == AUG_STRATEGY_UNDER ? counts[i] : 0);
}

static void test_under(void **state)
{
    (void)state;
    const size_t c[3] = {50, 30, 20};
    /* auto = not minority: every class but the minority down to 20 */
    const size_t to20[3] = {20, 20, 20}, maj[3] = {20, 30, 20}, notmaj[3] = {50, 20, 20};
    expect(c, 3, "auto", AUG_STRATEGY_UNDER, to20);
    expect(c, 3, "not minority", AUG_STRATEGY_UNDER, to20);
    expect(c, 3, "all", AUG_STRATEGY_UNDER, to20);
    expect(c, 3, "majority", AUG_STRATEGY_UNDER, maj);
    expect(c, 3, "not-majority", AUG_STRATEGY_UNDER, notmaj);
    /* CLASS=COUNT: rows kept, the others untouched */
    const size_t dict[3] = {40, 30, 20};
    expect(c, 3, "a=40", AUG_STRATEGY_UNDER, dict);
    expect_error(c, 3, "a=60", AUG_STRATEGY_UNDER, "only removes rows");
    expect_error(c, 3, "minority", AUG_STRATEGY_UNDER, "makes no sense");
    expect_error(c, 3, "0.5", AUG_STRATEGY_UNDER, "2 classes");
    /* ratio, binary: the majority keeps int(n_minority / ratio) */
    const size_t b[2] = {100, 30};
    const size_t r05[2] = {60, 30}, r03[2] = {100, 30}, r1[2] = {30, 30};
    expect(b, 2, "0.5", AUG_STRATEGY_UNDER, r05);
    expect(b, 2, "1", AUG_STRATEGY_UNDER, r1);
    expect(b, 2, "0.3", AUG_STRATEGY_UNDER, r03); /* int(30 / 0.3) = 100: allowed */
    expect_error(b, 2, "0.25", AUG_STRATEGY_UNDER, "would add rows");
}

static void test_clean(void **state)
{
    (void)state;
    const size_t c[3] = {50, 30, 20};
    const size_t all[3] = {1, 1, 1}, notmin[3] = {1, 1, 0}, maj[3] = {1, 0, 0},
                 notmaj[3] = {0, 1, 1}, named[3] = {0, 1, 1};
    expect(c, 3, "all", AUG_STRATEGY_CLEAN, all);
    expect(c, 3, "auto", AUG_STRATEGY_CLEAN, notmin);
    expect(c, 3, "majority", AUG_STRATEGY_CLEAN, maj);
    expect(c, 3, "not majority", AUG_STRATEGY_CLEAN, notmaj);
    expect(c, 3, "b, c", AUG_STRATEGY_CLEAN, named);
    expect_error(c, 3, "0.5", AUG_STRATEGY_CLEAN, "no ratio");
    expect_error(c, 3, "d", AUG_STRATEGY_CLEAN, "'d'");
    expect_error(c, 3, "b,b", AUG_STRATEGY_CLEAN, "twice");
}

static void test_one_class_and_ties(void **state)
{
    (void)state;
    const size_t one[1] = {9};
    expect_error(one, 1, "auto", AUG_STRATEGY_UNDER, "2 classes");
    /* the first class of the smallest count is the minority */
    const size_t tie[3] = {20, 50, 20}, want[3] = {20, 20, 20}, notmin[3] = {0, 1, 1};
    expect(tie, 3, "auto", AUG_STRATEGY_UNDER, want);
    expect(tie, 3, "auto", AUG_STRATEGY_CLEAN, notmin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_under),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_one_class_and_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
