/* The SMOTE family beyond plain SMOTE, and the undersamplers: each method's
 * rules recomputed here by brute force (danger sets, ADASYN's shares,
 * proximity levels, Tomek links, ENN, the SMOTE-NC and VDM distances, the
 * modes of categories with the class's stream replayed), and every new row
 * checked against the origin the sampler reports. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "augment/sampling.h"
#include "kernels/sampler_internal.h" /* aug_kmeans */

static uint64_t lcg_state;
static double lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) * 0x1.0p-53;
}

static const char *const NAMES[] = {"f0", "f1", "f2", "f3"};

/* A table of `cols` numeric columns: n rows from blob centres per label. */
static void blobs(aug_table *t, size_t cols, const char *const *labels, const size_t *counts,
                  const double *centres, size_t nlabels, double spread, uint64_t seed)
{
    assert_int_equal(aug_table_init(t, cols, NAMES, "y", NULL), AUG_OK);
    lcg_state = seed;
    size_t left[8], total = 0;
    for (size_t i = 0; i < nlabels; i++)
        total += left[i] = counts[i];
    for (size_t c = 0; total > 0; c = (c + 1) % nlabels) {
        if (!left[c])
            continue;
        double row[4];
        for (size_t f = 0; f < cols; f++)
            row[f] = centres[c * cols + f] + spread * (2 * lcg() - 1);
        assert_int_equal(aug_table_append(t, row, labels[c], NULL), AUG_OK);
        left[c]--;
        total--;
    }
}

static double d2(const aug_table *t, size_t a, size_t b)
{
    double d = 0;
    for (size_t c = 0; c < t->cols; c++) {
        double e = t->x[a * t->cols + c] - t->x[b * t->cols + c];
        d += e * e;
    }
    return d;
}

/* Is p among the k nearest of b within rows where pool[r] (ties count)? */
static int among(const aug_table *t, size_t b, size_t p, size_t k, const unsigned char *pool)
{
    size_t closer = 0;
    double dp = d2(t, b, p);
    for (size_t r = 0; r < t->rows; r++)
        if (r != b && r != p && pool[r] && d2(t, b, r) < dp)
            closer++;
    return pool[p] && closer < k;
}

/* Other-class rows among the m nearest of row b in the whole table, as a
 * brute force: the m smallest (distance, index). */
static size_t other_votes(const aug_table *t, size_t b, size_t m)
{
    size_t *pick = malloc(m * sizeof *pick), got = 0;
    assert_non_null(pick);
    for (size_t j = 0; j < m; j++) {
        size_t best = AUG_NO_ROW;
        for (size_t r = 0; r < t->rows; r++) {
            if (r == b)
                continue;
            int used = 0;
            for (size_t q = 0; q < j; q++)
                used |= pick[q] == r;
            if (used)
                continue;
            if (best == AUG_NO_ROW || d2(t, b, r) < d2(t, b, best))
                best = r;
        }
        pick[j] = best;
        got += t->label[best] != t->label[b];
    }
    free(pick);
    return got;
}

static aug_sampler *plan(const aug_table *t, size_t cls, size_t n, aug_smote_params *p)
{
    aug_sampler *s;
    aug_error err;
    if (aug_sampler_new(&s, t, cls, n, p, NULL, &err) != AUG_OK)
        fail_msg("sampler: %s", err.msg);
    return s;
}

static void check_segment(const aug_table *t, const double *x, const aug_origin *o)
{
    for (size_t c = 0; c < t->cols; c++) {
        if (aug_table_is_categorical(t, c))
            continue;
        double b = t->x[o->base * t->cols + c], p = t->x[o->partner * t->cols + c];
        double want = b + o->gap * (p - b);
        if (x[c] != want)
            fail_msg("column %zu: %.17g, want %.17g", c, x[c], want);
    }
}

/* ---- Borderline-SMOTE ---- */

