/* augment rotate: rotate about the centre, counter-clockwise for positive
 * angles, with OpenCV's matrix, interpolations and border modes. */
#include "cli/cli.h"

enum { OPT_ANGLE = 'a', OPT_RANGE = 1100, OPT_INTERP, OPT_BORDER, OPT_FILL, OPT_EXPAND };

static const cli_option options[] = {
    {"angle", required_argument, OPT_ANGLE, "DEG", "rotate by DEG degrees (positive = counter-clockwise)"},
    {"range", required_argument, OPT_RANGE, "LO:HI", "a uniform random angle in [LO, HI) per output"},
    {"interp", required_argument, OPT_INTERP, "NAME", "nearest, bilinear (default) or bicubic"},
    {"border", required_argument, OPT_BORDER, "MODE", "constant (default), replicate, reflect, reflect101, wrap"},
    {"fill", required_argument, OPT_FILL, "V|R,G,B[,A]", "constant border colour (default 0, transparent)"},
    {"expand", no_argument, OPT_EXPAND, NULL, "grow the canvas to hold the whole rotated image"},
    {0},
};

static const char *const interp_names[] = {"nearest", "bilinear", "bicubic", NULL};
static const char *const border_names[] = {"constant", "replicate", "reflect",
                                           "reflect101", "wrap", NULL};

typedef struct rotate_ctx {
    aug_rotate_params p;
    double range[2];
    int have_angle, have_range, have_fill, fill_n;
    uint8_t fill[4];
} rotate_ctx;

static int handle(void *ctx, const cli_common *c, int val, const char *arg)
{
    rotate_ctx *r = ctx;
    switch (val) {
    case OPT_ANGLE:
        r->have_angle = 1;
        return cli_double(c, "--angle", arg, -1e6, 1e6, &r->p.angle);
    case OPT_RANGE:
        r->have_range = 1;
        return cli_range(c, "--range", arg, -1e6, 1e6, r->range);
    case OPT_INTERP:
        r->p.interp = (aug_interp)cli_choice(c, "--interp", arg, interp_names);
        return 0;
    case OPT_BORDER:
        r->p.border = (aug_border)cli_choice(c, "--border", arg, border_names);
        return 0;
    case OPT_FILL:
        r->have_fill = 1;
        return cli_color(c, "--fill", arg, r->fill, &r->fill_n);
    case OPT_EXPAND:
        r->p.expand = 1;
        return 0;
    }
    return -1;
}

static aug_status apply(void *ctx, aug_image *img, aug_rng *rng, cli_params *params,
                        aug_error *err)
{
    const rotate_ctx *r = ctx;
    aug_rotate_params p = r->p;
    if (r->have_range)
        p.angle = aug_rng_range(rng, r->range[0], r->range[1]);
    if (r->have_fill)
        cli_color_for(r->fill, r->fill_n, img->channels, p.fill);
    cli_params_add(params, "angle=%.17g", p.angle);
    aug_image out;
    aug_status st = aug_rotate(img, &out, &p, err);
    if (st)
        return st;
    aug_image_free(img);
    *img = out;
    return AUG_OK;
}

int cmd_rotate(int argc, char **argv)
{
    rotate_ctx r = {.have_angle = 0};
    aug_rotate_params_default(&r.p);
    cli_spec spec = {
        .name = "rotate",
        .synopsis = "augment rotate (--angle DEG | --range LO:HI) [options] INPUT... -o OUTPUT",
        .description = "Rotate each image about its centre ((w-1)/2, (h-1)/2). Positive angles turn\n"
                       "counter-clockwise, as OpenCV and PIL. The size is kept unless --expand;\n"
                       "uncovered areas follow --border. Multiples of 90 degrees move pixels\n"
                       "without interpolation, except 90/270 without --expand when width - height\n"
                       "is odd (the centre then falls between pixels).",
        .options = options,
        .common = COMMON_COPIES | COMMON_PROB | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS,
        .handle = handle,
        .ctx = &r,
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    if (r.have_angle == r.have_range)
        cli_usage_error(&c, "give exactly one of --angle DEG or --range LO:HI");
    if (r.have_fill && r.p.border != AUG_BORDER_CONSTANT)
        cli_usage_error(&c, "--fill applies to --border constant only");
    return cli_run_images(&c, n, argv + 1, apply, &r);
}
