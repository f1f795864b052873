/* The TIFF row of the codec table, on Debian's libtiff. Why libtiff: TIFF
 * is a container of many layouts and compressions, and libtiff is the one
 * implementation that reads them all (Pillow, OpenCV and GDAL use it).
 *
 * What we take: one page (a file of several is refused: which page is the
 * user's choice, not ours), stored in strips with contiguous samples, 8 bits
 * per sample, grey or RGB with or without an alpha (an extra sample), any
 * compression libtiff decodes. Tiled, planar, palette, 16-bit, float or
 * CMYK files are refused with a line saying which. Written: grey, grey +
 * alpha, RGB or RGBA, Deflate (default) or LZW with horizontal
 * differencing, or uncompressed.
 *
 * libtiff works on a file handle: here a client handle over memory, and
 * its messages are caught per handle (TIFFOpenOptions) so that none goes
 * to stderr and any number of threads may decode at once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "io/codecs.h"

int aug_tiff_sniff(const uint8_t *buf, size_t len)
{
    return len >= 4 && (memcmp(buf, "II*\0", 4) == 0 || memcmp(buf, "MM\0*", 4) == 0 ||
                        memcmp(buf, "II+\0", 4) == 0 || memcmp(buf, "MM\0+", 4) == 0);
}

/* ---- a TIFF handle over memory ---- */

typedef struct memfile {
    uint8_t *data;
    size_t len, cap, pos;
    int writable, failed;
    char msg[200]; /* libtiff's first complaint */
} memfile;

static tmsize_t mem_read(thandle_t h, void *dst, tmsize_t n)
{
    memfile *m = (memfile *)h;
    if (n < 0 || m->pos >= m->len)
        return 0;
    size_t k = (size_t)n < m->len - m->pos ? (size_t)n : m->len - m->pos;
    memcpy(dst, m->data + m->pos, k);
    m->pos += k;
    return (tmsize_t)k;
}

static tmsize_t mem_write(thandle_t h, void *src, tmsize_t n)
{
    memfile *m = (memfile *)h;
    if (!m->writable || n < 0)
        return -1;
    size_t end = m->pos + (size_t)n;
    if (end > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < end)
            cap *= 2;
        uint8_t *p = realloc(m->data, cap);
        if (!p) {
            m->failed = 1;
            return -1;
        }
        m->data = p;
        m->cap = cap;
    }
    if (m->pos > m->len) /* a seek past the end: the gap reads as zeros */
        memset(m->data + m->len, 0, m->pos - m->len);
    memcpy(m->data + m->pos, src, (size_t)n);
    m->pos = end;
    if (end > m->len)
        m->len = end;
    return n;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
    memfile *m = (memfile *)h;
    uint64_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
    if (off > UINT64_MAX - base || base + off > (uint64_t)SIZE_MAX / 2)
        return (toff_t)-1;
    m->pos = (size_t)(base + off);
    return (toff_t)m->pos;
}

static int mem_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t mem_size(thandle_t h)
{
    return (toff_t)((memfile *)h)->len;
}

static int no_map(thandle_t h, void **base, toff_t *size)
{
    (void)h;
    (void)base;
    (void)size;
    return 0;
}

static void no_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h;
    (void)base;
    (void)size;
}

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    memfile *m = user;
    (void)tif;
    (void)module;
    if (!m->msg[0])
        vsnprintf(m->msg, sizeof m->msg, fmt, ap);
    return 1; /* handled: not printed */
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif;
    (void)user;
    (void)module;
    (void)fmt;
    (void)ap;
    return 1; /* unknown tags and the like: not ours to print */
}

static TIFF *open_mem(memfile *m, const char *mode)
{
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts)
        return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, m);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, m);
    TIFF *tif = TIFFClientOpenExt("memory", mode, (thandle_t)m, mem_read, mem_write, mem_seek,
                                  mem_close, mem_size, no_map, no_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return tif;
}

/* ---- reading ---- */

typedef struct layout {
    uint32_t w, h;
    uint16_t spp, bps, photometric, planar, fmt;
    int channels;
} layout;

static aug_status read_layout(TIFF *tif, const memfile *m, size_t max_pixels, layout *l,
                              aug_error *err)
{
    uint16_t extra_n = 0, *extra = NULL;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &l->w) ||
        !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &l->h))
        return aug_fail(err, AUG_ERR_FORMAT, "corrupt TIFF: no image size");
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &l->spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &l->bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &l->planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &l->fmt);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_n, &extra);
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &l->photometric))
        l->photometric = l->spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    if (l->w == 0 || l->h == 0)
        return aug_fail(err, AUG_ERR_FORMAT, "the TIFF header gives a size of %ux%u: no pixels",
                        l->w, l->h);
    if ((uint64_t)l->w * l->h > max_pixels)
        return aug_codec_too_many(l->w, l->h, max_pixels, err);
    if (TIFFIsTiled(tif))
        return aug_fail(err, AUG_ERR_UNSUPPORTED, "a tiled TIFF is not supported (strips only)");
    if (TIFFNumberOfDirectories(tif) > 1)
        return aug_fail(err, AUG_ERR_UNSUPPORTED,
                        "a multi-page TIFF (%u pages) is not supported; split it first",
                        (unsigned)TIFFNumberOfDirectories(tif));
    if (l->bps != 8 || l->fmt != SAMPLEFORMAT_UINT)
        return aug_fail(err, AUG_ERR_UNSUPPORTED,
                        "a TIFF of %u-bit %s samples is not supported (8-bit only)", l->bps,
                        l->fmt == SAMPLEFORMAT_IEEEFP ? "float" : "integer");
    if (l->photometric != PHOTOMETRIC_MINISBLACK && l->photometric != PHOTOMETRIC_RGB)
        return aug_fail(err, AUG_ERR_UNSUPPORTED,
                        "a TIFF of photometric %u (palette, CMYK, YCbCr...) is not supported; "
                        "grey and RGB are", l->photometric);
    int colour = l->photometric == PHOTOMETRIC_RGB ? 3 : 1;
    if (l->spp != colour && l->spp != colour + 1)
        return aug_fail(err, AUG_ERR_UNSUPPORTED, "a TIFF of %u samples per pixel (%s) is not "
                        "supported", l->spp, colour == 3 ? "RGB" : "grey");
    if (l->spp > 1 && l->planar != PLANARCONFIG_CONTIG)
        return aug_fail(err, AUG_ERR_UNSUPPORTED,
                        "a TIFF with separate colour planes is not supported");
    l->channels = l->spp;
    (void)m;
    return AUG_OK;
}

