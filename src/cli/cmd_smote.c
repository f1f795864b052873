/* augment smote: the SMOTE family in imbalanced-learn's form, and its
 * undersampling companions.
 *
 * The table is read twice. The first reading checks every row, types the
 * columns and counts the classes; the strategy then says how many rows
 * each class gets. The second reading keeps only what the method needs
 * and copies every original row's bytes to the output as it goes: SMOTE,
 * SMOTE-NC and polynom-fit look at the classes they grow (and SMOTE-NC at
 * the minority class for its scale), so the other classes stream through
 * without being held, and a table larger than memory with a small
 * minority works. The other methods, Tomek links, ENN and SMOTE-IPF look
 * at every row: the table is held, and the original rows they keep are
 * copied in a third reading. The new rows come last, class by class. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum { UNDER_NONE, UNDER_RANDOM, UNDER_TOMEK, UNDER_ENN };

static const char *const METHODS[] = {"smote", "borderline1", "borderline2", "svm", "adasyn",
                                      "kmeans", "smoten", "polyfit", "prowsyn", "ipf", NULL};
static const char *const UNDERS[] = {"none", "random", "tomek", "enn", NULL};
static const char *const KERNELS[] = {"rbf", "linear", NULL};
static const char *const TOPOLOGIES[] = {"star", "bus", "mesh", NULL};

typedef struct smote_ctx {
    int method;
    long k, m;
    const char *strategy;
    int only_synthetic;
    const char *categorical;
    int under;
    const char *under_strategy;
    double out_step;
    int svm_kernel;
    double svm_c;
    long clusters;
    double balance;
    double density_exponent;
    int topology;
    long levels;
    double theta;
    long folds;
} smote_ctx;

const aug_opt cli_smote_options[] = {
    AUG_OPT_CHOICE_(0, "method", "M",
                    "smote|borderline1|borderline2|svm|adasyn|kmeans|smoten|polyfit|prowsyn|ipf "
                    "(default smote; SMOTE-NC with categorical columns)",
                    smote_ctx, method, METHODS),
    AUG_OPT_LONG_('k', "k", "N", "nearest neighbours to interpolate with (default 5; kmeans 2)",
                  smote_ctx, k, 1, 10000),
    AUG_OPT_STRING_(0, "strategy", "S",
                    "auto|minority|not-minority|not-majority|all|RATIO|CLASS=COUNT,... "
                    "(default auto)", smote_ctx, strategy),
    AUG_OPT_FLAG_(0, "only-synthetic", "write the new rows only", smote_ctx, only_synthetic),
    AUG_OPT_STRING_(0, "categorical", "COLS",
                    "columns kept as text (names or 0-based indices, comma separated); a "
                    "column of text is categorical anyway", smote_ctx, categorical),
    AUG_OPT_CHOICE_(0, "undersample", "U",
                    "none|random|tomek|enn, applied after oversampling (default none; "
                    "tomek = SMOTETomek, enn = SMOTEENN)", smote_ctx, under, UNDERS),
    AUG_OPT_STRING_(0, "under-strategy", "S",
                    "which classes the undersampler reduces (random: default auto = "
                    "not-minority, or RATIO or CLASS=COUNT,...; tomek, enn: default all)",
                    smote_ctx, under_strategy),
    AUG_OPT_LONG_(0, "m", "N", "borderline1, borderline2, svm: neighbours that judge danger "
                  "(default 10)", smote_ctx, m, 1, 10000),
    AUG_OPT_DOUBLE_(0, "out-step", "X", "svm: extrapolation step for safe vectors (default 0.5)",
                    smote_ctx, out_step, 0, 100),
    AUG_OPT_CHOICE_(0, "svm-kernel", "K", "svm: rbf|linear (default rbf, gamma 'scale')",
                    smote_ctx, svm_kernel, KERNELS),
    AUG_OPT_DOUBLE_(0, "svm-c", "C", "svm: the SVM's C (default 1)", smote_ctx, svm_c, 1e-6, 1e6),
    AUG_OPT_LONG_(0, "clusters", "N", "kmeans: clusters (default 8)", smote_ctx, clusters, 1,
                  100000),
    AUG_OPT_DOUBLE_(0, "balance-threshold", "X",
                    "kmeans: least share of the class in a cluster (default: auto)", smote_ctx,
                    balance, 0, 1),
    AUG_OPT_DOUBLE_(0, "density-exponent", "X",
                    "kmeans: sparsity exponent (default: auto, from the features)", smote_ctx,
                    density_exponent, 1e-6, 1000),
    AUG_OPT_CHOICE_(0, "topology", "T", "polyfit: star|bus|mesh (default star)", smote_ctx,
                    topology, TOPOLOGIES),
    AUG_OPT_LONG_(0, "levels", "N", "prowsyn: proximity levels (default 5)", smote_ctx, levels, 1,
                  1000),
    AUG_OPT_DOUBLE_(0, "theta", "X", "prowsyn: weight decay per level (default 1)", smote_ctx,
                    theta, 0, 1000),
    AUG_OPT_LONG_(0, "folds", "N", "ipf: partitions of the filter (default 9)", smote_ctx, folds,
                  1, 1000),
    AUG_OPT_END_,
};

/* Options and the methods they belong to. */
static const struct {
    const char *name;
    unsigned methods; /* bit per aug_smote_method */
} OWNERS[] = {
    {"m", 1u << AUG_SMOTE_BORDERLINE1 | 1u << AUG_SMOTE_BORDERLINE2 | 1u << AUG_SMOTE_SVM},
    {"out-step", 1u << AUG_SMOTE_SVM},
    {"svm-kernel", 1u << AUG_SMOTE_SVM},
    {"svm-c", 1u << AUG_SMOTE_SVM},
    {"clusters", 1u << AUG_SMOTE_KMEANS},
    {"balance-threshold", 1u << AUG_SMOTE_KMEANS},
    {"density-exponent", 1u << AUG_SMOTE_KMEANS},
    {"topology", 1u << AUG_POLYFIT},
    {"levels", 1u << AUG_PROWSYN},
    {"theta", 1u << AUG_PROWSYN},
    {"folds", 1u << AUG_SMOTE_IPF},
};

