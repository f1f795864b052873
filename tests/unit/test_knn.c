/* k nearest neighbours: hand-worked answers on tiny sets and grids, and a
 * brute force written here (every distance, sorted by (distance, index))
 * on random, duplicated and tied points in 1 to 40 dimensions. Every case
 * runs three ways: the public entry (which picks a search), the k-d tree
 * and the blocked scan, each against the brute force; outside queries,
 * categorical distances and threads too. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>

#include "augment/sampling.h"
#include "kernels/knn_internal.h"

/* Distances and interpolations must round the same in every build: no
 * fused multiply-add (GCC's -std=c11 already implies this). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* The test's own generator (Knuth's MMIX LCG), independent of aug_rng. */
static double lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1.0p-53;
}

/* (d, i) before (e, j)? */
static int before(double d, size_t i, double e, size_t j)
{
    return d < e || (d == e && i < j);
}

/* The reference: every distance, summed over the dimensions in order (the
 * API defines ties as exact equality of that sum), the k smallest kept
 * sorted by (distance, index) by insertion. */
static void brute_force(const double *p, size_t n, size_t dim, size_t k, size_t *out)
{
    double *bd = malloc(k * sizeof *bd);
    assert_non_null(bd);
    for (size_t i = 0; i < n; i++) {
        size_t *bi = out + i * k, m = 0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double d = 0.0;
            for (size_t t = 0; t < dim; t++)
                d += (p[i * dim + t] - p[j * dim + t]) * (p[i * dim + t] - p[j * dim + t]);
            if (m == k && !before(d, j, bd[k - 1], bi[k - 1]))
                continue;
            size_t pos = m < k ? m++ : k - 1;
            while (pos > 0 && before(d, j, bd[pos - 1], bi[pos - 1])) {
                bd[pos] = bd[pos - 1];
                bi[pos] = bi[pos - 1];
                pos--;
            }
            bd[pos] = d;
            bi[pos] = j;
        }
    }
    free(bd);
}

/* Both searches directly, on plain points, each excluding itself. */
static void direct(const double *p, size_t n, size_t dim, size_t k, size_t *out, int brute,
                   const aug_runner *runner)
{
    aug_points pts = {.x = p, .n = n, .dim = dim};
    knn_job job = {&pts, n, p, NULL, NULL, 1, k, out};
    aug_error err;
    aug_status st = brute ? aug_knn_brute_run(&job, runner, &err) : aug_knn_tree_run(&job, runner, &err);
    if (st)
        fail_msg("%s: %s", brute ? "scan" : "tree", err.msg);
}

static void expect_brute(const double *p, size_t n, size_t dim, size_t k)
{
    size_t *got = malloc(n * k * sizeof *got), *want = malloc(n * k * sizeof *want);
    assert_non_null(got);
    assert_non_null(want);
    aug_error err;
    brute_force(p, n, dim, k, want);
    /* the dispatcher, the tree, then the scan's three tiles (widest first;
     * on a CPU without them the narrower one runs again), each with the
     * filter in double and in float */
    for (int way = 0; way < 8; way++) {
        if (way >= 2) {
            aug_knn_brute_limit_isa(2 - (way - 2) / 2);
            aug_knn_brute_precision(1 + way % 2);
        }
        if (way == 0)
            assert_int_equal(aug_knn_self(p, n, dim, k, got, &err), AUG_OK);
        else
            direct(p, n, dim, k, got, way >= 2, NULL);
        aug_knn_brute_limit_isa(2);
        aug_knn_brute_precision(0);
        for (size_t i = 0; i < n * k; i++)
            if (got[i] != want[i])
                fail_msg("%s: point %zu, neighbour %zu: got %zu, want %zu",
                         way == 0 ? "aug_knn_self" : way == 1 ? "tree" : "scan", i / k, i % k,
                         got[i], want[i]);
    }
    free(got);
    free(want);
}

static double *random_points(size_t n, size_t dim, uint64_t seed)
{
    double *p = malloc(n * dim * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < n * dim; i++)
        p[i] = lcg(&seed);
    return p;
}