static void test_borderline(void **state)
{
    (void)state;
    /* two overlapping square blobs */
    static const char *const labels[] = {"maj", "min"};
    static const size_t counts[] = {120, 40};
    static const double centres[] = {0, 0, 0.8, 0.8};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 2, 1.0, 5);
    size_t m = 10, k = 5;
    unsigned char *same = calloc(t.rows, 1), *all = malloc(t.rows);
    assert_non_null(same);
    memset(all, 1, t.rows);
    size_t danger = 0;
    for (size_t r = 0; r < t.rows; r++) {
        same[r] = t.label[r] == 1;
        size_t v = same[r] ? other_votes(&t, r, m) : 0;
        danger += same[r] && 2 * v >= m && v < m;
    }
    assert_true(danger > 5);
    for (int kind = 0; kind < 2; kind++) {
        aug_smote_params p;
        aug_smote_defaults(&p, kind ? AUG_SMOTE_BORDERLINE2 : AUG_SMOTE_BORDERLINE1);
        p.seed = 3;
        aug_sampler *s = plan(&t, 1, 300, &p);
        assert_int_equal(aug_sampler_count(s), 300);
        double x[2];
        aug_origin o;
        size_t outward = 0;
        for (int i = 0; i < 300; i++) {
            assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
            assert_int_equal(t.label[o.base], 1);
            assert_string_equal(o.what, "danger");
            size_t v = other_votes(&t, o.base, m);
            assert_true(2 * v >= m && v < m); /* the base is in danger */
            assert_true(o.value == (double)v);
            check_segment(&t, x, &o);
            if (!kind) {
                assert_true(among(&t, o.base, o.partner, k, same));
                assert_true(o.gap >= 0 && o.gap < 1);
            } else {
                assert_true(among(&t, o.base, o.partner, k, all));
                int other = t.label[o.partner] != 1;
                outward += other;
                assert_true(o.gap >= 0 && o.gap < (other ? 0.5 : 1));
            }
        }
        if (kind)
            assert_true(outward > 30); /* border rows do reach the other class */
        aug_sampler_free(s);
    }
    /* Far apart, nothing is in danger: the class is not grown, and says why. */
    aug_table_free(&t);
    static const double apart[] = {0, 0, 50, 50};
    blobs(&t, 2, labels, counts, apart, 2, 1.0, 6);
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTE_BORDERLINE1);
    aug_sampler *s = plan(&t, 1, 80, &p);
    assert_int_equal(aug_sampler_count(s), 0);
    assert_non_null(strstr(aug_sampler_note(s), "no row is in danger"));
    aug_sampler_free(s);
    aug_table_free(&t);
    free(same);
    free(all);
}

/* ---- ADASYN ---- */

static void test_adasyn(void **state)
{
    (void)state;
    static const char *const labels[] = {"maj", "min"};
    static const size_t counts[] = {100, 30};
    static const double centres[] = {0, 0, 0.9, 0.3};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 2, 1.0, 9);
    size_t k = 5, n_new = 70;
    /* g_i = round half to even of v_i * n_new / sum(v), by hand */
    size_t votes[160], vsum = 0, want_total = 0, want[160] = {0};
    for (size_t r = 0; r < t.rows; r++)
        if (t.label[r] == 1)
            vsum += votes[r] = other_votes(&t, r, k);
    for (size_t r = 0; r < t.rows; r++) {
        if (t.label[r] != 1)
            continue;
        size_t q = votes[r] * n_new / vsum, rem = votes[r] * n_new % vsum;
        if (2 * rem > vsum || (2 * rem == vsum && q % 2))
            q++;
        want[r] = q;
        want_total += q;
    }
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_ADASYN);
    p.seed = 4;
    aug_sampler *s = plan(&t, 1, n_new, &p);
    assert_int_equal(aug_sampler_count(s), want_total);
    unsigned char *cls = calloc(t.rows, 1);
    for (size_t r = 0; r < t.rows; r++)
        cls[r] = t.label[r] == 1;
    size_t got[160] = {0}, last = 0;
    double x[2];
    aug_origin o;
    for (size_t i = 0; i < want_total; i++) {
        assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
        got[o.base]++;
        assert_true(o.base >= last); /* bases in row order */
        last = o.base;
        assert_true(among(&t, o.base, o.partner, k, cls));
        assert_true(fabs(o.value - (double)votes[o.base] / (double)vsum) < 1e-15);
        check_segment(&t, x, &o);
    }
    for (size_t r = 0; r < t.rows; r++)
        assert_int_equal(got[r], want[r]);
    aug_sampler_free(s);
    free(cls);
    aug_table_free(&t);
}

/* ---- SVM-SMOTE: the parts that follow from the table alone ---- */

