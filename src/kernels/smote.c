/* SMOTE (Chawla et al. 2002) and what the SMOTE family shares: the
 * per-class sampler, interpolation, the mode of categories; SMOTE-NC.
 *
 * A synthetic row is x + gap * (x_nn - x): one gap per row, so it lies on
 * the segment between a row and one of its k nearest same-class rows. (The
 * often-quoted x + gap * |x - x_nn| is wrong: with the absolute value the
 * row moves away from the neighbour wherever the neighbour is smaller.)
 *
 * SMOTE-NC (Chawla 2002, section 6.1), as imbalanced-learn's SMOTENC: with
 * categorical columns the distance adds, for each categorical column that
 * differs, med^2 / 2, where med is the median over the continuous columns
 * of their standard deviation (population, ddof 0) within the minority
 * class (the smallest class of the whole table, first in class order on a
 * tie). imbalanced-learn one-hot encodes each category as med / 2, so a
 * mismatch differs in two coordinates by med / 2 each: 2 (med / 2)^2. The
 * new row's category, per column, is the most frequent among the base
 * row's k neighbours; a tie is broken by the class's stream.
 *
 * The class's stream is aug_rng_derive(seed, class name, 0); for SMOTE
 * each row draws, in order: the base (uniform over the class's rows in row
 * order), the neighbour's rank (uniform over k), the gap (uniform [0, 1)),
 * then one draw per categorical column whose mode is tied. Memory is
 * O(rows of the class * (features + k)). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sampler_internal.h"

static const char *const NAMES[] = {
    [AUG_SMOTE] = "smote",           [AUG_SMOTE_BORDERLINE1] = "borderline1",
    [AUG_SMOTE_BORDERLINE2] = "borderline2", [AUG_SMOTE_SVM] = "svm",
    [AUG_ADASYN] = "adasyn",         [AUG_SMOTE_KMEANS] = "kmeans",
    [AUG_SMOTEN] = "smoten",         [AUG_POLYFIT] = "polyfit",
    [AUG_PROWSYN] = "prowsyn",       [AUG_SMOTE_IPF] = "ipf",
};
#define NMETHODS (sizeof NAMES / sizeof *NAMES)

int aug_smote_method_from_name(const char *name)
{
    for (size_t i = 0; name && i < NMETHODS; i++)
        if (strcmp(name, NAMES[i]) == 0)
            return (int)i;
    return -1;
}

const char *aug_smote_method_name(aug_smote_method m)
{
    return (size_t)m < NMETHODS ? NAMES[m] : "?";
}

void aug_smote_defaults(aug_smote_params *p, aug_smote_method method)
{
    memset(p, 0, sizeof *p);
    p->method = method;
    p->k = method == AUG_SMOTE_KMEANS ? 2 : 5;
    p->m = 10;
    p->out_step = 0.5;
    p->svm_kernel = AUG_SVM_RBF;
    p->svm_c = 1.0;
    p->clusters = 8;
    p->balance = -1.0;
    p->density_exponent = 0.0;
    p->topology = AUG_TOPO_STAR;
    p->levels = 5;
    p->theta = 1.0;
    p->ipf_folds = 9;
    p->ipf_rounds = 3;
    p->ipf_p = 0.01;
}

/* ---- common parts ---- */

aug_status aug_smp_counts(const aug_sampler *s, size_t **counts, aug_error *err)
{
    const aug_table *t = s->t;
    *counts = malloc((t->nclasses ? t->nclasses : 1) * sizeof **counts);
    if (!*counts)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory counting %zu classes", t->nclasses);
    if (s->p.class_counts)
        memcpy(*counts, s->p.class_counts, t->nclasses * sizeof **counts);
    else
        aug_table_class_counts(t, *counts);
    return AUG_OK;
}

aug_status aug_smp_class_rows(aug_sampler *s, aug_error *err)
{
    const aug_table *t = s->t;
    size_t n = 0;
    for (size_t r = 0; r < t->rows; r++)
        n += t->label[r] == s->cls;
    s->rows = malloc((n ? n : 1) * sizeof *s->rows);
    if (!s->rows)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory listing the rows of class '%s'",
                        t->classes[s->cls]);
    s->n = 0;
    for (size_t r = 0; r < t->rows; r++)
        if (t->label[r] == s->cls)
            s->rows[s->n++] = r;
    return AUG_OK;
}