/* ---- output ---- */

#define CHUNK 4096

typedef struct run_state {
    const cli_common *c;
    const smote_ctx *s;
    cli_table_in in;
    aug_csv_scan scan;
    aug_table t;          /* the rows loaded */
    aug_atomic out;
    aug_csv_writer *w;
    char out_delim;
    cli_manifest man;
    aug_csv_writer *mw;   /* manifest rows */
    int copy_now;         /* pass 2 copies the original rows */
    aug_selector *sel;    /* random undersampling, per class (NULL: keep all) */
    size_t *cls_of_row;   /* pass 3: input row -> keep flag lookup */
    const unsigned char *keep_row; /* pass 3: kept input rows (NULL: all) */
    size_t written;       /* data rows written */
    size_t *classmap;     /* scan class -> index, for the copy callback */
} run_state;

static aug_status write_record(run_state *rs, const aug_csv_cell *cells, size_t n,
                               const char *raw, size_t len, aug_error *err)
{
    if (!rs->w) /* a dry run */
        return AUG_OK;
    if (rs->out_delim == rs->in.o.delimiter) {
        aug_status st = aug_csv_writer_raw(rs->w, raw, len, err);
        /* a last record without a line end gets one */
        if (!st && (len == 0 || raw[len - 1] != '\n'))
            st = aug_csv_writer_raw(rs->w, rs->scan.eol, strlen(rs->scan.eol), err);
        return st;
    }
    aug_status st = AUG_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = aug_csv_writer_text(rs->w, cells[i].s, cells[i].len, err);
    return st ? st : aug_csv_writer_end(rs->w, err);
}

/* The class of a record (scan order), from its label cell. */
static size_t class_of(const run_state *rs, const aug_csv_cell *cells)
{
    const aug_csv_cell *lab = &cells[rs->scan.label];
    char small[256], *s = small;
    if (lab->len >= sizeof small && !(s = malloc(lab->len + 1)))
        return AUG_NO_ROW;
    memcpy(s, lab->s, lab->len);
    s[lab->len] = '\0';
    size_t c = aug_table_class_index(&rs->t, s);
    if (s != small)
        free(s);
    return c;
}

/* Pass 2 and 3: the header, and the original rows that stay. */
static aug_status copy_record(void *ctx, size_t row, const aug_csv_cell *cells, size_t n,
                              const char *raw, size_t len, aug_error *err)
{
    run_state *rs = ctx;
    if (row == AUG_CSV_HEADER) {
        if (rs->w && rs->scan.bom && (aug_csv_writer_raw(rs->w, "\xEF\xBB\xBF", 3, err)))
            return AUG_ERR_IO;
        return write_record(rs, cells, n, raw, len, err);
    }
    if (!rs->copy_now)
        return AUG_OK;
    if (rs->keep_row && !rs->keep_row[row])
        return AUG_OK;
    if (rs->sel) {
        size_t c = class_of(rs, cells);
        if (c != AUG_NO_ROW && !aug_selector_next(&rs->sel[c]))
            return AUG_OK;
    }
    rs->written++;
    return write_record(rs, cells, n, raw, len, err);
}

