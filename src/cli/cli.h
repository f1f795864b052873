/* Internal to the CLI: the command table, shared option parsing and the
 * two drivers (images, tables) that every cmd_<name>.c sits on. */
#ifndef AUGMENT_CLI_H
#define AUGMENT_CLI_H

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "augment/augment.h"
#include "io/fileio.h"

/* Exit statuses: the contract with shell scripts and Makefiles. */
enum { EXIT_ALL_DONE = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

/* Common flags a command may accept; each command says which apply to it,
 * so a flag that would be ignored is refused instead. */
enum {
    COMMON_COPIES = 1 << 0,   /* -n/--copies */
    COMMON_PROB = 1 << 1,     /* --prob */
    COMMON_IMAGE_OUT = 1 << 2, /* --format, --quality */
    COMMON_MAX_PIXELS = 1 << 3,
    COMMON_TABLE = 1 << 4,    /* --delimiter, --no-header, --label, --precision */
};

typedef struct cli_common {
    const char *prog;      /* "augment flip", for messages */
    const char *output;    /* -o */
    long copies;           /* -n, default 1 */
    int copies_given;
    uint64_t seed;         /* -s, default 0 */
    double prob;           /* --prob, default 1 */
    const char *manifest;  /* --manifest */
    int quiet, verbose;
    aug_format format;     /* --format, UNKNOWN = from the extension */
    int quality;           /* --quality, default 95 */
    size_t max_pixels;     /* --max-pixels */
    char delimiter;        /* --delimiter, default ',' */
    int header;            /* 0 with --no-header */
    const char *label;     /* --label */
    int precision;         /* --precision, 0 = shortest round trip */
    unsigned given;        /* COMMON_* groups the user actually set */
} cli_common;

/* A command-specific option, declared next to its help text. */
typedef struct cli_option {
    const char *name;
    int has_arg;          /* no_argument / required_argument */
    int val;              /* returned to the handler */
    const char *arg_name; /* shown in help, e.g. "DEG" */
    const char *help;
} cli_option;

typedef struct cli_spec {
    const char *name;       /* "flip" */
    const char *synopsis;   /* lines after "usage: " */
    const char *description;
    const cli_option *options; /* terminated by a zero entry */
    unsigned common;        /* COMMON_* flags that apply */
    /* Returns 0, or -1 after printing what is wrong with the value. */
    int (*handle)(void *ctx, const cli_common *c, int val, const char *arg);
    void *ctx;
} cli_spec;

/* Parse argv with the common flags and the command's own. Returns the
 * number of operands, which are moved to argv[1..n]; on --help prints the usage and exits 0; on a
 * usage error prints one line and exits 2. */
int cli_parse(const cli_spec *spec, cli_common *c, int argc, char **argv);
void cli_print_help(const cli_spec *spec, FILE *fp);
/* Print "augment CMD: message" and exit 2. */
void cli_usage_error(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* Value parsers: 0 on success, -1 after a usage error has been printed. */
int cli_double(const cli_common *c, const char *flag, const char *arg,
               double lo, double hi, double *out);
int cli_long(const cli_common *c, const char *flag, const char *arg, long lo,
             long hi, long *out);
/* "LO:HI" or a single value V (meaning V:V) within [lo, hi], LO <= HI. */
int cli_range(const cli_common *c, const char *flag, const char *arg, double lo,
              double hi, double out[2]);
/* "V" or "R,G,B" or "R,G,B,A", each 0..255; *n receives the count. */
int cli_color(const cli_common *c, const char *flag, const char *arg,
              uint8_t out[4], int *n);
/* Map a user colour onto an image's channels (grey takes the luma). */
void cli_color_for(const uint8_t rgba[4], int n, int channels, uint8_t out[4]);
/* Index of arg in a NULL-terminated list of names, or -1 with a usage error. */
int cli_choice(const cli_common *c, const char *flag, const char *arg,
               const char *const *names);

/* What one output recorded: appended as "key=value" pairs. */
typedef struct cli_params {
    char text[512];
    size_t len;
} cli_params;
void cli_params_add(cli_params *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- never over an input (src/cli/guard.c) ---- */
typedef struct cli_file_id {
    dev_t dev;
    ino_t ino;
} cli_file_id;
typedef struct cli_guard {
    cli_file_id *ids; /* the inputs' identities, sorted */
    size_t n;
} cli_guard;
int cli_guard_init(cli_guard *g, const aug_input_list *inputs);
/* True when `path` exists and is one of the inputs. */
int cli_guard_hits(const cli_guard *g, const char *path);
void cli_guard_free(cli_guard *g);
/* Usage error (exit 2) when `out` exists and is the file `in`. */
void cli_refuse_input(const cli_common *c, const char *out, const char *in);

/* ---- the image driver (src/cli/images.c) ---- */
typedef aug_status (*cli_apply_fn)(void *ctx, aug_image *img, aug_rng *rng,
                                   cli_params *params, aug_error *err);
/* Run `apply` on every output of every input, as the CLI contract says. */
int cli_run_images(const cli_common *c, int nargs, char **args,
                   cli_apply_fn apply, void *ctx);
/* OUTPUT/<rel stem>[_k].<ext> and its format: --format, else the input's
 * extension when writable, else PNG. malloc'd. */
char *cli_output_path(const cli_common *c, const char *rel, long k, aug_format *fmt);
/* Encode, create the parent folders (remembering the last one in
 * *last_dir, freed by the caller) and write atomically. */
aug_status cli_write_image(const cli_common *c, const aug_image *img,
                           const char *path, aug_format fmt, char **last_dir,
                           aug_error *err);

/* ---- the image-set driver (src/cli/pairs.c): mixup, samplepairing ---- */
typedef struct cli_pair_ctx {
    const cli_common *c;
    const char *const *classes; /* the set's class folders, sorted */
    size_t nclasses;
    const cli_guard *inputs;    /* outputs must not land on these */
} cli_pair_ctx;

typedef struct cli_pair_output {
    const aug_input *a, *b;
    size_t class_a, class_b;    /* (size_t)-1 when not in a class folder */
    long copy;
    double weight;              /* share of A */
} cli_pair_output;

typedef struct cli_pair_method {
    int need_class;             /* every image must sit in a class folder */
    int flat;                   /* outputs go flat into OUTPUT, named class_stem */
    void *ctx;
    double (*draw_weight)(void *ctx, aug_rng *rng);
    /* Called once per written output (may be NULL); 0 or -1. */
    int (*record)(void *ctx, const cli_pair_ctx *pc, const cli_pair_output *po,
                  const char *path);
    /* Called at the end (may be NULL): write what `record` gathered. */
    int (*finish)(void *ctx, const cli_pair_ctx *pc);
} cli_pair_method;

int cli_run_pairs(const cli_common *c, int nargs, char **args,
                  const cli_pair_method *m);

/* ---- manifests (src/cli/manifest.c) ---- */
typedef struct cli_manifest {
    aug_atomic file;
    int open;
} cli_manifest;
/* Start --manifest (if given) with its header row; 0 or -1 after a message. */
int cli_manifest_open(const cli_common *c, cli_manifest *m,
                      const char *const *header, size_t n);
void cli_manifest_row(cli_manifest *m, const char *const *fields, size_t n);
/* Rename into place (ok) or discard; 0 or -1 after a message. */
int cli_manifest_close(const cli_common *c, cli_manifest *m, int ok);

/* ---- tables (src/cli/tables.c) ---- */
/* Load with --delimiter/--no-header/--label; 0 or -1 after a message. */
int cli_load_table(const cli_common *c, const char *path, aug_table *t);
/* The key of a table's random streams: its file name. */
const char *cli_table_key(const char *path);
/* Discard a half-written output, print `what`, return EXIT_SOME_FAILED. */
int cli_table_fail(const cli_common *c, aug_atomic *out, const char *what);

/* Messages to stderr, prefixed with c->prog; notes honour --quiet. */
void cli_error(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_note(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The commands. */
int cmd_flip(int argc, char **argv);
int cmd_rotate(int argc, char **argv);
int cmd_noise(int argc, char **argv);
int cmd_erase(int argc, char **argv);
int cmd_smote(int argc, char **argv);
int cmd_mixup(int argc, char **argv);
int cmd_samplepairing(int argc, char **argv);

#endif
