/* Internal to the CLI: the command table, the common flags, and the one run
 * loop every image command sits on.
 *
 *   main.c        the table of commands: one per operation (cmd_op.c),
 *                 chain, smote, mixup, samplepairing
 *   options.c     the common flags, declared once; parsing and help
 *   inputs.c      INPUT arguments, --files-from, --root, stdin -> inputs and keys
 *   run.c         inputs -> shards -> work queue on -j threads -> decode once
 *                 -> job -> encode once -> atomic write -> manifest rows in order
 *   images.c      the single-image job: a chain of operations per output
 *   pairs.c       the image-set job: mixup, SamplePairing and CutMix
 *   man.c         the man page's option lists, from the declarations */
#ifndef AUGMENT_CLI_H
#define AUGMENT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "augment/augment.h"
#include "augment/labels.h"
#include "augment/ops.h"
#include "io/fileio.h"

/* Exit statuses: the contract with shell scripts and Makefiles. */
enum { EXIT_ALL_DONE = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* Groups of common flags; a command says which apply to it, so a flag that
 * would be ignored is refused instead. */
enum {
    COMMON_COPIES = 1 << 0,    /* -n/--copies */
    COMMON_IMAGE_OUT = 1 << 1, /* --format, --quality, --png-level, --lossless, ... */
    COMMON_MAX_PIXELS = 1 << 2,
    COMMON_TABLE = 1 << 3,     /* --delimiter, --no-header, --label, --precision */
    COMMON_JOBS = 1 << 4,      /* -j */
    COMMON_RUN = 1 << 5,       /* --shard, --skip-existing, --progress, --dry-run */
    COMMON_INPUTS = 1 << 6,    /* --root, --files-from, -0, --key */
    COMMON_ORIGINALS = 1 << 7, /* --include-original */
    COMMON_LABELS = 1 << 8,    /* --labels, --masks and the rest (labels.c) */
};
#define COMMON_IMAGES (COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_JOBS | \
                       COMMON_RUN | COMMON_INPUTS | COMMON_ORIGINALS | COMMON_LABELS)

/* --labels */
enum { LABELS_NONE = 0, LABELS_YOLO, LABELS_COCO };
/* --flip-pairs: at most this many pairs, indices below AUG_MAX_KEYPOINTS */
#define CLI_MAX_FLIP_PAIRS 128
#define CLI_MAX_KEYPOINTS 4096

typedef struct cli_common {
    const char *prog;        /* "augment flip", for messages */
    const char *output;      /* -o */
    long copies;             /* -n, default 1 */
    int copies_given;
    uint64_t seed;           /* -s, default 0 */
    const char *manifest;    /* --manifest */
    int verbosity;           /* 0 -q, 1 default, 2 -v */
    int help;
    aug_format format;       /* --format, UNKNOWN = from the extension */
    int quality;             /* --quality, default 95 */
    int png_level;           /* --png-level, default 2 */
    int lossless;            /* --lossless (WebP) */
    int tiff_compression;    /* --tiff-compression, aug_tiff_compression */
    int reencode;            /* --reencode: no lossless JPEG transform */
    size_t max_pixels;       /* --max-pixels */
    char delimiter;          /* --delimiter, default ',' */
    int no_header;           /* --no-header */
    int header;              /* !no_header */
    const char *label;       /* --label */
    int precision;           /* --precision, 0 = shortest round trip */
    int jobs;                /* -j, default: the CPUs this process may use */
    const char *root;        /* --root */
    const char *files_from;  /* --files-from */
    int nul;                 /* -0 */
    const char *key;         /* --key */
    unsigned long shard[2];  /* --shard K/N: K, N (N = 0: no sharding) */
    int skip_existing;       /* --skip-existing */
    int dry_run;             /* --dry-run: the manifest only */
    int include_original;    /* --include-original */
    int progress;            /* -1 auto (a terminal), 0 --no-progress, 1 --progress */
    /* labels (labels.c) */
    int labels;              /* --labels: LABELS_* */
    const char *labels_dir;  /* --labels-dir: YOLO files mirror the inputs here */
    const char *labels_out;  /* --labels-out */
    const char *classes;     /* --classes: classes.txt or data.yaml */
    const char *annotations; /* --annotations: the COCO file of the inputs */
    const char *annotations_out;
    const char *masks;       /* --masks DIR */
    const char *masks_out;   /* --masks-out DIR */
    int mask_fill;           /* --mask-fill, default 0 */
    int erase_masks;         /* --erase-masks */
    int box_method;          /* --box-method: aug_box_method */
    double min_visibility, min_area, min_size;
    int flip_pairs[2 * CLI_MAX_FLIP_PAIRS];
    int nflip_pairs;
    unsigned given;          /* COMMON_* groups the user actually set */
    uint64_t given_bits;     /* the flags themselves */
} cli_common;

