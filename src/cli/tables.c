/* Table plumbing shared by smote and mixup: load with the common CSV flags,
 * write records through one temporary file renamed into place at the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_load_table(const cli_common *c, const char *path, aug_table *t)
{
    aug_csv_options o;
    aug_error err;
    aug_csv_options_default(&o);
    o.delimiter = c->delimiter;
    o.header = c->header;
    o.label = c->label;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) {
        cli_error(c, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    aug_status st = aug_csv_load_table(t, fp, is_stdin ? "-" : path, &o, &err);
    if (!is_stdin)
        fclose(fp);
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
