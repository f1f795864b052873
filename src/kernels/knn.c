/* Exact k nearest neighbours of every point among the others (k-d tree).
 *
 * Why a k-d tree and not a distance matrix: SMOTE users hit MemoryError on
 * large classes; the tree needs O(n) memory beyond the n*k answer.
 *
 * Exactness: the answer must equal a brute-force sort by (distance, index)
 * where distance is the float sum over dimensions, in order, of (a-b)^2.
 * So heap entries compare as (distance, index) pairs, and a subtree is
 * skipped only when its lower bound is STRICTLY greater than the current
 * k-th distance (an equal one may still hold a lower index). The lower
 * bound of a cell is the same float sum over the per-dimension gaps to its
 * splitting planes; rounding is monotonic, so that sum never exceeds the
 * computed distance of any point inside the cell and no true neighbour can
 * be pruned by a rounding accident. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/sampling.h"

/* Points per leaf: small enough to prune well, large enough that the
 * per-node overhead is amortised. */
#define KD_LEAF 24
/* Terms of a distance summed between tests against the k-th distance. */
#define KD_CHECK 16

typedef struct kd_node {
    size_t lo, hi;        /* positions [lo, hi) in tree order */
    size_t left, right;   /* child nodes; left == 0 marks a leaf (0 is the root) */
    size_t dim;
    double split;         /* left holds values <= split, right values >= split */
    int same;             /* leaf whose points all coincide, sorted by index */
} kd_node;

typedef struct kd_tree {
    size_t n, dim;
    double *px;           /* points copied in tree order, leaves contiguous */
    size_t *idx;          /* idx[p]: original index of the point at position p */
    kd_node *nodes;
    size_t nnodes, cap;
} kd_tree;

/* ---- building ---- */

typedef struct kd_build {
    kd_tree *t;
    const double *pts;
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
        double mn = b->pts[t->idx[lo] * dim + d], mx = mn;
        for (size_t p = lo + 1; p < hi; p++) {
            double v = b->pts[t->idx[p] * dim + d];
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

    size_t mid = lo + (hi - lo) / 2;
    for (size_t p = lo; p < hi; p++)
        b->key[p] = b->pts[t->idx[p] * dim + best];
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
    free(t->px);
    free(t->idx);
    free(t->nodes);
}

static aug_status tree_build(kd_tree *t, const double *pts, size_t n, size_t dim,
                             aug_error *err)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    t->dim = dim;
    /* A split node has more than KD_LEAF points and halves them, so every
     * leaf but a lone root holds at least (KD_LEAF + 1) / 2 points. */
    size_t leaves = n / ((KD_LEAF + 1) / 2) + 1;
    t->cap = 2 * leaves;
    t->idx = malloc(n * sizeof *t->idx);
    t->px = malloc(n * dim * sizeof *t->px);
    t->nodes = malloc(t->cap * sizeof *t->nodes);
    double *key = malloc(n * sizeof *key);
    if (!t->idx || !t->px || !t->nodes || !key) {
        free(key);
        tree_free(t);
        return aug_fail(err, AUG_ERR_NOMEM, "cannot allocate a k-d tree of %zu points", n);
    }
    for (size_t i = 0; i < n; i++)
        t->idx[i] = i;
    kd_build b = { t, pts, key, 0x5eed ^ (uint64_t)n };
    build_node(&b, 0, n);
    free(key);
    for (size_t p = 0; p < n; p++)
        memcpy(t->px + p * dim, pts + t->idx[p] * dim, dim * sizeof *pts);
    return AUG_OK;
}

/* ---- searching ----
 *
 * Queries go in groups: the points of one leaf, which are close together,
 * walk the tree at once. In many dimensions few cells can be pruned and the
 * search degenerates towards a scan of every leaf; walking a group keeps
 * each visited leaf in cache for all of its queries instead of streaming the
 * whole data set once per query. */

#define KD_GROUP 32

typedef struct kd_group {
    const kd_tree *t;
    size_t k, m;          /* neighbours wanted, queries in this group */
    size_t pos[KD_GROUP]; /* the queries' positions in tree order */
    size_t count[KD_GROUP];
    double *hd;           /* per query a max-heap of (distance, index) at */
    size_t *hi;           /* hd + a * k, worst on top */
    double *off2;         /* per query, per dimension: squared gap to the cell */
} kd_group;

static int worse(double da, size_t ia, double db, size_t ib)
{
    return da > db || (da == db && ia > ib);
}

static void heap_sift_down(double *hd, size_t *hi, size_t count, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < count && worse(hd[l], hi[l], hd[m], hi[m]))
            m = l;
        if (r < count && worse(hd[r], hi[r], hd[m], hi[m]))
            m = r;
        if (m == i)
            return;
        double d = hd[i];
        size_t x = hi[i];
        hd[i] = hd[m];
        hi[i] = hi[m];
        hd[m] = d;
        hi[m] = x;
        i = m;
    }
}

static void heap_offer(double *hd, size_t *hi, size_t *count, size_t k, double d,
                       size_t id)
{
    if (*count < k) {
        size_t i = (*count)++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!worse(d, id, hd[p], hi[p]))
                break;
            hd[i] = hd[p];
            hi[i] = hi[p];
            i = p;
        }
        hd[i] = d;
        hi[i] = id;
    } else if (worse(hd[0], hi[0], d, id)) {
        hd[0] = d;
        hi[0] = id;
        heap_sift_down(hd, hi, *count, 0);
    }
}

