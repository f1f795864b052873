/* augment mixup (Zhang et al., ICLR 2018): convex combinations of pairs of
 * samples and of their one-hot labels, lambda ~ Beta(alpha, alpha). Works on
 * a CSV table (soft-label columns) or a class-per-folder image set (flat
 * outputs plus labels.csv). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

enum { OPT_ALPHA = 1100, OPT_APPEND };

static const cli_option options[] = {
    {"alpha", required_argument, OPT_ALPHA, "A", "Beta(A, A) for lambda (default 0.2; 1.0 = uniform)"},
    {"append", no_argument, OPT_APPEND, NULL, "tables: also write the original rows, one-hot"},
    {0},
};

typedef struct label_row {
    char *file;
    size_t a, b;
    double weight;
} label_row;

typedef struct mixup_ctx {
    double alpha;
    int append;
    label_row *rows; /* image sets: gathered for labels.csv */
    size_t nrows, cap;
} mixup_ctx;

static int handle(void *ctx, const cli_common *c, int val, const char *arg)
{
    mixup_ctx *m = ctx;
    switch (val) {
    case OPT_ALPHA: return cli_double(c, "--alpha", arg, 1e-3, 1e3, &m->alpha);
    case OPT_APPEND: m->append = 1; return 0;
    }
    return -1;
}

/* ---- image sets ---- */

static double draw_lambda(void *ctx, aug_rng *rng)
{
    const mixup_ctx *m = ctx;
    return aug_rng_beta(rng, m->alpha, m->alpha);
}

static int record(void *ctx, const cli_pair_ctx *pc, const cli_pair_output *po,
                  const char *path)
{
    mixup_ctx *m = ctx;
    (void)pc;
    if (m->nrows == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        label_row *p = realloc(m->rows, cap * sizeof *p);
        if (!p)
            return -1;
        m->rows = p;
        m->cap = cap;
    }
    const char *slash = strrchr(path, '/');
    char *file = strdup(slash ? slash + 1 : path);
    if (!file)
        return -1;
    m->rows[m->nrows++] = (label_row){file, po->class_a, po->class_b, po->weight};
    return 0;
}

/* labels.csv: file, then one soft-label column per class, summing to 1. */
static int finish(void *ctx, const cli_pair_ctx *pc)
{
    mixup_ctx *m = ctx;
    const cli_common *c = pc->c;
    aug_error err;
    aug_atomic out;
    char *path = aug_path_join(c->output, "labels.csv");
    size_t k = pc->nclasses;
    const char **fields = calloc(k + 1, sizeof *fields);
    char *nums = malloc((k + 1) * 32);
    int rc = -1;
    if (!path || !fields || !nums || aug_atomic_open(&out, path, &err)) {
        cli_error(c, "%s: %s", path ? path : "labels.csv", path && fields && nums ? err.msg : "out of memory");
        goto done;
    }
    fields[0] = "file";
    for (size_t j = 0; j < k; j++)
        fields[j + 1] = pc->classes[j];
    aug_csv_write_record(out.fp, ',', fields, k + 1, NULL);
    for (size_t i = 0; i < m->nrows; i++) {
        const label_row *r = &m->rows[i];
        fields[0] = r->file;
        for (size_t j = 0; j < k; j++) {
            double v = (j == r->a ? r->weight : 0.0) + (j == r->b ? 1.0 - r->weight : 0.0);
            aug_csv_format_double(nums + j * 32, 32, v, c->precision);
            fields[j + 1] = nums + j * 32;
        }
        aug_csv_write_record(out.fp, ',', fields, k + 1, NULL);
    }
    if (aug_atomic_commit(&out, 1, &err))
        cli_error(c, "%s: %s", path, err.msg);
    else
        rc = 0;
done:
    for (size_t i = 0; i < m->nrows; i++)
        free(m->rows[i].file);
    free(m->rows);
    free(fields);
    free(nums);
    free(path);
    return rc;
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
    char *names = malloc(k * 256);
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
    if (aug_atomic_open(&out, c->output, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    static const char *const mhead[] = {"row", "row_a", "row_b", "lambda"};
    if (cli_manifest_open(c, &man, mhead, 4)) {
        cli_table_fail(c, &out, "no output written");
        goto done;
    }
    for (size_t j = 0; j < cols; j++)
        fields[j] = t.names[j];
    for (size_t j = 0; j < k; j++) {
        snprintf(names + j * 256, 256, "%s_%s", t.label_name, t.classes[j]);
        fields[cols + j] = names + j * 256;
    }
    if (c->header) /* a table read without a header is written without one */
        aug_csv_write_record(out.fp, c->delimiter, fields, w, NULL);
    for (size_t j = 0; j < w; j++)
        fields[j] = nums + j * 32;
    size_t row = 0;
    /* Original rows keep their exact values (shortest round trip); only the
     * synthetic ones honour --precision. */
    for (size_t r = 0; m->append && r < t.rows; r++, row++) {
        for (size_t j = 0; j < cols; j++)
            aug_csv_format_double(nums + j * 32, 32, t.x[r * cols + j], 0);
        for (size_t j = 0; j < k; j++)
            snprintf(nums + (cols + j) * 32, 32, "%d", t.label[r] == j);
        aug_csv_write_record(out.fp, c->delimiter, fields, w, NULL);
    }
    for (size_t r = 0; r < n; r++, row++) {
        for (size_t j = 0; j < cols; j++)
            aug_csv_format_double(nums + j * 32, 32, x[r * cols + j], c->precision);
        for (size_t j = 0; j < k; j++)
            aug_csv_format_double(nums + (cols + j) * 32, 32, soft[r * k + j], c->precision);
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
    if (c->verbose)
        cli_note(c, "%s: %zu mixed rows written to %s", path, n, c->output);
done:
    free(x);
    free(soft);
    free(orig);
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
        .options = options,
        .common = COMMON_COPIES | COMMON_IMAGE_OUT | COMMON_MAX_PIXELS | COMMON_TABLE,
        .handle = handle,
        .ctx = &m,
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
        cli_pair_method pm = {.need_class = 1, .flat = 1, .ctx = &m,
                              .draw_weight = draw_lambda, .record = record,
                              .finish = finish};
        return cli_run_pairs(&c, n, argv + 1, &pm);
    }
    if (c.given & (COMMON_IMAGE_OUT | COMMON_MAX_PIXELS))
        cli_usage_error(&c, "--format, --quality and --max-pixels apply to image sets only");
    return run_table(&c, argv[1], &m);
}
