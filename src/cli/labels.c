/* Labels on the run loop: for every output, the input's labels (a YOLO
 * file, its COCO annotations, its mask) are read and moved through the
 * output's plan when it is drawn, so that a bad label fails that output
 * before anything is written (a dry run reports it too); the moved label
 * file and mask are made with the image and written with it
 * (cli_write_with); COCO entries are gathered in input order by record and
 * written at the end, one file per run or shard.
 *
 * What an op does to a box is the library's business (aug_labels_transform
 * over each op's map_points); the formats are src/io's (labelfile.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "augment/labelfile.h"
#include "cli/cli.h"

struct cli_labels {
    const cli_common *c;
    aug_label_params lp;
    int *flip;               /* --flip-pairs as a permutation, or NULL */
    aug_yolo_meta meta;
    char *class_files[2];    /* classes.txt, data.yaml found, to copy through */
    char *class_dir_out;     /* where they go */
    aug_coco *coco;
    aug_coco_out *coco_out;
    char *json_path;
    size_t per;
    long first;
    /* counted by record, in order */
    size_t objects, dropped, backgrounds, outputs;
    int failed;
};

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* "a/b/c.jpg" -> "a/b/c" + ext. malloc'd. */
static char *with_ext(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    aug_buf b = {0};
    aug_buf_addf(&b, "%.*s%s", (int)stem, path, ext);
    if (b.failed)
        aug_buf_free(&b);
    return b.data;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* The output's name under OUTPUT (its file name when -o names the file). */
static const char *rel_output(const cli_common *c, const char *out)
{
    size_t n = strlen(c->output);
    if (strcmp(out, c->output) == 0) {
        const char *s = strrchr(out, '/');
        return s ? s + 1 : out;
    }
    if (strncmp(out, c->output, n) == 0) {
        out += n;
        while (*out == '/')
            out++;
    }
    return out;
}

/* An absolute path with "." and ".." resolved by name. malloc'd. */
static char *absolute(const char *p)
{
    aug_buf b = {0};
    if (p[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            return NULL;
        aug_buf_addf(&b, "%s/", cwd);
        free(cwd);
    }
    aug_buf_addf(&b, "%s", p);
    if (b.failed || !b.data) {
        aug_buf_free(&b);
        return NULL;
    }
    char *s = b.data, *o = s;
    for (char *q = s; *q;) {
        while (*q == '/')
            q++;
        char *e = strchr(q, '/');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        if (n == 0)
            break;
        if (n == 1 && q[0] == '.') {
        } else if (n == 2 && q[0] == '.' && q[1] == '.') {
            while (o > s && *--o != '/')
                ;
        } else {
            *o++ = '/';
            memmove(o, q, n);
            o += n;
        }
        q += n;
    }
    if (o == s)
        *o++ = '/';
    *o = '\0';
    return s;
}

/* `path` relative to the folder `dir`, by name. malloc'd. */
static char *relative_to(const char *dir, const char *path)
{
    char *d = absolute(dir), *p = absolute(path);
    aug_buf b = {0};
    if (d && p) {
        /* the longest common run of whole components */
        size_t common = 0;
        for (size_t i = 0;; i++) {
            int dend = d[i] == '\0' || d[i] == '/', pend = p[i] == '\0' || p[i] == '/';
            if (dend && pend)
                common = i;
            if (d[i] != p[i] || !d[i] || !p[i])
                break;
        }
        if (strcmp(d, "/") == 0)
            common = 0;
        for (const char *s = d + common; *s; s++)
            if (*s == '/')
                aug_buf_add(&b, "../", 3);
        aug_buf_addf(&b, "%s", p + common + (p[common] == '/'));
    }
    free(d);
    free(p);
    if (b.failed)
        aug_buf_free(&b);
    return b.data;
}

/* ---- setting up ---- */

/* classes.txt and data.yaml at the top of the labels: -1 out of memory. */
static int find_classes(cli_labels *L, const char *root)
{
    static const char *const names[2] = {"classes.txt", "data.yaml"};
    for (int i = 0; i < 2; i++) {
        char *p = aug_path_join(root, names[i]);
        if (!p)
            return -1;
        if (is_file(p))
            L->class_files[i] = p;
        else
            free(p);
    }
    return 0;
}

static int load_classes(cli_labels *L, const char *path)
{
    aug_error err;
    const char *dot = strrchr(path, '.');
    int yaml = dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);
    aug_status st = yaml ? aug_yolo_read_yaml(path, &L->meta, &err)
                         : aug_yolo_read_classes(path, &L->meta, &err);
    if (st) {
        cli_error(L->c, "%s", err.msg);
        return -1;
    }
    return 0;
}

static char *json_default(const cli_common *c, int single)
{
    aug_buf name = {0};
    const char *given = c->annotations_out;
    if (given && c->shard[1]) { /* FILE.json -> FILE-K-of-N.json */
        const char *slash = strrchr(given, '/'), *dot = strrchr(slash ? slash + 1 : given, '.');
        size_t stem = dot ? (size_t)(dot - given) : strlen(given);
        aug_buf_addf(&name, "%.*s-%lu-of-%lu%s", (int)stem, given, c->shard[0], c->shard[1],
                     dot ? dot : "");
        return name.failed ? (aug_buf_free(&name), NULL) : name.data;
    }
    if (given)
        return strdup(given);
    char *dir = single ? dir_of(c->output) : strdup(c->output);
    if (c->shard[1])
        aug_buf_addf(&name, "annotations-%lu-of-%lu.json", c->shard[0], c->shard[1]);
    else
        aug_buf_addf(&name, "annotations.json");
    char *p = dir && name.data ? aug_path_join(dir, name.data) : NULL;
    free(dir);
    aug_buf_free(&name);
    return p;
}

int cli_labels_wanted(const cli_common *c)
{
    return c->labels != LABELS_NONE || c->masks;
}

int cli_labels_open(const cli_common *c, int nargs, char **args, int single, int pairs,
                    cli_labels **out)
{
    *out = NULL;
    int given = (c->given & COMMON_LABELS) != 0;
#define GIVEN(name) aug_opt_given(cli_common_options, c->given_bits, name)
    if (!given)
        return 0;
    if (c->labels == LABELS_NONE && !c->masks)
        cli_usage_error(c, "--%s needs --labels yolo|coco or --masks DIR",
                        GIVEN("labels-dir") ? "labels-dir" : GIVEN("labels-out") ? "labels-out"
                        : GIVEN("classes") ? "classes" : GIVEN("annotations") ? "annotations"
                        : GIVEN("annotations-out") ? "annotations-out"
                        : GIVEN("masks-out") ? "masks-out" : GIVEN("mask-fill") ? "mask-fill"
                        : GIVEN("erase-masks") ? "erase-masks" : GIVEN("box-method") ? "box-method"
                        : GIVEN("min-visibility") ? "min-visibility"
                        : GIVEN("min-area") ? "min-area" : GIVEN("min-size") ? "min-size"
                        : "flip-pairs");
    if (c->labels != LABELS_YOLO && (c->labels_dir || c->labels_out || c->classes))
        cli_usage_error(c, "--labels-dir, --labels-out and --classes are for --labels yolo");
    if (c->labels != LABELS_COCO && (c->annotations || c->annotations_out))
        cli_usage_error(c, "--annotations and --annotations-out are for --labels coco");
    if (c->labels == LABELS_COCO && !c->annotations)
        cli_usage_error(c, "--labels coco reads --annotations FILE (the inputs' COCO file)");
    if (c->labels == LABELS_NONE &&
        (GIVEN("box-method") || GIVEN("min-visibility") || GIVEN("min-area") ||
         GIVEN("min-size") || GIVEN("flip-pairs")))
        cli_usage_error(c, "--box-method, --min-visibility, --min-area, --min-size and "
                        "--flip-pairs are for --labels yolo|coco");
    if (c->masks && !c->masks_out)
        cli_usage_error(c, "--masks needs --masks-out DIR for the moved masks");
    if (!c->masks && (c->masks_out || GIVEN("mask-fill") || GIVEN("erase-masks")) &&
        !(c->labels == LABELS_COCO && !c->masks_out))
        cli_usage_error(c, "--masks-out, --mask-fill and --erase-masks are for --masks DIR");
    if (c->masks && !is_dir(c->masks))
        cli_usage_error(c, "--masks %s: not a folder", c->masks);
    if (c->labels_dir && !is_dir(c->labels_dir))
        cli_usage_error(c, "--labels-dir %s: not a folder", c->labels_dir);
    if (strcmp(c->output, "-") == 0)
        cli_usage_error(c, "labels and masks need an output file or folder, not -o -");
    for (int i = 0; i < nargs; i++)
        if (strcmp(args[i], "-") == 0)
            cli_usage_error(c, "labels and masks cannot follow an image read from stdin");
    if (c->masks && pairs == 1)
        cli_usage_error(c, "masks cannot be blended (a mixed pixel would have two classes); "
                        "cutmix moves them");
#undef GIVEN
    cli_labels *L = calloc(1, sizeof *L);
    if (!L) {
        cli_error(c, "out of memory");
        return EXIT_SOME_FAILED;
    }
    L->c = c;
    L->meta = (aug_yolo_meta){-1, 0, 0, NULL, 0};
    aug_label_params_default(&L->lp);
    L->lp.box_method = (aug_box_method)c->box_method;
    L->lp.min_visibility = c->min_visibility;
    L->lp.min_area = c->min_area;
    L->lp.min_size = c->min_size;
    L->lp.mask = (aug_mask_opts){(uint8_t)c->mask_fill, c->erase_masks};
    L->per = (size_t)c->copies + (c->include_original != 0);
    L->first = c->include_original ? -1 : 0;
    if (c->nflip_pairs) {
        if (!(L->flip = malloc(CLI_MAX_KEYPOINTS * sizeof *L->flip))) {
            free(L);
            cli_error(c, "out of memory");
            return EXIT_SOME_FAILED;
        }
        for (int i = 0; i < CLI_MAX_KEYPOINTS; i++)
            L->flip[i] = i;
        for (int i = 0; i < c->nflip_pairs; i++) {
            L->flip[c->flip_pairs[2 * i]] = c->flip_pairs[2 * i + 1];
            L->flip[c->flip_pairs[2 * i + 1]] = c->flip_pairs[2 * i];
        }
    }
    *out = L;
    if (c->labels == LABELS_YOLO) {
        /* the class list: --classes, else classes.txt / data.yaml at the
         * top of the labels (--labels-dir, --root or the INPUT folder) */
        const char *root = c->labels_dir ? c->labels_dir : c->root;
        for (int i = 0; !root && i < nargs; i++)
            if (is_dir(args[i]))
                root = args[i];
        if (c->classes && !is_file(c->classes))
            cli_usage_error(c, "--classes %s: no such file", c->classes);
        if (c->classes) { /* the one given is the one copied */
            const char *dot = strrchr(c->classes, '.');
            int yaml = dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);
            if (!(L->class_files[yaml] = strdup(c->classes))) {
                cli_error(c, "out of memory");
                return EXIT_SOME_FAILED;
            }
        } else if (root && find_classes(L, root)) {
            cli_error(c, "out of memory");
            return EXIT_SOME_FAILED;
        }
        const char *list = c->classes ? c->classes
                           : L->class_files[1] ? L->class_files[1] : L->class_files[0];
        if (list && load_classes(L, list))
            return EXIT_SOME_FAILED;
        /* the class list goes to the top of the labels written */
        L->class_dir_out = c->labels_out ? strdup(c->labels_out)
                           : single ? dir_of(c->output) : strdup(c->output);
        if (!L->class_dir_out) {
            cli_error(c, "out of memory");
            return EXIT_SOME_FAILED;
        }
    }
    if (c->labels == LABELS_COCO) {
        aug_error err;
        if (aug_coco_load(c->annotations, L->flip, L->flip ? CLI_MAX_KEYPOINTS : 0, &L->coco,
                          &err)) {
            cli_error(c, "%s", err.msg);
            return EXIT_SOME_FAILED;
        }
        for (size_t i = 0; aug_coco_orphan(L->coco, i); i++) {
            cli_error(c, "%s", aug_coco_orphan(L->coco, i));
            L->failed = 1;
        }
        L->json_path = json_default(c, single);
        if (!L->json_path || aug_coco_out_new(L->coco, &L->coco_out, &err)) {
            cli_error(c, "out of memory");
            return EXIT_SOME_FAILED;
        }
    }
    return 0;
}

