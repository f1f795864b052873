/* JPEG through libjpeg-turbo's TurboJPEG API (2.1, as in Debian 12).
 *
 * Why not stb: its encoder is scalar and was most of the time of a JPEG
 * flip; libjpeg-turbo's SIMD codec is what Pillow and OpenCV use, so the
 * speed and the pixels match theirs.
 *
 * Settings: Pillow's defaults (it drives the same library through the
 * libjpeg API), so that our files are byte for byte what Pillow writes and
 * our pixels what it reads:
 * - the accurate integer DCT (ISLOW) both ways. TurboJPEG uses it by
 *   default only when decoding; when encoding it defaults to the fast
 *   IFAST DCT, which libjpeg documents as less accurate, most of all at
 *   high qualities (ours defaults to 95), hence TJFLAG_ACCURATEDCT there.
 * - smooth chroma upsampling when decoding (no TJFLAG_FASTUPSAMPLE);
 * - 4:2:0 chroma subsampling for colour at every quality (stb kept full
 *   chroma above quality 90), standard Huffman tables, baseline files.
 *
 * A handle is made per call, so there is no shared state and any number of
 * threads may code at once: making and freeing one takes well under a
 * microsecond, against milliseconds to decode a 512x512 JPEG. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

#include "io/codecs.h"

/* A warning (a truncated or corrupt stream) stops the decoder at once
 * rather than after it has filled the missing part with grey; a
 * progressive file with an absurd number of scans (a known way to make a
 * small file take minutes) is refused. */
#define DECODE_FLAGS (TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)
#define ENCODE_FLAGS TJFLAG_ACCURATEDCT
/* libjpeg's JPEG_MAX_DIMENSION: checked here to give a clear message. */
#define JPEG_MAX_SIDE 65500

/* The header checks both decoding and probing make. */
static aug_status header(tjhandle tj, const uint8_t *buf, size_t len, size_t max_pixels,
                         int *width, int *height, int *channels, int *subsampling,
                         aug_error *err)
{
    /* A stream cut short inside its tables reads as a "tables-only" JPEG:
     * success with no size set, hence the zeros and the size check. */
    int w = 0, h = 0, subsamp = -1, colorspace = -1;
    /* Not always damage: TurboJPEG 2.1 also refuses here sampling factors
     * outside its list (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1, grey). */
    if (tjDecompressHeader3(tj, buf, len, &w, &h, &subsamp, &colorspace) != 0)
        return aug_fail(err, AUG_ERR_FORMAT, "corrupt, truncated or unsupported JPEG (%s)",
                        tjGetErrorStr2(tj));
    if (w < 1 || h < 1)
        return aug_fail(err, AUG_ERR_FORMAT, "corrupt or truncated JPEG data (no image)");
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK)
        /* TurboJPEG 2.1 decodes these only to CMYK, and turning CMYK into
         * RGB properly needs the file's colour profile. */
        return aug_fail(err, AUG_ERR_UNSUPPORTED,
                        "CMYK JPEG is not supported; convert it to RGB first");
    uint64_t pixels = (uint64_t)w * (uint64_t)h;
    if (pixels > max_pixels)
        return aug_fail(err, AUG_ERR_LIMIT,
                        "image is %dx%d = %zu pixels, over the limit of %zu (--max-pixels)",
                        w, h, (size_t)pixels, max_pixels);
    *width = w;
    *height = h;
    *channels = colorspace == TJCS_GRAY ? 1 : 3;
    *subsampling = subsamp;
    return AUG_OK;
}

