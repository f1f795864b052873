/* The single-image job: every output is a plan drawn from the chain
 * (a standalone command is a chain of one stage) and applied to the
 * decoded input, on the run loop. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

typedef struct images {
    const cli_common *c;
    const aug_chain *chain;
    const char *command;
    const aug_input_list *list;
    int single;           /* one input, one copy, -o names the file */
    aug_format single_fmt;
    char seed[24];
    cli_labels *labels;   /* NULL: no labels */
} images;

static aug_status output(void *ctx, size_t i, long k, char **path, aug_format *fmt,
                         aug_error *err)
{
    images *im = ctx;
    if (im->single) {
        *path = strdup(im->c->output);
        *fmt = im->single_fmt;
    } else {
        *path = cli_output_path(im->c, im->list->items[i].rel, k, fmt);
    }
    return *path ? AUG_OK : aug_fail(err, AUG_ERR_NOMEM, "out of memory");
}

/* How an output is made, as its manifest row's `path` says. */
typedef enum path_kind {
    PATH_PIXELS,   /* decoded, transformed, encoded */
    PATH_COPY,     /* the input's own bytes (skipped stages, --include-original) */
    PATH_LOSSLESS  /* a JPEG flipped or turned on its DCT coefficients, or a
                      16-bit PNG on its samples at full depth */
} path_kind;

static const char *const path_names[] = {"pixels", "copy", "lossless"};

typedef struct image_plan {
    aug_plan *plan; /* NULL: the input itself (--include-original) */
    path_kind path;
    int dihedral;
    cli_label_out *lo; /* its labels, when the run has them */
    aug_buf col;       /* the manifest's labels column */
} image_plan;

static void plan_free(void *p)
{
    image_plan *ip = p;
    if (ip) {
        aug_plan_free(ip->plan);
        cli_label_out_free(ip->lo);
        aug_buf_free(&ip->col);
    }
    free(ip);
}

/* The path is decided here, from the header alone, so that a dry run
 * writes the row the real run writes. */
static aug_status draw(void *ctx, size_t i, long k, const cli_source *src, void **plan,
                       aug_error *err)
{
    images *im = ctx;
    const cli_common *c = im->c;
    const aug_header *h = &src->header;
    aug_geom g = {h->width, h->height, h->channels};
    image_plan *ip = calloc(1, sizeof *ip);
    char *path = NULL;
    aug_format fmt;
    aug_status st = ip ? output(ctx, i, k, &path, &fmt, err)
                       : aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    if (!st && k >= 0)
        st = aug_chain_draw(im->chain, c->seed, cli_input_key(&im->list->items[i]), (uint64_t)k,
                            &g, &ip->plan, err);
    /* the labels move now, from the header alone: a bad label fails the
     * output before anything is written, in a dry run too */
    if (!st && im->labels)
        st = cli_labels_draw(im->labels, &im->list->items[i], k, h->width, h->height, ip->plan,
                             path, &ip->lo, err);
    free(path);
    if (st) {
        plan_free(ip);
        return st;
    }
    *plan = ip;
    if (!ip->plan || aug_plan_is_identity(ip->plan)) {
        ip->path = fmt == h->format ? PATH_COPY : PATH_PIXELS;
        return AUG_OK;
    }
    /* An output the tool would refuse to read back (rotate --expand, a
     * resize) is refused before it is made. */
    aug_geom out;
    aug_plan_geometry(ip->plan, &out);
    uint64_t px = (uint64_t)out.width * (uint64_t)out.height;
    if (px > c->max_pixels) {
        plan_free(ip);
        *plan = NULL;
        return aug_fail(err, AUG_ERR_LIMIT,
                        "the output would be %dx%d = %llu pixels, over the limit of %zu "
                        "(--max-pixels)", out.width, out.height, (unsigned long long)px,
                        c->max_pixels);
    }
    ip->dihedral = aug_plan_dihedral(ip->plan);
    int jpeg = fmt == AUG_FMT_JPEG && h->format == AUG_FMT_JPEG &&
               aug_jpeg_transform_exact(h, ip->dihedral);
    int png16 = fmt == AUG_FMT_PNG && h->format == AUG_FMT_PNG && h->bits == 16;
    ip->path = !c->reencode && ip->dihedral > 0 && (jpeg || png16) ? PATH_LOSSLESS : PATH_PIXELS;
    return AUG_OK;
}

/* A copy decodes too, though it writes the input's own bytes: a broken
 * file must be reported, not copied, whatever the draw. Only the lossless
 * JPEG path goes without pixels (the transform reads every coefficient and
 * stops on any damage). */
static int needs_pixels(void *ctx, const void *plan)
{
    (void)ctx;
    return ((const image_plan *)plan)->path != PATH_LOSSLESS;
}

