/* Table plumbing shared by smote and mixup: inputs that can be read twice
 * (stdin and pipes are first copied to a temporary file), the delimiter
 * from --delimiter or the file's extension (.tsv is tab), loading with the
 * common CSV flags, and one temporary output renamed into place at the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli/cli.h"

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && path[n - e - 1] == '.' && strcasecmp(path + n - e, ext) == 0;
}

char cli_table_delimiter(const cli_common *c, const char *path, char fallback)
{
    if (aug_opt_given(cli_common_options, c->given_bits, "delimiter"))
        return c->delimiter;
    if (path && strcmp(path, "-") != 0) {
        if (has_ext(path, "tsv") || has_ext(path, "tab"))
            return '\t';
        if (has_ext(path, "csv"))
            return ',';
    }
    return fallback;
}

int cli_table_open(const cli_common *c, const char *path, const char *categorical,
                   cli_table_in *in)
{
    aug_error err;
    memset(in, 0, sizeof *in);
    in->path = path;
    int is_stdin = strcmp(path, "-") == 0;
    in->name = is_stdin ? "-" : path;
    aug_csv_options_default(&in->o);
    in->o.delimiter = cli_table_delimiter(c, path, ',');
    in->o.header = c->header;
    in->o.label = c->label;
    in->o.categorical = categorical;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) {
        cli_error(c, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    long pos = ftell(fp);
    if (pos >= 0 && fseek(fp, pos, SEEK_SET) == 0) {
        in->fp = fp;
        in->start = pos;
        in->owned = !is_stdin;
        return 0;
    }
    /* A pipe: read it once into a temporary file, then read that twice. */
    in->fp = aug_csv_spool(fp, &err);
    if (!is_stdin)
        fclose(fp);
    if (!in->fp) {
        cli_error(c, "%s: %s", in->name, err.msg);
        return -1;
    }
    in->owned = 1;
    return 0;
}

int cli_table_rewind(const cli_common *c, cli_table_in *in)
{
    clearerr(in->fp);
    if (fseek(in->fp, in->start, SEEK_SET) != 0) {
        cli_error(c, "%s: cannot read it again: %s", in->name, strerror(errno));
        return -1;
    }
    return 0;
}

void cli_table_close(cli_table_in *in)
{
    if (in->fp && in->owned)
        fclose(in->fp);
    in->fp = NULL;
}

int cli_load_table(const cli_common *c, const char *path, const char *categorical,
                   aug_table *t)
{
    cli_table_in in;
    aug_error err;
    if (cli_table_open(c, path, categorical, &in))
        return -1;
    aug_status st = aug_csv_load_table(t, in.fp, in.name, &in.o, &err);
    cli_table_close(&in);
    if (st) {
        cli_error(c, "%s", err.msg); /* the reader names file, line, column */
        return -1;
    }
    return 0;
}

/* The file name, used to key a table's random streams so that the rows do
 * not depend on where the table lives. */
const char *cli_table_key(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int cli_table_fail(const cli_common *c, aug_atomic *out, const char *what)
{
    aug_error err;
    if (out->fp)
        aug_atomic_commit(out, 0, &err); /* discard: nothing half-written */
    cli_error(c, "%s", what);
    return EXIT_SOME_FAILED;
}

size_t cli_memory_limit(void)
{
    size_t limit = SIZE_MAX;
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0 && (size_t)pages <= SIZE_MAX / (size_t)size)
        limit = (size_t)pages * (size_t)size;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < limit)
        limit = (size_t)rl.rlim_cur;
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < limit)
        limit = (size_t)rl.rlim_cur;
    return limit;
}

int cli_free_space(FILE *fp, unsigned long long *bytes)
{
    struct statvfs sv;
    if (!fp || fstatvfs(fileno(fp), &sv) != 0)
        return -1;
    *bytes = (unsigned long long)sv.f_bavail * sv.f_frsize;
    return 0;
}

void cli_bytes(char *buf, size_t size, long double bytes)
{
    static const char *const unit[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB"};
    int u = 0;
    while (bytes >= 1000 && u < 7) {
        bytes /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%.0Lf bytes", bytes);
    else if (bytes >= 1000)
        snprintf(buf, size, "%.3Le %s", bytes, unit[u]);
    else
        snprintf(buf, size, "%.1Lf %s", bytes, unit[u]);
}
