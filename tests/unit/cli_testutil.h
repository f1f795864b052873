/* Helpers for the test programs that drive the augment binary
 * (test_cli_images.c, test_cli_tables.c): find and run it, make a scratch
 * folder per test, read its outputs back with the library. Static inline so
 * that a program that uses only some of them still builds with -Werror. */
#ifndef AUGMENT_CLI_TESTUTIL_H
#define AUGMENT_CLI_TESTUTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "augment/augment.h"
#include "testutil.h"

#define CLI_PATH_MAX 4096

/* The binary: $AUGMENT, else ../augment next to this test program (tests
 * are built into $BUILD/tests/, the binary into $BUILD/). */
static inline const char *cli_binary(void)
{
    static char path[CLI_PATH_MAX + 32];
    if (path[0])
        return path;
    const char *env = getenv("AUGMENT");
    if (env && *env) {
        snprintf(path, sizeof path, "%s", env);
        return path;
    }
    char self[CLI_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        snprintf(path, sizeof path, "build/augment");
        return path;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, sizeof path, "%s/../augment", self);
    return path;
}

/* tests/data: $AUGMENT_DATA, else relative to the repo root (where make
 * and tests/run.sh run the tests from). */
static inline const char *cli_data(void)
{
    const char *env = getenv("AUGMENT_DATA");
    return env && *env ? env : "tests/data";
}

/* Run "<binary> ARGS" through the shell (ARGS may redirect); returns the
 * exit status, or -1 if it did not exit normally. */
static inline int cli_run(const char *fmt, ...)
{
    char args[3 * CLI_PATH_MAX], cmd[5 * CLI_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' %s", cli_binary(), args);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* Any shell command (cp, mkdir...): 0 on success. */
static inline int cli_sh(const char *fmt, ...)
{
    char cmd[4 * CLI_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* A fresh scratch folder (malloc'd path) and its removal. */
static inline char *cli_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[CLI_PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/augment-cli-test.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl))
        return NULL;
    return strdup(tmpl);
}

static inline void cli_rmtree(char *dir)
{
    if (dir && strstr(dir, "augment-cli-test."))
        cli_sh("rm -rf '%s'", dir);
    free(dir);
}

/* cmocka setup and teardown: each test gets a fresh scratch folder as its
 * state, removed after it. */
static inline int cli_setup(void **state)
{
    char *dir = cli_tmpdir();
    if (!dir)
        return -1;
    *state = dir;
    return 0;
}

static inline int cli_teardown(void **state)
{
    cli_rmtree(*state);
    return 0;
}

/* A cmocka test entry that runs in its own scratch folder. */
#define CLI_TEST(f) cmocka_unit_test_setup_teardown(f, cli_setup, cli_teardown)

/* "DIR/NAME" into a caller buffer. */
static inline const char *cli_path(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

/* NAME inside the scratch folder, for a function with `dir` (the folder)
 * and `char path_buf[CLI_PATH_MAX]` in scope. */
#define P(name) cli_path(path_buf, sizeof path_buf, dir, name)

static inline int cli_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Read a whole file; NULL when it cannot be read. */
static inline uint8_t *cli_read(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    *len = n;
    return buf;
}

/* Decode an image file with the library; AUG_OK or the decoder's status. */
static inline aug_status cli_load(const char *path, aug_image *img)
{
    size_t len = 0;
    uint8_t *buf = cli_read(path, &len);
    *img = (aug_image){0};
    if (!buf)
        return AUG_ERR_IO;
    aug_status st = aug_decode(buf, len, 0, img, NULL, NULL);
    free(buf);
    return st;
}

/* Encode an image as PNG (or another format) into a file. */
static inline aug_status cli_save(const char *path, const aug_image *img, aug_format fmt)
{
    uint8_t *buf;
    size_t len;
    aug_status st = aug_encode(img, fmt, 95, &buf, &len, NULL);
    if (st)
        return st;
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(buf, 1, len, fp) != len)
        st = AUG_ERR_IO;
    if (fp && fclose(fp))
        st = AUG_ERR_IO;
    free(buf);
    return st;
}

/* A whole CSV file as rows of strings, read with the library's reader. */
typedef struct cli_csv {
    size_t rows, cols; /* cols of the first row */
    char ***cell;      /* cell[r][c] */
    size_t *ncells;    /* per row */
} cli_csv;

static inline void cli_csv_free(cli_csv *t)
{
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->ncells[r]; c++)
            free(t->cell[r][c]);
        free(t->cell[r]);
    }
    free(t->cell);
    free(t->ncells);
    *t = (cli_csv){0};
}

/* 0 on success; -1 if the file cannot be opened or parsed. */
static inline int cli_csv_read(const char *path, cli_csv *t)
{
    *t = (cli_csv){0};
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    aug_csv_reader *r;
    if (aug_csv_open(&r, fp, path, ',', NULL)) {
        fclose(fp);
        return -1;
    }
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        char **f;
        size_t n;
        if (aug_csv_next(r, &f, &n, NULL)) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        if (t->rows == cap) {
            cap = cap ? cap * 2 : 256;
            char ***c = realloc(t->cell, cap * sizeof *c);
            size_t *nc = realloc(t->ncells, cap * sizeof *nc);
            if (c)
                t->cell = c;
            if (nc)
                t->ncells = nc;
            if (!c || !nc) {
                rc = -1;
                break;
            }
        }
        char **row = calloc(n, sizeof *row);
        if (!row) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < n; i++)
            row[i] = strdup(f[i]);
        t->cell[t->rows] = row;
        t->ncells[t->rows] = n;
        t->rows++;
    }
    if (t->rows)
        t->cols = t->ncells[0];
    aug_csv_close(r);
    fclose(fp);
    if (rc)
        cli_csv_free(t);
    return rc;
}

/* Row 0 of t begins with exactly the names given (a list of strings). */
#define CLI_ASSERT_HEADER(t, ...)                                                           \
    cli_assert_header((t), (const char *const[]){__VA_ARGS__},                             \
                      sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static inline void cli_assert_header(const cli_csv *t, const char *const *names, size_t n)
{
    assert_true(t->rows >= 1);
    assert_true(t->ncells[0] >= n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(t->cell[0][i], names[i]);
}

/* Column index by header name, or -1. */
static inline int cli_csv_col(const cli_csv *t, const char *name)
{
    for (size_t c = 0; t->rows && c < t->ncells[0]; c++)
        if (strcmp(t->cell[0][c], name) == 0)
            return (int)c;
    return -1;
}

#endif
