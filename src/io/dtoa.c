/* Shortest round-trip digits of a double, without a printf/strtod search.
 *
 * The method is Schubfach (R. Giulietti, "The Schubfach way to render
 * doubles", 2020). A finite double v = c 2^q has a rounding interval R of
 * the reals that read back as v. Scaling by 10^-k, with k chosen from q so
 * that R holds at most one multiple of 10 at the scale of 10^k's next
 * digit, the candidates are: one digit shorter (s' 10^(k+1), t' 10^(k+1)),
 * else s 10^k or t 10^k = (s+1) 10^k, the two decimals around v. The scaled
 * values are computed as products with a 126-bit approximation g of
 * 10^-k, rounded to odd so that comparisons with the interval's ends stay
 * exact. Trailing zeros are then dropped, which gives the shortest digits;
 * among equally short ones the closest to v wins (ties to even).
 *
 * The table of g (617 entries) is computed once, at the first call, from
 * exact big-integer powers of ten, so no constant table is carried in the
 * source. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "io/dtoa.h"

#define K_MIN (-324)
#define K_MAX 292
#define Q_MIN (-1074)
#define C_MIN (1ULL << 52)
#define C_TINY 3
#define M63 0x7FFFFFFFFFFFFFFFULL

/* floor(x / 2^s) for signed x (>> of a negative value is not portable C). */
static int64_t floor_shift(int64_t x, int s)
{
    return x >= 0 ? x >> s : -((-x + ((int64_t)1 << s) - 1) >> s);
}

/* floor(log10(2^q)), floor(log10(3/4 2^q)), floor(log2(10^e)), for the
 * exponents a double can have (fixed-point approximations of log10 2 and
 * log2 10, exact over that range). */
static int flog10pow2(int q)
{
    return (int)floor_shift((int64_t)q * 661971961083LL, 41);
}

static int flog10three_quarters_pow2(int q)
{
    return (int)floor_shift((int64_t)q * 661971961083LL - 274743187321LL, 41);
}

static int flog2pow10(int e)
{
    return (int)floor_shift((int64_t)e * 913124641741LL, 38);
}

/* ---- the table: g(e) = floor(10^e 2^-r) + 1, r = flog2pow10(e) - 125,
 * so 2^125 <= g < 2^126, stored as g1 2^63 + g0. ---- */

#define G_MIN (-K_MAX)
#define G_MAX (-K_MIN)
static uint64_t g_tab[G_MAX - G_MIN + 1][2];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

#define LIMBS 40 /* 1280 bits: 10^324 needs 1077, 2^1110 for the inverses */

typedef struct big {
    uint32_t w[LIMBS]; /* little-endian */
} big;

static void big_mul_small(big *b, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < LIMBS; i++) {
        uint64_t t = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
}

static void big_div_small(big *b, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = LIMBS; i-- > 0;) {
        uint64_t t = rem << 32 | b->w[i];
        b->w[i] = (uint32_t)(t / d);
        rem = t % d;
    }
}

/* floor(b / 2^s) + 1 as g1, g0, for b < 2^(s + 126). A negative s shifts
 * left (the bits below 0 read as zeros): exact. */
static void big_take(const big *b, int s, uint64_t *g1, uint64_t *g0)
{
    uint64_t part[2] = {0, 0}; /* bits s..s+127 */
    for (int j = 0; j < 128; j++) {
        int bit = s + j;
        if (bit >= 0 && bit < 32 * LIMBS && (b->w[bit / 32] >> (bit % 32) & 1))
            part[j / 64] |= 1ULL << (j % 64);
    }
    /* + 1, then split at bit 63 */
    if (++part[0] == 0)
        part[1]++;
    *g0 = part[0] & M63;
    *g1 = part[0] >> 63 | part[1] << 1;
}

static void make_table(void)
{
    /* e >= 0: 10^e exactly, shifted by r (left when r < 0). */
    big p;
    memset(&p, 0, sizeof p);
    p.w[0] = 1;
    for (int e = 0; e <= G_MAX; e++) {
        int r = flog2pow10(e) - 125;
        big_take(&p, r, &g_tab[e - G_MIN][0], &g_tab[e - G_MIN][1]);
        big_mul_small(&p, 10);
    }
    /* e < 0: floor(2^M / 10^j) by repeated division (floor(floor(x/a)/b)
     * = floor(x/(ab))), then floor(2^-r / 10^j) = that >> (M + r). */
    const int M = 1110;
    memset(&p, 0, sizeof p);
    p.w[M / 32] = 1u << (M % 32);
    for (int j = 1; j <= -G_MIN; j++) {
        big_div_small(&p, 10);
        int r = flog2pow10(-j) - 125;
        big_take(&p, M + r, &g_tab[-j - G_MIN][0], &g_tab[-j - G_MIN][1]);
    }
}

/* Round to odd of g cp / 2^127: the integer part, with the lowest bit set
 * when anything was cut. */
static uint64_t rop(uint64_t g1, uint64_t g0, uint64_t cp)
{
    unsigned __int128 x = (unsigned __int128)g0 * cp;
    unsigned __int128 y = (unsigned __int128)g1 * cp;
    uint64_t x1 = (uint64_t)(x >> 64), y0 = (uint64_t)y, y1 = (uint64_t)(y >> 64);
    uint64_t z = (y0 >> 1) + x1;
    uint64_t vbp = y1 + (z >> 63);
    return vbp | (((z & M63) + M63) >> 63);
}

