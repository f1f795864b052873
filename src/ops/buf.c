/* Growing text for manifest params and messages: no fixed-size buffers, so
 * nothing is ever cut (a run of 40 rectangles once lost its tail to a
 * 512-byte limit). An allocation failure is remembered, not fatal. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/ops.h"

static int reserve(aug_buf *b, size_t more)
{
    if (b->failed)
        return 0;
    if (b->len + more + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + more + 1) {
        if (cap > (size_t)-1 / 2) {
            b->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void aug_buf_add(aug_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void vaddf(aug_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char small[128];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        b->failed = 1;
    } else if ((size_t)n < sizeof small) {
        aug_buf_add(b, small, (size_t)n);
    } else if (reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void aug_buf_addf(aug_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vaddf(b, fmt, ap);
    va_end(ap);
}

void aug_buf_item(aug_buf *b, const char *fmt, ...)
{
    if (b->len)
        aug_buf_add(b, ";", 1);
    va_list ap;
    va_start(ap, fmt);
    vaddf(b, fmt, ap);
    va_end(ap);
}

void aug_buf_free(aug_buf *b)
{
    free(b->data);
    *b = (aug_buf){0};
}
