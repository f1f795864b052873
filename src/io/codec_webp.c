/* The WebP row of the codec table, on Debian's libwebp (its simple API to
 * read the header and decode into our buffer, the advanced one to encode).
 * Why libwebp: it is the reference codec, the one Pillow, OpenCV
 * and browsers use, and has the only complete lossless coder.
 *
 * WebP stores RGB or RGBA (YUV 4:2:0 when lossy, ARGB when lossless): a
 * file with alpha decodes to RGBA, one without to RGB; a grey image is
 * written as RGB, grey+alpha as RGBA. An animation is refused (the issue
 * of which frame is left to the user, who can extract it), as is anything
 * over WebP's 16383-pixel side when writing. */
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/encode.h>

#include "io/codecs.h"

/* "RIFF" size "WEBP": the size in between means a prefix cannot tell it. */
int aug_webp_sniff(const uint8_t *buf, size_t len)
{
    return len >= 12 && memcmp(buf, "RIFF", 4) == 0 && memcmp(buf + 8, "WEBP", 4) == 0;
}

static aug_status features(const uint8_t *buf, size_t len, size_t max_pixels,
                           WebPBitstreamFeatures *f, aug_error *err)
{
    VP8StatusCode vs = WebPGetFeatures(buf, len, f);
    if (vs == VP8_STATUS_NOT_ENOUGH_DATA)
        return aug_fail(err, AUG_ERR_FORMAT, "truncated WebP data (the header is cut)");
    if (vs != VP8_STATUS_OK)
        return aug_fail(err, AUG_ERR_FORMAT, "corrupt or unsupported WebP data (status %d)",
                        (int)vs);
    if (f->has_animation)
        return aug_fail(err, AUG_ERR_UNSUPPORTED,
                        "an animated WebP is not supported; extract a frame first");
    if (f->width <= 0 || f->height <= 0)
        return aug_fail(err, AUG_ERR_FORMAT, "the WebP header gives a size of %dx%d: no pixels",
                        f->width, f->height);
    if ((uint64_t)f->width * (uint64_t)f->height > max_pixels)
        return aug_codec_too_many((uint64_t)f->width, (uint64_t)f->height, max_pixels, err);
    return AUG_OK;
}

aug_status aug_webp_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err)
{
    WebPBitstreamFeatures f;
    aug_status st = features(buf, len, max_pixels, &f, err);
    if (st)
        return st;
    h->width = f.width;
    h->height = f.height;
    h->channels = f.has_alpha ? 4 : 3;
    return AUG_OK;
}

aug_status aug_webp_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                           aug_decode_info *info, aug_error *err)
{
    WebPBitstreamFeatures f;
    (void)info;
    aug_status st = features(buf, len, max_pixels, &f, err);
    if (st)
        return st;
    int ch = f.has_alpha ? 4 : 3;
    if ((st = aug_image_alloc(img, f.width, f.height, ch, err)))
        return st;
    size_t size = aug_image_size(img), stride = (size_t)f.width * (size_t)ch;
    uint8_t *ok = ch == 4 ? WebPDecodeRGBAInto(buf, len, img->data, size, (int)stride)
                          : WebPDecodeRGBInto(buf, len, img->data, size, (int)stride);
    if (!ok) {
        aug_image_free(img);
        return aug_fail(err, AUG_ERR_FORMAT, "corrupt or truncated WebP data");
    }
    return AUG_OK;
}

aug_status aug_webp_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                           size_t *len, aug_error *err)
{
    if (img->width > WEBP_MAX_DIMENSION || img->height > WEBP_MAX_DIMENSION)
        return aug_fail(err, AUG_ERR_LIMIT, "%dx%d is too large for WebP (at most %d a side)",
                        img->width, img->height, WEBP_MAX_DIMENSION);
    aug_image conv = {0};
    const aug_image *src = img;
    if (img->channels < 3) { /* no grey layouts: RGB, or RGBA with the alpha */
        aug_status st = aug_convert(img, &conv, img->channels + 2, err);
        if (st)
            return st;
        src = &conv;
    }
    /* The advanced API, for `exact`: the simple one may change the colour
     * under fully transparent pixels, and lossless must be lossless. */
    WebPConfig config;
    WebPPicture pic;
    WebPMemoryWriter w;
    int ok = WebPConfigInit(&config) && WebPPictureInit(&pic);
    config.lossless = o->lossless != 0;
    config.quality = o->lossless ? 75.0f : (float)o->quality;
    config.exact = 1;
    pic.use_argb = o->lossless != 0;
    pic.width = src->width;
    pic.height = src->height;
    WebPMemoryWriterInit(&w);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &w;
    int stride = src->width * src->channels;
    ok = ok && WebPValidateConfig(&config) &&
         (src->channels == 4 ? WebPPictureImportRGBA(&pic, src->data, stride)
                             : WebPPictureImportRGB(&pic, src->data, stride)) &&
         WebPEncode(&config, &pic);
    int code = (int)pic.error_code;
    int oom = code == VP8_ENC_ERROR_OUT_OF_MEMORY || code == VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY;
    WebPPictureFree(&pic);
    aug_image_free(&conv);
    uint8_t *out = w.mem;
    size_t n = w.size;
    if (!ok) {
        WebPMemoryWriterClear(&w);
        return oom ? aug_fail(err, AUG_ERR_NOMEM, "out of memory encoding WebP")
                   : aug_fail(err, AUG_ERR_IO, "cannot encode WebP (error %d)", code);
    }
    /* libwebp's buffer is freed with WebPFree: copy into one free() takes */
    *buf = malloc(n ? n : 1);
    if (!*buf) {
        WebPMemoryWriterClear(&w);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory for a %zu-byte WebP", n);
    }
    memcpy(*buf, out, n);
    *len = n;
    WebPMemoryWriterClear(&w);
    return AUG_OK;
}
