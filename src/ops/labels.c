/* Labels through a plan (include/augment/labels.h): outlines and keypoints
 * moved step by step with each op's map_points, clipped to each step's
 * canvas; object masks through aug_plan_apply_mask; then albumentations'
 * filters. Pure arithmetic: no files, no formats. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "augment/geometry.h"
#include "augment/labels.h"
#include "core/dmath.h"

/* ---- objects and lists ---- */

void aug_object_free(aug_object *o)
{
    for (size_t i = 0; i < o->npolys; i++)
        free(o->polys[i].xy);
    free(o->polys);
    free(o->kps);
    aug_image_free(&o->mask);
    o->polys = NULL;
    o->kps = NULL;
    o->npolys = o->nkps = 0;
}

void aug_labels_free(aug_labels *l)
{
    for (size_t i = 0; i < l->n; i++)
        aug_object_free(&l->obj[i]);
    free(l->obj);
    free(l->dropped);
    *l = (aug_labels){0};
}

aug_status aug_labels_add(aug_labels *l, aug_object *o, aug_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        aug_object *v = realloc(l->obj, cap * sizeof *v);
        if (!v) {
            aug_object_free(o);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        }
        l->obj = v;
        l->cap = cap;
    }
    l->obj[l->n++] = *o;
    o->polys = NULL;
    o->kps = NULL;
    o->npolys = o->nkps = 0;
    o->mask = (aug_image){0};
    return AUG_OK;
}

static aug_status add_dropped(aug_labels *l, long long id, aug_error *err)
{
    if (l->ndropped == l->dcap) {
        size_t cap = l->dcap ? l->dcap * 2 : 8;
        long long *v = realloc(l->dropped, cap * sizeof *v);
        if (!v)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        l->dropped = v;
        l->dcap = cap;
    }
    l->dropped[l->ndropped++] = id;
    return AUG_OK;
}

static aug_status copy_object(const aug_object *s, aug_object *d, aug_error *err)
{
    *d = *s;
    d->polys = NULL;
    d->kps = NULL;
    d->npolys = d->nkps = 0;
    d->mask = (aug_image){0};
    if (s->npolys && !(d->polys = calloc(s->npolys, sizeof *d->polys)))
        goto nomem;
    for (size_t i = 0; i < s->npolys; i++) {
        d->npolys = i + 1;
        d->polys[i].n = s->polys[i].n;
        if (!(d->polys[i].xy = malloc((s->polys[i].n ? s->polys[i].n : 1) * 2 * sizeof(double))))
            goto nomem;
        memcpy(d->polys[i].xy, s->polys[i].xy, s->polys[i].n * 2 * sizeof(double));
    }
    if (s->nkps) {
        if (!(d->kps = malloc(s->nkps * sizeof *d->kps)))
            goto nomem;
        memcpy(d->kps, s->kps, s->nkps * sizeof *d->kps);
        d->nkps = s->nkps;
    }
    if (s->mask.data) {
        if (aug_image_alloc(&d->mask, s->mask.width, s->mask.height, s->mask.channels, err))
            goto nomem;
        memcpy(d->mask.data, s->mask.data, aug_image_size(&s->mask));
    }
    return AUG_OK;
nomem:
    aug_object_free(d);
    return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
}

aug_status aug_labels_append_copy(aug_labels *dst, const aug_labels *src, aug_error *err)
{
    for (size_t i = 0; i < src->n; i++) {
        aug_object o;
        aug_status st = copy_object(&src->obj[i], &o, err);
        if (!st)
            st = aug_labels_add(dst, &o, err);
        if (st)
            return st;
    }
    return AUG_OK;
}

void aug_label_params_default(aug_label_params *p)
{
    *p = (aug_label_params){AUG_BOX_LARGEST, 0.0, 0.0, 0.0, {0, 0}};
}

/* ---- outlines ---- */