static void test_svm(void **state)
{
    (void)state;
    static const char *const labels[] = {"maj", "min"};
    static const size_t counts[] = {150, 50};
    static const double centres[] = {0, 0, 1.2, 1.2};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 2, 1.0, 11);
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTE_SVM);
    p.seed = 2;
    aug_sampler *s = plan(&t, 1, 100, &p);
    assert_int_equal(aug_sampler_count(s), 100);
    unsigned char *cls = calloc(t.rows, 1);
    for (size_t r = 0; r < t.rows; r++)
        cls[r] = t.label[r] == 1;
    double x[2];
    aug_origin o;
    size_t sides[2] = {0, 0};
    for (int i = 0; i < 100; i++) {
        assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
        size_t v = other_votes(&t, o.base, 10);
        assert_true(v < 10); /* never noise */
        assert_true(o.value == (double)v);
        int danger = strcmp(o.what, "danger") == 0;
        sides[danger]++;
        assert_int_equal(danger, 2 * v >= 10);
        if (danger)
            assert_true(o.gap >= 0 && o.gap < 1);
        else
            assert_true(o.gap <= 0 && o.gap > -0.5);
        assert_true(among(&t, o.base, o.partner, 5, cls));
        check_segment(&t, x, &o);
    }
    /* the danger side's rows come first */
    aug_sampler_free(s);
    free(cls);
    aug_table_free(&t);
}

/* ---- k-means and K-means SMOTE ---- */

static void test_kmeans(void **state)
{
    (void)state;
    /* three tight blobs far apart: k-means finds them exactly */
    static const char *const labels[] = {"a", "b", "c"};
    static const size_t counts[] = {60, 60, 60};
    static const double centres[] = {0, 0, 20, 0, 0, 20};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 3, 1.0, 13);
    size_t lab[180];
    aug_rng rng;
    aug_rng_seed(&rng, 1);
    assert_int_equal(aug_kmeans(t.x, t.rows, 2, 3, &rng, lab, NULL), AUG_OK);
    for (size_t r = 0; r < t.rows; r++)
        for (size_t q = 0; q < t.rows; q++)
            assert_int_equal(lab[r] == lab[q], t.label[r] == t.label[q]);
    aug_table_free(&t);

    /* class "min" split in two blobs, each among "maj" rows: every new row
     * joins two "min" rows of one blob */
    static const char *const l2[] = {"maj", "min", "min2"};
    static const size_t c2[] = {200, 30, 30};
    static const double cen2[] = {10, 10, 0, 0, 20, 20};
    blobs(&t, 2, l2, c2, cen2, 3, 2.0, 17);
    /* relabel the second blob as "min" too */
    aug_table u;
    assert_int_equal(aug_table_init(&u, 2, NAMES, "y", NULL), AUG_OK);
    for (size_t r = 0; r < t.rows; r++)
        assert_int_equal(aug_table_append(&u, t.x + 2 * r, t.label[r] == 0 ? "maj" : "min",
                                          NULL), AUG_OK);
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTE_KMEANS);
    p.clusters = 3;
    p.seed = 8;
    aug_sampler *s = plan(&u, 1, 140, &p);
    assert_int_equal(aug_sampler_count(s), 140);
    double x[2];
    aug_origin o;
    for (int i = 0; i < 140; i++) {
        assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
        assert_int_equal(u.label[o.base], 1);
        assert_int_equal(u.label[o.partner], 1);
        /* the same blob: both near (0,0) or both near (20,20) */
        assert_int_equal(u.x[2 * o.base] < 10, u.x[2 * o.partner] < 10);
        assert_string_equal(o.what, "cluster");
        assert_true(o.gap >= 0 && o.gap < 1);
        check_segment(&u, x, &o);
    }
    aug_sampler_free(s);
    aug_table_free(&u);
    aug_table_free(&t);
}

/* ---- polynom-fit-SMOTE ---- */

