/* The augment binary on tables: every synthetic row is checked against
 * the rows its manifest names, with the neighbours found again here by
 * brute force, and every mixed row against lambda and its two sources. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_testutil.h"

static void load_table(const char *path, aug_table *t)
{
    aug_csv_options o;
    aug_error err;
    aug_csv_options_default(&o);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    if (aug_csv_load_table(t, fp, path, &o, &err))
        fail_msg("cannot load %s: %s", path, err.msg);
    fclose(fp);
}

static size_t to_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end)
        fail_msg("'%s' is not an index", s);
    return (size_t)v;
}

static double to_double(const char *s)
{
    double v;
    if (aug_csv_parse_double(s, &v))
        fail_msg("'%s' is not a number", s);
    return v;
}

static double dist2(const aug_table *t, size_t a, size_t b)
{
    double d = 0;
    for (size_t j = 0; j < t->cols; j++) {
        double e = t->x[a * t->cols + j] - t->x[b * t->cols + j];
        d += e * e;
    }
    return d;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Is nb among the k nearest rows of the same class as base (brute force;
 * a neighbour tied with the k-th distance counts)? */
static int among_k_nearest(const aug_table *t, size_t base, size_t nb, size_t k)
{
    double *d = malloc(t->rows * sizeof *d);
    assert_non_null(d);
    size_t n = 0;
    for (size_t i = 0; i < t->rows; i++)
        if (i != base && t->label[i] == t->label[base])
            d[n++] = dist2(t, base, i);
    assert_true(n >= k);
    qsort(d, n, sizeof *d, cmp_double);
    double kth = d[k - 1];
    free(d);
    return dist2(t, base, nb) <= kth * (1 + 1e-12);
}

static int close_rel(double got, double want, double scale)
{
    return fabs(got - want) <= 1e-9 * scale + 1e-300;
}

/* Check the synthetic rows of `out` (from first_out on) against `in` with
 * the manifest; returns how many rows the manifest lists. */
static size_t check_smote(const aug_table *in, const aug_table *out, size_t first_out,
                          const char *manifest, size_t k, size_t first_row)
{
    cli_csv m;
    assert_int_equal(cli_csv_read(manifest, &m), 0);
    assert_int_equal(m.cols, 5);
    CLI_ASSERT_HEADER(&m, "row", "base", "neighbor", "gap", "detail");
    size_t n = m.rows - 1;
    assert_int_equal(out->rows, first_out + n);
    for (size_t i = 0; i < n; i++) {
        char **f = m.cell[i + 1];
        size_t row = to_size(f[0]), base = to_size(f[1]), nb = to_size(f[2]);
        double gap = to_double(f[3]);
        assert_int_equal(row, first_row + i);
        assert_true(base < in->rows && nb < in->rows && base != nb);
        assert_true(gap >= 0 && gap <= 1);
        /* labels: same class for base, neighbour and the new row */
        assert_int_equal(in->label[nb], in->label[base]);
        assert_string_equal(out->classes[out->label[first_out + i]],
                            in->classes[in->label[base]]);
        if (!among_k_nearest(in, base, nb, k))
            fail_msg("row %zu: %zu is not among the %zu nearest of %zu", row, nb, k, base);
        const double *xb = in->x + base * in->cols, *xn = in->x + nb * in->cols;
        const double *xs = out->x + (first_out + i) * out->cols;
        for (size_t j = 0; j < in->cols; j++) {
            double want = xb[j] + gap * (xn[j] - xb[j]);
            if (!close_rel(xs[j], want, fmax(fabs(xb[j]), fabs(xn[j]))))
                fail_msg("row %zu column %s: %.17g, expected %.17g (base %zu, neighbour %zu, gap %.17g)",
                         row, in->names[j], xs[j], want, base, nb, gap);
        }
    }
    cli_csv_free(&m);
    return n;
}

