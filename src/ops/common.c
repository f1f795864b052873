/* Helpers shared by the operations (src/ops/common.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dmath.h"
#include "ops/common.h"

const char *const aug_ops_interp_names[] = {"nearest", "bilinear", "bicubic", NULL};
const char *const aug_ops_border_names[] = {"constant", "replicate", "reflect", "reflect101",
                                            "wrap", NULL};
const char *const aug_ops_filter_names[] = {"nearest", "bilinear", "bicubic", "area",
                                            "lanczos", NULL};

/* A whole decimal number in lo..hi at *s, leaving *s after it. */
static int read_int(const char **s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(*s, &end, 10);
    if (errno || end == *s || v < lo || v > hi || **s == '+' || **s == ' ')
        return 0;
    *out = (int)v;
    *s = end;
    return 1;
}

aug_status aug_ops_parse_size(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    int *wh = dst, w, h;
    const char *s = arg;
    if (read_int(&s, 1, AUG_OPS_MAX_SIDE, &w)) {
        if (*s == '\0') {
            wh[0] = wh[1] = w;
            return AUG_OK;
        }
        if ((*s == 'x' || *s == 'X') && (s++, read_int(&s, 1, AUG_OPS_MAX_SIDE, &h)) &&
            *s == '\0') {
            wh[0] = w;
            wh[1] = h;
            return AUG_OK;
        }
    }
    return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not WxH or S with sides 1..%d", o->name,
                    arg, AUG_OPS_MAX_SIDE);
}

aug_status aug_ops_parse_point(const aug_opt *o, const char *arg, void *dst, aug_error *err)
{
    int *xy = dst;
    const char *s = arg;
    if (read_int(&s, -AUG_OPS_MAX_SIDE, AUG_OPS_MAX_SIDE, &xy[0]) && *s++ == ',' &&
        read_int(&s, -AUG_OPS_MAX_SIDE, AUG_OPS_MAX_SIDE, &xy[1]) && *s == '\0')
        return AUG_OK;
    return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not X,Y (whole pixels, -%d..%d)", o->name,
                    arg, AUG_OPS_MAX_SIDE, AUG_OPS_MAX_SIDE);
}

double aug_ops_pick(aug_rng *rng, const double r[2])
{
    return r[0] == r[1] ? r[0] : aug_rng_range(rng, r[0], r[1]);
}

int aug_ops_pick_int(aug_rng *rng, int lo, int hi)
{
    return lo >= hi ? lo : lo + (int)aug_rng_below(rng, (uint64_t)((int64_t)hi - lo + 1));
}

double aug_ops_round_even(double v)
{
    double r = floor(v + 0.5);
    if (r - v == 0.5 && fmod(r, 2.0) != 0.0) /* a half: to the even neighbour */
        r -= 1.0;
    return r;
}

void aug_ops_warp_params(aug_warp_params *w, int interp, int border, const aug_color *fill,
                         int have_fill, int channels)
{
    memset(w, 0, sizeof *w);
    w->interp = (aug_interp)interp;
    w->border = (aug_border)border;
    if (have_fill)
        aug_color_for(fill, channels, w->fill);
}

aug_status aug_ops_check_size(const char *op, int64_t w, int64_t h, aug_error *err)
{
    if (w < 1 || h < 1 || w > AUG_OPS_MAX_SIDE || h > AUG_OPS_MAX_SIDE ||
        w * h > AUG_OPS_MAX_AREA)
        return aug_fail(err, AUG_ERR_LIMIT,
                        "%s: the output would be %lldx%lld (sides 1..%d, at most %lld pixels)",
                        op, (long long)w, (long long)h, AUG_OPS_MAX_SIDE,
                        (long long)AUG_OPS_MAX_AREA);
    return AUG_OK;
}

