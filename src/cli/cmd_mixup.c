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
    const char *categorical;
    int categorical_from;
} mixup_ctx;

static const char *const FROM[] = {"none", "a", "b", "weight", NULL};

const aug_opt cli_mixup_options[] = {
    AUG_OPT_DOUBLE_(0, "alpha", "A", "Beta(A, A) for lambda (default 0.2; 1.0 = uniform)",
                    mixup_ctx, alpha, 1e-3, 1e3),
    AUG_OPT_FLAG_(0, "append", "tables: also write the original rows, one-hot", mixup_ctx,
                  append),
    AUG_OPT_STRING_(0, "categorical", "COLS",
                    "tables: columns kept as text (names or 0-based indices); a column of "
                    "text is categorical anyway", mixup_ctx, categorical),
    AUG_OPT_CHOICE_(0, "categorical-from", "a|b|weight",
                    "tables: a categorical column takes row a's category, row b's, or that of "
                    "the row with the larger weight (default: refuse categorical columns)",
                    mixup_ctx, categorical_from, FROM),
    AUG_OPT_END_,
};

static double draw_lambda(void *ctx, aug_rng *rng)
{
    const mixup_ctx *m = ctx;
    return aug_rng_beta(rng, m->alpha, m->alpha);
}

/* ---- tables ---- */

/* One field of a feature: a number, or a category's bytes. */
static aug_status put_feature(aug_csv_writer *w, const aug_table *t, size_t c, double v,
                              int precision, char out_delim, aug_error *err)
{
    if (!aug_table_is_categorical(t, c))
        return aug_csv_writer_number(w, v, precision, err);
    const aug_categories *cs = &t->cats[c];
    size_t code = (size_t)v;
    return t->delimiter == out_delim
               ? aug_csv_writer_field_raw(w, cs->raw[code], strlen(cs->raw[code]), err)
               : aug_csv_writer_text(w, cs->text[code], strlen(cs->text[code]), err);
}