const char *cli_labels_json(const cli_labels *L)
{
    return L ? L->json_path : NULL;
}

/* ---- one output ---- */

void cli_label_out_free(cli_label_out *lo)
{
    if (!lo)
        return;
    aug_labels_free(&lo->l);
    free(lo->src_text);
    aug_buf_free(&lo->text);
    free(lo->text_path);
    free(lo->mask_in);
    free(lo->mask_out);
    free(lo->mask_b);
    free(lo);
}

/* The YOLO file of an input, read whole and NUL-terminated; *have = 0
 * when there is none (a background image). */
static aug_status read_yolo(cli_labels *L, const aug_input *in, int w, int h, cli_label_out *lo,
                            aug_error *err)
{
    char *base = L->c->labels_dir ? aug_path_join(L->c->labels_dir, in->rel) : strdup(in->path);
    char *path = base ? with_ext(base, ".txt") : NULL;
    free(base);
    if (!path)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    aug_status st = AUG_OK;
    if (!is_file(path)) {
        lo->have = 0;
    } else {
        uint8_t *buf;
        size_t len;
        if (!(st = aug_read_file(path, &buf, &len, err))) {
            char *t = realloc(buf, len + 1);
            if (!t) {
                free(buf);
                st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
            } else {
                t[len] = '\0';
                lo->src_text = t;
                lo->have = 1;
                st = aug_yolo_parse(t, len, path, w, h, &L->meta,
                                    L->flip ? L->flip : L->meta.flip,
                                    L->flip ? CLI_MAX_KEYPOINTS : L->meta.nflip, &lo->l, err);
            }
        }
    }
    free(path);
    return st;
}