/* ---- the manifest ---- */

static const char *const MAN_HEAD[] = {"row", "base", "neighbor", "gap", "detail"};

static aug_status man_index(aug_csv_writer *w, size_t v, aug_error *err)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%zu", v);
    return aug_csv_writer_field_raw(w, b, (size_t)n, err);
}

/* One synthetic row: its output row, its origin (rows of t mapped to
 * input rows). */
static aug_status man_row(run_state *rs, const aug_table *t, size_t out_row, const aug_origin *o,
                          aug_error *err)
{
    aug_csv_writer *w = rs->mw;
    if (!w)
        return AUG_OK;
    aug_status st = man_index(w, out_row, err);
    if (!st)
        st = man_index(w, aug_table_source(t, o->base), err);
    if (!st)
        st = o->partner == AUG_NO_ROW
                 ? aug_csv_writer_field_raw(w, isnan(o->gap) ? "" : "mean",
                                            isnan(o->gap) ? 0 : 4, err)
                 : man_index(w, aug_table_source(t, o->partner), err);
    if (!st)
        st = isnan(o->gap) ? aug_csv_writer_field_raw(w, "", 0, err)
                           : aug_csv_writer_number(w, o->gap, 0, err);
    char detail[512];
    size_t used = 0;
    detail[0] = '\0';
    if (o->what) {
        char num[48];
        aug_csv_format_double(num, sizeof num, o->value, 0);
        used += (size_t)snprintf(detail, sizeof detail, "%s=%s", o->what, num);
    }
    if (!st && o->from) {
        /* the rows whose categories voted: may be many, so written as they come */
        st = aug_csv_writer_field_raw(w, "", 0, err);
        if (!st && used)
            st = aug_csv_writer_raw(w, detail, used, err) ||
                 aug_csv_writer_raw(w, ";", 1, err);
        if (!st)
            st = aug_csv_writer_raw(w, "from=", 5, err);
        for (size_t i = 0; !st && i < o->nfrom; i++) {
            char b[32];
            int n = snprintf(b, sizeof b, "%s%zu", i ? " " : "", aug_table_source(t, o->from[i]));
            st = aug_csv_writer_raw(w, b, (size_t)n, err);
        }
    } else if (!st) {
        st = aug_csv_writer_field_raw(w, detail, used, err);
    }
    return st ? st : aug_csv_writer_end(w, err);
}

/* An input row a filter removed. */
static aug_status man_removed(run_state *rs, size_t input_row, const char *by, aug_error *err)
{
    aug_csv_writer *w = rs->mw;
    if (!w)
        return AUG_OK;
    char d[64];
    int n = snprintf(d, sizeof d, "removed=%s", by);
    aug_status st = aug_csv_writer_field_raw(w, "", 0, err);
    if (!st)
        st = man_index(w, input_row, err);
    for (int i = 0; !st && i < 2; i++)
        st = aug_csv_writer_field_raw(w, "", 0, err);
    if (!st)
        st = aug_csv_writer_field_raw(w, d, (size_t)n, err);
    return st ? st : aug_csv_writer_end(w, err);
}

/* ---- checks before any work ---- */

