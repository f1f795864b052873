/* augment mixup (Zhang et al., ICLR 2018): convex combinations of pairs of
 * samples and of their one-hot labels, lambda ~ Beta(alpha, alpha). Works on
 * a CSV table (soft-label columns) or a class-per-folder image set (flat
 * outputs plus labels.csv). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

typedef struct mixup_ctx {
    double alpha;
    int append;
} mixup_ctx;

const aug_opt cli_mixup_options[] = {
    AUG_OPT_DOUBLE_(0, "alpha", "A", "Beta(A, A) for lambda (default 0.2; 1.0 = uniform)",
                    mixup_ctx, alpha, 1e-3, 1e3),
    AUG_OPT_FLAG_(0, "append", "tables: also write the original rows, one-hot", mixup_ctx,
                  append),
    AUG_OPT_END_,
};

static double draw_lambda(void *ctx, aug_rng *rng)
{
    const mixup_ctx *m = ctx;
    return aug_rng_beta(rng, m->alpha, m->alpha);
}

/* ---- tables ---- */

static int run_table(const cli_common *c, const char *path, const mixup_ctx *m)
{
    aug_table t;
    if (!c->output)
        cli_usage_error(c, "missing -o/--output");
    cli_refuse_input(c, c->output, path);
    if (c->manifest)
        cli_refuse_input(c, c->manifest, path);
    if (cli_load_table(c, path, &t))
        return EXIT_SOME_FAILED;
    size_t n = c->copies_given ? (size_t)c->copies : t.rows;
    size_t cols = t.cols, k = t.nclasses, w = cols + k;
    double *x = malloc(n * cols * sizeof *x);
    double *soft = malloc(n * k * sizeof *soft);
    aug_mixup_origin *orig = malloc(n * sizeof *orig);
    char **names = calloc(k ? k : 1, sizeof *names);
    const char **fields = malloc(w * sizeof *fields);
    char *nums = malloc(w * 32);
    aug_atomic out = {0};
    cli_manifest man = {0};
    aug_error err;
    int rc = EXIT_SOME_FAILED;
    if (!x || !soft || !orig || !names || !fields || !nums) {
        cli_table_fail(c, &out, "out of memory");
        goto done;
    }
    if (aug_mixup_table(&t, n, m->alpha, c->seed, cli_table_key(path), x, soft, orig, &err)) {
        cli_table_fail(c, &out, err.msg);
        goto done;
    }
    /* A dry run writes the manifest only (to stdout unless --manifest). */
    int writing = !c->dry_run;
    if (writing && aug_atomic_open(&out, c->output, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    static const char *const mhead[] = {"row", "row_a", "row_b", "lambda"};
    if (cli_manifest_open(c, &man, c->dry_run && !c->manifest ? "-" : c->manifest, mhead, 4)) {
        cli_table_fail(c, &out, "no output written");
        goto done;
    }
    for (size_t j = 0; j < cols; j++)
        fields[j] = t.names[j];
    for (size_t j = 0; j < k; j++) {
        aug_buf name = {0};
        aug_buf_addf(&name, "%s_%s", t.label_name, t.classes[j]);
        if (name.failed) {
            aug_buf_free(&name);
            cli_table_fail(c, &out, "out of memory");
            cli_manifest_close(c, &man, 0);
            goto done;
        }
        fields[cols + j] = names[j] = name.data;
    }
    if (writing && c->header) /* a table read without a header is written without one */
        aug_csv_write_record(out.fp, c->delimiter, fields, w, NULL);
    for (size_t j = 0; j < w; j++)
        fields[j] = nums + j * 32;
    size_t row = 0;
    /* Original rows keep their exact values (shortest round trip); only the
     * synthetic ones honour --precision. */
    for (size_t r = 0; m->append && r < t.rows; r++, row++) {
        if (!writing)
            continue;
        for (size_t j = 0; j < cols; j++)
            aug_csv_format_double(nums + j * 32, 32, t.x[r * cols + j], 0);
        for (size_t j = 0; j < k; j++)
            snprintf(nums + (cols + j) * 32, 32, "%d", t.label[r] == j);
        aug_csv_write_record(out.fp, c->delimiter, fields, w, NULL);
    }
    for (size_t r = 0; r < n; r++, row++) {
        for (size_t j = 0; writing && j < cols; j++)
            aug_csv_format_double(nums + j * 32, 32, x[r * cols + j], c->precision);
        for (size_t j = 0; writing && j < k; j++)
            aug_csv_format_double(nums + (cols + j) * 32, 32, soft[r * k + j], c->precision);
        if (writing)
            aug_csv_write_record(out.fp, c->delimiter, fields, w, NULL);
        char mrow[4][32];
        snprintf(mrow[0], 32, "%zu", row);
        snprintf(mrow[1], 32, "%zu", orig[r].a);
        snprintf(mrow[2], 32, "%zu", orig[r].b);
        aug_csv_format_double(mrow[3], 32, orig[r].lambda, 0);
        const char *mf[] = {mrow[0], mrow[1], mrow[2], mrow[3]};
        cli_manifest_row(&man, mf, 4);
    }
    if (aug_atomic_commit(&out, 1, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        cli_manifest_close(c, &man, 0);
        goto done;
    }
    if (cli_manifest_close(c, &man, 1) == 0)
        rc = EXIT_ALL_DONE;
    if (c->verbosity > 1)
        cli_note(c, "%s: %zu mixed rows written to %s", path, n, c->output);
done:
    free(x);
    free(soft);
    free(orig);
    for (size_t j = 0; names && j < k; j++)
        free(names[j]);
    free(names);
    free(fields);
    free(nums);
    aug_table_free(&t);
    return rc;
}

int cmd_mixup(int argc, char **argv)
{
    mixup_ctx m = {.alpha = 0.2};
    cli_spec spec = {
        .name = "mixup",
        .synopsis = "augment mixup [--alpha A] [options] TABLE.csv -o OUT.csv [-n ROWS] [--append]\n"
                    "       augment mixup [--alpha A] [options] DIR -o OUTDIR [-n N]",
        .description = "x = lambda*x_a + (1-lambda)*x_b and the same for one-hot labels,\n"
                       "lambda ~ Beta(A, A). Tables: -n mixed rows (default: as many as the table),\n"
                       "row r mixes row r mod rows with a uniform partner; labels become one column\n"
                       "<label>_<class> per class. Image sets (one sub-folder per class): -n outputs\n"
                       "per image, partner from the whole set resized bilinearly to the first image's\n"
                       "size (grey + RGB -> RGB); outputs go flat into OUTDIR with labels.csv.",
        .common = COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_TABLE |
                  COMMON_JOBS | COMMON_RUN | COMMON_ORIGINALS,
        .own = {{cli_mixup_options, &m, 0, 0}},
        .nown = 1,
        .own_title = {"mixup options"},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    if (n != 1)
        cli_usage_error(&c, "give one TABLE.csv or one image-set folder");
    struct stat st;
    int is_dir = stat(argv[1], &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir) {
        if (c.given & COMMON_TABLE)
            cli_usage_error(&c, "--delimiter, --no-header, --label and --precision apply to tables only");
        if (m.append)
            cli_usage_error(&c, "--append applies to tables only");
        cli_pair_method pm = {.need_class = 1, .flat = 1, .ctx = &m, .draw_weight = draw_lambda,
                              .labels = 1};
        return cli_run_pairs(&c, n, argv + 1, &pm);
    }
    if (c.given & (COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_RUN))
        cli_usage_error(&c, "--format, --quality, --max-pixels, --shard, --skip-existing and "
                        "--progress apply to image sets only");
    if (c.include_original)
        cli_usage_error(&c, "--include-original applies to image sets; a table's original rows "
                        "come with --append");
    return run_table(&c, argv[1], &m);
}
