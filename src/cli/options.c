/* The common flags, declared once with their storage in cli_common, and
 * the parsing and help every command shares. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <ctype.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static aug_status parse_format(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    aug_format f = aug_format_from_name(arg);
    if (!aug_format_writable(f))
        return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not one of %s", o->name, arg,
                        aug_format_writable_list());
    *(aug_format *)dst = f;
    return AUG_OK;
}

static aug_status parse_max_pixels(const aug_opt *o, const char *arg, void *dst,
                                   aug_error *err)
{
    aug_opt as_double = *o;
    as_double.kind = AUG_OPT_DOUBLE;
    as_double.offset = 0;
    double d;
    aug_status st = aug_opt_value(&as_double, arg, &d, err);
    if (!st)
        *(size_t *)dst = (size_t)d;
    return st;
}

static aug_status parse_delimiter(const aug_opt *o, const char *arg, void *dst,
                                  aug_error *err)
{
    char *d = dst;
    if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
        *d = '\t';
    else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
        *d = arg[0];
    else
        return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not a single character (use \\t for tab)",
                        o->name, arg);
    return AUG_OK;
}

/* K/N, 0 <= K < N; or "auto": a Slurm job array (SLURM_ARRAY_TASK_ID,
 * _COUNT, and _MIN/_STEP when the array does not start at 0 or steps),
 * else a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the count in
 * AUGMENT_SHARDS). */
static int env_ulong(const char *name, unsigned long *out)
{
    const char *v = getenv(name);
    char *end;
    if (!v || !*v || !isdigit((unsigned char)*v))
        return 0;
    *out = strtoul(v, &end, 10);
    return *end == '\0';
}

static aug_status parse_shard(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    unsigned long *kn = dst, k, n;
    if (strcmp(arg, "auto") == 0) {
        unsigned long id, min = 0, step = 1;
        if (env_ulong("SLURM_ARRAY_TASK_ID", &id) && env_ulong("SLURM_ARRAY_TASK_COUNT", &n)) {
            env_ulong("SLURM_ARRAY_TASK_MIN", &min);
            env_ulong("SLURM_ARRAY_TASK_STEP", &step);
            if (step == 0 || id < min)
                return aug_fail(err, AUG_ERR_ARG, "--shard auto: SLURM_ARRAY_TASK_ID %lu is "
                                "not in the array (min %lu, step %lu)", id, min, step);
            k = (id - min) / step;
        } else if (env_ulong("JOB_COMPLETION_INDEX", &k)) {
            if (!env_ulong("AUGMENT_SHARDS", &n))
                return aug_fail(err, AUG_ERR_ARG, "--shard auto: JOB_COMPLETION_INDEX is set "
                                "but AUGMENT_SHARDS (the number of shards) is not");
        } else {
            return aug_fail(err, AUG_ERR_ARG, "--shard auto: neither SLURM_ARRAY_TASK_ID and "
                            "SLURM_ARRAY_TASK_COUNT (a Slurm job array) nor JOB_COMPLETION_INDEX "
                            "and AUGMENT_SHARDS (a Kubernetes Indexed Job) are set");
        }
    } else {
        char *end;
        if (!isdigit((unsigned char)arg[0]) || (k = strtoul(arg, &end, 10), *end != '/') ||
            !isdigit((unsigned char)end[1]) || (n = strtoul(end + 1, &end, 10), *end))
            return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not K/N or auto", o->name, arg);
    }
    if (n == 0 || k >= n)
        return aug_fail(err, AUG_ERR_ARG, "--%s: shard %lu of %lu: K must be in 0..N-1",
                        o->name, k, n);
    kn[0] = k;
    kn[1] = n;
    return AUG_OK;
}

static const char *const tiff_compressions[] = {"deflate", "lzw", "none", NULL};
static const char *const label_formats[] = {"none", "yolo", "coco", NULL};
static const char *const box_methods[] = {"largest", "ellipse", NULL};

