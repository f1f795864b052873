/* SMOTE: strategy counts worked out by hand from imbalanced-learn's rules
 * (aug_sampling_strategy, fed the table's class counts); synthetic rows
 * checked against their recorded origins (same class, a true k-nearest
 * neighbour by a brute force written here, on the segment with the
 * recorded gap); seeds, class independence and the error messages. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/sampling.h"

/* Distances and interpolations must round the same in every build: no
 * fused multiply-add (GCC's -std=c11 already implies this). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

static const char *const NAMES[] = {"f0", "f1", "f2"};

static double lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1.0p-53;
}

static void make(aug_table *t, size_t cols)
{
    assert_int_equal(aug_table_init(t, cols, NAMES, "y", NULL), AUG_OK);
}

/* Rows with random features; labels[i] repeated counts[i] times, the
 * classes interleaved so that a class's rows are not contiguous. */
static void fill(aug_table *t, size_t cols, const char *const *labels,
                 const size_t *counts, size_t nlabels, uint64_t seed)
{
    make(t, cols);
    size_t left[8], total = 0;
    for (size_t i = 0; i < nlabels; i++)
        total += left[i] = counts[i];
    for (size_t c = 0; total > 0; c = (c + 1) % nlabels) {
        if (!left[c])
            continue;
        double row[3];
        for (size_t f = 0; f < cols; f++)
            row[f] = lcg(&seed) * 10.0 - 5.0;
        assert_int_equal(aug_table_append(t, row, labels[c], NULL), AUG_OK);
        left[c]--;
        total--;
    }
}

/* The 10-vs-4 table: class "a" 10 rows, class "b" 4 rows. */
static void make_10_4(aug_table *t)
{
    static const char *const labels[] = {"a", "b"};
    static const size_t counts[] = {10, 4};
    fill(t, 2, labels, counts, 2, 1);
}

/* imbalanced-learn's sampling_strategy on the table's own counts. */
static aug_status strategy(const aug_table *t, const char *spec, size_t *n_new, aug_error *err)
{
    size_t counts[8];
    assert_true(t->nclasses <= 8);
    aug_table_class_counts(t, counts);
    return aug_sampling_strategy(counts, (const char *const *)t->classes, t->nclasses, spec,
                                 AUG_STRATEGY_OVER, n_new, err);
}

/* Plain SMOTE with k neighbours. */
static aug_status smote_k(const aug_table *t, const size_t *n_new, size_t k, uint64_t seed,
                          aug_table *out, aug_origin *o, aug_error *err)
{
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTE);
    p.k = k;
    p.seed = seed;
    return aug_smote(t, n_new, &p, out, o, NULL, err);
}

static void expect_strategy(const aug_table *t, const char *spec, const size_t *want)
{
    size_t got[8];
    aug_error err;
    aug_status st = strategy(t, spec, got, &err);
    if (st)
        fail_msg("strategy '%s' failed: %s", spec, err.msg);
    for (size_t c = 0; c < t->nclasses; c++)
        if (got[c] != want[c])
            fail_msg("strategy '%s', class %zu: got %zu, want %zu", spec, c, got[c], want[c]);
}

/* The strategy fails and its message contains every given piece. */
static void expect_strategy_error(const aug_table *t, const char *spec, const char *a,
                                  const char *b)
{
    size_t got[8];
    aug_error err;
    assert_int_equal(strategy(t, spec, got, &err), AUG_ERR_ARG);
    if ((a && !strstr(err.msg, a)) || (b && !strstr(err.msg, b)))
        fail_msg("strategy '%s': message '%s' lacks '%s' / '%s'", spec, err.msg, a,
                 b ? b : "");
}

