/* CSV: hand-written inputs with hand-written expected records, exact error
 * messages (line and byte column worked out by hand), number parsing and
 * printing against literals and round-trip properties, the shipped iris and
 * wine tables, and writing back in the original column order.
 *
 * Run from the repository root (tests/run.sh does): data is under DATA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "augment/csv.h"

#define DATA "tests/data/"

static char tmpdir[64];
static char in_path[128], out_path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/augment-test-csv-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(in_path, sizeof in_path, "%s/in.csv", tmpdir);
    snprintf(out_path, sizeof out_path, "%s/out.csv", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove(in_path);
    remove(out_path);
    return rmdir(tmpdir);
}

/* An input file holding exactly n bytes of s, opened for reading. */
static FILE *text_n(const char *s, size_t n)
{
    FILE *fp = fopen(in_path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(s, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
    fp = fopen(in_path, "rb");
    assert_non_null(fp);
    return fp;
}

static FILE *text(const char *s)
{
    return text_n(s, strlen(s));
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Every record as "LINE:[f1][f2]...\n", fields verbatim. */
static char *dump_n(const char *csv, size_t len, char delim)
{
    FILE *fp = text_n(csv, len);
    aug_csv_reader *r;
    aug_error err;
    assert_int_equal(aug_csv_open(&r, fp, "in.csv", delim, &err), AUG_OK);
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    char **f;
    size_t nf;
    for (;;) {
        aug_status st = aug_csv_next(r, &f, &nf, &err);
        if (st)
            fail_msg("unexpected error: %s", err.msg);
        if (!nf)
            break;
        n += (size_t)snprintf(out + n, cap - n, "%zu:", aug_csv_line(r));
        for (size_t i = 0; i < nf; i++)
            n += (size_t)snprintf(out + n, cap - n, "[%s]", f[i]);
        n += (size_t)snprintf(out + n, cap - n, "\n");
        assert_true(n < cap);
    }
    /* The end stays the end. */
    assert_int_equal(aug_csv_next(r, &f, &nf, &err), AUG_OK);
    assert_int_equal(nf, 0);
    aug_csv_close(r);
    fclose(fp);
    return out;
}

static void expect_dump(const char *csv, char delim, const char *want)
{
    char *got = dump_n(csv, strlen(csv), delim);
    assert_string_equal(got, want);
    free(got);
}

static void test_reader(void **state)
{
    (void)state;
    expect_dump("a,b,c\n1,2,3\n", ',', "1:[a][b][c]\n2:[1][2][3]\n");
    expect_dump("a,b\n1,2", ',', "1:[a][b]\n2:[1][2]\n");            /* no final LF */
    expect_dump("a,b,\n", ',', "1:[a][b][]\n");
    expect_dump(",,\n", ',', "1:[][][]\n");
    expect_dump(" a , b \n", ',', "1:[ a ][ b ]\n");
    expect_dump("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", ',', "1:[a,b][say \"hi\"][]\n");
    expect_dump("\"\"\n", ',', "1:[]\n");                             /* not blank */
    expect_dump("\"\"\"\"\n", ',', "1:[\"]\n");
    expect_dump("x,\"multi\nline\"\nnext,1\n", ',', "1:[x][multi\nline]\n3:[next][1]\n");
    expect_dump("a,b\r\n1,2\r\n", ',', "1:[a][b]\n2:[1][2]\n");
    expect_dump("\"p\r\nq\",z\r\n", ',', "1:[p\nq][z]\n");
    expect_dump("a\rb,c\n", ',', "1:[a\rb][c]\n");                   /* lone CR is data */
    expect_dump("a,b\r", ',', "1:[a][b\r]\n");
    expect_dump("\xEF\xBB\xBF" "a,b\n1,2\n", ',', "1:[a][b]\n2:[1][2]\n");
    expect_dump("\xEF\xBB\xBF", ',', "");
    expect_dump("a,\xEF\xBB\xBF\n", ',', "1:[a][\xEF\xBB\xBF]\n");   /* only at the start */
    expect_dump("\xEF\xBBx,y\n", ',', "1:[\xEF\xBBx][y]\n");         /* half a BOM is data */
    expect_dump("\xEF", ',', "1:[\xEF]\n");
    expect_dump("\n\na,b\n\n\r\n1,2\n\n", ',', "3:[a][b]\n6:[1][2]\n");
    expect_dump("\n\r\n\n", ',', "");
    expect_dump("", ',', "");
    expect_dump("a;\"b;c\";d,e\n", ';', "1:[a][b;c][d,e]\n");
    expect_dump("a\tb c\t\"x\ty\"\n", '\t', "1:[a][b c][x\ty]\n");
}

static void test_reader_large(void **state)
{
    (void)state;
    enum { LONG = 100000, WIDE = 5000 };
    /* One very long quoted field holding newlines, then a very wide row. */
    char *csv = malloc(LONG + 8 * WIDE + 16);
    assert_non_null(csv);
    size_t n = 0;
    csv[n++] = '"';
    for (size_t i = 0; i < LONG; i++)
        csv[n++] = i % 1000 == 999 ? '\n' : (char)('a' + i % 26);
    n += (size_t)sprintf(csv + n, "\"\n");
    for (size_t i = 0; i < WIDE; i++)
        n += (size_t)sprintf(csv + n, i ? ",%zu" : "%zu", i);
    csv[n++] = '\n';
    FILE *fp = text_n(csv, n);
    aug_csv_reader *r;
    aug_error err;
    char **f;
    size_t nf;
    assert_int_equal(aug_csv_open(&r, fp, "big", ',', &err), AUG_OK);
    assert_int_equal(aug_csv_next(r, &f, &nf, &err), AUG_OK);
    assert_int_equal(nf, 1);
    assert_int_equal(strlen(f[0]), LONG);
    assert_memory_equal(f[0], csv + 1, LONG);
    assert_int_equal(aug_csv_next(r, &f, &nf, &err), AUG_OK);
    assert_int_equal(nf, WIDE);
    assert_int_equal(aug_csv_line(r), 1 + LONG / 1000 + 1);
    for (size_t i = 0; i < WIDE; i++)
        assert_int_equal(strtoul(f[i], NULL, 10), i);
    aug_csv_close(r);
    fclose(fp);
    free(csv);
}

/* The records before the error, then the error's exact message. */
static void expect_read_error(const char *csv, size_t len, size_t good,
                              const char *msg)
{
    FILE *fp = text_n(csv, len);
    aug_csv_reader *r;
    aug_error err;
    char **f;
    size_t nf;
    assert_int_equal(aug_csv_open(&r, fp, "in.csv", ',', &err), AUG_OK);
    for (size_t i = 0; i < good; i++) {
        assert_int_equal(aug_csv_next(r, &f, &nf, &err), AUG_OK);
        assert_true(nf > 0);
    }
    assert_int_equal(aug_csv_next(r, &f, &nf, &err), AUG_ERR_FORMAT);
    assert_int_equal(err.code, AUG_ERR_FORMAT);
    assert_string_equal(err.msg, msg);
    assert_int_equal(nf, 0);
    aug_csv_close(r);
    fclose(fp);
}

#define READ_ERROR(csv, good, msg) expect_read_error(csv, sizeof csv - 1, good, msg)

static void test_reader_errors(void **state)
{
    (void)state;
    READ_ERROR("a,b\"c,d\n", 0, "in.csv:1:4: quote inside an unquoted field");
    READ_ERROR("h\na,\"bc\nd\n", 1, "in.csv:2:3: unterminated quoted field");
    READ_ERROR("\"ab\"c,d\n", 0, "in.csv:1:5: unexpected character after a closing quote");
    READ_ERROR("\"ab\" ,d\n", 0, "in.csv:1:5: unexpected character after a closing quote");
    /* Lines are physical: a quoted newline moves the count on. */
    READ_ERROR("a,\"x\ny\",z\nq\"\n", 1, "in.csv:3:2: quote inside an unquoted field");
    READ_ERROR("\"x\ny\"w\n", 0, "in.csv:2:3: unexpected character after a closing quote");
    READ_ERROR("a,b\r\nc,d\"\r\n", 1, "in.csv:2:4: quote inside an unquoted field");
    READ_ERROR("\xEF\xBB\xBF" "a\"\n", 0, "in.csv:1:2: quote inside an unquoted field");
    READ_ERROR("a,b\0c\n", 0, "in.csv:1:4: NUL byte in text");

    aug_csv_reader *r = (aug_csv_reader *)&r;
    aug_error err;
    FILE *fp = text("a\n");
    assert_int_equal(aug_csv_open(&r, fp, "x", '"', &err), AUG_ERR_ARG);
    assert_null(r);
    assert_int_equal(aug_csv_open(&r, fp, "x", '\n', &err), AUG_ERR_ARG);
    assert_int_equal(aug_csv_open(&r, NULL, "x", ',', &err), AUG_ERR_ARG);
    /* No name: messages say "-". */
    char **f;
    size_t nf;
    fclose(fp);
    fp = text("\"open");
    assert_int_equal(aug_csv_open(&r, fp, NULL, ',', &err), AUG_OK);
    assert_int_equal(aug_csv_next(r, &f, &nf, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "-:1:1: unterminated quoted field");
    aug_csv_close(r);
    fclose(fp);
}

static void accept(const char *s, double want)
{
    double v = 12345;
    if (aug_csv_parse_double(s, &v) != 0)
        fail_msg("'%s' was rejected", s);
    if (memcmp(&v, &want, sizeof v) != 0)
        fail_msg("'%s' read as %.17g, want %.17g", s, v, want);
}

static void reject(const char *s)
{
    double v = 12345;
    if (aug_csv_parse_double(s, &v) == 0)
        fail_msg("'%s' was accepted as %.17g", s, v);
    assert_true(v == 12345); /* untouched */
}

static void check_parsing(void)
{
    accept("1.5", 1.5);
    accept("0", 0.0);
    accept("-0", -0.0);
    accept("-0.0", -0.0);
    accept("  -2.25e2 ", -225.0);
    accept("+.5", 0.5);
    accept("1.", 1.0);
    accept("007", 7.0);
    accept("1E3", 1000.0);
    accept("1e+3", 1000.0);
    accept("2.5e-3", 0.0025);
    accept("0.1", 0.1);
    accept("5.1", 5.1);
    accept("5e-324", 0x1p-1074);
    accept("1e-400", 0.0);  /* underflow is a tiny number, not an error */
    accept("1.7976931348623157e308", DBL_MAX);
    accept("2.2250738585072014e-308", DBL_MIN);
    accept("123456789012345678901234567890", 1.2345678901234568e29);
    accept("0.30000000000000004", 0.30000000000000004);

    const char *const bad[] = {"", " ", "   ", "nan", "NaN", "-nan", "inf", "-inf",
                               "Infinity", "0x10", "0x1p3", "1e", "1e+", "e5", ".",
                               "-", "+", "1.5x", "1,5", "1 2", "\t1", "1\t", "1\n",
                               "--1", "+-1", "1..2", "1.2.3", "1e5.5", "1e309",
                               "-1e309", "1_000", "\xEF\xBB\xBF\x31", "one"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        reject(bad[i]);
    double v;
    assert_int_equal(aug_csv_parse_double(NULL, &v), -1);
}

static void test_parse_double(void **state)
{
    (void)state;
    check_parsing();
}

static void expect_format(double v, int precision, const char *want)
{
    char buf[64];
    int n = aug_csv_format_double(buf, sizeof buf, v, precision);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void check_formatting(void)
{
    expect_format(0.1, 0, "0.1");
    expect_format(1e-300, 0, "1e-300");
    expect_format(5e-324, 0, "5e-324");
    expect_format(1.7976931348623157e308, 0, "1.7976931348623157e+308");
    expect_format(2.2250738585072014e-308, 0, "2.2250738585072014e-308");
    expect_format(1001, 0, "1001");
    expect_format(100, 0, "100");
    expect_format(123456, 0, "123456");
    expect_format(-0.0, 0, "-0");
    expect_format(0.0, 0, "0");
    expect_format(-1.5, 0, "-1.5");
    expect_format(5.1, 0, "5.1");
    expect_format(1.0 / 3, 0, "0.3333333333333333");
    expect_format(0.1 + 0.2, 0, "0.30000000000000004");
    expect_format(9007199254740992.0, 0, "9007199254740992");
    expect_format(1e14, 0, "100000000000000");
    expect_format(1e15, 0, "1e+15");
    expect_format(1e21, 0, "1e+21");
    expect_format(1e-5, 0, "1e-05");
    expect_format(1.0 / 3, 3, "0.333");
    expect_format(1234.5, 2, "1.2e+03");
    expect_format(0.1, 20, "0.10000000000000001"); /* more than 17 adds nothing */
    expect_format(2.0 / 3, -1, "0.6666666666666666");
    expect_format(NAN, 0, "nan");
    expect_format(INFINITY, 0, "inf");
    expect_format(-INFINITY, 0, "-inf");

    /* Like snprintf: the full length back, the text cut to fit. */
    char small[4];
    assert_int_equal(aug_csv_format_double(small, sizeof small, 0.1 + 0.2, 0), 19);
    assert_string_equal(small, "0.3");
    assert_int_equal(aug_csv_format_double(NULL, 0, 1001, 0), 4);
}

static void test_format_double(void **state)
{
    (void)state;
    check_formatting();
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s;
}

/* Significant digits of a %g rendering: placeholder zeros do not count. */
static int sig_digits(const char *s)
{
    char d[64];
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && (n || *s != '0'))
            d[n++] = *s;
    while (n > 0 && d[n - 1] == '0')
        n--;
    return n;
}

/* Every finite double reads back bit for bit, and one digit fewer would
 * not (checked with the C library's own strtod in the "C" locale). */
static void check_round_trip(double v)
{
    char buf[40];
    int n = aug_csv_format_double(buf, sizeof buf, v, 0);
    assert_true(n > 0 && n < (int)sizeof buf);
    double back;
    if (aug_csv_parse_double(buf, &back) != 0)
        fail_msg("'%s' does not parse", buf);
    if (memcmp(&back, &v, sizeof v) != 0)
        fail_msg("%a printed as '%s' reads back as %a", v, buf, back);
    assert_null(strchr(buf, ','));
    int d = sig_digits(buf);
    assert_true(d >= (v != 0) && d <= 17);
    /* The layout is printf's %g at the precision that was needed (at
     * least 15 for a normal double: see aug_csv_format_double). */
    int subnormal = v != 0 && fabs(v) < DBL_MIN;
    int prec = subnormal ? d : d > 15 ? d : 15;
    char ref[400];
    snprintf(ref, sizeof ref, "%.*g", prec, v);
    if (localeconv()->decimal_point[0] == '.' && strcmp(ref, buf) != 0)
        fail_msg("%a: '%s', printf says '%s'", v, buf, ref);
    if (d > 1) {
        char shorter[400];
        snprintf(shorter, sizeof shorter, "%.*g", d - 1, v);
        if (strtod(shorter, NULL) == v)
            fail_msg("%a: '%s' is shorter than '%s'", v, shorter, buf);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    const double picked[] = {0.1, 1e-300, 5e-324, 1.7976931348623157e308, 1001,
                             -0.0, 0.0, DBL_MIN, DBL_MIN / 3, 2 * DBL_MIN / 7,
                             1e23, 8.41e21, 5.0e-324 * 3, 4.35, 0.3, 2.675,
                             9007199254740993.0, 1.0 / 3, 123456789.125};
    for (size_t i = 0; i < sizeof picked / sizeof *picked; i++) {
        check_round_trip(picked[i]);
        check_round_trip(-picked[i]);
    }
    uint64_t s = 2024;
    size_t tested = 0;
    for (size_t i = 0; i < 50000; i++) {
        uint64_t hi = lcg(&s) >> 32, lo = lcg(&s) >> 32, bits = hi << 32 | lo;
        if (i % 4 == 1)
            bits &= 0x800FFFFFFFFFFFFFULL; /* subnormals too */
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        check_round_trip(v);
        tested++;
    }
    assert_true(tested > 47000);
}

/* A ',' decimal locale set by the program must change nothing. */
static void test_comma_locale(void **state)
{
    (void)state;
    const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8",
                                 "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8"};
    const char *got = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !got; i++)
        if (setlocale(LC_ALL, names[i]) && localeconv()->decimal_point[0] == ',')
            got = names[i];
    if (!got) {
        setlocale(LC_ALL, "C");
        print_message("no ',' decimal locale installed; locale check skipped\n");
        skip();
    }
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    assert_string_equal(probe, "1,5"); /* the locale really is in force */

    check_parsing();
    check_formatting();
    check_round_trip(0.1 + 0.2);

    FILE *fp = text("a,b,label\n1.5,-2.25e1,x\n");
    aug_table t;
    aug_error err;
    assert_int_equal(aug_csv_load_table(&t, fp, "in.csv", NULL, &err), AUG_OK);
    fclose(fp);
    assert_true(t.x[0] == 1.5 && t.x[1] == -22.5);
    fp = fopen(out_path, "wb");
    assert_non_null(fp);
    assert_int_equal(aug_csv_write_rows(fp, &t, 0, 1, ',', 0, &err), AUG_OK);
    fclose(fp);
    char *out = slurp(out_path);
    assert_string_equal(out, "1.5,-22.5,x\n");
    free(out);
    aug_table_free(&t);

    /* ... and the program's locale is still its own. */
    assert_int_equal(localeconv()->decimal_point[0], ',');
    setlocale(LC_ALL, "C");
}

/* Load DATA/FILE with the default options; the loader's status. */
static aug_status load_data(const char *file, aug_table *t, aug_error *err)
{
    char path[128];
    snprintf(path, sizeof path, DATA "%s", file);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    aug_status st = aug_csv_load_table(t, fp, path, NULL, err);
    fclose(fp);
    return st;
}

/* DATA/FILE loads into t with rows x cols features and three classes,
 * named and counted as given, in that order. */
static void expect_dataset(const char *file, aug_table *t, size_t rows, size_t cols,
                           const char *const classes[3], const size_t counts[3])
{
    aug_error err;
    assert_int_equal(load_data(file, t, &err), AUG_OK);
    assert_int_equal(t->rows, rows);
    assert_int_equal(t->cols, cols);
    assert_int_equal(t->nclasses, 3);
    size_t got[3];
    aug_table_class_counts(t, got);
    for (int k = 0; k < 3; k++) {
        assert_string_equal(t->classes[k], classes[k]);
        assert_int_equal(got[k], counts[k]);
    }
}

static void test_iris(void **state)
{
    (void)state;
    aug_table t;
    const char *const classes[] = {"setosa", "versicolor", "virginica"};
    const size_t counts[] = {50, 50, 50};
    expect_dataset("iris.csv", &t, 150, 4, classes, counts);
    assert_string_equal(t.names[0], "sepal_length_(cm)");
    assert_string_equal(t.names[3], "petal_width_(cm)");
    assert_string_equal(t.label_name, "label");
    assert_int_equal(t.label_pos, 4);
    const double first[4] = {5.1, 3.5, 1.4, 0.2}, last[4] = {5.9, 3, 5.1, 1.8};
    for (int c = 0; c < 4; c++) {
        assert_true(t.x[c] == first[c]);
        assert_true(t.x[149 * 4 + c] == last[c]);
    }
    assert_int_equal(t.label[0], 0);
    assert_int_equal(t.label[149], 2);
    aug_table_free(&t);
}

static void test_wine(void **state)
{
    (void)state;
    aug_table t;
    const char *const classes[] = {"class_0", "class_1", "class_2"};
    const size_t counts[] = {59, 71, 48};
    expect_dataset("wine.csv", &t, 178, 13, classes, counts);
    assert_string_equal(t.names[11], "od280/od315_of_diluted_wines");
    assert_true(t.x[0] == 14.23 && t.x[12] == 1065);
    assert_true(t.x[177 * 13 + 12] == 560);
    aug_table_free(&t);
}

static aug_status load(const char *csv, const aug_csv_options *o, aug_table *t,
                       aug_error *err)
{
    FILE *fp = text(csv);
    aug_status st = aug_csv_load_table(t, fp, "t.csv", o, err);
    fclose(fp);
    return st;
}

static aug_csv_options opts(char delim, int header, const char *label)
{
    aug_csv_options o;
    aug_csv_options_default(&o);
    assert_int_equal(o.delimiter, ',');
    assert_int_equal(o.header, 1);
    assert_null(o.label);
    o.delimiter = delim;
    o.header = header;
    o.label = label;
    return o;
}

static void test_load_quoting(void **state)
{
    (void)state;
    aug_table t;
    aug_error err;
    assert_int_equal(load("a,\"b,1\",label\r\n"
                          " 1 ,\"2\",\"x, \"\"y\"\"\nz\"\r\n"
                          "\r\n"
                          "3,4e0,plain\r\n"
                          "\r\n", NULL, &t, &err), AUG_OK);
    assert_int_equal(t.rows, 2);
    assert_int_equal(t.cols, 2);
    assert_string_equal(t.names[1], "b,1");
    assert_int_equal(t.nclasses, 2);
    assert_string_equal(t.classes[0], "plain");
    assert_string_equal(t.classes[1], "x, \"y\"\nz");
    assert_int_equal(t.label[0], 1);
    assert_int_equal(t.label[1], 0);
    const double want[4] = {1, 2, 3, 4};
    for (int i = 0; i < 4; i++)
        assert_true(t.x[i] == want[i]);
    aug_table_free(&t);
}

static void test_load_label_choice(void **state)
{
    (void)state;
    aug_table t;
    aug_error err;
    const char *csv = "a,label,b\n1,x,2\n3,y,4\n";

    aug_csv_options o = opts(',', 1, "label");
    assert_int_equal(load(csv, &o, &t, &err), AUG_OK);
    assert_int_equal(t.label_pos, 1);
    assert_int_equal(t.cols, 2);
    assert_string_equal(t.names[0], "a");
    assert_string_equal(t.names[1], "b");
    assert_true(t.x[0] == 1 && t.x[1] == 2 && t.x[2] == 3 && t.x[3] == 4);
    assert_string_equal(t.classes[t.label[1]], "y");
    aug_table_free(&t);

    o = opts(',', 1, "1");      /* no column is named "1": an index */
    assert_int_equal(load(csv, &o, &t, &err), AUG_OK);
    assert_int_equal(t.label_pos, 1);
    assert_string_equal(t.label_name, "label");
    aug_table_free(&t);

    o = opts(',', 1, "0");
    assert_int_equal(load("a,b,c\n1,2,3\n3,4,5\n", &o, &t, &err), AUG_OK);
    assert_int_equal(t.label_pos, 0);
    assert_string_equal(t.label_name, "a");
    assert_string_equal(t.classes[0], "1");
    assert_string_equal(t.classes[1], "3");
    aug_table_free(&t);

    /* Default: the last column, even when it is numeric; the text column
     * 'label' is then a categorical feature (its first value is text). */
    assert_int_equal(load(csv, NULL, &t, &err), AUG_OK);
    assert_string_equal(t.label_name, "b");
    assert_string_equal(t.names[1], "label");
    assert_true(aug_table_is_categorical(&t, 1) && !aug_table_is_categorical(&t, 0));
    assert_int_equal(t.cats[1].n, 2);
    assert_string_equal(t.cats[1].text[(size_t)t.x[1]], "x");
    assert_string_equal(t.cats[1].text[(size_t)t.x[3]], "y");
    aug_table_free(&t);
    assert_int_equal(load("a,b,c\n1,2,10\n3,4,9\n", NULL, &t, &err), AUG_OK);
    assert_int_equal(t.label_pos, 2);
    assert_string_equal(t.label_name, "c");
    assert_string_equal(t.classes[0], "9");
    assert_string_equal(t.classes[1], "10");
    aug_table_free(&t);

    /* A name wins over an index: column "2" is column 0. */
    o = opts(',', 1, "2");
    assert_int_equal(load("2,a,b\nx,1,2\n", &o, &t, &err), AUG_OK);
    assert_int_equal(t.label_pos, 0);
    aug_table_free(&t);

    o = opts(',', 1, "zz");
    assert_int_equal(load("a,b,c\n1,2,x\n", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "t.csv: no label column 'zz' (columns: a, b, c)");
    assert_null(t.x);
    o = opts(',', 1, "3");
    assert_int_equal(load("a,b,c\n1,2,x\n", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "t.csv: no label column '3' (columns: a, b, c)");
    o = opts(',', 1, "99999999999999999999999");
    assert_int_equal(load("a,b,c\n1,2,x\n", &o, &t, &err), AUG_ERR_FORMAT);
    o = opts(',', 1, "a");
    assert_int_equal(load("a,b,a\n1,2,3\n", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg,
                        "t.csv: 2 columns are named 'a'; give the label column by index");

    /* A long column list is cut short. */
    char header[2048];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(header + n, sizeof header - n, "%scolumn_%02d", i ? "," : "", i);
    snprintf(header + n, sizeof header - n, "\n");
    o = opts(',', 1, "nope");
    assert_int_equal(load(header, &o, &t, &err), AUG_ERR_FORMAT);
    const char *prefix = "t.csv: no label column 'nope' (columns: column_00, column_01, ";
    assert_memory_equal(err.msg, prefix, strlen(prefix));
    size_t len = strlen(err.msg);
    assert_true(len < 300);
    assert_string_equal(err.msg + len - 6, ", ...)");
    assert_null(strchr(err.msg, '\n'));
}

static void test_load_no_header(void **state)
{
    (void)state;
    aug_table t;
    aug_error err;
    aug_csv_options o = opts(',', 0, NULL);
    assert_int_equal(load("1,2,a\n3,4,b\n", &o, &t, &err), AUG_OK);
    assert_int_equal(t.rows, 2);
    assert_string_equal(t.names[0], "c0");
    assert_string_equal(t.names[1], "c1");
    assert_string_equal(t.label_name, "c2");
    assert_true(t.x[0] == 1 && t.x[3] == 4);
    aug_table_free(&t);

    o = opts(',', 0, "c0");
    assert_int_equal(load("a,2,3\nb,4,5\n", &o, &t, &err), AUG_OK);
    assert_int_equal(t.label_pos, 0);
    assert_string_equal(t.names[0], "c1");
    aug_table_free(&t);

    o = opts(',', 0, NULL);
    assert_int_equal(load("1,2,a\n3,x,b\n", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "t.csv:2:3: column 'c1' is numeric but holds 'x' (to keep "
                                 "the column as text, name it in --categorical)");
    assert_int_equal(load("", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "t.csv: no data rows");
}

static void test_load_delimiters(void **state)
{
    (void)state;
    aug_table t;
    aug_error err;
    aug_csv_options o = opts(';', 1, NULL);
    assert_int_equal(load("a;b;label\n1.5;\"2;\";x,y\n", &o, &t, &err), AUG_OK);
    assert_true(aug_table_is_categorical(&t, 1)); /* "2;" is text */
    assert_string_equal(t.cats[1].text[0], "2;");
    assert_string_equal(t.cats[1].raw[0], "\"2;\"");
    aug_table_free(&t);
    assert_int_equal(load("a;b;label\n1.5;-2;x,y\n", &o, &t, &err), AUG_OK);
    assert_string_equal(t.classes[0], "x,y");
    assert_true(t.x[0] == 1.5 && t.x[1] == -2);
    aug_table_free(&t);
    /* A ',' decimal is not a number, whatever the delimiter, and is said
     * to be one rather than taken for text. */
    assert_int_equal(load("a;b;label\n1,5;2;x\n", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "t.csv:2:1: column 'a' holds '1,5', a number with a decimal "
                                 "comma, which cannot be read as a number; write it with a "
                                 "decimal point");
    assert_int_equal(load("a;b;label\n1.5;2;x\n2;-0,25;y\n", &o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, "t.csv:3:3: column 'b' holds '-0,25', a number with a decimal "
                                 "comma, which cannot be read as a number; write it with a "
                                 "decimal point");
    /* named categorical, it is text like any other */
    o.categorical = "a";
    assert_int_equal(load("a;b;label\n1,5;2;x\n", &o, &t, &err), AUG_OK);
    assert_string_equal(t.cats[0].text[0], "1,5");
    aug_table_free(&t);
    o.categorical = NULL;

    o = opts('\t', 1, NULL);
    assert_int_equal(load("a\tb\tlabel\n1\t2\tx y\n3\t4\tz\n", &o, &t, &err), AUG_OK);
    assert_int_equal(t.rows, 2);
    assert_int_equal(t.cols, 2);
    assert_string_equal(t.classes[0], "x y");
    aug_table_free(&t);

    o = opts('"', 1, NULL);
    assert_int_equal(load("a\n", &o, &t, &err), AUG_ERR_ARG);
}

static void expect_load_error_o(const char *csv, const aug_csv_options *o,
                                const char *msg)
{
    aug_table t;
    aug_error err;
    assert_int_equal(load(csv, o, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, msg);
    assert_int_equal(t.rows, 0);
    assert_null(t.x);
    assert_null(t.classes);
    aug_table_free(&t);
}

static void expect_load_error(const char *csv, const char *msg)
{
    expect_load_error_o(csv, NULL, msg);
}

static void test_load_errors(void **state)
{
    (void)state;
    aug_csv_options o = opts(',', 1, "label");
    /* Short row: COL is where the missing field was due (the newline). */
    expect_load_error("a,b,label\n1,2,x\n3,4\n", "t.csv:3:4: expected 3 fields, found 2");
    expect_load_error("a,b,label\n1,2,x\n3,4", "t.csv:3:4: expected 3 fields, found 2");
    /* Long row: COL is where the first extra field starts. */
    expect_load_error("a,b,label\n1,2,x,9\n", "t.csv:2:7: expected 3 fields, found 4");
    expect_load_error("a,b,label\n1,2,\"x\ny\",,\n", "t.csv:3:4: expected 3 fields, found 5");
    expect_load_error("a,b,label\n1,2,x\n1,abc,x\n",
                      "t.csv:3:3: column 'b' is numeric but holds 'abc' (to keep the column "
                      "as text, name it in --categorical)");
    /* The field's own line, after a quoted newline in the same record. */
    expect_load_error_o("a,label,b\n1,x,2\n1,\"multi\nline\",zz\n", &o,
                      "t.csv:4:7: column 'b' is numeric but holds 'zz' (to keep the column "
                      "as text, name it in --categorical)");
    /* A blank first value leaves the type open; a number then makes the
     * blank an error at its own place. */
    expect_load_error("a,b,label\n1,,x\n2,5,y\n", "t.csv:2:3: empty value in column 'b'");
    expect_load_error("a,b,label\n1,,x\n", "t.csv:2:3: empty value in column 'b'");
    expect_load_error("a,b,label\n1,  ,x\n", "t.csv:2:3: empty value in column 'b'");
    expect_load_error("a,b,label\n,1,x\n", "t.csv:2:1: empty value in column 'a'");
    expect_load_error("a,b,label\n1,nan,x\n", "t.csv:2:3: 'nan' in column 'b' is not a finite number");
    expect_load_error("a,b,label\n1,-Inf,x\n", "t.csv:2:3: '-Inf' in column 'b' is not a finite number");
    expect_load_error("a,b,label\n1e999,1,x\n", "t.csv:2:1: '1e999' in column 'a' is not a finite number");
    expect_load_error("", "t.csv: empty file (no header)");
    expect_load_error("\n\r\n", "t.csv: empty file (no header)");
    expect_load_error("a,b,label\n", "t.csv: no data rows");
    expect_load_error("a,b,label\n\n\n", "t.csv: no data rows");
    expect_load_error("a,b,label\n1,2,\n", "t.csv:2: label is empty");
    expect_load_error("a,b,label\n1,2,\"\"\n", "t.csv:2: label is empty");
    expect_load_error("label\nx\n",
                      "t.csv: only the label column 'label'; a table needs at least one feature column");
    expect_load_error("a,label\n1,\"x\n", "t.csv:2:3: unterminated quoted field");
    /* Values in messages stay on one line and short. */
    expect_load_error("a,b,label\n1,2,q\n1,\"x\ny\",z\n",
                      "t.csv:3:3: column 'b' is numeric but holds 'x?y' (to keep the column as "
                      "text, name it in --categorical)");
    expect_load_error("a,b,label\n1,2,q\n1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,z\n",
                      "t.csv:3:3: column 'b' is numeric but holds "
                      "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' (to keep the column as "
                      "text, name it in --categorical)");
    /* A header of one column: most likely the wrong delimiter. */
    expect_load_error("a;b;label\n1;2;x\n",
                      "t.csv: only the label column 'a;b;label'; a table needs at least one "
                      "feature column (the header holds ';': try --delimiter ';')");
    expect_load_error("a\tb\tlabel\n1\t2\tx\n",
                      "t.csv: only the label column 'a?b?label'; a table needs at least one "
                      "feature column (the header holds '\\t': try --delimiter '\\t')");
}

static void expect_file_error(const char *file, const char *msg)
{
    aug_table t;
    aug_error err;
    assert_int_equal(load_data(file, &t, &err), AUG_ERR_FORMAT);
    assert_string_equal(err.msg, msg);
    assert_int_equal(t.rows, 0);
}

static void test_load_error_files(void **state)
{
    (void)state;
    expect_file_error("bad_quote.csv", DATA "bad_quote.csv:3:4: quote inside an unquoted field");
    expect_file_error("unterminated.csv", DATA "unterminated.csv:3:5: unterminated quoted field");
    expect_file_error("ragged.csv", DATA "ragged.csv:3:4: expected 3 fields, found 2");
    aug_table t;
    aug_error err;
    assert_int_equal(load_data("categorical.csv", &t, &err), AUG_OK); /* 'color' is text */
    assert_true(aug_table_is_categorical(&t, 1));
    aug_table_free(&t);
    expect_file_error("nan.csv", DATA "nan.csv:3:3: 'NaN' in column 'b' is not a finite number");
    expect_file_error("empty_value.csv", DATA "empty_value.csv:2:3: empty value in column 'b'");
    expect_file_error("empty_label.csv", DATA "empty_label.csv:3: label is empty");
    expect_file_error("header_only.csv", DATA "header_only.csv: no data rows");
    expect_file_error("empty.csv", DATA "empty.csv: empty file (no header)");
}

/* More rows than one loading batch, new classes arriving all along, and
 * (second run) a label that is not a number arriving late. */
static void test_load_many_classes(void **state)
{
    (void)state;
    enum { ROWS = 40000, CLASSES = 20011 }; /* classes arrive in 3 batches */
    for (int late_text = 0; late_text < 2; late_text++) {
        char *csv = malloc(ROWS * 24 + 16);
        char (*want)[16] = malloc(ROWS * sizeof *want);
        assert_non_null(csv);
        assert_non_null(want);
        size_t n = (size_t)sprintf(csv, "v,label\n");
        for (size_t r = 0; r < ROWS; r++) {
            if (late_text && r == ROWS - 100)
                snprintf(want[r], sizeof want[r], "n/a");
            else
                snprintf(want[r], sizeof want[r], "%zu", r * 7919 % CLASSES);
            n += (size_t)sprintf(csv + n, "%zu,%s\n", r, want[r]);
        }
        aug_table t;
        aug_error err;
        assert_int_equal(load(csv, NULL, &t, &err), AUG_OK);
        assert_int_equal(t.rows, ROWS);
        assert_int_equal(t.nclasses, CLASSES + late_text);
        for (size_t r = 0; r < ROWS; r++) {
            assert_true(t.x[r] == (double)r);
            assert_string_equal(t.classes[t.label[r]], want[r]);
        }
        for (size_t k = 1; k < t.nclasses; k++) {
            const char *a = t.classes[k - 1], *b = t.classes[k];
            if (late_text)
                assert_true(strcmp(a, b) < 0);
            else
                assert_true(strtol(a, NULL, 10) < strtol(b, NULL, 10));
        }
        aug_table_free(&t);
        free(csv);
        free(want);
    }
}

static void write_fields(const char *const *f, size_t n, char delim, const char *want)
{
    FILE *fp = fopen(out_path, "wb");
    assert_non_null(fp);
    aug_error err;
    assert_int_equal(aug_csv_write_record(fp, delim, f, n, &err), AUG_OK);
    assert_int_equal(fclose(fp), 0);
    char *got = slurp(out_path);
    assert_string_equal(got, want);
    free(got);
}

static void test_write_record(void **state)
{
    (void)state;
    const char *const f[] = {"plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rx",
                             "", " sp ", "a;b", "\""};
    write_fields(f, 9, ',',
                 "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rx\",, sp ,a;b,\"\"\"\"\n");
    write_fields(f, 9, ';',
                 "plain;a,b;\"say \"\"hi\"\"\";\"line\nbreak\";\"cr\rx\";; sp ;\"a;b\";\"\"\"\"\n");
    const char *const empty[] = {""};
    write_fields(empty, 1, ',', "\"\"\n"); /* a bare newline would be skipped */
    const char *const two_empty[] = {"", ""};
    write_fields(two_empty, 2, '\t', "\t\n");

    /* What was written reads back as the same fields. */
    FILE *fp = fopen(out_path, "wb");
    aug_error err;
    assert_int_equal(aug_csv_write_record(fp, ',', f, 9, &err), AUG_OK);
    assert_int_equal(aug_csv_write_record(fp, ',', empty, 1, &err), AUG_OK);
    fclose(fp);
    fp = fopen(out_path, "rb");
    aug_csv_reader *r;
    char **g;
    size_t ng;
    assert_int_equal(aug_csv_open(&r, fp, "out", ',', &err), AUG_OK);
    assert_int_equal(aug_csv_next(r, &g, &ng, &err), AUG_OK);
    assert_int_equal(ng, 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(g[i], f[i]);
    assert_int_equal(aug_csv_next(r, &g, &ng, &err), AUG_OK);
    assert_int_equal(ng, 1);
    assert_string_equal(g[0], "");
    assert_int_equal(aug_csv_next(r, &g, &ng, &err), AUG_OK);
    assert_int_equal(ng, 0);
    aug_csv_close(r);
    fclose(fp);
}

static void test_write_errors(void **state)
{
    (void)state;
    const char *const f[] = {"a", "b"};
    aug_error err;
    /* A stream open only for reading fails on the first write. */
    FILE *fp = fopen(DATA "iris.csv", "rb");
    assert_non_null(fp);
    assert_int_equal(aug_csv_write_record(fp, ',', f, 2, &err), AUG_ERR_IO);
    assert_int_equal(err.code, AUG_ERR_IO);
    assert_non_null(strstr(err.msg, "cannot write CSV"));
    fclose(fp);
    fp = fopen("/dev/full", "wb");
    if (fp) {
        setvbuf(fp, NULL, _IONBF, 0);
        assert_int_equal(aug_csv_write_record(fp, ',', f, 2, &err), AUG_ERR_IO);
        fclose(fp);
    }
    fp = fopen(out_path, "wb");
    assert_int_equal(aug_csv_write_record(fp, ',', f, 0, &err), AUG_ERR_ARG);
    assert_int_equal(aug_csv_write_record(fp, '\r', f, 2, &err), AUG_ERR_ARG);
    fclose(fp);
}

/* Label in the middle: the header and rows come back in the file's order. */
static void test_write_table(void **state)
{
    (void)state;
    aug_table t;
    aug_error err;
    aug_csv_options o = opts(',', 1, "label");
    assert_int_equal(load("a,label,\"b \"\"q\"\"\"\n"
                          "1.50,\"x,y\",2\n"
                          "0.1,z,-0\n"
                          "1e3,x\"\"y,0.30000000000000004\n", &o, &t, &err),
                     AUG_ERR_FORMAT); /* x""y unquoted: a stray quote */
    assert_int_equal(load("a,label,\"b \"\"q\"\"\"\n"
                          "1.50,\"x,y\",2\n"
                          "0.1,z,-0\n"
                          "1e3,\"x\"\"y\",0.30000000000000004\n", &o, &t, &err),
                     AUG_OK);
    FILE *fp = fopen(out_path, "wb");
    assert_non_null(fp);
    assert_int_equal(aug_csv_write_header(fp, &t, ',', &err), AUG_OK);
    assert_int_equal(aug_csv_write_rows(fp, &t, 0, t.rows, ',', 0, &err), AUG_OK);
    assert_int_equal(aug_csv_write_rows(fp, &t, 1, 2, ',', 2, &err), AUG_OK);
    assert_int_equal(aug_csv_write_rows(fp, &t, 2, 2, ',', 0, &err), AUG_OK);
    assert_int_equal(aug_csv_write_rows(fp, &t, 2, 4, ',', 0, &err), AUG_ERR_ARG);
    assert_int_equal(aug_csv_write_rows(fp, &t, 2, 1, ',', 0, &err), AUG_ERR_ARG);
    fclose(fp);
    char *out = slurp(out_path);
    assert_string_equal(out, "a,label,\"b \"\"q\"\"\"\n"
                             "1.5,\"x,y\",2\n"
                             "0.1,z,-0\n"
                             "1000,\"x\"\"y\",0.30000000000000004\n"
                             "0.1,z,-0\n");
    free(out);

    /* Label first, ';' delimiter. */
    t.label_pos = 0;
    fp = fopen(out_path, "wb");
    assert_int_equal(aug_csv_write_header(fp, &t, ';', &err), AUG_OK);
    assert_int_equal(aug_csv_write_rows(fp, &t, 0, 1, ';', 0, &err), AUG_OK);
    fclose(fp);
    out = slurp(out_path);
    assert_string_equal(out, "label;a;\"b \"\"q\"\"\"\nx,y;1.5;2\n");
    free(out);
    aug_table_free(&t);
}

/* Random tables survive write + load bit for bit, labels included. */
static void test_table_round_trip(void **state)
{
    (void)state;
    const char *const names[] = {"x0", "x,1", "x\"2"};
    const char *const labels[] = {"a", "b c", "d,e", "f\"g", "h\ni", "10", "9"};
    aug_table t;
    aug_error err;
    assert_int_equal(aug_table_init(&t, 3, names, "the label", &err), AUG_OK);
    t.label_pos = 1;
    uint64_t s = 7;
    for (size_t r = 0; r < 500; r++) {
        double row[3];
        for (int c = 0; c < 3; c++) {
            do {
                uint64_t hi = lcg(&s) >> 32, bits = hi << 32 | (lcg(&s) >> 32);
                memcpy(&row[c], &bits, sizeof row[c]);
            } while (!isfinite(row[c]));
        }
        row[0] = (double)(int64_t)(lcg(&s) >> 40) - 8388608; /* integers too */
        assert_int_equal(aug_table_append(&t, row, labels[lcg(&s) % 7], &err), AUG_OK);
    }
    FILE *fp = fopen(out_path, "wb");
    assert_int_equal(aug_csv_write_header(fp, &t, ',', &err), AUG_OK);
    assert_int_equal(aug_csv_write_rows(fp, &t, 0, t.rows, ',', 0, &err), AUG_OK);
    fclose(fp);
    fp = fopen(out_path, "rb");
    aug_table u;
    aug_csv_options o = opts(',', 1, "the label");
    assert_int_equal(aug_csv_load_table(&u, fp, "out.csv", &o, &err), AUG_OK);
    fclose(fp);
    assert_int_equal(u.rows, t.rows);
    assert_int_equal(u.cols, 3);
    assert_int_equal(u.label_pos, 1);
    for (int c = 0; c < 3; c++)
        assert_string_equal(u.names[c], names[c]);
    assert_memory_equal(u.x, t.x, t.rows * 3 * sizeof *t.x);
    for (size_t r = 0; r < t.rows; r++)
        assert_string_equal(u.classes[u.label[r]], t.classes[t.label[r]]);
    aug_table_free(&u);
    aug_table_free(&t);
}

/* ---- the two readings, categories, the writer ---- */

/* What a scan's record callback saw: "H|" for the header, then per row
 * "index:" and the raw bytes. */
typedef struct seen {
    char buf[4096];
    size_t len;
} seen;

static aug_status see(void *ctx, size_t row, const aug_csv_cell *cells, size_t n,
                      const char *raw, size_t len, aug_error *err)
{
    (void)cells;
    (void)n;
    (void)err;
    seen *sn = ctx;
    if (row == AUG_CSV_HEADER)
        sn->len += (size_t)snprintf(sn->buf + sn->len, sizeof sn->buf - sn->len, "H|");
    else
        sn->len += (size_t)snprintf(sn->buf + sn->len, sizeof sn->buf - sn->len, "%zu:", row);
    memcpy(sn->buf + sn->len, raw, len);
    sn->len += len;
    sn->buf[sn->len] = '\0';
    return AUG_OK;
}

static void test_scan(void **state)
{
    (void)state;
    const char *csv = "\xEF\xBB\xBF" "a,colour,label\r\n"
                      "1.5,\"dark, red\",10\r\n"
                      "\r\n"
                      "2,blue,9\r\n"
                      "3,\"dark, red\",10\r\n"
                      "4,blue,10";
    FILE *fp = text(csv);
    aug_csv_scan sc;
    aug_error err;
    seen sn = {.len = 0};
    assert_int_equal(aug_csv_scan_table(fp, "t.csv", NULL, &sc, see, &sn, &err), AUG_OK);
    assert_int_equal(sc.rows, 4);
    assert_int_equal(sc.ncols, 3);
    assert_int_equal(sc.label, 2);
    assert_true(sc.bom);
    assert_string_equal(sc.eol, "\r\n");
    /* classes in numeric order, counted */
    assert_int_equal(sc.nclasses, 2);
    assert_string_equal(sc.classes[0], "9");
    assert_string_equal(sc.classes[1], "10");
    assert_int_equal(sc.counts[0], 1);
    assert_int_equal(sc.counts[1], 3);
    assert_int_equal(sc.categorical[0], 0);
    assert_int_equal(sc.categorical[1], 1);
    /* numeric labels and a text first column: the scan guesses */
    assert_null(sc.label_hint); /* the first column is numeric */
    /* every record, the raw bytes as they came (CRLF, quotes, no BOM) */
    assert_string_equal(sn.buf, "H|a,colour,label\r\n0:1.5,\"dark, red\",10\r\n1:2,blue,9\r\n"
                                "2:3,\"dark, red\",10\r\n3:4,blue,10");
    /* the second reading: only class "10", with input rows and categories */
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    aug_table t;
    const unsigned char keep[2] = {0, 1};
    sn.len = 0;
    assert_int_equal(aug_csv_load_rows(&t, fp, "t.csv", NULL, &sc, keep, see, &sn, &err),
                     AUG_OK);
    assert_int_equal(t.rows, 3);
    assert_int_equal(t.nclasses, 2); /* every class of the scan */
    assert_int_equal(aug_table_source(&t, 0), 0);
    assert_int_equal(aug_table_source(&t, 1), 2);
    assert_int_equal(aug_table_source(&t, 2), 3);
    assert_true(aug_table_is_categorical(&t, 1));
    /* categories in byte order; the raw form keeps the quotes */
    assert_int_equal(t.cats[1].n, 2);
    assert_string_equal(t.cats[1].text[0], "blue");
    assert_string_equal(t.cats[1].text[1], "dark, red");
    assert_string_equal(t.cats[1].raw[1], "\"dark, red\"");
    assert_true(t.x[1] == 1 && t.x[3] == 1 && t.x[5] == 0);
    assert_true(t.x[0] == 1.5 && t.x[4] == 4);
    assert_int_equal(strncmp(sn.buf, "H|a,colour", 10), 0); /* it saw every record too */
    aug_table_free(&t);
    aug_csv_scan_free(&sc);
    fclose(fp);

    /* --categorical by name and by index; the label may not be one */
    aug_csv_options o = opts(',', 1, NULL);
    o.categorical = "x, 1";
    fp = text("x,y,z,label\n1,2,3,a\n4,5,6,b\n");
    assert_int_equal(aug_csv_scan_table(fp, "t.csv", &o, &sc, NULL, NULL, &err), AUG_OK);
    assert_true(sc.categorical[0] && sc.categorical[1] && !sc.categorical[2]);
    aug_csv_scan_free(&sc);
    fclose(fp);
    o.categorical = "label";
    fp = text("x,label\n1,a\n");
    assert_int_equal(aug_csv_scan_table(fp, "t.csv", &o, &sc, NULL, NULL, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "label column"));
    fclose(fp);
    o.categorical = "nope";
    fp = text("x,label\n1,a\n");
    assert_int_equal(aug_csv_scan_table(fp, "t.csv", &o, &sc, NULL, NULL, &err), AUG_ERR_ARG);
    assert_string_equal(err.msg, "t.csv: --categorical names no column 'nope'");
    fclose(fp);

    /* a text first column and numeric labels: the hint names it */
    fp = text("species,w,h\nsetosa,1,2\niris,3,4\n");
    assert_int_equal(aug_csv_scan_table(fp, "t.csv", NULL, &sc, NULL, NULL, &err), AUG_OK);
    assert_non_null(sc.label_hint);
    assert_non_null(strstr(sc.label_hint, "--label species"));
    aug_csv_scan_free(&sc);
    fclose(fp);
}

/* aug_csv_load_table reads a pipe too (it keeps a copy). */
static void test_load_from_pipe(void **state)
{
    (void)state;
    FILE *fp = popen("printf 'a,b,label\\n1,x,p\\n2,y,q\\n'", "r");
    assert_non_null(fp);
    aug_table t;
    aug_error err;
    assert_int_equal(aug_csv_load_table(&t, fp, "pipe", NULL, &err), AUG_OK);
    pclose(fp);
    assert_int_equal(t.rows, 2);
    assert_true(aug_table_is_categorical(&t, 1));
    aug_table_free(&t);
}

static void test_writer(void **state)
{
    (void)state;
    FILE *fp = fopen(out_path, "wb");
    assert_non_null(fp);
    aug_csv_writer *w;
    aug_error err;
    assert_int_equal(aug_csv_writer_open(&w, fp, ';', "\r\n", &err), AUG_OK);
    assert_int_equal(aug_csv_writer_text(w, "a;b", 3, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_text(w, "say \"x\"", 7, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_number(w, 0.1 + 0.2, 0, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_number(w, 2.0 / 3, 3, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_field_raw(w, "\"kept\"", 6, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_end(w, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_raw(w, "as,is\r\n", 7, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_close(&w, &err), AUG_OK);
    assert_null(w);
    fclose(fp);
    char *got = slurp(out_path);
    assert_string_equal(got, "\"a;b\";\"say \"\"x\"\"\";0.30000000000000004;0.667;\"kept\"\r\n"
                             "as,is\r\n");
    free(got);
    /* a delimiter that can be inside a number: the number is quoted */
    fp = fopen(out_path, "wb");
    assert_int_equal(aug_csv_writer_open(&w, fp, '.', "\n", &err), AUG_OK);
    assert_int_equal(aug_csv_writer_number(w, 1.5, 0, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_number(w, 2, 0, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_end(w, &err), AUG_OK);
    assert_int_equal(aug_csv_writer_close(&w, &err), AUG_OK);
    fclose(fp);
    got = slurp(out_path);
    assert_string_equal(got, "\"1.5\".2\n");
    free(got);
    /* a write error is reported (unbuffered: stdio keeps nothing back) */
    fp = fopen("/dev/full", "wb");
    if (fp) {
        setvbuf(fp, NULL, _IONBF, 0);
        assert_int_equal(aug_csv_writer_open(&w, fp, ',', "\n", &err), AUG_OK);
        aug_csv_writer_text(w, "x", 1, &err);
        aug_csv_writer_end(w, &err);
        assert_int_equal(aug_csv_writer_close(&w, &err), AUG_ERR_IO);
        fclose(fp);
    }
}

/* A row with a categorical column: its raw bytes when the delimiter is
 * the file's, else its text quoted for the new one. */
static void test_writer_categories(void **state)
{
    (void)state;
    aug_table t;
    aug_error err;
    assert_int_equal(load("a,\"c d\",label\n1,\"x, y\",p\n2,plain,q\n", NULL, &t, &err), AUG_OK);
    for (int delim = 0; delim < 2; delim++) {
        FILE *fp = fopen(out_path, "wb");
        aug_csv_writer *w;
        assert_int_equal(aug_csv_writer_open(&w, fp, delim ? '\t' : ',', "\n", &err), AUG_OK);
        for (size_t r = 0; r < t.rows; r++)
            assert_int_equal(aug_csv_writer_row(w, &t, t.x + r * 2, t.label[r], 0, &err),
                             AUG_OK);
        assert_int_equal(aug_csv_writer_close(&w, &err), AUG_OK);
        fclose(fp);
        char *got = slurp(out_path);
        assert_string_equal(got, delim ? "1\tx, y\tp\n2\tplain\tq\n" : "1,\"x, y\",p\n2,plain,q\n");
        free(got);
    }
    aug_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_reader_large),
        cmocka_unit_test(test_reader_errors),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_format_double),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_comma_locale),
        cmocka_unit_test(test_iris),
        cmocka_unit_test(test_wine),
        cmocka_unit_test(test_load_quoting),
        cmocka_unit_test(test_load_label_choice),
        cmocka_unit_test(test_load_no_header),
        cmocka_unit_test(test_load_delimiters),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_error_files),
        cmocka_unit_test(test_load_many_classes),
        cmocka_unit_test(test_write_record),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_write_table),
        cmocka_unit_test(test_table_round_trip),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_load_from_pipe),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_categories),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
