/* augment samplepairing: SamplePairing (Inoue 2018). Each output is the
 * per-pixel average of an image A and a partner B drawn from the whole set,
 * labelled as A: it goes into A's class folder under OUTPUT. */
#include "cli/cli.h"

typedef struct sp_opts {
    double weight;
} sp_opts;

const aug_opt cli_samplepairing_options[] = {
    AUG_OPT_DOUBLE_(0, "weight", "W", "share of A in the average, 0..1 (default 0.5)", sp_opts,
                    weight, 0, 1),
    AUG_OPT_END_,
};

static double fixed_weight(void *ctx, aug_rng *rng)
{
    (void)rng;
    return ((const sp_opts *)ctx)->weight;
}

int cmd_samplepairing(int argc, char **argv)
{
    sp_opts o = {.weight = 0.5};
    cli_spec spec = {
        .name = "samplepairing",
        .synopsis = "augment samplepairing [--weight W] [options] DIR -o OUTDIR",
        .description = "For each image A of a class-per-folder set DIR, write -n outputs\n"
                       "floor(W*A + (1-W)*B + 0.5), B drawn uniformly from the whole set (B != A),\n"
                       "resized bilinearly to A's size. Outputs keep A's class folder and name.\n"
                       "The manifest column lambda holds W.",
        .common = COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_JOBS | COMMON_RUN |
                  COMMON_ORIGINALS | COMMON_LABELS,
        .own = {{cli_samplepairing_options, &o, 0, 0}},
        .nown = 1,
        .own_title = {"samplepairing options"},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    cli_pair_method m = {.need_class = 0, .flat = 0, .ctx = &o, .draw_weight = fixed_weight};
    return cli_run_pairs(&c, n, argv + 1, &m);
}