aug_status aug_smp_check_size(aug_sampler *s, size_t need, const char *what, aug_error *err)
{
    const char *name = s->t->classes[s->cls];
    const char *m = aug_smote_method_name(s->p.method);
    if (s->n <= 1)
        return aug_fail(err, AUG_ERR_ARG,
                        "class '%s' has %zu row%s; %s cannot grow it (it interpolates "
                        "between two rows of a class)", name, s->n, s->n == 1 ? "" : "s", m);
    if (s->n <= need)
        return aug_fail(err, AUG_ERR_ARG,
                        "class '%s' has %zu rows; %s needs more than %s=%zu "
                        "(lower --%s to at most %zu)", name, s->n, m, what, need, what,
                        s->n - 1);
    return AUG_OK;
}

aug_status aug_smp_numeric_only(aug_sampler *s, aug_error *err)
{
    const aug_table *t = s->t;
    if (!aug_table_ncategorical(t))
        return AUG_OK;
    char names[AUG_ERROR_MAX / 2];
    size_t used = 0;
    names[0] = '\0';
    for (size_t c = 0; c < t->cols && used + 8 < sizeof names; c++)
        if (aug_table_is_categorical(t, c)) {
            int w = snprintf(names + used, sizeof names - used, "%s'%s'", used ? ", " : "",
                             t->names[c]);
            used = w > 0 && (size_t)w < sizeof names - used ? used + (size_t)w : sizeof names;
        }
    return aug_fail(err, AUG_ERR_ARG,
                    "%s needs numeric features, and %s %s categorical (smote, as SMOTE-NC, "
                    "and smoten take categorical columns)", aug_smote_method_name(s->p.method),
                    names, aug_table_ncategorical(t) > 1 ? "are" : "is");
}

aug_status aug_smp_gather(const aug_table *t, const size_t *rows, size_t n, double **x,
                      size_t *dim, uint32_t **cat, size_t *ncat, aug_error *err)
{
    size_t nc = aug_table_ncategorical(t), d = t->cols - nc;
    *x = NULL;
    if (cat)
        *cat = NULL;
    *dim = d;
    if (ncat)
        *ncat = nc;
    if ((d && n > SIZE_MAX / sizeof(double) / d) || (nc && n > SIZE_MAX / sizeof(uint32_t) / nc))
        return aug_fail(err, AUG_ERR_NOMEM, "%zu rows are too many", n);
    *x = malloc((n * d > 0 ? n * d : 1) * sizeof **x);
    if (cat)
        *cat = malloc((n * nc > 0 ? n * nc : 1) * sizeof **cat);
    if (!*x || (cat && !*cat)) {
        free(*x);
        if (cat)
            free(*cat);
        *x = NULL;
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory copying %zu rows", n);
    }
    for (size_t i = 0; i < n; i++) {
        const double *src = t->x + (rows ? rows[i] : i) * t->cols;
        size_t a = 0, b = 0;
        for (size_t c = 0; c < t->cols; c++) {
            if (aug_table_is_categorical(t, c)) {
                if (cat)
                    (*cat)[i * nc + b] = (uint32_t)src[c];
                b++;
            } else {
                (*x)[i * d + a++] = src[c];
            }
        }
    }
    return AUG_OK;
}

aug_status aug_smp_knn_among(const aug_table *t, const size_t *ref, size_t nr, const size_t *q,
                         size_t nq, size_t m, size_t *out, const aug_runner *runner,
                         aug_error *err)
{
    if (!ref)
        nr = t->rows;
    double *rx = NULL, *qx = NULL;
    size_t dim, *self = NULL, *pos = NULL;
    aug_status st = aug_smp_gather(t, ref, nr, &rx, &dim, NULL, NULL, err);
    if (!st)
        st = aug_smp_gather(t, q, nq, &qx, &dim, NULL, NULL, err);
    if (!st && !(self = malloc((nq ? nq : 1) * sizeof *self)))
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a neighbour search");
    /* where each table row sits in ref, to exclude a query from its own list */
    if (!st && ref && !(pos = malloc((t->rows ? t->rows : 1) * sizeof *pos)))
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a neighbour search");
    if (!st) {
        if (pos) {
            for (size_t r = 0; r < t->rows; r++)
                pos[r] = AUG_NO_ROW;
            for (size_t i = 0; i < nr; i++)
                pos[ref[i]] = i;
        }
        for (size_t i = 0; i < nq; i++)
            self[i] = pos ? pos[q[i]] : q[i];
        aug_points rp = {.x = rx, .n = nr, .dim = dim};
        aug_points qp = {.x = qx, .n = nq, .dim = dim};
        int any_self = 0;
        for (size_t i = 0; i < nq; i++)
            any_self |= self[i] != AUG_NO_ROW;
        st = aug_knn(&rp, m, &qp, any_self ? self : NULL, out, runner, err);
        for (size_t i = 0; !st && ref && i < nq * m; i++)
            out[i] = ref[out[i]];
    }
    free(rx);
    free(qx);
    free(self);
    free(pos);
    return st;
}

