/* augment — how a kernel hands independent parts of its work to its caller.
 *
 * Kernels know nothing of threads. One that can split its work into parts
 * that do not depend on each other (the queries of a neighbour search, say)
 * takes an optional aug_runner and asks it to run the parts; the caller
 * decides whether that means a thread pool, an OpenMP loop or a plain loop.
 * The results never depend on how the parts were run. */
#ifndef AUGMENT_PARALLEL_H
#define AUGMENT_PARALLEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aug_runner {
    /* Run task(arg, i) for every i in [0, n), in any order, on any threads,
     * and return when all are done. */
    void (*run)(void *self, size_t n, void (*task)(void *arg, size_t i), void *arg);
    void *self;
} aug_runner;

/* What a kernel does with runner (which may be NULL): run the parts. */
void aug_run_parts(const aug_runner *runner, size_t n, void (*task)(void *arg, size_t i),
                   void *arg);

#ifdef __cplusplus
}
#endif
#endif