static void assert_same_rows(const aug_table *in, const aug_table *out, size_t n)
{
    assert_int_equal(out->cols, in->cols);
    for (size_t j = 0; j < in->cols; j++)
        assert_string_equal(out->names[j], in->names[j]);
    assert_string_equal(out->label_name, in->label_name);
    for (size_t r = 0; r < n; r++) {
        for (size_t j = 0; j < in->cols; j++)
            if (out->x[r * in->cols + j] != in->x[r * in->cols + j])
                fail_msg("original row %zu column %zu changed", r, j);
        assert_string_equal(out->classes[out->label[r]], in->classes[in->label[r]]);
    }
}

static void counts_by_name(const aug_table *t, const char *cls, size_t want)
{
    size_t counts[64] = {0};
    assert_true(t->nclasses <= 64);
    aug_table_class_counts(t, counts);
    size_t c = aug_table_class_index(t, cls);
    if (c == (size_t)-1)
        fail_msg("no class %s in the output", cls);
    if (counts[c] != want)
        fail_msg("class %s: %zu rows, expected %zu", cls, counts[c], want);
}

/* One smote run and what it must give. */
typedef struct smote_case {
    const char *dataset, *flags;  /* tests/data/DATASET, smote's options */
    size_t in_rows, out_rows;
    const char *classes[3];       /* these classes (up to a NULL) have these rows */
    size_t counts[3];
    int only_synthetic;           /* else the originals come first, unchanged */
    size_t k, synthetic;          /* the --k in force, rows in the manifest */
} smote_case;

/* Run c's smote into the scratch folder and check the output table against
 * the input and the manifest, row by row. */
static void check_smote_case(const char *dir, const smote_case *c)
{
    char path_buf[CLI_PATH_MAX], input[CLI_PATH_MAX];
    snprintf(input, sizeof input, "%s/%s", cli_data(), c->dataset);
    if (cli_run("smote %s %s -o %s/s.csv --manifest %s/s_m.csv", c->flags, input, dir, dir) != 0)
        fail_msg("augment smote %s %s failed", c->flags, c->dataset);
    aug_table in, out;
    load_table(input, &in);
    load_table(P("s.csv"), &out);
    assert_int_equal(in.rows, c->in_rows);
    assert_int_equal(out.rows, c->out_rows);
    for (size_t i = 0; i < 3 && c->classes[i]; i++)
        counts_by_name(&out, c->classes[i], c->counts[i]);
    size_t first = c->only_synthetic ? 0 : in.rows;
    if (!c->only_synthetic)
        assert_same_rows(&in, &out, in.rows);
    assert_int_equal(check_smote(&in, &out, first, P("s_m.csv"), c->k, first), c->synthetic);
    aug_table_free(&in);
    aug_table_free(&out);
}

/* The check: breast_cancer balanced to 357 + 357, originals first,
 * every new row on a segment to one of its base's 5 nearest neighbours. */
static void test_smote_breast_cancer(void **state)
{
    static const smote_case c = {
        .dataset = "breast_cancer.csv", .flags = "", .in_rows = 569, .out_rows = 714,
        .classes = {"benign", "malignant"}, .counts = {357, 357}, .k = 5, .synthetic = 145};
    check_smote_case(*state, &c);
}

/* --k 3 --only-synthetic on wine: 12 class_0 and 23 class_2 rows. */
static void test_smote_wine_k3_only_synthetic(void **state)
{
    static const smote_case c = {
        .dataset = "wine.csv", .flags = "--k 3 --only-synthetic --seed 42", .in_rows = 178,
        .out_rows = 35, .classes = {"class_0", "class_2"}, .counts = {12, 23},
        .only_synthetic = 1, .k = 3, .synthetic = 35};
    check_smote_case(*state, &c);
}

/* CLASS=COUNT: the named classes grow to their counts, k neighbours each. */
static void test_smote_wine_counts(void **state)
{
    static const smote_case c = {
        .dataset = "wine.csv", .flags = "--strategy class_0=80,class_2=60", .in_rows = 178,
        .out_rows = 80 + 71 + 60, .classes = {"class_0", "class_1", "class_2"},
        .counts = {80, 71, 60}, .k = 5, .synthetic = 33};
    check_smote_case(*state, &c);
}