aug_status aug_smp_class_knn(aug_sampler *s, double mismatch, const aug_runner *runner,
                         aug_error *err)
{
    size_t n = s->n, k = s->k;
    if (n > SIZE_MAX / sizeof(size_t) / k)
        return aug_fail(err, AUG_ERR_NOMEM, "class '%s' is too large",
                        s->t->classes[s->cls]);
    double *x;
    uint32_t *cat;
    size_t dim, ncat;
    aug_status st = aug_smp_gather(s->t, s->rows, n, &x, &dim, &cat, &ncat, err);
    if (st)
        return st;
    s->nn = malloc(n * k * sizeof *s->nn);
    if (!s->nn) {
        free(x);
        free(cat);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbours of class '%s'",
                        s->t->classes[s->cls]);
    }
    aug_points p = {.x = x, .n = n, .dim = dim, .cat = cat, .ncat = ncat, .mismatch = mismatch};
    st = aug_knn(&p, k, NULL, NULL, s->nn, runner, err);
    free(x);
    free(cat);
    /* class positions -> table rows */
    for (size_t i = 0; !st && i < n * k; i++)
        s->nn[i] = s->rows[s->nn[i]];
    return st;
}

aug_status aug_smp_make(aug_sampler *s, size_t base, size_t partner, double gap,
                    const size_t *from, size_t nfrom, double *x, aug_error *err)
{
    const aug_table *t = s->t;
    size_t cols = t->cols;
    const double *xb = t->x + base * cols;
    const double *xp = partner == AUG_NO_ROW ? s->mean : t->x + partner * cols;
    if (!s->ncat) {
        for (size_t c = 0; c < cols; c++)
            x[c] = xb[c] + gap * (xp[c] - xb[c]);
        return AUG_OK;
    }
    for (size_t c = 0; c < cols; c++)
        if (!t->categorical[c])
            x[c] = xb[c] + gap * (xp[c] - xb[c]);
    for (size_t j = 0; j < s->ncat; j++) {
        size_t c = s->catcols[j], ncodes = t->cats[c].n;
        if (ncodes + nfrom > s->nvotes) {
            uint32_t *v = realloc(s->votes, (ncodes + nfrom) * sizeof *v);
            if (!v)
                return aug_fail(err, AUG_ERR_NOMEM, "out of memory counting categories");
            s->votes = v;
            s->nvotes = ncodes + nfrom;
        }
        uint32_t best = 0;
        for (size_t i = 0; i < nfrom; i++)
            s->votes[(size_t)t->x[from[i] * cols + c]] = 0;
        for (size_t i = 0; i < nfrom; i++) {
            uint32_t v = ++s->votes[(size_t)t->x[from[i] * cols + c]];
            best = v > best ? v : best;
        }
        /* The tied categories, each once, in code (byte) order; one draw
         * from the stream picks among them when there are several. The
         * votes are cleared as each is taken, so it is listed once. */
        uint32_t *tied = s->votes + ncodes; /* room for nfrom after the votes */
        size_t ties = 0;
        for (size_t i = 0; i < nfrom; i++) {
            size_t code = (size_t)t->x[from[i] * cols + c];
            if (s->votes[code] == best) {
                tied[ties++] = (uint32_t)code;
                s->votes[code] = 0;
            }
        }
        for (size_t a = 1; a < ties; a++) /* insertion sort: a handful */
            for (size_t b = a; b > 0 && tied[b - 1] > tied[b]; b--) {
                uint32_t tmp = tied[b];
                tied[b] = tied[b - 1];
                tied[b - 1] = tmp;
            }
        uint32_t chosen = tied[ties > 1 ? (size_t)aug_rng_below(&s->rng, ties) : 0];
        x[c] = (double)chosen;
    }
    return AUG_OK;
}

