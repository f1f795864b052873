/* augment smote: SMOTE (Chawla et al. 2002) in imbalanced-learn's form.
 * Output: the original rows in their order, then the synthetic rows, each
 * on the segment between a row and one of its k nearest same-class rows. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

typedef struct smote_ctx {
    long k;
    const char *strategy;
    int only_synthetic;
} smote_ctx;

const aug_opt cli_smote_options[] = {
    AUG_OPT_LONG_('k', "k", "N", "nearest neighbours per row (default 5)", smote_ctx, k, 1, 10000),
    AUG_OPT_STRING_(0, "strategy", "S",
                    "auto|minority|not-minority|not-majority|all|RATIO|CLASS=COUNT,... (default auto)",
                    smote_ctx, strategy),
    AUG_OPT_FLAG_(0, "only-synthetic", "write the new rows only", smote_ctx, only_synthetic),
    AUG_OPT_END_,
};

static int write_manifest(const cli_common *c, const aug_smote_origin *o,
                          size_t n, size_t first_row)
{
    static const char *const head[] = {"row", "base", "neighbor", "gap"};
    cli_manifest man;
    /* A dry run writes the manifest only: to --manifest, else stdout. */
    if (cli_manifest_open(c, &man, c->dry_run && !c->manifest ? "-" : c->manifest, head, 4))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char f[4][32];
        snprintf(f[0], 32, "%zu", first_row + i);
        snprintf(f[1], 32, "%zu", o[i].base);
        snprintf(f[2], 32, "%zu", o[i].neighbor);
        aug_csv_format_double(f[3], 32, o[i].gap, 0);
        const char *row[] = {f[0], f[1], f[2], f[3]};
        cli_manifest_row(&man, row, 4);
    }
    return cli_manifest_close(c, &man, 1);
}

static int run(const cli_common *c, const char *path, const smote_ctx *s)
{
    aug_table t, syn = {0};
    aug_error err;
    aug_atomic out = {0};
    int rc = EXIT_SOME_FAILED;
    if (cli_load_table(c, path, &t))
        return EXIT_SOME_FAILED;
    size_t *n_new = calloc(t.nclasses, sizeof *n_new);
    aug_smote_origin *orig = NULL;
    size_t total = 0;
    if (!n_new) {
        cli_table_fail(c, &out, "out of memory");
        goto done;
    }
    if (aug_smote_strategy(&t, s->strategy, n_new, &err)) {
        aug_table_free(&t);
        free(n_new);
        if (err.code == AUG_ERR_NOMEM) {
            cli_error(c, "%s", err.msg);
            return EXIT_SOME_FAILED;
        }
        cli_usage_error(c, "--strategy: %s", err.msg);
    }
    for (size_t i = 0; i < t.nclasses; i++)
        total += n_new[i];
    orig = malloc((total ? total : 1) * sizeof *orig);
    if (!orig || aug_table_init(&syn, t.cols, (const char *const *)t.names, t.label_name, &err)) {
        cli_table_fail(c, &out, orig ? err.msg : "out of memory");
        goto done;
    }
    syn.label_pos = t.label_pos;
    /* All the work happens before the output is opened: an error (a class
     * too small for k, say) leaves nothing behind. */
    aug_runner runner = cli_runner(c);
    if (aug_smote_run(&t, n_new, (size_t)s->k, c->seed, &syn, orig, &runner, &err)) {
        char msg[AUG_ERROR_MAX + 64];
        snprintf(msg, sizeof msg, "%s: %s", path, err.msg);
        cli_table_fail(c, &out, msg);
        goto done;
    }
    if (c->dry_run) {
        if (write_manifest(c, orig, total, s->only_synthetic ? 0 : t.rows) == 0)
            rc = EXIT_ALL_DONE;
        goto done;
    }
    if (aug_atomic_open(&out, c->output, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    /* A table read without a header is written without one. */
    aug_status st = c->header ? aug_csv_write_header(out.fp, &t, c->delimiter, &err) : AUG_OK;
    if (!st && !s->only_synthetic)
        st = aug_csv_write_rows(out.fp, &t, 0, t.rows, c->delimiter, 0, &err);
    if (!st)
        st = aug_csv_write_rows(out.fp, &syn, 0, syn.rows, c->delimiter, c->precision, &err);
    if (st) {
        char msg[AUG_ERROR_MAX + 64];
        snprintf(msg, sizeof msg, "%s: %s", c->output, err.msg);
        cli_table_fail(c, &out, msg);
        goto done;
    }
    if (aug_atomic_commit(&out, 1, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    if (write_manifest(c, orig, total, s->only_synthetic ? 0 : t.rows) == 0)
        rc = EXIT_ALL_DONE;
    if (c->verbosity > 1)
        for (size_t i = 0; i < t.nclasses; i++)
            cli_note(c, "class '%s': %zu new rows", t.classes[i], n_new[i]);
done:
    free(n_new);
    free(orig);
    aug_table_free(&syn);
    aug_table_free(&t);
    return rc;
}

int cmd_smote(int argc, char **argv)
{
    smote_ctx s = {.k = 5, .strategy = "auto"};
    cli_spec spec = {
        .name = "smote",
        .synopsis = "augment smote [--k N] [--strategy S] [--only-synthetic] [options] TABLE.csv -o OUT.csv",
        .description = "Grow classes with synthetic rows: for a row x of a class to grow and one of\n"
                       "its k nearest neighbours nn in the same class (Euclidean), x + gap * (nn - x)\n"
                       "with gap ~ U(0, 1). Strategies as imbalanced-learn's sampling_strategy; auto\n"
                       "grows every class but the largest to the largest's size. The manifest lists\n"
                       "row,base,neighbor,gap with 0-based data-row indices.",
        .common = COMMON_TABLE | COMMON_JOBS,
        .own = {{cli_smote_options, &s, 0, 0}},
        .nown = 1,
        .own_title = {"smote options"},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    if (n != 1)
        cli_usage_error(&c, "give one TABLE.csv (or - for stdin)");
    if (!c.output)
        cli_usage_error(&c, "missing -o/--output");
    cli_refuse_input(&c, c.output, argv[1]);
    if (c.manifest)
        cli_refuse_input(&c, c.manifest, argv[1]);
    return run(&c, argv[1], &s);
}
