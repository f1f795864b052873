/* Wider instructions where the machine has them, chosen at run time, with
 * no intrinsics: the same C source is compiled twice.
 *
 * Shuffles: byte permutations are written with the compilers' vector
 * extensions (GCC >= 12 and clang both have __builtin_shufflevector), so
 * they build on every architecture. A 16-byte shuffle is one instruction
 * with SSSE3 (pshufb) or NEON (tbl) but a long sequence on plain SSE2, the
 * x86-64 baseline we compile for, so on x86 those loops are compiled for
 * SSSE3 (AUG_SIMD_TARGET) and used only when the processor has it.
 *
 * Wide loops: plain C loops the compiler vectorises (the normals, the
 * noise sums) are written once as an always-inline body and compiled a
 * second time for AVX2 (AUG_WIDE_TARGET). They compute in IEEE float with
 * FP contraction off and without FMA, so both builds give the same bits:
 * elementwise operations are exact roundings whatever the vector width.
 *
 * Every user keeps the baseline loop, and the tests run both (setting
 * aug_simd_disable) and compare bytes; tests/portable/digest.c does the
 * same for every random operation. */
#ifndef AUG_KERNELS_SIMD_H
#define AUG_KERNELS_SIMD_H

#include <stdint.h>

typedef uint8_t aug_v16 __attribute__((vector_size(16), aligned(1), may_alias));

#if defined(__x86_64__) || defined(__i386__)
#define AUG_SIMD_TARGET __attribute__((target("ssse3")))
#define AUG_SIMD_HW() __builtin_cpu_supports("ssse3")
#define AUG_SIMD 1
#elif defined(__aarch64__)
#define AUG_SIMD_TARGET
#define AUG_SIMD_HW() 1
#define AUG_SIMD 1
#else
#define AUG_SIMD 0
#endif

#if defined(__x86_64__)
#define AUG_WIDE_TARGET __attribute__((target("avx2")))
#define AUG_WIDE 1
#else
#define AUG_WIDE 0
#endif
#define AUG_ALWAYS_INLINE static inline __attribute__((always_inline))

/* Set by the tests so that every loop runs on a machine that has the
 * wider ones: 1 turns AVX2 off, 2 SSSE3 too (the x86-64 baseline). Not
 * part of the library's API (the linker version script keeps it local). */
extern int aug_simd_disable;

static inline int aug_simd_ok(void)
{
#if AUG_SIMD
    return aug_simd_disable < 2 && AUG_SIMD_HW();
#else
    return 0;
#endif
}

static inline int aug_wide_ok(void)
{
#if AUG_WIDE
    return aug_simd_disable < 1 && __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

#endif