static aug_status decode(tjhandle tj, const uint8_t *buf, size_t len, size_t max_pixels,
                         aug_image *img, aug_error *err)
{
    int w, h, channels, subsamp;
    aug_status st = header(tj, buf, len, max_pixels, &w, &h, &channels, &subsamp, err);
    if (st)
        return st;
    int grey = channels == 1;
    uint64_t pixels = (uint64_t)w * (uint64_t)h;
    uint8_t *px = pixels <= SIZE_MAX / 3 ? malloc((size_t)pixels * (size_t)channels) : NULL;
    if (!px)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory decoding a %dx%d JPEG", w, h);
    if (tjDecompress2(tj, buf, len, px, w, w * channels, h, grey ? TJPF_GRAY : TJPF_RGB,
                      DECODE_FLAGS) != 0) {
        /* tjGetErrorCode() would tell a warning (TJERR_WARNING: data
         * missing or damaged) from a fatal error; both fail alike here,
         * since either way the pixels cannot be trusted. */
        st = aug_fail(err, AUG_ERR_FORMAT, "corrupt or truncated JPEG data (%s)",
                      tjGetErrorStr2(tj));
        free(px);
        return st;
    }
    img->width = w;
    img->height = h;
    img->channels = channels;
    img->data = px;
    return AUG_OK;
}

aug_status aug_jpeg_decode(const uint8_t *buf, size_t len, size_t max_pixels,
                           aug_image *img, aug_decode_info *info, aug_error *err)
{
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory starting the JPEG decoder");
    (void)info; /* always 8 bits: TurboJPEG 2.1 refuses 12-bit files */
    aug_status st = decode(tj, buf, len, max_pixels, img, err);
    tjDestroy(tj);
    return st;
}

aug_status aug_jpeg_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err)
{
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory starting the JPEG decoder");
    int subsamp;
    aug_status st = header(tj, buf, len, max_pixels, &h->width, &h->height, &h->channels,
                           &subsamp, err);
    tjDestroy(tj);
    if (!st && subsamp >= 0 && subsamp < TJ_NUMSAMP) {
        h->mcu_width = tjMCUWidth[subsamp];
        h->mcu_height = tjMCUHeight[subsamp];
    }
    return st;
}

static aug_status encode(tjhandle tj, const uint8_t *px, int pixel_format, int subsamp,
                         const aug_image *img, int quality, uint8_t **buf, size_t *len,
                         aug_error *err)
{
    if (img->width > JPEG_MAX_SIDE || img->height > JPEG_MAX_SIDE)
        return aug_fail(err, AUG_ERR_LIMIT, "%dx%d is too large for JPEG (at most %d a side)",
                        img->width, img->height, JPEG_MAX_SIDE);
    /* TurboJPEG grows its own buffer and we copy the result (a few dozen
     * kB) into one the caller can free(). Writing straight into a malloc'd
     * worst-case buffer (tjBufSize() with TJFLAG_NOREALLOC) saves that copy
     * but costs more: that buffer is as large as the image itself, and
     * with it glibc gives the heap back to the system after every file and
     * faults it in again for the next, which made a flip of 200 512x512
     * JPEGs twice as slow. */
    unsigned char *tjbuf = NULL;
    unsigned long n = 0;
    if (tjCompress2(tj, px, img->width, 0, img->height, pixel_format, &tjbuf, &n, subsamp,
                    quality, ENCODE_FLAGS) != 0) {
        tjFree(tjbuf);
        return aug_fail(err, AUG_ERR_IO, "cannot encode JPEG (%s)", tjGetErrorStr2(tj));
    }
    uint8_t *out = malloc(n);
    if (out)
        memcpy(out, tjbuf, n);
    tjFree(tjbuf);
    if (!out)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory for a %lu-byte JPEG", n);
    *buf = out;
    *len = n;
    return AUG_OK;
}