static int run_table(const cli_common *c, const char *path, const mixup_ctx *m)
{
    aug_table t;
    if (!c->output && !c->dry_run)
        cli_usage_error(c, "missing -o/--output");
    /* A dry run writes only the manifest (stdout without --manifest). */
    const char *writes[] = {c->dry_run ? NULL : c->output,
                            c->manifest ? c->manifest : c->dry_run ? "-" : NULL};
    cli_refuse_overlap(c, writes, (const char *const[]){"-o", "--manifest"}, 2, path);
    if (cli_load_table(c, path, m->categorical, &t))
        return EXIT_SOME_FAILED;
    static const int from_letter[] = {0, 'a', 'b', 'w'};
    size_t n = c->copies_given ? (size_t)c->copies : t.rows;
    size_t cols = t.cols, k = t.nclasses;
    aug_atomic out = {0};
    cli_manifest man = {0};
    aug_csv_writer *w = NULL;
    aug_error err;
    int rc = EXIT_SOME_FAILED;
    double *x = NULL, *soft = NULL;
    aug_mixup_origin *orig = NULL;
    if (n > SIZE_MAX / sizeof(double) / (cols > k ? cols : k)) {
        cli_table_fail(c, &out, "too many mixed rows");
        goto done;
    }
    x = malloc((n ? n : 1) * cols * sizeof *x);
    soft = malloc((n ? n : 1) * (k ? k : 1) * sizeof *soft);
    orig = malloc((n ? n : 1) * sizeof *orig);
    if (!x || !soft || !orig) {
        char need[48];
        cli_bytes(need, sizeof need, (long double)n * (long double)(cols + k + 3) * 8.0L);
        char msg[160];
        snprintf(msg, sizeof msg, "out of memory: %zu mixed rows need about %s", n, need);
        cli_table_fail(c, &out, msg);
        goto done;
    }
    if (aug_mixup_table(&t, n, m->alpha, c->seed, cli_table_key(path),
                        from_letter[m->categorical_from], x, soft, orig, &err)) {
        char msg[AUG_ERROR_MAX + 64];
        snprintf(msg, sizeof msg, "%s: %s", path, err.msg);
        cli_table_fail(c, &out, msg);
        goto done;
    }
    char out_delim = cli_table_delimiter(c, c->output, t.delimiter);
    /* A dry run writes the manifest only (to stdout unless --manifest). */
    if (!c->dry_run && aug_atomic_open(&out, c->output, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    static const char *const mhead[] = {"row", "row_a", "row_b", "lambda"};
    if (cli_manifest_open(c, &man, c->dry_run && !c->manifest ? "-" : c->manifest, mhead, 4)) {
        cli_table_fail(c, &out, "no output written");
        goto done;
    }
    /* the dry run's rows go nowhere: a writer on /dev/null would do as well,
     * but skipping them saves the work */
    aug_status st = c->dry_run ? AUG_OK : aug_csv_writer_open(&w, out.fp, out_delim, "\n", &err);
    if (!st && w && c->header) { /* a table read without a header is written without one */
        for (size_t j = 0; j < cols && !st; j++)
            st = aug_csv_writer_text(w, t.names[j], strlen(t.names[j]), &err);
        for (size_t j = 0; j < k && !st; j++) {
            aug_buf name = {0};
            aug_buf_addf(&name, "%s_%s", t.label_name, t.classes[j]);
            st = name.failed ? aug_fail(&err, AUG_ERR_NOMEM, "out of memory")
                             : aug_csv_writer_text(w, name.data, name.len, &err);
            aug_buf_free(&name);
        }
        if (!st)
            st = aug_csv_writer_end(w, &err);
    }
    size_t row = 0;
    /* Original rows keep their exact values (shortest round trip); only the
     * mixed ones honour --precision. */
    for (size_t r = 0; m->append && r < t.rows && !st; r++, row++) {
        if (!w)
            continue;
        for (size_t j = 0; j < cols && !st; j++)
            st = put_feature(w, &t, j, t.x[r * cols + j], 0, out_delim, &err);
        for (size_t j = 0; j < k && !st; j++)
            st = aug_csv_writer_field_raw(w, t.label[r] == j ? "1" : "0", 1, &err);
        if (!st)
            st = aug_csv_writer_end(w, &err);
    }
    for (size_t r = 0; r < n && !st; r++, row++) {
        for (size_t j = 0; w && j < cols && !st; j++)
            st = put_feature(w, &t, j, x[r * cols + j], c->precision, out_delim, &err);
        for (size_t j = 0; w && j < k && !st; j++)
            st = aug_csv_writer_number(w, soft[r * k + j], c->precision, &err);
        if (!st && w)
            st = aug_csv_writer_end(w, &err);
        char mrow[4][32];
        snprintf(mrow[0], 32, "%zu", row);
        snprintf(mrow[1], 32, "%zu", orig[r].a);
        snprintf(mrow[2], 32, "%zu", orig[r].b);
        aug_csv_format_double(mrow[3], 32, orig[r].lambda, 0);
        const char *mf[] = {mrow[0], mrow[1], mrow[2], mrow[3]};
        cli_manifest_row(&man, mf, 4);
    }
    aug_status cl = st ? AUG_OK : w ? aug_csv_writer_close(&w, &err) : AUG_OK;
    if (st || cl) {
        aug_csv_writer_discard(&w);
        char msg[AUG_ERROR_MAX + 64];
        snprintf(msg, sizeof msg, "%s: %s", c->output, err.msg);
        cli_manifest_close(c, &man, 0);
        cli_table_fail(c, &out, msg);
        goto done;
    }
    if (out.fp && aug_atomic_commit(&out, 1, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        cli_manifest_close(c, &man, 0);
        goto done;
    }
    if (cli_manifest_close(c, &man, 1) == 0)
        rc = EXIT_ALL_DONE;
    if (c->verbosity > 1 && !c->dry_run)
        cli_note(c, "%s: %zu mixed rows written to %s", path, n, c->output);
done:
    aug_csv_writer_discard(&w);
    free(x);
    free(soft);
    free(orig);
    aug_table_free(&t);
    return rc;
}

int cmd_mixup(int argc, char **argv)
{
    mixup_ctx m = {.alpha = 0.2};
    cli_spec spec = {
        .name = "mixup",
        .synopsis = "augment mixup [--alpha A] [options] TABLE.csv -o OUT.csv [-n ROWS] [--append]\n"
                    "       [--categorical-from a|b|weight]\n"
                    "       augment mixup [--alpha A] [options] DIR -o OUTDIR [-n N]",
        .description = "x = lambda*x_a + (1-lambda)*x_b and the same for one-hot labels,\n"
                       "lambda ~ Beta(A, A). Tables: -n mixed rows (default: as many as the table),\n"
                       "row r mixes row r mod rows with a uniform partner; labels become one column\n"
                       "<label>_<class> per class. Image sets (one sub-folder per class): -n outputs\n"
                       "per image, partner from the whole set resized bilinearly to the first image's\n"
                       "size (grey + RGB -> RGB); outputs go flat into OUTDIR with labels.csv.",
        .common = COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_TABLE |
                  COMMON_JOBS | COMMON_RUN | COMMON_ORIGINALS | COMMON_LABELS,
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
        if (m.append || m.categorical || m.categorical_from)
            cli_usage_error(&c, "--append, --categorical and --categorical-from apply to "
                            "tables only");
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
    if (c.given & COMMON_LABELS)
        cli_usage_error(&c, "--labels, --masks and their options apply to image sets only");
    return run_table(&c, argv[1], &m);
}
