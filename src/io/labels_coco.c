/* COCO annotations (include/augment/labelfile.h), read and written with
 * jansson: its parser reports the line and column of a syntax error,
 * keeps object keys in their order, tells integers from reals and checks
 * UTF-8; we write the documents ourselves (json_out below) so that reals
 * are the shortest text that reads back to the same double and the bytes
 * are fixed.
 *
 * Coordinates: bbox and polygons are continuous (COCO's corners);
 * keypoints are pixel indices, as detectron2 reads them (0.5 is added
 * when read and taken off when written). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "augment/labelfile.h"
#include "io/csv_internal.h"
#include "io/fileio.h"

typedef struct coco_image {
    json_t *j;
    int64_t id;
    const char *file;
    int w, h;            /* 0 when the entry does not say */
    size_t *ann, nann, cap;
} coco_image;

typedef struct coco_name {
    const char *name;
    size_t image;
} coco_name;

typedef struct coco_cat {
    int64_t id;
    size_t nkps;
    int *flip;           /* nkps entries, or NULL */
} coco_cat;

struct aug_coco {
    json_t *doc;
    char *path;
    coco_image *images;
    size_t nimages;
    coco_name *names;
    json_t **anns;
    size_t nanns;
    coco_cat *cats;
    size_t ncats;
    char **orphans;
    size_t norphans;
    int *user_flip;
    size_t nuser_flip;
};

/* jansson allocates through our malloc, so that allocation failures are
 * ours to see (and tests/e2e/alloc.sh's to inject). Its parser reports a
 * failed allocation as whatever it was reading when it happened (even a
 * syntax error), so a failure is also noted here, per thread. */
static _Thread_local int json_nomem;

static void *coco_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        json_nomem = 1;
    return p;
}

static void coco_free(void *p)
{
    free(p);
}

static void use_our_allocator(void)
{
    json_set_alloc_funcs(coco_malloc, coco_free);
    json_nomem = 0;
}

static const char *norm_name(const char *s)
{
    while (s[0] == '.' && s[1] == '/')
        s += 2;
    while (*s == '/')
        s++;
    return s;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const coco_name *)a)->name, ((const coco_name *)b)->name);
}

static int cmp_cat(const void *a, const void *b)
{
    int64_t x = ((const coco_cat *)a)->id, y = ((const coco_cat *)b)->id;
    return x < y ? -1 : x > y;
}

static const coco_cat *find_cat(const aug_coco *c, int64_t id)
{
    coco_cat key = {id, 0, NULL};
    return bsearch(&key, c->cats, c->ncats, sizeof *c->cats, cmp_cat);
}

typedef struct id_index {
    int64_t id;
    size_t i;
} id_index;

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const id_index *)a)->id, y = ((const id_index *)b)->id;
    return x < y ? -1 : x > y;
}

void aug_coco_free(aug_coco *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nimages; i++)
        free(c->images[i].ann);
    for (size_t i = 0; i < c->ncats; i++)
        free(c->cats[i].flip);
    for (size_t i = 0; i < c->norphans; i++)
        free(c->orphans[i]);
    free(c->orphans);
    free(c->images);
    free(c->names);
    free(c->anns);
    free(c->cats);
    free(c->user_flip);
    free(c->path);
    json_decref(c->doc);
    free(c);
}

/* A left/right table from "flip_pairs" ([[a, b], ...]) or from the
 * keypoint names (each left_X with right_X). */
static aug_status category_flip(aug_coco *c, json_t *cat, coco_cat *cc, aug_error *err)
{
    json_t *names = json_object_get(cat, "keypoints");
    cc->nkps = json_is_array(names) ? json_array_size(names) : 0;
    if (!cc->nkps)
        return AUG_OK;
    int *flip = malloc(cc->nkps * sizeof *flip);
    if (!flip)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < cc->nkps; i++)
        flip[i] = (int)i;
    int any = 0;
    json_t *pairs = json_object_get(cat, "flip_pairs");
    if (pairs) {
        size_t i;
        json_t *p;
        json_array_foreach(pairs, i, p) {
            json_int_t a = json_integer_value(json_array_get(p, 0)),
                       b = json_integer_value(json_array_get(p, 1));
            if (json_array_size(p) != 2 || !json_is_integer(json_array_get(p, 0)) ||
                !json_is_integer(json_array_get(p, 1)) || a < 0 || b < 0 ||
                (size_t)a >= cc->nkps || (size_t)b >= cc->nkps) {
                free(flip);
                return aug_fail(err, AUG_ERR_FORMAT, "%s: category %lld: flip_pairs entry %zu is "
                                "not a pair of keypoint indices 0..%zu", c->path,
                                (long long)cc->id, i, cc->nkps - 1);
            }
            flip[a] = (int)b;
            flip[b] = (int)a;
            any = 1;
        }
    } else {
        for (size_t i = 0; i < cc->nkps; i++) {
            const char *n = json_string_value(json_array_get(names, i));
            const char *l = n ? strstr(n, "left") : NULL, *r = n ? strstr(n, "right") : NULL;
            if (!l && !r)
                continue;
            char want[256];
            if (l)
                snprintf(want, sizeof want, "%.*sright%s", (int)(l - n), n, l + 4);
            else
                snprintf(want, sizeof want, "%.*sleft%s", (int)(r - n), n, r + 5);
            for (size_t j = 0; j < cc->nkps; j++) {
                const char *m = json_string_value(json_array_get(names, j));
                if (m && strcmp(m, want) == 0) {
                    flip[i] = (int)j;
                    any = 1;
                }
            }
        }
    }
    if (any)
        cc->flip = flip;
    else
        free(flip);
    return AUG_OK;
}

