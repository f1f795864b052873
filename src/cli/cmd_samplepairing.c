/* augment samplepairing: SamplePairing (Inoue 2018). Each output is the
 * per-pixel average of an image A and a partner B drawn from the whole set,
 * labelled as A: it goes into A's class folder under OUTPUT. */
#include "cli/cli.h"

enum { OPT_WEIGHT = 1100 };

static const cli_option options[] = {
    {"weight", required_argument, OPT_WEIGHT, "W", "share of A in the average, 0..1 (default 0.5)"},
    {0},
};

static int handle(void *ctx, const cli_common *c, int val, const char *arg)
{
    if (val == OPT_WEIGHT)
        return cli_double(c, "--weight", arg, 0, 1, ctx);
    return -1;
}

static double fixed_weight(void *ctx, aug_rng *rng)
{
    (void)rng;
    return *(const double *)ctx;
}

int cmd_samplepairing(int argc, char **argv)
{
    double weight = 0.5;
    cli_spec spec = {
        .name = "samplepairing",
        .synopsis = "augment samplepairing [--weight W] [options] DIR -o OUTDIR",
        .description = "For each image A of a class-per-folder set DIR, write -n outputs\n"
                       "floor(W*A + (1-W)*B + 0.5), B drawn uniformly from the whole set (B != A),\n"
                       "resized bilinearly to A's size. Outputs keep A's class folder and name.\n"
                       "The manifest column lambda holds W.",
        .options = options,
        .common = COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS,
        .handle = handle,
        .ctx = &weight,
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    cli_pair_method m = {.need_class = 0, .flat = 0, .ctx = &weight,
                         .draw_weight = fixed_weight};
    return cli_run_pairs(&c, n, argv + 1, &m);
}
