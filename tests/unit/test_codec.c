/* The codec table: JPEG through TurboJPEG (round trips judged by PSNR,
 * quality, broken and oversized files, alpha dropped), the lossless formats
 * bit-exact for 1..4 channels, format sniffing from the bytes, and the
 * name / extension helpers. Reference JPEGs are made by calling TurboJPEG
 * directly with the settings the codec promises. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <libdeflate.h>
#include <stdio.h>
#include <turbojpeg.h>

#include "augment/codec.h"
#include "testutil.h"

/* Smooth gradients: what JPEG is made for, so a high quality keeps them
 * well above 35 dB. Each channel runs a different way so that a swapped
 * or dropped channel shows. */
static void smooth_image(aug_image *img, int w, int h, int ch)
{
    make_image(img, w, h, ch);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = pixel_at(img, x, y);
            int v[4] = {20 + 200 * x / w, 30 + 180 * y / h, 240 - 100 * (x + y) / (w + h),
                        (x * 37 + y * 11) & 255};
            for (int c = 0; c < ch; c++)
                p[c] = (uint8_t)v[c];
        }
}

/* PSNR over the first `colour` channels of a (laid out with a->channels)
 * against b (laid out with b->channels). */
static double psnr(const aug_image *a, const aug_image *b, int colour)
{
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    double se = 0;
    size_t n = 0;
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width; x++)
            for (int c = 0; c < colour; c++) {
                double d = (double)pixel_at(a, x, y)[c] - (double)pixel_at(b, x, y)[c];
                se += d * d;
                n++;
            }
    return se == 0 ? INFINITY : 10 * log10(255.0 * 255.0 / (se / (double)n));
}

static void encode_ok(const aug_image *img, aug_format fmt, int q, uint8_t **buf, size_t *len)
{
    aug_error err = {0};
    if (aug_encode(img, fmt, q, buf, len, &err) != AUG_OK)
        fail_msg("aug_encode %s: %s", aug_format_name(fmt), err.msg);
    assert_non_null(*buf);
    assert_true(*len > 0);
}

static void decode_ok(const uint8_t *buf, size_t len, aug_image *img, aug_decode_info *info)
{
    aug_error err = {0};
    if (aug_decode(buf, len, 0, img, info, &err) != AUG_OK)
        fail_msg("aug_decode: %s", err.msg);
}

/* Subsampling as the file itself declares it, read by TurboJPEG. */
static int jpeg_subsampling(const uint8_t *buf, size_t len)
{
    tjhandle tj = tjInitDecompress();
    assert_non_null(tj);
    int w, h, sub, cs;
    assert_int_equal(tjDecompressHeader3(tj, buf, len, &w, &h, &sub, &cs), 0);
    tjDestroy(tj);
    return sub;
}

static void test_jpeg_roundtrip_rgb(void **state)
{
    (void)state;
    /* 67x45: neither side a multiple of the 16-pixel 4:2:0 block */
    aug_image img, out;
    smooth_image(&img, 67, 45, 3);
    uint8_t *buf;
    size_t len;
    encode_ok(&img, AUG_FMT_JPEG, 95, &buf, &len);
    assert_memory_equal(buf, "\xff\xd8\xff", 3);
    assert_int_equal(jpeg_subsampling(buf, len), TJSAMP_420);
    aug_decode_info info = {0};
    decode_ok(buf, len, &out, &info);
    assert_int_equal(info.format, AUG_FMT_JPEG);
    assert_int_equal(info.bits, 8);
    assert_int_equal(out.width, 67);
    assert_int_equal(out.height, 45);
    assert_int_equal(out.channels, 3);
    double p = psnr(&img, &out, 3);
    if (!(p > 35))
        fail_msg("RGB at quality 95: PSNR %.1f dB", p);
    free(buf);
    aug_image_free(&img);
    aug_image_free(&out);
}