static void test_random_matches_brute_force(void **state)
{
    (void)state;
    static const size_t dims[] = {1, 2, 3, 7, 9, 10, 20, 33, 40};
    for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
        double *p = random_points(500, dims[d], 17 + d);
        expect_brute(p, 500, dims[d], 5);
        free(p);
    }
    /* fewer points than a block, and a partial last block */
    double *q = random_points(37, 20, 3);
    expect_brute(q, 37, 20, 6);
    expect_brute(q, 9, 20, 8);
    expect_brute(q, 2, 20, 1);
    free(q);
    /* Deeper trees, other k: one, many, and n - 1 (everyone). */
    double *p = random_points(2000, 4, 99);
    expect_brute(p, 2000, 4, 1);
    expect_brute(p, 2000, 4, 12);
    free(p);
    p = random_points(60, 3, 5);
    expect_brute(p, 60, 3, 59);
    free(p);
    /* Neighbours several leaves away in few dimensions: cells reached by
     * crossing two planes of the same dimension must be bounded right. */
    p = random_points(1500, 1, 23);
    expect_brute(p, 1500, 1, 60);
    free(p);
    p = random_points(1500, 2, 29);
    expect_brute(p, 1500, 2, 60);
    free(p);
}

static void test_offset_and_scaled_data(void **state)
{
    (void)state;
    /* Far from the origin with small spread, and wildly different scales
     * per dimension: the pruning must stay exact under rounding. */
    size_t n = 400, dim = 5;
    double *p = random_points(n, dim, 3);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < dim; t++)
            p[i * dim + t] = 1e6 + p[i * dim + t] * pow(10.0, (double)t - 2.0);
    expect_brute(p, n, dim, 6);
    free(p);
}

static void test_one_dimension_by_hand(void **state)
{
    (void)state;
    const double p[5] = {0, 10, 11, 13, 20};
    /* 0: 10 (at 10), 11 (11). 10: 11 (1), 13 (3). 11: 10 (1), 13 (2).
     * 13: 11 (2), 10 (3). 20: 13 (7), 11 (9). */
    const size_t want[10] = {1, 2, 2, 3, 1, 3, 2, 1, 3, 2};
    size_t got[10];
    assert_int_equal(aug_knn_self(p, 5, 1, 2, got, NULL), AUG_OK);
    assert_memory_equal(got, want, sizeof want);
}

static void test_two_points(void **state)
{
    (void)state;
    const double p[4] = {1, 2, -3, 4};
    size_t got[2] = {7, 7};
    assert_int_equal(aug_knn_self(p, 2, 2, 1, got, NULL), AUG_OK);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 0);
}

static void test_identical_points_take_lowest_indices(void **state)
{
    (void)state;
    /* 100 copies of one point (more than a leaf holds): every distance is
     * zero, so the neighbours are the lowest indices other than oneself. */
    size_t n = 100, k = 3;
    double *p = malloc(n * 2 * sizeof *p);
    size_t *got = malloc(n * k * sizeof *got);
    assert_non_null(p);
    assert_non_null(got);
    for (size_t i = 0; i < n * 2; i++)
        p[i] = 0.25;
    assert_int_equal(aug_knn_self(p, n, 2, k, got, NULL), AUG_OK);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        for (size_t c = 0; j < k; c++)
            if (c != i)
                assert_int_equal(got[i * k + j++], c);
    }
    free(p);
    free(got);
}