double aug_polygon_area(const double *xy, size_t n)
{
    double a = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t j = i + 1 < n ? i + 1 : 0;
        a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return fabs(a) * 0.5;
}

/* sin of k whole degrees, 0 <= k < 360, exact at the quarter turns and
 * symmetric between the quadrants */
static double sin_deg(int k)
{
    int q = k / 90, r = k % 90;
    double s = r == 0 ? 0.0 : aug_sin(r * (3.14159265358979323846 / 180.0));
    double c = r == 0 ? 1.0 : aug_sin((90 - r) * (3.14159265358979323846 / 180.0));
    switch (q) {
    case 0: return s;
    case 1: return c;
    case 2: return -s;
    default: return -c;
    }
}

size_t aug_box_outline(const double box[4], aug_box_method m, double *xy)
{
    double x0 = box[0], y0 = box[1], x1 = box[0] + box[2], y1 = box[1] + box[3];
    if (m == AUG_BOX_LARGEST) {
        const double c[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
        memcpy(xy, c, sizeof c);
        return 4;
    }
    /* albumentations' ellipse: x = a sin t + cx, y = b cos t + cy at whole
     * degrees t */
    double a = box[2] * 0.5, b = box[3] * 0.5, cx = x0 + a, cy = y0 + b;
    for (int k = 0; k < 360; k++) {
        xy[2 * k] = a * sin_deg(k) + cx;
        xy[2 * k + 1] = b * sin_deg((k + 90) % 360) + cy;
    }
    return 360;
}

/* sqrt is rounded exactly everywhere; hypot is not (glibc and musl differ
 * in the last bit), and these lengths decide how outlines are cut */
static double dist(double dx, double dy)
{
    return sqrt(dx * dx + dy * dy);
}

/* a growable array of doubles */
typedef struct dvec {
    double *v;
    size_t n, cap;
    int failed;
} dvec;

static void dv_push2(dvec *d, double x, double y)
{
    if (d->failed)
        return;
    if (d->n + 2 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        double *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->failed = 1;
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    d->v[d->n++] = y;
}

/* One half-plane of Sutherland-Hodgman: keep the side where
 * sign * (coordinate axis) - sign * limit <= 0. */
static void clip_half(const double *in, size_t n, int axis, double limit, int keep_below,
                      dvec *out)
{
    out->n = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = in + 2 * i, *q = in + 2 * ((i + 1) % n);
        double dp = keep_below ? limit - p[axis] : p[axis] - limit;
        double dq = keep_below ? limit - q[axis] : q[axis] - limit;
        int pin = dp >= 0, qin = dq >= 0;
        if (pin)
            dv_push2(out, p[0], p[1]);
        if (pin != qin) {
            double t = dp / (dp - dq);
            double x = p[0] + t * (q[0] - p[0]), y = p[1] + t * (q[1] - p[1]);
            /* land exactly on the edge the point crosses */
            if (axis == 0)
                x = limit;
            else
                y = limit;
            dv_push2(out, x, y);
        }
    }
}

/* Clip an outline to [x0, x1] x [y0, y1] in place (may grow). */
static aug_status clip_polygon(aug_polygon *pg, double x0, double y0, double x1, double y1,
                               aug_error *err)
{
    dvec a = {0}, b = {0};
    const double lim[4] = {x0, x1, y0, y1};
    const double *src = pg->xy;
    size_t n = pg->n;
    for (int e = 0; e < 4 && n > 0; e++) {
        dvec *out = (e & 1) ? &b : &a;
        clip_half(src, n, e / 2, lim[e], e & 1, out);
        if (out->failed)
            break;
        src = out->v;
        n = out->n / 2;
    }
    if (a.failed || b.failed) {
        free(a.v);
        free(b.v);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    /* the last stage wrote b (stages alternate a, b, a, b) */
    double *keep = n && src == b.v ? b.v : n && src == a.v ? a.v : NULL;
    if (keep) {
        free(pg->xy);
        pg->xy = keep;
        pg->n = n;
        if (keep != a.v)
            free(a.v);
        if (keep != b.v)
            free(b.v);
    } else {
        free(a.v);
        free(b.v);
        pg->n = 0;
    }
    return AUG_OK;
}

/* Cut edges longer than `step` for a map that bends lines. */
static aug_status densify(aug_polygon *pg, double step, aug_error *err)
{
    dvec d = {0};
    for (size_t i = 0; i < pg->n; i++) {
        const double *p = pg->xy + 2 * i, *q = pg->xy + 2 * ((i + 1) % pg->n);
        double len = dist(q[0] - p[0], q[1] - p[1]);
        size_t k = len > step ? (size_t)ceil(len / step) : 1;
        if (k > 100000)
            k = 100000;
        for (size_t j = 0; j < k; j++) {
            double t = (double)j / (double)k;
            dv_push2(&d, p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]));
        }
    }
    if (d.failed) {
        free(d.v);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    free(pg->xy);
    pg->xy = d.v;
    pg->n = d.n / 2;
    return AUG_OK;
}

/* Ramer-Douglas-Peucker on a closed outline, dropping vertices within eps
 * of the line of their kept neighbours (after a bending map). */
static void simplify(aug_polygon *pg, double eps)
{
    size_t n = pg->n;
    if (n < 8)
        return;
    unsigned char *keep = calloc(n + 1, 1);
    size_t *stack = malloc(2 * (n + 1) * sizeof *stack);
    if (!keep || !stack) { /* simplifying is optional */
        free(keep);
        free(stack);
        return;
    }
    /* split at vertex 0 and the vertex farthest from it */
    size_t far = 0;
    double best = -1;
    for (size_t i = 1; i < n; i++) {
        double d = dist(pg->xy[2 * i] - pg->xy[0], pg->xy[2 * i + 1] - pg->xy[1]);
        if (d > best) {
            best = d;
            far = i;
        }
    }
    keep[0] = keep[far] = keep[n] = 1;
    size_t sp = 0;
    stack[sp++] = 0;
    stack[sp++] = far;
    stack[sp++] = far;
    stack[sp++] = n;
    while (sp) {
        size_t b = stack[--sp], a = stack[--sp];
        const double *p = pg->xy + 2 * (a % n), *q = pg->xy + 2 * (b % n);
        double dx = q[0] - p[0], dy = q[1] - p[1], len = dist(dx, dy);
        size_t idx = 0;
        double dmax = -1;
        for (size_t i = a + 1; i < b; i++) {
            const double *r = pg->xy + 2 * i;
            double d = len > 0 ? fabs(dx * (r[1] - p[1]) - dy * (r[0] - p[0])) / len
                               : dist(r[0] - p[0], r[1] - p[1]);
            if (d > dmax) {
                dmax = d;
                idx = i;
            }
        }
        if (dmax > eps) {
            keep[idx] = 1;
            stack[sp++] = a;
            stack[sp++] = idx;
            stack[sp++] = idx;
            stack[sp++] = b;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i]) {
            pg->xy[2 * m] = pg->xy[2 * i];
            pg->xy[2 * m + 1] = pg->xy[2 * i + 1];
            m++;
        }
    pg->n = m;
    free(keep);
    free(stack);
}

/* ---- one object's working shape ---- */

typedef struct shape {
    aug_polygon *clip, *full; /* clipped after every step; never clipped */
    size_t n;
    int boxed;                /* made from the box (no polygons of its own) */
    int parity;               /* mirrors so far */
} shape;

static void shape_free(shape *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->clip)
            free(s->clip[i].xy);
        if (s->full)
            free(s->full[i].xy);
    }
    free(s->clip);
    free(s->full);
    *s = (shape){0};
}

