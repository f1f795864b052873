/* OpenCV's border rules as one index function, shared by the kernels that
 * read outside the image (crop and pad, blurs, the warps). Internal to the
 * library. */
#ifndef AUGMENT_KERNELS_BORDER_H
#define AUGMENT_KERNELS_BORDER_H

#include <stdint.h>

#include "augment/kernels.h"

/* i modulo per, in 0..per-1. Indices just outside the image, the usual
 * case, need no division. */
static inline int64_t aug_mod(int64_t i, int64_t per)
{
    if (i >= 0 && i < per)
        return i;
    if (i < 0 && i >= -per)
        return i + per;
    int64_t k = i % per;
    return k < 0 ? k + per : k;
}

/* Index i brought into 0..n-1 by the border rule, or -1 for the constant
 * fill. Reflections are taken modulo their period, so far indices cost the
 * same as near ones:
 * replicate aaa|abcdefgh|hhh, reflect fedcba|abcdefgh|hgfedcb,
 * reflect101 gfedcb|abcdefgh|gfedcba, wrap cdefgh|abcdefgh|abcdefg. */
static inline int64_t aug_border_index(int64_t i, int64_t n, aug_border b)
{
    if (i >= 0 && i < n)
        return i;
    int64_t k;
    switch (b) {
    case AUG_BORDER_REPLICATE:
        return i < 0 ? 0 : n - 1;
    case AUG_BORDER_REFLECT:
        k = aug_mod(i, 2 * n);
        return k < n ? k : 2 * n - 1 - k;
    case AUG_BORDER_REFLECT101:
        if (n == 1)
            return 0;
        k = aug_mod(i, 2 * n - 2);
        return k < n ? k : 2 * n - 2 - k;
    case AUG_BORDER_WRAP:
        return aug_mod(i, n);
    case AUG_BORDER_CONSTANT:
        break;
    }
    return -1;
}

#endif