static void test_polyfit(void **state)
{
    (void)state;
    aug_table t;
    assert_int_equal(aug_table_init(&t, 2, NAMES, "y", NULL), AUG_OK);
    const double pts[4][2] = {{0, 0}, {4, 0}, {4, 8}, {0, 4}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(aug_table_append(&t, pts[i], "m", NULL), AUG_OK);
    for (int i = 0; i < 10; i++) {
        const double far[2] = {100 + i, 100};
        assert_int_equal(aug_table_append(&t, far, "z", NULL), AUG_OK);
    }
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_POLYFIT);
    /* star: 6 rows over 4 bases: bases 0, 1 get two rows (gaps 1/3, 2/3),
     * bases 2, 3 one (gap 1/2), all towards the mean (2, 3) */
    aug_sampler *s = plan(&t, 0, 6, &p);
    double x[12];
    aug_origin o[6];
    assert_int_equal(aug_sampler_draw(s, 6, x, o, NULL), AUG_OK);
    const size_t base[6] = {0, 1, 2, 3, 0, 1};
    const double gap[6] = {1.0 / 3, 1.0 / 3, 0.5, 0.5, 2.0 / 3, 2.0 / 3};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(o[i].base, base[i]);
        assert_int_equal(o[i].partner, AUG_NO_ROW);
        assert_true(o[i].gap == gap[i]);
        for (int c = 0; c < 2; c++) {
            double mean = c ? 3.0 : 2.0, b = pts[base[i]][c];
            assert_true(x[2 * i + c] == b + gap[i] * (mean - b));
        }
    }
    aug_sampler_free(s);
    /* bus: 3 segments (1 -> 0, 2 -> 1, 3 -> 2), 4 rows: the first gets 2 */
    p.topology = AUG_TOPO_BUS;
    s = plan(&t, 0, 4, &p);
    assert_int_equal(aug_sampler_draw(s, 4, x, o, NULL), AUG_OK);
    const size_t bb[4] = {1, 2, 3, 1}, bp[4] = {0, 1, 2, 0};
    const double bg[4] = {1.0 / 3, 0.5, 0.5, 2.0 / 3};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(o[i].base, bb[i]);
        assert_int_equal(o[i].partner, bp[i]);
        assert_true(o[i].gap == bg[i]);
        check_segment(&t, x + 2 * i, &o[i]);
    }
    aug_sampler_free(s);
    /* mesh: any two distinct rows of the class */
    p.topology = AUG_TOPO_MESH;
    s = plan(&t, 0, 6, &p);
    assert_int_equal(aug_sampler_draw(s, 6, x, o, NULL), AUG_OK);
    for (int i = 0; i < 6; i++) {
        assert_true(o[i].base < 4 && o[i].partner < 4 && o[i].base != o[i].partner);
        assert_true(o[i].gap >= 0 && o[i].gap < 1);
        check_segment(&t, x + 2 * i, &o[i]);
    }
    aug_sampler_free(s);
    aug_table_free(&t);
}

/* ---- ProWSyn ---- */

static void test_prowsyn(void **state)
{
    (void)state;
    static const char *const labels[] = {"maj", "min"};
    static const size_t counts[] = {80, 60};
    static const double centres[] = {0, 0, 3, 0};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 2, 2.0, 21);
    size_t L = 5, k = 5, n = t.rows;
    /* the levels by hand: level l = class rows among the k nearest class
     * rows still unassigned of some majority row */
    size_t level[140];
    for (size_t r = 0; r < n; r++)
        level[r] = t.label[r] == 1 ? L : 0;
    for (size_t l = 1; l < L; l++) {
        size_t nleft = 0;
        for (size_t r = 0; r < n; r++)
            nleft += level[r] == L;
        if (!nleft)
            break;
        size_t kk = k < nleft ? k : nleft;
        size_t mark[80 * 5];
        size_t nm = 0;
        for (size_t q = 0; q < n; q++) {
            if (t.label[q] != 0)
                continue;
            /* its kk nearest rows still at level L */
            size_t chosen[5];
            for (size_t j = 0; j < kk; j++) {
                size_t best = AUG_NO_ROW;
                for (size_t r = 0; r < n; r++) {
                    if (level[r] != L)
                        continue;
                    int used = 0;
                    for (size_t a = 0; a < j; a++)
                        used |= chosen[a] == r;
                    if (!used && (best == AUG_NO_ROW || d2(&t, q, r) < d2(&t, q, best)))
                        best = r;
                }
                chosen[j] = best;
                mark[nm++] = best;
            }
        }
        for (size_t i = 0; i < nm; i++)
            level[mark[i]] = l;
    }
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_PROWSYN);
    p.seed = 5;
    aug_sampler *s = plan(&t, 1, 4000, &p);
    double *x = malloc(4000 * 2 * sizeof *x);
    aug_origin *o = malloc(4000 * sizeof *o);
    assert_int_equal(aug_sampler_draw(s, 4000, x, o, NULL), AUG_OK);
    size_t per[6] = {0}, size[6] = {0};
    for (size_t r = 0; r < n; r++)
        if (t.label[r] == 1)
            size[level[r]]++;
    for (int i = 0; i < 4000; i++) {
        assert_string_equal(o[i].what, "level");
        size_t l = (size_t)o[i].value;
        assert_int_equal(level[o[i].base], l);
        assert_int_equal(level[o[i].partner], l);
        assert_true(o[i].base != o[i].partner);
        check_segment(&t, x + 2 * i, &o[i]);
        per[l]++;
    }
    /* levels are drawn with weights exp(-(l - 1)) over the levels of 2+ rows */
    double wsum = 0;
    for (size_t l = 1; l <= L; l++)
        if (size[l] >= 2)
            wsum += exp(-(double)(l - 1));
    for (size_t l = 1; l <= L; l++) {
        double want = size[l] >= 2 ? 4000 * exp(-(double)(l - 1)) / wsum : 0;
        double sd = sqrt(want * (1 - want / 4000) + 1e-9);
        if (fabs((double)per[l] - want) > 5 * sd + 1e-9)
            fail_msg("level %zu: %zu rows, expected about %.1f", l, per[l], want);
    }
    free(x);
    free(o);
    aug_sampler_free(s);
    aug_table_free(&t);
}