void aug_smp_apportion(const double *w, size_t n, size_t total, size_t *out)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    size_t given = 0;
    for (size_t i = 0; i < n; i++) {
        double share = sum > 0 ? (double)total * (w[i] / sum) : 0.0;
        out[i] = (size_t)floor(share);
        if (out[i] > total - given)
            out[i] = total - given;
        given += out[i];
    }
    /* the rest, one each, by largest remainder (then lower index) */
    while (given < total) {
        size_t best = 0;
        double br = -1.0;
        for (size_t i = 0; i < n; i++) {
            double share = sum > 0 ? (double)total * (w[i] / sum) : 1.0;
            double rem = share - (double)out[i];
            if (rem > br) {
                br = rem;
                best = i;
            }
        }
        out[best]++;
        given++;
    }
}

/* ---- SMOTE and SMOTE-NC ---- */

static aug_status smote_draw(aug_sampler *s, double *x, aug_origin *o, aug_error *err)
{
    size_t i = (size_t)aug_rng_below(&s->rng, s->n);
    size_t nb = s->nn[i * s->k + (size_t)aug_rng_below(&s->rng, s->k)];
    double gap = aug_rng_uniform(&s->rng);
    const size_t *from = s->nn + i * s->k;
    *o = (aug_origin){s->rows[i], nb, gap, s->ncat ? from : NULL, s->ncat ? s->k : 0, NULL, 0};
    return aug_smp_make(s, s->rows[i], nb, gap, from, s->k, x, err);
}

/* Plain SMOTE (no categorical column: nothing else draws from the stream
 * between rows), a group at a time: the group's draws first, in the
 * order smote_draw makes them, so its rows can be fetched from memory
 * while the previous ones are computed. Same rows, same bytes. */