/* ---- mixup on a table ---- */
typedef struct mixed {
    cli_csv out, man;
    aug_table in;
    size_t first; /* first mixed row of out (after --append's originals) */
} mixed;

static void check_mixup(const mixed *m, size_t n)
{
    const aug_table *in = &m->in;
    size_t cols = in->cols, k = in->nclasses;
    assert_int_equal(m->out.cols, cols + k);
    for (size_t j = 0; j < cols; j++)
        assert_string_equal(m->out.cell[0][j], in->names[j]);
    for (size_t c = 0; c < k; c++) {
        char want[256];
        snprintf(want, sizeof want, "%s_%s", in->label_name, in->classes[c]);
        assert_string_equal(m->out.cell[0][cols + c], want);
    }
    assert_int_equal(m->man.rows, n + 1);
    CLI_ASSERT_HEADER(&m->man, "row", "row_a", "row_b", "lambda");
    assert_int_equal(m->out.rows, 1 + m->first + n);
    for (size_t i = 0; i < n; i++) {
        char **f = m->man.cell[i + 1];
        size_t row = to_size(f[0]), a = to_size(f[1]), b = to_size(f[2]);
        double lam = to_double(f[3]);
        assert_int_equal(row, m->first + i);
        assert_int_equal(a, i % in->rows); /* row r mixes row r mod rows */
        assert_true(b < in->rows);
        assert_true(lam >= 0 && lam <= 1);
        char **o = m->out.cell[1 + row];
        assert_int_equal(m->out.ncells[1 + row], cols + k);
        for (size_t j = 0; j < cols; j++) {
            double xa = in->x[a * cols + j], xb = in->x[b * cols + j];
            double want = lam * xa + (1 - lam) * xb, got = to_double(o[j]);
            if (!close_rel(got, want, fmax(fabs(xa), fabs(xb))))
                fail_msg("mixed row %zu column %s: %.17g, expected %.17g", row, in->names[j],
                         got, want);
        }
        double sum = 0;
        for (size_t c = 0; c < k; c++) {
            double want = (in->label[a] == c ? lam : 0) + (in->label[b] == c ? 1 - lam : 0);
            double got = to_double(o[cols + c]);
            if (fabs(got - want) > 1e-12)
                fail_msg("mixed row %zu label %s: %.17g, expected %.17g", row, in->classes[c],
                         got, want);
            sum += got;
        }
        assert_true(fabs(sum - 1) < 1e-12);
    }
}

static void run_mixup(const char *dir, const char *flags, mixed *m)
{
    char path_buf[CLI_PATH_MAX], input[CLI_PATH_MAX];
    snprintf(input, sizeof input, "%s/wine.csv", cli_data());
    cli_sh("rm -f %s/mix.csv %s/mix_m.csv", dir, dir);
    if (cli_run("mixup %s %s -o %s/mix.csv --manifest %s/mix_m.csv", flags, input, dir, dir))
        fail_msg("augment mixup %s failed", flags);
    load_table(input, &m->in);
    assert_int_equal(cli_csv_read(P("mix.csv"), &m->out), 0);
    assert_int_equal(cli_csv_read(P("mix_m.csv"), &m->man), 0);
    m->first = 0;
}

static void free_mixed(mixed *m)
{
    cli_csv_free(&m->out);
    cli_csv_free(&m->man);
    aug_table_free(&m->in);
}

static void test_mixup_table(void **state)
{
    mixed m;
    /* 400 rows: more than the table, so rows wrap around (r mod 178) */
    run_mixup(*state, "-n 400 --alpha 1 --seed 3", &m);
    check_mixup(&m, 400);
    /* alpha 1: lambda uniform, so many mixes are far from 0 and 1 */
    size_t interior = 0;
    for (size_t i = 1; i < m.man.rows; i++) {
        double lam = to_double(m.man.cell[i][3]);
        interior += lam > 0.1 && lam < 0.9;
    }
    assert_true(interior > 250);
    free_mixed(&m);
    /* the default: as many rows as the table, alpha 0.2 */
    run_mixup(*state, "", &m);
    check_mixup(&m, 178);
    free_mixed(&m);
}