static void test_strategy_binary(void **state)
{
    (void)state;
    aug_table t;
    make_10_4(&t);
    const size_t grow_b[2] = {0, 6}, none[2] = {0, 0};
    expect_strategy(&t, "auto", grow_b);
    expect_strategy(&t, "not-majority", grow_b);
    expect_strategy(&t, "not majority", grow_b);
    expect_strategy(&t, "minority", grow_b);
    expect_strategy(&t, "all", grow_b);
    expect_strategy(&t, " Auto ", grow_b);
    /* Binary: "not minority" leaves only the majority, which has 0 to add. */
    expect_strategy(&t, "not-minority", none);
    expect_strategy(&t, "not_minority", none);
    /* Ratio: int(10 * r - 4), truncated towards zero. */
    const size_t r05[2] = {0, 1}, r075[2] = {0, 3}, r1[2] = {0, 6};
    expect_strategy(&t, "0.5", r05);
    expect_strategy(&t, "0.75", r075);
    expect_strategy(&t, "1", r1);
    expect_strategy(&t, "0.35", none); /* int(-0.5) = 0: allowed */
    expect_strategy_error(&t, "0.3", "0.3", "'b'"); /* int(-1) < 0 */
    expect_strategy_error(&t, "0", "(0, 1]", NULL);
    expect_strategy_error(&t, "1.5", "(0, 1]", NULL);
    expect_strategy_error(&t, "-0.5", "(0, 1]", NULL);
    /* CLASS=COUNT: wanted totals. */
    const size_t b9[2] = {0, 5}, both12[2] = {2, 8};
    expect_strategy(&t, "b=9", b9);
    expect_strategy(&t, " b = 9 ", b9);
    expect_strategy(&t, "a=12,b=12", both12);
    expect_strategy(&t, "b=4", none);
    expect_strategy_error(&t, "b=3", "'b'", "4 rows");
    expect_strategy_error(&t, "c=5", "'c'", "'a', 'b'");
    expect_strategy_error(&t, "b=x", "'b'", "'x'");
    expect_strategy_error(&t, "b=-1", "'b'", NULL);
    expect_strategy_error(&t, "b=5,b=6", "twice", NULL);
    expect_strategy_error(&t, "b=5,", NULL, NULL);
    expect_strategy_error(&t, "=5", NULL, NULL);
    expect_strategy_error(&t, "bogus", "bogus", "minority");
    expect_strategy_error(&t, "", "auto", NULL);
    expect_strategy_error(&t, "0.5x", NULL, NULL);
    expect_strategy_error(&t, "nan", "nan", "auto");
    aug_table_free(&t);
}

static void test_strategy_wine_counts(void **state)
{
    (void)state;
    /* The wine data set: 59, 71 and 48 rows in classes 0, 1 and 2. */
    static const char *const labels[] = {"0", "1", "2"};
    static const size_t counts[] = {59, 71, 48};
    aug_table t;
    fill(&t, 1, labels, counts, 3, 2);
    const size_t autos[3] = {12, 0, 23};
    expect_strategy(&t, "auto", autos);
    expect_strategy(&t, "all", autos);
    const size_t minority[3] = {0, 0, 23}, not_minority[3] = {12, 0, 0};
    expect_strategy(&t, "minority", minority);
    expect_strategy(&t, "not-minority", not_minority);
    const size_t dict[3] = {21, 0, 2};
    expect_strategy(&t, "0=80,2=50", dict);
    expect_strategy_error(&t, "0.5", "2 classes", "3");
    expect_strategy_error(&t, "7=100", "'7'", "'0', '1', '2'");
    aug_table_free(&t);
}

static void test_strategy_ties(void **state)
{
    (void)state;
    /* Majority and minority are the FIRST class with the max / min count. */
    static const char *const labels[] = {"x", "y", "z"};
    aug_table t;
    static const size_t tie_max[] = {5, 5, 3};
    fill(&t, 1, labels, tie_max, 3, 3);
    const size_t grow_z[3] = {0, 0, 2};
    expect_strategy(&t, "auto", grow_z);
    aug_table_free(&t);
    static const size_t tie_min[] = {3, 5, 3};
    fill(&t, 1, labels, tie_min, 3, 4);
    const size_t first_min[3] = {2, 0, 0}, other_min[3] = {0, 0, 2};
    expect_strategy(&t, "minority", first_min);
    expect_strategy(&t, "not-minority", other_min);
    aug_table_free(&t);
    /* A binary tie: the first class is the majority, so a ratio that
     * would shrink the other one names the second. */
    static const size_t tie2[] = {6, 6};
    fill(&t, 1, labels, tie2, 2, 4);
    const size_t none[2] = {0, 0};
    expect_strategy(&t, "1", none);
    expect_strategy_error(&t, "0.5", "from class 'y'", "6 rows");
    aug_table_free(&t);
    /* One class: imbalanced-learn refuses. */
    static const size_t one[] = {6};
    fill(&t, 1, labels, one, 1, 5);
    expect_strategy_error(&t, "auto", "2 classes", "'x'");
    aug_table_free(&t);
}

/* Rank of row `nb` among the k nearest rows of class `cls` to row `base`
 * (brute force, ties by lower row index), or k when it is not among them. */