static void test_jpeg_roundtrip_grey(void **state)
{
    (void)state;
    aug_image img, out;
    smooth_image(&img, 33, 70, 1);
    uint8_t *buf;
    size_t len;
    encode_ok(&img, AUG_FMT_JPEG, 95, &buf, &len);
    assert_int_equal(jpeg_subsampling(buf, len), TJSAMP_GRAY);
    decode_ok(buf, len, &out, NULL);
    assert_int_equal(out.width, 33);
    assert_int_equal(out.height, 70);
    assert_int_equal(out.channels, 1);
    double p = psnr(&img, &out, 1);
    if (!(p > 35))
        fail_msg("grey at quality 95: PSNR %.1f dB", p);
    free(buf);
    aug_image_free(&img);
    aug_image_free(&out);
}

/* 1x1 for every channel count: one flat block comes back within a few
 * levels (quality 95 quantises a flat block's DC to a step of 2). */
static void test_jpeg_one_pixel(void **state)
{
    (void)state;
    static const uint8_t px[4] = {200, 100, 50, 7};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img, out;
        make_image(&img, 1, 1, ch);
        memcpy(img.data, px, (size_t)ch);
        if (ch == 2)
            img.data[1] = 7; /* alpha */
        uint8_t *buf;
        size_t len;
        encode_ok(&img, AUG_FMT_JPEG, 95, &buf, &len);
        decode_ok(buf, len, &out, NULL);
        int colour = ch <= 2 ? 1 : 3;
        assert_int_equal(out.channels, colour);
        assert_int_equal(out.width, 1);
        assert_int_equal(out.height, 1);
        for (int c = 0; c < colour; c++)
            if (abs((int)out.data[c] - (int)px[c]) > 4)
                fail_msg("%d channels: sample %d is %d, expected %d +- 4", ch, c, out.data[c],
                         px[c]);
        free(buf);
        aug_image_free(&img);
        aug_image_free(&out);
    }
}

/* Exactly the bytes TurboJPEG writes with the settings the codec documents:
 * 4:2:0, the accurate DCT, baseline, standard tables (Pillow's defaults).
 * A drift in any of them (or in the quality) changes the file. */
static void test_jpeg_settings(void **state)
{
    (void)state;
    aug_image img;
    random_image(&img, 40, 24, 3, 99);
    static const int qs[] = {50, 95, 100};
    for (int i = 0; i < 3; i++) {
        int q = qs[i];
        uint8_t *buf;
        size_t len;
        encode_ok(&img, AUG_FMT_JPEG, q, &buf, &len);
        tjhandle tj = tjInitCompress();
        assert_non_null(tj);
        unsigned char *ref = NULL;
        unsigned long ref_len = 0;
        assert_int_equal(tjCompress2(tj, img.data, 40, 0, 24, TJPF_RGB, &ref, &ref_len,
                                     TJSAMP_420, q, TJFLAG_ACCURATEDCT),
                         0);
        assert_int_equal(len, ref_len);
        assert_memory_equal(buf, ref, len);
        tjFree(ref);
        tjDestroy(tj);
        free(buf);
    }
    aug_image_free(&img);
}

static void test_jpeg_quality_monotonic(void **state)
{
    (void)state;
    aug_image img;
    random_image(&img, 64, 48, 3, 5); /* detail, so quality has bytes to spend */
    size_t prev = 0;
    static const int qs[] = {10, 50, 95};
    for (int i = 0; i < 3; i++) {
        uint8_t *buf;
        size_t len;
        encode_ok(&img, AUG_FMT_JPEG, qs[i], &buf, &len);
        if (len <= prev)
            fail_msg("quality %d gave %zu bytes, not more than %zu at %d", qs[i], len, prev,
                     qs[i - 1]);
        prev = len;
        free(buf);
    }
    aug_image_free(&img);
}

