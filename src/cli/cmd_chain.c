/* augment chain: several operations on each output, with one decode and
 * one encode around them. The chain is the first operand or a recipe file. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

typedef struct chain_opts {
    const char *recipe;
} chain_opts;

const aug_opt cli_chain_options[] = {
    AUG_OPT_STRING_(0, "recipe", "FILE", "read the stages from FILE (one per line, # comments)",
                    chain_opts, recipe),
    AUG_OPT_END_,
};

static char *operation_list(void)
{
    size_t n;
    const aug_op *const *ops = aug_ops(&n);
    aug_buf b = {0};
    for (size_t i = 0; i < n; i++)
        aug_buf_addf(&b, "%s%s", i ? ", " : "", ops[i]->name);
    return b.data;
}

int cmd_chain(int argc, char **argv)
{
    chain_opts o = {0};
    char *ops = operation_list();
    aug_buf desc = {0};
    aug_buf_addf(&desc,
        "Apply a chain of operations to every output, with one decode and one encode:\n"
        "  augment chain 'rotate --range -15:15 | flip --prob 0.5 | noise --sigma 8' -n 5 data -o out\n"
        "Each stage is an operation with its own flags, exactly as its standalone command\n"
        "(including --prob); stages are separated by | or new lines. Groups:\n"
        "  one-of [--prob P] { A | B ... }      apply one member, chosen with weights\n"
        "                                       from the members' --prob (albumentations OneOf)\n"
        "  some-of N|LO:HI [--prob P] { ... }   apply N members in random order (SomeOf)\n"
        "The first stage draws from the output's stream as the standalone command does, so\n"
        "a one-stage chain writes the same bytes; every later stage has a stream of its own.\n"
        "Operations: %s.", ops ? ops : "");
    free(ops);
    cli_spec spec = {
        .name = "chain",
        .synopsis = "augment chain 'STAGE | STAGE ...' [options] INPUT... -o OUTPUT\n"
                    "       augment chain --recipe FILE [options] INPUT... -o OUTPUT",
        .description = desc.data ? desc.data : "",
        .common = COMMON_IMAGES,
        .own = {{cli_chain_options, &o, 0, 0}},
        .nown = 1,
        .own_title = {"chain options"},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    char **args = argv + 1;
    aug_chain *chain = NULL;
    aug_error err;
    aug_status st;
    if (o.recipe) {
        uint8_t *text;
        size_t len;
        if (aug_read_file(o.recipe, &text, &len, &err))
            cli_usage_error(&c, "--recipe %s: %s", o.recipe, err.msg);
        char *s = realloc(text, len + 1);
        if (!s) {
            free(text);
            cli_error(&c, "out of memory");
            aug_buf_free(&desc);
            return EXIT_SOME_FAILED;
        }
        s[len] = '\0';
        if (strlen(s) != len) {
            free(s);
            cli_usage_error(&c, "--recipe %s: not a text file (it holds a NUL byte)", o.recipe);
        }
        st = aug_chain_parse(s, o.recipe, &chain, &err);
        free(s);
    } else {
        if (n < 1)
            cli_usage_error(&c, "give the chain ('rotate --range -15:15 | flip') or --recipe FILE");
        st = aug_chain_parse(args[0], NULL, &chain, &err);
        args++;
        n--;
    }
    if (st == AUG_ERR_NOMEM) {
        cli_error(&c, "%s", err.msg);
        aug_buf_free(&desc);
        return EXIT_SOME_FAILED;
    }
    if (st)
        cli_usage_error(&c, "%s", err.msg);
    int rc = cli_run_chain(&c, chain, "chain", n, args);
    aug_chain_free(chain);
    aug_buf_free(&desc);
    return rc;
}
