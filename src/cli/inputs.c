/* From INPUT arguments, --files-from and stdin to a list of inputs, each
 * with the relative name its outputs take and the key its streams and
 * shard come from.
 *
 * The key is the name relative to the INPUT argument the file was found
 * under, or relative to --root: so a run over one file at a time (make,
 * xargs, GNU parallel) with --root gives each file the key, and so the
 * bytes, of the run over the whole folder. An image from stdin is keyed by
 * its content unless --key names it: two different images piped in draw
 * differently. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xxhash.h>

#include "cli/cli.h"

/* The bytes read from stdin, kept for the run loop (stdin reads once). */
static uint8_t *stdin_bytes;
static size_t stdin_len;

const uint8_t *cli_stdin_bytes(size_t *len);
const uint8_t *cli_stdin_bytes(size_t *len)
{
    *len = stdin_len;
    return stdin_bytes;
}

const char *cli_input_key(const aug_input *in)
{
    return in->key ? in->key : in->rel;
}

/* "a/./b//c" -> "a/b/c"; NULL when the path is absolute or climbs out with
 * "..": such a name cannot be placed under OUTPUT. malloc'd. */
static char *clean_relative(const char *path)
{
    if (path[0] == '/')
        return NULL;
    aug_buf b = {0};
    const char *p = path;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            aug_buf_free(&b);
            return NULL;
        }
        if (n && !(n == 1 && p[0] == '.')) {
            if (b.len)
                aug_buf_add(&b, "/", 1);
            aug_buf_add(&b, p, n);
        }
        p += n;
        while (*p == '/')
            p++;
    }
    if (b.failed || !b.data) {
        aug_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The real path of a folder, or of a file's folder joined with the file's
 * own name (a link to a file keeps the link's name). */
static char *real_name(const char *path, int is_dir)
{
    if (is_dir)
        return realpath(path, NULL);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *real = dir ? realpath(dir, NULL) : NULL;
    char *out = real ? aug_path_join(real, slash ? slash + 1 : path) : NULL;
    free(dir);
    free(real);
    return out;
}

/* Where `path` lies under `root` (both real): "" for root itself. NULL
 * when outside. */
static const char *under(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path + 1;
    if (strncmp(root, path, n) != 0 || (path[n] != '/' && path[n] != '\0'))
        return NULL;
    return path[n] ? path + n + 1 : path + n;
}

/* Rename items [from, list->n) as `prefix/rel`. */
static int prefix_items(aug_input_list *list, size_t from, const char *prefix)
{
    if (!*prefix)
        return 0;
    for (size_t i = from; i < list->n; i++) {
        char *rel = aug_path_join(prefix, list->items[i].rel);
        if (!rel)
            return -1;
        free(list->items[i].rel);
        list->items[i].rel = rel;
    }
    return 0;
}

static char *read_stdin_key(const cli_common *c)
{
    aug_error err;
    if (aug_read_file("-", &stdin_bytes, &stdin_len, &err)) {
        cli_error(c, "-: %s", err.msg);
        return NULL;
    }
    if (c->key)
        return strdup(c->key);
    XXH128_hash_t h = XXH3_128bits(stdin_bytes, stdin_len);
    char key[64];
    snprintf(key, sizeof key, "stdin:%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
    return strdup(key);
}

static int add_listed(const cli_common *c, const char *root, const char *path,
                      aug_input_list *list, size_t *bad)
{
    aug_error err;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        cli_error(c, "%s: %s", path, strerror(errno));
        (*bad)++;
        return 0;
    }
    if (S_ISDIR(sb.st_mode)) {
        cli_error(c, "%s: a folder in --files-from (list the files)", path);
        (*bad)++;
        return 0;
    }
    char *rel = NULL, *real = NULL;
    if (root) {
        real = real_name(path, 0);
        const char *u = real ? under(root, real) : NULL;
        if (!u || !*u)
            cli_usage_error(c, "%s is not under --root %s", path, c->root);
        rel = strdup(u);
    } else if (!(rel = clean_relative(path))) {
        cli_usage_error(c, "--files-from: '%s' is absolute or climbs out with '..'; give "
                        "--root DIR to name it relative to DIR", path);
    }
    free(real);
    if (!rel || aug_inputs_push(list, path, rel, NULL, &err)) {
        free(rel);
        cli_error(c, "out of memory");
        return -1;
    }
    free(rel);
    return 0;
}

static int add_files_from(const cli_common *c, const char *root, aug_input_list *list,
                          size_t *bad)
{
    uint8_t *text;
    size_t len;
    aug_error err;
    if (aug_read_file(c->files_from, &text, &len, &err))
        cli_usage_error(c, "--files-from %s: %s", c->files_from, err.msg);
    char sep = c->nul ? '\0' : '\n';
    int rc = 0;
    for (size_t at = 0; at < len && rc == 0;) {
        uint8_t *end = memchr(text + at, sep, len - at);
        size_t n = end ? (size_t)(end - (text + at)) : len - at;
        size_t next = end ? (size_t)(end - text) + 1 : len;
        if (!c->nul && n && text[at + n - 1] == '\r')
            n--; /* a list written on Windows */
        char *path = strndup((const char *)text + at, n);
        if (!path) {
            cli_error(c, "out of memory");
            rc = -1;
        } else if (*path) {
            if (!c->nul && memchr(text + at, '\0', n))
                cli_usage_error(c, "--files-from %s: a NUL byte in a line; use -0 for a list "
                                "written by find -print0", c->files_from);
            rc = add_listed(c, root, path, list, bad);
        }
        free(path);
        at = next;
    }
    free(text);
    return rc;
}

size_t cli_skip_folders(const cli_common *c, const struct stat *out,
                        aug_folder_id skip[CLI_MAX_SKIP])
{
    size_t n = 0;
    if (out)
        skip[n++] = (aug_folder_id){out->st_dev, out->st_ino};
    const char *dirs[] = {c->masks, c->masks_out, c->labels_dir, c->labels_out};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        struct stat sb;
        if (dirs[i] && stat(dirs[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            skip[n++] = (aug_folder_id){sb.st_dev, sb.st_ino};
    }
    return n;
}

int cli_inputs_build(const cli_common *c, int nargs, char **args, const aug_folder_id *skip,
                     size_t nskip, aug_input_list *list, size_t *bad)
{
    aug_error err;
    int nstdin = 0;
    *list = (aug_input_list){0};
    *bad = 0;
    for (int i = 0; i < nargs; i++)
        nstdin += strcmp(args[i], "-") == 0;
    if (nstdin > 1)
        cli_usage_error(c, "'-' (stdin) can be given only once");
    if (nstdin && c->files_from && strcmp(c->files_from, "-") == 0)
        cli_usage_error(c, "stdin cannot carry both the --files-from list and an image");
    if (c->key && !nstdin)
        cli_usage_error(c, "--key names the image read from stdin ('-'), and none is given");
    if (c->key) {
        char *clean = clean_relative(c->key);
        int ok = clean && strcmp(clean, c->key) == 0;
        free(clean);
        if (!ok)
            cli_usage_error(c, "--key: '%s' is not a plain relative name (a/b.png)", c->key);
    }
    if (c->nul && !c->files_from)
        cli_usage_error(c, "-0 applies to --files-from");
    if (nargs == 0 && !c->files_from)
        cli_usage_error(c, "no INPUT given");
    char *root = NULL;
    if (c->root) {
        struct stat sb;
        if (stat(c->root, &sb) != 0 || !S_ISDIR(sb.st_mode) || !(root = realpath(c->root, NULL)))
            cli_usage_error(c, "--root %s: not a folder", c->root);
    }
    int rc = 0;
    for (int i = 0; i < nargs && rc == 0; i++) {
        const char *arg = args[i];
        if (strcmp(arg, "-") == 0) {
            char *key = read_stdin_key(c);
            if (!key) {
                (*bad)++;
                continue;
            }
            if (aug_inputs_push(list, "-", c->key ? c->key : "stdin", key, &err)) {
                cli_error(c, "%s", err.msg);
                rc = -1;
            }
            free(key);
            continue;
        }
        size_t before = list->n;
        if (aug_inputs_add(list, arg, skip, nskip, &err)) {
            cli_error(c, "%s", err.msg);
            (*bad)++;
            continue;
        }
        if (!root)
            continue;
        struct stat sb;
        int is_dir = stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode);
        char *real = real_name(arg, is_dir);
        const char *u = real ? under(root, real) : NULL;
        if (!u || (!is_dir && !*u))
            cli_usage_error(c, "%s is not under --root %s", arg, c->root);
        if (!is_dir) {
            /* A file argument was named by its base name: name it by its
             * whole path under the root instead. */
            free(list->items[before].rel);
            list->items[before].rel = strdup(u);
            if (!list->items[before].rel)
                rc = -1;
        } else if (prefix_items(list, before, u)) {
            rc = -1;
        }
        free(real);
    }
    if (rc == 0 && c->files_from)
        rc = add_files_from(c, root, list, bad);
    free(root);
    cli_input_notes(c, list);
    return rc;
}

void cli_input_notes(const cli_common *c, const aug_input_list *list)
{
    for (size_t i = 0; i < list->nloops; i++)
        cli_note(c, "%s", list->loops[i]);
    /* a few by name; the rest counted (a folder of them is one mistake) */
    for (size_t i = 0; i < list->nforeign && i < 5; i++)
        cli_note(c, "%s", list->foreign[i]);
    if (list->nforeign > 5)
        cli_note(c, "and %zu more images of formats we do not read", list->nforeign - 5);
    for (size_t i = 0; c->verbosity > 1 && i < list->ndangling; i++)
        cli_note(c, "%s", list->dangling[i]);
}

static int by_count(const void *a, const void *b)
{
    const aug_skipped *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->ext, y->ext);
}

void cli_no_images(const cli_common *c, const aug_input_list *list)
{
    size_t total = 0;
    for (size_t i = 0; i < list->nskipped; i++)
        total += list->skipped[i].n;
    if (!total) {
        cli_error(c, "no images in the inputs");
        return;
    }
    qsort(list->skipped, list->nskipped, sizeof *list->skipped, by_count);
    aug_buf b = {0};
    for (size_t i = 0; i < list->nskipped; i++)
        aug_buf_addf(&b, "%s%zu %s", i ? ", " : "", list->skipped[i].n,
                     list->skipped[i].ext[0] ? list->skipped[i].ext : "without extension");
    cli_error(c, "no supported images in the inputs: skipped %zu file%s (%s); we read: %s",
              total, total == 1 ? "" : "s", b.data ? b.data : "", aug_format_readable_list());
    aug_buf_free(&b);
}
