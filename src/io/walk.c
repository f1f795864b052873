/* Turning INPUT arguments into a list of images.
 *
 * Each image keeps its path relative to the argument it came from: that
 * relative path names the output (so class folders are recreated) and
 * keys the random stream (so the bytes do not depend on where the folder
 * lives or what else is in it). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "augment/codec.h"
#include "io/fileio.h"

/* st: the file's identity when the caller has it, else NULL. */
static aug_status push(aug_input_list *list, const char *path, const char *rel,
                       const char *key, const struct stat *st, aug_error *err)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        aug_input *p = realloc(list->items, cap * sizeof *p);
        if (!p)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory listing inputs");
        list->items = p;
        list->cap = cap;
    }
    aug_input *in = &list->items[list->n];
    in->path = strdup(path);
    in->rel = strdup(rel);
    in->key = key ? strdup(key) : NULL;
    if (!in->path || !in->rel || (key && !in->key)) {
        free(in->path);
        free(in->rel);
        free(in->key);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory listing inputs");
    }
    in->dev = st ? st->st_dev : 0;
    in->ino = st ? st->st_ino : 0;
    list->n++;
    return AUG_OK;
}

aug_status aug_inputs_push(aug_input_list *list, const char *path, const char *rel,
                           const char *key, aug_error *err)
{
    struct stat sb;
    int known = strcmp(path, "-") != 0 && stat(path, &sb) == 0;
    return push(list, path, rel, key, known ? &sb : NULL, err);
}

/* Image formats people keep in datasets that we do not read: such a file
 * is named, not passed over in silence like a .txt. */
static const char *const foreign_images[] = {
    "heic", "heif", "avif", "jxl", "jp2", "j2k", "psd", "exr", "hdr", "dng", "cr2", "nef",
    "arw", "raw", "ico", "svg", "xcf", NULL,
};

static int foreign_image(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (int i = 0; dot && foreign_images[i]; i++)
        if (strcasecmp(dot + 1, foreign_images[i]) == 0)
            return 1;
    return 0;
}

/* Count a file the walk passed over, by extension. */
static aug_status note_skipped(aug_input_list *list, const char *name, aug_error *err)
{
    const char *dot = strrchr(name, '.');
    char ext[16] = "";
    if (dot && dot != name)
        snprintf(ext, sizeof ext, "%s", dot);
    for (size_t i = 0; i < list->nskipped; i++)
        if (strcmp(list->skipped[i].ext, ext) == 0) {
            list->skipped[i].n++;
            return AUG_OK;
        }
    aug_skipped *p = realloc(list->skipped, (list->nskipped + 1) * sizeof *p);
    if (!p)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory listing inputs");
    list->skipped = p;
    memcpy(p[list->nskipped].ext, ext, sizeof ext);
    p[list->nskipped++].n = 1;
    return AUG_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct walk {
    aug_input_list *list;
    const aug_folder_id *skip; /* folders never entered */
    size_t nskip;
    aug_folder_id *seen; /* every folder entered, so that each is walked once */
    size_t nseen, capseen;
    aug_error *err;
} walk;

static aug_status add_note(char ***notes, size_t *n, aug_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static aug_status add_note(char ***notes, size_t *n, aug_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = len >= 0 ? malloc((size_t)len + 1) : NULL;
    char **p = text ? realloc(*notes, (*n + 1) * sizeof *p) : NULL;
    if (!p) {
        free(text);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory listing inputs");
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, ap);
    va_end(ap);
    p[*n] = text;
    *notes = p;
    (*n)++;
    return AUG_OK;
}

/* Symbolic links to folders are followed, so a folder can be reached twice
 * (a link loop, or two links to one folder): it is walked the first time
 * only, so that no image is an input twice, and the others are noted. */
static int seen_before(walk *w, const struct stat *sb)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == sb->st_dev && w->seen[i].ino == sb->st_ino)
            return 1;
    if (w->nseen == w->capseen) {
        size_t cap = w->capseen ? w->capseen * 2 : 16;
        aug_folder_id *p = realloc(w->seen, cap * sizeof *p);
        if (!p)
            return -1;
        w->seen = p;
        w->capseen = cap;
    }
    w->seen[w->nseen++] = (aug_folder_id){sb->st_dev, sb->st_ino};
    return 0;
}

