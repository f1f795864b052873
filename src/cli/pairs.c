/* The image-set job for methods that pair images of a class-folder set
 * (mixup, SamplePairing, CutMix): every image A gets N outputs, each mixing A with
 * a partner B drawn uniformly from the whole set (B != A when the set has
 * more than one image), on the run loop.
 *
 * Every member of the set is decoded once before any output is made: a
 * file that does not decode is reported once and left out of the partner
 * pool, so it cannot make the images that would have drawn it fail too.
 * Decoded members are kept in memory up to CACHE_BYTES; past that, a
 * member is decoded again when it is used. A shard draws partners from the
 * whole set, so the union of the shards is the single run. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#define CACHE_BYTES ((size_t)1 << 30)

typedef struct member {
    aug_status st;
    char *msg;
    aug_image image;  /* cached; empty when over the budget */
    int width, height;
    size_t cls;       /* index into classes; (size_t)-1 = none */
} member;

typedef struct label_row {
    char *file;
    size_t a, b;
    double weight;
} label_row;

typedef struct pairs {
    const cli_common *c;
    const cli_pair_method *m;
    aug_input_list set;     /* every image of the set */
    member *members;
    aug_input_list pool;    /* the members that decode (items borrowed from set) */
    size_t *pool_member;    /* pool index -> set index */
    char **classes;
    size_t nclasses;
    pthread_mutex_t mu;
    size_t cached;
    label_row *rows;
    size_t nrows, cap;
    int out_of_memory;
    char lambda[40];
    char box[64];
    cli_labels *labels;     /* detection labels and masks, when given */
} pairs;

typedef struct pair_plan {
    size_t b;      /* pool index of the partner (A itself for the original) */
    double weight;
    int original;  /* --include-original: A unchanged, its one-hot label */
    aug_rect box;  /* CutMix: the region taken from B */
    cli_label_out *lo;
    aug_buf col;
} pair_plan;

