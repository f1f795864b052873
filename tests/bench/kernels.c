/* make bench, kernels: each kernel on an image already in memory, one
 * thread, best of N repetitions, in milliseconds; "memcpy" and "memset" of
 * the same buffer are the hardware's floor. One line per measurement:
 *   NAME SIZE MS
 * tests/bench/peer_kernels.py prints the same lines for OpenCV and numpy,
 * and bench.sh puts them side by side. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "augment/augment.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef void (*bench_fn)(aug_image *img, aug_image *scratch, aug_rng *rng);

static void b_memcpy(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)r;
    memcpy(s->data, img->data, aug_image_size(img));
}

static void b_memset(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    (void)r;
    memset(img->data, 7, aug_image_size(img));
}

static void b_flip_h(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    (void)r;
    aug_flip(img, AUG_FLIP_HORIZONTAL, NULL);
}

static void b_flip_v(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    (void)r;
    aug_flip(img, AUG_FLIP_VERTICAL, NULL);
}

static void rotate(aug_image *img, aug_interp interp)
{
    aug_rotate_params p;
    aug_rotate_params_default(&p);
    p.angle = 30;
    p.interp = interp;
    aug_image out;
    if (aug_rotate(img, &out, &p, NULL) == AUG_OK)
        aug_image_free(&out);
}

static void b_rot_bilinear(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    (void)r;
    rotate(img, AUG_INTERP_BILINEAR);
}

static void b_rot_bicubic(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    (void)r;
    rotate(img, AUG_INTERP_BICUBIC);
}

static void noise(aug_image *img, aug_rng *r, int per_channel)
{
    aug_noise_params p;
    aug_noise_params_default(&p);
    p.sigma = 10;
    p.per_channel = per_channel;
    aug_noise(img, &p, r, NULL);
}

static void b_noise_per(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    noise(img, r, 1);
}

static void b_noise_shared(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    noise(img, r, 0);
}

/* one rectangle of half the area, as a slice assignment would */
static void erase(aug_image *img, aug_rng *r, aug_erase_fill fill)
{
    aug_rect rect = {img->width / 4, img->height / 4, img->width / 2, img->height};
    rect.h = img->height / 2;
    uint8_t v[4] = {0, 0, 0, 0};
    aug_erase_rects(img, &rect, 1, fill, v, r, NULL);
}

static void b_erase_const(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    erase(img, r, AUG_ERASE_CONSTANT);
}

static void b_erase_random(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    erase(img, r, AUG_ERASE_RANDOM);
}

static const struct {
    const char *name;
    bench_fn fn;
} benches[] = {
    {"memcpy", b_memcpy},           {"memset", b_memset},
    {"flip_h", b_flip_h},           {"flip_v", b_flip_v},
    {"rotate_bilinear", b_rot_bilinear}, {"rotate_bicubic", b_rot_bicubic},
    {"noise_per_channel", b_noise_per}, {"noise_shared", b_noise_shared},
    {"erase_constant", b_erase_const}, {"erase_random", b_erase_random},
};

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    const char *only = argc > 2 ? argv[2] : NULL;
    static const int sizes[][2] = {{512, 512}, {4000, 3000}};
    for (size_t s = 0; s < 2; s++) {
        aug_image img, scratch;
        if (aug_image_alloc(&img, sizes[s][0], sizes[s][1], 3, NULL) ||
            aug_image_alloc(&scratch, sizes[s][0], sizes[s][1], 3, NULL))
            return 1;
        aug_rng rng;
        aug_rng_seed(&rng, 1);
        for (size_t i = 0; i < aug_image_size(&img); i++)
            img.data[i] = (uint8_t)aug_rng_below(&rng, 256);
        for (size_t b = 0; b < sizeof benches / sizeof benches[0]; b++) {
            if (only && !strstr(only, benches[b].name))
                continue;
            /* fewer repetitions for the large image, at least 2 */
            int n = s ? (reps / 3 > 2 ? reps / 3 : 2) : reps;
            double best = 1e30;
            for (int r = 0; r < n; r++) {
                double t0 = now();
                benches[b].fn(&img, &scratch, &rng);
                double t = now() - t0;
                if (t < best)
                    best = t;
            }
            printf("%s %dx%d %.3f\n", benches[b].name, sizes[s][0], sizes[s][1], best * 1e3);
            fflush(stdout);
        }
        aug_image_free(&img);
        aug_image_free(&scratch);
    }
    return 0;
}