/* ---- SMOTE-NC ---- */

/* A table of 2 numeric columns and 1 categorical one. */
static void nc_table(aug_table *t)
{
    static const char *const names[] = {"x1", "x2", "colour"};
    assert_int_equal(aug_table_init(t, 3, names, "y", NULL), AUG_OK);
    assert_int_equal(aug_table_set_categorical(t, 2, NULL), AUG_OK);
}

static void nc_add(aug_table *t, double a, double b, const char *cat, const char *label)
{
    uint32_t code;
    assert_int_equal(aug_table_category(t, 2, cat, strlen(cat), NULL, 0, &code, NULL), AUG_OK);
    const double row[3] = {a, b, (double)code};
    assert_int_equal(aug_table_append(t, row, label, NULL), AUG_OK);
}

static double med_std(const aug_table *t, size_t cls)
{
    double sd[2];
    for (int c = 0; c < 2; c++) {
        double s = 0, n = 0, v = 0;
        for (size_t r = 0; r < t->rows; r++)
            if (t->label[r] == cls) {
                s += t->x[r * 3 + c];
                n++;
            }
        for (size_t r = 0; r < t->rows; r++)
            if (t->label[r] == cls)
                v += (t->x[r * 3 + c] - s / n) * (t->x[r * 3 + c] - s / n);
        sd[c] = sqrt(v / n);
    }
    return (sd[0] + sd[1]) / 2; /* the median of two */
}

static size_t nearest_nc(const aug_table *t, size_t b, double w)
{
    size_t best = AUG_NO_ROW;
    double bd = 0;
    for (size_t r = 0; r < t->rows; r++) {
        if (r == b || t->label[r] != t->label[b])
            continue;
        double d = 0;
        for (int c = 0; c < 2; c++)
            d += (t->x[r * 3 + c] - t->x[b * 3 + c]) * (t->x[r * 3 + c] - t->x[b * 3 + c]);
        if (t->x[r * 3 + 2] != t->x[b * 3 + 2])
            d += w;
        if (best == AUG_NO_ROW || d < bd) {
            best = r;
            bd = d;
        }
    }
    return best;
}

