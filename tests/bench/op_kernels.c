/* make bench: the kernels alone, images already in memory, one thread.
 *
 *   op_kernels DIR COUNT ROUNDS 'CHAIN'
 *
 * Decodes the first COUNT images of DIR (sorted names), then ROUNDS times
 * draws and applies the chain to every one of them (each round a new copy
 * index, so random ops draw anew), and prints the best round's time per
 * image in milliseconds. The draw is included: it is part of what an op
 * costs, and next to the pixels it is nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "augment/augment.h"

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: op_kernels DIR COUNT ROUNDS 'CHAIN'\n");
        return 2;
    }
    const char *dir = argv[1];
    int count = atoi(argv[2]), rounds = atoi(argv[3]);
    DIR *d = opendir(dir);
    if (!d || count < 1 || rounds < 1) {
        fprintf(stderr, "op_kernels: cannot read %s\n", dir);
        return 2;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    if ((size_t)count > n)
        count = (int)n;
    aug_image *imgs = calloc((size_t)count, sizeof *imgs);
    aug_error err;
    for (int i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            return 1;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        unsigned char *buf = malloc((size_t)len);
        if (fread(buf, 1, (size_t)len, f) != (size_t)len)
            return 1;
        fclose(f);
        if (aug_decode(buf, (size_t)len, 0, &imgs[i], NULL, &err)) {
            fprintf(stderr, "op_kernels: %s: %s\n", path, err.msg);
            return 1;
        }
        free(buf);
    }
    aug_chain *chain;
    if (aug_chain_parse(argv[4], NULL, &chain, &err)) {
        fprintf(stderr, "op_kernels: %s\n", err.msg);
        return 2;
    }
    double best = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (int i = 0; i < count; i++) {
            aug_geom g = {imgs[i].width, imgs[i].height, imgs[i].channels};
            aug_plan *plan;
            aug_image out;
            if (aug_chain_draw(chain, 1, names[i], (uint64_t)r, &g, &plan, &err) ||
                aug_plan_apply(plan, &imgs[i], &out, &err)) {
                fprintf(stderr, "op_kernels: %s\n", err.msg);
                return 1;
            }
            aug_image_free(&out);
            aug_plan_free(plan);
        }
        double t = (now() - t0) / count;
        best = t < best ? t : best;
    }
    printf("%.3f\n", best * 1e3);
    aug_chain_free(chain);
    for (int i = 0; i < count; i++) {
        aug_image_free(&imgs[i]);
        free(names[i]);
    }
    free(imgs);
    free(names);
    return 0;
}