/* "A-B,C-D": keypoint indices (0-based) that swap names under a mirror. */
static aug_status parse_flip_pairs(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    cli_common *c = (cli_common *)((char *)dst - offsetof(cli_common, flip_pairs));
    const char *s = arg;
    int n = 0;
    for (;;) {
        char *end;
        long a = isdigit((unsigned char)*s) ? strtol(s, &end, 10) : -1;
        long b = a >= 0 && *end == '-' && isdigit((unsigned char)end[1]) ? strtol(end + 1, &end, 10)
                                                                         : -1;
        if (a < 0 || b < 0 || a >= CLI_MAX_KEYPOINTS || b >= CLI_MAX_KEYPOINTS || a == b ||
            n == CLI_MAX_FLIP_PAIRS || (*end && *end != ','))
            return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not pairs of keypoint indices "
                            "A-B,C-D (0-based, below %d, at most %d pairs)", o->name, arg,
                            CLI_MAX_KEYPOINTS, CLI_MAX_FLIP_PAIRS);
        c->flip_pairs[2 * n] = (int)a;
        c->flip_pairs[2 * n + 1] = (int)b;
        n++;
        if (!*end)
            break;
        s = end + 1;
    }
    c->nflip_pairs = n;
    return AUG_OK;
}

#define C(kind, letter, name, arg, help, field, lo, hi, value, parse, groups)                 \
    {kind, name, letter, arg, help, offsetof(cli_common, field), lo, hi, value, NULL, parse, 0, \
     groups}