/* A JPEG cut anywhere is an error, never an image grey at the bottom:
 * inside the markers, inside the tables (TurboJPEG reads that as a
 * "tables only" stream), halfway, and just before the end marker. */
static void test_jpeg_truncated(void **state)
{
    (void)state;
    aug_image img;
    smooth_image(&img, 48, 48, 3);
    uint8_t *buf;
    size_t len;
    encode_ok(&img, AUG_FMT_JPEG, 90, &buf, &len);
    const size_t cuts[] = {3, 20, 100, 300, len / 2, len - 2};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        aug_image out = {.width = 5, .data = (uint8_t *)buf};
        aug_error err = {0};
        aug_status st = aug_decode(buf, cuts[i], 0, &out, NULL, &err);
        if (st != AUG_ERR_FORMAT)
            fail_msg("cut at %zu of %zu: status %d (%s)", cuts[i], len, st, err.msg);
        assert_null(out.data);
        assert_int_equal(out.width, 0);
        assert_non_null(strstr(err.msg, "JPEG"));
    }
    free(buf);
    aug_image_free(&img);
}

/* The limit comes from the header, before any pixel is decoded: even a file
 * whose data is cut short reports the limit, not the damage. */
static void test_jpeg_max_pixels(void **state)
{
    (void)state;
    aug_image img, out;
    random_image(&img, 160, 120, 3, 8); /* noise: the tables are a small part */
    uint8_t *buf;
    size_t len;
    encode_ok(&img, AUG_FMT_JPEG, 90, &buf, &len);
    aug_error err = {0};
    assert_int_equal(aug_decode(buf, len, 19199, &out, NULL, &err), AUG_ERR_LIMIT);
    assert_null(out.data);
    assert_non_null(strstr(err.msg, "160x120"));
    assert_int_equal(aug_decode(buf, len / 2, 19199, &out, NULL, &err), AUG_ERR_LIMIT);
    assert_int_equal(aug_decode(buf, len / 2, 19200, &out, NULL, &err), AUG_ERR_FORMAT);
    assert_int_equal(aug_decode(buf, len, 19200, &out, NULL, &err), AUG_OK);
    assert_int_equal(out.width * out.height, 19200);
    aug_image_free(&out);
    free(buf);
    aug_image_free(&img);
}

/* JPEG has no alpha: RGBA is written exactly as its RGB part would be, and
 * grey+alpha as its grey part; they come back with 3 and 1 channels. */
static void test_jpeg_drops_alpha(void **state)
{
    (void)state;
    for (int ch = 2; ch <= 4; ch += 2) {
        aug_image with_alpha, colour, out;
        smooth_image(&with_alpha, 29, 21, ch);
        make_image(&colour, 29, 21, ch - 1);
        for (int y = 0; y < 21; y++)
            for (int x = 0; x < 29; x++)
                memcpy(pixel_at(&colour, x, y), pixel_at(&with_alpha, x, y), (size_t)ch - 1);
        uint8_t *a, *b;
        size_t alen, blen;
        encode_ok(&with_alpha, AUG_FMT_JPEG, 95, &a, &alen);
        encode_ok(&colour, AUG_FMT_JPEG, 95, &b, &blen);
        assert_int_equal(alen, blen);
        assert_memory_equal(a, b, alen);
        decode_ok(a, alen, &out, NULL);
        assert_int_equal(out.channels, ch - 1);
        double p = psnr(&with_alpha, &out, ch - 1);
        if (!(p > 35))
            fail_msg("%d channels: PSNR %.1f dB", ch, p);
        free(a);
        free(b);
        aug_image_free(&with_alpha);
        aug_image_free(&colour);
        aug_image_free(&out);
    }
}

