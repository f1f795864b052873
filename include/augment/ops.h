/* augment — operations: each transform declared once, drawn then applied.
 *
 * An operation (aug_op) is a transform's one declaration: its name, help,
 * options (aug_opt: name, value, help, where the value goes, its range), a
 * draw step and an apply step. draw takes the output's random stream and
 * the image's geometry and returns the parameters as plain data; apply
 * takes those parameters and the pixels. The command-line tool builds its
 * standalone commands, chain stages, --help, manifest text and man page
 * from these declarations; a C program can use them the same way.
 *
 * Because drawing needs only the geometry, a manifest row (or a dry run)
 * can be produced without touching pixels, and the same parameters can
 * later move boxes and masks with the image.
 *
 * A chain (aug_chain) is a sequence of stages and groups parsed from text
 * such as "rotate --range -15:15 | flip --prob 0.5 | noise --sigma 8".
 * aug_chain_draw makes an aug_plan for one output; aug_plan_apply runs it.
 * Nothing here keeps global state: any number of threads may draw and
 * apply at once on their own plans. */
#ifndef AUGMENT_OPS_H
#define AUGMENT_OPS_H

#include <stddef.h>
#include <stdint.h>
#include "augment/error.h"
#include "augment/image.h"
#include "augment/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- text that grows as needed (manifest params have no length limit) ---- */
typedef struct aug_buf {
    char *data; /* NUL-terminated once anything was added; NULL before */
    size_t len, cap;
    int failed; /* an allocation failed: the text is incomplete */
} aug_buf;

