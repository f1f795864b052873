/* Rotation about the image centre, sampled as OpenCV's warpAffine.
 *
 * The forward matrix is getRotationMatrix2D's and is inverted the way
 * warpAffine inverts it, so each destination pixel reads the source at the
 * inverse-mapped position. OpenCV snaps that position to 1/32 pixel and uses
 * fixed-point weights; plain double arithmetic here agrees with it to within
 * rounding. The inverse map is affine, so a row is a start point plus a
 * constant step: no trigonometry per pixel. */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "augment/kernels.h"

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

/* OpenCV's borderInterpolate: bring index i into 0..n-1, or -1 for "use the
 * fill value". Reflections are taken modulo their period rather than by
 * OpenCV's repeated folding so that far indices (a 90-degree turn of a thin
 * strip) cost O(1); the result is the same. */
static int64_t border_index(int64_t i, int64_t n, aug_border b)
{
    if (i >= 0 && i < n)
        return i;
    int64_t per, k;
    switch (b) {
    case AUG_BORDER_REPLICATE:
        return i < 0 ? 0 : n - 1;
    case AUG_BORDER_REFLECT: /* fedcba|abcdefgh|hgfedcb: period 2n */
        per = 2 * n;
        k = ((i % per) + per) % per;
        return k < n ? k : per - 1 - k;
    case AUG_BORDER_REFLECT101: /* gfedcb|abcdefgh|gfedcba: period 2n-2 */
        if (n == 1)
            return 0;
        per = 2 * n - 2;
        k = ((i % per) + per) % per;
        return k < n ? k : per - k;
    case AUG_BORDER_WRAP:
        return ((i % n) + n) % n;
    case AUG_BORDER_CONSTANT:
        break;
    }
    return -1;
}

