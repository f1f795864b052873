/* augment coco-merge: the COCO files of a run's shards (one per
 * --shard K/N, annotations-K-of-N.json) into the one file a single run
 * writes, byte for byte: images in id order, annotations numbered from 1
 * in that order, the other parts as the shards all have them. */
#include <string.h>

#include "augment/labelfile.h"
#include "cli/cli.h"

int cmd_coco_merge(int argc, char **argv)
{
    cli_spec spec = {
        .name = "coco-merge",
        .synopsis = "augment coco-merge SHARD.json... -o OUT.json",
        .description = "Merge the COCO files that the shards of one labelled run wrote\n"
                       "(--labels coco with --shard K/N writes annotations-K-of-N.json) into\n"
                       "the file a single run writes, byte for byte. The shards' other parts\n"
                       "(info, licenses, categories) must agree; an image id twice is an error.",
        .common = 0,
        .nown = 0,
    };
    cli_common c;
    int n = cli_parse(&spec, &c, argc, argv);
    if (n < 1)
        cli_usage_error(&c, "give the shards' COCO files");
    if (!c.output)
        cli_usage_error(&c, "missing -o/--output (the merged file)");
    /* the options every command has, which have no meaning here */
    static const char *const unused[] = {"seed", "manifest", "dry-run"};
    for (size_t i = 0; i < sizeof unused / sizeof *unused; i++)
        if (aug_opt_given(cli_common_options, c.given_bits, unused[i]))
            cli_usage_error(&c, "--%s has no meaning here: merging draws nothing and writes "
                            "one file", unused[i]);
    if (strcmp(c.output, "-") == 0)
        cli_usage_error(&c, "the merged file is written atomically: give a file name, not -o -");
    for (int i = 0; i < n; i++)
        cli_refuse_input(&c, c.output, argv[1 + i]);
    aug_error err;
    if (aug_coco_merge((const char *const *)(argv + 1), (size_t)n, c.output, &err)) {
        cli_error(&c, "%s", err.msg);
        return EXIT_SOME_FAILED;
    }
    if (c.verbosity > 1)
        cli_note(&c, "%d files merged into %s", n, c.output);
    return EXIT_ALL_DONE;
}