static aug_status shape_make(const aug_object *o, aug_box_method m, shape *s, aug_error *err)
{
    *s = (shape){0};
    s->boxed = o->npolys == 0;
    s->n = s->boxed ? 1 : o->npolys;
    s->clip = calloc(s->n, sizeof *s->clip);
    s->full = calloc(s->n, sizeof *s->full);
    if (!s->clip || !s->full)
        goto nomem;
    for (size_t i = 0; i < s->n; i++) {
        size_t k = s->boxed ? (m == AUG_BOX_LARGEST ? 4 : 360) : o->polys[i].n;
        s->clip[i].xy = malloc((k ? k : 1) * 2 * sizeof(double));
        s->full[i].xy = malloc((k ? k : 1) * 2 * sizeof(double));
        if (!s->clip[i].xy || !s->full[i].xy)
            goto nomem;
        if (s->boxed)
            aug_box_outline(o->box, m, s->clip[i].xy);
        else
            memcpy(s->clip[i].xy, o->polys[i].xy, k * 2 * sizeof(double));
        memcpy(s->full[i].xy, s->clip[i].xy, k * 2 * sizeof(double));
        s->clip[i].n = s->full[i].n = k;
    }
    return AUG_OK;
nomem:
    shape_free(s);
    return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
}

static void bounds(const aug_polygon *pg, size_t n, double b[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < pg[i].n; j++) {
            double x = pg[i].xy[2 * j], y = pg[i].xy[2 * j + 1];
            x0 = x < x0 ? x : x0;
            y0 = y < y0 ? y : y0;
            x1 = x > x1 ? x : x1;
            y1 = y > y1 ? y : y1;
        }
    if (!(x1 >= x0 && y1 >= y0)) {
        b[0] = b[1] = b[2] = b[3] = 0;
        return;
    }
    b[0] = x0;
    b[1] = y0;
    b[2] = x1 - x0;
    b[3] = y1 - y0;
}