aug_status aug_jpeg_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                           size_t *len, aug_error *err)
{
    int quality = o->quality;
    /* JPEG has no alpha. TJPF_RGBX reads RGBA and ignores the 4th byte,
     * but TurboJPEG has no grey+alpha layout, and a row pitch cannot skip
     * every other byte: the grey samples are packed into a copy first. */
    static const int formats[] = {0, TJPF_GRAY, TJPF_GRAY, TJPF_RGB, TJPF_RGBX};
    int subsamp = img->channels <= 2 ? TJSAMP_GRAY : TJSAMP_420;
    const uint8_t *px = img->data;
    uint8_t *packed = NULL;
    if (img->channels == 2) {
        size_t n = (size_t)img->width * (size_t)img->height;
        packed = malloc(n ? n : 1);
        if (!packed)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory encoding a %dx%d JPEG",
                            img->width, img->height);
        for (size_t i = 0; i < n; i++)
            packed[i] = img->data[2 * i];
        px = packed;
    }
    aug_status st;
    tjhandle tj = tjInitCompress();
    if (!tj) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory starting the JPEG encoder");
    } else {
        st = encode(tj, px, formats[img->channels], subsamp, img, quality, buf, len, err);
        tjDestroy(tj);
    }
    free(packed);
    return st;
}

/* ---- lossless transforms ---- */

/* aug_dihedral -> TurboJPEG's operation (its ROT90 turns clockwise). */
static const int tj_ops[8] = {TJXOP_NONE, TJXOP_HFLIP, TJXOP_VFLIP, TJXOP_ROT180,
                              TJXOP_TRANSPOSE, TJXOP_ROT90, TJXOP_ROT270, TJXOP_TRANSVERSE};

/* Partial MCUs stay on the right and bottom edges: a transform that would
 * have to move the right edge (width not a multiple of the MCU width) or
 * the bottom edge (height) to the left or top is not exact (TurboJPEG's
 * TJXOPT_PERFECT refuses it, jpegtran -perfect too). */
int aug_jpeg_transform_exact(const aug_header *h, int op)
{
    if (h->format != AUG_FMT_JPEG || h->mcu_width <= 0 || h->mcu_height <= 0 || op < 0 ||
        op > 7)
        return 0;
    int wbad = h->width % h->mcu_width != 0, hbad = h->height % h->mcu_height != 0;
    switch (op) {
    case AUG_D4_HFLIP: return !wbad;
    case AUG_D4_VFLIP: return !hbad;
    case AUG_D4_ROT180:
    case AUG_D4_TRANSVERSE: return !wbad && !hbad;
    case AUG_D4_ROT90_CW: return !hbad;
    case AUG_D4_ROT90_CCW: return !wbad;
    default: return 1; /* identity, transpose */
    }
}

aug_status aug_jpeg_transform(const uint8_t *buf, size_t len, int op, uint8_t **out,
                              size_t *out_len, aug_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (op < 0 || op > 7)
        return aug_fail(err, AUG_ERR_ARG, "not a transform of the square: %d", op);
    tjhandle tj = tjInitTransform();
    if (!tj)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory starting the JPEG transformer");
    tjtransform xf;
    memset(&xf, 0, sizeof xf);
    xf.op = tj_ops[op];
    /* perfect or nothing (never a silently trimmed image); no markers, as
     * the pixel path writes none */
    xf.options = TJXOPT_PERFECT | TJXOPT_COPYNONE;
    unsigned char *dst = NULL;
    unsigned long n = 0;
    aug_status st = AUG_OK;
    if (tjTransform(tj, buf, len, 1, &dst, &n, &xf, TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) !=
        0) {
        const char *why = tjGetErrorStr2(tj);
        st = strstr(why, "perfect") ? aug_fail(err, AUG_ERR_UNSUPPORTED,
                                               "not an exact lossless transform (%s)", why)
                                    : aug_fail(err, AUG_ERR_FORMAT,
                                               "corrupt or truncated JPEG data (%s)", why);
    } else if (!(*out = malloc(n ? n : 1))) {
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory for a %lu-byte JPEG", n);
    } else {
        memcpy(*out, dst, n);
        *out_len = n;
    }
    tjFree(dst);
    tjDestroy(tj);
    return st;
}
