/* The WebP and TIFF rows of the codec table, and JPEG's lossless path:
 * round trips bit-exact where the format is lossless, the files libtiff and
 * libwebp are known to make refused with the reason, and lossless
 * transforms that agree with the pixel path and with TurboJPEG's own rule
 * on which transforms are exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>
#include <turbojpeg.h>

#include "augment/augment.h"
#include "testutil.h"

static void encode_ok(const aug_image *img, aug_format fmt, const aug_encode_options *o,
                      uint8_t **buf, size_t *len)
{
    aug_error err = {0};
    if (aug_encode_with(img, fmt, o, buf, len, &err))
        fail_msg("encode %s: %s", aug_format_name(fmt), err.msg);
}

static void decode_ok(const uint8_t *buf, size_t len, aug_image *img, aug_format want)
{
    aug_error err = {0};
    aug_decode_info info;
    if (aug_decode(buf, len, 0, img, &info, &err))
        fail_msg("decode: %s", err.msg);
    assert_int_equal(info.format, want);
}

static double psnr(const aug_image *a, const aug_image *b)
{
    assert_int_equal(aug_image_size(a), aug_image_size(b));
    double se = 0;
    for (size_t i = 0; i < aug_image_size(a); i++) {
        double d = (double)a->data[i] - b->data[i];
        se += d * d;
    }
    return se == 0 ? INFINITY : 10 * log10(255.0 * 255.0 * (double)aug_image_size(a) / se);
}

/* smooth content: what lossy coders are made for */
static void smooth(aug_image *img, int w, int h, int ch)
{
    make_image(img, w, h, ch);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++)
                pixel_at(img, x, y)[c] =
                    (uint8_t)(c == 3 ? 128 + 100 * (x + y) / (w + h)
                                     : 30 + 150 * (x * (c + 2) + y * (3 - c)) /
                                                (w * (c + 2) + h * (3 - c)));
}

/* ---- WebP ---- */

static void test_webp(void **state)
{
    (void)state;
    aug_encode_options o;
    aug_encode_options_default(&o);
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img, back;
        random_image(&img, 23, 17, ch, (uint64_t)ch);
        uint8_t *buf;
        size_t len;
        o.lossless = 1;
        encode_ok(&img, AUG_FMT_WEBP, &o, &buf, &len);
        assert_memory_equal(buf, "RIFF", 4);
        decode_ok(buf, len, &back, AUG_FMT_WEBP);
        /* no grey layouts in WebP: grey comes back RGB, grey+alpha RGBA */
        int want = ch < 3 ? ch + 2 : ch;
        assert_int_equal(back.channels, want);
        aug_image expect;
        assert_int_equal(aug_convert(&img, &expect, want, NULL), AUG_OK);
        assert_memory_equal(back.data, expect.data, aug_image_size(&expect));
        /* the header says the same */
        aug_header h;
        assert_int_equal(aug_probe(buf, len, 0, &h, NULL), AUG_OK);
        assert_int_equal(h.channels, want);
        assert_int_equal(h.width, 23);
        /* cut short: refused, not zero-filled */
        aug_image cut;
        aug_error err;
        assert_int_not_equal(aug_decode(buf, len / 2, 0, &cut, NULL, &err), AUG_OK);
        assert_null(cut.data);
        free(buf);
        aug_image_free(&back);
        aug_image_free(&expect);
        aug_image_free(&img);
    }
    /* lossy: close to the original, smaller at a lower quality */
    aug_image img, back;
    smooth(&img, 64, 48, 3);
    o.lossless = 0;
    o.quality = 90;
    uint8_t *b90, *b20;
    size_t l90, l20;
    encode_ok(&img, AUG_FMT_WEBP, &o, &b90, &l90);
    o.quality = 20;
    encode_ok(&img, AUG_FMT_WEBP, &o, &b20, &l20);
    assert_true(l20 < l90);
    decode_ok(b90, l90, &back, AUG_FMT_WEBP);
    assert_true(psnr(&img, &back) > 30);
    free(b90);
    free(b20);
    aug_image_free(&back);
    aug_image_free(&img);
}

/* ---- TIFF ---- */