/* Progressive and 4:4:4 files (made here by TurboJPEG) decode like any. */
static void test_jpeg_progressive_and_444(void **state)
{
    (void)state;
    aug_image img, out;
    smooth_image(&img, 50, 38, 3);
    const int flags[] = {TJFLAG_PROGRESSIVE, 0};
    for (int i = 0; i < 2; i++) {
        tjhandle tj = tjInitCompress();
        assert_non_null(tj);
        unsigned char *jpg = NULL;
        unsigned long jlen = 0;
        assert_int_equal(tjCompress2(tj, img.data, 50, 0, 38, TJPF_RGB, &jpg, &jlen,
                                     i ? TJSAMP_444 : TJSAMP_420, 95, flags[i]),
                         0);
        decode_ok(jpg, jlen, &out, NULL);
        assert_int_equal(out.channels, 3);
        double p = psnr(&img, &out, 3);
        if (!(p > 35))
            fail_msg("%s: PSNR %.1f dB", i ? "4:4:4" : "progressive", p);
        aug_image_free(&out);
        tjFree(jpg);
        tjDestroy(tj);
    }
    aug_image_free(&img);
}

/* TurboJPEG 2.1 decodes CMYK only to CMYK: refused, and said so. */
static void test_jpeg_cmyk_unsupported(void **state)
{
    (void)state;
    aug_image cmyk, out;
    random_image(&cmyk, 16, 16, 4, 3);
    tjhandle tj = tjInitCompress();
    assert_non_null(tj);
    unsigned char *jpg = NULL;
    unsigned long jlen = 0;
    assert_int_equal(
        tjCompress2(tj, cmyk.data, 16, 0, 16, TJPF_CMYK, &jpg, &jlen, TJSAMP_444, 90, 0), 0);
    aug_error err = {0};
    assert_int_equal(aug_decode(jpg, jlen, 0, &out, NULL, &err), AUG_ERR_UNSUPPORTED);
    assert_null(out.data);
    assert_non_null(strstr(err.msg, "CMYK"));
    tjFree(jpg);
    tjDestroy(tj);
    aug_image_free(&cmyk);
}

/* PNG, BMP and TGA are lossless: every sample comes back. BMP has no grey
 * layouts, so grey is stored as RGB and grey+alpha as RGBA. */
static void test_lossless_formats(void **state)
{
    (void)state;
    static const aug_format fmts[] = {AUG_FMT_PNG, AUG_FMT_BMP, AUG_FMT_TGA};
    static const int bmp_channels[] = {0, 3, 4, 3, 4};
    for (int f = 0; f < 3; f++)
        for (int ch = 1; ch <= 4; ch++) {
            aug_image img, out;
            random_image(&img, 7, 5, ch, (uint64_t)(f * 10 + ch));
            uint8_t *buf;
            size_t len;
            encode_ok(&img, fmts[f], 95, &buf, &len);
            aug_decode_info info = {0};
            decode_ok(buf, len, &out, &info);
            assert_int_equal(info.format, fmts[f]);
            int want = fmts[f] == AUG_FMT_BMP ? bmp_channels[ch] : ch;
            assert_int_equal(out.channels, want);
            assert_int_equal(out.width, 7);
            assert_int_equal(out.height, 5);
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 7; x++) {
                    const uint8_t *s = pixel_at(&img, x, y), *d = pixel_at(&out, x, y);
                    for (int c = 0; c < want; c++) {
                        /* BMP's expansion: grey into R, G and B; alpha last */
                        int from = ch >= 3 ? c : (c == want - 1 && ch == 2 ? 1 : 0);
                        if (d[c] != s[from])
                            fail_msg("%s %d channels: (%d,%d,%d) is %d, expected %d",
                                     aug_format_name(fmts[f]), ch, x, y, c, d[c], s[from]);
                    }
                }
            free(buf);
            aug_image_free(&img);
            aug_image_free(&out);
        }
}

/* Hand-written files of the read-only formats: the bytes, not a name, say
 * what they are. */
