/* Rotation about the image centre, sampled as OpenCV's warpAffine.
 *
 * The forward matrix is getRotationMatrix2D's and is inverted the way
 * warpAffine inverts it, so each destination pixel reads the source at the
 * inverse-mapped position. The inverse map is affine, so along a row the
 * source position is a start point plus a constant step: no trigonometry
 * per pixel, and where the whole footprint is inside the source, no border
 * rule either. There the position is stepped in fixed point and the
 * weights are integers, on a finer grid than OpenCV's 1/32 pixel; the few
 * pixels per row that straddle the edge are sampled in double precision.
 * Both agree with an exact computation to within rounding. */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "augment/geometry.h"
#include "augment/kernels.h"
#include "core/dmath.h"
#include "core/simd.h"
#include "kernels/border.h"

/* What a sampler needs. m is the inverse map:
 * source = (m[0] x + m[1] y + m[2], m[3] x + m[4] y + m[5]). */
typedef struct warp {
    const aug_image *src;
    aug_image *dst;
    double m[6];
    aug_border border;
    const uint8_t *fill; /* doubles as a "pixel" for the constant border */
} warp;

void aug_rotate_params_default(aug_rotate_params *p)
{
    memset(p, 0, sizeof *p);
    p->angle = 0.0;
    p->interp = AUG_INTERP_BILINEAR;
    p->border = AUG_BORDER_CONSTANT;
}

static const uint8_t *pixel_at(const warp *w, int64_t x, int64_t y)
{
    const aug_image *s = w->src;
    x = aug_border_index(x, s->width, w->border);
    y = aug_border_index(y, s->height, w->border);
    if (x < 0 || y < 0)
        return w->fill;
    return s->data + ((size_t)y * (size_t)s->width + (size_t)x) * (size_t)s->channels;
}

static uint8_t saturate(double v)
{
    if (v <= 0.0)
        return 0;
    if (v >= 255.0)
        return 255;
    return (uint8_t)(v + 0.5);
}

/* Narrow [*lo, *hi) to the x for which s + d x (d = -1, 0 or 1) stays
 * inside 0..len-1. */
static void clip_span(int64_t s, int64_t d, int64_t len, int64_t *lo, int64_t *hi)
{
    if (d == 0) {
        if (s < 0 || s >= len)
            *hi = *lo;
        return;
    }
    int64_t a = d > 0 ? -s : s - len + 1, b = d > 0 ? len - s : s + 1;
    if (a > *lo)
        *lo = a;
    if (b < *hi)
        *hi = b;
    if (*hi < *lo)
        *hi = *lo;
}

/* Output pixels x0..x1-1 of a row through the border rule, one by one. */
static void exact_border(const warp *w, const int64_t *m, int64_t sx, int64_t sy,
                         int64_t x0, int64_t x1, uint8_t *row)
{
    int ch = w->src->channels;
    for (int64_t x = x0; x < x1; x++) {
        const uint8_t *p = pixel_at(w, sx + m[0] * x, sy + m[3] * x);
        for (int c = 0; c < ch; c++)
            row[x * ch + c] = p[c];
    }
}

/* A quarter turn whose inverse map is integral: every output pixel is a
 * source pixel (or border), copied, never computed. Along a row the source
 * moves by a constant whole pixel, so the part of the row that lands inside
 * the source, [lo, hi), is a plain strided copy. */
static void warp_exact(const warp *w)
{
    const aug_image *s = w->src, *d = w->dst;
    int ch = d->channels, dw = d->width;
    int64_t m[6];
    for (int i = 0; i < 6; i++)
        m[i] = (int64_t)w->m[i];
    int64_t step = (m[0] + m[3] * s->width) * ch;
    for (int y = 0; y < d->height; y++) {
        uint8_t *row = d->data + (size_t)y * (size_t)dw * (size_t)ch;
        int64_t sx = m[1] * y + m[2], sy = m[4] * y + m[5], lo = 0, hi = dw;
        clip_span(sx, m[0], s->width, &lo, &hi);
        clip_span(sy, m[3], s->height, &lo, &hi);
        if (lo > dw)
            lo = hi = dw;
        exact_border(w, m, sx, sy, 0, lo, row);
        int64_t off = ((sy + m[3] * lo) * s->width + sx + m[0] * lo) * ch;
        for (int64_t x = lo; x < hi; x++, off += step)
            for (int c = 0; c < ch; c++)
                row[x * ch + c] = s->data[off + c];
        exact_border(w, m, sx, sy, hi, dw, row);
    }
}

/* Keys' cubic convolution weights for taps at -1, 0, 1, 2 from the sample
 * at fraction t, with OpenCV's a = -0.75 and its arrangement of the terms. */
