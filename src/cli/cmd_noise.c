/* augment noise: additive, impulse, multiplicative and shot noise, in 0..255
 * units, shared across colour channels unless --per-channel; alpha is
 * never noised. */
#include "cli/cli.h"

enum { OPT_TYPE = 't', OPT_SIGMA = 1100, OPT_AMOUNT, OPT_SALT, OPT_SCALE, OPT_PER_CHANNEL };

static const cli_option options[] = {
    {"type", required_argument, OPT_TYPE, "T", "gaussian (default), uniform, saltpepper, speckle, poisson"},
    {"sigma", required_argument, OPT_SIGMA, "S|LO:HI", "std dev (gaussian, speckle) or half-width (uniform), 0..255 units; default 10"},
    {"amount", required_argument, OPT_AMOUNT, "A|LO:HI", "saltpepper: fraction of pixels replaced (default 0.05)"},
    {"salt-ratio", required_argument, OPT_SALT, "R", "saltpepper: share of salt (255) among them (default 0.5)"},
    {"scale", required_argument, OPT_SCALE, "K", "poisson: events per unit of value (default 1; larger = less noise)"},
    {"per-channel", no_argument, OPT_PER_CHANNEL, NULL, "draw each colour channel independently"},
    {0},
};

static const char *const type_names[] = {"gaussian", "uniform", "saltpepper",
                                         "speckle", "poisson", NULL};

typedef struct noise_ctx {
    aug_noise_params p;
    double sigma[2], amount[2];
    int have_sigma, have_amount, have_salt, have_scale;
} noise_ctx;

static int handle(void *ctx, const cli_common *c, int val, const char *arg)
{
    noise_ctx *n = ctx;
    switch (val) {
    case OPT_TYPE:
        n->p.type = (aug_noise_type)cli_choice(c, "--type", arg, type_names);
        return 0;
    case OPT_SIGMA:
        n->have_sigma = 1;
        return cli_range(c, "--sigma", arg, 0, 1e4, n->sigma);
    case OPT_AMOUNT:
        n->have_amount = 1;
        return cli_range(c, "--amount", arg, 0, 1, n->amount);
    case OPT_SALT:
        n->have_salt = 1;
        return cli_double(c, "--salt-ratio", arg, 0, 1, &n->p.salt_ratio);
    case OPT_SCALE:
        n->have_scale = 1;
        return cli_double(c, "--scale", arg, 1e-6, 1e6, &n->p.scale);
    case OPT_PER_CHANNEL:
        n->p.per_channel = 1;
        return 0;
    }
    return -1;
}

static aug_status apply(void *ctx, aug_image *img, aug_rng *rng, cli_params *params,
                        aug_error *err)
{
    const noise_ctx *n = ctx;
    aug_noise_params p = n->p;
    cli_params_add(params, "type=%s", type_names[p.type]);
    switch (p.type) {
    case AUG_NOISE_SALTPEPPER:
        p.amount = n->amount[0] == n->amount[1] ? n->amount[0]
                                                : aug_rng_range(rng, n->amount[0], n->amount[1]);
        cli_params_add(params, "amount=%.17g;salt_ratio=%.17g", p.amount, p.salt_ratio);
        break;
    case AUG_NOISE_POISSON:
        cli_params_add(params, "scale=%.17g", p.scale);
        break;
    default:
        p.sigma = n->sigma[0] == n->sigma[1] ? n->sigma[0]
                                             : aug_rng_range(rng, n->sigma[0], n->sigma[1]);
        cli_params_add(params, "sigma=%.17g", p.sigma);
        break;
    }
    if (p.per_channel)
        cli_params_add(params, "per_channel=1");
    return aug_noise(img, &p, rng, err);
}

int cmd_noise(int argc, char **argv)
{
    noise_ctx n = {.have_sigma = 0};
    aug_noise_params_default(&n.p);
    n.sigma[0] = n.sigma[1] = n.p.sigma;
    n.amount[0] = n.amount[1] = n.p.amount;
    cli_spec spec = {
        .name = "noise",
        .synopsis = "augment noise [--type T] [--sigma S] [--amount A] [options] INPUT... -o OUTPUT",
        .description = "Add noise to each image (imgaug / scikit-image semantics, 0..255 units):\n"
                       "  gaussian   v + N(0, sigma)          uniform  v + U(-sigma, sigma)\n"
                       "  speckle    v + v * N(0, sigma/255)  poisson  Poisson(v * scale) / scale\n"
                       "  saltpepper a fraction --amount of pixels set to 255 or 0\n"
                       "Results are rounded and clipped to 0..255. Alpha is never noised.",
        .options = options,
        .common = COMMON_COPIES | COMMON_PROB | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS,
        .handle = handle,
        .ctx = &n,
    };
    cli_common c;
    int nops = cli_parse(&spec, &c, argc, argv);
    /* A flag for another noise type would be silently ignored: refuse it. */
    int sp = n.p.type == AUG_NOISE_SALTPEPPER, po = n.p.type == AUG_NOISE_POISSON;
    if (n.have_sigma && (sp || po))
        cli_usage_error(&c, "--sigma does not apply to --type %s", type_names[n.p.type]);
    if ((n.have_amount || n.have_salt) && !sp)
        cli_usage_error(&c, "--amount and --salt-ratio apply to --type saltpepper only");
    if (n.have_scale && !po)
        cli_usage_error(&c, "--scale applies to --type poisson only");
    return cli_run_images(&c, nops, argv + 1, apply, &n);
}