static const uint8_t *pixel_at(const warp *w, int64_t x, int64_t y)
{
    const aug_image *s = w->src;
    x = border_index(x, s->width, w->border);
    y = border_index(y, s->height, w->border);
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

static void warp_nearest(const warp *w)
{
    const aug_image *d = w->dst;
    const uint8_t *sd = w->src->data;
    int ch = d->channels, sw = w->src->width, sh = w->src->height, dw = d->width;
    /* locals, not w->m: stores through uint8_t* may alias anything, which
     * would make the compiler reload the matrix for every pixel */
    const double m0 = w->m[0], m3 = w->m[3];
    for (int y = 0; y < d->height; y++) {
        /* floor(v + 0.5): halves round up, as in OpenCV. Exact halves are
         * common (sin 30 = 0.5 on a half-integer centre) but arrive as
         * 0.49999999999999994 from sin(); the 1e-9 nudge rounds them up
         * too, as OpenCV's 1/1024-pixel coordinates do. */
        double x0 = w->m[1] * y + w->m[2] + (0.5 + 1e-9);
        double y0 = w->m[4] * y + w->m[5] + (0.5 + 1e-9);
        uint8_t *o = d->data + (size_t)y * (size_t)dw * (size_t)ch;
        for (int x = 0; x < dw; x++, o += ch) {
            double fx = x0 + m0 * x, fy = y0 + m3 * x;
            const uint8_t *p;
            if (fx >= 0.0 && fy >= 0.0 && fx < sw && fy < sh) /* truncation = floor */
                p = sd + ((size_t)(int)fy * (size_t)sw + (size_t)(int)fx) * (size_t)ch;
            else
                p = pixel_at(w, (int64_t)floor(fx), (int64_t)floor(fy));
            for (int c = 0; c < ch; c++)
                o[c] = p[c];
        }
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

/* n x n separable taps (n = 2 bilinear, 4 bicubic) from the source pixel
 * pointers tap[j][i] with weights wx (columns) and wy (rows). */
static void combine(const uint8_t *const tap[4][4], int n, int ch,
                    const double *wx, const double *wy, uint8_t *o)
{
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

/* The general sampler at (fx, fy). When the whole footprint is inside the
 * source the taps are addressed directly, otherwise each one goes through
 * the border rule. */
static void sample_taps(const warp *w, int n, double fx, double fy, uint8_t *o)
{
    const aug_image *s = w->src;
    int ch = s->channels;
    double flx = floor(fx), fly = floor(fy), wx[4], wy[4];
    int64_t x0 = (int64_t)flx - (n == 4), y0 = (int64_t)fly - (n == 4);
    const uint8_t *tap[4][4];
    if (n == 4) {
        cubic_weights(fx - flx, wx);
        cubic_weights(fy - fly, wy);
    } else {
        wx[1] = fx - flx;
        wx[0] = 1.0 - wx[1];
        wy[1] = fy - fly;
        wy[0] = 1.0 - wy[1];
    }
    if (x0 >= 0 && y0 >= 0 && x0 + n <= s->width && y0 + n <= s->height) {
        size_t stride = (size_t)s->width * (size_t)ch;
        const uint8_t *p = s->data + (size_t)y0 * stride + (size_t)x0 * (size_t)ch;
        for (int j = 0; j < n; j++, p += stride)
            for (int i = 0; i < n; i++)
                tap[j][i] = p + (size_t)i * (size_t)ch;
    } else {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                tap[j][i] = pixel_at(w, x0 + i, y0 + j);
    }
    combine((const uint8_t *const(*)[4])tap, n, ch, wx, wy, o);
}

/* One output row of bilinear samples; inlined with a constant `ch` so the
 * per-channel loop unrolls. The bulk of the row has all four taps inside
 * the source: no border lookups there, and truncation serves as floor(). */
static inline void bilinear_row(const warp *w, int y, int ch)
{
    const aug_image *s = w->src, *d = w->dst;
    const uint8_t *sd = s->data;
    int sw = s->width, sh = s->height, dw = d->width;
    size_t stride = (size_t)sw * (size_t)ch;
    const double m0 = w->m[0], m3 = w->m[3]; /* locals: see warp_nearest */
    double x0 = w->m[1] * y + w->m[2], y0 = w->m[4] * y + w->m[5];
    uint8_t *o = d->data + (size_t)y * (size_t)dw * (size_t)ch;
    for (int x = 0; x < dw; x++, o += ch) {
        double fx = x0 + m0 * x, fy = y0 + m3 * x;
        if (fx >= 0.0 && fy >= 0.0 && fx < sw - 1 && fy < sh - 1) {
            int ix = (int)fx, iy = (int)fy;
            double ax = fx - ix, ay = fy - iy;
            const uint8_t *p = sd + (size_t)iy * stride + (size_t)ix * (size_t)ch;
            const uint8_t *q = p + stride;
            for (int c = 0; c < ch; c++) {
                double top = p[c] + ax * (p[c + ch] - p[c]);
                double bot = q[c] + ax * (q[c + ch] - q[c]);
                /* a convex combination of 0..255: only rounding is needed */
                o[c] = (uint8_t)(top + ay * (bot - top) + 0.5);
            }
        } else {
            sample_taps(w, 2, fx, fy, o);
        }
    }
}

/* One output row of bicubic samples, as bilinear_row: the 4x4 footprint
 * is addressed directly when it lies inside the source. */
static inline void bicubic_row(const warp *w, int y, int ch)
{
    const aug_image *s = w->src, *d = w->dst;
    const uint8_t *sd = s->data;
    int sw = s->width, sh = s->height, dw = d->width;
    size_t stride = (size_t)sw * (size_t)ch;
    const double m0 = w->m[0], m3 = w->m[3]; /* locals: see warp_nearest */
    double x0 = w->m[1] * y + w->m[2], y0 = w->m[4] * y + w->m[5];
    uint8_t *o = d->data + (size_t)y * (size_t)dw * (size_t)ch;
    for (int x = 0; x < dw; x++, o += ch) {
        double fx = x0 + m0 * x, fy = y0 + m3 * x;
        if (fx >= 1.0 && fy >= 1.0 && fx < sw - 2 && fy < sh - 2) {
            int ix = (int)fx, iy = (int)fy;
            double wx[4], wy[4];
            cubic_weights(fx - ix, wx);
            cubic_weights(fy - iy, wy);
            const uint8_t *p = sd + (size_t)(iy - 1) * stride + (size_t)(ix - 1) * (size_t)ch;
            for (int c = 0; c < ch; c++) {
                double v = 0.0;
                for (int j = 0; j < 4; j++) {
                    const uint8_t *r = p + (size_t)j * stride + c;
                    v += wy[j] * (wx[0] * r[0] + wx[1] * r[ch] + wx[2] * r[2 * ch] +
                                  wx[3] * r[3 * ch]);
                }
                o[c] = saturate(v);
            }
        } else {
            sample_taps(w, 4, fx, fy, o);
        }
    }
}

/* Each row goes to a sampler inlined for its channel count. */
static void warp_filtered(const warp *w, int cubic)
{
    for (int y = 0; y < w->dst->height; y++) {
        switch (w->dst->channels * 2 + cubic) {
        case 2: bilinear_row(w, y, 1); break;
        case 3: bicubic_row(w, y, 1); break;
        case 4: bilinear_row(w, y, 2); break;
        case 5: bicubic_row(w, y, 2); break;
        case 6: bilinear_row(w, y, 3); break;
        case 7: bicubic_row(w, y, 3); break;
        case 8: bilinear_row(w, y, 4); break;
        default: bicubic_row(w, y, 4); break;
        }
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
    *cs = cos(r);
    *sn = sin(r);
    return -1;
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
    int w = src->width, h = src->height, nw = w, nh = h;
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    /* getRotationMatrix2D(centre, angle, 1): destination = f * source */
    double f[6] = {c, s, (1 - c) * cx - s * cy, -s, c, s * cx + (1 - c) * cy};
    if (p->expand) {
        /* The pixel squares span w x h, so the rotated image's bounding box
         * is |w cos| + |h sin| by |w sin| + |h cos|. Rounded up so nothing
         * is cut, after a 1e-6 allowance for float noise; quarter turns have
         * exact cos/sin, so 90 and 270 give exactly h x w. The centre then
         * maps to the new centre. */
        double bw = ceil(fabs(w * c) + fabs(h * s) - 1e-6);
        double bh = ceil(fabs(w * s) + fabs(h * c) - 1e-6);
        if (bw > INT_MAX || bh > INT_MAX)
            return aug_fail(err, AUG_ERR_LIMIT,
                            "rotate: the expanded canvas of a %dx%d image is too large", w, h);
        nw = bw < 1 ? 1 : (int)bw;
        nh = bh < 1 ? 1 : (int)bh;
        f[2] += (nw - 1) / 2.0 - cx;
        f[5] += (nh - 1) / 2.0 - cy;
    }
    /* warpAffine's inversion of f (det is 1 for a rotation) */
    double det = f[0] * f[4] - f[1] * f[3];
    det = det != 0.0 ? 1.0 / det : 0.0;
    double a11 = f[4] * det, a12 = -f[1] * det, a21 = -f[3] * det, a22 = f[0] * det;
    warp wp = {src, dst, {a11, a12, -a11 * f[2] - a12 * f[5], a21, a22, -a21 * f[2] - a22 * f[5]},
               p->border, p->fill};

    aug_status st = aug_image_alloc(dst, nw, nh, src->channels, err);
    if (st)
        return st;
    if (quarter == 0)
        memcpy(dst->data, src->data, aug_image_size(src));
    else if (quarter > 0 && wp.m[2] == floor(wp.m[2]) && wp.m[5] == floor(wp.m[5]))
        warp_exact(&wp);
    /* A quarter turn of a non-expanded image whose w - h is odd puts every
     * source pixel centre on a half-pixel position of the output: there is
     * no permutation, so it is resampled like any other angle. */
    else if (p->interp == AUG_INTERP_NEAREST)
        warp_nearest(&wp);
    else
        warp_filtered(&wp, p->interp == AUG_INTERP_BICUBIC);
    return AUG_OK;
}
