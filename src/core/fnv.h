/* FNV-1a over a byte string: the hash of the small open-addressing tables
 * that number categories and count class labels. Internal to the library;
 * its values are never stored or printed, so it may change freely. */
#ifndef AUGMENT_CORE_FNV_H
#define AUGMENT_CORE_FNV_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t aug_fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#endif
