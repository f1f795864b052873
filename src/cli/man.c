/* The man page's option lists, generated from the same declarations as
 * --help and the parsers: the template (src/cli/augment.1.in) holds the
 * prose, and a line "@OPTIONS name@" becomes the roff list of that
 * command's options. `make` runs `augment help --man` on the template. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* roff text: '-' is a hyphen unless escaped, '\' starts an escape, a line
 * starting with '.' or '\'' is a request. */
static void roff(FILE *fp, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", fp);
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", fp);
        else if (*s == '\\')
            fputs("\\e", fp);
        else
            fputc(*s, fp);
    }
}

static void option(FILE *fp, const aug_opt *o)
{
    fputs(".TP\n", fp);
    if (o->letter)
        fprintf(fp, "\\fB\\-%c\\fR, ", o->letter);
    fputs("\\fB\\-\\-", fp);
    roff(fp, o->name);
    fputs("\\fR", fp);
    if (o->arg) {
        fputs(" \\fI", fp);
        roff(fp, o->arg);
        fputs("\\fR", fp);
    }
    fputc('\n', fp);
    roff(fp, o->help);
    fputs(".\n", fp);
}

static void table(FILE *fp, const aug_opt *opts)
{
    for (const aug_opt *o = opts; o && o->kind != AUG_OPT_END; o++)
        option(fp, o);
}

static int expand(FILE *fp, const char *name)
{
    const aug_op *op = aug_op_find(name);
    if (op) {
        table(fp, op->options);
        table(fp, aug_stage_options);
        return 0;
    }
    static const struct {
        const char *name;
        const aug_opt *opts;
    } others[] = {
        {"common", cli_common_options},   {"chain", cli_chain_options},
        {"smote", cli_smote_options},     {"mixup", cli_mixup_options},
        {"samplepairing", cli_samplepairing_options},
        {"cutmix", cli_cutmix_options},
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (strcmp(others[i].name, name) == 0) {
            table(fp, others[i].opts);
            return 0;
        }
    return -1;
}

int cli_man(FILE *template, FILE *fp)
{
    char line[4096];
    int rc = 0;
    unsigned n = 0;
    while (fgets(line, sizeof line, template)) {
        n++;
        char name[64];
        if (sscanf(line, "@OPTIONS %63[a-z0-9-]@", name) == 1) {
            if (expand(fp, name)) {
                fprintf(stderr, "augment help --man: line %u: no command '%s'\n", n, name);
                rc = -1;
            }
            continue;
        }
        fputs(line, fp);
    }
    return rc;
}
