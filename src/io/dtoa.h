/* Internal: the shortest decimal digits of a double (src/io/dtoa.c). */
#ifndef AUGMENT_IO_DTOA_H
#define AUGMENT_IO_DTOA_H

/* The shortest decimal that reads back to exactly |v| (the closest one to
 * |v| when several are as short; ties to an even last digit): its n digits,
 * without trailing zeros, at buf + *first (buf holds AUG_DIGITS_BUF bytes;
 * 34 can be read from the first digit (the n digits, then anything), so a
 * caller may copy fixed blocks of 17), and the decimal exponent of the
 * first digit, so |v| ~= d0.d1d2... * 10^*x. Returns n (1 for zero, "0"
 * with *x = 0). v must be finite. */
#define AUG_DIGITS_BUF 64 /* the first digit at 23 at most, and 34 more */
int aug_shortest_digits(double v, char *buf, int *first, int *x);

#endif
