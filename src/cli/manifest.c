/* Manifests: one CSV row per output, so every output can be explained and
 * regenerated. Written through a temporary and renamed into place when the
 * run ends (also when it is interrupted: the rows of what was done). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_manifest_open(const cli_common *c, cli_manifest *m, const char *path,
                      const char *const *header, size_t n)
{
    aug_error err;
    m->open = 0;
    m->path = path;
    if (!path)
        return 0;
    /* Like OUTPUT, the manifest's folder is created when missing. */
    const char *slash = strrchr(path, '/');
    char *dir = slash && slash != path ? strndup(path, (size_t)(slash - path)) : NULL;
    aug_status st = dir ? aug_mkdirs(dir, &err) : AUG_OK;
    if (!st && strcmp(path, "-") != 0)
        aug_remove_stale_temps(dir ? dir : ".");
    free(dir);
    if (st || aug_atomic_open(&m->file, path, &err)) {
        cli_error(c, "%s: %s", path, err.msg);
        return -1;
    }
    m->open = 1;
    cli_manifest_row(m, header, n);
    return 0;
}

void cli_manifest_row(cli_manifest *m, const char *const *fields, size_t n)
{
    /* A write error is remembered by the stream and reported at commit. */
    if (m->open)
        aug_csv_write_record(m->file.fp, ',', fields, n, NULL);
}

int cli_manifest_close(const cli_common *c, cli_manifest *m, int ok)
{
    aug_error err;
    if (!m->open)
        return 0;
    m->open = 0;
    if (aug_atomic_commit(&m->file, ok, &err)) {
        cli_error(c, "%s: %s", m->path, err.msg);
        return -1;
    }
    return 0;
}
