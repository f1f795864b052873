/* The driver for methods that pair images of a class-folder set (mixup,
 * SamplePairing): every image A gets N outputs, each mixing A with a
 * partner B drawn uniformly from the whole set (B != A when the set has
 * more than one image). The partner is decoded when drawn rather than all
 * images being held in memory: the set may be larger than RAM. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

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

static aug_status load(const cli_common *c, const char *path, aug_image *img,
                       aug_error *err)
{
    uint8_t *buf;
    size_t len;
    aug_status st = aug_read_file(path, &buf, &len, err);
    if (!st) {
        st = aug_decode(buf, len, c->max_pixels, img, NULL, err);
        free(buf);
    }
    if (st) {
        /* Name the file: the partner's failure is reported against A. */
        char msg[AUG_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        aug_fail(err, st, "%s: %s", path, msg);
    }
    return st;
}

/* Bring B to A's size and both to a common channel layout: colour if either
 * has colour, alpha if either has alpha (grey + RGB -> RGB). A is converted
 * into *a_conv only when its layout must change; B is replaced in place. */
static aug_status reconcile(const aug_image *a, aug_image *b, aug_image *a_conv,
                            aug_error *err)
{
    int color = aug_image_color_channels(a) == 3 || aug_image_color_channels(b) == 3;
    int alpha = aug_image_has_alpha(a) || aug_image_has_alpha(b);
    int ch = (color ? 3 : 1) + alpha;
    aug_image tmp;
    aug_status st;
    if (a->channels != ch && (st = aug_convert(a, a_conv, ch, err)))
        return st;
    if (b->channels != ch) {
        if ((st = aug_convert(b, &tmp, ch, err)))
            return st;
        aug_image_free(b);
        *b = tmp;
    }
    if (b->width != a->width || b->height != a->height) {
        if ((st = aug_resize(b, &tmp, a->width, a->height, err)))
            return st;
        aug_image_free(b);
        *b = tmp;
    }
    return AUG_OK;
}

/* Flat outputs: "3/0045.png" becomes "3_0045.png". */
static char *flat_name(const char *rel)
{
    char *s = strdup(rel);
    for (char *p = s; p && *p; p++)
        if (*p == '/')
            *p = '_';
    return s;
}

typedef struct pairset {
    aug_input_list list;
    char **classes;   /* distinct, sorted */
    size_t nclasses;
    size_t *class_of; /* per image, index into classes; (size_t)-1 = none */
} pairset;

static void pairset_free(pairset *s)
{
    for (size_t i = 0; i < s->nclasses; i++)
        free(s->classes[i]);
    free(s->classes);
    free(s->class_of);
    aug_inputs_free(&s->list);
}

