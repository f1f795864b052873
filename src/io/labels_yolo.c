/* YOLO labels (include/augment/labelfile.h): one text file per image,
 * "class xc yc w h" per object, normalised to the image's size, with pose
 * points "px py v" after the box (ultralytics' YOLO-pose), and the class
 * list from classes.txt or data.yaml (libyaml). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "augment/labelfile.h"
#include "io/csv_internal.h"
#include "io/fileio.h"

void aug_yolo_meta_free(aug_yolo_meta *m)
{
    free(m->flip);
    *m = (aug_yolo_meta){-1, 0, 0, NULL, 0};
}

aug_status aug_yolo_read_classes(const char *path, aug_yolo_meta *m, aug_error *err)
{
    uint8_t *buf;
    size_t len;
    aug_status st = aug_read_file(path, &buf, &len, err);
    if (st)
        return st;
    /* names, one per line; blank lines at the end do not count */
    long n = 0, lines = 0;
    int blank = 1;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || buf[i] == '\n') {
            lines++;
            if (!blank)
                n = lines;
            blank = 1;
        } else if (buf[i] != '\r' && buf[i] != ' ' && buf[i] != '\t') {
            blank = 0;
        }
    }
    free(buf);
    m->nclasses = n;
    return AUG_OK;
}

/* ---- data.yaml ---- */

/* A scalar as a whole number. */
static int scalar_long(const yaml_node_t *n, long *v)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return -1;
    const char *s = (const char *)n->data.scalar.value;
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || *end)
        return -1;
    *v = x;
    return 0;
}

static aug_status yaml_bad(aug_error *err, const char *path, const char *what)
{
    return aug_fail(err, AUG_ERR_FORMAT, "%s: %s", path, what);
}

aug_status aug_yolo_read_yaml(const char *path, aug_yolo_meta *m, aug_error *err)
{
    uint8_t *buf;
    size_t len;
    aug_status st = aug_read_file(path, &buf, &len, err);
    if (st)
        return st;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        free(buf);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory reading %s", path);
    }
    yaml_parser_set_input_string(&parser, buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        st = aug_fail(err, AUG_ERR_FORMAT, "%s: line %zu, column %zu: %s", path,
                      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                      parser.problem ? parser.problem : "not YAML");
        if (parser.error == YAML_MEMORY_ERROR)
            st = aug_fail(err, AUG_ERR_NOMEM, "out of memory reading %s", path);
        yaml_parser_delete(&parser);
        free(buf);
        return st;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    long nc = -1, names = -1;
    if (root && root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
             !st && p < root->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&doc, p->key);
            yaml_node_t *v = yaml_document_get_node(&doc, p->value);
            if (!k || k->type != YAML_SCALAR_NODE || !v)
                continue;
            const char *key = (const char *)k->data.scalar.value;
            if (strcmp(key, "nc") == 0) {
                if (scalar_long(v, &nc) || nc < 0 || nc > (long)INT_MAX + 1)
                    st = yaml_bad(err, path, "nc is not a class count (a whole number up to 2147483648)");
            } else if (strcmp(key, "names") == 0) {
                if (v->type == YAML_SEQUENCE_NODE) {
                    names = (long)(v->data.sequence.items.top - v->data.sequence.items.start);
                } else if (v->type == YAML_MAPPING_NODE) {
                    /* {0: person, 1: bicycle}: ids 0..max */
                    names = 0;
                    for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
                         q < v->data.mapping.pairs.top; q++) {
                        long id;
                        /* ids past INT_MAX name no real class (and id + 1
                         * must not overflow) */
                        if (scalar_long(yaml_document_get_node(&doc, q->key), &id) || id < 0 ||
                            id > INT_MAX) {
                            st = yaml_bad(err, path, "names: a key is not a class id (0..2147483647)");
                            break;
                        }
                        names = id + 1 > names ? id + 1 : names;
                    }
                } else {
                    st = yaml_bad(err, path, "names is neither a list nor a map of ids");
                }
            } else if (strcmp(key, "kpt_shape") == 0) {
                long a, b;
                if (v->type != YAML_SEQUENCE_NODE ||
                    v->data.sequence.items.top - v->data.sequence.items.start != 2 ||
                    scalar_long(yaml_document_get_node(&doc, v->data.sequence.items.start[0]), &a) ||
                    scalar_long(yaml_document_get_node(&doc, v->data.sequence.items.start[1]), &b) ||
                    a < 1 || a > 10000 || (b != 2 && b != 3))
                    st = yaml_bad(err, path, "kpt_shape is not [points, 2 or 3]");
                else {
                    m->kpt_n = (int)a;
                    m->kpt_dims = (int)b;
                }
            } else if (strcmp(key, "flip_idx") == 0) {
                if (v->type != YAML_SEQUENCE_NODE) {
                    st = yaml_bad(err, path, "flip_idx is not a list of point indices");
                    break;
                }
                size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
                free(m->flip);
                m->flip = malloc((n ? n : 1) * sizeof *m->flip);
                m->nflip = 0;
                if (!m->flip) {
                    st = aug_fail(err, AUG_ERR_NOMEM, "out of memory reading %s", path);
                    break;
                }
                for (size_t i = 0; i < n; i++) {
                    long x;
                    if (scalar_long(yaml_document_get_node(&doc, v->data.sequence.items.start[i]),
                                    &x) || x < 0 || (size_t)x >= n) {
                        st = yaml_bad(err, path, "flip_idx is not a permutation of the points");
                        break;
                    }
                    m->flip[m->nflip++] = (int)x;
                }
            }
        }
    } else {
        st = yaml_bad(err, path, "not a YAML mapping (names:, nc:)");
    }
    if (!st && m->flip && m->kpt_n && (size_t)m->kpt_n != m->nflip)
        st = yaml_bad(err, path, "flip_idx does not have kpt_shape's number of points");
    if (!st)
        m->nclasses = names >= 0 ? names : nc;
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(buf);
    return st;
}