static double polys_area(const aug_polygon *pg, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++)
        a += aug_polygon_area(pg[i].xy, pg[i].n);
    return a;
}

/* The box of a mask's nonzero pixels and their count. */
static size_t mask_bounds(const aug_image *m, double b[4])
{
    int x0 = m->width, y0 = m->height, x1 = -1, y1 = -1;
    size_t count = 0;
    for (int y = 0; y < m->height; y++) {
        const uint8_t *row = m->data + (size_t)y * (size_t)m->width * (size_t)m->channels;
        for (int x = 0; x < m->width; x++)
            if (row[(size_t)x * (size_t)m->channels]) {
                count++;
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    }
    if (!count) {
        b[0] = b[1] = b[2] = b[3] = 0;
        return 0;
    }
    b[0] = x0;
    b[1] = y0;
    b[2] = x1 + 1 - x0;
    b[3] = y1 + 1 - y0;
    return count;
}

/* ---- a whole image's labels, step by step ---- */

/* The points one step moves: every outline (clipped and full), every
 * keypoint still on the canvas, and a small triangle whose orientation
 * tells whether the step mirrors. */
static aug_status move_step(const aug_op *op, const void *params, const aug_geom *in,
                            const aug_geom *out, aug_labels *l, shape *sh, aug_error *err)
{
    aug_status st = AUG_OK;
    if (op->bends_lines)
        for (size_t o = 0; !st && o < l->n; o++)
            for (size_t i = 0; !st && i < sh[o].n; i++)
                if (!(st = densify(&sh[o].clip[i], 1.0, err)))
                    st = densify(&sh[o].full[i], 1.0, err);
    if (st)
        return st;
    size_t total = 3;
    for (size_t o = 0; o < l->n; o++) {
        for (size_t i = 0; i < sh[o].n; i++)
            total += sh[o].clip[i].n + sh[o].full[i].n;
        for (size_t k = 0; k < l->obj[o].nkps; k++)
            total += l->obj[o].kps[k].v > 0;
    }
    double *xy = malloc(total * 2 * sizeof *xy);
    if (!xy)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    size_t at = 0;
    for (size_t o = 0; o < l->n; o++) {
        for (size_t i = 0; i < sh[o].n; i++) {
            memcpy(xy + 2 * at, sh[o].clip[i].xy, sh[o].clip[i].n * 2 * sizeof *xy);
            at += sh[o].clip[i].n;
            memcpy(xy + 2 * at, sh[o].full[i].xy, sh[o].full[i].n * 2 * sizeof *xy);
            at += sh[o].full[i].n;
        }
        for (size_t k = 0; k < l->obj[o].nkps; k++)
            if (l->obj[o].kps[k].v > 0) {
                xy[2 * at] = l->obj[o].kps[k].x;
                xy[2 * at + 1] = l->obj[o].kps[k].y;
                at++;
            }
    }
    double cx = in->width * 0.5, cy = in->height * 0.5;
    const double probe[6] = {cx, cy, cx + 1, cy, cx, cy + 1};
    memcpy(xy + 2 * at, probe, sizeof probe);
    if ((st = op->map_points(params, in, xy, total, err))) {
        free(xy);
        return st;
    }
    const double *pr = xy + 2 * at;
    double cross = (pr[2] - pr[0]) * (pr[5] - pr[1]) - (pr[3] - pr[1]) * (pr[4] - pr[0]);
    at = 0;
    double W = out->width, H = out->height;
    for (size_t o = 0; !st && o < l->n; o++) {
        aug_object *ob = &l->obj[o];
        if (cross < 0)
            sh[o].parity ^= 1;
        for (size_t i = 0; !st && i < sh[o].n; i++) {
            memcpy(sh[o].clip[i].xy, xy + 2 * at, sh[o].clip[i].n * 2 * sizeof *xy);
            at += sh[o].clip[i].n;
            memcpy(sh[o].full[i].xy, xy + 2 * at, sh[o].full[i].n * 2 * sizeof *xy);
            at += sh[o].full[i].n;
            st = clip_polygon(&sh[o].clip[i], 0, 0, W, H, err);
            if (!st && op->bends_lines) {
                simplify(&sh[o].clip[i], 0.1);
                simplify(&sh[o].full[i], 0.1);
            }
        }
        for (size_t k = 0; k < ob->nkps; k++) {
            aug_keypoint *kp = &ob->kps[k];
            if (kp->v <= 0)
                continue;
            kp->x = xy[2 * at];
            kp->y = xy[2 * at + 1];
            at++;
            /* off the canvas: lost, as COCO writes an unlabelled point */
            if (!(kp->x >= 0 && kp->x < W && kp->y >= 0 && kp->y < H))
                *kp = (aug_keypoint){0, 0, 0};
        }
    }
    free(xy);
    return st;
}

/* Keep or drop object o after its shape is final; fills box and area. */
static int keep_object(aug_object *ob, const shape *s, const aug_label_params *lp, int masked)
{
    double box[4], full[4], vis;
    if (masked) {
        size_t count = mask_bounds(&ob->mask, box);
        if (!count)
            return 0;
        ob->area = (double)count;
        vis = 1.0; /* an object mask has no outside to compare with */
    } else {
        bounds(s->clip, s->n, box);
        bounds(s->full, s->n, full);
        if (s->boxed) {
            double fa = full[2] * full[3];
            vis = fa > 0 ? box[2] * box[3] / fa : 0.0;
            ob->area = box[2] * box[3];
        } else {
            double a = polys_area(s->clip, s->n), fa = polys_area(s->full, s->n);
            vis = fa > 0 ? a / fa : 0.0;
            ob->area = a;
        }
    }
    if (!(box[2] > 0 && box[3] > 0))
        return 0;
    if (box[2] * box[3] < lp->min_area || box[2] < lp->min_size || box[3] < lp->min_size ||
        vis < lp->min_visibility)
        return 0;
    memcpy(ob->box, box, sizeof box);
    return 1;
}

/* Replace the object's polygons by the clipped ones (empty ones left out). */
static void take_polygons(aug_object *ob, shape *s)
{
    if (s->boxed)
        return;
    for (size_t i = 0; i < ob->npolys; i++)
        free(ob->polys[i].xy);
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->clip[i].n >= 3)
            ob->polys[m++] = s->clip[i];
        else
            free(s->clip[i].xy);
        s->clip[i].xy = NULL;
    }
    ob->npolys = m;
}