static int skipped_folder(const walk *w, const struct stat *sb)
{
    for (size_t i = 0; i < w->nskip; i++)
        if (w->skip[i].dev == sb->st_dev && w->skip[i].ino == sb->st_ino)
            return 1;
    return 0;
}

static aug_status walk_dir(walk *w, const char *dir, const char *rel, int depth)
{
    struct stat self;
    if (stat(dir, &self) != 0)
        return aug_fail(w->err, AUG_ERR_IO, "%s: %s", dir, strerror(errno));
    int again = seen_before(w, &self);
    if (again < 0)
        return aug_fail(w->err, AUG_ERR_NOMEM, "out of memory listing %s", dir);
    if (again)
        return add_note(&w->list->loops, &w->list->nloops, w->err,
                        "%s: a link to a folder already walked; not walked again", dir);
    /* A bound on the depth as well, against running out of stack on a
     * pathologically deep tree. */
    if (depth > 256)
        return aug_fail(w->err, AUG_ERR_IO, "%s: folders nested over 256 deep", dir);
    DIR *d = opendir(dir);
    if (!d)
        return aug_fail(w->err, AUG_ERR_IO, "%s: cannot open folder: %s", dir,
                        strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    aug_status st = AUG_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, our own temporaries, . and .. */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                st = aug_fail(w->err, AUG_ERR_NOMEM, "out of memory listing %s", dir);
                break;
            }
            names = p;
        }
        if (!(names[n] = strdup(e->d_name))) {
            st = aug_fail(w->err, AUG_ERR_NOMEM, "out of memory listing %s", dir);
            break;
        }
        n++;
    }
    closedir(d);
    if (!st && n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && !st; i++) {
        char *path = aug_path_join(dir, names[i]);
        char *sub = rel[0] ? aug_path_join(rel, names[i]) : strdup(names[i]);
        struct stat sb;
        if (!path || !sub)
            st = aug_fail(w->err, AUG_ERR_NOMEM, "out of memory listing %s", dir);
        else if (stat(path, &sb) != 0) {
            /* a dangling link, or a file removed meanwhile: not an input */
            int saved = errno;
            st = add_note(&w->list->dangling, &w->list->ndangling, w->err, "%s: %s; skipped",
                          path, lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)
                                    ? "a link to nothing" : strerror(saved));
        }
        else if (S_ISDIR(sb.st_mode)) {
            if (!skipped_folder(w, &sb))
                st = walk_dir(w, path, sub, depth + 1);
        } else if (S_ISREG(sb.st_mode)) {
            st = aug_format_from_path(names[i]) != AUG_FMT_UNKNOWN
                     ? push(w->list, path, sub, NULL, &sb, w->err)
                     : note_skipped(w->list, names[i], w->err);
            if (!st && foreign_image(names[i]))
                st = add_note(&w->list->foreign, &w->list->nforeign, w->err,
                              "%s: an image format we do not read (we read %s); skipped", path,
                              aug_format_readable_list());
        }
        free(path);
        free(sub);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

aug_status aug_inputs_add(aug_input_list *list, const char *arg, const aug_folder_id *skip,
                          size_t nskip, aug_error *err)
{
    if (strcmp(arg, "-") == 0)
        return push(list, "-", "-", NULL, NULL, err);
    struct stat sb;
    if (stat(arg, &sb) != 0)
        return aug_fail(err, AUG_ERR_IO, "%s: %s", arg, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        walk w = {list, skip, nskip, NULL, 0, 0, err};
        aug_status st = walk_dir(&w, arg, "", 0);
        free(w.seen);
        return st;
    }
    /* A file named explicitly is taken whatever its extension: the bytes,
     * not the name, decide whether it decodes. */
    const char *slash = strrchr(arg, '/');
    return push(list, arg, slash ? slash + 1 : arg, NULL, &sb, err);
}

void aug_inputs_free(aug_input_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].path);
        free(list->items[i].rel);
        free(list->items[i].key);
    }
    for (size_t i = 0; i < list->nloops; i++)
        free(list->loops[i]);
    for (size_t i = 0; i < list->ndangling; i++)
        free(list->dangling[i]);
    for (size_t i = 0; i < list->nforeign; i++)
        free(list->foreign[i]);
    free(list->foreign);
    free(list->loops);
    free(list->dangling);
    free(list->items);
    free(list->skipped);
    *list = (aug_input_list){0};
}
