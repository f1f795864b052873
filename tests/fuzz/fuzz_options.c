/* Every command's option parser: the common flags, each command's own
 * table and each operation's, driven with argv words cut from the bytes
 * (NUL separates words). Parsing returns an error or fills the storage;
 * it never crashes and never reads past a value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/augment.h"
#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 2048)
        return 0;
    char *text = malloc(size + 1);
    char **argv = malloc((size + 1) * sizeof *argv);
    if (!text || !argv) {
        free(text);
        free(argv);
        return 0;
    }
    /* the first byte picks the table; words follow, NUL-separated */
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    int argc = 0;
    for (size_t i = 0; i < size - 1; i += strlen(text + i) + 1)
        argv[argc++] = text + i;
    size_t nops;
    const aug_op *const *ops = aug_ops(&nops);
    cli_common common;
    memset(&common, 0, sizeof common);
    union {
        double d[64];
        char bytes[8192];
    } storage;
    memset(&storage, 0, sizeof storage);
    aug_stage_opts stage = {1.0};
    aug_optset sets[3];
    size_t n = 0;
    unsigned pick = data[0] % (nops + 4);
    if (pick < nops) {
        if (ops[pick]->cfg_size > sizeof storage)
            abort();
        if (ops[pick]->init)
            ops[pick]->init(&storage);
        sets[n++] = (aug_optset){ops[pick]->options, &storage, 0, 0};
        sets[n++] = (aug_optset){aug_stage_options, &stage, 0, 0};
    } else {
        static const aug_opt *const tables[] = {cli_chain_options, cli_smote_options,
                                                cli_mixup_options, cli_samplepairing_options};
        sets[n++] = (aug_optset){tables[pick - nops], &storage, 0, 0};
    }
    sets[n++] = (aug_optset){cli_common_options, &common, (unsigned)data[0], 0};
    int noperands = 0;
    aug_error err;
    if (aug_opt_parse(sets, n, argc, argv, &noperands, &err) == AUG_OK) {
        if (noperands < 0 || noperands > argc)
            abort();
        if (pick < nops && ops[pick]->check)
            ops[pick]->check(&storage, sets[0].given, &err);
    } else if (!err.msg[0]) {
        abort();
    }
    free(text);
    free(argv);
    return 0;
}