static size_t neighbour_rank(const aug_table *t, size_t base, size_t nb, size_t k)
{
    size_t cols = t->cols, closer = 0;
    const double *xb = t->x + base * cols;
    double dn = 0.0;
    for (size_t f = 0; f < cols; f++)
        dn += (xb[f] - t->x[nb * cols + f]) * (xb[f] - t->x[nb * cols + f]);
    for (size_t r = 0; r < t->rows; r++) {
        if (r == base || r == nb || t->label[r] != t->label[base])
            continue;
        double d = 0.0;
        for (size_t f = 0; f < cols; f++)
            d += (xb[f] - t->x[r * cols + f]) * (xb[f] - t->x[r * cols + f]);
        if (d < dn || (d == dn && r < nb))
            closer++;
    }
    return closer < k ? closer : k;
}

/* Every synthetic row of out (from row `first` on) against its origin. */
static void check_rows(const aug_table *t, const aug_table *out, size_t first,
                       const aug_origin *o, size_t n, size_t k, size_t *ranks)
{
    size_t cols = t->cols;
    for (size_t i = 0; i < n; i++) {
        const char *cls = out->classes[out->label[first + i]];
        assert_true(o[i].base < t->rows && o[i].partner < t->rows);
        assert_string_equal(t->classes[t->label[o[i].base]], cls);
        assert_string_equal(t->classes[t->label[o[i].partner]], cls);
        assert_true(o[i].base != o[i].partner);
        assert_true(o[i].gap >= 0.0 && o[i].gap < 1.0);
        const double *xb = t->x + o[i].base * cols, *xn = t->x + o[i].partner * cols;
        for (size_t f = 0; f < cols; f++)
            assert_true(out->x[(first + i) * cols + f] == xb[f] + o[i].gap * (xn[f] - xb[f]));
        size_t rank = neighbour_rank(t, o[i].base, o[i].partner, k);
        if (rank >= k)
            fail_msg("row %zu: neighbour %zu is not among the %zu nearest of %zu", i,
                     o[i].partner, k, o[i].base);
        if (ranks)
            ranks[rank]++;
    }
}

static void test_rows_come_from_neighbours(void **state)
{
    (void)state;
    aug_table t, out;
    make_10_4(&t);
    size_t n_new[2];
    assert_int_equal(strategy(&t, "auto", n_new, NULL), AUG_OK);
    make(&out, 2);
    aug_origin o[6];
    aug_error err;
    assert_int_equal(smote_k(&t, n_new, 3, 42, &out, o, &err), AUG_OK);
    assert_int_equal(out.rows, 6);
    assert_int_equal(out.nclasses, 1);
    assert_string_equal(out.classes[0], "b");
    check_rows(&t, &out, 0, o, 6, 3, NULL);
    aug_table_free(&out);
    aug_table_free(&t);
}

static void test_many_rows_statistics(void **state)
{
    (void)state;
    /* 2000 rows from a 40-row class, k = 5: besides the exact checks, the
     * gaps average 1/2 and each neighbour rank is picked about 1/5 of the
     * time (5 standard errors). */
    static const char *const labels[] = {"big", "small"};
    static const size_t counts[] = {2040, 40};
    aug_table t, out;
    fill(&t, 3, labels, counts, 2, 6);
    const size_t n_new[2] = {0, 2000};
    aug_origin *o = malloc(2000 * sizeof *o);
    assert_non_null(o);
    make(&out, 3);
    assert_int_equal(smote_k(&t, n_new, 5, 7, &out, o, NULL), AUG_OK);
    size_t ranks[6] = {0};
    check_rows(&t, &out, 0, o, 2000, 5, ranks);
    double mean = 0.0;
    for (size_t i = 0; i < 2000; i++)
        mean += o[i].gap / 2000.0;
    assert_true(fabs(mean - 0.5) < 5.0 * sqrt(1.0 / 12.0 / 2000.0));
    double sd = sqrt(2000.0 * 0.2 * 0.8);
    for (size_t r = 0; r < 5; r++)
        assert_true(fabs((double)ranks[r] - 400.0) < 5.0 * sd);
    aug_table_free(&out);
    aug_table_free(&t);
    free(o);
}