static void test_smote_nc_distance(void **state)
{
    (void)state;
    /* The minority class "s": from row 0, row 1 (categories differ) is
     * 1 + w away and row 2 (same category) 1.2 away, so which is nearest
     * tells w: imbalanced-learn's med^2/2 makes it row 1, med^2 or med/2
     * would make it row 2. */
    aug_table t;
    nc_table(&t);
    nc_add(&t, 0, 0, "A", "s");
    nc_add(&t, 1, 0, "B", "s");
    nc_add(&t, 0, sqrt(1.2), "A", "s");
    for (int i = 0; i < 8; i++)
        nc_add(&t, 10 + i, 10, i % 2 ? "A" : "B", "z");
    double med = med_std(&t, 0);
    assert_int_equal(nearest_nc(&t, 0, med * med / 2), 1);
    assert_int_equal(nearest_nc(&t, 0, med * med), 2); /* the rule is what decides */
    assert_int_equal(nearest_nc(&t, 0, med / 2), 2);
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTE);
    p.k = 1;
    p.seed = 1;
    aug_sampler *s = plan(&t, 0, 200, &p);
    double x[3];
    aug_origin o;
    for (int i = 0; i < 200; i++) {
        assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
        assert_int_equal(o.partner, nearest_nc(&t, o.base, med * med / 2));
        assert_int_equal(o.nfrom, 1);
        assert_int_equal(o.from[0], o.partner);
        assert_true(x[2] == t.x[o.partner * 3 + 2]); /* the one neighbour's category */
        check_segment(&t, x, &o);
    }
    aug_sampler_free(s);
    aug_table_free(&t);
}

/* The mode of the categories of the k neighbours; a tie picked by one draw
 * after the gap, among the tied categories in byte order. Replayed here. */
static void test_smote_nc_mode(void **state)
{
    (void)state;
    aug_table t;
    nc_table(&t);
    lcg_state = 31;
    static const char *const cats[] = {"red", "blue", "green", "ochre"};
    for (int i = 0; i < 30; i++)
        nc_add(&t, lcg() * 4, lcg() * 4, cats[(size_t)(lcg() * 4)], "s");
    for (int i = 0; i < 60; i++)
        nc_add(&t, 20 + lcg(), 20 + lcg(), cats[i % 4], "z");
    assert_int_equal(aug_table_sort_categories(&t, NULL), AUG_OK);
    size_t k = 4;
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTE);
    p.k = k;
    p.seed = 77;
    size_t cls = aug_table_class_index(&t, "s");
    aug_sampler *s = plan(&t, cls, 500, &p);
    aug_rng rng;
    aug_rng_derive(&rng, 77, "s", 0);
    size_t rows[30], m = 0;
    for (size_t r = 0; r < t.rows; r++)
        if (t.label[r] == cls)
            rows[m++] = r;
    size_t ties = 0;
    for (int i = 0; i < 500; i++) {
        double x[3];
        aug_origin o;
        assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
        size_t b = rows[aug_rng_below(&rng, 30)];
        aug_rng_below(&rng, k);
        double gap = aug_rng_uniform(&rng);
        assert_int_equal(o.base, b);
        assert_true(o.gap == gap);
        assert_int_equal(o.nfrom, k);
        size_t votes[4] = {0}, top = 0;
        for (size_t j = 0; j < k; j++)
            votes[(size_t)t.x[o.from[j] * 3 + 2]]++;
        for (int c = 0; c < 4; c++)
            top = votes[c] > top ? votes[c] : top;
        size_t tied[4], nt = 0;
        for (int c = 0; c < 4; c++) /* codes are in byte order of the text */
            if (votes[c] == top)
                tied[nt++] = (size_t)c;
        size_t want = tied[nt > 1 ? aug_rng_below(&rng, nt) : 0];
        ties += nt > 1;
        assert_true(x[2] == (double)want);
    }
    assert_true(ties > 50); /* the tie rule was exercised */
    aug_sampler_free(s);
    aug_table_free(&t);
}

/* ---- SMOTEN ---- */