static void test_mixup_table_append(void **state)
{
    mixed m;
    run_mixup(*state, "-n 25 --append", &m);
    m.first = m.in.rows;
    check_mixup(&m, 25);
    /* the originals first, unchanged, one-hot */
    size_t cols = m.in.cols;
    for (size_t r = 0; r < m.in.rows; r++) {
        char **o = m.out.cell[1 + r];
        for (size_t j = 0; j < cols; j++)
            if (to_double(o[j]) != m.in.x[r * cols + j])
                fail_msg("--append: original row %zu column %zu changed", r, j);
        for (size_t c = 0; c < m.in.nclasses; c++)
            assert_true(to_double(o[cols + c]) == (m.in.label[r] == c ? 1.0 : 0.0));
    }
    free_mixed(&m);
}

/* ---- every method through the binary: the manifest explains each row ---- */

/* Rows of `out` (read back) from first on, against the input and the
 * manifest: continuous columns on the segment from base to the partner
 * (or the class mean), categories a mode of the rows named in `from=`. */
static void check_manifest_rows(const aug_table *in, const aug_table *out, size_t first,
                                const char *manifest)
{
    cli_csv m;
    assert_int_equal(cli_csv_read(manifest, &m), 0);
    CLI_ASSERT_HEADER(&m, "row", "base", "neighbor", "gap", "detail");
    size_t made = 0;
    for (size_t i = 1; i < m.rows; i++) {
        char **f = m.cell[i];
        if (!f[0][0])
            continue; /* a removed input row */
        size_t row = to_size(f[0]), base = to_size(f[1]);
        assert_int_equal(row, first + made);
        made++;
        assert_string_equal(out->classes[out->label[row]], in->classes[in->label[base]]);
        const double *xs = out->x + row * out->cols, *xb = in->x + base * in->cols;
        if (f[2][0] && strcmp(f[2], "mean") != 0) {
            size_t nb = to_size(f[2]);
            double gap = to_double(f[3]);
            const double *xn = in->x + nb * in->cols;
            for (size_t j = 0; j < in->cols; j++) {
                if (aug_table_is_categorical(in, j))
                    continue;
                double want = xb[j] + gap * (xn[j] - xb[j]);
                if (!close_rel(xs[j], want, fmax(fabs(xb[j]), fabs(xn[j]))))
                    fail_msg("row %zu column %s: %.17g, expected %.17g", row, in->names[j],
                             xs[j], want);
            }
        }
        const char *from = strstr(f[4], "from=");
        if (from) {
            size_t rows[64], n = 0;
            for (char *e, *q = (char *)from + 5; *q && n < 64; q = e) {
                rows[n++] = (size_t)strtoull(q, &e, 10);
                if (e == q)
                    break;
            }
            for (size_t j = 0; j < in->cols; j++) {
                if (!aug_table_is_categorical(in, j))
                    continue;
                /* compare by text: the two tables number categories alike
                 * only by chance */
                const char *got = out->cats[j].text[(size_t)xs[j]];
                size_t votes = 0, top = 0;
                for (size_t a = 0; a < n; a++) {
                    size_t v = 0;
                    for (size_t b = 0; b < n; b++)
                        v += in->x[rows[a] * in->cols + j] == in->x[rows[b] * in->cols + j];
                    top = v > top ? v : top;
                    if (!strcmp(in->cats[j].text[(size_t)in->x[rows[a] * in->cols + j]], got))
                        votes = v;
                }
                if (votes != top)
                    fail_msg("row %zu column %s: '%s' is not a most frequent category", row,
                             in->names[j], got);
            }
        }
    }
    assert_int_equal(out->rows, first + made);
    cli_csv_free(&m);
}