/* ---- reading ---- */

#define MAX_FIELDS 4096

/* Split a line into fields (spaces and tabs); returns how many, -1 when
 * too many. */
static int split(char *line, char **f)
{
    int n = 0;
    for (char *s = line; *s;) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            *s++ = '\0';
        if (!*s)
            break;
        if (n == MAX_FIELDS)
            return -1;
        f[n++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r')
            s++;
    }
    return n;
}

static aug_status parse_line(char *line, const char *name, long lineno, size_t offset, int w,
                             int h, const aug_yolo_meta *m, const int *flip, size_t nflip,
                             char **f, aug_labels *out, aug_error *err)
{
    int n = split(line, f);
    if (n == 0)
        return AUG_OK;
    if (n < 0)
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: more than %d values", name, lineno,
                        MAX_FIELDS);
    char *end;
    long cls = strtol(f[0], &end, 10);
    if (end == f[0] || *end || f[0][0] == '-' || f[0][0] == '+')
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: class '%s' is not a whole number >= 0",
                        name, lineno, f[0]);
    if (m && m->nclasses >= 0 && cls >= m->nclasses)
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: class %ld is not among the %ld classes "
                        "of the class list (0..%ld)", name, lineno, cls, m->nclasses,
                        m->nclasses - 1);
    int dims = m && m->kpt_dims ? m->kpt_dims : 3;
    int extra = n - 5;
    if (n < 5 || extra % dims != 0 || (m && m->kpt_n && extra && extra / dims != m->kpt_n))
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s:%ld: %d values; expected class xc yc w h%s", name, lineno, n,
                        m && m->kpt_n ? " and kpt_shape's points" : ", then x y v per point");
    double v[MAX_FIELDS];
    for (int i = 1; i < n; i++) {
        if (aug_csv_parse_c(f[i], &v[i]))
            return aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: value %d, '%s', is not a number", name,
                            lineno, i + 1, f[i]);
        int is_v = i >= 5 && dims == 3 && (i - 5) % 3 == 2;
        if (is_v ? !(v[i] == 0 || v[i] == 1 || v[i] == 2) : !(v[i] >= 0 && v[i] <= 1))
            return aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: value %d, %s, is outside %s", name,
                            lineno, i + 1, f[i], is_v ? "0, 1, 2 (visibility)" : "0..1");
    }
    if (!(v[3] > 0 && v[4] > 0))
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: the box has no area (w %s, h %s)", name,
                        lineno, f[3], f[4]);
    aug_object o = {.cls = cls, .weight = 1, .id = lineno, .tag = offset};
    o.box[0] = (v[1] - v[3] / 2) * w;
    o.box[1] = (v[2] - v[4] / 2) * h;
    o.box[2] = v[3] * w;
    o.box[3] = v[4] * h;
    o.area = o.box[2] * o.box[3];
    int npts = extra / dims;
    if (npts && flip && (size_t)npts > nflip)
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s:%ld: %d keypoints, but the left/right table (flip_idx or "
                        "--flip-pairs) has %zu",
                        name, lineno, npts, nflip);
    if (npts) {
        if (!(o.kps = calloc((size_t)npts, sizeof *o.kps)))
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        o.nkps = (size_t)npts;
        for (int k = 0; k < npts; k++) {
            const double *p = v + 5 + k * dims;
            int vis = dims == 3 ? (int)p[2] : (p[0] > 0 || p[1] > 0) ? 2 : 0;
            o.kps[k] = (aug_keypoint){p[0] * w, p[1] * h, vis};
        }
        if (flip)
            o.flip = flip;
    }
    return aug_labels_add(out, &o, err);
}