static aug_status orphan(aug_coco *c, const char *fmt, long long a, long long b, aug_error *err)
{
    char **v = realloc(c->orphans, (c->norphans + 1) * sizeof *v);
    if (!v)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    c->orphans = v;
    aug_buf m = {0};
    aug_buf_addf(&m, fmt, c->path, a, b);
    if (m.failed)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    c->orphans[c->norphans++] = m.data;
    return AUG_OK;
}

static aug_status load_images(aug_coco *c, aug_error *err)
{
    json_t *images = json_object_get(c->doc, "images");
    if (!json_is_array(images))
        return aug_fail(err, AUG_ERR_FORMAT, "%s: no \"images\" list", c->path);
    size_t n = json_array_size(images);
    c->images = calloc(n ? n : 1, sizeof *c->images);
    c->names = calloc(n ? n : 1, sizeof *c->names);
    if (!c->images || !c->names) /* counted only once there is room to free */
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    c->nimages = n;
    for (size_t i = 0; i < c->nimages; i++) {
        json_t *im = json_array_get(images, i);
        json_t *id = json_object_get(im, "id"), *fn = json_object_get(im, "file_name");
        json_t *w = json_object_get(im, "width"), *h = json_object_get(im, "height");
        if (!json_is_integer(id) || !json_is_string(fn))
            return aug_fail(err, AUG_ERR_FORMAT, "%s: images entry %zu has no integer \"id\" "
                            "and \"file_name\"", c->path, i);
        if ((w && (!json_is_integer(w) || json_integer_value(w) < 1 ||
                   json_integer_value(w) > 1 << 24)) ||
            (h && (!json_is_integer(h) || json_integer_value(h) < 1 ||
                   json_integer_value(h) > 1 << 24)))
            return aug_fail(err, AUG_ERR_FORMAT, "%s: image %lld: width and height must be "
                            "whole numbers 1..16777216", c->path, (long long)json_integer_value(id));
        coco_image *ci = &c->images[i];
        ci->j = im;
        ci->id = json_integer_value(id);
        ci->file = json_string_value(fn);
        ci->w = w ? (int)json_integer_value(w) : 0;
        ci->h = h ? (int)json_integer_value(h) : 0;
        c->names[i] = (coco_name){norm_name(ci->file), i};
    }
    qsort(c->names, c->nimages, sizeof *c->names, cmp_name);
    for (size_t i = 1; i < c->nimages; i++)
        if (strcmp(c->names[i - 1].name, c->names[i].name) == 0)
            return aug_fail(err, AUG_ERR_FORMAT, "%s: images %lld and %lld have the same "
                            "file_name %s", c->path,
                            (long long)c->images[c->names[i - 1].image].id,
                            (long long)c->images[c->names[i].image].id, c->names[i].name);
    return AUG_OK;
}

static aug_status load_categories(aug_coco *c, aug_error *err)
{
    json_t *cats = json_object_get(c->doc, "categories");
    if (cats && !json_is_array(cats))
        return aug_fail(err, AUG_ERR_FORMAT, "%s: \"categories\" is not a list", c->path);
    size_t n = json_array_size(cats);
    c->cats = calloc(n ? n : 1, sizeof *c->cats);
    if (!c->cats)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    c->ncats = n;
    for (size_t i = 0; i < c->ncats; i++) {
        json_t *cat = json_array_get(cats, i), *id = json_object_get(cat, "id");
        if (!json_is_integer(id))
            return aug_fail(err, AUG_ERR_FORMAT, "%s: categories entry %zu has no integer \"id\"",
                            c->path, i);
        c->cats[i].id = json_integer_value(id);
        aug_status st = category_flip(c, cat, &c->cats[i], err);
        if (st)
            return st;
    }
    qsort(c->cats, c->ncats, sizeof *c->cats, cmp_cat);
    for (size_t i = 1; i < c->ncats; i++)
        if (c->cats[i].id == c->cats[i - 1].id)
            return aug_fail(err, AUG_ERR_FORMAT, "%s: category id %lld is given twice", c->path,
                            (long long)c->cats[i].id);
    return AUG_OK;
}

