/* Image helpers shared by the test programs: allocate (failing the test
 * when allocation fails), fill with seeded noise or a constant, copy, and
 * address a pixel. Static inline so that a program that uses only some of
 * them still builds with -Werror; a header rather than a .c file because
 * the Makefile links every non-test .c of tests/unit into every program. */
#ifndef AUGMENT_TESTUTIL_H
#define AUGMENT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "augment/image.h"
#include "augment/rng.h"

static inline void make_image(aug_image *img, int w, int h, int ch)
{
    assert_int_equal(aug_image_alloc(img, w, h, ch, NULL), AUG_OK);
}

/* Every sample drawn uniformly from [lo, hi] by a generator seeded here,
 * so the same seed always gives the same picture. */
static inline void fill_random_range(aug_image *img, uint64_t seed, int lo, int hi)
{
    aug_rng rng;
    aug_rng_seed(&rng, seed);
    for (size_t i = 0; i < aug_image_size(img); i++)
        img->data[i] = (uint8_t)(lo + (int)aug_rng_below(&rng, (uint64_t)(hi - lo + 1)));
}

static inline void fill_random(aug_image *img, uint64_t seed)
{
    fill_random_range(img, seed, 0, 255);
}

static inline void random_image(aug_image *img, int w, int h, int ch, uint64_t seed)
{
    make_image(img, w, h, ch);
    fill_random(img, seed);
}

/* Every sample, alpha included, set to v. */
static inline void flat_image(aug_image *img, int w, int h, int ch, uint8_t v)
{
    make_image(img, w, h, ch);
    memset(img->data, v, aug_image_size(img));
}

static inline aug_image copy_image(const aug_image *src)
{
    aug_image img;
    make_image(&img, src->width, src->height, src->channels);
    memcpy(img.data, src->data, aug_image_size(src));
    return img;
}

/* The first sample of pixel (x, y). */
static inline uint8_t *pixel_at(const aug_image *img, int x, int y)
{
    return img->data + ((size_t)y * (size_t)img->width + (size_t)x) * (size_t)img->channels;
}

#endif