static int fail(run_state *rs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(run_state *rs, const char *fmt, ...)
{
    char msg[AUG_ERROR_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* nothing more is written: the writers go before their streams */
    aug_csv_writer_discard(&rs->w);
    aug_csv_writer_discard(&rs->mw);
    cli_table_fail(rs->c, &rs->out, msg);
    return EXIT_SOME_FAILED;
}

/* An error about a class's rows, with the scan's guess at the label when
 * it has one. */
static int class_fail(run_state *rs, const char *msg)
{
    if (rs->scan.label_hint)
        return fail(rs, "%s: %s; %s", rs->in.name, msg, rs->scan.label_hint);
    return fail(rs, "%s: %s", rs->in.name, msg);
}

/* Refuse counts whose rows could not be held or written, with the count
 * and what it would take. */
static int check_sizes(run_state *rs, const size_t *n_new, int hold_all)
{
    const aug_csv_scan *sc = &rs->scan;
    size_t cols = sc->ncols - 1;
    long double total = 0, row_bytes = (long double)cols * sizeof(double) + 64;
    size_t worst = 0;
    for (size_t c = 0; c < sc->nclasses; c++) {
        total += n_new[c];
        if (n_new[c] > n_new[worst])
            worst = c;
    }
    if (total == 0)
        return 0;
    size_t asked = sc->counts[worst] + n_new[worst];
    /* 2^48 rows would take years to write: no real table asks for that */
    if (total + sc->rows > (long double)(1ULL << 48))
        return fail(rs, "--strategy asks for %zu rows of class '%s' (%zu new, %.0Lf new in "
                    "all): more than 2^48 rows, which no table can hold", asked,
                    sc->classes[worst], n_new[worst], total);
    char need[48], have[48];
    if (hold_all) {
        long double bytes = (total + sc->rows) * (row_bytes + sizeof(aug_origin));
        size_t limit = cli_memory_limit();
        if (bytes > (long double)limit) {
            cli_bytes(need, sizeof need, bytes);
            cli_bytes(have, sizeof have, limit);
            return fail(rs, "--strategy asks for %zu rows of class '%s' (%zu new, %.0Lf new in "
                        "all); with the table they would need about %s of memory, and this "
                        "process may use %s", asked, sc->classes[worst], n_new[worst], total,
                        need, have);
        }
    }
    /* Written, each new row takes at least a character and a delimiter per
     * field. */
    unsigned long long avail;
    if (rs->out.fp && cli_free_space(rs->out.fp, &avail) == 0) {
        long double bytes = total * 2.0L * (long double)sc->ncols;
        if (bytes > (long double)avail) {
            cli_bytes(need, sizeof need, bytes);
            cli_bytes(have, sizeof have, (long double)avail);
            return fail(rs, "--strategy asks for %zu rows of class '%s' (%zu new, %.0Lf new in "
                        "all); written they would take at least %s, and the file system of "
                        "%s has %s free", asked, sc->classes[worst], n_new[worst], total, need,
                        rs->c->output, have);
        }
    }
    return 0;
}

/* ---- the run ---- */

typedef struct plan {
    aug_smote_params p;
    size_t *n_new;        /* per class (scan order = t order) */
    aug_sampler **smp;    /* per class */
    int streaming;        /* only the grown classes are loaded */
    int removal;          /* some filter removes rows: held, copied in pass 3 */
} plan;

/* Undersampling targets from the counts after oversampling. */
static int under_targets(run_state *rs, const plan *pl, size_t *want, unsigned char *clean)
{
    const smote_ctx *s = rs->s;
    const aug_csv_scan *sc = &rs->scan;
    size_t K = sc->nclasses;
    size_t *after = malloc(K * sizeof *after);
    if (!after)
        return fail(rs, "out of memory for the undersampling targets");
    for (size_t c = 0; c < K; c++)
        after[c] = sc->counts[c] + (pl->smp[c] ? aug_sampler_count(pl->smp[c]) : 0);
    aug_error err;
    size_t *flags = malloc(K * sizeof *flags);
    aug_status st = AUG_OK;
    if (!flags) {
        free(after);
        return fail(rs, "out of memory for the undersampling targets");
    }
    if (s->under == UNDER_RANDOM) {
        st = aug_sampling_strategy(after, (const char *const *)sc->classes, K,
                                   s->under_strategy ? s->under_strategy : "auto",
                                   AUG_STRATEGY_UNDER, want, &err);
    } else {
        st = aug_sampling_strategy(after, (const char *const *)sc->classes, K,
                                   s->under_strategy ? s->under_strategy : "all",
                                   AUG_STRATEGY_CLEAN, flags, &err);
        for (size_t c = 0; !st && c < K; c++)
            clean[c] = (unsigned char)flags[c];
    }
    free(flags);
    free(after);
    if (st && err.code == AUG_ERR_NOMEM)
        return fail(rs, "%s", err.msg);
    if (st) {
        cli_error(rs->c, "--under-strategy: %s", err.msg);
        return EXIT_USAGE;
    }
    return 0;
}

/* Streaming: every class's rows drawn in chunks and written at once. */
static int generate_streaming(run_state *rs, plan *pl, size_t *want)
{
    const aug_table *t = &rs->t;
    aug_error err;
    double *x = malloc(CHUNK * t->cols * sizeof *x);
    aug_origin *o = malloc(CHUNK * sizeof *o);
    if (!x || !o) {
        free(x);
        free(o);
        return fail(rs, "out of memory for new rows");
    }
    int rc = 0;
    for (size_t c = 0; c < t->nclasses && !rc; c++) {
        aug_sampler *smp = pl->smp[c];
        size_t left = smp ? aug_sampler_count(smp) : 0;
        while (left && !rc) {
            size_t n = left < CHUNK ? left : CHUNK;
            if (aug_sampler_draw(smp, n, x, o, &err)) {
                rc = fail(rs, "%s: %s", rs->in.name, err.msg);
                break;
            }
            for (size_t i = 0; i < n && !rc; i++) {
                if (want && rs->sel && !aug_selector_next(&rs->sel[c]))
                    continue;
                aug_status st = rs->w ? aug_csv_writer_row(rs->w, t, x + i * t->cols, c,
                                                           rs->c->precision, &err)
                                      : AUG_OK;
                if (!st)
                    st = man_row(rs, t, rs->written, &o[i], &err);
                if (st)
                    rc = fail(rs, "%s: %s", rs->c->output, err.msg);
                rs->written++;
            }
            left -= n;
        }
    }
    free(x);
    free(o);
    return rc;
}

/* Held: the new rows join the table, the filters decide, pass 3 copies the
 * original rows kept, then the new ones kept follow. */
static int generate_held(run_state *rs, plan *pl, const size_t *want, const unsigned char *clean)
{
    const smote_ctx *s = rs->s;
    const cli_common *c = rs->c;
    aug_table *t = &rs->t;
    size_t rows0 = t->rows, total = 0, K = t->nclasses;
    aug_error err;
    for (size_t k = 0; k < K; k++)
        total += pl->smp[k] ? aug_sampler_count(pl->smp[k]) : 0;
    aug_origin *o = malloc((total ? total : 1) * sizeof *o);
    double *x = malloc((total ? total : 1) * t->cols * sizeof *x);
    unsigned char *keep = NULL;
    const char **removed_by = NULL;
    int rc = 0;
    if (!o || !x) {
        rc = fail(rs, "out of memory for %zu new rows", total);
        goto out;
    }
    size_t done = 0;
    for (size_t k = 0; k < K && !rc; k++) {
        size_t n = pl->smp[k] ? aug_sampler_count(pl->smp[k]) : 0;
        if (n && aug_sampler_draw(pl->smp[k], n, x + done * t->cols, o + done, &err))
            rc = fail(rs, "%s: %s", rs->in.name, err.msg);
        for (size_t i = 0; i < n && !rc; i++)
            if (aug_table_append(t, x + (done + i) * t->cols, t->classes[k], &err) ||
                aug_table_set_source(t, rows0 + done + i, AUG_NO_ROW, &err))
                rc = fail(rs, "%s", err.msg);
        done += n;
    }
    if (rc)
        goto out;
    keep = malloc(t->rows ? t->rows : 1);
    removed_by = calloc(t->rows ? t->rows : 1, sizeof *removed_by);
    if (!keep || !removed_by) {
        rc = fail(rs, "out of memory");
        goto out;
    }
    memset(keep, 1, t->rows);
    aug_runner runner = cli_runner(c);
    /* each filter in turn; a row is credited to the first that removes it */
    for (int step = 0; step < 2 && !rc; step++) {
        const char *by = NULL;
        aug_status st = AUG_OK;
        if (step == 0 && s->method == AUG_SMOTE_IPF) {
            by = "ipf";
            st = aug_ipf_filter(t, pl->p.ipf_folds, pl->p.ipf_rounds, pl->p.ipf_p, c->seed, keep,
                                &err);
        } else if (step == 1 && s->under == UNDER_RANDOM) {
            by = "random";
            st = aug_undersample_random(t, want, c->seed, keep, &err);
        } else if (step == 1 && s->under == UNDER_TOMEK) {
            by = "tomek";
            st = aug_tomek_links(t, clean, keep, &runner, &err);
        } else if (step == 1 && s->under == UNDER_ENN) {
            by = "enn";
            st = aug_enn(t, 3, clean, keep, &runner, &err);
        }
        if (st)
            rc = fail(rs, "%s: %s", rs->in.name, err.msg);
        for (size_t r = 0; by && r < t->rows; r++)
            if (!keep[r] && !removed_by[r])
                removed_by[r] = by;
    }
    if (rc)
        goto out;
    /* pass 3: the original rows kept (t holds every input row, in order) */
    if (!s->only_synthetic && rs->w) {
        rs->copy_now = 1;
        rs->keep_row = keep;
        if (cli_table_rewind(c, &rs->in)) {
            rc = fail(rs, "no output written");
            goto out;
        }
        aug_csv_reader *r;
        const aug_csv_cell *cells;
        size_t n, row = 0;
        aug_status st = aug_csv_open(&r, rs->in.fp, rs->in.name, rs->in.o.delimiter, &err);
        int first = 1;
        while (!st && !(st = aug_csv_next_cells(r, &cells, &n, &err)) && n) {
            if (first && rs->in.o.header) {
                first = 0;
                continue; /* the header is out already */
            }
            first = 0;
            size_t len;
            const char *raw = aug_csv_raw_record(r, &len, NULL);
            st = copy_record(rs, row++, cells, n, raw, len, &err);
        }
        aug_csv_close(r);
        if (st) {
            rc = fail(rs, "%s", err.msg);
            goto out;
        }
    }
    for (size_t i = 0; i < total && !rc; i++) {
        size_t r = rows0 + i;
        if (!keep[r])
            continue;
        aug_status st = rs->w ? aug_csv_writer_row(rs->w, t, t->x + r * t->cols, t->label[r],
                                                   c->precision, &err)
                              : AUG_OK;
        if (!st)
            st = man_row(rs, t, rs->written, &o[i], &err);
        if (st)
            rc = fail(rs, "%s: %s", c->output, err.msg);
        rs->written++;
    }
    for (size_t r = 0; r < rows0 && !rc; r++)
        if (!keep[r] && man_removed(rs, r, removed_by[r], &err))
            rc = fail(rs, "%s: %s", c->manifest, err.msg);
    if (!rc && c->verbosity > 1) {
        size_t gone = 0, gone_new = 0;
        for (size_t r = 0; r < t->rows; r++)
            if (!keep[r])
                *(r < rows0 ? &gone : &gone_new) += 1;
        cli_note(c, "%zu original and %zu new rows removed", gone, gone_new);
    }
out:
    free(o);
    free(x);
    free(keep);
    free(removed_by);
    return rc;
}

static int run(const cli_common *c, const char *path, const smote_ctx *s, const plan *tmpl)
{
    run_state rs;
    memset(&rs, 0, sizeof rs);
    rs.c = c;
    rs.s = s;
    plan pl = *tmpl;
    aug_error err;
    int rc = EXIT_SOME_FAILED;
    size_t *want = NULL;
    unsigned char *clean = NULL, *keep_cls = NULL;
    if (cli_table_open(c, path, s->categorical, &rs.in))
        return EXIT_SOME_FAILED;
    /* pass 1 */
    if (aug_csv_scan_table(rs.in.fp, rs.in.name, &rs.in.o, &rs.scan, NULL, NULL, &err)) {
        cli_error(c, "%s", err.msg);
        cli_table_close(&rs.in);
        return EXIT_SOME_FAILED;
    }
    aug_csv_scan *sc = &rs.scan;
    size_t K = sc->nclasses;
    pl.n_new = calloc(K ? K : 1, sizeof *pl.n_new);
    pl.smp = calloc(K ? K : 1, sizeof *pl.smp);
    want = malloc((K ? K : 1) * sizeof *want);
    clean = calloc(K ? K : 1, 1);
    keep_cls = calloc(K ? K : 1, 1);
    if (!pl.n_new || !pl.smp || !want || !clean || !keep_cls) {
        rc = fail(&rs, "out of memory");
        goto done;
    }
    if (aug_sampling_strategy(sc->counts, (const char *const *)sc->classes, K, s->strategy,
                              AUG_STRATEGY_OVER, pl.n_new, &err)) {
        if (err.code == AUG_ERR_NOMEM) {
            cli_error(c, "%s", err.msg);
            goto done;
        }
        cli_error(c, "--strategy: %s", err.msg);
        rc = EXIT_USAGE;
        goto done;
    }
    size_t ncat = 0, minority = 0, total_new = 0;
    for (size_t i = 0; i < sc->ncols; i++)
        ncat += sc->categorical[i];
    for (size_t k = 0; k < K; k++) {
        total_new += pl.n_new[k];
        if (sc->counts[k] < sc->counts[minority])
            minority = k;
    }
    pl.p.class_counts = sc->counts;
    pl.p.total_new = total_new;
    pl.removal = s->method == AUG_SMOTE_IPF || s->under == UNDER_TOMEK || s->under == UNDER_ENN;
    pl.streaming = !pl.removal && (s->method == AUG_SMOTE || s->method == AUG_POLYFIT);
    rs.out_delim = cli_table_delimiter(c, c->output, rs.in.o.delimiter);
    /* A dry run computes everything and writes the manifest only (to
     * stdout unless --manifest). */
    if (!c->dry_run && aug_atomic_open(&rs.out, c->output, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    if ((rc = check_sizes(&rs, pl.n_new, !pl.streaming)) != 0)
        goto done;
    rc = EXIT_SOME_FAILED;
    for (size_t k = 0; k < K; k++)
        keep_cls[k] = !pl.streaming || pl.n_new[k] > 0 || (ncat && k == minority);
    if (!c->dry_run && aug_csv_writer_open(&rs.w, rs.out.fp, rs.out_delim, sc->eol, &err)) {
        rc = fail(&rs, "%s", err.msg);
        goto done;
    }
    /* random undersampling while streaming: the targets follow from the
     * counts (streaming methods make exactly n_new rows) */
    if (s->under == UNDER_RANDOM && pl.streaming) {
        for (size_t k = 0; k < K; k++)
            pl.smp[k] = NULL;
        size_t *after = malloc(K * sizeof *after);
        if (!after) {
            rc = fail(&rs, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < K; k++)
            after[k] = sc->counts[k] + pl.n_new[k];
        aug_status st = aug_sampling_strategy(after, (const char *const *)sc->classes, K,
                                              s->under_strategy ? s->under_strategy : "auto",
                                              AUG_STRATEGY_UNDER, want, &err);
        if (st) {
            free(after);
            cli_error(c, "%s%s", err.code == AUG_ERR_NOMEM ? "" : "--under-strategy: ", err.msg);
            rc = err.code == AUG_ERR_NOMEM ? EXIT_SOME_FAILED : EXIT_USAGE;
            goto done;
        }
        rs.sel = malloc(K * sizeof *rs.sel);
        if (!rs.sel) {
            free(after);
            rc = fail(&rs, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < K; k++)
            aug_selector_init(&rs.sel[k], c->seed, sc->classes[k], after[k], want[k]);
        free(after);
    }
    /* pass 2 */
    rs.copy_now = pl.streaming && !s->only_synthetic;
    if (cli_table_rewind(c, &rs.in))
        goto done;
    if (aug_csv_load_rows(&rs.t, rs.in.fp, rs.in.name, &rs.in.o, sc,
                          pl.streaming ? keep_cls : NULL, copy_record, &rs, &err)) {
        rc = fail(&rs, "%s", err.msg);
        goto done;
    }
    /* plan every class before any new row, so an error leaves nothing */
    aug_runner runner = cli_runner(c);
    for (size_t k = 0; k < K; k++) {
        if (!pl.n_new[k])
            continue;
        if (aug_sampler_new(&pl.smp[k], &rs.t, k, pl.n_new[k], &pl.p, &runner, &err)) {
            rc = class_fail(&rs, err.msg);
            goto done;
        }
        if (aug_sampler_note(pl.smp[k]))
            cli_note(c, "%s", aug_sampler_note(pl.smp[k]));
    }
    if (s->under != UNDER_NONE && !(s->under == UNDER_RANDOM && pl.streaming) &&
        (rc = under_targets(&rs, &pl, want, clean)) != 0)
        goto done;
    rc = EXIT_SOME_FAILED;
    const char *man_path = c->dry_run && !c->manifest ? "-" : c->manifest;
    if (man_path) {
        if (cli_manifest_open(c, &rs.man, man_path, MAN_HEAD, 5)) {
            rc = fail(&rs, "no output written");
            goto done;
        }
        if (aug_csv_writer_open(&rs.mw, rs.man.file.fp, ',', "\n", &err)) {
            rc = fail(&rs, "%s", err.msg);
            goto done;
        }
    }
    rc = pl.removal || !pl.streaming ? generate_held(&rs, &pl, want, clean)
                                     : generate_streaming(&rs, &pl, rs.sel ? want : NULL);
    if (rc)
        goto done;
    rc = EXIT_SOME_FAILED;
    aug_status st = rs.w ? aug_csv_writer_close(&rs.w, &err) : AUG_OK;
    if (!st && rs.mw)
        st = aug_csv_writer_close(&rs.mw, &err);
    if (st) {
        rc = fail(&rs, "%s: %s", c->output, err.msg);
        goto done;
    }
    if (rs.out.fp && aug_atomic_commit(&rs.out, 1, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        goto done;
    }
    if (cli_manifest_close(c, &rs.man, 1) == 0)
        rc = EXIT_ALL_DONE;
    if (c->verbosity > 1)
        for (size_t k = 0; k < K; k++)
            cli_note(c, "class '%s': %zu new rows", sc->classes[k],
                     pl.smp[k] ? aug_sampler_count(pl.smp[k]) : 0);
done:
    aug_csv_writer_discard(&rs.w);
    aug_csv_writer_discard(&rs.mw);
    if (rs.man.open)
        cli_manifest_close(c, &rs.man, 0);
    if (rs.out.fp)
        aug_atomic_commit(&rs.out, 0, &err);
    for (size_t k = 0; pl.smp && k < K; k++)
        aug_sampler_free(pl.smp[k]);
    free(pl.smp);
    free(pl.n_new);
    free(want);
    free(clean);
    free(keep_cls);
    free(rs.sel);
    aug_table_free(&rs.t);
    aug_csv_scan_free(&rs.scan);
    cli_table_close(&rs.in);
    return rc;
}

int cmd_smote(int argc, char **argv)
{
    smote_ctx s = {.method = AUG_SMOTE, .strategy = "auto"};
    cli_spec spec = {
        .name = "smote",
        .synopsis = "augment smote [--method M] [--k N] [--strategy S] [--undersample U] "
                    "[options] TABLE.csv -o OUT.csv",
        .description = "Grow classes with synthetic rows, imbalanced-learn's SMOTE family: for a\n"
                       "row x of a class and one of its k nearest neighbours nn in the class,\n"
                       "x + gap * (nn - x), gap ~ U(0, 1); the methods choose x and nn (and the\n"
                       "gap's range) differently. Categorical columns make SMOTE SMOTE-NC.\n"
                       "Strategies as imbalanced-learn's sampling_strategy. The manifest lists\n"
                       "row,base,neighbor,gap,detail with 0-based data-row indices.",
        .common = COMMON_TABLE | COMMON_JOBS,
        .own = {{cli_smote_options, &s, 0, 0}},
        .nown = 1,
        .own_title = {"smote options"},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    if (n != 1)
        cli_usage_error(&c, "give one TABLE.csv (or - for stdin)");
    if (!c.output && !c.dry_run)
        cli_usage_error(&c, "missing -o/--output");
    if (!c.output)
        c.output = "-";
    uint64_t given = spec.own[0].given;
    for (size_t i = 0; i < sizeof OWNERS / sizeof *OWNERS; i++)
        if (aug_opt_given(cli_smote_options, given, OWNERS[i].name) &&
            !(OWNERS[i].methods & 1u << s.method)) {
            char list[128] = "";
            for (int m = 0; METHODS[m]; m++)
                if (OWNERS[i].methods & 1u << m)
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                             list[0] ? ", " : "", METHODS[m]);
            cli_usage_error(&c, "--%s applies to --method %s, not %s", OWNERS[i].name, list,
                            METHODS[s.method]);
        }
    if (aug_opt_given(cli_smote_options, given, "under-strategy") && s.under == UNDER_NONE)
        cli_usage_error(&c, "--under-strategy needs --undersample");
    plan pl;
    memset(&pl, 0, sizeof pl);
    aug_smote_defaults(&pl.p, (aug_smote_method)s.method);
    if (aug_opt_given(cli_smote_options, given, "k"))
        pl.p.k = (size_t)s.k;
    if (aug_opt_given(cli_smote_options, given, "m"))
        pl.p.m = (size_t)s.m;
    if (aug_opt_given(cli_smote_options, given, "out-step"))
        pl.p.out_step = s.out_step;
    if (aug_opt_given(cli_smote_options, given, "svm-kernel"))
        pl.p.svm_kernel = s.svm_kernel == 1 ? AUG_SVM_LINEAR : AUG_SVM_RBF;
    if (aug_opt_given(cli_smote_options, given, "svm-c"))
        pl.p.svm_c = s.svm_c;
    if (aug_opt_given(cli_smote_options, given, "clusters"))
        pl.p.clusters = (size_t)s.clusters;
    if (aug_opt_given(cli_smote_options, given, "balance-threshold"))
        pl.p.balance = s.balance;
    if (aug_opt_given(cli_smote_options, given, "density-exponent"))
        pl.p.density_exponent = s.density_exponent;
    if (aug_opt_given(cli_smote_options, given, "topology"))
        pl.p.topology = (aug_topology)s.topology;
    if (aug_opt_given(cli_smote_options, given, "levels"))
        pl.p.levels = (size_t)s.levels;
    if (aug_opt_given(cli_smote_options, given, "theta"))
        pl.p.theta = s.theta;
    if (aug_opt_given(cli_smote_options, given, "folds"))
        pl.p.ipf_folds = (size_t)s.folds;
    pl.p.seed = c.seed;
    if (!c.dry_run)
        cli_refuse_input(&c, c.output, argv[1]);
    if (c.manifest)
        cli_refuse_input(&c, c.manifest, argv[1]);
    return run(&c, argv[1], &s, &pl);
}
