/* Hue rotation as torchvision's adjust_hue does it on a PIL image: RGB to
 * PIL's 8-bit HSV, the hue byte shifted with wrap-around, back to RGB.
 * The conversions follow PIL's (which follow Python's colorsys) with their
 * mix of single and double precision, so the bytes are PIL's. The shift
 * is quantised to 1/255 of a turn, as there. */
#include <math.h>
#include <stdint.h>

#include "augment/color.h"

static uint8_t clip8i(int v)
{
    return (uint8_t)(v <= 0 ? 0 : v < 256 ? v : 255);
}

/* PIL's rgb2hsv_row. */
static void rgb2hsv(const uint8_t *in, uint8_t *hsv)
{
    uint8_t r = in[0], g = in[1], b = in[2];
    uint8_t maxc = r > g ? (r > b ? r : b) : (g > b ? g : b);
    uint8_t minc = r < g ? (r < b ? r : b) : (g < b ? g : b);
    hsv[2] = maxc;
    if (minc == maxc) {
        hsv[0] = hsv[1] = 0;
        return;
    }
    float cr = (float)(maxc - minc);
    float s = cr / (float)maxc;
    float rc = (float)(maxc - r) / cr, gc = (float)(maxc - g) / cr, bc = (float)(maxc - b) / cr;
    float h;
    if (r == maxc)
        h = bc - gc;
    else if (g == maxc)
        h = (float)(2.0 + rc - bc);
    else
        h = (float)(4.0 + gc - rc);
    h = (float)fmod(h / 6.0 + 1.0, 1.0);
    hsv[0] = clip8i((int)(h * 255.0));
    hsv[1] = clip8i((int)(s * 255.0));
}

/* PIL's hsv2rgb. */
static void hsv2rgb(const uint8_t *hsv, uint8_t *out)
{
    uint8_t h = hsv[0], s = hsv[1], v = hsv[2];
    if (s == 0) {
        out[0] = out[1] = out[2] = v;
        return;
    }
    int i = (int)floor((float)h * 6.0 / 255.0);
    float f = (float)((float)h * 6.0 / 255.0 - (float)i);
    float fs = (float)((float)s / 255.0);
    uint8_t p = clip8i((int)round((float)v * (1.0 - fs)));
    uint8_t q = clip8i((int)round((float)v * (1.0 - (float)(fs * f))));
    uint8_t t = clip8i((int)round((float)v * (1.0 - fs * (1.0 - f))));
    switch (i % 6) {
    case 0: out[0] = v; out[1] = t; out[2] = p; break;
    case 1: out[0] = q; out[1] = v; out[2] = p; break;
    case 2: out[0] = p; out[1] = v; out[2] = t; break;
    case 3: out[0] = p; out[1] = q; out[2] = v; break;
    case 4: out[0] = t; out[1] = p; out[2] = v; break;
    default: out[0] = v; out[1] = p; out[2] = q; break;
    }
}

aug_status aug_hue(aug_image *img, double shift, aug_error *err)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 || img->channels < 1 ||
        img->channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "hue: not a valid image");
    if (!(shift >= -0.5 && shift <= 0.5))
        return aug_fail(err, AUG_ERR_ARG, "hue: shift %g is outside -0.5..0.5", shift);
    if (aug_image_color_channels(img) == 1)
        return AUG_OK; /* PIL returns grey images as they are */
    /* np.uint8(shift * 255): the C conversion truncates toward zero and
     * keeps the low byte, so -0.1 gives (uint8)-25 = 231 */
    uint8_t add = (uint8_t)((unsigned)(int)(shift * 255.0) & 255u);
    /* even a zero shift goes through HSV and back, which is lossy (PIL's
     * bytes); ColorJitter skips hue altogether when its range is 0:0 */
    int ch = img->channels;
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t *p = img->data;
    for (size_t i = 0; i < n; i++, p += ch) {
        uint8_t hsv[3];
        rgb2hsv(p, hsv);
        hsv[0] = (uint8_t)(hsv[0] + add);
        hsv2rgb(hsv, p);
    }
    return AUG_OK;
}