static void test_smoten(void **state)
{
    (void)state;
    static const char *const names[] = {"a", "b"};
    aug_table t;
    assert_int_equal(aug_table_init(&t, 2, names, "y", NULL), AUG_OK);
    assert_int_equal(aug_table_set_categorical(&t, 0, NULL), AUG_OK);
    assert_int_equal(aug_table_set_categorical(&t, 1, NULL), AUG_OK);
    static const char *const av[] = {"p", "q", "r"}, *const bv[] = {"u", "v"};
    lcg_state = 41;
    for (int i = 0; i < 40; i++) {
        const char *lab = i < 12 ? "few" : "many";
        uint32_t ca, cb;
        const char *sa = av[(size_t)(lcg() * 3)], *sb = bv[(size_t)(lcg() * 2)];
        assert_int_equal(aug_table_category(&t, 0, sa, 1, NULL, 0, &ca, NULL), AUG_OK);
        assert_int_equal(aug_table_category(&t, 1, sb, 1, NULL, 0, &cb, NULL), AUG_OK);
        const double row[2] = {ca, cb};
        assert_int_equal(aug_table_append(&t, row, lab, NULL), AUG_OK);
    }
    assert_int_equal(aug_table_sort_categories(&t, NULL), AUG_OK);
    /* VDM by hand: P(class | value) per column, delta = L1, squared, summed */
    double prob[2][3][2] = {{{0}}};
    for (size_t r = 0; r < t.rows; r++)
        for (int c = 0; c < 2; c++)
            prob[c][(size_t)t.x[r * 2 + c]][t.label[r]] += 1;
    for (int c = 0; c < 2; c++)
        for (int v = 0; v < 3; v++) {
            double s = prob[c][v][0] + prob[c][v][1];
            for (int k = 0; k < 2 && s > 0; k++)
                prob[c][v][k] /= s;
        }
    size_t k = 3;
    aug_smote_params p;
    aug_smote_defaults(&p, AUG_SMOTEN);
    p.k = k;
    p.seed = 6;
    size_t few = aug_table_class_index(&t, "few");
    aug_sampler *s = plan(&t, few, 100, &p);
    for (int i = 0; i < 100; i++) {
        double x[2];
        aug_origin o;
        assert_int_equal(aug_sampler_draw(s, 1, x, &o, NULL), AUG_OK);
        assert_int_equal(o.nfrom, k + 1);
        assert_int_equal(o.from[0], o.base);
        assert_int_equal(o.partner, AUG_NO_ROW);
        assert_true(isnan(o.gap));
        /* the k after the base are its k nearest by the VDM (ties by row) */
        double dist[40];
        for (size_t r = 0; r < t.rows; r++) {
            dist[r] = 0;
            for (int c = 0; c < 2; c++) {
                double d = 0;
                for (int j = 0; j < 2; j++)
                    d += fabs(prob[c][(size_t)t.x[r * 2 + c]][j] -
                              prob[c][(size_t)t.x[o.base * 2 + c]][j]);
                dist[r] += d * d;
            }
        }
        for (size_t j = 1; j <= k; j++) {
            size_t q = o.from[j], closer = 0;
            assert_int_equal(t.label[q], few);
            for (size_t r = 0; r < t.rows; r++)
                if (r != o.base && t.label[r] == few &&
                    (dist[r] < dist[q] - 1e-12 || (fabs(dist[r] - dist[q]) <= 1e-12 && r < q)))
                    closer++;
            assert_int_equal(closer, j - 1);
        }
        /* each category is a mode of the k + 1 rows */
        for (int c = 0; c < 2; c++) {
            size_t votes[3] = {0}, top = 0;
            for (size_t j = 0; j <= k; j++)
                votes[(size_t)t.x[o.from[j] * 2 + c]]++;
            for (int v = 0; v < 3; v++)
                top = votes[v] > top ? votes[v] : top;
            assert_int_equal(votes[(size_t)x[c]], top);
        }
    }
    aug_sampler_free(s);
    /* numeric columns are refused, naming one */
    aug_table u;
    assert_int_equal(aug_table_init(&u, 2, names, "y", NULL), AUG_OK);
    for (int i = 0; i < 20; i++) {
        const double row[2] = {i, i * i};
        assert_int_equal(aug_table_append(&u, row, i < 8 ? "a" : "b", NULL), AUG_OK);
    }
    aug_sampler *bad;
    aug_error err;
    assert_int_equal(aug_sampler_new(&bad, &u, 0, 4, &p, NULL, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "'a' is numeric"));
    aug_table_free(&u);
    aug_table_free(&t);
}

/* ---- undersampling ---- */