static void test_sniff_read_only(void **state)
{
    (void)state;
    static const uint8_t pgm[] = "P5\n# two pixels\n2 1\n255\n\x00\xff";
    static const uint8_t ppm[] = "P6 1 1 255 \x0a\x14\x1e";
    aug_image out;
    aug_decode_info info = {0};
    decode_ok(pgm, sizeof pgm - 1, &out, &info);
    assert_int_equal(info.format, AUG_FMT_PNM);
    assert_int_equal(out.channels, 1);
    assert_int_equal(out.width, 2);
    assert_memory_equal(out.data, "\x00\xff", 2);
    aug_image_free(&out);
    decode_ok(ppm, sizeof ppm - 1, &out, &info);
    assert_int_equal(info.format, AUG_FMT_PNM);
    assert_int_equal(out.channels, 3);
    assert_memory_equal(out.data, "\x0a\x14\x1e", 3);
    aug_image_free(&out);
    /* a number of six digits reads (leading zeros count); one of seven is
     * refused before stb, whose int would overflow on a long run */
    static const uint8_t six[] = "P5 000002 1 255\n\x00\xff";
    decode_ok(six, sizeof six - 1, &out, &info);
    assert_int_equal(out.width, 2);
    aug_image_free(&out);
    static const uint8_t seven[] = "P5 0000002 1 255\n\x00\xff";
    static const uint8_t huge[] = "P5 2888888888888888888888888 1 255\n\x00";
    aug_error err = {0};
    aug_header h;
    assert_int_equal(aug_decode(seven, sizeof seven - 1, 0, &out, NULL, &err), AUG_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "6 digits"));
    assert_int_equal(aug_probe(huge, sizeof huge - 1, 0, &h, &err), AUG_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "6 digits"));
}

static void test_decode_garbage(void **state)
{
    (void)state;
    aug_image out;
    aug_error err = {0};
    assert_int_equal(aug_decode((const uint8_t *)"", 0, 0, &out, NULL, &err), AUG_ERR_FORMAT);
    assert_null(out.data);
    assert_non_null(strstr(err.msg, "empty"));
    static const uint8_t text[] = "hello, this is not an image at all";
    assert_int_equal(aug_decode(text, sizeof text - 1, 0, &out, NULL, &err), AUG_ERR_FORMAT);
    assert_null(out.data);
    /* the JPEG magic alone */
    assert_int_equal(aug_decode((const uint8_t *)"\xff\xd8\xff", 3, 0, &out, NULL, &err),
                     AUG_ERR_FORMAT);
    assert_null(out.data);
}

static void test_encode_refusals(void **state)
{
    (void)state;
    aug_image img;
    smooth_image(&img, 4, 4, 3);
    uint8_t *buf = (uint8_t *)&img;
    size_t len = 9;
    aug_error err = {0};
    assert_int_equal(aug_encode(&img, AUG_FMT_PNM, 90, &buf, &len, &err), AUG_ERR_UNSUPPORTED);
    assert_null(buf);
    assert_int_equal(len, 0);
    assert_int_equal(aug_encode(&img, AUG_FMT_GIF, 90, &buf, &len, &err), AUG_ERR_UNSUPPORTED);
    assert_int_equal(aug_encode(&img, AUG_FMT_UNKNOWN, 90, &buf, &len, &err),
                     AUG_ERR_UNSUPPORTED);
    assert_int_equal(aug_encode(&img, AUG_FMT_JPEG, 0, &buf, &len, &err), AUG_ERR_ARG);
    assert_int_equal(aug_encode(&img, AUG_FMT_JPEG, 101, &buf, &len, &err), AUG_ERR_ARG);
    assert_null(buf);
    aug_image empty = {0};
    assert_int_equal(aug_encode(&empty, AUG_FMT_JPEG, 90, &buf, &len, &err), AUG_ERR_ARG);
    assert_null(buf);
    /* quality 1 and 100 are the ends of the range, both accepted */
    encode_ok(&img, AUG_FMT_JPEG, 1, &buf, &len);
    free(buf);
    encode_ok(&img, AUG_FMT_JPEG, 100, &buf, &len);
    free(buf);
    aug_image_free(&img);
}