static void mirror_keypoints(aug_object *ob)
{
    if (!ob->flip || ob->nkps == 0)
        return;
    aug_keypoint tmp[64], *old = ob->nkps <= 64 ? tmp : malloc(ob->nkps * sizeof *old);
    if (!old)
        return;
    memcpy(old, ob->kps, ob->nkps * sizeof *old);
    for (size_t k = 0; k < ob->nkps; k++) {
        int j = ob->flip[k];
        if (j >= 0 && (size_t)j < ob->nkps)
            ob->kps[k] = old[j];
    }
    if (old != tmp)
        free(old);
}

/* Filter and finish every object (shapes final). */
static aug_status finish(aug_labels *l, shape *sh, const aug_label_params *lp, aug_error *err)
{
    size_t m = 0;
    aug_status st = AUG_OK;
    for (size_t o = 0; o < l->n; o++) {
        aug_object *ob = &l->obj[o];
        int masked = ob->mask.data != NULL;
        if (!keep_object(ob, &sh[o], lp, masked)) {
            if (!st)
                st = add_dropped(l, ob->id, err);
            aug_object_free(ob);
            continue;
        }
        if (!masked)
            take_polygons(ob, &sh[o]);
        if (sh[o].parity)
            mirror_keypoints(ob);
        ob->moved = 1;
        l->obj[m++] = *ob;
    }
    l->n = m;
    return st;
}

