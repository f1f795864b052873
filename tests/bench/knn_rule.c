/* The measurement behind knn.c's choice between the k-d tree and the
 * blocked scan: both on the same points (Gaussian blobs around three
 * centres, the case where the tree prunes worst), every dimension from 2
 * to 24, best of three, and a check that both give the same answer.
 *
 * usage: knn_rule N K (run by tests/bench/knn_rule.sh) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/knn_internal.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t state = 12345;

static double uniform(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(state >> 11) + 0.5) * 0x1p-53;
}

static double gauss(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static double best_of(const knn_job *job, int brute)
{
    double best = INFINITY;
    for (int r = 0; r < 3; r++) {
        aug_error err;
        double t0 = now();
        aug_status st = brute ? aug_knn_brute_run(job, NULL, &err) : aug_knn_tree_run(job, NULL, &err);
        double t = now() - t0;
        if (st) {
            fprintf(stderr, "knn_rule: %s\n", err.msg);
            exit(1);
        }
        best = t < best ? t : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: knn_rule N K\n");
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10), k = strtoul(argv[2], NULL, 10);
    static const size_t dims[] = {2, 4, 6, 8, 9, 10, 11, 12, 16, 20, 24};
    printf("%8s %6s %10s %10s %8s\n", "points", "dim", "tree s", "scan s", "scan/tree");
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++) {
        size_t dim = dims[di];
        double *x = malloc(n * dim * sizeof *x), centre[3][24];
        size_t *a = malloc(n * k * sizeof *a), *b = malloc(n * k * sizeof *b);
        if (!x || !a || !b)
            return 1;
        for (int c = 0; c < 3; c++)
            for (size_t j = 0; j < dim; j++)
                centre[c][j] = 2.0 * gauss();
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < dim; j++)
                x[i * dim + j] = centre[i % 3][j] + gauss();
        aug_points p = {.x = x, .n = n, .dim = dim};
        knn_job job = {&p, n, x, NULL, NULL, 1, k, a};
        double tt = best_of(&job, 0);
        job.out = b;
        double ts = best_of(&job, 1);
        printf("%8zu %6zu %10.3f %10.3f %8.2f%s\n", n, dim, tt, ts, ts / tt,
               memcmp(a, b, n * k * sizeof *a) ? "  DIFFERENT ANSWERS" : "");
        free(x);
        free(a);
        free(b);
    }
    return 0;
}