#define GROUP 32
static void smote_draw_many(aug_sampler *s, size_t n, double *x, aug_origin *o)
{
    const aug_table *t = s->t;
    size_t cols = t->cols;
    size_t base[GROUP], nb[GROUP];
    double gap[GROUP];
    for (size_t done = 0; done < n; done += GROUP) {
        size_t m = n - done < GROUP ? n - done : GROUP;
        for (size_t g = 0; g < m; g++) {
            size_t i = (size_t)aug_rng_below(&s->rng, s->n);
            nb[g] = s->nn[i * s->k + (size_t)aug_rng_below(&s->rng, s->k)];
            gap[g] = aug_rng_uniform(&s->rng);
            base[g] = s->rows[i];
            const char *a = (const char *)(t->x + base[g] * cols);
            const char *b = (const char *)(t->x + nb[g] * cols);
            for (size_t off = 0; off < cols * sizeof(double); off += 64) {
                __builtin_prefetch(a + off);
                __builtin_prefetch(b + off);
            }
        }
        for (size_t g = 0; g < m; g++) {
            const double *xb = t->x + base[g] * cols, *xp = t->x + nb[g] * cols;
            double *y = x + (done + g) * cols;
            for (size_t c = 0; c < cols; c++)
                y[c] = xb[c] + gap[g] * (xp[c] - xb[c]);
            if (o)
                o[done + g] = (aug_origin){base[g], nb[g], gap[g], NULL, 0, NULL, 0};
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median over the continuous columns of the minority class's
 * (population) standard deviations, as np.median(np.sqrt(X_min.var(0))). */
static aug_status median_std(aug_sampler *s, double *med, aug_error *err)
{
    const aug_table *t = s->t;
    size_t *counts;
    aug_status st = aug_smp_counts(s, &counts, err);
    if (st)
        return st;
    size_t minority = 0;
    for (size_t c = 1; c < t->nclasses; c++)
        if (counts[c] < counts[minority])
            minority = c;
    free(counts);
    size_t d = t->cols - s->ncat, m = 0;
    double *mean = calloc(d ? d : 1, sizeof *mean), *var = calloc(d ? d : 1, sizeof *var);
    if (!mean || !var) {
        free(mean);
        free(var);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory computing SMOTE-NC's scale");
    }
    for (size_t r = 0; r < t->rows; r++) {
        if (t->label[r] != minority)
            continue;
        m++;
        for (size_t c = 0, j = 0; c < t->cols; c++)
            if (!aug_table_is_categorical(t, c))
                mean[j++] += t->x[r * t->cols + c];
    }
    if (m == 0) {
        free(mean);
        free(var);
        return aug_fail(err, AUG_ERR_ARG, "SMOTE-NC needs the rows of the minority class '%s'",
                        t->classes[minority]);
    }
    for (size_t j = 0; j < d; j++)
        mean[j] /= (double)m;
    for (size_t r = 0; r < t->rows; r++) {
        if (t->label[r] != minority)
            continue;
        for (size_t c = 0, j = 0; c < t->cols; c++)
            if (!aug_table_is_categorical(t, c)) {
                double e = t->x[r * t->cols + c] - mean[j];
                var[j++] += e * e;
            }
    }
    for (size_t j = 0; j < d; j++)
        var[j] = sqrt(var[j] / (double)m);
    qsort(var, d, sizeof *var, cmp_double);
    *med = d % 2 ? var[d / 2] : (var[d / 2 - 1] + var[d / 2]) / 2.0;
    free(mean);
    free(var);
    return AUG_OK;
}

aug_status aug_plan_smote(aug_sampler *s, const aug_runner *runner, aug_error *err)
{
    aug_status st = aug_smp_check_size(s, s->k, "k", err);
    if (st)
        return st;
    double mismatch = 0.0;
    if (s->ncat) {
        if (s->ncat == s->cols)
            return aug_fail(err, AUG_ERR_ARG,
                            "every feature is categorical: SMOTE-NC needs at least one numeric "
                            "column (use --method smoten, the value difference metric)");
        double med = 0.0;
        if ((st = median_std(s, &med, err)))
            return st;
        double h = med / 2.0;
        mismatch = h * h + h * h;
    }
    if ((st = aug_smp_class_knn(s, mismatch, runner, err)))
        return st;
    s->draw = smote_draw;
    if (!s->ncat)
        s->draw_many = smote_draw_many;
    return AUG_OK;
}

/* ---- the sampler ---- */

typedef aug_status (*plan_fn)(aug_sampler *, const aug_runner *, aug_error *);

static plan_fn planner(aug_smote_method m)
{
    switch (m) {
    case AUG_SMOTE:
    case AUG_SMOTE_IPF:
        return aug_plan_smote;
    case AUG_SMOTEN:
        return aug_plan_smoten;
    case AUG_SMOTE_BORDERLINE1:
    case AUG_SMOTE_BORDERLINE2:
        return aug_plan_borderline;
    case AUG_ADASYN:
        return aug_plan_adasyn;
    case AUG_SMOTE_SVM:
        return aug_plan_svm;
    case AUG_SMOTE_KMEANS:
        return aug_plan_kmeans;
    case AUG_POLYFIT:
        return aug_plan_polyfit;
    case AUG_PROWSYN:
        return aug_plan_prowsyn;
    }
    return NULL;
}

void aug_sampler_free(aug_sampler *s)
{
    if (!s)
        return;
    if (s->free_impl)
        s->free_impl(s->impl);
    free(s->rows);
    free(s->nn);
    free(s->catcols);
    free(s->votes);
    free(s->mean);
    free(s);
}

aug_status aug_sampler_new(aug_sampler **out, const aug_table *t, size_t cls, size_t n_new,
                           const aug_smote_params *p, const aug_runner *runner,
                           aug_error *err)
{
    *out = NULL;
    if (!t || !p)
        return aug_fail(err, AUG_ERR_ARG, "sampler: missing table or parameters");
    if (cls >= t->nclasses)
        return aug_fail(err, AUG_ERR_ARG, "sampler: no class %zu (the table has %zu)", cls,
                        t->nclasses);
    plan_fn plan = planner(p->method);
    if (!plan)
        return aug_fail(err, AUG_ERR_ARG, "unknown SMOTE method %d", (int)p->method);
    if (p->k < 1)
        return aug_fail(err, AUG_ERR_ARG, "%s needs k >= 1 neighbours",
                        aug_smote_method_name(p->method));
    aug_sampler *s = calloc(1, sizeof *s);
    if (!s)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a sampler");
    s->t = t;
    s->cls = cls;
    s->cols = t->cols;
    s->p = *p;
    s->k = p->k;
    s->count = n_new;
    aug_rng_derive(&s->rng, p->seed, t->classes[cls], 0);
    aug_status st = AUG_OK;
    s->ncat = aug_table_ncategorical(t);
    if (s->ncat) {
        s->catcols = malloc(s->ncat * sizeof *s->catcols);
        if (!s->catcols)
            st = aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a sampler");
        for (size_t c = 0, j = 0; !st && c < t->cols; c++)
            if (aug_table_is_categorical(t, c))
                s->catcols[j++] = c;
    }
    if (!st)
        st = aug_smp_class_rows(s, err);
    if (!st && n_new > 0)
        st = plan(s, runner, err);
    if (st) {
        aug_sampler_free(s);
        return st;
    }
    if (n_new == 0)
        s->count = 0;
    *out = s;
    return AUG_OK;
}

size_t aug_sampler_count(const aug_sampler *s)
{
    return s ? s->count : 0;
}

const char *aug_sampler_note(const aug_sampler *s)
{
    return s ? s->note : NULL;
}

aug_status aug_sampler_draw(aug_sampler *s, size_t n, double *x, aug_origin *o, aug_error *err)
{
    if (n > s->count - s->drawn)
        return aug_fail(err, AUG_ERR_ARG, "class '%s': %zu rows asked, %zu left",
                        s->t->classes[s->cls], n, s->count - s->drawn);
    if (s->draw_many) {
        s->draw_many(s, n, x, o);
        s->drawn += n;
        return AUG_OK;
    }
    for (size_t i = 0; i < n; i++) {
        aug_origin tmp;
        aug_status st = s->draw(s, x + i * s->cols, o ? &o[i] : &tmp, err);
        if (st)
            return st;
        s->drawn++;
    }
    return AUG_OK;
}

aug_status aug_smote(const aug_table *t, const size_t *n_new, const aug_smote_params *p,
                     aug_table *out, aug_origin *origins, const aug_runner *runner,
                     aug_error *err)
{
    if (!t || !n_new || !p || !out)
        return aug_fail(err, AUG_ERR_ARG, "smote: missing table, counts, parameters or output");
    if (out->cols != t->cols)
        return aug_fail(err, AUG_ERR_ARG,
                        "smote: the output table has %zu feature columns, the input %zu",
                        out->cols, t->cols);
    /* Plan every class first, so a failure leaves *out as it was. out may
     * be t itself: rows are read before any is appended. */
    size_t nclasses = t->nclasses;
    aug_sampler **ss = calloc(nclasses ? nclasses : 1, sizeof *ss);
    if (!ss)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating samplers");
    aug_status st = AUG_OK;
    size_t total = 0;
    aug_smote_params q = *p; /* every class's new rows count in K-means SMOTE's threshold */
    for (size_t c = 0; c < nclasses && !p->total_new; c++)
        q.total_new += n_new[c];
    for (size_t c = 0; c < nclasses && !st; c++)
        if (n_new[c]) {
            st = aug_sampler_new(&ss[c], t, c, n_new[c], &q, runner, err);
            if (!st)
                total += aug_sampler_count(ss[c]);
        }
    double *x = NULL;
    if (!st && total && !(x = malloc(total * t->cols * sizeof *x)))
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating %zu new rows", total);
    size_t *lab = NULL;
    if (!st && !(lab = malloc((total ? total : 1) * sizeof *lab)))
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating %zu new rows", total);
    size_t done = 0;
    for (size_t c = 0; c < nclasses && !st; c++) {
        size_t m = aug_sampler_count(ss[c]);
        if (!m)
            continue;
        st = aug_sampler_draw(ss[c], m, x + done * t->cols, origins ? origins + done : NULL,
                              err);
        for (size_t i = 0; i < m; i++)
            lab[done + i] = c;
        done += m;
    }
    /* The class names are copied before appending: out may be t. */
    char **names = NULL;
    if (!st && total) {
        names = calloc(nclasses, sizeof *names);
        for (size_t c = 0; names && c < nclasses; c++)
            if (!(names[c] = strdup(t->classes[c])))
                st = aug_fail(err, AUG_ERR_NOMEM, "out of memory copying class names");
        if (!names)
            st = aug_fail(err, AUG_ERR_NOMEM, "out of memory copying class names");
    }
    for (size_t i = 0; i < total && !st; i++)
        st = aug_table_append(out, x + i * out->cols, names[lab[i]], err);
    /* `from` points into the samplers, which go now */
    for (size_t i = 0; origins && i < done; i++) {
        origins[i].from = NULL;
        origins[i].nfrom = 0;
    }
    for (size_t c = 0; names && c < nclasses; c++)
        free(names[c]);
    free(names);
    free(lab);
    free(x);
    for (size_t c = 0; c < nclasses; c++)
        aug_sampler_free(ss[c]);
    free(ss);
    return st;
}
