/* Allocation-failure injection, SQLite's way: linked into a test build of
 * the tool with -Wl,--wrap for every allocation function our code calls,
 * this makes the N-th allocation (AUGMENT_FAIL_ALLOC=N) return NULL, and
 * with AUGMENT_COUNT_ALLOC=FILE writes how many there were at exit, so a
 * test can fail each one in turn (tests/e2e/alloc.sh). Allocations inside
 * system libraries (libjpeg, libc's own) are theirs and not counted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t m, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t m, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static unsigned long count, fail_at;
static int configured;

static void report(void)
{
    const char *path = getenv("AUGMENT_COUNT_ALLOC");
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (fp) {
        fprintf(fp, "%lu\n", count);
        fclose(fp);
    }
}

/* Called on every allocation: 1 when this one is to fail. */
static int should_fail(void)
{
    if (!configured) {
        configured = 1;
        const char *v = getenv("AUGMENT_FAIL_ALLOC");
        fail_at = v ? strtoul(v, NULL, 10) : 0;
        if (getenv("AUGMENT_COUNT_ALLOC"))
            atexit(report);
    }
    /* threads: the count is a shared counter (runs under test use -j 1) */
    unsigned long n = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);
    if (n == fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t m, size_t n)
{
    return should_fail() ? NULL : __real_calloc(m, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}
