/* augment: one binary, one table of commands. Every operation of the
 * library is a command of its own (cmd_op.c builds it from the op's
 * declaration); the others have a cmd_<name>.c each. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"chain", cmd_chain, "apply several operations in one pass: a chain or a recipe file"},
    {"smote", cmd_smote, "balance a CSV table with synthetic minority rows (SMOTE)"},
    {"mixup", cmd_mixup, "mix pairs of samples and their labels (mixup), tables or image sets"},
    {"samplepairing", cmd_samplepairing, "average each image with a random partner (SamplePairing)"},
    {"cutmix", cmd_cutmix, "paste a box of a random partner, labels mixed by area (CutMix)"},
    {"coco-merge", cmd_coco_merge, "merge the COCO files of a labelled run's shards into one"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    size_t nops;
    const aug_op *const *ops = aug_ops(&nops);
    fprintf(fp, "usage: augment <command> [options] INPUT... -o OUTPUT\n"
                "       augment --help | --version | help <command> | <command> --help\n\n"
                "commands:\n");
    for (size_t i = 0; i < nops; i++)
        fprintf(fp, "  %-19s %s\n", ops[i]->name, ops[i]->summary);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-19s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\nINPUT is image files and folders (walked recursively), or - for stdin.\n"
                "The same seed gives the same bytes on every run, however the work is split.\n"
                "Exit status: 0 all done, 1 some inputs failed, 2 usage error, 130 interrupted.\n");
}

/* Run the command called `name`; -1 when there is none. */
static int dispatch(const char *name, int argc, char **argv)
{
    const aug_op *op = aug_op_find(name);
    if (op)
        return cmd_op(op, argc, argv);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn(argc, argv);
    return -1;
}

/* Every image's buffers (the decoded pixels, the codecs' work arrays, the
 * encoded file) are a few hundred KiB to a few MiB, allocated and freed
 * once per file. glibc serves those from mmap and returns them at free, so
 * each file paid for fresh zeroed pages (~65 page faults for a 512x512
 * JPEG, a third of a lossless flip's time). Kept in the heap instead, they
 * are reused from one file to the next; memory stays bounded by what one
 * file per thread needs. */
static void tune_allocator(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

int main(int argc, char **argv)
{
    tune_allocator();
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return EXIT_ALL_DONE;
    }
    if (strcmp(name, "--version") == 0) {
        printf("augment %s\n", AUG_VERSION);
        return EXIT_ALL_DONE;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_ALL_DONE;
        }
        /* For the build: the man page from its template (src/cli/augment.1.in). */
        if (strcmp(argv[2], "--man") == 0)
            return cli_man(stdin, stdout) ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
        char *help_argv[] = {argv[2], "--help", NULL};
        int rc = dispatch(argv[2], 2, help_argv);
        if (rc < 0) {
            fprintf(stderr, "augment: '%s' is not a command; see 'augment --help'\n", argv[2]);
            return EXIT_USAGE;
        }
        return rc;
    }
    int rc = dispatch(name, argc - 1, argv + 1);
    if (rc < 0) {
        fprintf(stderr, "augment: '%s' is not a command; see 'augment --help'\n", name);
        return EXIT_USAGE;
    }
    return rc;
}