static void test_format_names(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        aug_format fmt;
    } paths[] = {
        {"cat.png", AUG_FMT_PNG},       {"a/b/CAT.JPG", AUG_FMT_JPEG},
        {"x.jpeg", AUG_FMT_JPEG},       {"x.JpE", AUG_FMT_JPEG},
        {"photo.Tga", AUG_FMT_TGA},     {"x.bmp", AUG_FMT_BMP},
        {"x.pgm", AUG_FMT_PNM},         {"x.ppm", AUG_FMT_PNM},
        {"x.gif", AUG_FMT_GIF},         {"x.webp", AUG_FMT_WEBP},
        {"x.TIF", AUG_FMT_TIFF},        {"x.tiff", AUG_FMT_TIFF},
        {"x.heic", AUG_FMT_UNKNOWN},    {"x.avif", AUG_FMT_UNKNOWN},
        {"archive.png.gz", AUG_FMT_UNKNOWN}, {"noext", AUG_FMT_UNKNOWN},
        {"trailing.", AUG_FMT_UNKNOWN}, {"dir.png/file", AUG_FMT_UNKNOWN},
        {"", AUG_FMT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (aug_format_from_path(paths[i].path) != paths[i].fmt)
            fail_msg("aug_format_from_path(\"%s\") is %d, expected %d", paths[i].path,
                     aug_format_from_path(paths[i].path), paths[i].fmt);

    assert_int_equal(aug_format_from_name("jpg"), AUG_FMT_JPEG);
    assert_int_equal(aug_format_from_name("JPEG"), AUG_FMT_JPEG);
    assert_int_equal(aug_format_from_name("Png"), AUG_FMT_PNG);
    assert_int_equal(aug_format_from_name("bmp"), AUG_FMT_BMP);
    assert_int_equal(aug_format_from_name("tga"), AUG_FMT_TGA);
    assert_int_equal(aug_format_from_name(".png"), AUG_FMT_UNKNOWN);
    assert_int_equal(aug_format_from_name("tiff"), AUG_FMT_TIFF);
    assert_int_equal(aug_format_from_name("jxl"), AUG_FMT_UNKNOWN);
    assert_int_equal(aug_format_from_name(""), AUG_FMT_UNKNOWN);

    assert_string_equal(aug_format_ext(AUG_FMT_PNG), "png");
    assert_string_equal(aug_format_ext(AUG_FMT_JPEG), "jpg");
    assert_string_equal(aug_format_ext(AUG_FMT_BMP), "bmp");
    assert_string_equal(aug_format_ext(AUG_FMT_TGA), "tga");
    assert_string_equal(aug_format_ext(AUG_FMT_TIFF), "tif");
    assert_string_equal(aug_format_writable_list(), "png, jpg, webp, tif, bmp, tga");
    assert_string_equal(aug_format_ext(AUG_FMT_UNKNOWN), "");
    assert_string_equal(aug_format_name(AUG_FMT_JPEG), "JPEG");
    assert_string_equal(aug_format_name((aug_format)99), "image");

    static const aug_format writable[] = {AUG_FMT_PNG, AUG_FMT_JPEG, AUG_FMT_BMP, AUG_FMT_TGA,
                                          AUG_FMT_WEBP, AUG_FMT_TIFF};
    static const aug_format read_only[] = {AUG_FMT_PNM, AUG_FMT_GIF, AUG_FMT_UNKNOWN};
    for (int i = 0; i < 6; i++)
        assert_true(aug_format_writable(writable[i]));
    for (int i = 0; i < 3; i++)
        assert_false(aug_format_writable(read_only[i]));
}

/* The header alone must say what decoding gives: the dry run and
 * --skip-existing draw from it. */
static void probe_agrees(const uint8_t *buf, size_t len, const char *what)
{
    aug_image img;
    aug_decode_info info;
    aug_header h;
    aug_error e1 = {0}, e2 = {0};
    aug_status sd = aug_decode(buf, len, 0, &img, &info, &e1);
    aug_status sp = aug_probe(buf, len, 0, &h, &e2);
    if (sd != AUG_OK) {
        aug_image_free(&img);
        return; /* a broken body may still have a readable header */
    }
    if (sp != AUG_OK)
        fail_msg("%s decodes but its header does not read: %s", what, e2.msg);
    if (h.width != img.width || h.height != img.height || h.channels != img.channels ||
        h.format != info.format || h.bits != info.bits)
        fail_msg("%s: header says %dx%dx%d (format %d, %d bits), decoding gives %dx%dx%d "
                 "(format %d, %d bits)",
                 what, h.width, h.height, h.channels, (int)h.format, h.bits, img.width,
                 img.height, img.channels, (int)info.format, info.bits);
    aug_image_free(&img);
}

static void probe_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s (run from the repository root)", dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        static uint8_t buf[1 << 22];
        size_t len = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        probe_agrees(buf, len, path);
        n++;
    }
    closedir(d);
    assert_true(n >= 2);
}