static void test_selector_and_random(void **state)
{
    (void)state;
    /* exactly `keep` of `total`, and each row kept 3/10 of the time */
    size_t hits[10] = {0};
    for (uint64_t seed = 0; seed < 2000; seed++) {
        aug_selector s;
        aug_selector_init(&s, seed, "c", 10, 3);
        size_t kept = 0;
        for (int i = 0; i < 10; i++) {
            int k = aug_selector_next(&s);
            kept += (size_t)k;
            hits[i] += (size_t)k;
        }
        assert_int_equal(kept, 3);
    }
    double sd = sqrt(2000 * 0.3 * 0.7);
    for (int i = 0; i < 10; i++)
        assert_true(fabs((double)hits[i] - 600) < 5 * sd);
    static const char *const labels[] = {"a", "b", "c"};
    static const size_t counts[] = {50, 30, 20};
    static const double centres[] = {0, 0, 1, 1, 2, 2};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 3, 1.0, 3);
    unsigned char keep[100];
    memset(keep, 1, sizeof keep);
    keep[0] = 0; /* a row already gone stays gone and is not counted */
    const size_t want[3] = {20, AUG_NO_ROW, 5};
    assert_int_equal(aug_undersample_random(&t, want, 9, keep, NULL), AUG_OK);
    size_t per[3] = {0};
    for (size_t r = 0; r < 100; r++)
        per[t.label[r]] += keep[r];
    assert_int_equal(per[0], 20);
    assert_int_equal(per[1], 30);
    assert_int_equal(per[2], 5);
    assert_int_equal(keep[0], 0);
    aug_table_free(&t);
}

static void test_tomek_and_enn(void **state)
{
    (void)state;
    static const char *const labels[] = {"a", "b"};
    static const size_t counts[] = {60, 40};
    static const double centres[] = {0, 0, 0.7, 0.7};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 2, 1.0, 23);
    size_t n = t.rows, nn1[100];
    for (size_t r = 0; r < n; r++) {
        size_t best = AUG_NO_ROW;
        for (size_t q = 0; q < n; q++)
            if (q != r && (best == AUG_NO_ROW || d2(&t, r, q) < d2(&t, r, best)))
                best = q;
        nn1[r] = best;
    }
    /* Tomek, cleaning class "a" only */
    unsigned char keep[100], clean[2] = {1, 0};
    memset(keep, 1, n);
    assert_int_equal(aug_tomek_links(&t, clean, keep, NULL, NULL), AUG_OK);
    size_t links = 0;
    for (size_t r = 0; r < n; r++) {
        int link = t.label[nn1[r]] != t.label[r] && nn1[nn1[r]] == r;
        links += link;
        assert_int_equal(keep[r], !(link && t.label[r] == 0));
    }
    assert_true(links > 2);
    /* ENN (k = 3), every class */
    unsigned char all[2] = {1, 1};
    memset(keep, 1, n);
    assert_int_equal(aug_enn(&t, 3, all, keep, NULL, NULL), AUG_OK);
    size_t gone = 0;
    for (size_t r = 0; r < n; r++) {
        int bad = other_votes(&t, r, 3) > 0;
        gone += bad;
        assert_int_equal(keep[r], !bad);
    }
    assert_true(gone > 5);
    aug_table_free(&t);
}

static void test_ipf(void **state)
{
    (void)state;
    /* two separate blobs and one row labelled against its blob: the filter
     * removes it and nothing else */
    static const char *const labels[] = {"a", "b"};
    static const size_t counts[] = {60, 60};
    static const double centres[] = {0, 0, 10, 10};
    aug_table t;
    blobs(&t, 2, labels, counts, centres, 2, 1.0, 29);
    const double wrong[2] = {10.2, 9.8};
    assert_int_equal(aug_table_append(&t, wrong, "a", NULL), AUG_OK);
    unsigned char keep[121];
    memset(keep, 1, sizeof keep);
    assert_int_equal(aug_ipf_filter(&t, 5, 3, 0.01, 1, keep, NULL), AUG_OK);
    for (size_t r = 0; r < 121; r++)
        assert_int_equal(keep[r], r != 120);
    aug_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_borderline),
        cmocka_unit_test(test_adasyn),
        cmocka_unit_test(test_svm),
        cmocka_unit_test(test_kmeans),
        cmocka_unit_test(test_polyfit),
        cmocka_unit_test(test_prowsyn),
        cmocka_unit_test(test_smote_nc_distance),
        cmocka_unit_test(test_smote_nc_mode),
        cmocka_unit_test(test_smoten),
        cmocka_unit_test(test_selector_and_random),
        cmocka_unit_test(test_tomek_and_enn),
        cmocka_unit_test(test_ipf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
