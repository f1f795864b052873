/* The switch the tests use to run the baseline loops (core/simd.h). */
#include "core/simd.h"

int aug_simd_disable;