const aug_opt cli_common_options[] = {
    C(AUG_OPT_STRING, 'o', "output", "OUT", "output file or folder; - for stdout", output, 0, 0, 0, NULL, 0),
    C(AUG_OPT_LONG, 'n', "copies", "N", "outputs per input (default 1), named <stem>_<k>", copies, 1, 1000000, 0, NULL, COMMON_COPIES),
    C(AUG_OPT_U64, 's', "seed", "S", "random seed, 0..2^64-1 (default 0)", seed, 0, 0, 0, NULL, 0),
    C(AUG_OPT_STRING, 0, "manifest", "FILE", "write a CSV row per output: what was drawn", manifest, 0, 0, 0, NULL, 0),
    C(AUG_OPT_CUSTOM, 0, "format", "FMT", "output format: png, jpg, bmp, tga, webp, tif (default: from the name)", format, 0, 0, 0, parse_format, COMMON_IMAGE_OUT),
    C(AUG_OPT_INT, 0, "quality", "Q", "JPEG and lossy WebP quality 1..100 (default 95)", quality, 1, 100, 0, NULL, COMMON_IMAGE_OUT),
    C(AUG_OPT_INT, 0, "png-level", "L", "PNG compression, libdeflate's level 0..12 (default 2: files no larger than Pillow's)", png_level, 0, 12, 0, NULL, COMMON_IMAGE_OUT),
    C(AUG_OPT_FLAG, 0, "lossless", NULL, "write WebP lossless", lossless, 0, 0, 0, NULL, COMMON_IMAGE_OUT),
    {AUG_OPT_CHOICE, "tiff-compression", 0, "C", "TIFF: deflate (default), lzw or none", offsetof(cli_common, tiff_compression), 0, 0, 0, tiff_compressions, NULL, 0, COMMON_IMAGE_OUT},
    C(AUG_OPT_FLAG, 0, "reencode", NULL, "decode and encode flips and quarter turns of JPEGs and 16-bit PNGs too (no lossless path)", reencode, 0, 0, 0, NULL, COMMON_IMAGE_OUT),
    C(AUG_OPT_CUSTOM, 0, "max-pixels", "N", "refuse images over N pixels (default 178956970)", max_pixels, 1, 1e15, 0, parse_max_pixels, COMMON_MAX_PIXELS),
    C(AUG_OPT_CUSTOM, 0, "delimiter", "C", "CSV field separator (default ,; \\t for tab)", delimiter, 0, 0, 0, parse_delimiter, COMMON_TABLE),
    C(AUG_OPT_FLAG, 0, "no-header", NULL, "the CSV has no header row (columns c0, c1, ...)", no_header, 0, 0, 0, NULL, COMMON_TABLE),
    C(AUG_OPT_STRING, 0, "label", "COL", "label column, by name or 0-based index (default: last)", label, 0, 0, 0, NULL, COMMON_TABLE),
    C(AUG_OPT_INT, 0, "precision", "D", "significant digits for new values (default: exact)", precision, 1, 17, 0, NULL, COMMON_TABLE),
    C(AUG_OPT_INT, 'j', "jobs", "N", "threads (default: every CPU this process may use)", jobs, 1, 1024, 0, NULL, COMMON_JOBS),
    C(AUG_OPT_STRING, 0, "root", "DIR", "name and key every input by its path relative to DIR", root, 0, 0, 0, NULL, COMMON_INPUTS),
    C(AUG_OPT_STRING, 0, "files-from", "FILE", "read input paths from FILE (- = stdin), one per line", files_from, 0, 0, 0, NULL, COMMON_INPUTS),
    C(AUG_OPT_FLAG, '0', "null", NULL, "--files-from paths end with NUL (find -print0)", nul, 0, 0, 0, NULL, COMMON_INPUTS),
    C(AUG_OPT_STRING, 0, "key", "NAME", "name and key the image read from stdin (default: its content)", key, 0, 0, 0, NULL, COMMON_INPUTS),
    C(AUG_OPT_CUSTOM, 0, "shard", "K/N|auto", "only the inputs whose key hashes to K mod N", shard, 0, 0, 0, parse_shard, COMMON_RUN),
    C(AUG_OPT_FLAG, 0, "skip-existing", NULL, "keep outputs that exist (resume); their rows are still written", skip_existing, 0, 0, 0, NULL, COMMON_RUN),
    C(AUG_OPT_FLAG, 0, "include-original", NULL, "also write each input unchanged, as <stem>.<ext>", include_original, 0, 0, 0, NULL, COMMON_ORIGINALS),
    {AUG_OPT_CHOICE, "labels", 0, "FMT", "labels that move with the images: yolo (<stem>.txt per image) or coco (--annotations)", offsetof(cli_common, labels), 0, 0, 0, label_formats, NULL, 0, COMMON_LABELS},
    C(AUG_OPT_STRING, 0, "labels-dir", "DIR", "YOLO: the .txt files mirror the inputs under DIR (default: beside each image)", labels_dir, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_STRING, 0, "labels-out", "DIR", "YOLO: write the .txt files under DIR (default: beside each output)", labels_out, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_STRING, 0, "classes", "FILE", "YOLO: classes.txt or data.yaml for the class ids (default: found at the top of the labels)", classes, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_STRING, 0, "annotations", "FILE", "COCO: the inputs' file (file_name relative to the INPUT folder)", annotations, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_STRING, 0, "annotations-out", "FILE", "COCO: write the outputs' file here (default: OUT/annotations.json)", annotations_out, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_STRING, 0, "masks", "DIR", "segmentation masks (PNG) mirroring the inputs under DIR, moved with the images", masks, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_STRING, 0, "masks-out", "DIR", "write the moved masks under DIR, as the outputs are laid out", masks_out, 0, 0, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_INT, 0, "mask-fill", "V", "mask value of uncovered areas, 0..255 (default 0)", mask_fill, 0, 255, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_FLAG, 0, "erase-masks", NULL, "erase also erases the masks (to --mask-fill)", erase_masks, 0, 0, 0, NULL, COMMON_LABELS),
    {AUG_OPT_CHOICE, "box-method", 0, "M", "boxes under rotations and warps: largest (around the corners, default) or ellipse", offsetof(cli_common, box_method), 0, 0, 0, box_methods, NULL, 0, COMMON_LABELS},
    C(AUG_OPT_DOUBLE, 0, "min-visibility", "F", "drop objects left with less than F of their area (default 0)", min_visibility, 0, 1, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_DOUBLE, 0, "min-area", "PX", "drop boxes smaller than PX square pixels (default 0)", min_area, 0, 1e15, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_DOUBLE, 0, "min-size", "PX", "drop boxes narrower or lower than PX pixels (default 0)", min_size, 0, 1e9, 0, NULL, COMMON_LABELS),
    C(AUG_OPT_CUSTOM, 0, "flip-pairs", "A-B,...", "keypoints that swap under a mirror (left/right), 0-based", flip_pairs, 0, 0, 0, parse_flip_pairs, COMMON_LABELS),
    C(AUG_OPT_FLAG, 0, "dry-run", NULL, "print the manifest the run would write (or to --manifest); write nothing else", dry_run, 0, 0, 0, NULL, 0),
    C(AUG_OPT_SET, 0, "progress", NULL, "show progress on stderr (default: when it is a terminal)", progress, 0, 0, 1, NULL, COMMON_RUN),
    C(AUG_OPT_SET, 0, "no-progress", NULL, "no progress line and no summary", progress, 0, 0, 0, NULL, COMMON_RUN),
    C(AUG_OPT_SET, 'q', "quiet", NULL, "print errors only", verbosity, 0, 0, 0, NULL, 0),
    C(AUG_OPT_SET, 'v', "verbose", NULL, "print a line per output", verbosity, 0, 0, 2, NULL, 0),
    C(AUG_OPT_FLAG, 'h', "help", NULL, "show this help", help, 0, 0, 0, NULL, 0),
    AUG_OPT_END_,
};

