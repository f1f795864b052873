/* The image driver: INPUT... -> outputs, for every single-image command.
 *
 * Per input: read the bytes once, decode once, and for each copy run the
 * command's kernel on a working image, encode once, write atomically.
 * Each copy draws from its own stream, keyed by (seed, relative path, copy),
 * so its bytes depend on nothing else in the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

typedef struct output {
    char *path;
    aug_format fmt;
} output;

static void free_outputs(output *outs, size_t n)
{
    for (size_t i = 0; outs && i < n; i++)
        free(outs[i].path);
    free(outs);
}

/* OUT/<rel stem>[_k].<ext>: the input's extension is kept when we can
 * write it (and --format does not say otherwise), else the format's. */
char *cli_output_path(const cli_common *c, const char *rel, long k, aug_format *fmt)
{
    if (strcmp(rel, "-") == 0)
        rel = "stdin";
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(slash ? slash + 1 : rel, '.');
    size_t stem = dot && dot != (slash ? slash + 1 : rel) ? (size_t)(dot - rel) : strlen(rel);
    aug_format in_fmt = aug_format_from_path(rel);
    const char *ext;
    if (c->format != AUG_FMT_UNKNOWN) {
        *fmt = c->format;
        ext = aug_format_ext(c->format);
    } else if (aug_format_writable(in_fmt)) {
        *fmt = in_fmt;
        ext = rel + stem + 1;
    } else {
        *fmt = AUG_FMT_PNG;
        ext = "png";
    }
    size_t size = stem + strlen(ext) + 32;
    char *name = malloc(size);
    if (!name)
        return NULL;
    if (c->copies > 1)
        snprintf(name, size, "%.*s_%ld.%s", (int)stem, rel, k, ext);
    else
        snprintf(name, size, "%.*s.%s", (int)stem, rel, ext);
    char *path = aug_path_join(c->output, name);
    free(name);
    return path;
}

static int cmp_output(const void *a, const void *b)
{
    return strcmp(((const output *)a)->path, ((const output *)b)->path);
}

/* Refuse, before anything is written, a run that would write one output
 * twice or write over one of its inputs. */
static void check_outputs(const cli_common *c, const aug_input_list *in,
                          const output *outs, size_t n)
{
    output *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return;
    memcpy(sorted, outs, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_output);
    for (size_t i = 1; i < n; i++)
        if (strcmp(sorted[i - 1].path, sorted[i].path) == 0) {
            const char *dup = sorted[i].path;
            free(sorted);
            cli_usage_error(c, "two inputs would both write %s (same relative name under different INPUTs)", dup);
        }
    free(sorted);
    cli_guard g;
    if (cli_guard_init(&g, in))
        return;
    for (size_t i = 0; i <= n; i++) {
        const char *path = i < n ? outs[i].path : c->manifest;
        if (path && cli_guard_hits(&g, path)) {
            cli_guard_free(&g);
            cli_usage_error(c, "refusing to write %s over one of the inputs", path);
        }
    }
    cli_guard_free(&g);
}

static aug_status make_parent(const char *path, char **last_dir, aug_error *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return AUG_OK;
    size_t n = (size_t)(slash - path);
    if (*last_dir && strlen(*last_dir) == n && strncmp(*last_dir, path, n) == 0)
        return AUG_OK; /* inputs come sorted: most outputs share a folder */
    free(*last_dir);
    *last_dir = strndup(path, n);
    if (!*last_dir)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    return aug_mkdirs(*last_dir, err);
}

/* Failures name the output: the caller's message names the input. */
static aug_status write_bytes(const char *path, const uint8_t *buf, size_t n,
                              char **last_dir, aug_error *err)
{
    aug_status st = make_parent(path, last_dir, err);
    if (!st)
        st = aug_write_file_atomic(path, buf, n, err);
    if (st) {
        char msg[AUG_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        aug_fail(err, st, "%s: %s", path, msg);
    }
    return st;
}

aug_status cli_write_image(const cli_common *c, const aug_image *img,
                           const char *path, aug_format fmt, char **last_dir,
                           aug_error *err)
{
    uint8_t *enc;
    size_t n;
    aug_status st = aug_encode(img, fmt, c->quality, &enc, &n, err);
    if (!st)
        st = write_bytes(path, enc, n, last_dir, err);
    free(enc);
    return st;
}

typedef struct run {
    const cli_common *c;
    cli_apply_fn apply;
    void *ctx;
    cli_manifest manifest;
    char *last_dir;
} run;

static aug_status one_input(run *r, const aug_input *in, const output *outs,
                            aug_error *err)
{
    const cli_common *c = r->c;
    uint8_t *bytes = NULL;
    size_t nbytes = 0;
    aug_image orig = {0};
    aug_decode_info info;
    aug_status st = aug_read_file(in->path, &bytes, &nbytes, err);
    if (!st)
        st = aug_decode(bytes, nbytes, c->max_pixels, &orig, &info, err);
    if (!st && info.bits == 16)
        cli_note(c, "%s: 16-bit image reduced to 8 bits per sample", in->path);
    for (long k = 0; !st && k < c->copies; k++) {
        const output *o = &outs[k];
        aug_rng rng;
        aug_rng_derive(&rng, c->seed, in->rel, (uint64_t)k);
        cli_params params = {.len = 0};
        int applied = c->prob >= 1.0 || aug_rng_uniform(&rng) < c->prob;
        aug_image work = {0};
        if (!applied) {
            cli_params_add(&params, "skipped");
            /* Not transformed and the same format: the input's own bytes,
             * so a JPEG does not lose quality to a second encode. */
            st = o->fmt == info.format
                     ? write_bytes(o->path, bytes, nbytes, &r->last_dir, err)
                     : cli_write_image(c, &orig, o->path, o->fmt, &r->last_dir, err);
        } else {
            /* The kernels run in place: the last copy may consume the
             * decoded image, earlier ones work on a duplicate of it. */
            if (k == c->copies - 1) {
                work = orig;
                orig = (aug_image){0};
            } else if (!(st = aug_image_alloc(&work, orig.width, orig.height,
                                              orig.channels, err))) {
                memcpy(work.data, orig.data, aug_image_size(&orig));
            }
            if (!st)
                st = r->apply(r->ctx, &work, &rng, &params, err);
            if (!st)
                st = cli_write_image(c, &work, o->path, o->fmt, &r->last_dir, err);
            aug_image_free(&work);
        }
        if (st)
            break;
        char seed[32];
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)c->seed);
        const char *row[] = {o->path, in->path, c->prog + strlen("augment "),
                             params.text, seed};
        cli_manifest_row(&r->manifest, row, 5);
        if (c->verbose)
            cli_note(c, "%s -> %s (%s)", in->path, o->path, params.text);
    }
    aug_image_free(&orig);
    free(bytes);
    return st;
}

