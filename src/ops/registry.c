/* The table of operations, in the order the tool lists them, and the
 * options every stage has besides its op's own. */
#include <stddef.h>
#include <string.h>

#include "augment/ops.h"

extern const aug_op aug_op_flip, aug_op_rotate, aug_op_noise, aug_op_erase;

static const aug_op *const ops[] = {
    &aug_op_flip,
    &aug_op_rotate,
    &aug_op_noise,
    &aug_op_erase,
};

const aug_op *const *aug_ops(size_t *n)
{
    *n = sizeof ops / sizeof ops[0];
    return ops;
}

const aug_op *aug_op_find(const char *name)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i]->name, name) == 0)
            return ops[i];
    return NULL;
}

const aug_opt aug_stage_options[] = {
    AUG_OPT_DOUBLE_(0, "prob", "P", "apply with probability P, else leave the image (default 1)",
                    aug_stage_opts, prob, 0, 1),
    AUG_OPT_END_,
};