static void test_counts_reach_target(void **state)
{
    (void)state;
    /* out starts as a full copy of the input: afterwards every class has
     * exactly its target count, and the original rows are untouched. */
    static const char *const labels[] = {"0", "1", "2"};
    static const size_t counts[] = {59, 71, 48};
    aug_table t, out;
    fill(&t, 3, labels, counts, 3, 8);
    make(&out, 3);
    for (size_t r = 0; r < t.rows; r++)
        assert_int_equal(aug_table_append(&out, t.x + r * 3, t.classes[t.label[r]], NULL),
                         AUG_OK);
    size_t n_new[3];
    assert_int_equal(strategy(&t, "0=80,1=90,2=71", n_new, NULL), AUG_OK);
    aug_origin o[63];
    assert_int_equal(smote_k(&t, n_new, 5, 1, &out, o, NULL), AUG_OK);
    size_t after[3];
    aug_table_class_counts(&out, after);
    assert_int_equal(after[0], 80);
    assert_int_equal(after[1], 90);
    assert_int_equal(after[2], 71);
    assert_memory_equal(out.x, t.x, t.rows * 3 * sizeof *t.x);
    /* Class order: all of class 0's rows, then 1's, then 2's. */
    for (size_t i = 0; i < 63; i++)
        assert_int_equal(out.label[t.rows + i], i < 21 ? 0 : i < 40 ? 1 : 2);
    check_rows(&t, &out, t.rows, o, 63, 5, NULL);
    aug_table_free(&out);
    aug_table_free(&t);
}

static void test_output_may_be_the_input(void **state)
{
    (void)state;
    /* Appending to the input table itself (which moves its rows as it
     * grows) gives the same rows as appending to a separate table. */
    aug_table t, out;
    make_10_4(&t);
    size_t n_new[2];
    assert_int_equal(strategy(&t, "auto", n_new, NULL), AUG_OK);
    make(&out, 2);
    assert_int_equal(smote_k(&t, n_new, 3, 77, &out, NULL, NULL), AUG_OK);
    assert_int_equal(smote_k(&t, n_new, 3, 77, &t, NULL, NULL), AUG_OK);
    assert_int_equal(t.rows, 20);
    size_t after[2];
    aug_table_class_counts(&t, after);
    assert_int_equal(after[0], 10);
    assert_int_equal(after[1], 10);
    assert_memory_equal(t.x + 14 * 2, out.x, 6 * 2 * sizeof *out.x);
    aug_table_free(&out);
    aug_table_free(&t);
}

static void run(const aug_table *t, const size_t *n_new, uint64_t seed, aug_table *out,
                aug_origin *o)
{
    make(out, t->cols);
    assert_int_equal(smote_k(t, n_new, 3, seed, out, o, NULL), AUG_OK);
}

static void test_seeds_and_class_streams(void **state)
{
    (void)state;
    static const char *const labels[] = {"p", "q", "r"};
    static const size_t counts[] = {30, 20, 10};
    aug_table t, a, b, c, d;
    fill(&t, 2, labels, counts, 3, 9);
    const size_t n_new[3] = {0, 10, 20}, only_r[3] = {0, 0, 20};
    aug_origin oa[30], ob[30], oc[30], od[20];
    run(&t, n_new, 5, &a, oa);
    run(&t, n_new, 5, &b, ob);
    run(&t, n_new, 6, &c, oc);
    assert_int_equal(a.rows, 30);
    assert_memory_equal(a.x, b.x, 30 * 2 * sizeof *a.x);
    assert_memory_equal(oa, ob, sizeof oa);
    assert_int_equal(c.rows, 30);
    size_t same = 0;
    for (size_t i = 0; i < 30 * 2; i++)
        same += a.x[i] == c.x[i];
    assert_true(same < 10);
    /* Class r's rows do not depend on whether class q grows too. */
    run(&t, only_r, 5, &d, od);
    assert_int_equal(d.rows, 20);
    assert_memory_equal(d.x, a.x + 10 * 2, 20 * 2 * sizeof *d.x);
    assert_memory_equal(od, oa + 10, sizeof od);
    /* origins may be omitted: the rows are the same. */
    aug_table_free(&d);
    make(&d, 2);
    assert_int_equal(smote_k(&t, n_new, 3, 5, &d, NULL, NULL), AUG_OK);
    assert_memory_equal(d.x, a.x, 30 * 2 * sizeof *d.x);
    aug_table_free(&a);
    aug_table_free(&b);
    aug_table_free(&c);
    aug_table_free(&d);
    aug_table_free(&t);
}

