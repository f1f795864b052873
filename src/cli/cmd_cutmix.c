/* augment cutmix (Yun et al. 2019) on a class-per-folder image set: each
 * output is an image A with a box cut from a partner B pasted in, and the
 * soft label weighs A's class by the share of A's pixels left (timm's
 * correct_lam). Outputs and labels.csv as image-set mixup writes them. */
#include "cli/cli.h"

typedef struct cutmix_opts {
    double alpha;
} cutmix_opts;

const aug_opt cli_cutmix_options[] = {
    AUG_OPT_DOUBLE_(0, "alpha", "A", "Beta(A, A) for lambda (default 1.0: uniform)", cutmix_opts,
                    alpha, 1e-3, 1e3),
    AUG_OPT_END_,
};

static double draw_lambda(void *ctx, aug_rng *rng)
{
    const cutmix_opts *o = ctx;
    return aug_rng_beta(rng, o->alpha, o->alpha);
}

static void draw_box(void *ctx, aug_rng *rng, int width, int height, double *weight,
                     aug_rect *box)
{
    (void)ctx;
    *box = aug_cutmix_box(width, height, *weight, rng, weight);
}

static aug_status mix(void *ctx, const aug_image *a, const aug_image *b, double weight,
                      aug_rect box, aug_image *out, aug_error *err)
{
    (void)ctx;
    (void)weight;
    return aug_cutmix(a, b, box, out, err);
}

int cmd_cutmix(int argc, char **argv)
{
    cutmix_opts o = {.alpha = 1.0};
    cli_spec spec = {
        .name = "cutmix",
        .synopsis = "augment cutmix [--alpha A] [options] DIR -o OUTDIR [-n N]",
        .description = "CutMix on a class-per-folder set DIR: for each image A, -n outputs that\n"
                       "paste a box of a partner B (drawn from the whole set, resized bilinearly\n"
                       "to A's size) into A. lambda ~ Beta(A, A); the box has sides\n"
                       "sqrt(1 - lambda) of A's, a uniform centre, clipped; lambda is then the\n"
                       "share of A's pixels left (timm's correct_lam). Outputs go flat into\n"
                       "OUTDIR with labels.csv, as image-set mixup; the manifest adds the box\n"
                       "as x,y,w,h in A's pixels.",
        .common = COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_JOBS | COMMON_RUN |
                  COMMON_ORIGINALS | COMMON_LABELS,
        .own = {{cli_cutmix_options, &o, 0, 0}},
        .nown = 1,
        .own_title = {"cutmix options"},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    cli_pair_method m = {.need_class = 1, .flat = 1, .ctx = &o, .draw_weight = draw_lambda,
                         .labels = 1, .draw_box = draw_box, .mix = mix};
    return cli_run_pairs(&c, n, argv + 1, &m);
}