/* A PNG with a tRNS chunk inserted after IHDR: stb then adds an alpha
 * channel to a grey or RGB image, which the header scan must see. */
static void with_trns(int ch)
{
    aug_image img;
    random_image(&img, 6, 4, ch, 5);
    uint8_t *png;
    size_t len;
    encode_ok(&img, AUG_FMT_PNG, 95, &png, &len);
    uint8_t chunk[6 + 4 + 4 + 2 + 4], *c = chunk; /* len, type, data (2 or 6), crc */
    size_t dlen = ch == 1 ? 2 : 6;
    c[0] = c[1] = c[2] = 0;
    c[3] = (uint8_t)dlen;
    memcpy(c + 4, "tRNS", 4);
    memset(c + 8, 0, dlen);
    c[9] = 7; /* grey (or red) 7 is transparent */
    uint32_t crc = libdeflate_crc32(0, c + 4, 4 + dlen);
    for (int i = 0; i < 4; i++)
        c[8 + dlen + (size_t)i] = (uint8_t)(crc >> (24 - 8 * i));
    size_t clen = 12 + dlen, at = 8 + 25; /* after the signature and IHDR */
    uint8_t *out = malloc(len + clen);
    assert_non_null(out);
    memcpy(out, png, at);
    memcpy(out + at, chunk, clen);
    memcpy(out + at + clen, png + at, len - at);
    aug_image dec;
    decode_ok(out, len + clen, &dec, NULL);
    assert_int_equal(dec.channels, ch + 1); /* the chunk took effect */
    aug_image_free(&dec);
    probe_agrees(out, len + clen, ch == 1 ? "grey PNG with tRNS" : "RGB PNG with tRNS");
    free(out);
    free(png);
    aug_image_free(&img);
}

static void test_probe_matches_decode(void **state)
{
    (void)state;
    probe_dir("tests/data/edge");
    probe_dir("tests/data/img");
    with_trns(1);
    with_trns(3);
    for (int ch = 1; ch <= 4; ch++) {
        aug_image img;
        random_image(&img, 9, 7, ch, 8);
        static const aug_format fmts[] = {AUG_FMT_PNG, AUG_FMT_JPEG, AUG_FMT_BMP, AUG_FMT_TGA};
        for (int f = 0; f < 4; f++) {
            uint8_t *buf;
            size_t len;
            encode_ok(&img, fmts[f], 90, &buf, &len);
            probe_agrees(buf, len, aug_format_name(fmts[f]));
            free(buf);
        }
        aug_image_free(&img);
    }
}

static size_t read_whole(const char *path, uint8_t *buf, size_t size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s (run from the repository root)", path);
    size_t n = fread(buf, 1, size, fp);
    fclose(fp);
    return n;
}