static aug_status load_annotations(aug_coco *c, aug_error *err)
{
    json_t *anns = json_object_get(c->doc, "annotations");
    if (anns && !json_is_array(anns))
        return aug_fail(err, AUG_ERR_FORMAT, "%s: \"annotations\" is not a list", c->path);
    c->nanns = json_array_size(anns);
    c->anns = malloc((c->nanns ? c->nanns : 1) * sizeof *c->anns);
    id_index *ids = malloc((c->nimages ? c->nimages : 1) * sizeof *ids);
    if (!c->anns || !ids) {
        free(ids);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < c->nimages; i++)
        ids[i] = (id_index){c->images[i].id, i};
    qsort(ids, c->nimages, sizeof *ids, cmp_id);
    aug_status st = AUG_OK;
    for (size_t i = 1; !st && i < c->nimages; i++)
        if (ids[i].id == ids[i - 1].id)
            st = aug_fail(err, AUG_ERR_FORMAT, "%s: image id %lld is given twice", c->path,
                          (long long)ids[i].id);
    for (size_t i = 0; !st && i < c->nanns; i++) {
        json_t *a = json_array_get(anns, i);
        c->anns[i] = a;
        json_t *id = json_object_get(a, "id"), *im = json_object_get(a, "image_id");
        if (!json_is_integer(id) || !json_is_integer(im)) {
            st = aug_fail(err, AUG_ERR_FORMAT, "%s: annotations entry %zu has no integer \"id\" "
                          "and \"image_id\"", c->path, i);
            break;
        }
        id_index key = {json_integer_value(im), 0};
        id_index *hit = bsearch(&key, ids, c->nimages, sizeof *ids, cmp_id);
        if (!hit) {
            st = orphan(c, "%s: annotation %lld: image_id %lld is not among the images",
                        (long long)json_integer_value(id), (long long)key.id, err);
            continue;
        }
        coco_image *ci = &c->images[hit->i];
        if (ci->nann == ci->cap) {
            size_t cap = ci->cap ? ci->cap * 2 : 8;
            size_t *v = realloc(ci->ann, cap * sizeof *v);
            if (!v) {
                st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
                break;
            }
            ci->ann = v;
            ci->cap = cap;
        }
        ci->ann[ci->nann++] = i;
    }
    free(ids);
    return st;
}

aug_status aug_coco_load(const char *path, const int *flip, size_t nflip, aug_coco **out,
                         aug_error *err)
{
    *out = NULL;
    use_our_allocator();
    aug_coco *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        free(c);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    if (nflip) {
        if (!(c->user_flip = malloc(nflip * sizeof *flip))) {
            aug_coco_free(c);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        }
        memcpy(c->user_flip, flip, nflip * sizeof *flip);
        c->nuser_flip = nflip;
    }
    uint8_t *buf;
    size_t len;
    aug_status st = aug_read_file(path, &buf, &len, err);
    if (st) {
        aug_coco_free(c);
        if (st == AUG_ERR_NOMEM)
            return st;
        char why[sizeof err->msg];
        memcpy(why, err->msg, sizeof why);
        return aug_fail(err, st, "%s: %s", path, why);
    }
    json_error_t je;
    c->doc = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (!c->doc) {
        st = (json_error_code(&je) == json_error_out_of_memory || json_nomem)
                 ? aug_fail(err, AUG_ERR_NOMEM, "out of memory reading %s", path)
                 : aug_fail(err, AUG_ERR_FORMAT, "%s: line %d, column %d: %s", path, je.line,
                            je.column, je.text);
    } else if (!json_is_object(c->doc)) {
        st = aug_fail(err, AUG_ERR_FORMAT, "%s: not a COCO file (a JSON object with \"images\")",
                      path);
    }
    if (!st)
        st = load_images(c, err);
    if (!st)
        st = load_categories(c, err);
    if (!st)
        st = load_annotations(c, err);
    if (st) {
        aug_coco_free(c);
        return st;
    }
    *out = c;
    return AUG_OK;
}

const char *aug_coco_orphan(const aug_coco *c, size_t i)
{
    return i < c->norphans ? c->orphans[i] : NULL;
}

size_t aug_coco_find(const aug_coco *c, const char *rel)
{
    coco_name key = {norm_name(rel), 0};
    coco_name *hit = bsearch(&key, c->names, c->nimages, sizeof *c->names, cmp_name);
    return hit ? hit->image : (size_t)-1;
}

int64_t aug_coco_image_id(const aug_coco *c, size_t i)
{
    return c->images[i].id;
}

/* ---- one image's objects ---- */

static int number_at(json_t *arr, size_t i, double *v)
{
    json_t *x = json_array_get(arr, i);
    if (!json_is_number(x))
        return -1;
    *v = json_number_value(x);
    return 0;
}

static aug_status ann_fail(const aug_coco *c, json_t *a, aug_error *err, const char *what)
{
    return aug_fail(err, AUG_ERR_FORMAT, "%s: annotation %lld: %s", c->path,
                    (long long)json_integer_value(json_object_get(a, "id")), what);
}