static void test_every_method(void **state)
{
    char path_buf[CLI_PATH_MAX], input[CLI_PATH_MAX];
    static const char *const methods[] = {"borderline1", "borderline2", "svm", "adasyn",
                                          "kmeans", "polyfit", "prowsyn",
                                          "polyfit --topology bus", "polyfit --topology mesh"};
    snprintf(input, sizeof input, "%s/breast_cancer.csv", cli_data());
    aug_table in;
    load_table(input, &in);
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
        const char *dir = *state;
        if (cli_run("smote --method %s %s -o %s/s.csv --manifest %s/s_m.csv", methods[i], input,
                    dir, dir) != 0)
            fail_msg("augment smote --method %s failed", methods[i]);
        aug_table out;
        load_table(P("s.csv"), &out);
        assert_same_rows(&in, &out, in.rows);
        check_manifest_rows(&in, &out, in.rows, P("s_m.csv"));
        aug_table_free(&out);
    }
    aug_table_free(&in);
}

/* SMOTE-NC on the wine table with three text columns (one quoted). */
static void test_categorical_table(void **state)
{
    char path_buf[CLI_PATH_MAX], input[CLI_PATH_MAX];
    snprintf(input, sizeof input, "%s/wine_categorical.csv", cli_data());
    const char *dir = *state;
    if (cli_run("smote %s -o %s/s.csv --manifest %s/s_m.csv", input, dir, dir) != 0)
        fail_msg("augment smote on wine_categorical.csv failed");
    aug_table in, out;
    load_table(input, &in);
    load_table(P("s.csv"), &out);
    assert_int_equal(aug_table_ncategorical(&in), 3);
    assert_same_rows(&in, &out, 0); /* the names */
    check_manifest_rows(&in, &out, in.rows, P("s_m.csv"));
    aug_table_free(&in);
    aug_table_free(&out);
    /* every category only: SMOTEN */
    snprintf(input, sizeof input, "%s/wine_nominal.csv", cli_data());
    if (cli_run("smote --method smoten %s -o %s/s.csv --manifest %s/s_m.csv", input, dir, dir))
        fail_msg("augment smote --method smoten failed");
    load_table(input, &in);
    load_table(P("s.csv"), &out);
    check_manifest_rows(&in, &out, in.rows, P("s_m.csv"));
    aug_table_free(&in);
    aug_table_free(&out);
}

/* ENN after SMOTE: the originals kept are the input's rows less the ones
 * the manifest says were removed, in order; the new rows follow. */
static void test_undersampling_manifest(void **state)
{
    char path_buf[CLI_PATH_MAX], input[CLI_PATH_MAX];
    snprintf(input, sizeof input, "%s/wine.csv", cli_data());
    const char *dir = *state;
    if (cli_run("smote --undersample enn %s -o %s/s.csv --manifest %s/s_m.csv", input, dir,
                dir) != 0)
        fail_msg("augment smote --undersample enn failed");
    aug_table in, out;
    load_table(input, &in);
    load_table(P("s.csv"), &out);
    cli_csv m;
    assert_int_equal(cli_csv_read(P("s_m.csv"), &m), 0);
    unsigned char *gone = calloc(in.rows, 1);
    size_t removed = 0;
    for (size_t i = 1; i < m.rows; i++)
        if (!m.cell[i][0][0]) {
            assert_string_equal(m.cell[i][4], "removed=enn");
            gone[to_size(m.cell[i][1])] = 1;
            removed++;
        }
    assert_true(removed > 0);
    size_t o = 0;
    for (size_t r = 0; r < in.rows; r++) {
        if (gone[r])
            continue;
        for (size_t j = 0; j < in.cols; j++)
            assert_true(out.x[o * in.cols + j] == in.x[r * in.cols + j]);
        o++;
    }
    assert_int_equal(o, in.rows - removed);
    check_manifest_rows(&in, &out, o, P("s_m.csv"));
    free(gone);
    cli_csv_free(&m);
    aug_table_free(&in);
    aug_table_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CLI_TEST(test_smote_breast_cancer),
        CLI_TEST(test_smote_wine_k3_only_synthetic),
        CLI_TEST(test_smote_wine_counts),
        CLI_TEST(test_every_method),
        CLI_TEST(test_categorical_table),
        CLI_TEST(test_undersampling_manifest),
        CLI_TEST(test_mixup_table),
        CLI_TEST(test_mixup_table_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