static void test_duplicates_and_ties_match_brute_force(void **state)
{
    (void)state;
    uint64_t s = 11;
    size_t n = 600, dim = 3;
    double *p = malloc(n * dim * sizeof *p);
    assert_non_null(p);
    /* Five locations repeated in a shuffled order, so duplicate groups
     * straddle leaves and split planes. */
    for (size_t i = 0; i < n; i++) {
        size_t g = (size_t)(lcg(&s) * 5);
        for (size_t t = 0; t < dim; t++)
            p[i * dim + t] = (double)((g * (t + 2)) % 5);
    }
    expect_brute(p, n, dim, 7);
    expect_brute(p, n, dim, 150);
    /* Small integers: distances are exact and ties everywhere. */
    for (size_t i = 0; i < n * dim; i++)
        p[i] = floor(lcg(&s) * 4);
    expect_brute(p, n, dim, 5);
    /* One dimension constant, one with two values, one continuous. */
    for (size_t i = 0; i < n; i++) {
        p[i * dim] = 1.0;
        p[i * dim + 1] = lcg(&s) < 0.5 ? 0.0 : 1.0;
        p[i * dim + 2] = lcg(&s);
    }
    expect_brute(p, n, dim, 4);
    free(p);
    /* Ties in 20 dimensions where only the first three vary: the partial
     * sums checked along the way already equal the final distances. */
    dim = 20;
    p = malloc(n * dim * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < dim; t++)
            p[i * dim + t] = t < 3 ? floor(lcg(&s) * 3) : 0.5;
    expect_brute(p, n, dim, 5);
    expect_brute(p, n, dim, 40);
    free(p);
}

static void test_line_of_integers_every_k(void **state)
{
    (void)state;
    /* Evenly spaced on a line, in shuffled order: every point has a tie on
     * each side and far neighbours sit many leaves and planes away. */
    size_t n = 150;
    double p[150];
    uint64_t s = 77;
    for (size_t i = 0; i < n; i++)
        p[i] = (double)i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(lcg(&s) * (double)(i + 1));
        double tmp = p[i];
        p[i] = p[j];
        p[j] = tmp;
    }
    for (size_t k = 1; k < n; k += k < 8 ? 1 : 13)
        expect_brute(p, n, 1, k);
    expect_brute(p, n, 1, n - 1);
}

