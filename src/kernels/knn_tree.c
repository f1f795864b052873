/* Exact k nearest neighbours with a k-d tree over the continuous columns.
 *
 * Why a tree and not a distance matrix: SMOTE users hit MemoryError on
 * large classes; the tree needs O(n) memory beyond the n*k answer, and in
 * low dimensions it prunes almost everything. (In many dimensions it
 * cannot; knn.c then picks the blocked scan of knn_brute.c.)
 *
 * Exactness: the answer must equal a brute-force sort by (distance, index)
 * with the distance of knn_internal.h. Heap entries compare as (distance,
 * index) pairs, and a cell is skipped only when its lower bound is
 * STRICTLY greater than the current k-th distance (an equal one may still
 * hold a lower index). The bound is the sum of squared gaps from the query
 * to the cell's planes; rounding is monotonic, so summed in order it never
 * exceeds the computed distance of a point in the cell, and the
 * incremental form used here is compared with a small slack (see wants).
 * Categorical terms only add to a distance, so a bound on the continuous
 * part bounds the whole. Every distance is computed with the same
 * operations in the same order, whichever path computes it, so equal
 * distances tie exactly as in the brute force.
 *
 * Queries go in groups that walk the tree together (each visited leaf read
 * once per group, not once per query): a leaf's own points, or outside
 * queries sorted by the leaf they fall in. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/knn_internal.h"

/* Points per leaf: small enough to prune well, large enough that the
 * per-node overhead is amortised. */
#define KD_LEAF 64
/* Leaves are stored transposed in blocks of KD_BLOCK points (scan_leaf
 * is written for exactly 8: four pairs of lanes). */
#define KD_BLOCK 8
/* Terms of a distance summed between tests against the k-th distance: a
 * test per term mispredicts about once per point and costs more than the
 * arithmetic it saves. */
#define KD_CHECK 16
/* Queries walking the tree together (at most one leaf's worth). */
#define KD_GROUP 64
_Static_assert(KD_BLOCK == 8 && KD_LEAF >= 4 * KD_BLOCK, "see scan_leaf and tree_build");

/* Two doubles operated on at once: the GCC/Clang vector extension (like the
 * __uint128_t in rng.c). Each lane does exactly the scalar operations of
 * one distance, in order, so results are bit-identical to scalar code. The
 * compiler does not vectorise the scalar loop by itself at -O2 (across
 * dimensions it would have to reorder each sum), and the SIMD registers
 * every x86-64 and ARM64 CPU has halve the time of the all-pairs scan. */
typedef double kd_v2 __attribute__((vector_size(16)));

typedef struct kd_node {
    size_t lo, hi;        /* positions [lo, hi) in tree order */
    size_t left, right;   /* child nodes; left == 0 marks a leaf (0 is the root) */
    size_t dim;
    double split;         /* left holds values <= split, right values >= split */
    size_t block;         /* leaf: offset of its first block in `blocks` */
    int same;             /* leaf whose points all coincide, sorted by index */
} kd_node;

typedef struct kd_tree {
    size_t n, dim;
    const double *pts;    /* the caller's points */
    size_t *idx;          /* idx[p]: original index of the point at position p */
    kd_node *nodes;
    size_t nnodes;
    /* Each leaf's points in blocks of KD_BLOCK, coordinate-major:
     * block[j * KD_BLOCK + lane] is coordinate j of the lane-th point. */
    double *blocks;
} kd_tree;

/* ---- building ---- */

typedef struct kd_build {
    kd_tree *t;
    double *key;          /* scratch: the split coordinate of each position */
    uint64_t state;       /* local pivot generator: the tree shape never
                             changes the answer, only the speed */
} kd_build;