static void cubic_weights(double t, double wt[4])
{
    const double a = -0.75;
    wt[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
    wt[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
    wt[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
    wt[3] = 1.0 - wt[0] - wt[1] - wt[2];
}

/* Nearest rounds halves up, as OpenCV. Exact halves are common (sin 30 =
 * 0.5 on a half-integer centre) but arrive as 0.49999999999999994 from
 * sin(), and the fixed-point stepping below may land up to 2^-22 px short,
 * so halves are nudged up by 2^-20 px; OpenCV's own 1/1024-pixel grid
 * rounds up everything within 1/2048 px of a half. */
#define NEAREST_BIAS (0.5 + 1.0 / 1048576.0)

/* Fixed-point source positions: 32 fractional bits. Each run of at most
 * CHUNK pixels restarts from the double-precision position, so rounding
 * the step to 2^-32 px drifts by under 2^-22 px. */
#define FIX_ONE 4294967296.0
#define CHUNK 1024

/* Bilinear weights have 11 fractional bits: positions on a 1/2048-pixel
 * grid are at most 1/8 grey level from exact (OpenCV uses 1/32). */
#define LIN_BITS 11

/* Bicubic weights come from a table on a 1/4096-pixel grid, scaled by
 * 2^14. Finer than bilinear's because on a 0/255 pattern the cubic's slope
 * reaches 1050 levels per pixel: 1/8192 px of rounding then costs 1/8
 * level per axis, and the integer weights 1/18 more. */
#define CUBIC_BITS 12
#define CUBIC_STEPS (1 << CUBIC_BITS)

/* How a filter reads the source, per axis: indices floor(f + bias) -
 * before .. floor(f + bias) + after; bias rounds the fixed-point position
 * to the weight grid (nearest: to the pixel). */
typedef struct sampler {
    aug_interp interp;
    int before, after;
    double bias;
    const int16_t (*cubic)[4]; /* bicubic: weights for t = i / CUBIC_STEPS */
} sampler;

/* floor() of a source position, which is far inside the int64 range:
 * cheaper inline than the libm call, which costs more than a sample. */
static int64_t ifloor(double v)
{
    int64_t t = (int64_t)v;
    return t - (v < (double)t);
}

/* The general sampler at (fx, fy): every tap through the border rule, in
 * double precision. Only the pixels whose footprint straddles the source
 * edge come here, a few per row. */
static void sample_general(const warp *w, aug_interp interp, double fx, double fy, uint8_t *o)
{
    const aug_image *s = w->src;
    int ch = s->channels, n = interp == AUG_INTERP_BICUBIC ? 4 : 2;
    if (interp == AUG_INTERP_NEAREST) {
        const uint8_t *p = pixel_at(w, ifloor(fx + NEAREST_BIAS), ifloor(fy + NEAREST_BIAS));
        for (int c = 0; c < ch; c++)
            o[c] = p[c];
        return;
    }
    int64_t ix = ifloor(fx), iy = ifloor(fy);
    double wx[4], wy[4];
    if (n == 4) {
        cubic_weights(fx - (double)ix, wx);
        cubic_weights(fy - (double)iy, wy);
    } else {
        wx[1] = fx - (double)ix;
        wx[0] = 1.0 - wx[1];
        wy[1] = fy - (double)iy;
        wy[0] = 1.0 - wy[1];
    }
    /* the border rule is separable: n lookups per axis, not n * n */
    int64_t xs[4], ys[4];
    for (int i = 0; i < n; i++) {
        xs[i] = aug_border_index(ix - (n == 4) + i, s->width, w->border);
        ys[i] = aug_border_index(iy - (n == 4) + i, s->height, w->border);
    }
    const uint8_t *tap[4][4];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            tap[j][i] = xs[i] < 0 || ys[j] < 0
                            ? w->fill
                            : s->data + ((size_t)ys[j] * (size_t)s->width + (size_t)xs[i]) *
                                            (size_t)ch;
    for (int c = 0; c < ch; c++) {
        double v = 0.0;
        for (int j = 0; j < n; j++) {
            double row = 0.0;
            for (int i = 0; i < n; i++)
                row += wx[i] * tap[j][i][c];
            v += wy[j] * row;
        }
        o[c] = saturate(v);
    }
}

static void general_span(const warp *w, aug_interp interp, double ax, double ay, int x0,
                         int x1, uint8_t *row)
{
    int ch = w->src->channels;
    for (int x = x0; x < x1; x++)
        sample_general(w, interp, ax + w->m[0] * x, ay + w->m[3] * x,
                       row + (size_t)x * (size_t)ch);
}

static void fill_span(const warp *w, int x0, int x1, uint8_t *row)
{
    int ch = w->src->channels;
    for (int x = x0; x < x1; x++)
        for (int c = 0; c < ch; c++)
            row[(size_t)x * (size_t)ch + (size_t)c] = w->fill[c];
}

/* The fast samplers: n pixels from fixed-point position (X, Y), stepping
 * by (dX, dY), every tap known to be inside the source. Unsigned so the
 * stepping wraps, well defined, around the always non-negative positions.
 * Each is expanded once per channel count with a constant `ch`, so the
 * channels unroll: a loop of 1 to 4 costs as much as the work, and left
 * to its heuristics the compiler may not inline, leaving `ch` variable. */
#if defined(__GNUC__)
#define SPECIALISE static inline __attribute__((always_inline))
#else
#define SPECIALISE static inline
#endif

SPECIALISE void nearest_run(const uint8_t *sd, size_t stride, uint64_t X, uint64_t Y,
                            uint64_t dX, uint64_t dY, int n, int ch, uint8_t *o)
{
    for (int i = 0; i < n; i++, X += dX, Y += dY, o += ch) {
        const uint8_t *p = sd + (size_t)(Y >> 32) * stride + (size_t)(X >> 32) * (size_t)ch;
        o[0] = p[0];
        if (ch > 1)
            o[1] = p[1];
        if (ch > 2)
            o[2] = p[2];
        if (ch > 3)
            o[3] = p[3];
    }
}

/* One channel from the 2x2 at p (top) and q (bottom), ch apart, with the
 * four weights w summing to 2^22: exact in int, 255 * 2^22 < 2^31. */
SPECIALISE uint8_t bilinear_one(const uint8_t *p, const uint8_t *q, int ch, const int w[4])
{
    return (uint8_t)((w[0] * p[0] + w[1] * p[ch] + w[2] * q[0] + w[3] * q[ch] +
                      (1 << (2 * LIN_BITS - 1))) >> (2 * LIN_BITS));
}

SPECIALISE void bilinear_run(const uint8_t *sd, size_t stride, uint64_t X, uint64_t Y,
                             uint64_t dX, uint64_t dY, int n, int ch, uint8_t *o)
{
    const int mask = (1 << LIN_BITS) - 1;
    for (int i = 0; i < n; i++, X += dX, Y += dY, o += ch) {
        const uint8_t *p = sd + (size_t)(Y >> 32) * stride + (size_t)(X >> 32) * (size_t)ch;
        const uint8_t *q = p + stride;
        int ax = (int)(X >> (32 - LIN_BITS)) & mask, ay = (int)(Y >> (32 - LIN_BITS)) & mask;
        int w[4];
        w[3] = ax * ay;
        w[1] = (ax << LIN_BITS) - w[3];
        w[2] = (ay << LIN_BITS) - w[3];
        w[0] = (1 << (2 * LIN_BITS)) - w[1] - w[2] - w[3];
        o[0] = bilinear_one(p, q, ch, w);
        if (ch > 1)
            o[1] = bilinear_one(p + 1, q + 1, ch, w);
        if (ch > 2)
            o[2] = bilinear_one(p + 2, q + 2, ch, w);
        if (ch > 3)
            o[3] = bilinear_one(p + 3, q + 3, ch, w);
    }
}

#if AUG_WIDE
/* The same sums with a pixel's channels as the four lanes of a vector:
 * four 32-bit products per tap instead of one per channel. Exact integer
 * arithmetic, so the same bytes as bilinear_run. Three channels load four
 * bytes per tap; the one pixel whose fourth byte would lie past the image
 * (the bottom-right corner) and the last pixel of a run (whose fourth
 * byte would land on the next one's output) take the scalar sums. */
typedef int32_t lane4 __attribute__((vector_size(16)));
typedef uint8_t byte16 __attribute__((vector_size(16)));

/* four bytes at p as four 32-bit lanes: a 4-byte load and one shuffle */
AUG_ALWAYS_INLINE lane4 widen4(const uint8_t *p)
{
    int32_t v;
    memcpy(&v, p, 4);
    byte16 b = (byte16)(lane4){v, 0, 0, 0}, z = {0};
    b = __builtin_shufflevector(b, z, 0, 16, 16, 16, 1, 16, 16, 16, 2, 16, 16, 16, 3, 16, 16, 16);
    return (lane4)b;
}

AUG_WIDE_TARGET static void bilinear_run_wide(const uint8_t *restrict sd, size_t stride,
                                              const uint8_t *end, uint64_t X, uint64_t Y,
                                              uint64_t dX, uint64_t dY, int n, int ch,
                                              uint8_t *restrict o)
{
    const int mask = (1 << LIN_BITS) - 1;
    const size_t c = (size_t)ch;
    for (int i = 0; i < n; i++, X += dX, Y += dY, o += ch) {
        const uint8_t *p = sd + (size_t)(Y >> 32) * stride + (size_t)(X >> 32) * c;
        const uint8_t *q = p + stride;
        int ax = (int)(X >> (32 - LIN_BITS)) & mask, ay = (int)(Y >> (32 - LIN_BITS)) & mask;
        int w3 = ax * ay, w1 = (ax << LIN_BITS) - w3, w2 = (ay << LIN_BITS) - w3;
        int w0 = (1 << (2 * LIN_BITS)) - w1 - w2 - w3;
        if (ch == 3 && (i == n - 1 || q + 7 > end)) {
            const int w[4] = {w0, w1, w2, w3};
            for (int k = 0; k < 3; k++)
                o[k] = bilinear_one(p + k, q + k, ch, w);
            continue;
        }
        lane4 acc = widen4(p) * w0 + widen4(p + c) * w1 + widen4(q) * w2 + widen4(q + c) * w3;
        acc = (acc + (1 << (2 * LIN_BITS - 1))) >> (2 * LIN_BITS);
        byte16 b = __builtin_shufflevector((byte16)acc, (byte16)acc, 0, 4, 8, 12, 0, 0, 0, 0, 0,
                                           0, 0, 0, 0, 0, 0, 0);
        int32_t r = ((lane4)b)[0];
        memcpy(o, &r, 4);
    }
}
#endif

/* One row of four taps, ch apart: within +-255 * 1.375 * 2^14. */
SPECIALISE int32_t cubic_row(const uint8_t *r, int ch, const int16_t *wx)
{
    return wx[0] * r[0] + wx[1] * r[ch] + wx[2] * r[2 * ch] + wx[3] * r[3 * ch];
}

/* One channel from the 4x4 at p, rows stride apart. */
SPECIALISE uint8_t bicubic_one(const uint8_t *p, size_t stride, int ch, const int16_t *wx,
                               const int16_t *wy)
{
    /* the weighted sum of rows needs more than 32 bits */
    int64_t v = (int64_t)wy[0] * cubic_row(p, ch, wx) +
                (int64_t)wy[1] * cubic_row(p + stride, ch, wx) +
                (int64_t)wy[2] * cubic_row(p + 2 * stride, ch, wx) +
                (int64_t)wy[3] * cubic_row(p + 3 * stride, ch, wx);
    v = v <= 0 ? 0 : (v + (1 << 27)) >> 28;
    return v > 255 ? 255 : (uint8_t)v;
}

SPECIALISE void bicubic_run(const uint8_t *sd, size_t stride, uint64_t X, uint64_t Y,
                            uint64_t dX, uint64_t dY, int n, int ch, uint8_t *o,
                            const int16_t (*tab)[4])
{
    const int mask = CUBIC_STEPS - 1;
    for (int i = 0; i < n; i++, X += dX, Y += dY, o += ch) {
        const int16_t *wx = tab[(int)(X >> (32 - CUBIC_BITS)) & mask];
        const int16_t *wy = tab[(int)(Y >> (32 - CUBIC_BITS)) & mask];
        const uint8_t *p =
            sd + (size_t)((Y >> 32) - 1) * stride + (size_t)((X >> 32) - 1) * (size_t)ch;
        o[0] = bicubic_one(p, stride, ch, wx, wy);
        if (ch > 1)
            o[1] = bicubic_one(p + 1, stride, ch, wx, wy);
        if (ch > 2)
            o[2] = bicubic_one(p + 2, stride, ch, wx, wy);
        if (ch > 3)
            o[3] = bicubic_one(p + 3, stride, ch, wx, wy);
    }
}

#if AUG_WIDE
/* Bicubic with the channels as lanes: four 32-bit row sums per tap row,
 * then the column sum in 64-bit lanes, exact as bicubic_one, so the same
 * bytes. Three channels: the scalar sums where a 4-byte load would pass
 * the image's end, and for the run's last pixel. */
typedef int64_t lane4w __attribute__((vector_size(32)));

AUG_WIDE_TARGET static void bicubic_run_wide(const uint8_t *restrict sd, size_t stride,
                                             const uint8_t *end, uint64_t X, uint64_t Y,
                                             uint64_t dX, uint64_t dY, int n, int ch,
                                             uint8_t *restrict o, const int16_t (*tab)[4])
{
    const int mask = CUBIC_STEPS - 1;
    const size_t c = (size_t)ch;
    for (int i = 0; i < n; i++, X += dX, Y += dY, o += ch) {
        const int16_t *wx = tab[(int)(X >> (32 - CUBIC_BITS)) & mask];
        const int16_t *wy = tab[(int)(Y >> (32 - CUBIC_BITS)) & mask];
        const uint8_t *p = sd + (size_t)((Y >> 32) - 1) * stride + (size_t)((X >> 32) - 1) * c;
        if (ch == 3 && (i == n - 1 || p + 3 * stride + 3 * c + 4 > end)) {
            for (int k = 0; k < 3; k++)
                o[k] = bicubic_one(p + k, stride, ch, wx, wy);
            continue;
        }
        lane4w acc = {0, 0, 0, 0};
        for (int j = 0; j < 4; j++) {
            const uint8_t *r = p + (size_t)j * stride;
            lane4 row = widen4(r) * wx[0] + widen4(r + c) * wx[1] + widen4(r + 2 * c) * wx[2] +
                        widen4(r + 3 * c) * wx[3];
            acc += __builtin_convertvector(row, lane4w) * (int64_t)wy[j];
        }
        acc = (acc + (1 << 27)) >> 28;
        acc &= ~(acc < 0); /* comparisons give all-ones lanes where true */
        lane4w hi = acc > 255;
        acc = (acc & ~hi) | (hi & 255);
        lane4 v = __builtin_convertvector(acc, lane4);
        byte16 b = __builtin_shufflevector((byte16)v, (byte16)v, 0, 4, 8, 12, 0, 0, 0, 0, 0, 0,
                                           0, 0, 0, 0, 0, 0);
        int32_t r4 = ((lane4)b)[0];
        memcpy(o, &r4, 4);
    }
}
#endif

/* Position to fixed point; refused (0) where the fast path does not go. */
static int to_fix(double v, int64_t *out)
{
    if (!(v >= 0.0 && v < 1073741824.0)) /* 2^30: stepping cannot overflow */
        return 0;
    *out = (int64_t)(v * FIX_ONE + 0.5);
    return 1;
}

/* n pixels from the double positions (fx, fy) on the fast path. The span
 * was cut with a margin, but it is the fixed-point positions that address
 * memory: being linear, they are inside for all n pixels when they are
 * inside for the first and last, which is checked here, exactly. Returns
 * 0, having written nothing, if not. */
static int fast_chunk(const warp *w, const sampler *sm, double fx, double fy, int64_t dX,
                      int64_t dY, int n, uint8_t *o)
{
    const aug_image *s = w->src;
    int64_t X, Y;
    if (!to_fix(fx + sm->bias, &X) || !to_fix(fy + sm->bias, &Y))
        return 0;
    int64_t Xl = X + (int64_t)(n - 1) * dX, Yl = Y + (int64_t)(n - 1) * dY;
    int64_t min = (int64_t)sm->before << 32;
    int64_t xmax = (int64_t)(s->width - sm->after) << 32;
    int64_t ymax = (int64_t)(s->height - sm->after) << 32;
    if (X < min || Xl < min || Y < min || Yl < min || X >= xmax || Xl >= xmax || Y >= ymax ||
        Yl >= ymax)
        return 0;
    const uint8_t *sd = s->data;
    size_t stride = (size_t)s->width * (size_t)s->channels;
    uint64_t x = (uint64_t)X, y = (uint64_t)Y, dx = (uint64_t)dX, dy = (uint64_t)dY;
    const int16_t (*tab)[4] = sm->cubic;
    switch ((int)sm->interp * 4 + s->channels - 1) {
    case 0: nearest_run(sd, stride, x, y, dx, dy, n, 1, o); break;
    case 1: nearest_run(sd, stride, x, y, dx, dy, n, 2, o); break;
    case 2: nearest_run(sd, stride, x, y, dx, dy, n, 3, o); break;
    case 3: nearest_run(sd, stride, x, y, dx, dy, n, 4, o); break;
    case 4: bilinear_run(sd, stride, x, y, dx, dy, n, 1, o); break;
    case 5: bilinear_run(sd, stride, x, y, dx, dy, n, 2, o); break;
    case 6:
#if AUG_WIDE
        if (aug_wide_ok()) {
            bilinear_run_wide(sd, stride, sd + stride * (size_t)s->height, x, y, dx, dy, n, 3, o);
            break;
        }
#endif
        bilinear_run(sd, stride, x, y, dx, dy, n, 3, o);
        break;
    case 7:
#if AUG_WIDE
        if (aug_wide_ok()) {
            bilinear_run_wide(sd, stride, sd + stride * (size_t)s->height, x, y, dx, dy, n, 4, o);
            break;
        }
#endif
        bilinear_run(sd, stride, x, y, dx, dy, n, 4, o);
        break;
    case 8: bicubic_run(sd, stride, x, y, dx, dy, n, 1, o, tab); break;
    case 9: bicubic_run(sd, stride, x, y, dx, dy, n, 2, o, tab); break;
    case 10:
#if AUG_WIDE
        if (aug_wide_ok()) {
            bicubic_run_wide(sd, stride, sd + stride * (size_t)s->height, x, y, dx, dy, n, 3, o,
                             tab);
            break;
        }
#endif
        bicubic_run(sd, stride, x, y, dx, dy, n, 3, o, tab);
        break;
    default:
#if AUG_WIDE
        if (aug_wide_ok()) {
            bicubic_run_wide(sd, stride, sd + stride * (size_t)s->height, x, y, dx, dy, n, 4, o,
                             tab);
            break;
        }
#endif
        bicubic_run(sd, stride, x, y, dx, dy, n, 4, o, tab);
        break;
    }
    return 1;
}

/* Safety margin (pixels) when cutting a row into spans: pixels this close
 * to a cut take the slower, exact side. */
#define MARGIN (1.0 / 64.0)

/* Narrow [*lo, *hi) to the i for which vmin <= a + m i <= vmax. */
static void narrow(double a, double m, double vmin, double vmax, int *lo, int *hi)
{
    if (m == 0.0) {
        if (!(a >= vmin && a <= vmax))
            *hi = *lo;
        return;
    }
    double t0 = (vmin - a) / m, t1 = (vmax - a) / m;
    if (m < 0.0) {
        double t = t0;
        t0 = t1;
        t1 = t;
    }
    /* compared as doubles before converting: t can be huge for tiny m */
    if (t0 > *lo)
        *lo = t0 >= *hi ? *hi : (int)ceil(t0);
    if (t1 < *hi - 1)
        *hi = t1 < *lo ? *lo : (int)floor(t1) + 1;
    if (*hi < *lo)
        *hi = *lo;
}

/* Every output row cut analytically into spans, in order: fill (constant
 * border only: the footprint misses the source entirely), general (the
 * footprint straddles the edge), fast (wholly inside), general, fill. A
 * line crosses a rectangle in one interval, so each kind of span is one
 * piece per side. */
static void warp_rows(const warp *w, const sampler *sm)
{
    const aug_image *d = w->dst;
    int ch = d->channels, dw = d->width;
    double sw = w->src->width, sh = w->src->height;
    /* locals, not w->m: stores through uint8_t* may alias anything, which
     * would make the compiler reload the matrix for every pixel */
    const double m0 = w->m[0], m3 = w->m[3];
    /* |m0|, |m3| <= 1 */
    int64_t dX = (int64_t)floor(m0 * FIX_ONE + 0.5), dY = (int64_t)floor(m3 * FIX_ONE + 0.5);
    /* where the footprint may touch the source, and where it is inside */
    double tlo = -sm->after - sm->bias - MARGIN, thi = sm->before - sm->bias + MARGIN;
    double ilo = sm->before - sm->bias + MARGIN, ihi = -sm->after - sm->bias - MARGIN;
    for (int y = 0; y < d->height; y++) {
        uint8_t *row = d->data + (size_t)y * (size_t)dw * (size_t)ch;
        double ax = w->m[1] * y + w->m[2], ay = w->m[4] * y + w->m[5];
        int o0 = 0, o1 = dw;
        if (w->border == AUG_BORDER_CONSTANT) {
            narrow(ax, m0, tlo, sw + thi, &o0, &o1);
            narrow(ay, m3, tlo, sh + thi, &o0, &o1);
        }
        int i0 = o0, i1 = o1;
        narrow(ax, m0, ilo, sw + ihi, &i0, &i1);
        narrow(ay, m3, ilo, sh + ihi, &i0, &i1);

        fill_span(w, 0, o0, row);
        general_span(w, sm->interp, ax, ay, o0, i0, row);
        for (int x = i0; x < i1; x += CHUNK) {
            int n = i1 - x < CHUNK ? i1 - x : CHUNK;
            if (!fast_chunk(w, sm, ax + m0 * x, ay + m3 * x, dX, dY, n,
                            row + (size_t)x * (size_t)ch))
                general_span(w, sm->interp, ax, ay, x, x + n, row);
        }
        general_span(w, sm->interp, ax, ay, i1, o1, row);
        fill_span(w, o1, dw, row);
    }
}

static void warp_sampled(const warp *w, aug_interp interp)
{
    sampler sm = {interp, 0, 0, NEAREST_BIAS, NULL};
    if (interp == AUG_INTERP_BILINEAR) {
        sm.after = 1;
        sm.bias = 0.5 / (1 << LIN_BITS);
        warp_rows(w, &sm);
    } else if (interp == AUG_INTERP_BICUBIC) {
        int16_t tab[CUBIC_STEPS][4]; /* 32 KiB */
        for (int i = 0; i < CUBIC_STEPS; i++) {
            double wd[4];
            cubic_weights((double)i / CUBIC_STEPS, wd);
            /* weights exceed -1, so the shifted value is positive and
             * truncation is floor */
            for (int k = 0; k < 3; k++)
                tab[i][k] = (int16_t)((int)(wd[k] * 16384.0 + 16384.5) - 16384);
            tab[i][3] = (int16_t)(16384 - tab[i][0] - tab[i][1] - tab[i][2]);
        }
        sm.before = 1;
        sm.after = 2;
        sm.bias = 0.5 / CUBIC_STEPS;
        sm.cubic = (const int16_t (*)[4])tab;
        warp_rows(w, &sm);
    } else {
        warp_rows(w, &sm);
    }
}

/* cos and sin of `deg`; at multiples of 90 degrees (within 1e-9, any sign
 * or number of turns) they are exact and the quarter turn 0..3 is returned,
 * else -1. Exact values make those rotations permutations rather than
 * resamplings with 6e-17 weights. */
static int rotation(double deg, double *cs, double *sn)
{
    static const double exact[4][2] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    double a = fmod(deg, 360.0);
    if (a < 0.0)
        a += 360.0;
    double q = floor(a / 90.0 + 0.5);
    if (fabs(a - 90.0 * q) <= 1e-9) {
        int k = (int)q % 4;
        *cs = exact[k][0];
        *sn = exact[k][1];
        return k;
    }
    double r = a * (3.14159265358979323846 / 180.0);
    *cs = aug_cos(r);
    *sn = aug_sin(r);
    return -1;
}

int aug_rotate_quarter(double angle)
{
    double c, s;
    return isfinite(angle) ? rotation(angle, &c, &s) : -1;
}

aug_status aug_rotate_size(int w, int h, const aug_rotate_params *p, int *out_w,
                           int *out_h, aug_error *err)
{
    *out_w = w;
    *out_h = h;
    if (!p->expand)
        return AUG_OK;
    double c, s;
    rotation(p->angle, &c, &s);
    /* The pixel squares span w x h, so the rotated image's bounding box is
     * |w cos| + |h sin| by |w sin| + |h cos|. Rounded up so nothing is
     * cut, after a 1e-6 allowance for float noise; quarter turns have exact
     * cos/sin, so 90 and 270 give exactly h x w. */
    double bw = ceil(fabs(w * c) + fabs(h * s) - 1e-6);
    double bh = ceil(fabs(w * s) + fabs(h * c) - 1e-6);
    if (!(bw <= INT_MAX && bh <= INT_MAX))
        return aug_fail(err, AUG_ERR_LIMIT,
                        "rotate: the expanded canvas of a %dx%d image is too large", w, h);
    *out_w = bw < 1 ? 1 : (int)bw;
    *out_h = bh < 1 ? 1 : (int)bh;
    return AUG_OK;
}

void aug_rotate_matrix(int w, int h, const aug_rotate_params *p, double f[6])
{
    double c, s;
    int nw = w, nh = h;
    rotation(p->angle, &c, &s);
    aug_rotate_size(w, h, p, &nw, &nh, NULL);
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    /* getRotationMatrix2D(centre, angle, 1): destination = f * source */
    f[0] = c;
    f[1] = s;
    f[2] = (1 - c) * cx - s * cy;
    f[3] = -s;
    f[4] = c;
    f[5] = s * cx + (1 - c) * cy;
    if (p->expand) { /* the centre maps to the new centre */
        f[2] += (nw - 1) / 2.0 - cx;
        f[5] += (nh - 1) / 2.0 - cy;
    }
}

aug_status aug_rotate(const aug_image *src, aug_image *dst,
                      const aug_rotate_params *p, aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "rotate: the output must be a separate image");
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !p)
        return aug_fail(err, AUG_ERR_ARG, "rotate: missing input image or parameters");
    if (!src->data || src->width <= 0 || src->height <= 0)
        return aug_fail(err, AUG_ERR_ARG, "rotate: the input image is empty");
    if (src->channels < 1 || src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "rotate: %d channels (1 to 4 allowed)", src->channels);
    if (!isfinite(p->angle))
        return aug_fail(err, AUG_ERR_ARG, "rotate: angle %g is not a finite number of degrees",
                        p->angle);
    if ((unsigned)p->interp > (unsigned)AUG_INTERP_BICUBIC)
        return aug_fail(err, AUG_ERR_ARG,
                        "rotate: unknown interpolation %d (nearest, bilinear or bicubic)",
                        (int)p->interp);
    if ((unsigned)p->border > (unsigned)AUG_BORDER_WRAP)
        return aug_fail(err, AUG_ERR_ARG, "rotate: unknown border mode %d", (int)p->border);

    double c, s;
    int quarter = rotation(p->angle, &c, &s);
    int w = src->width, h = src->height, nw, nh;
    double f[6];
    aug_status st = aug_rotate_size(w, h, p, &nw, &nh, err);
    if (st)
        return st;
    aug_rotate_matrix(w, h, p, f);
    /* warpAffine's inversion of f (det is 1 for a rotation) */
    double det = f[0] * f[4] - f[1] * f[3];
    det = det != 0.0 ? 1.0 / det : 0.0;
    double a11 = f[4] * det, a12 = -f[1] * det, a21 = -f[3] * det, a22 = f[0] * det;
    warp wp = {src, dst, {a11, a12, -a11 * f[2] - a12 * f[5], a21, a22, -a21 * f[2] - a22 * f[5]},
               p->border, p->fill};

    if ((st = aug_image_alloc(dst, nw, nh, src->channels, err)))
        return st;
    if (quarter == 0)
        memcpy(dst->data, src->data, aug_image_size(src));
    else if (quarter > 0 && wp.m[2] == floor(wp.m[2]) && wp.m[5] == floor(wp.m[5]))
        warp_exact(&wp);
    /* A quarter turn of a non-expanded image whose w - h is odd puts every
     * source pixel centre on a half-pixel position of the output: there is
     * no permutation, so it is resampled like any other angle. */
    else
        warp_sampled(&wp, p->interp);
    return AUG_OK;
}

/* ---- the same samplers for any map (include/augment/geometry.h) ---- */

static aug_status warp_check(const aug_image *src, aug_image *dst, int w, int h,
                             const aug_warp_params *p, const char *what, aug_error *err)
{
    if (!dst || dst == src)
        return aug_fail(err, AUG_ERR_ARG, "%s: the output must be a separate image", what);
    dst->width = dst->height = dst->channels = 0;
    dst->data = NULL;
    if (!src || !src->data || src->width <= 0 || src->height <= 0 || src->channels < 1 ||
        src->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "%s: not a valid source image", what);
    if (!p || (unsigned)p->interp > (unsigned)AUG_INTERP_BICUBIC ||
        (unsigned)p->border > (unsigned)AUG_BORDER_WRAP)
        return aug_fail(err, AUG_ERR_ARG, "%s: unknown interpolation or border mode", what);
    if (w <= 0 || h <= 0)
        return aug_fail(err, AUG_ERR_ARG, "%s: output size %dx%d is not positive", what, w, h);
    return aug_image_alloc(dst, w, h, src->channels, err);
}

static int is_step(double v)
{
    return v == -1.0 || v == 0.0 || v == 1.0;
}

aug_status aug_warp_affine(const aug_image *src, aug_image *dst, int w, int h,
                           const double inv[6], const aug_warp_params *p, aug_error *err)
{
    for (int i = 0; i < 6; i++)
        if (!isfinite(inv[i]) || fabs(inv[i]) > 1e9)
            return aug_fail(err, AUG_ERR_ARG, "warp: the map is not finite");
    aug_status st = warp_check(src, dst, w, h, p, "warp", err);
    if (st)
        return st;
    warp wp = {src, dst, {inv[0], inv[1], inv[2], inv[3], inv[4], inv[5]}, p->border, p->fill};
    /* whole-pixel steps and offsets: every output pixel is a source pixel
     * (or border), which every interpolation would return unchanged */
    int whole = 1;
    for (int i = 0; i < 6; i++)
        whole = whole && inv[i] == floor(inv[i]);
    if (whole && is_step(inv[0]) && is_step(inv[3]))
        warp_exact(&wp);
    else
        warp_sampled(&wp, p->interp);
    return AUG_OK;
}

aug_status aug_warp_perspective(const aug_image *src, aug_image *dst, int w, int h,
                                const double inv[9], const aug_warp_params *p,
                                aug_error *err)
{
    for (int i = 0; i < 9; i++)
        if (!isfinite(inv[i]))
            return aug_fail(err, AUG_ERR_ARG, "perspective: the map is not finite");
    aug_status st = warp_check(src, dst, w, h, p, "perspective", err);
    if (st)
        return st;
    warp wp = {src, dst, {0}, p->border, p->fill};
    int ch = src->channels;
    for (int y = 0; y < h; y++) {
        uint8_t *row = dst->data + (size_t)y * (size_t)w * (size_t)ch;
        for (int x = 0; x < w; x++) {
            double den = inv[6] * x + inv[7] * y + inv[8];
            double fx = (inv[0] * x + inv[1] * y + inv[2]) / den;
            double fy = (inv[3] * x + inv[4] * y + inv[5]) / den;
            /* beyond the horizon, or too far for the index arithmetic */
            if (!(den > 0.0) || !(fabs(fx) < 1e9 && fabs(fy) < 1e9))
                fill_span(&wp, x, x + 1, row);
            else
                sample_general(&wp, p->interp, fx, fy, row + (size_t)x * (size_t)ch);
        }
    }
    return AUG_OK;
}

aug_status aug_remap(const aug_image *src, aug_image *dst, int w, int h, const float *mx,
                     const float *my, const aug_warp_params *p, aug_error *err)
{
    aug_status st = warp_check(src, dst, w, h, p, "remap", err);
    if (st)
        return st;
    warp wp = {src, dst, {0}, p->border, p->fill};
    int ch = src->channels;
    size_t n = (size_t)w * (size_t)h;
    for (size_t i = 0; i < n; i++) {
        double fx = mx[i], fy = my[i];
        if (!(fabs(fx) < 1e9 && fabs(fy) < 1e9))
            fill_span(&wp, (int)(i % (size_t)w), (int)(i % (size_t)w) + 1,
                      dst->data + (i / (size_t)w) * (size_t)w * (size_t)ch);
        else
            sample_general(&wp, p->interp, fx, fy, dst->data + i * (size_t)ch);
    }
    return AUG_OK;
}
