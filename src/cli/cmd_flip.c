/* augment flip: mirror images (an exact pixel permutation). */
#include "cli/cli.h"

enum { OPT_H = 1100, OPT_V, OPT_BOTH, OPT_RANDOM };

static const cli_option options[] = {
    {"horizontal", no_argument, OPT_H, NULL, "mirror left-right (default)"},
    {"vertical", no_argument, OPT_V, NULL, "mirror top-bottom"},
    {"both", no_argument, OPT_BOTH, NULL, "both, i.e. rotate by 180 degrees"},
    {"random", no_argument, OPT_RANDOM, NULL, "per output, one of horizontal, vertical, none"},
    {0},
};

typedef struct flip_ctx {
    aug_flip_mode mode;
    int random;
    int given;
} flip_ctx;

static int handle(void *p, const cli_common *c, int val, const char *arg)
{
    flip_ctx *f = p;
    (void)arg;
    if (f->given++)
        cli_usage_error(c, "give only one of --horizontal, --vertical, --both, --random");
    switch (val) {
    case OPT_H: f->mode = AUG_FLIP_HORIZONTAL; return 0;
    case OPT_V: f->mode = AUG_FLIP_VERTICAL; return 0;
    case OPT_BOTH: f->mode = AUG_FLIP_BOTH; return 0;
    case OPT_RANDOM: f->random = 1; return 0;
    }
    return -1;
}

static aug_status apply(void *p, aug_image *img, aug_rng *rng, cli_params *params,
                        aug_error *err)
{
    static const aug_flip_mode choices[] = {AUG_FLIP_HORIZONTAL, AUG_FLIP_VERTICAL,
                                            AUG_FLIP_NONE};
    static const char *const names[] = {"none", "horizontal", "vertical", "both"};
    const flip_ctx *f = p;
    aug_flip_mode mode = f->random ? choices[aug_rng_below(rng, 3)] : f->mode;
    cli_params_add(params, "flip=%s", names[mode]);
    return aug_flip(img, mode, err);
}

int cmd_flip(int argc, char **argv)
{
    flip_ctx f = {.mode = AUG_FLIP_HORIZONTAL};
    cli_spec spec = {
        .name = "flip",
        .synopsis = "augment flip [--horizontal|--vertical|--both|--random] [options] INPUT... -o OUTPUT",
        .description = "Mirror each image. Horizontal is left-right (ImageMagick -flop),\n"
                       "vertical is top-bottom (ImageMagick -flip).",
        .options = options,
        .common = COMMON_COPIES | COMMON_PROB | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS,
        .handle = handle,
        .ctx = &f,
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    return cli_run_images(&c, n, argv + 1, apply, &f);
}
