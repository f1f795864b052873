/* augment — explicit random streams.
 *
 * Every output draws from its own stream, derived from (seed, key, index):
 * key is the input's path relative to its INPUT argument, index the copy
 * number. The generator is xoshiro256** seeded through splitmix64 from a
 * 64-bit hash of the three, so a stream depends on nothing else: not on file
 * order, other files, threads or processes. The state is a plain struct the
 * caller owns; nothing here touches global state. */
#ifndef AUGMENT_RNG_H
#define AUGMENT_RNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aug_rng {
    uint64_t s[4];
} aug_rng;

/* Seed a stream directly from a 64-bit value. */
void aug_rng_seed(aug_rng *rng, uint64_t seed);
/* Seed the stream for (seed, key, index); key may be NULL (treated as ""). */
void aug_rng_derive(aug_rng *rng, uint64_t seed, const char *key, uint64_t index);
/* An independent stream of the same output: stream 0 is exactly
 * aug_rng_derive(seed, key, index); each further stage of a chain draws
 * from a stream of its own so that stages never share draws. */
void aug_rng_derive_stream(aug_rng *rng, uint64_t seed, const char *key,
                           uint64_t index, uint64_t stream);

uint64_t aug_rng_u64(aug_rng *rng);
/* n uniform bytes: the little-endian bytes of ceil(n / 8) successive
 * aug_rng_u64 draws, the unused high bytes of the last one dropped. */
void aug_rng_bytes(aug_rng *rng, uint8_t *out, size_t n);
/* Uniform double in [0, 1), 53 random bits. */
double aug_rng_uniform(aug_rng *rng);
/* Uniform double in [lo, hi). */
double aug_rng_range(aug_rng *rng, double lo, double hi);
/* Uniform integer in [0, n), unbiased (Lemire's method); n > 0. */
uint64_t aug_rng_below(aug_rng *rng, uint64_t n);
/* Standard normal N(0, 1) (Marsaglia polar method). */
double aug_rng_normal(aug_rng *rng);
/* Two independent standard normals from one polar step: the first equals
 * what aug_rng_normal would have returned. For loops that need many. */
void aug_rng_normal2(aug_rng *rng, double *a, double *b);
/* n standard normals as floats, fast: Box-Muller in float with our own
 * ln, sin and cos (branch-free, so vectorised; the same bits on every
 * machine), |x| < 5.78, from four generators seeded from this stream (four
 * draws per call). For loops over pixels (the noise kernel); the samplers
 * above keep the polar method. */
void aug_rng_normals(aug_rng *rng, float *out, size_t n);
/* Gamma(shape, 1), shape > 0 (Marsaglia-Tsang; shape < 1 via the
 * Gamma(shape + 1) * U^(1/shape) boost). */
double aug_rng_gamma(aug_rng *rng, double shape);
/* Beta(a, b) as G1 / (G1 + G2), a, b > 0. */
double aug_rng_beta(aug_rng *rng, double a, double b);
/* Poisson(mean), mean >= 0 (Knuth's product for small means, PTRS
 * transformed rejection for large ones). */
uint64_t aug_rng_poisson(aug_rng *rng, double mean);

#ifdef __cplusplus
}
#endif
#endif