static aug_status read_labels(cli_labels *L, const aug_input *in, int w, int h,
                              cli_label_out *lo, aug_error *err)
{
    if (L->c->labels == LABELS_YOLO)
        return read_yolo(L, in, w, h, lo, err);
    if (L->c->labels == LABELS_COCO) {
        size_t i = aug_coco_find(L->coco, in->rel);
        if (i == (size_t)-1)
            return aug_fail(err, AUG_ERR_FORMAT, "not among the images of %s (file_name %s)",
                            L->c->annotations, in->rel);
        lo->coco_image = i;
        lo->have = 1;
        return aug_coco_labels(L->coco, i, w, h, &lo->l, err);
    }
    return AUG_OK;
}

/* The mask of an input: it must exist and have the image's size (read
 * from its header). */
static aug_status find_mask(cli_labels *L, const aug_input *in, int w, int h, char **path,
                            aug_error *err)
{
    char *base = aug_path_join(L->c->masks, in->rel);
    *path = base ? with_ext(base, ".png") : NULL;
    free(base);
    if (!*path)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    uint8_t *buf;
    size_t len;
    aug_header hd;
    aug_error e;
    aug_status st = aug_read_head(*path, 65536, &buf, &len, &e);
    if (st == AUG_ERR_NOMEM)
        return aug_fail(err, st, "out of memory");
    if (st)
        return aug_fail(err, AUG_ERR_FORMAT, "no mask %s (%s)", *path, e.msg);
    st = aug_probe(buf, len, L->c->max_pixels, &hd, &e);
    free(buf);
    if (st == AUG_ERR_NOMEM)
        return aug_fail(err, st, "out of memory");
    if (st)
        return aug_fail(err, AUG_ERR_FORMAT, "mask %s: %s", *path, e.msg);
    if (hd.width != w || hd.height != h)
        return aug_fail(err, AUG_ERR_FORMAT, "mask %s is %dx%d, the image %dx%d", *path,
                        hd.width, hd.height, w, h);
    return AUG_OK;
}

