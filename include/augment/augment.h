/* augment — data augmentation toolkit. The umbrella header. */
#ifndef AUGMENT_AUGMENT_H
#define AUGMENT_AUGMENT_H

#define AUG_VERSION "0.1.0"

#include "augment/error.h"
#include "augment/image.h"
#include "augment/rng.h"
#include "augment/kernels.h"
#include "augment/geometry.h"
#include "augment/color.h"
#include "augment/codec.h"
#include "augment/table.h"
#include "augment/csv.h"
#include "augment/sampling.h"
#include "augment/parallel.h"
#include "augment/ops.h"
#include "augment/labels.h"

#endif