void aug_ops_tv_affine(double cx, double cy, double angle, double tx, double ty, double scale,
                       double shear_x, double shear_y, int inverted, double m[6])
{
    double rot = angle * (M_PI / 180.0), sx = shear_x * (M_PI / 180.0),
           sy = shear_y * (M_PI / 180.0);
    /* rotation-scale-shear without the scale */
    double a = aug_cos(rot - sy) / aug_cos(sy);
    double b = -aug_cos(rot - sy) * aug_tan(sx) / aug_cos(sy) - aug_sin(rot);
    double c = aug_sin(rot - sy) / aug_cos(sy);
    double d = -aug_sin(rot - sy) * aug_tan(sx) / aug_cos(sy) + aug_cos(rot);
    if (inverted) {
        double r[6] = {d, -b, 0.0, -c, a, 0.0};
        for (int i = 0; i < 6; i++)
            m[i] = r[i] / scale;
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
        m[2] += cx;
        m[5] += cy;
    } else {
        double r[6] = {a, b, 0.0, c, d, 0.0};
        for (int i = 0; i < 6; i++)
            m[i] = r[i] * scale;
        m[2] += m[0] * (-cx) + m[1] * (-cy);
        m[5] += m[3] * (-cx) + m[4] * (-cy);
        m[2] += cx + tx;
        m[5] += cy + ty;
    }
}

void aug_ops_affine_to_index(const double cont[6], double idx[6])
{
    /* index i is continuous i + 0.5, in and out */
    for (int i = 0; i < 6; i++)
        idx[i] = cont[i];
    idx[2] = cont[0] * 0.5 + cont[1] * 0.5 + cont[2] - 0.5;
    idx[5] = cont[3] * 0.5 + cont[4] * 0.5 + cont[5] - 0.5;
}

/* Python's round(x, 15) as PIL uses it, closely enough: the matrix's cos
 * and sin of multiples of 90 degrees become exact. */
static double round15(double x)
{
    return nearbyint(x * 1e15) / 1e15;
}

void aug_ops_pil_rotate(double angle, int w, int h, double m[6])
{
    double am = fmod(angle, 360.0); /* Python's angle % 360.0 */
    if (am < 0)
        am += 360.0;
    double a = -am * (M_PI / 180.0);
    double cx = w / 2.0, cy = h / 2.0;
    m[0] = round15(aug_cos(a));
    m[1] = round15(aug_sin(a));
    m[3] = round15(-aug_sin(a));
    m[4] = round15(aug_cos(a));
    m[2] = m[0] * (-cx) + m[1] * (-cy) + cx;
    m[5] = m[3] * (-cx) + m[4] * (-cy) + cy;
}

aug_status aug_ops_parse_sym(const aug_opt *o, const char *arg, double lo, double hi,
                             double out[2], aug_error *err)
{
    aug_opt r = *o;
    r.kind = AUG_OPT_RANGE;
    r.offset = 0;
    r.lo = lo;
    r.hi = hi;
    r.flags = 0;
    double v[2];
    if (aug_opt_value(&r, arg, v, NULL) == AUG_OK) {
        if (!strchr(arg, ':')) { /* one value V: -V..V */
            if (v[0] < 0 || -v[0] < lo)
                return aug_fail(err, AUG_ERR_ARG,
                                "--%s: '%s': a single value V means -V:V and must be 0..%g",
                                o->name, arg, hi);
            v[1] = v[0];
            v[0] = -v[0];
        }
        out[0] = v[0];
        out[1] = v[1];
        return AUG_OK;
    }
    return aug_fail(err, AUG_ERR_ARG, "--%s: '%s' is not V (meaning -V:V) or LO:HI with %g <= LO "
                    "<= HI <= %g", o->name, arg, lo, hi);
}

void aug_ops_map_affine(const double m[6], double *xy, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        xy[2 * i] = m[0] * x + m[1] * y + m[2];
        xy[2 * i + 1] = m[3] * x + m[4] * y + m[5];
    }
}

void aug_ops_affine_invert(const double m[6], double inv[6])
{
    double det = m[0] * m[4] - m[1] * m[3];
    if (det == 0.0 || !isfinite(det)) {
        const double id[6] = {1, 0, 0, 0, 1, 0};
        memcpy(inv, id, sizeof id);
        return;
    }
    inv[0] = m[4] / det;
    inv[1] = -m[1] / det;
    inv[3] = -m[3] / det;
    inv[4] = m[0] / det;
    inv[2] = -(inv[0] * m[2] + inv[1] * m[5]);
    inv[5] = -(inv[3] * m[2] + inv[4] * m[5]);
}

void aug_ops_mask_color(const aug_mask_opts *o, aug_color *c)
{
    /* one value: every channel of the mask, opaque alpha if it has one */
    *c = (aug_color){{o->fill, o->fill, o->fill, o->fill}, 1};
}