static uint64_t next_pivot(kd_build *b)
{
    uint64_t z = (b->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void swap_pos(double *key, size_t *idx, size_t a, size_t b)
{
    double k = key[a];
    size_t i = idx[a];
    key[a] = key[b];
    idx[a] = idx[b];
    key[b] = k;
    idx[b] = i;
}

/* Quickselect with a random pivot and a three-way partition, so runs of
 * equal coordinates (common in real tables) cannot make it quadratic.
 * Afterwards key[lo..nth) <= key[nth] <= key(nth..hi). */
static void select_nth(kd_build *b, size_t lo, size_t hi, size_t nth)
{
    double *key = b->key;
    size_t *idx = b->t->idx;
    while (hi - lo > 1) {
        double pv = key[lo + next_pivot(b) % (hi - lo)];
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (key[i] < pv)
                swap_pos(key, idx, lt++, i++);
            else if (key[i] > pv)
                swap_pos(key, idx, i, --gt);
            else
                i++;
        }
        if (nth < lt)
            hi = lt;
        else if (nth >= gt)
            lo = gt;
        else
            return;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static size_t build_node(kd_build *b, size_t lo, size_t hi)
{
    kd_tree *t = b->t;
    size_t id = t->nnodes++;
    kd_node *nd = &t->nodes[id];
    memset(nd, 0, sizeof *nd);
    nd->lo = lo;
    nd->hi = hi;

    /* Split the dimension with the widest spread (first one on ties). */
    size_t dim = t->dim, best = 0;
    double spread = 0.0;
    for (size_t d = 0; d < dim; d++) {
        double mn = t->pts[t->idx[lo] * dim + d], mx = mn;
        for (size_t p = lo + 1; p < hi; p++) {
            double v = t->pts[t->idx[p] * dim + d];
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        if (mx - mn > spread) {
            spread = mx - mn;
            best = d;
        }
    }
    if (spread == 0.0) {
        /* Identical points: sorted by index, a query needs only the first
         * k of them (all are at one distance), however many there are. */
        nd->same = 1;
        qsort(t->idx + lo, hi - lo, sizeof *t->idx, cmp_size);
        return id;
    }
    if (hi - lo <= KD_LEAF)
        return id;

    /* Near the median, rounded down to whole blocks, so that (but for the
     * last leaf) no block of a leaf is only partly used. */
    size_t mid = lo + (hi - lo) / 2 / KD_BLOCK * KD_BLOCK;
    for (size_t p = lo; p < hi; p++)
        b->key[p] = t->pts[t->idx[p] * dim + best];
    select_nth(b, lo, hi, mid);
    double split = b->key[mid];
    size_t left = build_node(b, lo, mid);
    size_t right = build_node(b, mid, hi);
    nd = &t->nodes[id];
    nd->dim = best;
    nd->split = split;
    nd->left = left;
    nd->right = right;
    return id;
}

static void tree_free(kd_tree *t)
{
    free(t->idx);
    free(t->nodes);
    free(t->blocks);
}

/* Copy every leaf (but the coinciding ones, scanned differently) into
 * blocks; a last partial block repeats its first point in the spare lanes,
 * which the scan ignores, so that every lane holds a finite number. */
static aug_status fill_blocks(kd_tree *t, aug_error *err)
{
    size_t dim = t->dim, total = 0;
    for (size_t id = 0; id < t->nnodes; id++) {
        kd_node *nd = &t->nodes[id];
        if (nd->left || nd->same)
            continue;
        nd->block = total;
        total += (nd->hi - nd->lo + KD_BLOCK - 1) / KD_BLOCK * KD_BLOCK;
    }
    if (total > SIZE_MAX / sizeof(double) / dim)
        return aug_fail(err, AUG_ERR_NOMEM, "k-d tree of %zu points is too large", t->n);
    t->blocks = malloc((total ? total : 1) * dim * sizeof *t->blocks);
    if (!t->blocks)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a k-d tree of %zu points", t->n);
    for (size_t id = 0; id < t->nnodes; id++) {
        const kd_node *nd = &t->nodes[id];
        if (nd->left || nd->same)
            continue;
        size_t m = nd->hi - nd->lo;
        size_t nblocks = (m + KD_BLOCK - 1) / KD_BLOCK;
        for (size_t b = 0; b < nblocks; b++) {
            double *blk = t->blocks + (nd->block + b * KD_BLOCK) * dim;
            for (size_t lane = 0; lane < KD_BLOCK; lane++) {
                size_t p = b * KD_BLOCK + lane < m ? b * KD_BLOCK + lane : b * KD_BLOCK;
                const double *x = t->pts + t->idx[nd->lo + p] * dim;
                for (size_t j = 0; j < dim; j++)
                    blk[j * KD_BLOCK + lane] = x[j];
            }
        }
    }
    return AUG_OK;
}

static aug_status tree_build(kd_tree *t, const double *pts, size_t n, size_t dim,
                             aug_error *err)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    t->dim = dim;
    t->pts = pts;
    /* A split node has m > KD_LEAF >= 4 * KD_BLOCK points; its left child
     * gets m / 2 rounded down to whole blocks (at least m / 2 - KD_BLOCK + 1,
     * so at least 2 * KD_BLOCK), its right child at least m / 2. So every
     * leaf but a lone root holds at least 2 * KD_BLOCK points. */
    size_t leaves = n / (2 * KD_BLOCK) + 1;
    t->idx = malloc(n * sizeof *t->idx);
    t->nodes = malloc(2 * leaves * sizeof *t->nodes);
    double *key = malloc(n * sizeof *key);
    if (!t->idx || !t->nodes || !key) {
        free(key);
        tree_free(t);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a k-d tree of %zu points", n);
    }
    for (size_t i = 0; i < n; i++)
        t->idx[i] = i;
    kd_build b = { t, key, 0x5eed ^ (uint64_t)n };
    build_node(&b, 0, n);
    free(key);
    aug_status st = fill_blocks(t, err);
    if (st)
        tree_free(t);
    return st;
}

/* ---- searching ---- */

typedef struct kd_group {
    const kd_tree *t;
    const knn_job *job;
    size_t k, m;          /* neighbours wanted, queries in this group */
    size_t qi[KD_GROUP];  /* each query's index in the job */
    const double *q[KD_GROUP];
    size_t self[KD_GROUP]; /* the reference point a query must not return */
    size_t count[KD_GROUP];
    double *hd;           /* per query a max-heap of (distance, index) at */
    size_t *hi;           /* hd + a * k, worst on top */
    double *off2;         /* per query, per dimension: squared gap to the cell */
} kd_group;

static void offer(kd_group *g, size_t a, double d, size_t id)
{
    knn_offer(g->hd + a * g->k, g->hi + a * g->k, &g->count[a], g->k, d, id);
}

static double worst(const kd_group *g, size_t a)
{
    return g->count[a] == g->k ? g->hd[a * g->k] : INFINITY;
}

/* May query a still gain from a cell whose bound is rd? rd is updated
 * incrementally, so it can exceed the exact bound by a few ulps per level;
 * the relative slack (far above that error for any realistic depth and
 * dimension) keeps pruning conservative. Visiting a cell too many costs
 * time, never correctness. */
static int wants(const kd_group *g, size_t a, double rd)
{
    return !(rd > worst(g, a) * (1.0 + 1e-9) + DBL_MIN);
}

/* The categorical part of the distance of query a to reference point id. */
static double cat_part(const kd_group *g, size_t a, size_t id)
{
    const aug_points *p = g->job->ref;
    return knn_cat(p, g->job->qcat + g->qi[a] * p->ncat, p->cat + id * p->ncat);
}

static void scan_same(kd_group *g, size_t a, const kd_node *nd)
{
    const kd_tree *t = g->t;
    const double *q = g->q[a], *x = t->pts + t->idx[nd->lo] * t->dim;
    double d = knn_cont(q, x, t->dim);
    int cat = g->job->ref->ncat > 0;
    /* Ascending index at one distance: after k of them every later one
     * loses on index (not so when categories still differ). */
    size_t taken = 0;
    for (size_t p = nd->lo; p < nd->hi && (cat || taken < g->k); p++)
        if (t->idx[p] != g->self[a]) {
            offer(g, a, cat ? d + cat_part(g, a, t->idx[p]) : d, t->idx[p]);
            taken++;
        }
}

static void scan_leaf(kd_group *g, size_t a, const kd_node *nd)
{
    if (nd->same) {
        scan_same(g, a, nd);
        return;
    }
    const kd_tree *t = g->t;
    size_t dim = t->dim, m = nd->hi - nd->lo;
    int cat = g->job->ref->ncat > 0;
    const double *q = g->q[a];
    for (size_t b = 0; b * KD_BLOCK < m; b++) {
        const double *blk = t->blocks + (nd->block + b * KD_BLOCK) * dim;
        double w = worst(g, a);
        /* Four named accumulators, not an array: GCC keeps an array in
         * memory and the sums then wait on store-to-load forwarding. */
        kd_v2 a0 = {0.0, 0.0}, a1 = a0, a2 = a0, a3 = a0;
        int gone = 0;
        for (size_t j = 0; j < dim && !gone;) {
            size_t end = dim - j > KD_CHECK ? j + KD_CHECK : dim;
            for (; j < end; j++) {
                const double *x = blk + j * KD_BLOCK;
                kd_v2 qq = {q[j], q[j]}, x0, x1, x2, x3;
                memcpy(&x0, x, sizeof x0);
                memcpy(&x1, x + 2, sizeof x1);
                memcpy(&x2, x + 4, sizeof x2);
                memcpy(&x3, x + 6, sizeof x3);
                x0 = qq - x0;
                x1 = qq - x1;
                x2 = qq - x2;
                x3 = qq - x3;
                a0 += x0 * x0;
                a1 += x1 * x1;
                a2 += x2 * x2;
                a3 += x3 * x3;
            }
            /* Partial sums only grow: once every lane is past the k-th
             * distance, none of these points can enter. */
            gone = a0[0] > w && a0[1] > w && a1[0] > w && a1[1] > w && a2[0] > w &&
                   a2[1] > w && a3[0] > w && a3[1] > w;
        }
        if (gone)
            continue;
        const double d[KD_BLOCK] = {a0[0], a0[1], a1[0], a1[1], a2[0], a2[1], a3[0], a3[1]};
        size_t lanes = m - b * KD_BLOCK < KD_BLOCK ? m - b * KD_BLOCK : KD_BLOCK;
        for (size_t lane = 0; lane < lanes; lane++) {
            size_t id = t->idx[nd->lo + b * KD_BLOCK + lane];
            if (d[lane] > worst(g, a) || id == g->self[a])
                continue;
            offer(g, a, cat ? d[lane] + cat_part(g, a, id) : d[lane], id);
        }
    }
}

static void search_node(kd_group *g, size_t id, const double *rd)
{
    const kd_tree *t = g->t;
    const kd_node *nd = &t->nodes[id];
    size_t m = g->m, dim = t->dim;
    if (nd->left == 0) {
        for (size_t a = 0; a < m; a++)
            if (wants(g, a, rd[a]))
                scan_leaf(g, a, nd);
        return;
    }

    /* Per query, the bound of the child across the plane: the plane's gap
     * replaces the gap along the same dimension inherited from an ancestor
     * (it is never smaller). The child on the query's side keeps rd. */
    double rl[KD_GROUP], rr[KD_GROUP], gap2[KD_GROUP];
    unsigned char on_left[KD_GROUP];
    size_t nleft = 0;
    for (size_t a = 0; a < m; a++) {
        double diff = g->q[a][nd->dim] - nd->split;
        double old = g->off2[a * dim + nd->dim];
        double g2 = diff * diff;
        gap2[a] = g2 > old ? g2 : old;
        double across = rd[a] - old + gap2[a];
        on_left[a] = diff < 0.0;
        nleft += on_left[a];
        rl[a] = on_left[a] ? rd[a] : across;
        rr[a] = on_left[a] ? across : rd[a];
    }
    /* The side holding most of the group first: it fills the heaps with
     * close points early, so that the other side prunes better. */
    int left_first = 2 * nleft >= m;
    for (int pass = 0; pass < 2; pass++) {
        int go_left = pass == 0 ? left_first : !left_first;
        const double *rc = go_left ? rl : rr;
        int any = 0;
        for (size_t a = 0; a < m && !any; a++)
            any = wants(g, a, rc[a]);
        if (!any)
            continue;
        double saved[KD_GROUP];
        for (size_t a = 0; a < m; a++) {
            saved[a] = g->off2[a * dim + nd->dim];
            if (on_left[a] != go_left)
                g->off2[a * dim + nd->dim] = gap2[a];
        }
        search_node(g, go_left ? nd->left : nd->right, rc);
        for (size_t a = 0; a < m; a++)
            g->off2[a * dim + nd->dim] = saved[a];
    }
}

/* Run one group from the root and write its answers, nearest first. */
static void search_group(kd_group *g)
{
    static const double zero[KD_GROUP];
    memset(g->off2, 0, g->m * g->t->dim * sizeof *g->off2);
    search_node(g, 0, zero);
    size_t k = g->k;
    for (size_t a = 0; a < g->m; a++)
        knn_drain(g->hd + a * k, g->hi + a * k, g->count[a], g->job->out + g->qi[a] * k);
}

/* The leaf a point falls in (either side of a plane it lies on will do:
 * the order only serves locality). */
static size_t leaf_of(const kd_tree *t, const double *x)
{
    size_t id = 0;
    while (t->nodes[id].left)
        id = x[t->nodes[id].dim] <= t->nodes[id].split ? t->nodes[id].left
                                                        : t->nodes[id].right;
    return id;
}

/* The queries are independent: split into parts of QUERIES_PER_PART in an
 * order that keeps nearby queries together, each part searched with
 * scratch of its own, so a runner may run them on any number of threads
 * and the answer stays the same. */
#define QUERIES_PER_PART 512

typedef struct knn_parts {
    const kd_tree *t;
    const knn_job *job;
    const size_t *order;  /* queries by leaf */
    size_t nq;
    int failed;           /* a part could not allocate its scratch */
} knn_parts;

static void search_part(void *arg, size_t part)
{
    knn_parts *kp = arg;
    const kd_tree *t = kp->t;
    const knn_job *job = kp->job;
    size_t k = job->k, dim = t->dim;
    kd_group g;
    memset(&g, 0, sizeof g);
    g.t = t;
    g.job = job;
    g.k = k;
    g.hd = malloc(KD_GROUP * k * sizeof *g.hd);
    g.hi = malloc(KD_GROUP * k * sizeof *g.hi);
    g.off2 = calloc(KD_GROUP * dim, sizeof *g.off2);
    if (!g.hd || !g.hi || !g.off2) {
        __atomic_store_n(&kp->failed, 1, __ATOMIC_RELAXED);
    } else {
        size_t from = part * QUERIES_PER_PART;
        size_t to = from + QUERIES_PER_PART < kp->nq ? from + QUERIES_PER_PART : kp->nq;
        for (size_t lo = from; lo < to; lo += KD_GROUP) {
            g.m = to - lo < KD_GROUP ? to - lo : KD_GROUP;
            for (size_t a = 0; a < g.m; a++) {
                size_t i = kp->order[lo + a];
                g.qi[a] = i;
                g.q[a] = job->qx + i * dim;
                g.self[a] = job->self_is_ref ? i : job->self ? job->self[i] : AUG_NO_ROW;
                g.count[a] = 0;
            }
            search_group(&g);
        }
    }
    free(g.hd);
    free(g.hi);
    free(g.off2);
}

typedef struct by_leaf {
    size_t leaf, i;
} by_leaf;

static int cmp_leaf(const void *a, const void *b)
{
    const by_leaf *x = a, *y = b;
    if (x->leaf != y->leaf)
        return x->leaf < y->leaf ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

aug_status aug_knn_tree_run(const knn_job *job, const aug_runner *runner, aug_error *err)
{
    const aug_points *ref = job->ref;
    if (ref->n > SIZE_MAX / sizeof(double) / ref->dim)
        return aug_fail(err, AUG_ERR_NOMEM, "%zu points x %zu is too large", ref->n, ref->dim);
    kd_tree t;
    aug_status st = tree_build(&t, ref->x, ref->n, ref->dim, err);
    if (st)
        return st;
    size_t nq = job->nq;
    size_t *order = malloc((nq ? nq : 1) * sizeof *order);
    if (!order) {
        tree_free(&t);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search");
    }
    if (job->self_is_ref) {
        /* The tree's own order: a leaf's points are together. */
        memcpy(order, t.idx, nq * sizeof *order);
    } else {
        by_leaf *bl = malloc((nq ? nq : 1) * sizeof *bl);
        if (!bl) {
            free(order);
            tree_free(&t);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search");
        }
        for (size_t i = 0; i < nq; i++)
            bl[i] = (by_leaf){leaf_of(&t, job->qx + i * ref->dim), i};
        qsort(bl, nq, sizeof *bl, cmp_leaf);
        for (size_t i = 0; i < nq; i++)
            order[i] = bl[i].i;
        free(bl);
    }
    knn_parts kp = {&t, job, order, nq, 0};
    aug_run_parts(runner, (nq + QUERIES_PER_PART - 1) / QUERIES_PER_PART, search_part, &kp);
    if (kp.failed)
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating the neighbour search");
    free(order);
    tree_free(&t);
    return st;
}
