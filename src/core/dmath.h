/* Internal: elementary functions that give the same bits with every C
 * library (src/core/dmath.c). Every draw and kernel whose bytes depend on
 * exp, log, sin, cos, tan or pow calls these instead of libm's. */
#ifndef AUGMENT_CORE_DMATH_H
#define AUGMENT_CORE_DMATH_H

double aug_exp(double x);
double aug_log(double x);
double aug_sin(double x);
double aug_cos(double x);
double aug_tan(double x);
double aug_pow(double x, double y);

#endif