static aug_status read_polygons(const aug_coco *c, json_t *a, json_t *seg, aug_object *o,
                                aug_error *err)
{
    size_t n = json_array_size(seg);
    if (!n)
        return AUG_OK;
    if (!(o->polys = calloc(n, sizeof *o->polys)))
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *pg = json_array_get(seg, i);
        size_t k = json_array_size(pg);
        if (!json_is_array(pg) || k < 6 || k % 2)
            return ann_fail(c, a, err, "a segmentation polygon is not a list of at least 3 x y "
                            "pairs");
        o->npolys = i + 1;
        if (!(o->polys[i].xy = malloc(k * sizeof(double))))
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        o->polys[i].n = k / 2;
        for (size_t j = 0; j < k; j++)
            if (number_at(pg, j, &o->polys[i].xy[j]))
                return ann_fail(c, a, err, "a segmentation polygon holds something not a number");
    }
    return AUG_OK;
}

static aug_status read_rle(const aug_coco *c, json_t *a, json_t *seg, int w, int h,
                           aug_object *o, aug_error *err)
{
    json_t *size = json_object_get(seg, "size"), *counts = json_object_get(seg, "counts");
    if (!json_is_array(size) || json_array_size(size) != 2 ||
        !json_is_integer(json_array_get(size, 0)) || !json_is_integer(json_array_get(size, 1)))
        return ann_fail(c, a, err, "the RLE segmentation has no \"size\": [height, width]");
    json_int_t rh = json_integer_value(json_array_get(size, 0)),
               rw = json_integer_value(json_array_get(size, 1));
    if (rh != h || rw != w) {
        char msg[128];
        snprintf(msg, sizeof msg, "the RLE mask is %lldx%lld, the image %dx%d", (long long)rw,
                 (long long)rh, w, h);
        return ann_fail(c, a, err, msg);
    }
    aug_error e;
    aug_status st;
    if (json_is_string(counts)) {
        st = aug_rle_decode_string(json_string_value(counts), w, h, &o->mask, &e);
    } else if (json_is_array(counts)) {
        size_t n = json_array_size(counts);
        uint32_t *v = malloc((n ? n : 1) * sizeof *v);
        if (!v)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        st = AUG_OK;
        for (size_t i = 0; !st && i < n; i++) {
            json_t *x = json_array_get(counts, i);
            if (!json_is_integer(x) || json_integer_value(x) < 0 ||
                json_integer_value(x) > UINT32_MAX)
                st = aug_fail(&e, AUG_ERR_FORMAT, "the RLE counts are not whole numbers >= 0");
            else
                v[i] = (uint32_t)json_integer_value(x);
        }
        if (!st)
            st = aug_rle_decode_counts(v, n, w, h, &o->mask, &e);
        free(v);
    } else {
        st = aug_fail(&e, AUG_ERR_FORMAT, "the RLE segmentation has no \"counts\"");
    }
    if (st == AUG_ERR_NOMEM)
        return aug_fail(err, st, "out of memory");
    return st ? ann_fail(c, a, err, e.msg) : AUG_OK;
}

static aug_status read_keypoints(const aug_coco *c, json_t *a, const coco_cat *cat,
                                 aug_object *o, aug_error *err)
{
    json_t *kp = json_object_get(a, "keypoints");
    if (!kp)
        return AUG_OK;
    size_t n = json_array_size(kp);
    if (!json_is_array(kp) || n % 3)
        return ann_fail(c, a, err, "keypoints is not a list of x y v triplets");
    if (cat->nkps && n / 3 != cat->nkps) {
        char msg[128];
        snprintf(msg, sizeof msg, "%zu keypoints, its category names %zu", n / 3, cat->nkps);
        return ann_fail(c, a, err, msg);
    }
    if (!n)
        return AUG_OK;
    if (!(o->kps = calloc(n / 3, sizeof *o->kps)))
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    o->nkps = n / 3;
    for (size_t k = 0; k < n / 3; k++) {
        double x, y, v;
        if (number_at(kp, 3 * k, &x) || number_at(kp, 3 * k + 1, &y) ||
            number_at(kp, 3 * k + 2, &v) || !(v == 0 || v == 1 || v == 2))
            return ann_fail(c, a, err, "a keypoint is not x y v with v 0, 1 or 2");
        /* pixel indices to continuous coordinates */
        o->kps[k] = (aug_keypoint){x + 0.5, y + 0.5, (int)v};
    }
    return AUG_OK;
}