/* Files found by fuzzing (tests/data/SOURCES.md says what each must give). */
static void test_found_files(void **state)
{
    (void)state;
    static uint8_t buf[1 << 16];
    aug_image img;
    aug_header h;
    aug_error err = {0};
    size_t n = read_whole("tests/data/found/topdown_2x2_valid.bmp", buf, sizeof buf);
    decode_ok(buf, n, &img, NULL);
    assert_int_equal(img.width, 2);
    assert_int_equal(img.height, 2);
    /* as Pillow reads it: red, green / blue, white */
    static const uint8_t want[12] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
    assert_int_equal(img.channels, 3);
    assert_memory_equal(img.data, want, 12);
    aug_image_free(&img);
    static const char *const zero[] = {"tests/data/found/pnm_zero_dims.pgm",
                                       "tests/data/found/pnm_5x0.ppm"};
    for (int i = 0; i < 2; i++) {
        n = read_whole(zero[i], buf, sizeof buf);
        assert_int_equal(aug_decode(buf, n, 0, &img, NULL, &err), AUG_ERR_FORMAT);
        assert_non_null(strstr(err.msg, "no pixels"));
        assert_null(img.data);
        assert_int_equal(aug_probe(buf, n, 0, &h, &err), AUG_ERR_FORMAT);
    }
    n = read_whole("tests/data/found/png_empty_idat.png", buf, sizeof buf);
    assert_int_equal(aug_decode(buf, n, 0, &img, NULL, &err), AUG_ERR_FORMAT);
    n = read_whole("tests/data/found/tga_9235x19_rle.tga", buf, sizeof buf);
    decode_ok(buf, n, &img, NULL);
    assert_int_equal(img.width, 9235);
    assert_int_equal(img.height, 19);
    aug_image_free(&img);
}

/* An empty first IDAT chunk is dropped before stb sees it: a valid PNG
 * with one inserted still decodes to the same pixels. */
static void test_png_empty_idat_tolerated(void **state)
{
    (void)state;
    aug_image img, dec;
    random_image(&img, 5, 4, 3, 3);
    uint8_t *png;
    size_t len;
    encode_ok(&img, AUG_FMT_PNG, 95, &png, &len);
    static const uint8_t empty[12] = {0, 0, 0, 0, 'I', 'D', 'A', 'T', 0x35, 0xaf, 0x06, 0x1e};
    size_t at = 8 + 25;
    uint8_t *out = malloc(len + 12);
    assert_non_null(out);
    memcpy(out, png, at);
    memcpy(out + at, empty, 12);
    memcpy(out + at + 12, png + at, len - at);
    decode_ok(out, len + 12, &dec, NULL);
    assert_memory_equal(dec.data, img.data, aug_image_size(&img));
    aug_image_free(&dec);
    aug_image_free(&img);
    free(out);
    free(png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_roundtrip_rgb),
        cmocka_unit_test(test_jpeg_roundtrip_grey),
        cmocka_unit_test(test_jpeg_one_pixel),
        cmocka_unit_test(test_jpeg_settings),
        cmocka_unit_test(test_jpeg_quality_monotonic),
        cmocka_unit_test(test_jpeg_truncated),
        cmocka_unit_test(test_jpeg_max_pixels),
        cmocka_unit_test(test_jpeg_drops_alpha),
        cmocka_unit_test(test_jpeg_progressive_and_444),
        cmocka_unit_test(test_jpeg_cmyk_unsupported),
        cmocka_unit_test(test_lossless_formats),
        cmocka_unit_test(test_sniff_read_only),
        cmocka_unit_test(test_decode_garbage),
        cmocka_unit_test(test_encode_refusals),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_probe_matches_decode),
        cmocka_unit_test(test_found_files),
        cmocka_unit_test(test_png_empty_idat_tolerated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
