/* SMOTE-IPF (Saez, Luengo, Stefanowski and Herrera 2015), ranked third of
 * 85 SMOTE variants by Kovacs (2019): SMOTE, then the iterative-partitioning
 * filter of Khoshgoftaar and Rebours (2007) on the original and new rows
 * together.
 *
 * Each round splits the rows still kept into `folds` parts (stratified: a
 * class's rows, shuffled by the stream aug_rng_derive(seed, "ipf", round),
 * are dealt out in turn), grows a decision tree on each part alone and
 * lets every tree classify every row; a row that most trees (more than
 * half) get wrong is removed, original or new. The filter stops once
 * `rounds` rounds in a row removed fewer than p times the rows kept. The
 * paper uses C4.5 trees; here CART trees (Gini impurity, grown until pure),
 * which decide the same kind of axis-parallel cuts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "augment/sampling.h"

#define IPF_MAX_ROUNDS 1000
#define TREE_MAX_DEPTH 64

typedef struct tnode {
    size_t feat, left, right, cls;
    double thr;
    int leaf;
} tnode;

typedef struct keyed {
    double v;
    size_t row;
} keyed;

typedef struct tree {
    const aug_table *t;
    tnode *nodes;
    size_t n, cap;
    size_t *cnt, *lcnt; /* per class scratch */
    keyed *pairs;       /* one feature of the rows at hand */
} tree;