static aug_status read_annotation(const aug_coco *c, size_t ai, int w, int h, aug_object *o,
                                  aug_error *err)
{
    json_t *a = c->anns[ai];
    *o = (aug_object){.weight = 1, .tag = ai, .id = json_integer_value(json_object_get(a, "id"))};
    json_t *cid = json_object_get(a, "category_id");
    if (!json_is_integer(cid))
        return ann_fail(c, a, err, "no integer category_id");
    const coco_cat *cat = find_cat(c, json_integer_value(cid));
    if (!cat) {
        char msg[96];
        snprintf(msg, sizeof msg, "category_id %lld is not among the categories",
                 (long long)json_integer_value(cid));
        return ann_fail(c, a, err, msg);
    }
    o->cls = (long)cat->id;
    json_t *bbox = json_object_get(a, "bbox"), *seg = json_object_get(a, "segmentation");
    json_t *crowd = json_object_get(a, "iscrowd"), *area = json_object_get(a, "area");
    if (crowd && !(json_is_integer(crowd) && (json_integer_value(crowd) == 0 ||
                                              json_integer_value(crowd) == 1)))
        return ann_fail(c, a, err, "iscrowd is not 0 or 1");
    if (area && !json_is_number(area))
        return ann_fail(c, a, err, "area is not a number");
    if (bbox && (!json_is_array(bbox) || json_array_size(bbox) != 4 ||
                 number_at(bbox, 0, &o->box[0]) || number_at(bbox, 1, &o->box[1]) ||
                 number_at(bbox, 2, &o->box[2]) || number_at(bbox, 3, &o->box[3]) ||
                 o->box[2] < 0 || o->box[3] < 0))
        return ann_fail(c, a, err, "bbox is not [x, y, width, height] with sizes >= 0");
    aug_status st = AUG_OK;
    if (json_is_array(seg))
        st = read_polygons(c, a, seg, o, err);
    else if (json_is_object(seg))
        st = read_rle(c, a, seg, w, h, o, err);
    else if (seg && !json_is_null(seg))
        st = ann_fail(c, a, err, "segmentation is neither polygons nor an RLE mask");
    if (!st && !bbox && !o->npolys && !o->mask.data)
        st = ann_fail(c, a, err, "no bbox and no segmentation");
    if (!st)
        st = read_keypoints(c, a, cat, o, err);
    if (st)
        return st;
    if (o->nkps)
        o->flip = c->user_flip && c->nuser_flip == o->nkps ? c->user_flip : cat->flip;
    if (!bbox) { /* the box of the outlines or of the mask */
        double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
        for (size_t i = 0; i < o->npolys; i++)
            for (size_t j = 0; j < o->polys[i].n; j++) {
                double x = o->polys[i].xy[2 * j], y = o->polys[i].xy[2 * j + 1];
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
        for (int y = 0; o->mask.data && y < h; y++)
            for (int x = 0; x < w; x++)
                if (o->mask.data[(size_t)y * (size_t)w + (size_t)x]) {
                    x0 = x < x0 ? x : x0;
                    x1 = x + 1 > x1 ? x + 1 : x1;
                    y0 = y < y0 ? y : y0;
                    y1 = y + 1 > y1 ? y + 1 : y1;
                }
        if (x1 >= x0) {
            o->box[0] = x0;
            o->box[1] = y0;
            o->box[2] = x1 - x0;
            o->box[3] = y1 - y0;
        }
    }
    o->area = area ? json_number_value(area) : o->box[2] * o->box[3];
    return AUG_OK;
}

aug_status aug_coco_labels(const aug_coco *c, size_t i, int w, int h, aug_labels *out,
                           aug_error *err)
{
    const coco_image *ci = &c->images[i];
    if ((ci->w && ci->w != w) || (ci->h && ci->h != h))
        return aug_fail(err, AUG_ERR_FORMAT, "%s: image %lld (%s) is %dx%d there, %dx%d here",
                        c->path, (long long)ci->id, ci->file, ci->w, ci->h, w, h);
    for (size_t k = 0; k < ci->nann; k++) {
        aug_object o;
        aug_status st = read_annotation(c, ci->ann[k], w, h, &o, err);
        if (st) {
            aug_object_free(&o);
            return st;
        }
        if ((st = aug_labels_add(out, &o, err)))
            return st;
    }
    return AUG_OK;
}

/* ---- writing: our own serializer, the same for a run and a merge ---- */

static void json_str(aug_buf *b, const char *s, size_t n)
{
    aug_buf_add(b, "\"", 1);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        aug_buf_add(b, s + from, i - from);
        switch (ch) {
        case '"': aug_buf_add(b, "\\\"", 2); break;
        case '\\': aug_buf_add(b, "\\\\", 2); break;
        case '\n': aug_buf_add(b, "\\n", 2); break;
        case '\t': aug_buf_add(b, "\\t", 2); break;
        case '\r': aug_buf_add(b, "\\r", 2); break;
        default: aug_buf_addf(b, "\\u%04x", ch); break;
        }
        from = i + 1;
    }
    aug_buf_add(b, s + from, n - from);
    aug_buf_add(b, "\"", 1);
}

static void put_real(aug_buf *b, double v)
{
    char t[AUG_CSV_NUMBUF];
    if (v == 0)
        v = 0; /* "-0" would read back as the integer 0 */
    aug_csv_format_c(t, v, 0);
    aug_buf_add(b, t, strlen(t));
}

/* depth 0 is the document: each of its keys on a line; the elements of
 * its lists "images" and "annotations" one per line too. */