/* The class of an image is the first folder of its path under the set. */
static char *class_of(const char *rel)
{
    const char *slash = strchr(rel, '/');
    return slash ? strndup(rel, (size_t)(slash - rel)) : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static aug_status load(const pairs *p, size_t m, aug_image *img, aug_error *err)
{
    const char *path = p->set.items[m].path;
    uint8_t *buf;
    size_t len;
    aug_status st = aug_read_file(path, &buf, &len, err);
    if (!st) {
        st = aug_decode(buf, len, p->c->max_pixels, img, NULL, err);
        free(buf);
    }
    return st;
}

/* A dry run reads headers only: a member is in the pool when its header
 * reads (a file with a good header and a broken body is the one case
 * where the dry run and the real run differ). */
static aug_status probe(pairs *p, size_t m, aug_error *err)
{
    uint8_t *buf;
    size_t len;
    aug_header h = {0};
    aug_status st = aug_read_head(p->set.items[m].path, 65536, &buf, &len, err);
    if (!st) {
        st = aug_probe(buf, len, p->c->max_pixels, &h, err);
        free(buf);
    }
    if (st == AUG_ERR_FORMAT && len == 65536) { /* a header past the first 64 KiB */
        if (!(st = aug_read_file(p->set.items[m].path, &buf, &len, err))) {
            st = aug_probe(buf, len, p->c->max_pixels, &h, err);
            free(buf);
        }
    }
    p->members[m].width = h.width;
    p->members[m].height = h.height;
    return st;
}

static void decode_member(void *arg, size_t i)
{
    pairs *p = arg;
    member *mb = &p->members[i];
    aug_error err;
    aug_image img = {0};
    if (p->c->dry_run) {
        if ((mb->st = probe(p, i, &err)))
            mb->msg = strdup(err.msg);
        return;
    }
    mb->st = load(p, i, &img, &err);
    if (mb->st) {
        mb->msg = strdup(err.msg);
        return;
    }
    mb->width = img.width;
    mb->height = img.height;
    size_t size = aug_image_size(&img);
    pthread_mutex_lock(&p->mu);
    int keep = p->cached + size <= CACHE_BYTES;
    if (keep)
        p->cached += size;
    pthread_mutex_unlock(&p->mu);
    if (keep)
        mb->image = img;
    else
        aug_image_free(&img);
}

/* A member's pixels: the cached ones, or decoded again into *tmp. */
static aug_status member_image(const pairs *p, size_t m, aug_image *tmp, const aug_image **img,
                               aug_error *err)
{
    if (p->members[m].image.data) {
        *img = &p->members[m].image;
        return AUG_OK;
    }
    aug_status st = load(p, m, tmp, err);
    *img = tmp;
    return st;
}

/* Bring B to A's size and both to a common channel layout: colour if either
 * has colour, alpha if either has alpha (grey + RGB -> RGB). Converted
 * copies go to *a_conv / *b_conv only when a layout or size must change;
 * *a_use / *b_use point at what to blend. */
static aug_status reconcile(const aug_image *a, const aug_image *b, aug_image *a_conv,
                            aug_image *b_conv, const aug_image **a_use,
                            const aug_image **b_use, aug_error *err)
{
    int color = aug_image_color_channels(a) == 3 || aug_image_color_channels(b) == 3;
    int alpha = aug_image_has_alpha(a) || aug_image_has_alpha(b);
    int ch = (color ? 3 : 1) + alpha;
    aug_image tmp = {0};
    aug_status st;
    *a_use = a;
    *b_use = b;
    if (a->channels != ch) {
        if ((st = aug_convert(a, a_conv, ch, err)))
            return st;
        *a_use = a_conv;
    }
    if (b->channels != ch) {
        if ((st = aug_convert(b, &tmp, ch, err)))
            return st;
        b = &tmp;
    }
    if (b->width != a->width || b->height != a->height) {
        st = aug_resize(b, b_conv, a->width, a->height, err);
        aug_image_free(&tmp);
        *b_use = b_conv;
        return st;
    }
    if (tmp.data) {
        *b_conv = tmp;
        *b_use = b_conv;
    }
    return AUG_OK;
}

/* Flat outputs: "3/0045.png" becomes "3_0045.png". */
static char *flat_name(const char *rel)
{
    char *s = strdup(rel);
    for (char *q = s; q && *q; q++)
        if (*q == '/')
            *q = '_';
    return s;
}

static aug_status output(void *ctx, size_t i, long k, char **path, aug_format *fmt,
                         aug_error *err)
{
    pairs *p = ctx;
    const char *rel = p->pool.items[i].rel;
    char *flat = p->m->flat ? flat_name(rel) : NULL;
    *path = (!p->m->flat || flat) ? cli_output_path(p->c, flat ? flat : rel, k, fmt) : NULL;
    free(flat);
    return *path ? AUG_OK : aug_fail(err, AUG_ERR_NOMEM, "out of memory");
}

static void plan_free(void *plan);

/* Both images' labels, A's size: mixup's and SamplePairing's with their
 * shares, CutMix's clipped to the patch and to what it leaves. */
static aug_status pair_labels(pairs *p, size_t i, long k, pair_plan *pp, aug_error *err)
{
    const member *a = &p->members[p->pool_member[i]], *b = &p->members[p->pool_member[pp->b]];
    char *path = NULL;
    aug_format fmt;
    aug_status st = output(p, i, k, &path, &fmt, err);
    if (!st)
        st = cli_labels_draw_pair(p->labels, &p->pool.items[i], &p->pool.items[pp->b], k,
                                  a->width, a->height, b->width, b->height, pp->weight,
                                  p->m->draw_box ? &pp->box : NULL, path, &pp->lo, err);
    free(path);
    return st;
}

static aug_status draw(void *ctx, size_t i, long k, const cli_source *src, void **plan,
                       aug_error *err)
{
    pairs *p = ctx;
    (void)src;
    pair_plan *pp = calloc(1, sizeof *pp);
    if (!pp)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    const member *ma = &p->members[p->pool_member[i]];
    if (k < 0) {
        *pp = (pair_plan){i, 1.0, 1, {0, 0, 0, 0}, NULL, {0}};
        *plan = pp;
        return p->labels ? pair_labels(p, i, k, pp, err) : AUG_OK;
    }
    aug_rng rng;
    aug_rng_derive(&rng, p->c->seed, cli_input_key(&p->pool.items[i]), (uint64_t)k);
    size_t n = p->pool.n, j = i;
    if (n > 1) {
        j = (size_t)aug_rng_below(&rng, n - 1);
        j += j >= i; /* uniform over the others */
    }
    pp->b = j;
    pp->weight = p->m->draw_weight(p->m->ctx, &rng);
    pp->original = 0;
    pp->box = (aug_rect){0, 0, 0, 0};
    if (p->m->draw_box)
        p->m->draw_box(p->m->ctx, &rng, ma->width, ma->height, &pp->weight, &pp->box);
    *plan = pp;
    return p->labels ? pair_labels(p, i, k, pp, err) : AUG_OK;
}

static aug_status make(void *ctx, size_t i, void *plan, const cli_source *src, aug_image *out,
                       int *same, cli_encoded *enc, cli_files *files, aug_error *err)
{
    (void)enc;
    pairs *p = ctx;
    const pair_plan *pp = plan;
    (void)src;
    if (pp->lo) {
        const member *a = &p->members[p->pool_member[i]];
        aug_status st = cli_labels_files(p->labels, pp->lo, NULL, a->width, a->height, files,
                                         err);
        if (st)
            return st;
    }
    if (pp->original) { /* the run loop writes the input's own bytes */
        *same = 1;
        return AUG_OK;
    }
    aug_image ta = {0}, tb = {0}, a_conv = {0}, b_conv = {0};
    const aug_image *a, *b, *a_use, *b_use;
    aug_status st = member_image(p, p->pool_member[i], &ta, &a, err);
    if (!st && (st = member_image(p, p->pool_member[pp->b], &tb, &b, err))) {
        char msg[AUG_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        aug_fail(err, st, "%s: %s", p->pool.items[pp->b].path, msg);
    }
    if (!st)
        st = reconcile(a, b, &a_conv, &b_conv, &a_use, &b_use, err);
    if (!st)
        st = p->m->mix ? p->m->mix(p->m->ctx, a_use, b_use, pp->weight, pp->box, out, err)
                       : aug_blend(a_use, b_use, pp->weight, out, err);
    aug_image_free(&ta);
    aug_image_free(&tb);
    aug_image_free(&a_conv);
    aug_image_free(&b_conv);
    return st;
}

static void record(void *ctx, size_t i, long k, void *plan, const char *path,
                   const char **cols, aug_buf *verbose)
{
    pairs *p = ctx;
    const pair_plan *pp = plan;
    (void)k;
    aug_csv_format_double(p->lambda, sizeof p->lambda, pp->weight, 0);
    cols[0] = path;
    cols[1] = p->pool.items[i].path;
    cols[2] = pp->original ? "" : p->pool.items[pp->b].path;
    cols[3] = p->lambda;
    if (p->m->draw_box) {
        if (pp->original)
            p->box[0] = '\0';
        else
            snprintf(p->box, sizeof p->box, "%d,%d,%d,%d", pp->box.x, pp->box.y, pp->box.w,
                     pp->box.h);
        cols[4] = p->box;
    }
    if (p->labels) {
        pair_plan *mp = plan;
        if (mp->lo)
            cli_labels_record(p->labels, mp->lo, path, &mp->col);
        cols[p->m->draw_box ? 5 : 4] = mp->col.data ? mp->col.data : "";
    }
    if (pp->original)
        aug_buf_addf(verbose, "%s -> %s (original)", cols[1], path);
    else
        aug_buf_addf(verbose, "%s + %s -> %s (lambda=%s)", cols[1], cols[2], path, p->lambda);
    if (!p->m->labels)
        return;
    if (p->nrows == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        label_row *r = realloc(p->rows, cap * sizeof *r);
        if (!r) {
            p->out_of_memory = 1;
            return;
        }
        p->rows = r;
        p->cap = cap;
    }
    const char *slash = strrchr(path, '/');
    char *file = strdup(slash ? slash + 1 : path);
    if (!file) {
        p->out_of_memory = 1;
        return;
    }
    p->rows[p->nrows++] = (label_row){file, p->members[p->pool_member[i]].cls,
                                      p->members[p->pool_member[pp->b]].cls, pp->weight};
}

static void plan_free(void *plan)
{
    pair_plan *pp = plan;
    if (pp) {
        cli_label_out_free(pp->lo);
        aug_buf_free(&pp->col);
    }
    free(pp);
}

/* labels.csv: file, then one soft-label column per class, summing to 1. */
static int write_labels(pairs *p, const char *path)
{
    const cli_common *c = p->c;
    aug_error err;
    aug_atomic out;
    size_t k = p->nclasses;
    const char **fields = calloc(k + 1, sizeof *fields);
    char *nums = malloc((k + 1) * 32);
    int rc = -1;
    if (p->out_of_memory || !fields || !nums) {
        cli_error(c, "%s: out of memory", path);
        goto done;
    }
    if (aug_mkdirs(c->output, &err) || aug_atomic_open(&out, path, &err)) {
        cli_error(c, "%s: %s", path, err.msg);
        goto done;
    }
    fields[0] = "file";
    for (size_t j = 0; j < k; j++)
        fields[j + 1] = p->classes[j];
    aug_csv_write_record(out.fp, ',', fields, k + 1, NULL);
    for (size_t i = 0; i < p->nrows; i++) {
        const label_row *r = &p->rows[i];
        fields[0] = r->file;
        for (size_t j = 0; j < k; j++) {
            double v = (j == r->a ? r->weight : 0.0) + (j == r->b ? 1.0 - r->weight : 0.0);
            aug_csv_format_double(nums + j * 32, 32, v, c->precision);
            fields[j + 1] = nums + j * 32;
        }
        aug_csv_write_record(out.fp, ',', fields, k + 1, NULL);
    }
    if (aug_atomic_commit(&out, 1, &err))
        cli_error(c, "%s: %s", path, err.msg);
    else
        rc = 0;
done:
    free(fields);
    free(nums);
    return rc;
}

/* Classes: the distinct first folders, sorted; each member's index. */
static int find_classes(pairs *p, const char *dir)
{
    size_t n = p->set.n;
    char **names = calloc(n ? n : 1, sizeof *names);
    char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    p->classes = malloc((n ? n : 1) * sizeof *p->classes);
    if (!names || !sorted || !p->classes) {
        free(names);
        free(sorted);
        cli_error(p->c, "out of memory");
        return -1;
    }
    size_t ns = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        names[i] = class_of(p->set.items[i].rel);
        if (!names[i] && strchr(p->set.items[i].rel, '/')) {
            cli_error(p->c, "out of memory");
            rc = -1;
        } else if (names[i])
            sorted[ns++] = names[i];
        else if (p->m->need_class) {
            cli_error(p->c, "%s: not inside a class folder of %s", p->set.items[i].path, dir);
            rc = -1;
        }
    }
    qsort(sorted, ns, sizeof *sorted, cmp_str);
    for (size_t i = 0; rc == 0 && i < ns; i++)
        if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0) {
            if (!(p->classes[p->nclasses] = strdup(sorted[i]))) {
                cli_error(p->c, "out of memory");
                rc = -1;
            } else {
                p->nclasses++;
            }
        }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        p->members[i].cls = (size_t)-1;
        char **hit = names[i] ? bsearch(&names[i], p->classes, p->nclasses, sizeof *p->classes,
                                        cmp_str)
                              : NULL;
        if (hit)
            p->members[i].cls = (size_t)(hit - p->classes);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(sorted);
    return rc;
}

