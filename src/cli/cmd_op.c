/* augment <operation>: every operation of the library as a command of its
 * own, built from its declaration: its options, help and parameters come
 * from the aug_op; the command is a chain of that one stage, so it writes
 * exactly what the same stage does in `augment chain`. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

int cmd_op(const aug_op *op, int argc, char **argv)
{
    void *cfg = calloc(1, op->cfg_size ? op->cfg_size : 1);
    if (!cfg) {
        fprintf(stderr, "augment %s: out of memory\n", op->name);
        return EXIT_SOME_FAILED;
    }
    if (op->init)
        op->init(cfg);
    aug_stage_opts stage = {.prob = 1.0};
    char synopsis[256], title[64];
    snprintf(synopsis, sizeof synopsis, "augment %s %s [options] INPUT... -o OUTPUT", op->name,
             op->usage);
    snprintf(title, sizeof title, "%s options", op->name);
    cli_spec spec = {
        .name = op->name,
        .synopsis = synopsis,
        .description = op->description,
        .common = COMMON_IMAGES,
        .own = {{op->options, cfg, 0, 0}, {aug_stage_options, &stage, 0, 0}},
        .nown = 2,
        .own_title = {title, NULL},
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    aug_error err;
    if (op->check && op->check(cfg, spec.own[0].given, &err)) {
        free(cfg);
        cli_usage_error(&c, "%s", err.msg);
    }
    aug_chain *chain;
    if (aug_chain_single(op, cfg, stage.prob, &chain, &err)) {
        cli_error(&c, "%s", err.msg);
        return EXIT_SOME_FAILED;
    }
    int rc = cli_run_chain(&c, chain, op->name, n, argv + 1);
    aug_chain_free(chain);
    return rc;
}