/* v < 10^8 as its 8 digit values, one per byte, the first digit in the
 * lowest byte: split in halves of four digits (32-bit lanes), each in
 * pairs (16-bit lanes), each pair in two bytes, every lane at once with
 * multiplications by reciprocals that are exact in these ranges
 * (n * 5243 >> 19 = n / 100 for n < 10^4, n * 103 >> 10 = n / 10 for
 * n < 100). */
static inline uint64_t bcd8(uint32_t v)
{
    uint64_t a = v / 10000, x = a | (uint64_t)(v - (uint32_t)a * 10000) << 32;
    uint64_t h = ((x * 5243) >> 19) & 0x0000007F0000007FULL;
    x = h | (x - h * 100) << 16;
    uint64_t t = ((x * 103) >> 10) & 0x000F000F000F000FULL;
    return t | (x - t * 10) << 8;
}

/* Store the 8 bytes of w, lowest first (digits in reading order). */
static inline void put8(char *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, 8);
}

/* The decimal f 10^e (0 < f < 10^18) as digits without trailing zeros,
 * written into t[6..24) and found at t + *first. The first and last
 * digits are found from the digit words (zero bytes), without a loop. */
static int put_digits(uint64_t f, int e, char *t, int *first, int *x)
{
    uint64_t hi = f / 100000000;
    uint64_t lo = bcd8((uint32_t)(f % 100000000));
    uint64_t mid = bcd8((uint32_t)(hi % 100000000));
    uint32_t top = (uint32_t)(hi / 100000000); /* < 100 */
    t[6] = (char)('0' + top / 10);
    t[7] = (char)('0' + top % 10);
    put8(t + 8, mid + 0x3030303030303030ULL);
    put8(t + 16, lo + 0x3030303030303030ULL);
    int start = top ? (top >= 10 ? 6 : 7)
                : mid ? 8 + __builtin_ctzll(mid) / 8 : 16 + __builtin_ctzll(lo) / 8;
    int end = lo ? 24 - __builtin_clzll(lo) / 8
              : mid ? 16 - __builtin_clzll(mid) / 8 : 8 - (top % 10 == 0);
    *first = start;
    *x = e + (24 - start) - 1;
    return end - start;
}

/* Figure 7 of the paper: v = c 2^q. */
static int to_decimal(int q, uint64_t c, char *digits, int *first, int *x)
{
    uint64_t out = c & 1;
    uint64_t cb = c << 2, cbr = cb + 2, cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
        cbl = cb - 2; /* regular spacing */
        k = flog10pow2(q);
    } else {
        cbl = cb - 1; /* at a power of two the interval below is half as wide */
        k = flog10three_quarters_pow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    const uint64_t *g = g_tab[-k - G_MIN];
    uint64_t vb = rop(g[0], g[1], cb << h);
    uint64_t vbl = rop(g[0], g[1], cbl << h);
    uint64_t vbr = rop(g[0], g[1], cbr << h);
    uint64_t s = vb >> 2;
    if (s >= 10) {
        /* One digit shorter: s' 10^(k+1) or t' 10^(k+1). (Java tries this
         * from s >= 100 only, for its two-digit minimum; a subnormal's
         * interval is as narrow in these units as a normal's, so the same
         * test holds for two-digit s.) */
        uint64_t sp10 = 10 * (s / 10), tp10 = sp10 + 10;
        int upin = vbl + out <= sp10 << 2;
        int wpin = (tp10 << 2) + out <= vbr;
        if (upin != wpin)
            return put_digits(upin ? sp10 : tp10, k, digits, first, x);
    }
    /* s 10^k or t 10^k: the one in the interval, or the closer of the two
     * (ties to even). At least one is in (the interval is at least 10^k
     * wide). Chosen without branches: which one it is, is as good as
     * random, and a mispredicted branch costs more than this arithmetic. */
    uint64_t t = s + 1;
    uint64_t uin = vbl + out <= s << 2;
    uint64_t win = (t << 2) + out <= vbr;
    int64_t cmp = (int64_t)(vb - ((s + t) << 1));
    uint64_t closer_t = cmp > 0 || (cmp == 0 && (s & 1));
    return put_digits(s + (win & ((uin ^ 1) | closer_t)), k, digits, first, x);
}

int aug_shortest_digits(double v, char *digits, int *first, int *x)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t t = bits & (C_MIN - 1);
    int bq = (int)(bits >> 52) & 0x7FF;
    if (bq == 0 && t == 0) {
        memset(digits, '0', AUG_DIGITS_BUF); /* "0" */
        *first = 0;
        *x = 0;
        return 1;
    }
    pthread_once(&g_once, make_table);
    if (bq != 0) {
        int mq = -Q_MIN + 1 - bq; /* v = c 2^-mq */
        uint64_t c = C_MIN | t;
        /* An integer below 2^53: its own digits are the shortest. */
        if (mq > 0 && mq < 53 && ((c >> mq) << mq) == c)
            return put_digits(c >> mq, 0, digits, first, x);
        return to_decimal(-mq, c, digits, first, x);
    }
    /* The two smallest subnormals are below the range the method covers
     * (Java's version scales them by 10 for its two-digit minimum): one
     * digit each, 5e-324 and 1e-323, the closest one-digit decimals. */
    if (t < C_TINY) {
        memset(digits, '0', AUG_DIGITS_BUF);
        digits[0] = t == 1 ? '5' : '1';
        *first = 0;
        *x = t == 1 ? -324 : -323;
        return 1;
    }
    return to_decimal(Q_MIN, t, digits, first, x);
}