static aug_status tiff_error(const memfile *m, aug_error *err)
{
    return aug_fail(err, AUG_ERR_FORMAT, "corrupt or truncated TIFF data%s%s%s",
                    m->msg[0] ? " (" : "", m->msg, m->msg[0] ? ")" : "");
}

aug_status aug_tiff_probe(const uint8_t *buf, size_t len, size_t max_pixels, aug_header *h,
                          aug_error *err)
{
    memfile m = {(uint8_t *)buf, len, len, 0, 0, 0, ""};
    TIFF *tif = open_mem(&m, "rm");
    if (!tif)
        return tiff_error(&m, err);
    layout l;
    aug_status st = read_layout(tif, &m, max_pixels, &l, err);
    TIFFClose(tif);
    if (st)
        return st;
    h->width = (int)l.w;
    h->height = (int)l.h;
    h->channels = l.channels;
    return AUG_OK;
}

aug_status aug_tiff_decode(const uint8_t *buf, size_t len, size_t max_pixels, aug_image *img,
                           aug_decode_info *info, aug_error *err)
{
    (void)info;
    memfile m = {(uint8_t *)buf, len, len, 0, 0, 0, ""};
    TIFF *tif = open_mem(&m, "rm");
    if (!tif)
        return tiff_error(&m, err);
    layout l;
    aug_status st = read_layout(tif, &m, max_pixels, &l, err);
    if (!st)
        st = aug_image_alloc(img, (int)l.w, (int)l.h, l.channels, err);
    size_t row = (size_t)l.w * (size_t)l.channels;
    if (!st && (size_t)TIFFScanlineSize64(tif) != row)
        st = aug_fail(err, AUG_ERR_FORMAT, "corrupt TIFF: its rows are %llu bytes, not %zu",
                      (unsigned long long)TIFFScanlineSize64(tif), row);
    for (uint32_t y = 0; !st && y < l.h; y++)
        if (TIFFReadScanline(tif, img->data + (size_t)y * row, y, 0) < 0)
            st = tiff_error(&m, err);
    TIFFClose(tif);
    if (st)
        aug_image_free(img);
    return st;
}

/* ---- writing ---- */

aug_status aug_tiff_encode(const aug_image *img, const aug_encode_options *o, uint8_t **buf,
                           size_t *len, aug_error *err)
{
    static const uint16_t compression[] = {COMPRESSION_ADOBE_DEFLATE, COMPRESSION_LZW,
                                           COMPRESSION_NONE};
    memfile m = {NULL, 0, 0, 0, 1, 0, ""};
    TIFF *tif = open_mem(&m, "w");
    if (!tif) {
        free(m.data);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory starting the TIFF writer");
    }
    int ch = img->channels, colour = aug_image_color_channels(img);
    uint16_t alpha = EXTRASAMPLE_UNASSALPHA;
    uint16_t comp = compression[o->tiff_compression <= AUG_TIFF_NONE ? o->tiff_compression : 0];
    size_t row = (size_t)img->width * (size_t)ch;
    int ok = TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)img->width) &&
             TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)img->height) &&
             TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)ch) &&
             TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, (uint16_t)8) &&
             TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
             TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
                          colour == 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK) &&
             TIFFSetField(tif, TIFFTAG_COMPRESSION, comp) &&
             (comp == COMPRESSION_NONE || TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL)) &&
             (ch == colour || TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &alpha)) &&
             TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0));
    /* libtiff differences a row in the buffer it is given: a copy, so that
     * the image stays as it was */
    uint8_t *scratch = malloc(row ? row : 1);
    if (!scratch)
        ok = 0, m.failed = 1;
    for (int y = 0; ok && y < img->height; y++) {
        memcpy(scratch, img->data + (size_t)y * row, row);
        ok = TIFFWriteScanline(tif, scratch, (uint32_t)y, 0) == 1;
    }
    ok = ok && TIFFWriteDirectory(tif);
    TIFFClose(tif);
    free(scratch);
    if (!ok || m.failed) {
        free(m.data);
        if (m.failed)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory encoding TIFF");
        return aug_fail(err, AUG_ERR_IO, "cannot encode TIFF%s%s%s", m.msg[0] ? " (" : "",
                        m.msg, m.msg[0] ? ")" : "");
    }
    *buf = m.data;
    *len = m.len;
    return AUG_OK;
}