void aug_buf_add(aug_buf *b, const char *s, size_t n);
void aug_buf_addf(aug_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "key=value" items are separated by ';' (the manifest's params syntax). */
void aug_buf_item(aug_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void aug_buf_free(aug_buf *b);

/* ---- options, declared once ---- */
typedef enum aug_opt_kind {
    AUG_OPT_END = 0, /* terminates a table */
    AUG_OPT_FLAG,    /* no value: the int at offset becomes 1 */
    AUG_OPT_SET,     /* no value: the int at offset becomes .value */
    AUG_OPT_INT,     /* an int in [lo, hi] */
    AUG_OPT_LONG,    /* a long in [lo, hi] */
    AUG_OPT_DOUBLE,  /* a finite double in [lo, hi] */
    AUG_OPT_RANGE,   /* "V" (= V:V) or "LO:HI" into double[2], lo <= LO <= HI <= hi */
    AUG_OPT_CHOICE,  /* one of .choices: the int at offset becomes its index */
    AUG_OPT_COLOR,   /* "V", "R,G,B" or "R,G,B,A" (0..255) into an aug_color */
    AUG_OPT_STRING,  /* const char * to the value (valid as long as the parsed text) */
    AUG_OPT_U64,     /* a decimal uint64_t */
    AUG_OPT_CUSTOM   /* .parse */
} aug_opt_kind;

/* Flags of an option. */
enum {
    AUG_OPT_ABOVE_LO = 1 << 0, /* the lower bound is exclusive */
};

struct aug_opt;
typedef aug_status (*aug_opt_parse_fn)(const struct aug_opt *o, const char *arg,
                                       void *dst, aug_error *err);

typedef struct aug_opt {
    aug_opt_kind kind;
    const char *name;     /* long name, without "--" */
    char letter;          /* short name, or 0 */
    const char *arg;      /* the value's placeholder in help ("DEG"); NULL for flags */
    const char *help;
    size_t offset;        /* where the value is stored, from the set's base */
    double lo, hi;        /* numeric range */
    int value;            /* AUG_OPT_SET */
    const char *const *choices; /* AUG_OPT_CHOICE, NULL-terminated */
    aug_opt_parse_fn parse;     /* AUG_OPT_CUSTOM */
    unsigned flags;       /* AUG_OPT_ABOVE_LO */
    unsigned groups;      /* for tables shared by several users: the option
                             exists where (groups & set mask) == groups */
} aug_opt;

/* Declaration helpers, so that a table reads as name, value, help, storage
 * and range on one line each. S is the storage struct type. */
#define AUG_OPT_FLAG_(L, N, H, S, F) \
    {AUG_OPT_FLAG, N, L, NULL, H, offsetof(S, F), 0, 0, 0, NULL, NULL, 0, 0}
#define AUG_OPT_SET_(L, N, H, S, F, V) \
    {AUG_OPT_SET, N, L, NULL, H, offsetof(S, F), 0, 0, V, NULL, NULL, 0, 0}
#define AUG_OPT_INT_(L, N, A, H, S, F, LO, HI) \
    {AUG_OPT_INT, N, L, A, H, offsetof(S, F), LO, HI, 0, NULL, NULL, 0, 0}
#define AUG_OPT_LONG_(L, N, A, H, S, F, LO, HI) \
    {AUG_OPT_LONG, N, L, A, H, offsetof(S, F), LO, HI, 0, NULL, NULL, 0, 0}
#define AUG_OPT_DOUBLE_(L, N, A, H, S, F, LO, HI) \
    {AUG_OPT_DOUBLE, N, L, A, H, offsetof(S, F), LO, HI, 0, NULL, NULL, 0, 0}
#define AUG_OPT_RANGE_(L, N, A, H, S, F, LO, HI, FLAGS) \
    {AUG_OPT_RANGE, N, L, A, H, offsetof(S, F), LO, HI, 0, NULL, NULL, FLAGS, 0}
#define AUG_OPT_CHOICE_(L, N, A, H, S, F, CH) \
    {AUG_OPT_CHOICE, N, L, A, H, offsetof(S, F), 0, 0, 0, CH, NULL, 0, 0}
#define AUG_OPT_COLOR_(L, N, A, H, S, F) \
    {AUG_OPT_COLOR, N, L, A, H, offsetof(S, F), 0, 0, 0, NULL, NULL, 0, 0}
#define AUG_OPT_STRING_(L, N, A, H, S, F) \
    {AUG_OPT_STRING, N, L, A, H, offsetof(S, F), 0, 0, 0, NULL, NULL, 0, 0}
#define AUG_OPT_U64_(L, N, A, H, S, F) \
    {AUG_OPT_U64, N, L, A, H, offsetof(S, F), 0, 0, 0, NULL, NULL, 0, 0}
#define AUG_OPT_CUSTOM_(L, N, A, H, S, F, FN) \
    {AUG_OPT_CUSTOM, N, L, A, H, offsetof(S, F), 0, 0, 0, NULL, FN, 0, 0}
#define AUG_OPT_END_ {AUG_OPT_END, NULL, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL, 0, 0}

/* A colour as the user gave it: n = 1 (grey or every channel), 3 or 4. */
typedef struct aug_color {
    uint8_t v[4];
    int n;
} aug_color;

/* The colour for an image of `channels`: one value fills every colour
 * channel; R,G,B on a grey image becomes its Rec.601 luma; alpha is the
 * fourth value when given, else opaque. */
void aug_color_for(const aug_color *c, int channels, uint8_t out[4]);

/* One option table and the struct its values go to. `given` receives a
 * bit per option that appeared (bit i = options[i]). */
typedef struct aug_optset {
    const aug_opt *opts;
    void *base;
    unsigned mask;
    uint64_t given;
} aug_optset;

/* Parse argv[0..argc) against the sets: "--name value", "--name=value",
 * "-x value", "-xvalue", grouped short flags ("-qv"), unambiguous prefixes
 * of long names, "--" ending the options. A value is taken as given even
 * when it starts with '-' ("--angle -30"). Operands are moved, in order, to
 * argv[0..*noperands); with noperands NULL an operand is an error. On error
 * err names the option and what it accepts. */
aug_status aug_opt_parse(aug_optset *sets, size_t nsets, int argc, char **argv,
                         int *noperands, aug_error *err);
/* True when the option called `name` in `opts` is among `given`. */
int aug_opt_given(const aug_opt *opts, uint64_t given, const char *name);
/* True when the option exists for this mask. */
int aug_opt_active(const aug_opt *o, unsigned mask);
/* "-x, --name ARG" or "    --name ARG" into buf (for help pages). */
void aug_opt_usage(const aug_opt *o, char *buf, size_t size);
/* Parse one value the way aug_opt_parse would. */
aug_status aug_opt_value(const aug_opt *o, const char *arg, void *base, aug_error *err);

/* ---- operations ---- */
typedef struct aug_geom {
    int width, height, channels;
} aug_geom;

/* How masks follow an operation (aug_op.apply_mask): uncovered areas take
 * `fill` (0 = background by default); erase clears the mask under its
 * rectangles only when `erase` is set (albumentations' default is off). */
typedef struct aug_mask_opts {
    uint8_t fill;
    int erase;
} aug_mask_opts;

typedef struct aug_op {
    const char *name;        /* "rotate" */
    const char *summary;     /* one line for the list of commands */
    const char *usage;       /* the op's part of a synopsis: "(--angle DEG | --range LO:HI)" */
    const char *description; /* a paragraph for --help and the man page */
    const aug_opt *options;  /* the op's own options; storage is its config */
    size_t cfg_size;
    void (*init)(void *cfg); /* defaults */
    /* Rules between options (given: bits of `options` that appeared). */
    aug_status (*check)(void *cfg, uint64_t given, aug_error *err);
    size_t params_size;
    /* Draw this output's parameters from its stream and the image geometry
     * (sizes and channels, as the header says, before any pixel). */
    aug_status (*draw)(const void *cfg, aug_rng *rng, const aug_geom *in,
                       void *params, aug_error *err);
    /* The geometry after the op (NULL: unchanged). */
    aug_status (*geometry)(const void *params, const aug_geom *in, aug_geom *out,
                           aug_error *err);
    /* Exactly one of these is set: in place, or into a new image. */
    aug_status (*apply_inplace)(const void *params, aug_image *img, aug_error *err);
    aug_status (*apply)(const void *params, const aug_image *src, aug_image *dst,
                        aug_error *err);
    /* The manifest text: "key=value" items (aug_buf_item). */
    void (*describe)(const void *params, aug_buf *out);
    /* When these parameters only permute pixels as a symmetry of the
     * rectangle (a flip, a quarter turn), which one (aug_dihedral, image.h);
     * else -1 (NULL: never). A JPEG then takes the lossless path. */
    int (*dihedral)(const void *params, const aug_geom *in);
    /* Labels (include/augment/labels.h), through the same parameters.
     * map_points moves n points, x y pairs in the continuous coordinates
     * of the input `in` (pixel i spans [i, i+1)), to where the image's
     * pixels go; points may land outside the output. NULL: the op moves
     * no pixel (a colour op), and points stay where they are. */
    aug_status (*map_points)(const void *params, const aug_geom *in, double *xy, size_t n,
                             aug_error *err);
    /* The same parameters on a mask (any channels, 8-bit labels):
     * nearest-neighbour sampling, so no value is ever blended, and
     * uncovered areas o->fill. NULL: masks stay as they are. */
    aug_status (*apply_mask)(const void *params, const aug_mask_opts *o, const aug_image *src,
                             aug_image *dst, aug_error *err);
    /* map_points bends straight lines (elastic): outlines are cut into
     * short segments before they are moved. */
    int bends_lines;
} aug_op;

/* Every operation, in the order the tool lists them. */
const aug_op *const *aug_ops(size_t *n);
const aug_op *aug_op_find(const char *name);

/* Options every stage has besides its op's own: --prob. */
typedef struct aug_stage_opts {
    double prob; /* apply with this probability, default 1 */
} aug_stage_opts;
extern const aug_opt aug_stage_options[];

/* ---- chains ---- */
typedef struct aug_chain aug_chain;
typedef struct aug_plan aug_plan;

/* Parse a chain. Stages are separated by '|' (and by new lines), each an
 * operation's name and its flags; groups are
 *   one-of [--prob P] { STAGE | STAGE ... }     one member, weighted by --prob
 *   some-of N|LO:HI [--prob P] { STAGE | ... }  N members, in random order
 * '#' starts a comment to the end of the line; '...' and "..." quote.
 * `source` names a recipe file in messages ("FILE:LINE: ..."); NULL for
 * inline text ("stage 2 (noise): ..."). */
aug_status aug_chain_parse(const char *text, const char *source, aug_chain **out,
                           aug_error *err);
/* A chain of one stage made from an already parsed config (the
 * standalone commands). Takes ownership of cfg (malloc'd, op->cfg_size). */
aug_status aug_chain_single(const aug_op *op, void *cfg, double prob, aug_chain **out,
                            aug_error *err);
void aug_chain_free(aug_chain *c);
/* Number of stages, counting those inside groups. */
size_t aug_chain_stages(const aug_chain *c);

/* Draw everything one output will be: the first node of the chain draws
 * from aug_rng_derive(seed, key, copy), exactly as the standalone command;
 * node i > 0 (numbered in the order they are written, groups included)
 * from aug_rng_derive_stream(seed, key, copy, i). */
aug_status aug_chain_draw(const aug_chain *c, uint64_t seed, const char *key,
                          uint64_t copy, const aug_geom *in, aug_plan **out,
                          aug_error *err);
/* True when no stage applies: the output is the input. */
int aug_plan_is_identity(const aug_plan *p);
/* The geometry of the output. */
void aug_plan_geometry(const aug_plan *p, aug_geom *out);
/* The symmetry the whole plan is (aug_dihedral), or -1 when some step is
 * not a pure pixel permutation. */
int aug_plan_dihedral(const aug_plan *p);
/* The manifest text: for a single stage its params (or "skipped"); for a
 * chain "name(params) | name(skipped) | one-of[name(params)] ..." */
const char *aug_plan_text(const aug_plan *p);
/* Apply to src (left untouched) into a new *dst. */
aug_status aug_plan_apply(const aug_plan *p, const aug_image *src, aug_image *dst,
                          aug_error *err);
void aug_plan_free(aug_plan *p);

/* ---- labels through a plan (include/augment/labels.h builds on these) ---- */
/* True when some step moves points (a geometric op drawn, not skipped). */
int aug_plan_moves_points(const aug_plan *p);
/* True when some step changes masks (apply_mask set and, for erase,
 * o->erase). */
int aug_plan_changes_masks(const aug_plan *p, const aug_mask_opts *o);
/* The steps drawn, in order, and step i's op, parameters and geometry
 * before and after it. */
size_t aug_plan_steps(const aug_plan *p);
void aug_plan_step(const aug_plan *p, size_t i, const aug_op **op, const void **params,
                   aug_geom *in, aug_geom *out);
/* Move n points (x y pairs, continuous coordinates) through every step,
 * with no clipping between them. */
aug_status aug_plan_map_points(const aug_plan *p, double *xy, size_t n, aug_error *err);
/* A mask (any channels) through every step that changes masks: a new
 * *dst. The mask has the input's size. */
aug_status aug_plan_apply_mask(const aug_plan *p, const aug_mask_opts *o, const aug_image *src,
                               aug_image *dst, aug_error *err);

#ifdef __cplusplus
}
#endif
#endif