static void json_out(aug_buf *b, json_t *v, int depth, int lines)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        int first = 1;
        aug_buf_add(b, "{", 1);
        json_object_foreach(v, k, x) {
            aug_buf_add(b, first ? "" : ",", first ? 0 : 1);
            if (depth == 0)
                aug_buf_add(b, "\n", 1);
            first = 0;
            json_str(b, k, strlen(k));
            aug_buf_add(b, ":", 1);
            json_out(b, x, depth + 1,
                     depth == 0 && (strcmp(k, "images") == 0 || strcmp(k, "annotations") == 0));
        }
        aug_buf_add(b, depth == 0 ? "\n}\n" : "}", depth == 0 ? 3 : 1);
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;
        aug_buf_add(b, "[", 1);
        json_array_foreach(v, i, x) {
            if (i)
                aug_buf_add(b, ",", 1);
            if (lines)
                aug_buf_add(b, "\n", 1);
            json_out(b, x, depth + 1, 0);
        }
        aug_buf_add(b, lines && json_array_size(v) ? "\n]" : "]", lines && json_array_size(v) ? 2 : 1);
        break;
    }
    case JSON_STRING:
        json_str(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        aug_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        put_real(b, json_real_value(v));
        break;
    case JSON_TRUE:
        aug_buf_add(b, "true", 4);
        break;
    case JSON_FALSE:
        aug_buf_add(b, "false", 5);
        break;
    default:
        aug_buf_add(b, "null", 4);
        break;
    }
}

/* One output image and its annotations, as JSON. */
typedef struct out_entry {
    int64_t id;
    json_t *image, *anns;
} out_entry;

struct aug_coco_out {
    const aug_coco *src;
    json_t *others;      /* the document's other parts, in order (a merge's) */
    out_entry *v;
    size_t n, cap;
};

aug_status aug_coco_out_new(const aug_coco *src, aug_coco_out **out, aug_error *err)
{
    use_our_allocator();
    *out = calloc(1, sizeof **out);
    if (!*out)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    (*out)->src = src;
    return AUG_OK;
}

void aug_coco_out_free(aug_coco_out *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        json_decref(o->v[i].image);
        json_decref(o->v[i].anns);
    }
    json_decref(o->others);
    free(o->v);
    free(o);
}

static int set(json_t *obj, const char *k, json_t *v)
{
    return v ? json_object_set_new(obj, k, v) : -1;
}

/* The fields of `from` not in `skip`, appended to `to` in their order. */
static int copy_other(json_t *to, json_t *from, const char *const *skip)
{
    const char *k;
    json_t *x;
    json_object_foreach(from, k, x) {
        int known = 0;
        for (const char *const *s = skip; *s; s++)
            known |= strcmp(*s, k) == 0;
        if (!known && json_object_set(to, k, x))
            return -1;
    }
    return 0;
}