static void test_tiff_round_trips(void **state)
{
    (void)state;
    aug_encode_options o;
    aug_encode_options_default(&o);
    for (int comp = AUG_TIFF_DEFLATE; comp <= AUG_TIFF_NONE; comp++)
        for (int ch = 1; ch <= 4; ch++) {
            aug_image img, back;
            random_image(&img, 31, 13, ch, (uint64_t)(comp * 10 + ch));
            uint8_t *buf;
            size_t len;
            o.tiff_compression = (aug_tiff_compression)comp;
            encode_ok(&img, AUG_FMT_TIFF, &o, &buf, &len);
            decode_ok(buf, len, &back, AUG_FMT_TIFF);
            assert_int_equal(back.channels, ch);
            assert_memory_equal(back.data, img.data, aug_image_size(&img));
            aug_image_free(&back);
            aug_error err;
            assert_int_not_equal(aug_decode(buf, len * 2 / 3, 0, &back, NULL, &err), AUG_OK);
            free(buf);
            aug_image_free(&img);
        }
}

/* A TIFF made here with libtiff itself, in a layout we refuse. */
typedef struct tiff_file {
    char path[64];
    uint8_t *data;
    size_t len;
} tiff_file;

static void write_tiff(tiff_file *f, int pages, int tiled, int bits)
{
    snprintf(f->path, sizeof f->path, "/tmp/augment-test-%d.tif", (int)getpid());
    TIFF *tif = TIFFOpen(f->path, "w");
    assert_non_null(tif);
    uint8_t row[64 * 2] = {0};
    for (int p = 0; p < pages; p++) {
        TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 32);
        TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 32);
        TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, bits);
        TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        if (tiled) {
            TIFFSetField(tif, TIFFTAG_TILEWIDTH, 16);
            TIFFSetField(tif, TIFFTAG_TILELENGTH, 16);
            uint8_t tile[16 * 16] = {0};
            for (int t = 0; t < 4; t++)
                TIFFWriteEncodedTile(tif, (uint32_t)t, tile, sizeof tile);
        } else {
            for (int y = 0; y < 32; y++)
                TIFFWriteScanline(tif, row, (uint32_t)y, 0);
        }
        TIFFWriteDirectory(tif);
    }
    TIFFClose(tif);
    FILE *fp = fopen(f->path, "rb");
    assert_non_null(fp);
    f->data = malloc(1 << 16);
    f->len = fread(f->data, 1, 1 << 16, fp);
    fclose(fp);
    remove(f->path);
}

static void refused(int pages, int tiled, int bits, const char *why)
{
    tiff_file f;
    write_tiff(&f, pages, tiled, bits);
    aug_image img;
    aug_header h;
    aug_error err = {0};
    assert_int_equal(aug_decode(f.data, f.len, 0, &img, NULL, &err), AUG_ERR_UNSUPPORTED);
    if (!strstr(err.msg, why))
        fail_msg("'%s' does not say '%s'", err.msg, why);
    assert_int_equal(aug_probe(f.data, f.len, 0, &h, &err), AUG_ERR_UNSUPPORTED);
    free(f.data);
}

static void test_tiff_refusals(void **state)
{
    (void)state;
    refused(2, 0, 8, "multi-page");
    refused(1, 1, 8, "tiled");
    refused(1, 0, 16, "16-bit");
    /* and one it takes, made the same way */
    tiff_file f;
    write_tiff(&f, 1, 0, 8);
    aug_image img;
    decode_ok(f.data, f.len, &img, AUG_FMT_TIFF);
    assert_int_equal(img.width, 32);
    aug_image_free(&img);
    free(f.data);
}

/* ---- JPEG without generation loss ---- */

static void permute(const aug_image *src, aug_dihedral d, aug_image *dst)
{
    int t = (d & 4) != 0;
    int w = t ? src->height : src->width, h = t ? src->width : src->height;
    make_image(dst, w, h, src->channels);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            /* undo the flips, then the transpose */
            int ux = d & 1 ? w - 1 - x : x, uy = d & 2 ? h - 1 - y : y;
            int sx = t ? uy : ux, sy = t ? ux : uy;
            memcpy(pixel_at(dst, x, y), pixel_at(src, sx, sy), (size_t)src->channels);
        }
}