aug_status aug_labels_transform(const aug_plan *p, const aug_label_params *lp, aug_labels *l,
                                aug_error *err)
{
    int moves = aug_plan_moves_points(p), masks = aug_plan_changes_masks(p, &lp->mask);
    if ((!moves && !masks) || l->n == 0)
        return AUG_OK;
    size_t n0 = l->n;
    shape *sh = calloc(n0, sizeof *sh);
    if (!sh)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    aug_status st = AUG_OK;
    for (size_t o = 0; !st && o < l->n; o++)
        st = shape_make(&l->obj[o], lp->box_method, &sh[o], err);
    size_t nsteps = aug_plan_steps(p);
    for (size_t i = 0; !st && i < nsteps; i++) {
        const aug_op *op;
        const void *params;
        aug_geom in, out;
        aug_plan_step(p, i, &op, &params, &in, &out);
        if (op->map_points)
            st = move_step(op, params, &in, &out, l, sh, err);
    }
    /* object masks: 0/1 images through every step that changes masks */
    aug_mask_opts mo = {0, lp->mask.erase};
    for (size_t o = 0; !st && o < l->n; o++) {
        aug_object *ob = &l->obj[o];
        if (!ob->mask.data)
            continue;
        aug_image moved;
        if (!(st = aug_plan_apply_mask(p, &mo, &ob->mask, &moved, err))) {
            aug_image_free(&ob->mask);
            ob->mask = moved;
        }
    }
    if (!st)
        st = finish(l, sh, lp, err);
    for (size_t o = 0; o < n0; o++)
        shape_free(&sh[o]);
    free(sh);
    return st;
}

/* ---- the image-set methods ---- */

