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

static aug_status draw(void *ctx, size_t i, long k, const cli_source *src, void **plan,
                       aug_error *err)
{
    images *im = ctx;
    aug_geom g = {src->header.width, src->header.height, src->header.channels};
    *plan = NULL; /* the input itself (--include-original): nothing drawn */
    if (k < 0)
        return AUG_OK;
    aug_status st = aug_chain_draw(im->chain, im->c->seed, cli_input_key(&im->list->items[i]),
                                   (uint64_t)k, &g, (aug_plan **)plan, err);
    if (st)
        return st;
    /* An output the tool would refuse to read back (rotate --expand, a
     * resize) is refused before it is made. */
    aug_geom out;
    aug_plan_geometry(*plan, &out);
    uint64_t px = (uint64_t)out.width * (uint64_t)out.height;
    if (px > im->c->max_pixels) {
        aug_plan_free(*plan);
        *plan = NULL;
        return aug_fail(err, AUG_ERR_LIMIT,
                        "the output would be %dx%d = %llu pixels, over the limit of %zu "
                        "(--max-pixels)", out.width, out.height, (unsigned long long)px,
                        im->c->max_pixels);
    }
    return AUG_OK;
}

static aug_status make(void *ctx, size_t i, void *plan, const cli_source *src, aug_image *out,
                       int *same, aug_error *err)
{
    (void)ctx;
    (void)i;
    if (!plan || aug_plan_is_identity(plan)) {
        *same = 1;
        return AUG_OK;
    }
    return aug_plan_apply(plan, src->image, out, err);
}

static void record(void *ctx, size_t i, long k, void *plan, const char *path,
                   const char **cols, aug_buf *verbose)
{
    images *im = ctx;
    const aug_input *in = &im->list->items[i];
    (void)k;
    cols[0] = path;
    cols[1] = in->path;
    cols[2] = im->command;
    cols[3] = plan ? aug_plan_text(plan) : "original";
    cols[4] = im->seed;
    aug_buf_addf(verbose, "%s -> %s (%s)", in->path, path, cols[3]);
}

static void plan_free(void *plan)
{
    aug_plan_free(plan);
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
    if (cli_inputs_build(c, nargs, args, out_is_dir, out_is_dir ? ost.st_dev : 0,
                         out_is_dir ? ost.st_ino : 0, &list, &bad)) {
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
    static const char *const header[] = {"output", "input", "command", "params", "seed"};
    cli_job job = {.ctx = &im, .header = header, .ncols = 5, .decodes = 1, .output = output,
                   .draw = draw, .make = make, .record = record, .plan_free = plan_free};
    int rc = cli_run(c, &list, bad, &job, NULL);
    aug_inputs_free(&list);
    return rc;
}