static int by_value(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* rows[0..n) sorted by feature f (then row), through tr->pairs. */
static void sort_rows(tree *tr, size_t *rows, size_t n, size_t f)
{
    for (size_t i = 0; i < n; i++)
        tr->pairs[i] = (keyed){tr->t->x[rows[i] * tr->t->cols + f], rows[i]};
    qsort(tr->pairs, n, sizeof *tr->pairs, by_value);
    for (size_t i = 0; i < n; i++)
        rows[i] = tr->pairs[i].row;
}

static size_t new_node(tree *tr)
{
    if (tr->n == tr->cap) {
        size_t cap = tr->cap ? tr->cap * 2 : 64;
        tnode *nd = realloc(tr->nodes, cap * sizeof *nd);
        if (!nd)
            return AUG_NO_ROW;
        tr->nodes = nd;
        tr->cap = cap;
    }
    memset(&tr->nodes[tr->n], 0, sizeof tr->nodes[tr->n]);
    return tr->n++;
}

static double gini(const size_t *cnt, size_t k, size_t n)
{
    if (n == 0)
        return 0.0;
    double s = 0.0;
    for (size_t c = 0; c < k; c++) {
        double p = (double)cnt[c] / (double)n;
        s += p * p;
    }
    return 1.0 - s;
}

/* Grow a node over rows[0..n); returns its number or AUG_NO_ROW (no
 * memory). */
static size_t grow(tree *tr, size_t *rows, size_t n, int depth)
{
    const aug_table *t = tr->t;
    size_t k = t->nclasses, id = new_node(tr);
    if (id == AUG_NO_ROW)
        return id;
    memset(tr->cnt, 0, k * sizeof *tr->cnt);
    for (size_t i = 0; i < n; i++)
        tr->cnt[t->label[rows[i]]]++;
    size_t major = 0;
    for (size_t c = 1; c < k; c++)
        if (tr->cnt[c] > tr->cnt[major])
            major = c;
    tr->nodes[id].leaf = 1;
    tr->nodes[id].cls = major;
    if (tr->cnt[major] == n || n < 2 || depth >= TREE_MAX_DEPTH)
        return id;
    double parent = gini(tr->cnt, k, n), best = parent;
    size_t bf = 0, bpos = 0;
    double bthr = 0.0;
    size_t *rcnt = tr->cnt + k; /* right side counts follow */
    for (size_t f = 0; f < t->cols; f++) {
        sort_rows(tr, rows, n, f);
        memset(tr->lcnt, 0, k * sizeof *tr->lcnt);
        for (size_t c = 0; c < k; c++)
            rcnt[c] = tr->cnt[c];
        for (size_t i = 0; i + 1 < n; i++) {
            size_t c = t->label[rows[i]];
            tr->lcnt[c]++;
            rcnt[c]--;
            double a = t->x[rows[i] * t->cols + f], b = t->x[rows[i + 1] * t->cols + f];
            if (a == b)
                continue;
            double g = ((double)(i + 1) * gini(tr->lcnt, k, i + 1) +
                        (double)(n - i - 1) * gini(rcnt, k, n - i - 1)) / (double)n;
            if (g < best) {
                best = g;
                bf = f;
                bpos = i + 1;
                bthr = a + (b - a) / 2.0;
            }
        }
    }
    if (!(best < parent))
        return id;
    sort_rows(tr, rows, n, bf);
    size_t l = grow(tr, rows, bpos, depth + 1);
    size_t r = l == AUG_NO_ROW ? l : grow(tr, rows + bpos, n - bpos, depth + 1);
    if (r == AUG_NO_ROW)
        return r;
    tr->nodes[id] = (tnode){bf, l, r, major, bthr, 0};
    return id;
}

static size_t predict(const tree *tr, const double *x)
{
    size_t id = 0;
    while (!tr->nodes[id].leaf)
        id = x[tr->nodes[id].feat] <= tr->nodes[id].thr ? tr->nodes[id].left
                                                         : tr->nodes[id].right;
    return tr->nodes[id].cls;
}

aug_status aug_ipf_filter(const aug_table *t, size_t folds, size_t rounds, double p,
                          uint64_t seed, unsigned char *keep, aug_error *err)
{
    if (!t || !keep)
        return aug_fail(err, AUG_ERR_ARG, "IPF: missing table or flags");
    if (folds < 1 || rounds < 1 || !(p >= 0 && p <= 1))
        return aug_fail(err, AUG_ERR_ARG, "IPF needs folds >= 1, rounds >= 1, 0 <= p <= 1");
    if (aug_table_ncategorical(t))
        return aug_fail(err, AUG_ERR_ARG, "the IPF filter needs numeric features; the table "
                        "has categorical columns");
    size_t n = t->rows, k = t->nclasses;
    size_t *fold = malloc((n ? n : 1) * sizeof *fold), *wrong = malloc((n ? n : 1) * sizeof *wrong);
    size_t *rows = malloc((n ? n : 1) * sizeof *rows), *members = malloc((n ? n : 1) * sizeof *members);
    tree tr = {t, NULL, 0, 0, malloc(2 * (k ? k : 1) * sizeof(size_t)),
               malloc((k ? k : 1) * sizeof(size_t)), malloc((n ? n : 1) * sizeof(keyed))};
    aug_status st = AUG_OK;
    if (!fold || !wrong || !rows || !members || !tr.cnt || !tr.lcnt || !tr.pairs) {
        st = aug_fail(err, AUG_ERR_NOMEM, "IPF: out of memory for %zu rows", n);
        goto out;
    }
    size_t quiet = 0;
    for (size_t round = 0; round < IPF_MAX_ROUNDS && quiet < rounds; round++) {
        size_t m = 0;
        aug_rng rng;
        aug_rng_derive(&rng, seed, "ipf", round);
        /* stratified parts */
        for (size_t c = 0; c < k; c++) {
            size_t nc = 0;
            for (size_t r = 0; r < n; r++)
                if (keep[r] && t->label[r] == c)
                    members[nc++] = r;
            for (size_t i = nc; i > 1; i--) {
                size_t j = (size_t)aug_rng_below(&rng, i), tmp = members[i - 1];
                members[i - 1] = members[j];
                members[j] = tmp;
            }
            for (size_t i = 0; i < nc; i++)
                fold[members[i]] = (m + i) % folds;
            m += nc;
        }
        if (m == 0)
            break;
        memset(wrong, 0, n * sizeof *wrong);
        for (size_t f = 0; f < folds; f++) {
            size_t nf = 0;
            for (size_t r = 0; r < n; r++)
                if (keep[r] && fold[r] == f)
                    rows[nf++] = r;
            if (nf == 0)
                continue;
            tr.n = 0;
            if (grow(&tr, rows, nf, 0) == AUG_NO_ROW) {
                st = aug_fail(err, AUG_ERR_NOMEM, "IPF: out of memory growing a tree");
                goto out;
            }
            for (size_t r = 0; r < n; r++)
                if (keep[r] && predict(&tr, t->x + r * t->cols) != t->label[r])
                    wrong[r]++;
        }
        size_t removed = 0;
        for (size_t r = 0; r < n; r++)
            if (keep[r] && 2 * wrong[r] > folds) {
                keep[r] = 0;
                removed++;
            }
        quiet = (double)removed < p * (double)m ? quiet + 1 : 0;
    }
out:
    free(fold);
    free(wrong);
    free(rows);
    free(members);
    free(tr.nodes);
    free(tr.cnt);
    free(tr.lcnt);
    free(tr.pairs);
    return st;
}
