/* augment: one binary, one table of commands, one cmd_<name>() each. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"flip", cmd_flip, "mirror images horizontally, vertically or both"},
    {"rotate", cmd_rotate, "rotate images by a fixed or random angle"},
    {"noise", cmd_noise, "add gaussian, uniform, salt-and-pepper, speckle or poisson noise"},
    {"erase", cmd_erase, "erase random rectangles (Random Erasing)"},
    {"smote", cmd_smote, "balance a CSV table with synthetic minority rows (SMOTE)"},
    {"mixup", cmd_mixup, "mix pairs of samples and their labels (mixup), tables or image sets"},
    {"samplepairing", cmd_samplepairing, "average each image with a random partner (SamplePairing)"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    fprintf(fp, "usage: augment <command> [options] INPUT... -o OUTPUT\n"
                "       augment --help | --version | help <command> | <command> --help\n\n"
                "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\nINPUT is image files and folders (walked recursively), or - for stdin.\n"
                "The same seed gives the same bytes on every run and machine.\n"
                "Exit status: 0 all done, 1 some inputs failed, 2 usage error.\n");
}

static const command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
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
        const command *cmd = find(argv[2]);
        if (!cmd) {
            fprintf(stderr, "augment: '%s' is not a command; see 'augment --help'\n", argv[2]);
            return EXIT_USAGE;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return cmd->fn(2, help_argv);
    }
    const command *cmd = find(name);
    if (!cmd) {
        fprintf(stderr, "augment: '%s' is not a command; see 'augment --help'\n", name);
        return EXIT_USAGE;
    }
    return cmd->fn(argc - 1, argv + 1);
}