static aug_status make(void *ctx, size_t i, void *plan, const cli_source *src, aug_image *out,
                       int *same, cli_encoded *enc, cli_files *files, aug_error *err)
{
    const image_plan *ip = plan;
    images *im = ctx;
    (void)i;
    if (ip->lo) {
        aug_status st = cli_labels_files(im->labels, ip->lo, ip->plan, src->header.width,
                                         src->header.height, files, err);
        if (st)
            return st;
    }
    if (!ip->plan || aug_plan_is_identity(ip->plan)) {
        *same = 1;
        return AUG_OK;
    }
    if (ip->path == PATH_LOSSLESS && src->header.format == AUG_FMT_PNG)
        return aug_png_transform(src->bytes, src->len, im->c->max_pixels, ip->dihedral,
                                 im->c->png_level, &enc->bytes, &enc->len, err);
    if (ip->path == PATH_LOSSLESS)
        return aug_jpeg_transform(src->bytes, src->len, ip->dihedral, &enc->bytes, &enc->len,
                                  err);
    return aug_plan_apply(ip->plan, src->image, out, err);
}

static void record(void *ctx, size_t i, long k, void *plan, const char *path,
                   const char **cols, aug_buf *verbose)
{
    images *im = ctx;
    const image_plan *ip = plan;
    const aug_input *in = &im->list->items[i];
    (void)k;
    cols[0] = path;
    cols[1] = in->path;
    cols[2] = im->command;
    cols[3] = ip->plan ? aug_plan_text(ip->plan) : "original";
    cols[4] = im->seed;
    cols[5] = path_names[ip->path];
    if (im->labels) {
        image_plan *mp = plan;
        if (mp->lo)
            cli_labels_record(im->labels, mp->lo, path, &mp->col);
        cols[6] = mp->col.data ? mp->col.data : "";
    }
    aug_buf_addf(verbose, "%s -> %s (%s)", in->path, path, cols[3]);
}

int cli_run_chain(const cli_common *c, const aug_chain *chain, const char *command, int nargs,
                  char **args)
{
    if (nargs == 0 && !c->files_from)
        cli_usage_error(c, "no INPUT given");
    if (!c->output)
        cli_usage_error(c, "missing -o/--output");
    int to_stdout = strcmp(c->output, "-") == 0;
    struct stat ost, ist;
    int out_is_dir = !to_stdout && stat(c->output, &ost) == 0 && S_ISDIR(ost.st_mode);
    size_t olen = strlen(c->output);
    int slash = olen && c->output[olen - 1] == '/';
    int file_arg = nargs == 1 && !c->files_from &&
                   (strcmp(args[0], "-") == 0 || (stat(args[0], &ist) == 0 && !S_ISDIR(ist.st_mode)));
    int single = file_arg && c->copies == 1 && !c->include_original && !out_is_dir && !slash;
    images im = {.c = c, .chain = chain, .command = command, .single = single,
                 .single_fmt = AUG_FMT_PNG};
    snprintf(im.seed, sizeof im.seed, "%llu", (unsigned long long)c->seed);
    if (to_stdout && !single)
        cli_usage_error(c, "-o - writes one image: give one input file and -n 1");
    if (!single && !out_is_dir && !slash && aug_format_from_path(c->output) != AUG_FMT_UNKNOWN)
        cli_usage_error(c, "-o %s names one image, but this run writes %s; give a folder",
                        c->output, c->copies > 1 ? "several copies (-n)" :
                        c->include_original ? "the original too" :
                        file_arg ? "into a folder" : "an output per input");
    if (single && !to_stdout) {
        im.single_fmt = c->format ? c->format : aug_format_from_path(c->output);
        if (!aug_format_writable(im.single_fmt))
            cli_usage_error(c, "cannot tell the output format from '%s' (png, jpg, bmp, tga); "
                            "use --format", c->output);
    } else if (to_stdout && c->format) {
        im.single_fmt = c->format;
    }
    if (c->shard[1] && single)
        cli_usage_error(c, "--shard splits a run over many inputs; -o names one output file");

    aug_input_list list;
    size_t bad = 0;
    aug_folder_id skip[CLI_MAX_SKIP];
    size_t nskip = cli_skip_folders(c, out_is_dir ? &ost : NULL, skip);
    if (cli_inputs_build(c, nargs, args, skip, nskip, &list, &bad)) {
        aug_inputs_free(&list);
        return EXIT_SOME_FAILED;
    }
    if (list.n == 0) {
        if (bad)
            cli_error(c, "%zu of %zu inputs failed", bad, bad);
        else
            cli_no_images(c, &list);
        aug_inputs_free(&list);
        return EXIT_SOME_FAILED;
    }
    im.list = &list;
    int lrc = cli_labels_open(c, nargs, args, single, 0, &im.labels);
    if (lrc) {
        cli_labels_free(im.labels);
        aug_inputs_free(&list);
        return lrc;
    }
    static const char *const header[] = {"output", "input", "command", "params", "seed", "path",
                                         "labels"};
    const char *extra[] = {cli_labels_json(im.labels)};
    cli_job job = {.ctx = &im, .header = header, .ncols = im.labels ? 7 : 6, .decodes = 1,
                   .output = output, .draw = draw, .needs_pixels = needs_pixels, .make = make,
                   .record = record, .plan_free = plan_free, .extra = extra,
                   .nextra = extra[0] ? 1 : 0};
    cli_run_result res;
    int rc = cli_run(c, &list, bad, &job, &res);
    if (im.labels && !res.interrupted && !res.fatal &&
        cli_labels_finish(im.labels, res.outputs + res.existing > 0) && rc == EXIT_ALL_DONE)
        rc = EXIT_SOME_FAILED;
    cli_labels_free(im.labels);
    aug_inputs_free(&list);
    return rc;
}
