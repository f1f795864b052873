/* make bench, kernels: each kernel on an image already in memory, one
 * thread, best of N repetitions, in milliseconds, beside the floors the
 * hardware sets (memcpy and memset of the same bytes; the random bytes an
 * erase needs, drawn and discarded). One line per measurement:
 *   NAME SIZE MS
 * tests/bench/peer_kernels.py prints the same lines for OpenCV, numpy and
 * Pillow, and bench.sh puts them side by side.
 *
 *   kernels REPS [NAMES]          the kernels on 512x512 and 4000x3000 RGB
 *                                 (flips also with 1 and 4 channels)
 *   kernels decode REPS FILE...   decoding files already read into memory:
 *                                 the best time per file, summed, per image */
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

/* the rectangle every erase benchmark fills: half the width and height,
 * centred, as the numpy slice assignment it is compared with */
static aug_rect half_rect(const aug_image *img)
{
    return (aug_rect){img->width / 4, img->height / 4, img->width / 2, img->height / 2};
}

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

/* the floor of a constant erase: one memset per row of the rectangle */
static void b_memset_rect(aug_image *img, aug_image *s, aug_rng *r)
{
    (void)s;
    (void)r;
    aug_rect q = half_rect(img);
    size_t row = (size_t)img->width * (size_t)img->channels;
    for (int y = q.y; y < q.y + q.h; y++)
        memset(img->data + (size_t)y * row + (size_t)q.x * (size_t)img->channels, 0,
               (size_t)q.w * (size_t)img->channels);
}

/* the floor of a random erase: the generator writing that many bytes */
static void b_rng_rect(aug_image *img, aug_image *s, aug_rng *r)
{
    aug_rect q = half_rect(img);
    aug_rng_bytes(r, s->data, (size_t)q.w * (size_t)q.h * (size_t)img->channels);
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

static void erase(aug_image *img, aug_rng *r, aug_erase_fill fill)
{
    aug_rect rect = half_rect(img);
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
    int channels;
    bench_fn fn;
} benches[] = {
    {"memcpy", 3, b_memcpy},
    {"memset", 3, b_memset},
    {"memcpy_c1", 1, b_memcpy},
    {"memcpy_c4", 4, b_memcpy},
    {"flip_h", 3, b_flip_h},
    {"flip_h_c1", 1, b_flip_h},
    {"flip_h_c4", 4, b_flip_h},
    {"flip_v", 3, b_flip_v},
    {"rotate_bilinear", 3, b_rot_bilinear},
    {"rotate_bicubic", 3, b_rot_bicubic},
    {"noise_per_channel", 3, b_noise_per},
    {"noise_shared", 3, b_noise_shared},
    {"memset_rect", 3, b_memset_rect},
    {"erase_constant", 3, b_erase_const},
    {"rng_rect", 3, b_rng_rect},
    {"erase_random", 3, b_erase_random},
};

static int wanted(const char *only, const char *name)
{
    if (!only)
        return 1;
    size_t n = strlen(name);
    for (const char *p = only; (p = strstr(p, name)); p += n)
        if ((p == only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

static int kernels(int reps, const char *only)
{
    static const int sizes[][2] = {{512, 512}, {4000, 3000}};
    for (size_t s = 0; s < 2; s++)
        for (size_t b = 0; b < sizeof benches / sizeof benches[0]; b++) {
            if (!wanted(only, benches[b].name))
                continue;
            aug_image img, scratch;
            if (aug_image_alloc(&img, sizes[s][0], sizes[s][1], benches[b].channels, NULL) ||
                aug_image_alloc(&scratch, sizes[s][0], sizes[s][1], benches[b].channels, NULL))
                return 1;
            aug_rng rng;
            aug_rng_seed(&rng, 1);
            aug_rng_bytes(&rng, img.data, aug_image_size(&img));
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
            printf("%s %dx%d %.4f\n", benches[b].name, sizes[s][0], sizes[s][1], best * 1e3);
            fflush(stdout);
            aug_image_free(&img);
            aug_image_free(&scratch);
        }
    return 0;
}

static int decode(int reps, int nfiles, char **files)
{
    double total = 0;
    const char *fmt = "?";
    for (int i = 0; i < nfiles; i++) {
        FILE *f = fopen(files[i], "rb");
        if (!f)
            return 1;
        static uint8_t buf[1 << 24];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        double best = 1e30;
        for (int r = 0; r < reps; r++) {
            aug_image img;
            aug_decode_info info;
            double t0 = now();
            if (aug_decode(buf, len, 0, &img, &info, NULL) != AUG_OK)
                return 1;
            double t = now() - t0;
            fmt = aug_format_name(info.format);
            aug_image_free(&img);
            if (t < best)
                best = t;
        }
        total += best;
    }
    printf("decode_%s per-image %.4f\n", fmt, total / nfiles * 1e3);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 3 && strcmp(argv[1], "decode") == 0)
        return decode(atoi(argv[2]), argc - 3, argv + 3);
    return kernels(argc > 1 ? atoi(argv[1]) : 5, argc > 2 ? argv[2] : NULL);
}