/* May query a still gain from a cell whose bound is rd? rd is updated
 * incrementally, so it can exceed the exact float bound by a few ulps per
 * level; the relative slack (far above that error for any realistic depth
 * and dimension) keeps pruning conservative. Visiting one cell too many
 * costs time, never correctness. */
static int wants(const kd_group *g, size_t a, double rd)
{
    if (g->count[a] < g->k)
        return 1;
    return !(rd > g->hd[a * g->k] * (1.0 + 1e-9) + DBL_MIN);
}

static void scan_leaf(kd_group *g, size_t a, const kd_node *nd)
{
    const kd_tree *t = g->t;
    size_t dim = t->dim, k = g->k, self = t->idx[g->pos[a]], taken = 0;
    const double *q = t->px + g->pos[a] * dim;
    double *hd = g->hd + a * k;
    size_t *hi = g->hi + a * k;
    for (size_t p = nd->lo; p < nd->hi; p++) {
        size_t id = t->idx[p];
        if (id == self)
            continue;
        /* Coinciding points, ascending index: after k of them every
         * later one ties on distance and loses on index. */
        if (nd->same && taken++ == k)
            return;
        const double *x = t->px + p * dim;
        double worst = g->count[a] == k ? hd[0] : INFINITY;
        /* Give up on a point once its partial sum exceeds the k-th
         * distance, but test only every KD_CHECK terms: a test per term
         * mispredicts about once per point and costs more than the
         * arithmetic it saves. */
        double d = 0.0;
        size_t j = 0;
        while (j < dim) {
            size_t end = dim - j > KD_CHECK ? j + KD_CHECK : dim;
            for (; j < end; j++) {
                double diff = q[j] - x[j];
                d += diff * diff;
            }
            if (d > worst)
                break;
        }
        if (!(d > worst))
            heap_offer(hd, hi, &g->count[a], k, d, id);
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

    /* Per query, the bound of the child across the plane: this plane's gap
     * replaces the gap along the same dimension inherited from an ancestor
     * (it is never smaller). The child on the query's side keeps rd. */
    double rl[KD_GROUP], rr[KD_GROUP], gap2[KD_GROUP];
    unsigned char on_left[KD_GROUP];
    size_t nleft = 0;
    for (size_t a = 0; a < m; a++) {
        double diff = t->px[g->pos[a] * dim + nd->dim] - nd->split;
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

aug_status aug_knn_self(const double *points, size_t n, size_t dim, size_t k,
                        size_t *out, aug_error *err)
{
    if (dim < 1)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours need at least one dimension");
    if (k < 1)
        return aug_fail(err, AUG_ERR_ARG, "k nearest neighbours need k >= 1 (got 0)");
    if (k >= n)
        return aug_fail(err, AUG_ERR_ARG,
                        "%zu nearest neighbours need more than %zu points (got %zu)",
                        k, k, n);
    if (n > SIZE_MAX / sizeof(double) / k || n > SIZE_MAX / sizeof(double) / dim ||
        k > SIZE_MAX / sizeof(double) / KD_GROUP || dim > SIZE_MAX / sizeof(double) / KD_GROUP)
        return aug_fail(err, AUG_ERR_NOMEM, "%zu points x %zu is too large", n,
                        k > dim ? k : dim);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            if (!isfinite(points[i * dim + j]))
                return aug_fail(err, AUG_ERR_ARG,
                                "point %zu has a non-finite value (%g) in column %zu; "
                                "distances need finite numbers",
                                i, points[i * dim + j], j);

    kd_tree t;
    aug_status st = tree_build(&t, points, n, dim, err);
    if (st)
        return st;
    kd_group g;
    memset(&g, 0, sizeof g);
    g.t = &t;
    g.k = k;
    g.hd = malloc(KD_GROUP * k * sizeof *g.hd);
    g.hi = malloc(KD_GROUP * k * sizeof *g.hi);
    g.off2 = calloc(KD_GROUP * dim, sizeof *g.off2);
    if (!g.hd || !g.hi || !g.off2) {
        free(g.hd);
        free(g.hi);
        free(g.off2);
        tree_free(&t);
        return aug_fail(err, AUG_ERR_NOMEM, "cannot allocate the neighbour search");
    }

    static const double zero[KD_GROUP];
    for (size_t id = 0; id < t.nnodes; id++) {
        const kd_node *leaf = &t.nodes[id];
        if (leaf->left != 0)
            continue;
        for (size_t lo = leaf->lo; lo < leaf->hi; lo += KD_GROUP) {
            g.m = leaf->hi - lo < KD_GROUP ? leaf->hi - lo : KD_GROUP;
            for (size_t a = 0; a < g.m; a++) {
                g.pos[a] = lo + a;
                g.count[a] = 0;
            }
            search_node(&g, 0, zero);
            /* Pop each heap's worst into the last free slot. */
            for (size_t a = 0; a < g.m; a++) {
                double *hd = g.hd + a * k;
                size_t *hi = g.hi + a * k;
                size_t *row = out + t.idx[g.pos[a]] * k;
                for (size_t c = g.count[a]; c > 0; c--) {
                    row[c - 1] = hi[0];
                    hd[0] = hd[c - 1];
                    hi[0] = hi[c - 1];
                    heap_sift_down(hd, hi, c - 1, 0);
                }
            }
        }
    }
    free(g.hd);
    free(g.hi);
    free(g.off2);
    tree_free(&t);
    return AUG_OK;
}