aug_status aug_labels_scale(aug_labels *l, double sx, double sy, int w, int h, aug_error *err)
{
    for (size_t o = 0; o < l->n; o++) {
        aug_object *ob = &l->obj[o];
        ob->box[0] *= sx;
        ob->box[1] *= sy;
        ob->box[2] *= sx;
        ob->box[3] *= sy;
        ob->area *= sx * sy;
        for (size_t i = 0; i < ob->npolys; i++)
            for (size_t j = 0; j < ob->polys[i].n; j++) {
                ob->polys[i].xy[2 * j] *= sx;
                ob->polys[i].xy[2 * j + 1] *= sy;
            }
        for (size_t k = 0; k < ob->nkps; k++)
            if (ob->kps[k].v > 0) {
                ob->kps[k].x *= sx;
                ob->kps[k].y *= sy;
            }
        if (ob->mask.data && (ob->mask.width != w || ob->mask.height != h)) {
            aug_resample_params rp;
            aug_resample_params_default(&rp);
            rp.filter = AUG_FILTER_NEAREST;
            aug_image m;
            aug_status st = aug_resample(&ob->mask, &m, w, h, &rp, err);
            if (st)
                return st;
            aug_image_free(&ob->mask);
            ob->mask = m;
            double b[4];
            ob->area = (double)mask_bounds(&ob->mask, b);
        }
        ob->moved = 1;
    }
    return AUG_OK;
}

static int in_rect(const double r[4], double x, double y)
{
    return x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3];
}

/* Clear a mask inside (outside = 1) or outside (0) of r. */
static void mask_cut(aug_image *m, const double r[4], int inside)
{
    for (int y = 0; y < m->height; y++)
        for (int x = 0; x < m->width; x++)
            if (in_rect(r, x + 0.5, y + 0.5) == inside)
                memset(m->data + ((size_t)y * (size_t)m->width + (size_t)x) * (size_t)m->channels,
                       0, (size_t)m->channels);
}

aug_status aug_labels_keep_rect(aug_labels *l, const double r[4], int outside,
                                const aug_label_params *lp, aug_error *err)
{
    size_t m = 0;
    aug_status st = AUG_OK;
    if (outside) {
        for (size_t o = 0; o < l->n; o++) {
            aug_object *ob = &l->obj[o];
            double ix = fmax(0, fmin(ob->box[0] + ob->box[2], r[0] + r[2]) - fmax(ob->box[0], r[0]));
            double iy = fmax(0, fmin(ob->box[1] + ob->box[3], r[1] + r[3]) - fmax(ob->box[1], r[1]));
            double a = ob->box[2] * ob->box[3], left = a - ix * iy;
            if (!(left > 0) || (a > 0 && left / a < lp->min_visibility)) {
                if (!st)
                    st = add_dropped(l, ob->id, err);
                aug_object_free(ob);
                continue;
            }
            /* under the patch: labelled, no longer visible */
            for (size_t k = 0; k < ob->nkps; k++)
                if (ob->kps[k].v > 0 && in_rect(r, ob->kps[k].x, ob->kps[k].y))
                    ob->kps[k].v = 1;
            if (ob->mask.data) {
                mask_cut(&ob->mask, r, 1);
                double b[4];
                ob->area = (double)mask_bounds(&ob->mask, b);
                ob->moved = 1;
            }
            l->obj[m++] = *ob;
        }
        l->n = m;
        return st;
    }
    size_t n0 = l->n;
    shape *sh = calloc(n0 ? n0 : 1, sizeof *sh);
    if (!sh)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    for (size_t o = 0; !st && o < n0; o++) {
        aug_object *ob = &l->obj[o];
        st = shape_make(ob, AUG_BOX_LARGEST, &sh[o], err);
        for (size_t i = 0; !st && i < sh[o].n; i++)
            st = clip_polygon(&sh[o].clip[i], r[0], r[1], r[0] + r[2], r[1] + r[3], err);
        for (size_t k = 0; k < ob->nkps; k++)
            if (ob->kps[k].v > 0 && !in_rect(r, ob->kps[k].x, ob->kps[k].y))
                ob->kps[k] = (aug_keypoint){0, 0, 0};
        if (ob->mask.data)
            mask_cut(&ob->mask, r, 0);
    }
    if (!st)
        st = finish(l, sh, lp, err);
    for (size_t o = 0; o < n0; o++)
        shape_free(&sh[o]);
    free(sh);
    return st;
}
