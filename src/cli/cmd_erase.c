/* augment erase: Random Erasing (Zhong et al. 2017) with torchvision's
 * RandomErasing parameters and defaults. */
#include <string.h>

#include "cli/cli.h"

enum { OPT_SCALE = 1100, OPT_RATIO, OPT_VALUE, OPT_COUNT, OPT_ATTEMPTS };

static const cli_option options[] = {
    {"scale", required_argument, OPT_SCALE, "LO:HI", "erased area / image area (default 0.02:0.33)"},
    {"ratio", required_argument, OPT_RATIO, "LO:HI", "aspect ratio h/w, log-uniform (default 0.3:3.3)"},
    {"value", required_argument, OPT_VALUE, "V", "0 (default), R,G,B, random (noise) or mean (image mean)"},
    {"count", required_argument, OPT_COUNT, "N", "rectangles per image (default 1)"},
    {"attempts", required_argument, OPT_ATTEMPTS, "N", "tries per rectangle before giving up (default 10)"},
    {0},
};

typedef struct erase_ctx {
    aug_erase_params p;
    uint8_t color[4];
    int color_n;
} erase_ctx;

/* LO:HI with 0 < LO <= HI <= hi: an area or a ratio of zero cannot be drawn. */
static void positive_range(const cli_common *c, const char *flag, const char *arg,
                           double hi, double *lo_out, double *hi_out)
{
    double r[2];
    cli_range(c, flag, arg, 0, hi, r);
    if (r[0] <= 0)
        cli_usage_error(c, "%s: '%s' must be above 0", flag, arg);
    *lo_out = r[0];
    *hi_out = r[1];
}

static int handle(void *ctx, const cli_common *c, int val, const char *arg)
{
    erase_ctx *e = ctx;
    long l;
    switch (val) {
    case OPT_SCALE:
        positive_range(c, "--scale", arg, 1, &e->p.scale_lo, &e->p.scale_hi);
        return 0;
    case OPT_RATIO:
        positive_range(c, "--ratio", arg, 1e6, &e->p.ratio_lo, &e->p.ratio_hi);
        return 0;
    case OPT_VALUE:
        if (strcmp(arg, "random") == 0)
            e->p.fill = AUG_ERASE_RANDOM;
        else if (strcmp(arg, "mean") == 0)
            e->p.fill = AUG_ERASE_MEAN;
        else {
            e->p.fill = AUG_ERASE_CONSTANT;
            cli_color(c, "--value", arg, e->color, &e->color_n);
            if (e->color_n == 4)
                cli_usage_error(c, "--value: alpha is never erased; give V or R,G,B");
            return 0;
        }
        return 0;
    case OPT_COUNT:
        cli_long(c, "--count", arg, 1, 1000, &l);
        e->p.count = (int)l;
        return 0;
    case OPT_ATTEMPTS:
        cli_long(c, "--attempts", arg, 1, 1000, &l);
        e->p.attempts = (int)l;
        return 0;
    }
    return -1;
}

static aug_status apply(void *ctx, aug_image *img, aug_rng *rng, cli_params *params,
                        aug_error *err)
{
    const erase_ctx *e = ctx;
    aug_erase_params p = e->p;
    aug_rect rects[1000];
    uint8_t v[4];
    cli_color_for(e->color, e->color_n, img->channels, v);
    /* value[] holds colour channels only: alpha is never erased. */
    memcpy(p.value, v, sizeof p.value);
    aug_status st = aug_erase(img, &p, rng, rects, err);
    if (st)
        return st;
    for (int i = 0; i < p.count; i++)
        cli_params_add(params, "rect=%d,%d,%d,%d", rects[i].x, rects[i].y,
                       rects[i].w, rects[i].h);
    return AUG_OK;
}

int cmd_erase(int argc, char **argv)
{
    erase_ctx e = {.color_n = 1};
    aug_erase_params_default(&e.p);
    cli_spec spec = {
        .name = "erase",
        .synopsis = "augment erase [--scale LO:HI] [--ratio LO:HI] [--value V] [--count N] [options] INPUT... -o OUTPUT",
        .description = "Erase random rectangles as torchvision's RandomErasing: area = U(scale) of\n"
                       "the image, aspect log-uniform in ratio, up to --attempts tries each; an image\n"
                       "where every try fails is left as it is. Alpha is untouched. The manifest\n"
                       "records each rectangle as x,y,w,h (0,0,0,0 when none fitted).",
        .options = options,
        .common = COMMON_COPIES | COMMON_PROB | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS,
        .handle = handle,
        .ctx = &e,
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    return cli_run_images(&c, n, argv + 1, apply, &e);
}