static void pairs_free(pairs *p)
{
    for (size_t i = 0; p->members && i < p->set.n; i++) {
        free(p->members[i].msg);
        aug_image_free(&p->members[i].image);
    }
    for (size_t i = 0; i < p->nclasses; i++)
        free(p->classes[i]);
    for (size_t i = 0; i < p->nrows; i++)
        free(p->rows[i].file);
    free(p->rows);
    free(p->classes);
    free(p->members);
    free(p->pool.items);
    free(p->pool_member);
    aug_inputs_free(&p->set);
    pthread_mutex_destroy(&p->mu);
}

static char *labels_path(const cli_common *c)
{
    char name[96];
    if (c->shard[1])
        snprintf(name, sizeof name, "labels-%lu-of-%lu.csv", c->shard[0], c->shard[1]);
    else
        snprintf(name, sizeof name, "labels.csv");
    return aug_path_join(c->output, name);
}

int cli_run_pairs(const cli_common *c, int nargs, char **args, const cli_pair_method *method)
{
    /* Detection and segmentation sets keep their labels in files, not in
     * class folders: the outputs then keep A's place and name, with its
     * label file, and no labels.csv is written. */
    cli_pair_method with_labels = *method;
    const cli_pair_method *m = method;
    if (cli_labels_wanted(c)) {
        with_labels.need_class = with_labels.flat = with_labels.labels = 0;
        m = &with_labels;
    }
    if (nargs != 1)
        cli_usage_error(c, "give one image-set folder (one sub-folder per class)");
    if (!c->output)
        cli_usage_error(c, "missing -o/--output");
    if (strcmp(c->output, "-") == 0)
        cli_usage_error(c, "-o must be a folder for an image set");
    struct stat ist, ost;
    if (stat(args[0], &ist) != 0 || !S_ISDIR(ist.st_mode))
        cli_usage_error(c, "%s: not a folder (expected a class-per-folder image set)", args[0]);
    int out_exists = stat(c->output, &ost) == 0;
    if (out_exists && !S_ISDIR(ost.st_mode))
        cli_usage_error(c, "-o %s: not a folder", c->output);
    pairs p = {.c = c, .m = m};
    pthread_mutex_init(&p.mu, NULL);
    aug_error err;
    int rc = EXIT_SOME_FAILED;
    char *labels = m->labels ? labels_path(c) : NULL;
    if (m->labels && !labels) {
        cli_error(c, "out of memory");
        pthread_mutex_destroy(&p.mu);
        return EXIT_SOME_FAILED;
    }
    aug_folder_id skip[CLI_MAX_SKIP];
    size_t nskip = cli_skip_folders(c, out_exists ? &ost : NULL, skip);
    if (aug_inputs_add(&p.set, args[0], skip, nskip, &err)) {
        cli_error(c, "%s", err.msg);
        goto done;
    }
    cli_input_notes(c, &p.set);
    if (p.set.n == 0) {
        cli_no_images(c, &p.set);
        goto done;
    }
    p.members = calloc(p.set.n, sizeof *p.members);
    p.pool.items = malloc(p.set.n * sizeof *p.pool.items);
    p.pool_member = malloc(p.set.n * sizeof *p.pool_member);
    if (!p.members || !p.pool.items || !p.pool_member) {
        cli_error(c, "out of memory");
        goto done;
    }
    if (find_classes(&p, args[0]))
        goto done;
    if ((rc = cli_labels_open(c, nargs, args, 0, m->draw_box ? 2 : 1, &p.labels))) {
        rc = rc == EXIT_ALL_DONE ? EXIT_SOME_FAILED : rc;
        goto done;
    }
    rc = EXIT_SOME_FAILED;
    cli_parallel(c->jobs, p.set.n, decode_member, &p);
    size_t bad = 0;
    for (size_t i = 0; i < p.set.n; i++) {
        const aug_input *in = &p.set.items[i];
        if (p.members[i].st == AUG_OK) {
            p.pool_member[p.pool.n] = i;
            p.pool.items[p.pool.n++] = *in;
        } else if (cli_in_shard(c, in->rel)) {
            cli_error(c, "%s: %s", in->path, p.members[i].msg);
            bad++;
        }
    }
    if (p.pool.n == 0) {
        cli_error(c, "%zu of %zu inputs failed: no image of %s decodes", bad, bad, args[0]);
        goto done;
    }
    const char *extra[] = {labels, cli_labels_json(p.labels)};
    static const char *const header[] = {"output", "input_a", "input_b", "lambda", "box",
                                         "labels"};
    static const char *const header_nobox[] = {"output", "input_a", "input_b", "lambda",
                                               "labels"};
    cli_job job = {.ctx = &p, .header = m->draw_box ? header : header_nobox,
                   .ncols = (m->draw_box ? 5 : 4) + (p.labels != NULL), .decodes = 0,
                   .output = output,
                   .draw = draw, .make = make, .record = record, .plan_free = plan_free,
                   .extra = extra + !labels, .nextra = (labels != NULL) + (extra[1] != NULL)};
    cli_run_result res;
    rc = cli_run(c, &p.pool, bad, &job, &res);
    if (labels && !c->dry_run && write_labels(&p, labels) && rc == EXIT_ALL_DONE)
        rc = EXIT_SOME_FAILED;
    if (p.labels && !res.interrupted && !res.fatal &&
        cli_labels_finish(p.labels, res.outputs + res.existing > 0) && rc == EXIT_ALL_DONE)
        rc = EXIT_SOME_FAILED;
done:
    free(labels);
    cli_labels_free(p.labels);
    pairs_free(&p);
    return rc;
}
