/* COCO's run-length masks (include/augment/labelfile.h): runs of 0s and
 * 1s, alternating from 0s, over the pixels in column-major order (down
 * the first column, then the next); "counts" is a list of numbers, or
 * pycocotools' compressed text (each run, minus the run two before from
 * the third on, in 5-bit groups with a continuation bit, offset by 48). */
#include <stdlib.h>
#include <string.h>

#include "augment/labelfile.h"

aug_status aug_rle_decode_counts(const uint32_t *counts, size_t n, int w, int h,
                                 aug_image *mask, aug_error *err)
{
    uint64_t total = (uint64_t)w * (uint64_t)h, at = 0;
    for (size_t i = 0; i < n; i++) {
        at += counts[i];
        if (at > total)
            return aug_fail(err, AUG_ERR_FORMAT, "the runs cover more than the %dx%d pixels of "
                            "its size", w, h);
    }
    if (at != total)
        return aug_fail(err, AUG_ERR_FORMAT, "the runs cover %llu of the %dx%d pixels of its "
                        "size", (unsigned long long)at, w, h);
    aug_status st = aug_image_alloc(mask, w, h, 1, err);
    if (st)
        return st;
    at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i & 1)
            for (uint64_t k = at; k < at + counts[i]; k++) {
                uint64_t x = k / (uint64_t)h, y = k % (uint64_t)h;
                mask->data[y * (uint64_t)w + x] = 1;
            }
        at += counts[i];
    }
    return AUG_OK;
}

aug_status aug_rle_decode_string(const char *s, int w, int h, aug_image *mask, aug_error *err)
{
    size_t len = strlen(s), n = 0;
    uint32_t *counts = malloc((len ? len : 1) * sizeof *counts);
    if (!counts)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    size_t p = 0;
    while (p < len) {
        int64_t x = 0;
        int k = 0, more = 1;
        while (more) {
            if (p >= len || k > 6) {
                free(counts);
                return aug_fail(err, AUG_ERR_FORMAT, "the compressed counts end inside a run");
            }
            int c = s[p] - 48;
            if (c < 0 || c > 63) {
                free(counts);
                return aug_fail(err, AUG_ERR_FORMAT, "the compressed counts hold '%c'", s[p]);
            }
            x |= (int64_t)(c & 0x1f) << (5 * k);
            more = c & 0x20;
            p++;
            k++;
            if (!more && (c & 0x10))
                x |= (int64_t)(~(uint64_t)0 << (5 * k));
        }
        if (n > 2)
            x += counts[n - 2];
        if (x < 0 || x > UINT32_MAX) {
            free(counts);
            return aug_fail(err, AUG_ERR_FORMAT, "the compressed counts give a run of %lld",
                            (long long)x);
        }
        counts[n++] = (uint32_t)x;
    }
    aug_status st = aug_rle_decode_counts(counts, n, w, h, mask, err);
    free(counts);
    return st;
}

aug_status aug_rle_encode(const aug_image *mask, uint32_t **counts, size_t *n, aug_error *err)
{
    int w = mask->width, h = mask->height;
    size_t cap = 64, m = 0;
    uint32_t *c = malloc(cap * sizeof *c);
    if (!c)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    int cur = 0;
    uint32_t run = 0;
    for (int x = 0; x < w; x++)
        for (int y = 0; y < h; y++) {
            int v = mask->data[((size_t)y * (size_t)w + (size_t)x) * (size_t)mask->channels] != 0;
            if (v != cur) {
                if (m + 1 >= cap) {
                    uint32_t *t = realloc(c, cap * 2 * sizeof *t);
                    if (!t) {
                        free(c);
                        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
                    }
                    c = t;
                    cap *= 2;
                }
                c[m++] = run;
                run = 0;
                cur = v;
            }
            run++;
        }
    c[m++] = run;
    *counts = c;
    *n = m;
    return AUG_OK;
}

aug_status aug_rle_encode_string(const uint32_t *counts, size_t n, aug_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        int64_t x = counts[i];
        if (i > 2)
            x -= counts[i - 2];
        int more = 1;
        while (more) {
            int c = (int)(x & 0x1f);
            x >>= 5; /* arithmetic: negative runs keep their sign */
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            char ch = (char)(c + 48);
            aug_buf_add(out, &ch, 1);
        }
    }
    if (!out->data)
        aug_buf_add(out, "", 0);
    return out->failed ? AUG_ERR_NOMEM : AUG_OK;
}