static void test_documented_stream(void **state)
{
    (void)state;
    /* The stream is aug_rng_derive(seed, class, 0) and each row draws, in
     * order: the base (uniform over the class's rows, in row order), the
     * neighbour's rank (uniform over k) and the gap. Replay it here and
     * check every origin, with the rank found by brute force. */
    static const char *const labels[] = {"cat", "dog"};
    static const size_t counts[] = {25, 12};
    aug_table t, out;
    fill(&t, 3, labels, counts, 2, 12);
    const size_t n_new[2] = {0, 40};
    size_t k = 4, dog[12], m = 0;
    for (size_t r = 0; r < t.rows; r++)
        if (t.label[r] == 1)
            dog[m++] = r;
    assert_int_equal(m, 12);
    aug_origin o[40];
    make(&out, 3);
    assert_int_equal(smote_k(&t, n_new, k, 2024, &out, o, NULL), AUG_OK);
    aug_rng rng;
    aug_rng_derive(&rng, 2024, "dog", 0);
    for (size_t i = 0; i < 40; i++) {
        size_t base = (size_t)aug_rng_below(&rng, 12);
        size_t rank = (size_t)aug_rng_below(&rng, k);
        double gap = aug_rng_uniform(&rng);
        assert_int_equal(o[i].base, dog[base]);
        assert_true(o[i].gap == gap);
        assert_int_equal(neighbour_rank(&t, o[i].base, o[i].partner, k), rank);
    }
    aug_table_free(&out);
    aug_table_free(&t);
}

static void test_errors(void **state)
{
    (void)state;
    aug_table t, out;
    make_10_4(&t);
    make(&out, 2);
    const size_t n_new[2] = {3, 6};
    aug_error err;
    /* Class b has 4 rows: k = 4 is too many. Nothing is appended, not
     * even class a's rows, which could have been made. */
    assert_int_equal(smote_k(&t, n_new, 4, 1, &out, NULL, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "'b'"));
    assert_non_null(strstr(err.msg, "4 rows"));
    assert_non_null(strstr(err.msg, "k=4"));
    assert_int_equal(out.rows, 0);
    /* The same counts with k = 3 work; k = 0 does not. */
    assert_int_equal(smote_k(&t, n_new, 0, 1, &out, NULL, &err), AUG_ERR_ARG);
    assert_int_equal(smote_k(&t, n_new, 3, 1, &out, NULL, &err), AUG_OK);
    assert_int_equal(out.rows, 9);
    /* A class that is not asked to grow may be small. */
    const size_t only_a[2] = {5, 0};
    assert_int_equal(smote_k(&t, only_a, 8, 1, &out, NULL, &err), AUG_OK);
    aug_table_free(&out);
    /* Output with other columns. */
    make(&out, 3);
    assert_int_equal(smote_k(&t, n_new, 3, 1, &out, NULL, &err), AUG_ERR_ARG);
    aug_table_free(&out);
    aug_table_free(&t);

    /* A class of one row cannot be interpolated at all. */
    static const char *const labels[] = {"many", "lone"};
    static const size_t counts[] = {8, 1};
    fill(&t, 2, labels, counts, 2, 10);
    size_t grow[2];
    assert_int_equal(strategy(&t, "auto", grow, NULL), AUG_OK);
    make(&out, 2);
    assert_int_equal(smote_k(&t, grow, 1, 1, &out, NULL, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "'lone'"));
    assert_non_null(strstr(err.msg, "1 row"));
    assert_non_null(strstr(err.msg, "cannot"));
    aug_table_free(&out);
    aug_table_free(&t);
}

static void test_duplicate_rows(void **state)
{
    (void)state;
    /* A class of identical rows: every synthetic row is that row. */
    aug_table t, out;
    make(&t, 2);
    const double same[2] = {1.5, -2.0}, other[2] = {0.0, 0.0};
    for (int i = 0; i < 6; i++)
        assert_int_equal(aug_table_append(&t, same, "dup", NULL), AUG_OK);
    for (int i = 0; i < 9; i++)
        assert_int_equal(aug_table_append(&t, other, "zzz", NULL), AUG_OK);
    size_t n_new[2];
    assert_int_equal(strategy(&t, "auto", n_new, NULL), AUG_OK);
    assert_int_equal(n_new[0], 3);
    make(&out, 2);
    aug_origin o[3];
    assert_int_equal(smote_k(&t, n_new, 5, 3, &out, o, NULL), AUG_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_true(out.x[2 * i] == 1.5 && out.x[2 * i + 1] == -2.0);
        assert_true(o[i].base < 6 && o[i].partner < 6);
    }
    aug_table_free(&out);
    aug_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strategy_binary),
        cmocka_unit_test(test_strategy_wine_counts),
        cmocka_unit_test(test_strategy_ties),
        cmocka_unit_test(test_rows_come_from_neighbours),
        cmocka_unit_test(test_many_rows_statistics),
        cmocka_unit_test(test_counts_reach_target),
        cmocka_unit_test(test_output_may_be_the_input),
        cmocka_unit_test(test_seeds_and_class_streams),
        cmocka_unit_test(test_documented_stream),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_duplicate_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