/* A command: its help text and the option tables besides the common ones
 * (each bound to its storage). */
typedef struct cli_spec {
    const char *name;
    const char *synopsis;    /* lines after "usage: " */
    const char *description;
    unsigned common;         /* COMMON_* groups that apply */
    aug_optset own[2];       /* the command's tables; storage in .base */
    size_t nown;
    const char *own_title[2]; /* section titles in --help ("rotate options") */
} cli_spec;

/* Parse argv[1..argc) with the common flags and the command's tables.
 * Operands are moved to argv[1..n] and n is returned. --help prints the
 * help and exits 0; a usage error prints one line and exits 2. */
int cli_parse(cli_spec *spec, cli_common *c, int argc, char **argv);
void cli_print_help(const cli_spec *spec, FILE *fp);
/* The common flags, for the man page. */
extern const aug_opt cli_common_options[];
int cli_default_jobs(void);

/* Print "augment CMD: message" and exit 2. */
void cli_usage_error(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* Messages to stderr, prefixed with c->prog; notes honour -q. */
void cli_error(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_note(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- never over an input (guard.c) ---- */
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
/* A path made comparable: the real path of its folder (resolving links)
 * and its own name. For telling whether two names are one file even when
 * neither exists yet. malloc'd. */
char *cli_canonical(const char *path);
/* 1 when two paths name one file: by device and inode when both exist
 * (links of either kind), else by cli_canonical; "-" is stdout, the same
 * as another "-". Out of memory: a message and exit 1. */
int cli_same_file(const cli_common *c, const char *a, const char *b);
/* Usage error (exit 2) before anything is written when two of the n files
 * a table command writes are one file, or one of them is the input `in`
 * (NULL or "-": none). what[i] names the option that gave paths[i];
 * paths[i] NULL: not written. */
void cli_refuse_overlap(const cli_common *c, const char *const *paths,
                        const char *const *what, size_t n, const char *in);

/* ---- inputs (inputs.c) ---- */
#define CLI_MAX_SKIP 5
/* INPUT arguments (folders walked), --files-from and stdin, named relative
 * to their argument or to --root, with stdin keyed by its content (or
 * --key). Fails on usage errors (exit 2); unreadable arguments are named
 * and counted in *bad. */
int cli_inputs_build(const cli_common *c, int nargs, char **args, const aug_folder_id *skip,
                     size_t nskip, aug_input_list *list, size_t *bad);
/* The folders a walk of the inputs never enters: the output folder (`out`,
 * NULL when it is not an existing folder) and the label and mask folders
 * that exist, so that masks/ beside images/ under one INPUT are not read as
 * images. Returns how many it put in skip[]. */
size_t cli_skip_folders(const cli_common *c, const struct stat *out,
                        aug_folder_id skip[CLI_MAX_SKIP]);
/* Folders reached twice through links (always) and dangling links (-v). */
void cli_input_notes(const cli_common *c, const aug_input_list *list);
/* The key of an input's random streams and shard. */
const char *cli_input_key(const aug_input *in);
/* "no supported images in the inputs (skipped 3 files: 2 .txt, 1 .webp)" */
void cli_no_images(const cli_common *c, const aug_input_list *list);

/* ---- the run loop (run.c) ---- */
/* What one input gives the job: its bytes, header and (when decoded)
 * pixels. Shared by the copies of the input; read-only for the job. */
typedef struct cli_source {
    const uint8_t *bytes;
    size_t len;
    aug_header header;
    const aug_image *image; /* NULL when only the header was read */
} cli_source;

/* An output a job encoded itself. */
typedef struct cli_encoded {
    uint8_t *bytes;
    size_t len;
} cli_encoded;

/* Files that go with an output (its labels, its mask): written to
 * temporaries with it, and renamed into place before it, so that an
 * output on disk always has them (and a failed one has none). */
typedef struct cli_file {
    char *path;
    uint8_t *bytes;
    size_t len;
} cli_file;
#define CLI_MAX_FILES 4
typedef struct cli_files {
    cli_file v[CLI_MAX_FILES];
    size_t n;
} cli_files;
void cli_files_free(cli_files *f);

typedef struct cli_job {
    void *ctx;
    const char *const *header; /* manifest columns */
    size_t ncols;
    int decodes;               /* the run loop reads and decodes inputs for the job */
    /* The path and format of copy k of input i (malloc'd path); k = -1 is
     * the input itself (--include-original). */
    aug_status (*output)(void *ctx, size_t i, long k, char **path, aug_format *fmt,
                         aug_error *err);
    /* What copy k will be, from the input's header (src->image may be NULL). */
    aug_status (*draw)(void *ctx, size_t i, long k, const cli_source *src, void **plan,
                       aug_error *err);
    /* Whether making this output needs the decoded input (NULL: always);
     * when not, src->image is NULL in make and src->bytes are whole. */
    int (*needs_pixels)(void *ctx, const void *plan);
    /* Make the output image. *same = 1: the output is the input unchanged
     * (the run loop then writes the input's own bytes when the format is
     * the same, and nothing is put in *out). A job that encodes the output
     * itself puts the file's bytes in *enc (malloc'd) instead. */
    aug_status (*make)(void *ctx, size_t i, void *plan, const cli_source *src, aug_image *out,
                       int *same, cli_encoded *enc, cli_files *files, aug_error *err);
    /* The manifest fields of a finished output, called in input order. */
    void (*record)(void *ctx, size_t i, long k, void *plan, const char *path,
                   const char **cols, aug_buf *verbose);
    void (*plan_free)(void *plan);
    /* Files the job writes besides the outputs (labels.csv): checked, as
     * the manifest is, against the outputs and the inputs. */
    const char *const *extra;
    size_t nextra;
} cli_job;

typedef struct cli_run_result {
    size_t outputs, existing, inputs, failed;
    int fatal, interrupted;
} cli_run_result;

/* Run `job` over the inputs: the units are (input, copy) for every input
 * of this shard; manifest rows (and job->record calls) come in input order
 * whatever -j is. Returns the exit status. */
int cli_run(const cli_common *c, const aug_input_list *list, size_t bad_args,
            const cli_job *job, cli_run_result *res);
/* The shard an input belongs to (stable: depends on its key only). */
int cli_in_shard(const cli_common *c, const char *key);

/* A folder operation fails for every output alike (disk full, read-only,
 * permission): the run stops at once instead of failing each image. */
int cli_error_is_fatal(const aug_error *err);

/* Encode and write atomically, creating parent folders (the last made is
 * remembered in *last_dir, freed by the caller). Failures name the output. */
aug_status cli_write_image(const cli_common *c, const aug_image *img, const char *path,
                           aug_format fmt, char **last_dir, aug_error *err);
aug_status cli_write_bytes(const char *path, const uint8_t *buf, size_t n, char **last_dir,
                           aug_error *err);
/* The output's bytes and its files, together (see cli_files). */
aug_status cli_write_with(const char *path, const uint8_t *buf, size_t n, const cli_files *files,
                          char **last_dir, aug_error *err);
aug_status cli_encode_image(const cli_common *c, const aug_image *img, aug_format fmt,
                            uint8_t **buf, size_t *n, aug_error *err);
/* OUTPUT/<rel stem>[_k].<ext> and its format: --format, else the input's
 * extension when writable, else PNG. malloc'd. */
char *cli_output_path(const cli_common *c, const char *rel, long k, aug_format *fmt);

/* ---- a pool of threads for work split in independent parts ---- */
/* Runs task(arg, i) for i in [0, n) on up to `jobs` threads; returns when
 * all are done. The results may not depend on which thread ran a task. */
void cli_parallel(int jobs, size_t n, void (*task)(void *arg, size_t i), void *arg);
/* The same as an aug_runner for kernels that accept one. */
aug_runner cli_runner(const cli_common *c);

/* ---- commands on the run loop ---- */
/* The single-image job: a chain of operations applied to every output. */
int cli_run_chain(const cli_common *c, const aug_chain *chain, const char *command, int nargs,
                  char **args);

/* The image-set job (pairs.c): mixup, SamplePairing, CutMix. */
typedef struct cli_pair_output {
    size_t a, b;              /* indices into the set */
    size_t class_a, class_b;  /* (size_t)-1 when not in a class folder */
    long copy;
    double weight;            /* share of A */
} cli_pair_output;

typedef struct cli_pair_method {
    int need_class;           /* every image must sit in a class folder */
    int flat;                 /* outputs go flat into OUTPUT, named class_stem */
    void *ctx;
    double (*draw_weight)(void *ctx, aug_rng *rng);
    /* labels.csv: written when set, one row per output in input order. */
    int labels;
    /* CutMix: after the weight, a box drawn from the same stream for A's
     * size, which may correct the weight; the manifest then has a fifth
     * column, box, as x,y,w,h. NULL: no box. */
    void (*draw_box)(void *ctx, aug_rng *rng, int width, int height, double *weight,
                     aug_rect *box);
    /* Make the output from A and B (same size and channels); NULL: blend
     * by the weight. */
    aug_status (*mix)(void *ctx, const aug_image *a, const aug_image *b, double weight,
                      aug_rect box, aug_image *out, aug_error *err);
} cli_pair_method;

int cli_run_pairs(const cli_common *c, int nargs, char **args, const cli_pair_method *m);

/* ---- labels (labels.c): YOLO, COCO and masks on the run loop ---- */
typedef struct cli_labels cli_labels;
/* What goes with one output. */
typedef struct cli_label_out {
    aug_labels l;            /* moved */
    int have;                /* a label file (YOLO) or an entry (COCO) */
    char *src_text;          /* YOLO: the file as read */
    aug_buf text;            /* YOLO: the file to write */
    char *text_path;
    char *mask_in, *mask_out;
    char *mask_b;            /* CutMix: the partner's mask, pasted in box */
    aug_rect box;
    size_t coco_image;
    int64_t id;              /* COCO: the output's image id */
    int w, h;                /* the output's size */
    int weight;              /* mixup: a weight per object */
} cli_label_out;

/* Any label flag given. */
int cli_labels_wanted(const cli_common *c);
/* From the flags (usage errors exit 2): *out NULL when no label flag is
 * given. `single`: -o names one file; `pairs`: 1 blends (mixup,
 * SamplePairing), 2 CutMix. Returns 0 or an exit status. */
int cli_labels_open(const cli_common *c, int nargs, char **args, int single, int pairs,
                    cli_labels **out);
void cli_labels_free(cli_labels *L);
/* The COCO file this run writes (NULL: none), for the output checks. */
const char *cli_labels_json(const cli_labels *L);
/* When an output is drawn: input `in`'s labels read, checked and moved
 * through plan (NULL: the input itself) for copy k, going to out_path. */
aug_status cli_labels_draw(cli_labels *L, const aug_input *in, long k, int w, int h,
                           const aug_plan *plan, const char *out_path, cli_label_out **out,
                           aug_error *err);
aug_status cli_labels_draw_pair(cli_labels *L, const aug_input *a, const aug_input *b, long k,
                                int aw, int ah, int bw, int bh, double weight,
                                const aug_rect *box, const char *out_path, cli_label_out **out,
                                aug_error *err);
/* When it is made: the label file and the moved mask, to write with it. */
aug_status cli_labels_files(cli_labels *L, cli_label_out *lo, const aug_plan *plan, int in_w,
                            int in_h, cli_files *files, aug_error *err);
/* When it is recorded (in order): its COCO entry, its manifest column. */
void cli_labels_record(cli_labels *L, cli_label_out *lo, const char *out_path, aug_buf *col);
/* At the end: the COCO file, the class lists copied, a summary. 0 or -1. */
int cli_labels_finish(cli_labels *L, int wrote_any);
void cli_label_out_free(cli_label_out *lo);

/* ---- manifests (manifest.c) ---- */
typedef struct cli_manifest {
    aug_atomic file;
    int open;
    const char *path;
} cli_manifest;
/* Start `path` (NULL: no manifest) with its header row. */
int cli_manifest_open(const cli_common *c, cli_manifest *m, const char *path,
                      const char *const *header, size_t n);
void cli_manifest_row(cli_manifest *m, const char *const *fields, size_t n);
/* Rename into place (ok) or discard; 0 or -1 after a message. */
int cli_manifest_close(const cli_common *c, cli_manifest *m, int ok);

/* ---- tables (tables.c) ---- */
/* A table input that can be read more than once (stdin and pipes are
 * copied to a temporary file first), with the CSV options in force. */
typedef struct cli_table_in {
    const char *path, *name;
    FILE *fp;
    long start;
    int owned;
    aug_csv_options o;
} cli_table_in;
/* --delimiter, else from the extension (.tsv, .tab: tab; .csv: comma),
 * else fallback. */
char cli_table_delimiter(const cli_common *c, const char *path, char fallback);
int cli_table_open(const cli_common *c, const char *path, const char *categorical,
                   cli_table_in *in);
int cli_table_rewind(const cli_common *c, cli_table_in *in);
void cli_table_close(cli_table_in *in);
int cli_load_table(const cli_common *c, const char *path, const char *categorical,
                   aug_table *t);
const char *cli_table_key(const char *path);
int cli_table_fail(const cli_common *c, aug_atomic *out, const char *what);
/* Bytes this process may allocate at most: physical memory, RLIMIT_AS,
 * RLIMIT_DATA, whichever is least. */
size_t cli_memory_limit(void);
/* Free bytes on fp's file system; -1 when unknown (a pipe). */
int cli_free_space(FILE *fp, unsigned long long *bytes);
/* "1.2 GB" */
void cli_bytes(char *buf, size_t size, long double bytes);

/* ---- the man page (man.c) ---- */
/* Copy a man page template to fp, replacing each line "@OPTIONS name@"
 * with the roff list of that command's options ("common" for the common
 * flags). */
int cli_man(FILE *template, FILE *fp);

/* ---- the commands ---- */
extern const aug_opt cli_chain_options[], cli_smote_options[], cli_mixup_options[],
    cli_samplepairing_options[], cli_cutmix_options[];
int cmd_op(const aug_op *op, int argc, char **argv);
int cmd_chain(int argc, char **argv);
int cmd_smote(int argc, char **argv);
int cmd_mixup(int argc, char **argv);
int cmd_samplepairing(int argc, char **argv);
int cmd_cutmix(int argc, char **argv);
int cmd_coco_merge(int argc, char **argv);

#endif
