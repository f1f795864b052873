/* Refusing to write over an input. Outputs are compared with inputs by
 * file identity (device, inode), not by name, so "./a.png", "a.png" and a
 * hard link are all caught. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static int cmp_id(const void *a, const void *b)
{
    const cli_file_id *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int cli_guard_init(cli_guard *g, const aug_input_list *inputs)
{
    g->n = 0;
    g->ids = malloc((inputs->n ? inputs->n : 1) * sizeof *g->ids);
    if (!g->ids)
        return -1;
    for (size_t i = 0; i < inputs->n; i++)
        if (strcmp(inputs->items[i].path, "-") != 0)
            g->ids[g->n++] = (cli_file_id){inputs->items[i].dev, inputs->items[i].ino};
    qsort(g->ids, g->n, sizeof *g->ids, cmp_id);
    return 0;
}

int cli_guard_hits(const cli_guard *g, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return 0;
    cli_file_id key = {st.st_dev, st.st_ino};
    return bsearch(&key, g->ids, g->n, sizeof *g->ids, cmp_id) != NULL;
}

void cli_guard_free(cli_guard *g)
{
    free(g->ids);
    g->ids = NULL;
    g->n = 0;
}

void cli_refuse_input(const cli_common *c, const char *out, const char *in)
{
    struct stat a, b;
    if (strcmp(out, "-") != 0 && strcmp(in, "-") != 0 && stat(out, &a) == 0 &&
        stat(in, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        cli_usage_error(c, "refusing to write %s over the input %s", out, in);
}

char *cli_canonical(const char *path)
{
    /* The longest leading part that exists is resolved (links, "..", "."),
     * the rest is kept as written: outputs and folders often do not exist
     * yet. */
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *cut = copy + n;
    for (;;) {
        char saved = *cut;
        *cut = '\0';
        char *real = realpath(copy[0] ? copy : ".", NULL);
        *cut = saved;
        if (real) {
            char *out = *cut ? aug_path_join(real, cut + 1) : strdup(real);
            free(real);
            free(copy);
            return out;
        }
        char *slash = NULL;
        for (char *p = cut - 1; p >= copy; p--)
            if (*p == '/') {
                slash = p;
                break;
            }
        if (!slash) {
            char *cwd = realpath(".", NULL);
            char *out = cwd ? aug_path_join(cwd, copy) : NULL;
            free(cwd);
            free(copy);
            return out;
        }
        cut = slash;
        if (cut == copy) { /* "/name" with nothing of it existing */
            char *out = strdup(path);
            free(copy);
            return out;
        }
    }
}

static int same_file(const char *a, const char *b)
{
    int sa = strcmp(a, "-") == 0, sb = strcmp(b, "-") == 0;
    if (sa || sb)
        return sa && sb;
    struct stat x, y;
    int ea = stat(a, &x) == 0, eb = stat(b, &y) == 0;
    if (ea && eb)
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
    if (ea != eb)
        return 0;
    /* Neither exists (yet): the same folder, resolved, and name. A
     * dangling link is replaced, not followed, by the atomic writes. */
    char *ca = cli_canonical(a), *cb = cli_canonical(b);
    int same = !ca || !cb ? -1 : strcmp(ca, cb) == 0;
    free(ca);
    free(cb);
    return same;
}

int cli_same_file(const cli_common *c, const char *a, const char *b)
{
    int same = same_file(a, b);
    if (same < 0) { /* a check that cannot be made is no pass */
        cli_error(c, "out of memory comparing %s with %s", a, b);
        exit(EXIT_SOME_FAILED);
    }
    return same;
}

void cli_refuse_overlap(const cli_common *c, const char *const *paths,
                        const char *const *what, size_t n, const char *in)
{
    for (size_t i = 0; i < n; i++) {
        if (!paths[i])
            continue;
        for (size_t j = i + 1; j < n; j++)
            if (paths[j] && cli_same_file(c, paths[i], paths[j]))
                cli_usage_error(c, "%s %s and %s %s are the same file: one would replace "
                                "the other", what[i], paths[i], what[j], paths[j]);
        struct stat a, b;
        if (!in || strcmp(paths[i], "-") == 0)
            continue;
        if (strcmp(in, "-") != 0)
            cli_refuse_input(c, paths[i], in);
        else if (fstat(0, &a) == 0 && stat(paths[i], &b) == 0 && a.st_dev == b.st_dev &&
                 a.st_ino == b.st_ino)
            cli_usage_error(c, "refusing to write %s over the input (standard input is that "
                            "file)", paths[i]);
    }
}
