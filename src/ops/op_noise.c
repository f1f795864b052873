/* noise: additive, impulse, multiplicative and shot noise in 0..255 units,
 * shared across colour channels unless --per-channel; alpha never noised. */
#include <stddef.h>

#include "augment/kernels.h"
#include "augment/ops.h"

static const char *const type_names[] = {"gaussian", "uniform", "saltpepper",
                                         "speckle", "poisson", NULL};

typedef struct noise_cfg {
    int type, per_channel;
    double sigma[2], amount[2], salt_ratio, scale;
} noise_cfg;

typedef struct noise_params {
    aug_noise_params p;
    /* The per-pixel draws come after the parameter draws on the same
     * stream; the stream is kept here as it stands after drawing, so that
     * apply continues it exactly where the standalone kernel would. */
    aug_rng pixels;
} noise_params;

static const aug_opt options[] = {
    AUG_OPT_CHOICE_('t', "type", "T", "gaussian (default), uniform, saltpepper, speckle, poisson",
                    noise_cfg, type, type_names),
    AUG_OPT_RANGE_(0, "sigma", "S|LO:HI",
                   "std dev (gaussian, speckle) or half-width (uniform), 0..255 units; default 10",
                   noise_cfg, sigma, 0, 1e4, 0),
    AUG_OPT_RANGE_(0, "amount", "A|LO:HI", "saltpepper: fraction of pixels replaced (default 0.05)",
                   noise_cfg, amount, 0, 1, 0),
    AUG_OPT_DOUBLE_(0, "salt-ratio", "R", "saltpepper: share of salt (255) among them (default 0.5)",
                    noise_cfg, salt_ratio, 0, 1),
    AUG_OPT_DOUBLE_(0, "scale", "K", "poisson: events per unit of value (default 1; larger = less noise)",
                    noise_cfg, scale, 1e-6, 1e6),
    AUG_OPT_FLAG_(0, "per-channel", "draw each colour channel independently", noise_cfg,
                  per_channel),
    AUG_OPT_END_,
};

static void init(void *cfg)
{
    noise_cfg *c = cfg;
    aug_noise_params d;
    aug_noise_params_default(&d);
    *c = (noise_cfg){.type = (int)d.type, .per_channel = d.per_channel,
                     .sigma = {d.sigma, d.sigma}, .amount = {d.amount, d.amount},
                     .salt_ratio = d.salt_ratio, .scale = d.scale};
}

/* A flag for another noise type would be silently ignored: refuse it. */
static aug_status check(void *cfg, uint64_t given, aug_error *err)
{
    const noise_cfg *c = cfg;
    int sp = c->type == AUG_NOISE_SALTPEPPER, po = c->type == AUG_NOISE_POISSON;
    if (aug_opt_given(options, given, "sigma") && (sp || po))
        return aug_fail(err, AUG_ERR_ARG, "--sigma does not apply to --type %s",
                        type_names[c->type]);
    if ((aug_opt_given(options, given, "amount") || aug_opt_given(options, given, "salt-ratio")) &&
        !sp)
        return aug_fail(err, AUG_ERR_ARG, "--amount and --salt-ratio apply to --type saltpepper only");
    if (aug_opt_given(options, given, "scale") && !po)
        return aug_fail(err, AUG_ERR_ARG, "--scale applies to --type poisson only");
    return AUG_OK;
}

/* A range draws only when it is one (LO < HI). */
static double pick(aug_rng *rng, const double r[2])
{
    return r[0] == r[1] ? r[0] : aug_rng_range(rng, r[0], r[1]);
}

static aug_status draw(const void *cfg, aug_rng *rng, const aug_geom *in, void *params,
                       aug_error *err)
{
    const noise_cfg *c = cfg;
    noise_params *np = params;
    aug_noise_params *p = &np->p;
    (void)in;
    (void)err;
    aug_noise_params_default(p);
    p->type = (aug_noise_type)c->type;
    p->salt_ratio = c->salt_ratio;
    p->scale = c->scale;
    p->per_channel = c->per_channel;
    if (p->type == AUG_NOISE_SALTPEPPER)
        p->amount = pick(rng, c->amount);
    else if (p->type != AUG_NOISE_POISSON)
        p->sigma = pick(rng, c->sigma);
    np->pixels = *rng;
    return AUG_OK;
}

static aug_status apply(const void *params, aug_image *img, aug_error *err)
{
    const noise_params *np = params;
    aug_rng rng = np->pixels;
    return aug_noise(img, &np->p, &rng, err);
}

static void describe(const void *params, aug_buf *out)
{
    const aug_noise_params *p = &((const noise_params *)params)->p;
    aug_buf_item(out, "type=%s", type_names[p->type]);
    switch (p->type) {
    case AUG_NOISE_SALTPEPPER:
        aug_buf_item(out, "amount=%.17g;salt_ratio=%.17g", p->amount, p->salt_ratio);
        break;
    case AUG_NOISE_POISSON:
        aug_buf_item(out, "scale=%.17g", p->scale);
        break;
    default:
        aug_buf_item(out, "sigma=%.17g", p->sigma);
        break;
    }
    if (p->per_channel)
        aug_buf_item(out, "per_channel=1");
}

const aug_op aug_op_noise = {
    .name = "noise",
    .summary = "add gaussian, uniform, salt-and-pepper, speckle or poisson noise",
    .usage = "[--type T] [--sigma S] [--amount A]",
    .description = "Add noise to each image (imgaug / scikit-image semantics, 0..255 units):\n"
                   "  gaussian   v + N(0, sigma)          uniform  v + U(-sigma, sigma)\n"
                   "  speckle    v + v * N(0, sigma/255)  poisson  Poisson(v * scale) / scale\n"
                   "  saltpepper a fraction --amount of pixels set to 255 or 0\n"
                   "Results are rounded and clipped to 0..255. Alpha is never noised.",
    .options = options,
    .cfg_size = sizeof(noise_cfg),
    .init = init,
    .check = check,
    .params_size = sizeof(noise_params),
    .draw = draw,
    .apply_inplace = apply,
    .describe = describe,
};
