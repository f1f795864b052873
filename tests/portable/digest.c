/* One line per random operation and sampler: a digest of what it made from
 * fixed images, tables and seeds. `make check` builds this program twice,
 * with glibc and with musl (musl-gcc), over the same core, kernels and
 * operations, and compares the two outputs: "the same seed gives the same
 * bytes on every machine" holds only if nothing on the way depends on how a
 * C library rounds (src/core/dmath.c). Images come from a generator here
 * (no codec: those are system libraries, not part of this promise). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/augment.h"

/* Each operation with flags that make it draw (the program fails when an
 * operation of the registry has no line here). */
static const char *const stages[] = {
    "flip --random",
    "rotate --range -180:180",
    "rotate --range -30:30 --interp bicubic --expand --border reflect101",
    "rotate --range -30:30 --interp nearest --border wrap",
    "noise --sigma 1:40",
    "noise --sigma 1:40 --per-channel",
    "noise --type uniform --sigma 1:40",
    "noise --type saltpepper --amount 0.01:0.3",
    "noise --type speckle --sigma 5:60 --per-channel",
    "noise --type poisson --scale 0.3",
    "noise --type poisson --scale 0.05 --per-channel",
    "erase --count 3 --value random",
    "erase --count 2 --value mean --ratio 0.2:5",
    "one-of { flip | rotate --range -5:5 } | some-of 1:3 { noise --sigma 3 | erase | flip --vertical }",
    "crop --size 20x15 --position random",
    "crop --size 50x31 --pad-if-needed --position random --border reflect",
    "resize --size 31x17 --interp lanczos",
    "resize --scale 1.7 --interp bicubic",
    "random-resized-crop --size 24x18",
    "pad --to 51x40 --border wrap",
    "affine --degrees 30 --translate 0.2,0.1 --scale 0.7:1.3 --shear 10,5",
    "affine --degrees 40 --interp bicubic --border reflect101",
    "affine --degrees 40 --scale 0.5:2 --interp nearest",
    "perspective --distortion 0.6",
    "elastic --alpha 20:80 --sigma 2:5",
    "rotate90 --angles 0,90,180,270",
    "color --brightness 0.5 --contrast 0.5 --saturation 0.5 --hue 0.3",
    "grayscale --keep-channels --prob 0.6",
    "invert --prob 0.5",
    "posterize --bits 1:7",
    "solarize --threshold 40:220",
    "equalize --prob 0.7",
    "autocontrast --prob 0.7",
    "sharpness --factor 0:3",
    "gamma --gamma 0.3:3",
    "blur --sigma 0.3:3",
    "blur --type motion --length 3:11 --angle 0:360",
    "blur --type median --kernel 3:7",
    "blur --type box --kernel 3:9",
    "randaugment --ops 4 --magnitude 20",
    "trivialaugment --interp bilinear",
    "autoaugment --policy imagenet",
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void image(aug_image *img, int w, int h, int ch, uint64_t seed)
{
    aug_rng rng;
    aug_rng_seed(&rng, seed);
    if (aug_image_alloc(img, w, h, ch, NULL))
        exit(2);
    /* smooth gradients plus noise: resampling has something to average */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++)
                img->data[((size_t)y * (size_t)w + (size_t)x) * (size_t)ch + (size_t)c] =
                    (uint8_t)((x * 5 + y * 3 + c * 40 + (int)aug_rng_below(&rng, 60)) & 255);
}

static int covered(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
        if (strncmp(stages[i], name, n) == 0 && stages[i][n] == ' ')
            return 1;
    return 0;
}

static void images(void)
{
    size_t nops;
    const aug_op *const *ops = aug_ops(&nops);
    for (size_t i = 0; i < nops; i++)
        if (!covered(ops[i]->name)) {
            fprintf(stderr, "digest: no stage for the operation %s\n", ops[i]->name);
            exit(1);
        }
    for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++) {
        aug_chain *chain;
        aug_error err;
        if (aug_chain_parse(stages[s], NULL, &chain, &err)) {
            fprintf(stderr, "digest: %s: %s\n", stages[s], err.msg);
            exit(1);
        }
        for (int ch = 1; ch <= 4; ch++) {
            aug_image src;
            image(&src, 41 + ch, 29 - ch, ch, (uint64_t)(s * 10 + (size_t)ch));
            uint64_t h = 0xcbf29ce484222325ULL;
            for (uint64_t copy = 0; copy < 8; copy++) {
                aug_plan *plan;
                aug_image out;
                aug_geom g = {src.width, src.height, src.channels};
                if (aug_chain_draw(chain, 7, "img/a.png", copy, &g, &plan, &err) ||
                    aug_plan_apply(plan, &src, &out, &err)) {
                    fprintf(stderr, "digest: %s: %s\n", stages[s], err.msg);
                    exit(1);
                }
                const char *text = aug_plan_text(plan);
                h = fnv(h, text, strlen(text));
                h = fnv(h, &out.width, sizeof out.width);
                h = fnv(h, &out.height, sizeof out.height);
                h = fnv(h, out.data, aug_image_size(&out));
                aug_image_free(&out);
                aug_plan_free(plan);
            }
            printf("%016" PRIx64 "  %d channels  %s\n", h, ch, stages[s]);
            aug_image_free(&src);
        }
        aug_chain_free(chain);
    }
}