aug_status aug_yolo_parse(const char *text, size_t len, const char *name, int w, int h,
                          const aug_yolo_meta *m, const int *flip, size_t nflip,
                          aug_labels *out, aug_error *err)
{
    char **f = malloc(MAX_FIELDS * sizeof *f);
    if (!f)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    aug_c_locale loc;
    aug_status st = aug_c_locale_enter(&loc, err);
    int entered = st == AUG_OK;
    long lineno = 0;
    size_t at = 0;
    while (!st && at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        lineno++;
        if (memchr(text + at, '\0', n)) {
            st = aug_fail(err, AUG_ERR_FORMAT, "%s:%ld: not text (a NUL byte)", name, lineno);
            break;
        }
        char *line = malloc(n + 1);
        if (!line) {
            st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
            break;
        }
        memcpy(line, text + at, n);
        line[n] = '\0';
        st = parse_line(line, name, lineno, at, w, h, m, flip, nflip, f, out, err);
        free(line);
        at += n + 1;
    }
    if (entered)
        aug_c_locale_leave(&loc);
    free(f);
    return st;
}

/* ---- writing ---- */

static void number(aug_buf *b, double v)
{
    char t[AUG_CSV_NUMBUF];
    if (v == 0)
        v = 0; /* no "-0" */
    aug_csv_format_c(t, v, 0);
    aug_buf_add(b, " ", 1);
    aug_buf_add(b, t, strlen(t));
}

/* A normalised value as YOLO allows it: a box read past the edge (each of
 * its values in 0..1) and written again can come out a rounding step past
 * 1 (31 x 0.9 + 6.2 / 2 over 31), which no reader, ours included, would
 * take. Found by tests/fuzz/fuzz_labels.c. */
static double unit(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

aug_status aug_yolo_format(const aug_labels *l, int w, int h, const char *src, int kpt_dims,
                           int weight, aug_buf *out, aug_error *err)
{
    aug_c_locale loc;
    if (aug_c_locale_enter(&loc, err))
        return AUG_ERR_NOMEM;
    int dims = kpt_dims ? kpt_dims : 3;
    for (size_t i = 0; i < l->n; i++) {
        const aug_object *o = &l->obj[i];
        if (!o->moved && src && !weight) {
            const char *s = src + o->tag, *e = strchr(s, '\n');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (n && s[n - 1] == '\r')
                n--;
            aug_buf_add(out, s, n);
            aug_buf_add(out, "\n", 1);
            continue;
        }
        aug_buf_addf(out, "%ld", o->cls);
        number(out, unit((o->box[0] + o->box[2] / 2) / w));
        number(out, unit((o->box[1] + o->box[3] / 2) / h));
        number(out, unit(o->box[2] / w));
        number(out, unit(o->box[3] / h));
        for (size_t k = 0; k < o->nkps; k++) {
            const aug_keypoint *p = &o->kps[k];
            number(out, p->v > 0 ? unit(p->x / w) : 0);
            number(out, p->v > 0 ? unit(p->y / h) : 0);
            if (dims == 3)
                aug_buf_addf(out, " %d", p->v);
        }
        if (weight)
            number(out, o->weight);
        aug_buf_add(out, "\n", 1);
    }
    aug_c_locale_leave(&loc);
    return out->failed ? aug_fail(err, AUG_ERR_NOMEM, "out of memory") : AUG_OK;
}