int cli_run_images(const cli_common *c, int nargs, char **args,
                   cli_apply_fn apply, void *ctx)
{
    if (nargs == 0)
        cli_usage_error(c, "no INPUT given");
    if (!c->output)
        cli_usage_error(c, "missing -o/--output");
    int to_stdout = strcmp(c->output, "-") == 0;
    struct stat ost, ist;
    int out_is_dir = !to_stdout && stat(c->output, &ost) == 0 && S_ISDIR(ost.st_mode);
    size_t olen = strlen(c->output);
    int single = nargs == 1 && c->copies == 1 && !out_is_dir && c->output[olen - 1] != '/' &&
                 (strcmp(args[0], "-") == 0 || (stat(args[0], &ist) == 0 && !S_ISDIR(ist.st_mode)));
    if (to_stdout && !single)
        cli_usage_error(c, "-o - writes one image: give one input file and -n 1");
    aug_format single_fmt = AUG_FMT_PNG;
    if (single && !to_stdout) {
        single_fmt = c->format ? c->format : aug_format_from_path(c->output);
        if (!aug_format_writable(single_fmt))
            cli_usage_error(c, "cannot tell the output format from '%s' (png, jpg, bmp, tga); use --format",
                            c->output);
    } else if (to_stdout && c->format) {
        single_fmt = c->format;
    }
    int nstdin = 0;
    for (int i = 0; i < nargs; i++)
        nstdin += strcmp(args[i], "-") == 0;
    if (nstdin > 1)
        cli_usage_error(c, "'-' (stdin) can be given only once");

    aug_input_list list = {0};
    size_t failed = 0, bad_args = 0;
    aug_error err;
    for (int i = 0; i < nargs; i++)
        if (aug_inputs_add(&list, args[i], out_is_dir, out_is_dir ? ost.st_dev : 0,
                           out_is_dir ? ost.st_ino : 0, &err)) {
            cli_error(c, "%s", err.msg);
            bad_args++;
        }
    failed = bad_args;
    size_t ncopies = (size_t)c->copies;
    output *outs = calloc(list.n * ncopies + 1, sizeof *outs);
    if (!outs) {
        cli_error(c, "out of memory");
        aug_inputs_free(&list);
        return EXIT_SOME_FAILED;
    }
    for (size_t i = 0; i < list.n; i++)
        for (size_t k = 0; k < ncopies; k++) {
            output *o = &outs[i * ncopies + k];
            if (single) {
                o->path = strdup(c->output);
                o->fmt = single_fmt;
            } else {
                o->path = cli_output_path(c, list.items[i].rel, (long)k, &o->fmt);
            }
            if (!o->path) {
                cli_error(c, "out of memory");
                free_outputs(outs, list.n * ncopies);
                aug_inputs_free(&list);
                return EXIT_SOME_FAILED;
            }
        }
    check_outputs(c, &list, outs, list.n * ncopies);

    run r = {.c = c, .apply = apply, .ctx = ctx};
    static const char *const header[] = {"output", "input", "command", "params", "seed"};
    if (cli_manifest_open(c, &r.manifest, header, 5)) {
        free_outputs(outs, list.n * ncopies);
        aug_inputs_free(&list);
        return EXIT_SOME_FAILED;
    }
    for (size_t i = 0; i < list.n; i++) {
        if (one_input(&r, &list.items[i], &outs[i * ncopies], &err)) {
            cli_error(c, "%s: %s", list.items[i].path, err.msg);
            failed++;
        }
    }
    if (cli_manifest_close(c, &r.manifest, 1))
        failed++;
    if (failed)
        cli_error(c, "%zu of %zu inputs failed", failed, list.n + bad_args);
    else if (!list.n)
        cli_note(c, "no images found in the inputs");
    free(r.last_dir);
    free_outputs(outs, list.n * ncopies);
    aug_inputs_free(&list);
    return failed ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
}
