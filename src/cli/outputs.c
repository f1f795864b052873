/* Output names and atomic writes, shared by every image job. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* OUT/<rel stem>[_k].<ext>: the input's extension is kept when we can
 * write it (and --format does not say otherwise), else the format's. The
 * copies take _k when there are several or the input itself is written
 * too (k = -1, --include-original: no suffix). */
char *cli_output_path(const cli_common *c, const char *rel, long k, aug_format *fmt)
{
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(slash ? slash + 1 : rel, '.');
    size_t stem = dot && dot != (slash ? slash + 1 : rel) ? (size_t)(dot - rel) : strlen(rel);
    aug_format in_fmt = aug_format_from_path(rel);
    const char *ext;
    if (c->format != AUG_FMT_UNKNOWN) {
        *fmt = c->format;
        ext = aug_format_ext(c->format);
    } else if (aug_format_writable(in_fmt)) {
        *fmt = in_fmt;
        ext = rel + stem + 1;
    } else {
        *fmt = AUG_FMT_PNG;
        ext = "png";
    }
    aug_buf name = {0};
    if (k >= 0 && (c->copies > 1 || c->include_original))
        aug_buf_addf(&name, "%.*s_%ld.%s", (int)stem, rel, k, ext);
    else
        aug_buf_addf(&name, "%.*s.%s", (int)stem, rel, ext);
    char *path = name.failed ? NULL : aug_path_join(c->output, name.data);
    aug_buf_free(&name);
    return path;
}

/* The output's folder: made when missing, and rid of the temporaries a
 * killed run of ours left there, the first time this thread writes into
 * it (inputs come sorted, so outputs mostly share a folder). */
static aug_status make_parent(const char *path, char **last_dir, aug_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
    const char *dir = slash ? path : ".";
    if (*last_dir && strlen(*last_dir) == n && strncmp(*last_dir, dir, n) == 0)
        return AUG_OK;
    free(*last_dir);
    *last_dir = strndup(dir, n);
    if (!*last_dir)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    aug_status st = slash ? aug_mkdirs(*last_dir, err) : AUG_OK;
    if (st) {
        free(*last_dir);
        *last_dir = NULL;
        return st;
    }
    aug_remove_stale_temps(*last_dir);
    return AUG_OK;
}

/* Failures name the output: the caller's message names the input. */
aug_status cli_write_bytes(const char *path, const uint8_t *buf, size_t n, char **last_dir,
                           aug_error *err)
{
    aug_status st = make_parent(path, last_dir, err);
    if (!st)
        st = aug_write_file_atomic(path, buf, n, err);
    if (st) {
        char msg[AUG_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        int errnum = err->errnum;
        aug_fail_errno(err, st, errnum, "%s: %s", path, msg);
    }
    return st;
}

aug_status cli_encode_image(const cli_common *c, const aug_image *img, aug_format fmt,
                            uint8_t **buf, size_t *n, aug_error *err)
{
    aug_encode_options o = {.quality = c->quality, .png_level = c->png_level,
                            .lossless = c->lossless,
                            .tiff_compression = (aug_tiff_compression)c->tiff_compression};
    return aug_encode_with(img, fmt, &o, buf, n, err);
}

aug_status cli_write_image(const cli_common *c, const aug_image *img, const char *path,
                           aug_format fmt, char **last_dir, aug_error *err)
{
    uint8_t *enc;
    size_t n;
    aug_status st = cli_encode_image(c, img, fmt, &enc, &n, err);
    if (!st)
        st = cli_write_bytes(path, enc, n, last_dir, err);
    free(enc);
    return st;
}

void cli_files_free(cli_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        free(f->v[i].bytes);
    }
    f->n = 0;
}

/* Every file to a temporary first; then the files renamed, the output
 * last: a crash between leaves files without their output, which the
 * next run (or --skip-existing, which looks at outputs) writes again. */
aug_status cli_write_with(const char *path, const uint8_t *buf, size_t n, const cli_files *files,
                          char **last_dir, aug_error *err)
{
    if (!files || files->n == 0)
        return cli_write_bytes(path, buf, n, last_dir, err);
    aug_atomic at[CLI_MAX_FILES + 1];
    size_t open = 0, total = files->n + 1;
    aug_status st = AUG_OK;
    const char *failed = path;
    for (size_t i = 0; !st && i < total; i++) {
        const char *p = i < files->n ? files->v[i].path : path;
        const uint8_t *b = i < files->n ? files->v[i].bytes : buf;
        size_t len = i < files->n ? files->v[i].len : n;
        failed = p;
        if (!(st = make_parent(p, last_dir, err)) && !(st = aug_atomic_open(&at[i], p, err))) {
            open++;
            if (len && fwrite(b, 1, len, at[i].fp) != len)
                st = aug_fail_errno(err, AUG_ERR_IO, errno, "%s", strerror(errno));
        }
    }
    for (size_t i = 0; i < open; i++) {
        aug_error e;
        if (aug_atomic_commit(&at[i], !st, &e) && !st) {
            failed = i < files->n ? files->v[i].path : path;
            *err = e;
            st = e.code ? e.code : AUG_ERR_IO;
        }
    }
    if (st) {
        char msg[AUG_ERROR_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        int errnum = err->errnum;
        aug_fail_errno(err, st, errnum, "%s: %s", failed, msg);
    }
    return st;
}