static void test_grid_ties_by_hand(void **state)
{
    (void)state;
    /* A 10x10 unit grid, point y*10+x at (x, y). Its 4 nearest at distance
     * 1 are, by index: up (-10), left (-1), right (+1), down (+10). */
    size_t n = 100, k = 4;
    double p[200];
    size_t got[400];
    for (size_t i = 0; i < n; i++) {
        p[2 * i] = (double)(i % 10);
        p[2 * i + 1] = (double)(i / 10);
    }
    assert_int_equal(aug_knn_self(p, n, 2, k, got, NULL), AUG_OK);
    for (size_t y = 1; y < 9; y++)
        for (size_t x = 1; x < 9; x++) {
            size_t i = y * 10 + x;
            const size_t want[4] = {i - 10, i - 1, i + 1, i + 10};
            assert_memory_equal(got + i * k, want, sizeof want);
        }
    /* Corner 0: 1 and 10 at 1, 11 at sqrt 2, then 2 and 20 tie at 2. */
    const size_t corner[4] = {1, 10, 11, 2};
    assert_memory_equal(got, corner, sizeof corner);
    /* Corner 99: 89 and 98 at 1, 88 at sqrt 2, 79 and 97 at 2. */
    const size_t far[4] = {89, 98, 88, 79};
    assert_memory_equal(got + 99 * k, far, sizeof far);
    expect_brute(p, n, 2, 8);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    double p[6] = {0, 1, 2, 3, 4, 5};
    size_t out[9];
    aug_error err;
    assert_int_equal(aug_knn_self(p, 3, 2, 3, out, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "3"));
    assert_int_equal(aug_knn_self(p, 3, 2, 4, out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_knn_self(p, 3, 2, 0, out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_knn_self(p, 3, 0, 1, out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_knn_self(p, 1, 2, 1, out, &err), AUG_ERR_ARG);
    assert_int_equal(aug_knn_self(p, 0, 2, 1, out, &err), AUG_ERR_ARG);
    /* n * k overflows size_t. */
    assert_int_equal(aug_knn_self(p, SIZE_MAX / 2, 1, SIZE_MAX / 4, out, &err),
                     AUG_ERR_NOMEM);
    p[3] = NAN;
    assert_int_equal(aug_knn_self(p, 3, 2, 1, out, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "point 1"));
    assert_non_null(strstr(err.msg, "column 1"));
    p[3] = INFINITY;
    assert_int_equal(aug_knn_self(p, 3, 2, 1, out, &err), AUG_ERR_ARG);
}

/* ---- the general entry: outside queries, categories, threads ---- */

/* The reference for aug_knn: every distance by the documented formula
 * (continuous sum, then the categorical sum, added last), insertion-sorted
 * by (distance, index). */
static double ref_dist(const aug_points *r, size_t i, const aug_points *q, size_t j)
{
    double d = 0.0, c = 0.0;
    for (size_t t = 0; t < r->dim; t++)
        d += (q->x[j * r->dim + t] - r->x[i * r->dim + t]) *
             (q->x[j * r->dim + t] - r->x[i * r->dim + t]);
    for (size_t t = 0; t < r->ncat; t++) {
        uint32_t a = q->cat[j * r->ncat + t], b = r->cat[i * r->ncat + t];
        if (r->catdist)
            c += r->catdist[t][(size_t)a * r->ncodes[t] + b];
        else if (a != b)
            c += r->mismatch;
    }
    return r->ncat ? d + c : d;
}

static void reference(const aug_points *r, const aug_points *q, const size_t *self, size_t k,
                      size_t *out)
{
    double *bd = malloc(k * sizeof *bd);
    assert_non_null(bd);
    for (size_t j = 0; j < q->n; j++) {
        size_t *bi = out + j * k, m = 0;
        for (size_t i = 0; i < r->n; i++) {
            if (self && self[j] == i)
                continue;
            double d = ref_dist(r, i, q, j);
            if (m == k && !before(d, i, bd[k - 1], bi[k - 1]))
                continue;
            size_t pos = m < k ? m++ : k - 1;
            while (pos > 0 && before(d, i, bd[pos - 1], bi[pos - 1])) {
                bd[pos] = bd[pos - 1];
                bi[pos] = bi[pos - 1];
                pos--;
            }
            bd[pos] = d;
            bi[pos] = i;
        }
    }
    free(bd);
}

/* aug_knn, the tree (when there are continuous columns) and the scan. */
static void expect_general(const aug_points *r, const aug_points *q, const size_t *self,
                           size_t k, const aug_runner *runner)
{
    const aug_points *qq = q ? q : r;
    size_t n = qq->n;
    size_t *want = malloc(n * k * sizeof *want), *got = malloc(n * k * sizeof *got);
    assert_non_null(want);
    assert_non_null(got);
    size_t *selfs = NULL;
    if (!q) {
        selfs = malloc(n * sizeof *selfs);
        for (size_t i = 0; i < n; i++)
            selfs[i] = i;
    }
    reference(r, qq, q ? self : selfs, k, want);
    aug_error err;
    for (int way = 0; way < 8; way++) {
        if (way == 1 && r->dim == 0)
            continue;
        if (way >= 2) { /* each tile, the filter in double and in float */
            aug_knn_brute_limit_isa(2 - (way - 2) / 2);
            aug_knn_brute_precision(1 + way % 2);
        }
        aug_status st;
        if (way == 0) {
            st = aug_knn(r, k, q, self, got, runner, &err);
        } else {
            knn_job job = {r, n, qq->x, qq->cat, q ? self : NULL, !q, k, got};
            st = way == 1 ? aug_knn_tree_run(&job, runner, &err)
                          : aug_knn_brute_run(&job, runner, &err);
        }
        aug_knn_brute_limit_isa(2);
        aug_knn_brute_precision(0);
        if (st)
            fail_msg("way %d: %s", way, err.msg);
        for (size_t i = 0; i < n * k; i++)
            if (got[i] != want[i])
                fail_msg("way %d: query %zu, neighbour %zu: got %zu, want %zu", way, i / k,
                         i % k, got[i], want[i]);
    }
    free(selfs);
    free(want);
    free(got);
}

static void test_outside_queries(void **state)
{
    (void)state;
    for (size_t dim = 2; dim <= 24; dim += 11) {
        double *rp = random_points(400, dim, 5 + dim), *qp = random_points(90, dim, 7 + dim);
        aug_points r = {.x = rp, .n = 400, .dim = dim}, q = {.x = qp, .n = 90, .dim = dim};
        expect_general(&r, &q, NULL, 7, NULL);
        expect_general(&r, &q, NULL, 400, NULL); /* every point */
        /* queries that are reference points, each excluding itself */
        size_t self[90];
        for (size_t i = 0; i < 90; i++) {
            self[i] = (i * 37) % 400;
            memcpy(qp + i * dim, rp + self[i] * dim, dim * sizeof *qp);
        }
        self[3] = AUG_NO_ROW; /* one that keeps its twin */
        expect_general(&r, &q, self, 5, NULL);
        free(rp);
        free(qp);
    }
}

static void test_categorical_terms(void **state)
{
    (void)state;
    uint64_t s = 91;
    size_t n = 500;
    uint32_t cat[500 * 2];
    for (size_t i = 0; i < n * 2; i++)
        cat[i] = (uint32_t)(lcg(&s) * 3);
    for (size_t dim = 1; dim <= 21; dim += 10) {
        double *p = random_points(n, dim, 33 + dim);
        /* small integers, so that ties mix continuous and categorical terms */
        for (size_t i = 0; i < n * dim; i++)
            p[i] = floor(p[i] * 3);
        aug_points r = {.x = p, .n = n, .dim = dim, .cat = cat, .ncat = 2, .mismatch = 0.5};
        expect_general(&r, NULL, NULL, 6, NULL);
        r.mismatch = 0.0;
        expect_general(&r, NULL, NULL, 6, NULL);
        free(p);
    }
    /* categories only, with a table per column (the value difference
     * metric's form): only the scan applies */
    const double t0[9] = {0, 0.25, 1, 0.25, 0, 0.5, 1, 0.5, 0};
    const double t1[9] = {0, 2, 2, 2, 0, 0.125, 2, 0.125, 0};
    const double *tabs[2] = {t0, t1};
    const size_t ncodes[2] = {3, 3};
    aug_points v = {.n = n, .cat = cat, .ncat = 2, .catdist = tabs, .ncodes = ncodes};
    expect_general(&v, NULL, NULL, 9, NULL);
}

/* Tight clusters far from the mean: the float filter's error bound (a
 * fraction of |q|^2 + |p|^2) is far wider than the distances inside a
 * cluster, so it lets whole clusters through; the scan must notice, go on
 * in double, and still give the exact answer, for itself and for outside
 * queries. */
static void test_loose_float_filter_widens(void **state)
{
    (void)state;
    size_t n = 3000, dim = 12, k = 5;
    uint64_t s = 404;
    size_t nq = 2500; /* more than one batch of queries */
    double *p = malloc(n * dim * sizeof *p), *q = malloc(nq * dim * sizeof *q);
    assert_non_null(p);
    assert_non_null(q);
    for (size_t i = 0; i < n; i++) {
        size_t g = (size_t)(lcg(&s) * 6);
        for (size_t t = 0; t < dim; t++)
            p[i * dim + t] = 1000.0 * (double)((g + t) % 6) + 1e-4 * lcg(&s);
    }
    for (size_t i = 0; i < nq; i++)
        for (size_t t = 0; t < dim; t++)
            q[i * dim + t] = p[(i * 7 % n) * dim + t] + 1e-5 * lcg(&s);
    aug_points r = {.x = p, .n = n, .dim = dim}, qq = {.x = q, .n = nq, .dim = dim};
    size_t *want = malloc(n * k * sizeof *want), *got = malloc(n * k * sizeof *got);
    size_t *self = malloc(n * sizeof *self);
    assert_non_null(want);
    assert_non_null(got);
    assert_non_null(self);
    for (size_t i = 0; i < n; i++)
        self[i] = i;
    aug_error err;
    for (int outside = 0; outside < 2; outside++) {
        const aug_points *qp = outside ? &qq : &r;
        reference(&r, qp, outside ? NULL : self, k, want);
        knn_job job = {&r, qp->n, qp->x, NULL, NULL, !outside, k, got};
        assert_int_equal(aug_knn_brute_run(&job, NULL, &err), AUG_OK);
        assert_true(aug_knn_brute_widened());
        assert_memory_equal(got, want, qp->n * k * sizeof *got);
    }
    /* plain random data keeps the float filter to the end */
    double *u = random_points(n, dim, 77);
    aug_points ru = {.x = u, .n = n, .dim = dim};
    knn_job job = {&ru, n, u, NULL, NULL, 1, k, got};
    assert_int_equal(aug_knn_brute_run(&job, NULL, &err), AUG_OK);
    assert_false(aug_knn_brute_widened());
    free(u);
    free(p);
    free(q);
    free(want);
    free(got);
    free(self);
}

/* A runner with real threads, parts taken from a shared counter. */
typedef struct pool {
    size_t n, next;
    void (*task)(void *, size_t);
    void *arg;
    pthread_mutex_t lock;
} pool;

static void *worker(void *p)
{
    pool *w = p;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        size_t i = w->next++;
        pthread_mutex_unlock(&w->lock);
        if (i >= w->n)
            return NULL;
        w->task(w->arg, i);
    }
}

static void run_threads(void *self, size_t n, void (*task)(void *, size_t), void *arg)
{
    (void)self;
    pool w = {n, 0, task, arg, PTHREAD_MUTEX_INITIALIZER};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, worker, &w);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
}

static void run_backwards(void *self, size_t n, void (*task)(void *, size_t), void *arg)
{
    (void)self;
    for (size_t i = n; i-- > 0;)
        task(arg, i);
}

static void test_runners_same_answer(void **state)
{
    (void)state;
    /* enough points for several ranges of the scan's tournament */
    size_t n = 3000, dim = 20;
    double *p = random_points(n, dim, 3);
    aug_points r = {.x = p, .n = n, .dim = dim};
    const aug_runner threads = {run_threads, NULL}, back = {run_backwards, NULL};
    expect_general(&r, NULL, NULL, 5, &threads);
    expect_general(&r, NULL, NULL, 5, &back);
    free(p);
}

static void test_huge_and_tiny_values(void **state)
{
    (void)state;
    /* near the square root of the largest double, and far below 1: the
     * scan's filter would overflow or lose the values; the answer must
     * still be exact */
    size_t n = 300, dim = 12;
    double *p = random_points(n, dim, 8);
    for (size_t i = 0; i < n * dim; i++)
        p[i] = (p[i] - 0.5) * 1e150;
    aug_points r = {.x = p, .n = n, .dim = dim};
    size_t *got = malloc(n * 4 * sizeof *got), *want = malloc(n * 4 * sizeof *want);
    size_t *self = malloc(n * sizeof *self);
    for (size_t i = 0; i < n; i++)
        self[i] = i;
    reference(&r, &r, self, 4, want);
    assert_int_equal(aug_knn(&r, 4, NULL, NULL, got, NULL, NULL), AUG_OK);
    assert_memory_equal(got, want, n * 4 * sizeof *got);
    for (size_t i = 0; i < n * dim; i++)
        p[i] *= 1e-300;
    expect_general(&r, NULL, NULL, 4, NULL);
    free(p);
    free(got);
    free(want);
    free(self);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_matches_brute_force),
        cmocka_unit_test(test_offset_and_scaled_data),
        cmocka_unit_test(test_one_dimension_by_hand),
        cmocka_unit_test(test_two_points),
        cmocka_unit_test(test_identical_points_take_lowest_indices),
        cmocka_unit_test(test_duplicates_and_ties_match_brute_force),
        cmocka_unit_test(test_line_of_integers_every_k),
        cmocka_unit_test(test_grid_ties_by_hand),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_outside_queries),
        cmocka_unit_test(test_categorical_terms),
        cmocka_unit_test(test_loose_float_filter_widens),
        cmocka_unit_test(test_runners_same_answer),
        cmocka_unit_test(test_huge_and_tiny_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