/* Paths of what goes with the output, and the YOLO text. */
static aug_status finish_out(cli_labels *L, const char *out_path, int w, int h, int weight,
                             cli_label_out *lo, aug_error *err)
{
    const cli_common *c = L->c;
    const char *rel = rel_output(c, out_path);
    lo->w = w;
    lo->h = h;
    if (c->labels == LABELS_YOLO && lo->have) {
        char *base = c->labels_out ? aug_path_join(c->labels_out, rel) : strdup(out_path);
        lo->text_path = base ? with_ext(base, ".txt") : NULL;
        free(base);
        if (!lo->text_path)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        aug_status st = aug_yolo_format(&lo->l, w, h, lo->src_text, L->meta.kpt_dims, weight,
                                        &lo->text, err);
        if (st)
            return st;
    }
    if (c->masks) {
        char *base = aug_path_join(c->masks_out, rel);
        lo->mask_out = base ? with_ext(base, ".png") : NULL;
        free(base);
        if (!lo->mask_out)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    return AUG_OK;
}

static aug_status slot_id(cli_labels *L, int64_t orig, long k, int64_t *id, aug_error *err)
{
    int64_t slot = k - L->first, per = (int64_t)L->per;
    if (orig > ((int64_t)1 << 53) / per || orig < -(((int64_t)1 << 53) / per))
        return aug_fail(err, AUG_ERR_LIMIT, "image id %lld times %lld outputs per image is "
                        "past 2^53", (long long)orig, (long long)per);
    *id = orig * per + slot;
    return AUG_OK;
}

aug_status cli_labels_draw(cli_labels *L, const aug_input *in, long k, int w, int h,
                           const aug_plan *plan, const char *out_path, cli_label_out **out,
                           aug_error *err)
{
    *out = NULL;
    cli_label_out *lo = calloc(1, sizeof *lo);
    if (!lo)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    aug_status st = read_labels(L, in, w, h, lo, err);
    if (!st && L->c->masks)
        st = find_mask(L, in, w, h, &lo->mask_in, err);
    if (!st && plan)
        st = aug_labels_transform(plan, &L->lp, &lo->l, err);
    aug_geom g = {w, h, 0};
    if (plan)
        aug_plan_geometry(plan, &g);
    if (!st && L->coco)
        st = slot_id(L, aug_coco_image_id(L->coco, lo->coco_image), k, &lo->id, err);
    if (!st)
        st = finish_out(L, out_path, g.width, g.height, 0, lo, err);
    if (st) {
        cli_label_out_free(lo);
        return st;
    }
    *out = lo;
    return AUG_OK;
}

/* mixup, SamplePairing (box NULL: both images' objects with their shares)
 * and CutMix (A's objects the patch leaves visible, B's inside it). */
aug_status cli_labels_draw_pair(cli_labels *L, const aug_input *a, const aug_input *b, long k,
                                int aw, int ah, int bw, int bh, double weight,
                                const aug_rect *box, const char *out_path, cli_label_out **out,
                                aug_error *err)
{
    *out = NULL;
    cli_label_out *lo = calloc(1, sizeof *lo), *lb = calloc(1, sizeof *lb);
    if (!lo || !lb) {
        free(lo);
        free(lb);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    aug_status st = read_labels(L, a, aw, ah, lo, err);
    if (!st && L->c->masks)
        st = find_mask(L, a, aw, ah, &lo->mask_in, err);
    if (!st && L->c->masks)
        st = find_mask(L, b, bw, bh, &lb->mask_in, err);
    if (k >= 0) {
        aug_error eb;
        if (!st && (st = read_labels(L, b, bw, bh, lb, &eb)))
            aug_fail(err, st, "partner %s: %s", b->path, eb.msg);
        if (!st)
            st = aug_labels_scale(&lb->l, (double)aw / bw, (double)ah / bh, aw, ah, err);
        if (!st && box) {
            double r[4] = {box->x, box->y, box->w, box->h};
            st = aug_labels_keep_rect(&lo->l, r, 1, &L->lp, err);
            if (!st)
                st = aug_labels_keep_rect(&lb->l, r, 0, &L->lp, err);
            lo->have |= lb->have;
        } else if (!st) {
            for (size_t i = 0; i < lo->l.n; i++) {
                lo->l.obj[i].weight = weight;
                lo->l.obj[i].moved = 1;
            }
            for (size_t i = 0; i < lb->l.n; i++)
                lb->l.obj[i].weight = 1 - weight;
            lo->have |= lb->have;
        }
        if (!st)
            st = aug_labels_append_copy(&lo->l, &lb->l, err);
        /* the manifest names what the patch dropped, of either image */
        for (size_t i = 0; !st && i < lb->l.ndropped; i++) {
            long long *v = realloc(lo->l.dropped, (lo->l.ndropped + 1) * sizeof *v);
            if (!v)
                st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
            else {
                lo->l.dropped = v;
                lo->l.dropped[lo->l.ndropped++] = lb->l.dropped[i];
            }
        }
        if (!st && lb->mask_in && box) {
            lo->mask_b = lb->mask_in;
            lb->mask_in = NULL;
            lo->box = *box;
        }
    }
    if (!st && L->coco)
        st = slot_id(L, aug_coco_image_id(L->coco, lo->coco_image), k, &lo->id, err);
    if (!st)
        st = finish_out(L, out_path, aw, ah, k >= 0 && !box, lo, err);
    lo->weight = k >= 0 && !box;
    cli_label_out_free(lb);
    if (st) {
        cli_label_out_free(lo);
        return st;
    }
    *out = lo;
    return AUG_OK;
}

/* ---- the files written with the output ---- */

static aug_status add_file(cli_files *f, char *path, uint8_t *bytes, size_t len, aug_error *err)
{
    if (!path) {
        free(bytes);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    f->v[f->n++] = (cli_file){path, bytes, len};
    return AUG_OK;
}

static aug_status load_mask(const cli_labels *L, const char *path, int w, int h, aug_image *m,
                            uint8_t **bytes, size_t *len, aug_error *err)
{
    aug_status st = aug_read_file(path, bytes, len, err);
    if (!st)
        st = aug_decode(*bytes, *len, L->c->max_pixels, m, NULL, err);
    if (st) {
        char msg[AUG_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return aug_fail(err, st, "mask %s: %s", path, msg);
    }
    if (m->width != w || m->height != h)
        return aug_fail(err, AUG_ERR_FORMAT, "mask %s is %dx%d, the image %dx%d", path,
                        m->width, m->height, w, h);
    return AUG_OK;
}

aug_status cli_labels_files(cli_labels *L, cli_label_out *lo, const aug_plan *plan, int in_w,
                            int in_h, cli_files *files, aug_error *err)
{
    aug_status st = AUG_OK;
    if (lo->text_path) {
        uint8_t *t = malloc(lo->text.len ? lo->text.len : 1);
        if (!t)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
        memcpy(t, lo->text.data ? lo->text.data : "", lo->text.len);
        if ((st = add_file(files, strdup(lo->text_path), t, lo->text.len, err)))
            return st;
    }
    if (!lo->mask_in)
        return AUG_OK;
    aug_image m = {0}, moved = {0};
    uint8_t *bytes = NULL, *enc = NULL;
    size_t len = 0, n = 0;
    st = load_mask(L, lo->mask_in, in_w, in_h, &m, &bytes, &len, err);
    int changes = plan && aug_plan_changes_masks(plan, &L->lp.mask);
    if (!st && !changes && !lo->mask_b && aug_format_from_path(lo->mask_in) == AUG_FMT_PNG) {
        /* unchanged: the mask's own bytes */
        st = add_file(files, strdup(lo->mask_out), bytes, len, err);
        bytes = NULL;
    } else if (!st) {
        if (changes)
            st = aug_plan_apply_mask(plan, &L->lp.mask, &m, &moved, err);
        else
            moved = m, m = (aug_image){0};
        if (!st && lo->mask_b) { /* CutMix: the partner's mask in the patch */
            aug_image mb = {0}, mbr = {0}, conv = {0};
            uint8_t *bb = NULL;
            size_t bl;
            st = aug_read_file(lo->mask_b, &bb, &bl, err);
            if (!st)
                st = aug_decode(bb, bl, L->c->max_pixels, &mb, NULL, err);
            free(bb);
            if (!st && mb.channels != moved.channels &&
                !(st = aug_convert(&mb, &conv, moved.channels, err))) {
                aug_image_free(&mb);
                mb = conv;
            }
            aug_resample_params rp;
            aug_resample_params_default(&rp);
            rp.filter = AUG_FILTER_NEAREST;
            if (!st)
                st = aug_resample(&mb, &mbr, moved.width, moved.height, &rp, err);
            if (!st)
                st = aug_paste(&moved, &mbr, lo->box, err);
            aug_image_free(&mb);
            aug_image_free(&mbr);
        }
        if (!st)
            st = cli_encode_image(L->c, &moved, AUG_FMT_PNG, &enc, &n, err);
        if (!st)
            st = add_file(files, strdup(lo->mask_out), enc, n, err);
    }
    free(bytes);
    aug_image_free(&m);
    aug_image_free(&moved);
    return st;
}

/* ---- in order: COCO entries, the manifest's column, the counts ---- */

void cli_labels_record(cli_labels *L, cli_label_out *lo, const char *out_path, aug_buf *col)
{
    L->outputs++;
    if (!lo->have && L->c->labels == LABELS_YOLO)
        L->backgrounds++;
    L->objects += lo->l.n;
    L->dropped += lo->l.ndropped;
    if (L->c->labels != LABELS_NONE) {
        aug_buf_addf(col, "objects=%zu", lo->l.n);
        for (size_t i = 0; i < lo->l.ndropped; i++)
            aug_buf_addf(col, "%s%lld", i ? "," : ";dropped=", lo->l.dropped[i]);
    }
    if (col->failed) { /* the manifest would lack what was dropped */
        if (!L->failed)
            cli_error(L->c, "%s: out of memory", out_path);
        L->failed = 1;
    }
    if (L->coco_out) {
        char *dir = dir_of(L->json_path);
        char *name = dir ? relative_to(dir, out_path) : NULL;
        aug_error err;
        if (!name || aug_coco_out_add(L->coco_out, lo->id, name, lo->w, lo->h, lo->coco_image,
                                      &lo->l, lo->weight, &err)) {
            if (!L->failed)
                cli_error(L->c, "%s: %s", L->json_path, name ? err.msg : "out of memory");
            L->failed = 1;
        }
        free(dir);
        free(name);
    }
}

static int copy_file(const cli_common *c, const char *from, const char *dir)
{
    const char *slash = strrchr(from, '/');
    char *to = aug_path_join(dir, slash ? slash + 1 : from);
    uint8_t *buf = NULL;
    size_t len;
    aug_error err;
    int rc = 0;
    if (!to) {
        cli_error(c, "out of memory");
        return -1;
    }
    /* never over itself (labels written where they were read) */
    char *a = cli_canonical(from), *b = cli_canonical(to);
    int same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    if (!same && (aug_read_file(from, &buf, &len, &err) || aug_mkdirs(dir, &err) ||
                  aug_write_file_atomic(to, buf, len, &err))) {
        cli_error(c, "%s: %s", to, err.msg);
        rc = -1;
    }
    free(buf);
    free(to);
    return rc;
}

int cli_labels_finish(cli_labels *L, int wrote_any)
{
    const cli_common *c = L->c;
    int rc = L->failed ? -1 : 0;
    if (!c->dry_run && L->coco_out) {
        aug_error err;
        char *dir = dir_of(L->json_path);
        if (!dir || aug_mkdirs(dir, &err) ||
            aug_coco_out_write(L->coco_out, L->json_path, &err)) {
            cli_error(c, "%s: %s", L->json_path, dir ? err.msg : "out of memory");
            rc = -1;
        }
        free(dir);
    }
    if (!c->dry_run && wrote_any && L->class_dir_out)
        for (int i = 0; i < 2; i++)
            if (L->class_files[i] && copy_file(c, L->class_files[i], L->class_dir_out))
                rc = -1;
    if (c->labels != LABELS_NONE && (L->dropped || L->backgrounds))
        cli_note(c, "labels: %zu objects in %zu outputs, %zu dropped (see the manifest)%s",
                 L->objects, L->outputs, L->dropped,
                 L->backgrounds ? ", some inputs had no label file (backgrounds)" : "");
    return rc;
}

void cli_labels_free(cli_labels *L)
{
    if (!L)
        return;
    aug_yolo_meta_free(&L->meta);
    free(L->class_files[0]);
    free(L->class_files[1]);
    free(L->class_dir_out);
    free(L->flip);
    aug_coco_out_free(L->coco_out);
    aug_coco_free(L->coco);
    free(L->json_path);
    free(L);
}