static void vmessage(const cli_common *c, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const cli_common *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
}

void cli_note(const cli_common *c, const char *fmt, ...)
{
    if (c->verbosity == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
}

void cli_usage_error(const cli_common *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help'.\n", c->prog);
    exit(EXIT_USAGE);
}

static void print_table(FILE *fp, const aug_opt *opts, unsigned mask)
{
    for (const aug_opt *o = opts; o && o->kind != AUG_OPT_END; o++) {
        if (!aug_opt_active(o, mask))
            continue;
        char left[64];
        aug_opt_usage(o, left, sizeof left);
        fprintf(fp, "  %-26s %s\n", left, o->help);
    }
}

void cli_print_help(const cli_spec *spec, FILE *fp)
{
    fprintf(fp, "usage: %s\n\n%s\n", spec->synopsis, spec->description);
    for (size_t i = 0; i < spec->nown; i++) {
        if (spec->own_title[i]) /* no title: the same section goes on */
            fprintf(fp, "\n%s:\n", spec->own_title[i]);
        print_table(fp, spec->own[i].opts, spec->own[i].mask);
    }
    fprintf(fp, "\ncommon options:\n");
    print_table(fp, cli_common_options, spec->common);
    fprintf(fp, "\nExit status: 0 all done, 1 some inputs failed, 2 usage error, "
                "130 interrupted.\n");
}

int cli_default_jobs(void)
{
    /* The CPUs this process may run on (taskset, a Slurm allocation's
     * cgroup), not every CPU of the machine. */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n < 1024 ? n : 1024) : 1;
}

int cli_parse(cli_spec *spec, cli_common *c, int argc, char **argv)
{
    static char prog[64];
    snprintf(prog, sizeof prog, "augment %s", spec->name);
    *c = (cli_common){.prog = prog, .copies = 1, .quality = 95, .png_level = 2, .verbosity = 1,
                      .max_pixels = AUG_DEFAULT_MAX_PIXELS, .delimiter = ',',
                      .progress = -1};
    aug_optset sets[3];
    size_t nsets = 0;
    for (size_t i = 0; i < spec->nown; i++)
        sets[nsets++] = spec->own[i];
    sets[nsets++] = (aug_optset){cli_common_options, c, spec->common, 0};
    aug_error err;
    int nops = 0;
    if (aug_opt_parse(sets, nsets, argc - 1, argv + 1, &nops, &err))
        cli_usage_error(c, "%s", err.msg);
    for (size_t i = 0; i < spec->nown; i++)
        spec->own[i].given = sets[i].given;
    uint64_t given = sets[nsets - 1].given;
    c->given_bits = given;
    for (size_t i = 0; cli_common_options[i].kind != AUG_OPT_END; i++)
        if ((given >> i) & 1)
            c->given |= cli_common_options[i].groups;
    c->copies_given = aug_opt_given(cli_common_options, given, "copies");
    c->header = !c->no_header;
    if (!aug_opt_given(cli_common_options, given, "jobs"))
        c->jobs = cli_default_jobs();
    if (c->help) {
        cli_print_help(spec, stdout);
        exit(EXIT_ALL_DONE);
    }
    if (aug_opt_given(cli_common_options, given, "shard") == 0)
        c->shard[1] = 0;
    return nops;
}