static int pairset_load(const cli_common *c, const char *dir, int need_class,
                        dev_t odev, ino_t oino, int skip, pairset *s)
{
    aug_error err;
    *s = (pairset){0};
    if (aug_inputs_add(&s->list, dir, skip, odev, oino, &err)) {
        cli_error(c, "%s", err.msg);
        return -1;
    }
    if (s->list.n == 0) {
        cli_error(c, "%s: no images found", dir);
        return -1;
    }
    s->class_of = malloc(s->list.n * sizeof *s->class_of);
    char **names = calloc(s->list.n, sizeof *names);
    if (!s->class_of || !names) {
        free(names);
        cli_error(c, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->list.n; i++) {
        names[i] = class_of(s->list.items[i].rel);
        if (!names[i] && need_class) {
            cli_error(c, "%s: not inside a class folder of %s", s->list.items[i].path, dir);
            for (size_t j = 0; j < i; j++)
                free(names[j]);
            free(names);
            return -1;
        }
    }
    /* Distinct class names, sorted; then each image's index among them. */
    char **sorted = malloc(s->list.n * sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; sorted && i < s->list.n; i++)
        if (names[i])
            sorted[n++] = names[i];
    if (sorted)
        qsort(sorted, n, sizeof *sorted, cmp_str);
    s->classes = malloc((n ? n : 1) * sizeof *s->classes);
    for (size_t i = 0; sorted && s->classes && i < n; i++)
        if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
            s->classes[s->nclasses++] = strdup(sorted[i]);
    for (size_t i = 0; i < s->list.n; i++) {
        s->class_of[i] = (size_t)-1;
        if (names[i] && s->classes) {
            char **hit = bsearch(&names[i], s->classes, s->nclasses, sizeof *s->classes, cmp_str);
            s->class_of[i] = hit ? (size_t)(hit - s->classes) : (size_t)-1;
        }
        free(names[i]);
    }
    free(sorted);
    free(names);
    if (!s->classes) {
        cli_error(c, "out of memory");
        return -1;
    }
    return 0;
}

static aug_status one_output(const cli_common *c, const cli_pair_method *m,
                             const cli_pair_ctx *pc, const aug_image *a,
                             cli_pair_output *po, char **path, char **last_dir,
                             aug_error *err)
{
    aug_image a_conv = {0}, b = {0}, out = {0};
    aug_format fmt;
    aug_status st = load(c, po->b->path, &b, err);
    if (!st)
        st = reconcile(a, &b, &a_conv, err);
    if (!st)
        st = aug_blend(a_conv.data ? &a_conv : a, &b, po->weight, &out, err);
    char *rel = m->flat ? flat_name(po->a->rel) : strdup(po->a->rel);
    if (!st && !rel)
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    if (!st && !(*path = cli_output_path(c, rel, po->copy, &fmt)))
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    if (!st && cli_guard_hits(pc->inputs, *path))
        st = aug_fail(err, AUG_ERR_IO, "refusing to write %s over an input", *path);
    if (!st)
        st = cli_write_image(c, &out, *path, fmt, last_dir, err);
    if (!st && m->record && m->record(m->ctx, pc, po, *path))
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory recording labels");
    free(rel);
    aug_image_free(&a_conv);
    aug_image_free(&b);
    aug_image_free(&out);
    return st;
}

int cli_run_pairs(const cli_common *c, int nargs, char **args, const cli_pair_method *m)
{
    if (nargs != 1)
        cli_usage_error(c, "give one image-set folder (one sub-folder per class)");
    if (!c->output)
        cli_usage_error(c, "missing -o/--output");
    if (strcmp(c->output, "-") == 0)
        cli_usage_error(c, "-o must be a folder for an image set");
    aug_error err;
    struct stat ist;
    if (stat(args[0], &ist) != 0 || !S_ISDIR(ist.st_mode))
        cli_usage_error(c, "%s: not a folder (expected a class-per-folder image set)", args[0]);
    if (aug_mkdirs(c->output, &err)) {
        cli_error(c, "%s: %s", c->output, err.msg);
        return EXIT_SOME_FAILED;
    }
    struct stat ost;
    int skip = stat(c->output, &ost) == 0;
    pairset set;
    if (pairset_load(c, args[0], m->need_class, ost.st_dev, ost.st_ino, skip, &set)) {
        pairset_free(&set);
        return EXIT_SOME_FAILED;
    }
    cli_guard guard;
    if (cli_guard_init(&guard, &set.list)) {
        cli_error(c, "out of memory");
        pairset_free(&set);
        return EXIT_SOME_FAILED;
    }
    if (c->manifest && cli_guard_hits(&guard, c->manifest))
        cli_usage_error(c, "refusing to write %s over one of the inputs", c->manifest);
    cli_pair_ctx pc = {.c = c, .classes = (const char *const *)set.classes,
                       .nclasses = set.nclasses, .inputs = &guard};
    static const char *const header[] = {"output", "input_a", "input_b", "lambda"};
    cli_manifest man;
    size_t failed = 0, n = set.list.n;
    char *last_dir = NULL;
    if (cli_manifest_open(c, &man, header, 4)) {
        cli_guard_free(&guard);
        pairset_free(&set);
        return EXIT_SOME_FAILED;
    }
    for (size_t i = 0; i < n; i++) {
        const aug_input *a_in = &set.list.items[i];
        aug_image a = {0};
        aug_status st = load(c, a_in->path, &a, &err);
        for (long k = 0; !st && k < c->copies; k++) {
            aug_rng rng;
            aug_rng_derive(&rng, c->seed, a_in->rel, (uint64_t)k);
            size_t j = i;
            if (n > 1) {
                j = (size_t)aug_rng_below(&rng, n - 1);
                j += j >= i; /* uniform over the others */
            }
            cli_pair_output po = {.a = a_in, .b = &set.list.items[j],
                                  .class_a = set.class_of[i], .class_b = set.class_of[j],
                                  .copy = k, .weight = m->draw_weight(m->ctx, &rng)};
            char *path = NULL;
            st = one_output(c, m, &pc, &a, &po, &path, &last_dir, &err);
            if (!st) {
                char w[40];
                aug_csv_format_double(w, sizeof w, po.weight, 0);
                const char *row[] = {path, a_in->path, po.b->path, w};
                cli_manifest_row(&man, row, 4);
                if (c->verbose)
                    cli_note(c, "%s + %s -> %s (lambda=%s)", a_in->path, po.b->path, path, w);
            }
            free(path);
        }
        aug_image_free(&a);
        if (st) {
            cli_error(c, "%s: %s", a_in->path, err.msg);
            failed++;
        }
    }
    if (m->finish && m->finish(m->ctx, &pc))
        failed++;
    if (cli_manifest_close(c, &man, 1))
        failed++;
    if (failed)
        cli_error(c, "%zu of %zu inputs failed", failed, n);
    free(last_dir);
    cli_guard_free(&guard);
    pairset_free(&set);
    return failed ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
}
