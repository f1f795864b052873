/* Table: class order (numeric, bytes, and the switch between them) checked
 * against hand-written lists and a strtod/strcmp reference written here;
 * rows keep their own labels through every renumbering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/table.h"
#include "core/table_rows.h"

static const char *const NAMES2[] = {"f0", "f1"};

static void make(aug_table *t)
{
    assert_int_equal(aug_table_init(t, 2, NAMES2, "y", NULL), AUG_OK);
}

static void add(aug_table *t, double a, const char *label)
{
    const double row[2] = {a, -a};
    aug_error err;
    assert_int_equal(aug_table_append(t, row, label, &err), AUG_OK);
}

/* Append labels[from..to) as rows from..to, row r with value r. */
static void add_rows(aug_table *t, const char *const *labels, size_t from, size_t to)
{
    for (size_t r = from; r < to; r++)
        add(t, (double)r, labels[r]);
}

static void expect_classes(const aug_table *t, const char *const *want, size_t n)
{
    assert_int_equal(t->nclasses, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(t->classes[i], want[i]);
}

/* Row r was appended with labels[r] and value r: nothing may drift. */
static void expect_rows(const aug_table *t, const char *const *labels, size_t n)
{
    assert_int_equal(t->rows, n);
    for (size_t r = 0; r < n; r++) {
        assert_true(t->label[r] < t->nclasses);
        assert_string_equal(t->classes[t->label[r]], labels[r]);
        assert_true(t->x[2 * r] == (double)r);
        assert_true(t->x[2 * r + 1] == -(double)r);
    }
}

/* A fresh table of the rows labels[0..n): its classes must be want[0..nw)
 * in that order, and every row must keep its label and values. */
static void expect_table(aug_table *t, const char *const *labels, size_t n,
                         const char *const *want, size_t nw)
{
    make(t);
    add_rows(t, labels, 0, n);
    expect_classes(t, want, nw);
    expect_rows(t, labels, n);
}

static void test_init(void **state)
{
    (void)state;
    aug_table t;
    make(&t);
    assert_int_equal(t.cols, 2);
    assert_int_equal(t.rows, 0);
    assert_int_equal(t.nclasses, 0);
    assert_string_equal(t.names[0], "f0");
    assert_string_equal(t.names[1], "f1");
    assert_string_equal(t.label_name, "y");
    assert_int_equal(t.label_pos, 2);
    assert_true(t.names[0] != NAMES2[0]); /* copied */
    assert_int_equal(aug_table_class_index(&t, "a"), (size_t)-1);
    aug_table_free(&t);
    assert_null(t.names);
    aug_table_free(&t); /* twice is harmless */

    aug_error err;
    assert_int_equal(aug_table_init(&t, 0, NAMES2, "y", &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "feature column"));
    aug_table_free(&t);
    assert_int_equal(aug_table_init(&t, 2, NULL, "y", &err), AUG_ERR_ARG);
    aug_table_free(&t);
    const char *const holes[] = {"a", NULL};
    assert_int_equal(aug_table_init(&t, 2, holes, "y", &err), AUG_ERR_ARG);
    aug_table_free(&t);
}

static void test_numeric_order(void **state)
{
    (void)state;
    aug_table t;
    const char *const labels[] = {"10", "9", "2", "9", "10", "2"};
    const char *const want[] = {"2", "9", "10"}; /* bytes would give 10, 2, 9 */
    expect_table(&t, labels, 6, want, 3);
    assert_int_equal(aug_table_class_index(&t, "10"), 2);
    assert_int_equal(aug_table_class_index(&t, "9"), 1);
    assert_int_equal(aug_table_class_index(&t, "3"), (size_t)-1);
    size_t counts[3];
    aug_table_class_counts(&t, counts);
    assert_int_equal(counts[0], 2);
    assert_int_equal(counts[1], 2);
    assert_int_equal(counts[2], 2);
    aug_table_free(&t);
}

static void test_numeric_forms(void **state)
{
    (void)state;
    aug_table t;
    /* Signs, fractions, exponents, leading zeros; "1", "1.0", "01" and
     * "1e0" are the same number, kept apart and ordered by bytes. */
    const char *const labels[] = {"-1.5", "0", "-10", "2e1", "3", "1", "1.0",
                                  "01", "1e0", "-0.25", "0.0012", "1.2e-3",
                                  "100", "99.999", "-0", ".5"};
    const char *const want[] = {"-10", "-1.5", "-0.25", "-0", "0", "0.0012",
                                "1.2e-3", ".5", "01", "1", "1.0", "1e0", "3",
                                "2e1", "99.999", "100"};
    size_t n = sizeof labels / sizeof *labels;
    expect_table(&t, labels, n, want, n);
    aug_table_free(&t);
}

static void test_byte_order(void **state)
{
    (void)state;
    aug_table t;
    const char *const labels[] = {"b", "a", "C", "a", "ab", "B"};
    const char *const want[] = {"B", "C", "a", "ab", "b"};
    expect_table(&t, labels, 6, want, 5);
    assert_int_equal(aug_table_class_index(&t, "ab"), 3);
    assert_int_equal(aug_table_class_index(&t, "A"), (size_t)-1);
    aug_table_free(&t);
}

/* The first non-number switches the whole list to byte order. */
static void test_switch_to_bytes(void **state)
{
    (void)state;
    aug_table t;
    make(&t);
    const char *const labels[] = {"10", "9", "2", "x", "9", "100", "1e5", "-3"};
    add_rows(&t, labels, 0, 3);
    const char *const numeric[] = {"2", "9", "10"};
    expect_classes(&t, numeric, 3);
    add_rows(&t, labels, 3, 8);
    const char *const bytes[] = {"-3", "10", "100", "1e5", "2", "9", "x"};
    expect_classes(&t, bytes, 7);
    expect_rows(&t, labels, 8);
    size_t counts[7];
    aug_table_class_counts(&t, counts);
    const size_t want_counts[] = {1, 1, 1, 1, 1, 2, 1};
    for (size_t k = 0; k < 7; k++)
        assert_int_equal(counts[k], want_counts[k]);
    aug_table_free(&t);

    /* A non-number first, then numbers: byte order all along. */
    const char *const mixed[] = {"n/a", "10", "9"};
    const char *const mixed_want[] = {"10", "9", "n/a"};
    expect_table(&t, mixed, 3, mixed_want, 3);
    aug_table_free(&t);
}

/* Text that looks almost numeric is not a number. */
static void test_not_numbers(void **state)
{
    (void)state;
    const char *const odd[] = {"1e", "nan", "inf", "0x10", "1,5", "", ".", "+", "1 2"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        aug_table t;
        make(&t);
        add(&t, 0, "10");
        add(&t, 1, "9");
        add(&t, 2, odd[i]);
        /* Byte order now: "10" < "9", and odd[i] wherever strcmp puts it. */
        size_t i10 = aug_table_class_index(&t, "10");
        size_t i9 = aug_table_class_index(&t, "9");
        assert_true(i10 < i9);
        for (size_t k = 1; k < t.nclasses; k++)
            assert_true(strcmp(t.classes[k - 1], t.classes[k]) < 0);
        aug_table_free(&t);
    }
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Many numeric classes in random order, checked against strtod. */
static void test_many_numeric(void **state)
{
    (void)state;
    aug_table t;
    make(&t);
    enum { N = 3000 };
    char (*labels)[24] = malloc(N * sizeof *labels);
    const char **ptr = malloc(N * sizeof *ptr);
    assert_non_null(labels);
    assert_non_null(ptr);
    uint64_t s = 42;
    for (size_t r = 0; r < N; r++) {
        long v = (long)(lcg(&s) % 2001) - 1000;
        if (lcg(&s) % 2)
            snprintf(labels[r], sizeof labels[r], "%ld", v);
        else
            snprintf(labels[r], sizeof labels[r], "%ld.%02u", v / 10, (unsigned)(lcg(&s) % 100));
        ptr[r] = labels[r];
        add(&t, (double)r, labels[r]);
    }
    expect_rows(&t, ptr, N);
    for (size_t k = 1; k < t.nclasses; k++) {
        double a = strtod(t.classes[k - 1], NULL), b = strtod(t.classes[k], NULL);
        assert_true(a < b || (a == b && strcmp(t.classes[k - 1], t.classes[k]) < 0));
    }
    size_t *counts = malloc(t.nclasses * sizeof *counts);
    assert_non_null(counts);
    aug_table_class_counts(&t, counts);
    size_t total = 0;
    for (size_t k = 0; k < t.nclasses; k++) {
        size_t n = 0;
        for (size_t r = 0; r < N; r++)
            n += strcmp(labels[r], t.classes[k]) == 0;
        assert_int_equal(counts[k], n);
        total += counts[k];
    }
    assert_int_equal(total, N);
    free(counts);
    free(labels);
    free(ptr);
    aug_table_free(&t);
}

/* Batches (the loader's path) give every row its own label and keep the
 * order rule, across batches and across the switch to byte order. */
static void test_append_rows(void **state)
{
    (void)state;
    enum { N = 6000 };
    static const char *const pool[] = {"7", "-2", "10", "0.5", "3e2", "11", "x", "Y", "-"};
    const char **labels = malloc(N * sizeof *labels);
    double *x = malloc(2 * N * sizeof *x);
    assert_non_null(labels);
    assert_non_null(x);
    uint64_t s = 9;
    for (size_t r = 0; r < N; r++) {
        /* Only numbers in the first half, then anything. */
        labels[r] = pool[lcg(&s) % (r < N / 2 ? 6 : 9)];
        x[2 * r] = (double)r;
        x[2 * r + 1] = -(double)r;
    }
    aug_table t;
    make(&t);
    size_t done = 0;
    while (done < N) {
        size_t n = lcg(&s) % 700;
        if (n > N - done)
            n = N - done;
        assert_int_equal(aug_table_append_rows(&t, x + 2 * done, labels + done, n, NULL),
                         AUG_OK);
        done += n;
        /* The order rule holds after every batch. */
        int numeric = 1;
        for (size_t k = 0; k < t.nclasses; k++) {
            char *end;
            strtod(t.classes[k], &end);
            numeric &= *end == '\0' && end != t.classes[k];
        }
        for (size_t k = 1; k < t.nclasses; k++) {
            const char *a = t.classes[k - 1], *b = t.classes[k];
            if (numeric)
                assert_true(strtod(a, NULL) < strtod(b, NULL));
            else
                assert_true(strcmp(a, b) < 0);
        }
        if (done <= N / 2)
            assert_true(numeric);
    }
    expect_rows(&t, labels, N);
    const char *const want[] = {"-", "-2", "0.5", "10", "11", "3e2", "7", "Y", "x"};
    expect_classes(&t, want, 9);
    assert_int_equal(aug_table_append_rows(&t, x, labels, 0, NULL), AUG_OK);
    assert_int_equal(t.rows, N);
    const char *const holes[] = {"7", NULL};
    assert_int_equal(aug_table_append_rows(&t, x, holes, 2, NULL), AUG_ERR_ARG);
    assert_int_equal(t.rows, N);
    aug_table_free(&t);
    free(labels);
    free(x);
}

static void test_append_errors(void **state)
{
    (void)state;
    aug_table t;
    make(&t);
    aug_error err;
    const double row[2] = {1, 2};
    assert_int_equal(aug_table_append(&t, NULL, "a", &err), AUG_ERR_ARG);
    assert_int_equal(aug_table_append(&t, row, NULL, &err), AUG_ERR_ARG);
    assert_int_equal(t.rows, 0);
    assert_int_equal(t.nclasses, 0);
    aug_table_free(&t);
    assert_int_equal(aug_table_append(&t, row, "a", &err), AUG_ERR_ARG); /* freed */
}

static void test_categories(void **state)
{
    (void)state;
    aug_table t, u;
    aug_error err;
    const char *const names[] = {"n", "c"};
    assert_int_equal(aug_table_init(&t, 2, names, "y", &err), AUG_OK);
    assert_int_equal(aug_table_set_categorical(&t, 2, &err), AUG_ERR_ARG);
    assert_int_equal(aug_table_set_categorical(&t, 1, &err), AUG_OK);
    assert_true(aug_table_is_categorical(&t, 1) && !aug_table_is_categorical(&t, 0));
    assert_int_equal(aug_table_ncategorical(&t), 1);
    /* numbers by arrival, the same text the same number; 40 of them so the
     * lookup grows past its first size */
    uint32_t code;
    char text[16];
    for (int i = 0; i < 40; i++) {
        int v = (i * 7) % 40;
        snprintf(text, sizeof text, "v%02d", v);
        assert_int_equal(aug_table_category(&t, 1, text, strlen(text), NULL, 0, &code, &err),
                         AUG_OK);
        assert_int_equal(code, (uint32_t)i);
        const double row[2] = {v, code};
        assert_int_equal(aug_table_append(&t, row, "a", &err), AUG_OK);
    }
    assert_int_equal(aug_table_category(&t, 1, "v07", 3, NULL, 0, &code, &err), AUG_OK);
    assert_int_equal(code, 1);
    assert_int_equal(t.cats[1].n, 40);
    /* the raw bytes are kept apart from the text */
    assert_int_equal(aug_table_category(&t, 1, "a,b", 3, "\"a,b\"", 5, &code, &err), AUG_OK);
    assert_string_equal(t.cats[1].raw[code], "\"a,b\"");
    assert_string_equal(t.cats[1].text[code], "a,b");
    /* byte order: every row's code follows its text */
    assert_int_equal(aug_table_sort_categories(&t, &err), AUG_OK);
    for (size_t c = 1; c < t.cats[1].n; c++)
        assert_true(strcmp(t.cats[1].text[c - 1], t.cats[1].text[c]) < 0);
    assert_string_equal(t.cats[1].text[0], "a,b");
    for (size_t r = 0; r < t.rows; r++) {
        snprintf(text, sizeof text, "v%02d", (int)t.x[r * 2]);
        assert_string_equal(t.cats[1].text[(size_t)t.x[r * 2 + 1]], text);
    }
    assert_int_equal(aug_table_category(&t, 1, "v07", 3, NULL, 0, &code, &err), AUG_OK);
    assert_string_equal(t.cats[1].text[code], "v07");
    assert_int_equal(aug_table_category(&t, 0, "x", 1, NULL, 0, &code, &err), AUG_ERR_ARG);
    /* a table like it: the columns and categories, no rows */
    assert_int_equal(aug_table_init_like(&u, &t, &err), AUG_OK);
    assert_int_equal(u.rows, 0);
    assert_true(aug_table_is_categorical(&u, 1));
    assert_int_equal(u.cats[1].n, t.cats[1].n);
    assert_string_equal(u.cats[1].raw[0], "\"a,b\"");
    aug_table_free(&u);
    /* where rows came from: the row itself until said otherwise */
    assert_int_equal(aug_table_source(&t, 5), 5);
    assert_int_equal(aug_table_set_source(&t, 5, 99, &err), AUG_OK);
    assert_int_equal(aug_table_source(&t, 5), 99);
    assert_int_equal(aug_table_source(&t, 4), 4);
    assert_int_equal(aug_table_set_source(&t, 40, 1, &err), AUG_ERR_ARG);
    /* classes without rows */
    const char *const more[] = {"c", "a", "b", "c"};
    assert_int_equal(aug_table_add_classes(&t, more, 4, &err), AUG_OK);
    assert_int_equal(t.nclasses, 3);
    assert_string_equal(t.classes[1], "b");
    size_t counts[3];
    aug_table_class_counts(&t, counts);
    assert_int_equal(counts[0], 40);
    assert_int_equal(counts[1] + counts[2], 0);
    aug_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_numeric_order),
        cmocka_unit_test(test_numeric_forms),
        cmocka_unit_test(test_byte_order),
        cmocka_unit_test(test_switch_to_bytes),
        cmocka_unit_test(test_not_numbers),
        cmocka_unit_test(test_many_numeric),
        cmocka_unit_test(test_append_rows),
        cmocka_unit_test(test_append_errors),
        cmocka_unit_test(test_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