static void samplers(void)
{
    aug_rng rng;
    uint64_t h = 0xcbf29ce484222325ULL;
    aug_rng_seed(&rng, 3);
    for (int i = 0; i < 20000; i++) {
        double a, b;
        aug_rng_normal2(&rng, &a, &b);
        h = fnv(h, &a, sizeof a);
        h = fnv(h, &b, sizeof b);
    }
    printf("%016" PRIx64 "  normal\n", h);
    static const double shapes[] = {0.001, 0.2, 0.9, 1.0, 2.5, 40.0};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        h = 0xcbf29ce484222325ULL;
        for (int i = 0; i < 5000; i++) {
            double g = aug_rng_gamma(&rng, shapes[s]), be = aug_rng_beta(&rng, shapes[s], 1.5);
            h = fnv(h, &g, sizeof g);
            h = fnv(h, &be, sizeof be);
        }
        printf("%016" PRIx64 "  gamma and beta, shape %g\n", h, shapes[s]);
    }
    static const double means[] = {0.5, 3.0, 9.9, 10.0, 55.0, 1e4};
    for (size_t m = 0; m < sizeof means / sizeof means[0]; m++) {
        h = 0xcbf29ce484222325ULL;
        for (int i = 0; i < 5000; i++) {
            uint64_t k = aug_rng_poisson(&rng, means[m]);
            h = fnv(h, &k, sizeof k);
        }
        printf("%016" PRIx64 "  poisson, mean %g\n", h, means[m]);
    }
}

static void tables(void)
{
    aug_table t;
    aug_error err;
    const char *names[] = {"a", "b", "c"};
    if (aug_table_init(&t, 3, names, "label", &err))
        exit(2);
    aug_rng rng;
    aug_rng_seed(&rng, 11);
    for (int r = 0; r < 300; r++) {
        double row[3] = {aug_rng_normal(&rng), aug_rng_range(&rng, -5, 5),
                         aug_rng_uniform(&rng) * aug_rng_uniform(&rng)};
        if (aug_table_append(&t, row, r % 10 == 0 ? "rare" : r % 3 ? "common" : "some", &err))
            exit(2);
    }
    size_t counts[3], n_new[3];
    aug_table_class_counts(&t, counts);
    size_t most = counts[0] > counts[1] ? (counts[0] > counts[2] ? counts[0] : counts[2])
                                        : (counts[1] > counts[2] ? counts[1] : counts[2]);
    for (int c = 0; c < 3; c++)
        n_new[c] = most - counts[c];
    /* every method of the SMOTE family but SVM-SMOTE (libsvm is not built
     * here), then the undersamplers on SMOTE's rows */
    static const aug_smote_method methods[] = {
        AUG_SMOTE, AUG_SMOTE_BORDERLINE1, AUG_SMOTE_BORDERLINE2, AUG_ADASYN,
        AUG_SMOTE_KMEANS, AUG_POLYFIT, AUG_PROWSYN};
    aug_table syn;
    for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
        aug_smote_params p;
        aug_smote_defaults(&p, methods[m]);
        p.seed = 9;
        p.balance = 0.0; /* the classes are mixed: every cluster serves them */
        if (aug_table_init(&syn, 3, names, "label", &err) ||
            aug_smote(&t, n_new, &p, &syn, NULL, NULL, &err)) {
            fprintf(stderr, "digest: %s: %s\n", aug_smote_method_name(methods[m]), err.msg);
            exit(1);
        }
        printf("%016" PRIx64 "  %s (%zu rows)\n",
               fnv(0xcbf29ce484222325ULL, syn.x, syn.rows * syn.cols * sizeof *syn.x),
               aug_smote_method_name(methods[m]), syn.rows);
        if (m + 1 < sizeof methods / sizeof *methods)
            aug_table_free(&syn);
    }
    unsigned char keep[1024], clean[3] = {1, 1, 1};
    size_t want[3] = {50, AUG_NO_ROW, 60};
    if (syn.rows > sizeof keep)
        exit(2);
    memset(keep, 1, syn.rows);
    if (aug_undersample_random(&syn, want, 3, keep, &err) ||
        aug_enn(&syn, 3, clean, keep, NULL, &err) || aug_tomek_links(&syn, clean, keep, NULL, &err) ||
        aug_ipf_filter(&syn, 5, 3, 0.01, 4, keep, &err)) {
        fprintf(stderr, "digest: undersampling: %s\n", err.msg);
        exit(1);
    }
    printf("%016" PRIx64 "  undersampling and IPF\n", fnv(0xcbf29ce484222325ULL, keep, syn.rows));
    double x[100 * 3], soft[100 * 3];
    if (aug_mixup_table(&t, 100, 0.4, 5, "t.csv", 0, x, soft, NULL, &err)) {
        fprintf(stderr, "digest: mixup: %s\n", err.msg);
        exit(1);
    }
    uint64_t h = fnv(0xcbf29ce484222325ULL, x, sizeof x);
    printf("%016" PRIx64 "  mixup alpha 0.4\n", fnv(h, soft, sizeof soft));
    h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < 2000; i++) {
        double lam = aug_rng_beta(&rng, 1.0, 1.0);
        aug_rect r = aug_cutmix_box(37 + i % 50, 23 + i % 31, lam, &rng, &lam);
        h = fnv(fnv(h, &r, sizeof r), &lam, sizeof lam);
    }
    printf("%016" PRIx64 "  cutmix boxes\n", h);
    aug_table_free(&syn);
    aug_table_free(&t);
}

/* --baseline: the loops built for the x86-64 baseline even where AVX2 and
 * SSSE3 are there (core/simd.h); make check-portable compares the two. */
extern int aug_simd_disable;

int main(int argc, char **argv)
{
    aug_simd_disable = argc > 1 && strcmp(argv[1], "--baseline") == 0 ? 2 : 0;
    images();
    samplers();
    tables();
    return 0;
}