static json_t *reals(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_real(v[i] == 0 ? 0 : v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *rle_json(const aug_object *o, json_t *was, aug_error *err)
{
    uint32_t *counts;
    size_t n;
    if (aug_rle_encode(&o->mask, &counts, &n, err))
        return NULL;
    json_t *r = json_object(), *size = json_array();
    int bad = !r || !size || json_array_append_new(size, json_integer(o->mask.height)) ||
              json_array_append_new(size, json_integer(o->mask.width));
    if (!bad && json_is_string(json_object_get(was, "counts"))) {
        aug_buf s = {0};
        /* each set takes its value, also when it fails: all of them run */
        int no_text = aug_rle_encode_string(counts, n, &s) != AUG_OK;
        int no_size = set(r, "size", size);
        bad = no_text | no_size | set(r, "counts", no_text ? NULL : json_string(s.data));
        size = NULL;
        aug_buf_free(&s);
    } else if (!bad) {
        json_t *c = json_array();
        for (size_t i = 0; c && i < n; i++)
            if (json_array_append_new(c, json_integer(counts[i]))) {
                json_decref(c);
                c = NULL;
            }
        int no_size = set(r, "size", size);
        bad = no_size | set(r, "counts", c);
        size = NULL;
    }
    json_decref(size);
    free(counts);
    if (bad) {
        json_decref(r);
        aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return r;
}

static const char *const ann_keys[] = {"id", "image_id", "category_id", "bbox", "area",
                                       "iscrowd", "segmentation", "keypoints", "num_keypoints",
                                       "weight", NULL};

static json_t *annotation(const aug_coco *src, const aug_object *o, int64_t image_id, int weight,
                          aug_error *err)
{
    json_t *was = o->tag < src->nanns ? src->anns[o->tag] : NULL;
    json_t *a = json_object();
    if (!a)
        goto nomem;
    if (set(a, "id", json_integer(0)) || set(a, "image_id", json_integer(image_id)) ||
        set(a, "category_id", json_integer(o->cls)))
        goto nomem;
    json_t *seg = json_object_get(was, "segmentation");
    if (!o->moved) { /* as it was */
        for (const char *const *k = ann_keys + 3; *k; k++) {
            json_t *x = json_object_get(was, *k);
            if (x && strcmp(*k, "weight") != 0 && json_object_set(a, *k, x))
                goto nomem;
        }
        if (!json_object_get(was, "bbox") && set(a, "bbox", reals(o->box, 4)))
            goto nomem;
    } else {
        if (set(a, "bbox", reals(o->box, 4)) || set(a, "area", json_real(o->area)) ||
            set(a, "iscrowd", json_integer(json_integer_value(json_object_get(was, "iscrowd")))))
            goto nomem;
        if (o->mask.data) {
            json_t *r = rle_json(o, seg, err);
            if (!r) { /* rle_json said why */
                json_decref(a);
                return NULL;
            }
            if (set(a, "segmentation", r))
                goto nomem;
        } else if (seg && !json_is_null(seg)) {
            json_t *polys = json_array();
            if (!polys)
                goto nomem;
            for (size_t i = 0; i < o->npolys; i++)
                if (json_array_append_new(polys, reals(o->polys[i].xy, 2 * o->polys[i].n))) {
                    json_decref(polys);
                    goto nomem;
                }
            if (set(a, "segmentation", polys))
                goto nomem;
        }
        if (o->nkps || json_object_get(was, "keypoints")) {
            json_t *kp = json_array();
            long visible = 0;
            for (size_t k = 0; kp && k < o->nkps; k++) {
                const aug_keypoint *p = &o->kps[k];
                visible += p->v > 0;
                if (json_array_append_new(kp, json_real(p->v > 0 ? p->x - 0.5 : 0)) ||
                    json_array_append_new(kp, json_real(p->v > 0 ? p->y - 0.5 : 0)) ||
                    json_array_append_new(kp, json_integer(p->v))) {
                    json_decref(kp);
                    kp = NULL;
                }
            }
            if (set(a, "keypoints", kp) || set(a, "num_keypoints", json_integer(visible)))
                goto nomem;
        }
    }
    if (weight && set(a, "weight", json_real(o->weight)))
        goto nomem;
    if (was && copy_other(a, was, ann_keys))
        goto nomem;
    return a;
nomem:
    json_decref(a);
    aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    return NULL;
}

aug_status aug_coco_out_add(aug_coco_out *o, int64_t id, const char *file_name, int w, int h,
                            size_t src_image, const aug_labels *l, int weight, aug_error *err)
{
    static const char *const image_keys[] = {"id", "file_name", "width", "height", NULL};
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        out_entry *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        o->v = v;
        o->cap = cap;
    }
    json_t *im = json_object(), *anns = json_array();
    if (!im || !anns || set(im, "id", json_integer(id)) ||
        set(im, "file_name", json_string(file_name)) || set(im, "width", json_integer(w)) ||
        set(im, "height", json_integer(h)) ||
        (src_image < o->src->nimages && copy_other(im, o->src->images[src_image].j, image_keys)))
        goto nomem;
    for (size_t i = 0; i < l->n; i++) {
        json_t *a = annotation(o->src, &l->obj[i], id, weight, err);
        if (!a) {
            json_decref(im);
            json_decref(anns);
            return err && err->code == AUG_ERR_NOMEM ? AUG_ERR_NOMEM : AUG_ERR_FORMAT;
        }
        if (json_array_append_new(anns, a))
            goto nomem;
    }
    o->v[o->n++] = (out_entry){id, im, anns};
    return AUG_OK;
nomem:
    json_decref(im);
    json_decref(anns);
    return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
}

static int cmp_entry(const void *a, const void *b)
{
    int64_t x = ((const out_entry *)a)->id, y = ((const out_entry *)b)->id;
    return x < y ? -1 : x > y;
}

/* Sort, number the annotations, and write the document with `others`
 * (the input's parts besides images and annotations, in order). */
static aug_status write_entries(aug_coco_out *o, json_t *others, const char *path,
                                aug_error *err)
{
    if (o->n) /* no entries: perhaps no array at all */
        qsort(o->v, o->n, sizeof *o->v, cmp_entry);
    for (size_t i = 1; i < o->n; i++)
        if (o->v[i].id == o->v[i - 1].id)
            return aug_fail(err, AUG_ERR_ARG, "%s: image id %lld is given twice", path,
                            (long long)o->v[i].id);
    json_t *doc = json_object(), *images = json_array(), *anns = json_array();
    aug_status st = AUG_OK;
    if (!doc || !images || !anns)
        st = AUG_ERR_NOMEM;
    json_int_t next = 1;
    for (size_t i = 0; !st && i < o->n; i++) {
        if (json_array_append(images, o->v[i].image))
            st = AUG_ERR_NOMEM;
        size_t k;
        json_t *a;
        json_array_foreach(o->v[i].anns, k, a) {
            if (st || json_object_set_new(a, "id", json_integer(next++)) ||
                json_array_append(anns, a))
                st = AUG_ERR_NOMEM;
        }
    }
    /* the input's keys in its order, images and annotations in theirs */
    const char *k;
    json_t *x;
    int have_images = 0, have_anns = 0;
    json_object_foreach(others, k, x) {
        if (st)
            break;
        if (strcmp(k, "images") == 0) {
            have_images = 1;
            x = images;
        } else if (strcmp(k, "annotations") == 0) {
            have_anns = 1;
            x = anns;
        }
        if (json_object_set(doc, k, x))
            st = AUG_ERR_NOMEM;
    }
    if (!st && ((!have_images && json_object_set(doc, "images", images)) ||
                (!have_anns && json_object_set(doc, "annotations", anns))))
        st = AUG_ERR_NOMEM;
    aug_buf b = {0};
    aug_c_locale loc;
    if (!st && !aug_c_locale_enter(&loc, NULL)) {
        json_out(&b, doc, 0, 0);
        aug_c_locale_leave(&loc);
        if (b.failed || !b.data)
            st = AUG_ERR_NOMEM;
    } else if (!st) {
        st = AUG_ERR_NOMEM;
    }
    json_decref(doc);
    json_decref(images);
    json_decref(anns);
    if (st) {
        aug_buf_free(&b);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory writing %s", path);
    }
    st = aug_write_file_atomic(path, (const uint8_t *)b.data, b.len, err);
    aug_buf_free(&b);
    return st;
}

aug_status aug_coco_out_write(aug_coco_out *o, const char *path, aug_error *err)
{
    return write_entries(o, o->src->doc, path, err);
}

/* ---- merging the shards' files ---- */

aug_status aug_coco_merge(const char *const *paths, size_t n, const char *out, aug_error *err)
{
    use_our_allocator();
    aug_coco_out *o = calloc(1, sizeof *o);
    if (!o)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    aug_status st = AUG_OK;
    for (size_t f = 0; !st && f < n; f++) {
        uint8_t *buf;
        size_t len;
        if ((st = aug_read_file(paths[f], &buf, &len, err))) {
            if (st != AUG_ERR_NOMEM) {
                char why[sizeof err->msg];
                memcpy(why, err->msg, sizeof why);
                st = aug_fail(err, st, "%s: %s", paths[f], why);
            }
            break;
        }
        json_error_t je;
        json_t *doc = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
        free(buf);
        if (!doc) {
            st = (json_error_code(&je) == json_error_out_of_memory || json_nomem)
                     ? aug_fail(err, AUG_ERR_NOMEM, "out of memory reading %s", paths[f])
                     : aug_fail(err, AUG_ERR_FORMAT, "%s: line %d, column %d: %s", paths[f],
                                je.line, je.column, je.text);
            break;
        }
        json_t *images = json_object_get(doc, "images"), *anns = json_object_get(doc, "annotations");
        if (!json_is_object(doc) || !json_is_array(images) || !json_is_array(anns)) {
            json_decref(doc);
            st = aug_fail(err, AUG_ERR_FORMAT, "%s: not a COCO file with \"images\" and "
                          "\"annotations\" lists", paths[f]);
            break;
        }
        /* the other parts must be the first file's */
        if (!o->others) {
            o->others = json_incref(doc);
        } else {
            const char *k;
            json_t *x;
            json_object_foreach(doc, k, x) {
                if (strcmp(k, "images") == 0 || strcmp(k, "annotations") == 0)
                    continue;
                if (!json_equal(x, json_object_get(o->others, k))) {
                    st = aug_fail(err, AUG_ERR_FORMAT, "%s: its \"%s\" differs from %s's: not "
                                  "shards of one run", paths[f], k, paths[0]);
                    break;
                }
            }
            json_object_foreach(o->others, k, x) {
                if (!st && !json_object_get(doc, k))
                    st = aug_fail(err, AUG_ERR_FORMAT, "%s: no \"%s\", which %s has: not shards "
                                  "of one run", paths[f], k, paths[0]);
            }
        }
        /* images with their annotations (in the file's order, which is
         * image order) */
        size_t i, a = 0, na = json_array_size(anns);
        json_t *im;
        json_array_foreach(images, i, im) {
            if (st)
                break;
            json_t *id = json_object_get(im, "id");
            if (!json_is_integer(id)) {
                st = aug_fail(err, AUG_ERR_FORMAT, "%s: images entry %zu has no integer id",
                              paths[f], i);
                break;
            }
            if (o->n == o->cap) {
                size_t cap = o->cap ? o->cap * 2 : 64;
                out_entry *v = realloc(o->v, cap * sizeof *v);
                if (!v) {
                    st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
                    break;
                }
                o->v = v;
                o->cap = cap;
            }
            json_t *list = json_array();
            if (!list) {
                st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
                break;
            }
            o->v[o->n++] = (out_entry){json_integer_value(id), json_incref(im), list};
            while (!st && a < na &&
                   json_integer_value(json_object_get(json_array_get(anns, a), "image_id")) ==
                       json_integer_value(id))
                if (json_array_append(list, json_array_get(anns, a++)))
                    st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        }
        if (!st && a != na)
            st = aug_fail(err, AUG_ERR_FORMAT, "%s: annotation %lld is out of image order (not "
                          "a file written by augment)", paths[f],
                          (long long)json_integer_value(json_object_get(json_array_get(anns, a),
                                                                        "id")));
        json_decref(doc);
    }
    if (!st && !o->others)
        st = aug_fail(err, AUG_ERR_ARG, "no files to merge");
    if (!st)
        st = write_entries(o, o->others, out, err);
    aug_coco_out_free(o);
    return st;
}
