/* The one place kernels go through to run independent parts of their work:
 * the caller's runner, or a plain loop when there is none. */
#include "augment/parallel.h"

void aug_run_parts(const aug_runner *runner, size_t n, void (*task)(void *arg, size_t i),
                   void *arg)
{
    if (runner && runner->run) {
        runner->run(runner->self, n, task, arg);
        return;
    }
    for (size_t i = 0; i < n; i++)
        task(arg, i);
}