static void test_dihedral_table(void **state)
{
    (void)state;
    /* composition agrees with applying the two permutations in turn */
    aug_image img;
    random_image(&img, 5, 3, 1, 1);
    for (int a = 0; a < 8; a++)
        for (int b = 0; b < 8; b++) {
            aug_image pa, pab, pc;
            permute(&img, (aug_dihedral)a, &pa);
            permute(&pa, (aug_dihedral)b, &pab);
            permute(&img, aug_dihedral_then((aug_dihedral)a, (aug_dihedral)b), &pc);
            assert_int_equal(pab.width, pc.width);
            assert_memory_equal(pab.data, pc.data, aug_image_size(&pc));
            aug_image_free(&pa);
            aug_image_free(&pab);
            aug_image_free(&pc);
        }
    aug_image_free(&img);
}

static void test_jpeg_lossless(void **state)
{
    (void)state;
    static const int sizes[][2] = {{64, 48}, {61, 48}, {64, 45}, {37, 29}, {16, 16}};
    static const int subsamp[] = {TJSAMP_444, TJSAMP_422, TJSAMP_420, TJSAMP_GRAY};
    tjhandle tj = tjInitCompress(), tx = tjInitTransform();
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int ss = 0; ss < 4; ss++) {
            int w = sizes[s][0], h = sizes[s][1], grey = subsamp[ss] == TJSAMP_GRAY;
            aug_image img;
            smooth(&img, w, h, grey ? 1 : 3);
            unsigned char *jpg = NULL;
            unsigned long jlen = 0;
            assert_int_equal(tjCompress2(tj, img.data, w, 0, h, grey ? TJPF_GRAY : TJPF_RGB, &jpg,
                                         &jlen, subsamp[ss], 92, 0),
                             0);
            aug_header hd;
            assert_int_equal(aug_probe(jpg, jlen, 0, &hd, NULL), AUG_OK);
            aug_image orig;
            decode_ok(jpg, jlen, &orig, AUG_FMT_JPEG);
            for (int op = 1; op < 8; op++) {
                uint8_t *out;
                size_t olen;
                aug_error err;
                aug_status st = aug_jpeg_transform(jpg, jlen, op, &out, &olen, &err);
                /* our rule, TurboJPEG's answer */
                if (aug_jpeg_transform_exact(&hd, op) != (st == AUG_OK))
                    fail_msg("%dx%d subsampling %d op %d: rule says %d, TurboJPEG %s", w, h,
                             subsamp[ss], op, aug_jpeg_transform_exact(&hd, op),
                             st ? err.msg : "did it");
                if (st) {
                    assert_int_equal(st, AUG_ERR_UNSUPPORTED);
                    continue;
                }
                /* the transformed file is the permuted picture, within
                 * JPEG's rounding (chroma is resampled around new edges) */
                aug_image got, want;
                decode_ok(out, olen, &got, AUG_FMT_JPEG);
                permute(&orig, (aug_dihedral)op, &want);
                assert_int_equal(got.width, want.width);
                assert_int_equal(got.height, want.height);
                double p = psnr(&got, &want);
                if (p < 40)
                    fail_msg("%dx%d subsampling %d op %d: %.1f dB from the permuted decode", w,
                             h, subsamp[ss], op, p);
                /* and the pixel path (permute, then encode at 95) agrees */
                uint8_t *px;
                size_t plen;
                aug_encode_options o;
                aug_encode_options_default(&o);
                encode_ok(&want, AUG_FMT_JPEG, &o, &px, &plen);
                aug_image viapix;
                decode_ok(px, plen, &viapix, AUG_FMT_JPEG);
                p = psnr(&got, &viapix);
                if (p < 38)
                    fail_msg("%dx%d op %d: lossless and pixel paths %.1f dB apart", w, h, op, p);
                free(px);
                free(out);
                aug_image_free(&got);
                aug_image_free(&want);
                aug_image_free(&viapix);
            }
            tjFree(jpg);
            aug_image_free(&img);
            aug_image_free(&orig);
        }
    tjDestroy(tj);
    tjDestroy(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_webp),
        cmocka_unit_test(test_tiff_round_trips),
        cmocka_unit_test(test_tiff_refusals),
        cmocka_unit_test(test_dihedral_table),
        cmocka_unit_test(test_jpeg_lossless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
