/* The augment binary on images, checked pixel by pixel: the test writes
 * its inputs, runs the command, decodes the outputs with the library and
 * compares them with what the contract says each pixel must be (a
 * coordinate mapping, a blend formula, statistics with tolerances). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_testutil.h"

static void load_ok(const char *path, aug_image *img)
{
    aug_status st = cli_load(path, img);
    if (st)
        fail_msg("cannot decode %s (status %d)", path, (int)st);
}

static void save_ok(const char *path, const aug_image *img)
{
    assert_int_equal(cli_save(path, img, AUG_FMT_PNG), AUG_OK);
}

/* out must be in with (x, y) read from (sx(x, y), sy(x, y)): one of the
 * flips or quarter turns, given as the source of each output pixel. */
typedef void (*source_fn)(int w, int h, int x, int y, int *sx, int *sy);

static void src_h(int w, int h, int x, int y, int *sx, int *sy)
{
    (void)h;
    *sx = w - 1 - x;
    *sy = y;
}
static void src_v(int w, int h, int x, int y, int *sx, int *sy)
{
    (void)w;
    *sx = x;
    *sy = h - 1 - y;
}
static void src_both(int w, int h, int x, int y, int *sx, int *sy)
{
    *sx = w - 1 - x;
    *sy = h - 1 - y;
}
static void src_none(int w, int h, int x, int y, int *sx, int *sy)
{
    (void)w;
    (void)h;
    *sx = x;
    *sy = y;
}
/* Counter-clockwise on screen (y down): the input's right column becomes
 * the output's top row. in is w x h, out is h x w. */
static void src_ccw90(int w, int h, int x, int y, int *sx, int *sy)
{
    (void)h;
    *sx = w - 1 - y;
    *sy = x;
}
static void src_cw90(int w, int h, int x, int y, int *sx, int *sy)
{
    (void)w;
    *sx = y;
    *sy = h - 1 - x;
}

static void assert_mapped(const aug_image *in, const aug_image *out, source_fn f,
                          const char *what)
{
    assert_int_equal(out->channels, in->channels);
    for (int y = 0; y < out->height; y++)
        for (int x = 0; x < out->width; x++) {
            int sx, sy;
            f(in->width, in->height, x, y, &sx, &sy);
            if (memcmp(pixel_at(out, x, y), pixel_at(in, sx, sy), (size_t)in->channels))
                fail_msg("%s, %d channels: output (%d,%d) is not input (%d,%d)", what,
                         in->channels, x, y, sx, sy);
        }
}

/* ---- flip: an exact permutation, for 1..4 channels ---- */
static void test_flip_exact(void **state)
{
    const char *dir = *state;
    char in_path[CLI_PATH_MAX], out_path[CLI_PATH_MAX + 32];
    static const struct {
        const char *flag;
        source_fn f;
    } modes[] = {{"--horizontal", src_h}, {"--vertical", src_v}, {"--both", src_both}, {"", src_h}};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image in;
        random_image(&in, 7, 5, ch, 100 + (uint64_t)ch);
        snprintf(in_path, sizeof in_path, "%s/in%d.png", dir, ch);
        save_ok(in_path, &in);
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            snprintf(out_path, sizeof out_path, "%s/flip%d_%zu.png", dir, ch, m);
            assert_int_equal(cli_run("flip %s %s -o %s", modes[m].flag, in_path, out_path), 0);
            aug_image out;
            load_ok(out_path, &out);
            assert_int_equal(out.width, 7);
            assert_int_equal(out.height, 5);
            assert_mapped(&in, &out, modes[m].f, modes[m].flag[0] ? modes[m].flag : "default");
            aug_image_free(&out);
        }
        /* --random: each output is what its manifest row says */
        char outdir[CLI_PATH_MAX], man[CLI_PATH_MAX];
        snprintf(outdir, sizeof outdir, "%s/random%d", dir, ch);
        snprintf(man, sizeof man, "%s/random%d.csv", dir, ch);
        assert_int_equal(cli_run("flip --random -n 9 --manifest %s %s -o %s", man, in_path, outdir), 0);
        cli_csv csv;
        assert_int_equal(cli_csv_read(man, &csv), 0);
        assert_int_equal(csv.rows, 10);
        int seen[3] = {0, 0, 0};
        for (size_t r = 1; r < csv.rows; r++) {
            const char *params = csv.cell[r][3];
            source_fn f = strcmp(params, "flip=horizontal") == 0 ? src_h
                          : strcmp(params, "flip=vertical") == 0 ? src_v
                          : strcmp(params, "flip=none") == 0     ? src_none
                                                                 : NULL;
            if (!f)
                fail_msg("flip --random recorded '%s'", params);
            seen[f == src_h ? 0 : f == src_v ? 1 : 2]++;
            aug_image out;
            load_ok(csv.cell[r][0], &out);
            assert_mapped(&in, &out, f, params);
            aug_image_free(&out);
        }
        /* 9 draws from 3 choices: all three seen unless the generator is
         * badly broken (probability of a miss 3 * (2/3)^9 = 8%, but the
         * seed is fixed; over 4 channel counts a constant choice fails) */
        assert_true(seen[0] + seen[1] > 0 && seen[0] + seen[2] > 0);
        cli_csv_free(&csv);
        aug_image_free(&in);
    }
}

/* ---- rotate: quarter turns are exact permutations ---- */
static void test_rotate_quarter_turns(void **state)
{
    const char *dir = *state;
    char in_path[CLI_PATH_MAX], out_path[CLI_PATH_MAX];
    static const char *interps[] = {"nearest", "bilinear", "bicubic"};
    static const struct {
        const char *angle, *what;
        source_fn f;
    } turns[] = {{"90", "rotate 90 --expand", src_ccw90},
                 {"-90", "rotate -90 --expand", src_cw90}};
    for (int ch = 1; ch <= 4; ch++) {
        aug_image in;
        random_image(&in, 7, 5, ch, 200 + (uint64_t)ch);
        snprintf(in_path, sizeof in_path, "%s/rin%d.png", dir, ch);
        save_ok(in_path, &in);
        for (int i = 0; i < 3; i++)
            for (size_t t = 0; t < sizeof turns / sizeof turns[0]; t++) {
                aug_image out;
                snprintf(out_path, sizeof out_path, "%s/r90_%d_%d.png", dir, ch, i);
                assert_int_equal(cli_run("rotate --angle %s --expand --interp %s %s -o %s",
                                         turns[t].angle, interps[i], in_path, out_path), 0);
                load_ok(out_path, &out);
                assert_int_equal(out.width, 5);
                assert_int_equal(out.height, 7);
                assert_mapped(&in, &out, turns[t].f, turns[t].what);
                aug_image_free(&out);
            }
        aug_image_free(&in);
    }
}

/* 90 degrees without --expand keeps the size: about the centre (3, 2) of a
 * 7x5 image, output (x, y) reads input (5 - y, x - 1); the rest is the
 * constant border: 0 by default (transparent), or --fill. */
static void test_rotate_quarter_keep_size(void **state)
{
    const char *dir = *state;
    char path_buf[CLI_PATH_MAX];
    for (int ch = 1; ch <= 4; ch++) {
        aug_image in, out, filled;
        random_image(&in, 7, 5, ch, 300 + (uint64_t)ch);
        save_ok(P("keep.png"), &in);
        assert_int_equal(cli_run("rotate --angle 90 %s/keep.png -o %s/keep90.png", dir, dir), 0);
        assert_int_equal(cli_run("rotate --angle 90 --fill 10,20,30,40 %s/keep.png -o %s/keepfill.png",
                                 dir, dir), 0);
        load_ok(P("keep90.png"), &out);
        load_ok(P("keepfill.png"), &filled);
        assert_int_equal(out.width, 7);
        assert_int_equal(out.height, 5);
        assert_int_equal(out.channels, ch);
        /* the fill as the CLI maps R,G,B,A onto ch channels (grey: luma) */
        uint8_t grey = (uint8_t)((299 * 10 + 587 * 20 + 114 * 30 + 500) / 1000);
        const uint8_t fills[5][4] = {{0}, {grey}, {grey, 40}, {10, 20, 30}, {10, 20, 30, 40}};
        int covered = 0;
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++) {
                int sx = 5 - y, sy = x - 1;
                if (sx >= 0 && sx < 7 && sy >= 0 && sy < 5) {
                    covered++;
                    assert_memory_equal(pixel_at(&out, x, y), pixel_at(&in, sx, sy), (size_t)ch);
                    assert_memory_equal(pixel_at(&filled, x, y), pixel_at(&in, sx, sy),
                                        (size_t)ch);
                } else {
                    static const uint8_t zero[4] = {0};
                    assert_memory_equal(pixel_at(&out, x, y), zero, (size_t)ch);
                    assert_memory_equal(pixel_at(&filled, x, y), fills[ch], (size_t)ch);
                }
            }
        assert_int_equal(covered, 25); /* the central 5x5 square */
        aug_image_free(&in);
        aug_image_free(&out);
        aug_image_free(&filled);
    }
}

/* ---- noise: statistics on flat images, alpha never touched ---- */
static void noise_stats(const aug_image *img, int c, double *mean, double *sd)
{
    double s = 0, s2 = 0;
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) {
        double v = img->data[i * (size_t)img->channels + (size_t)c];
        s += v;
        s2 += v * v;
    }
    *mean = s / (double)n;
    *sd = sqrt(s2 / (double)n - *mean * *mean);
}

static void run_noise(const char *dir, const aug_image *in, const char *flags,
                      aug_image *out)
{
    char path_buf[CLI_PATH_MAX];
    save_ok(P("flat.png"), in);
    if (cli_run("noise %s %s/flat.png -o %s/noisy.png", flags, dir, dir) != 0)
        fail_msg("augment noise %s failed", flags);
    load_ok(P("noisy.png"), out);
    assert_int_equal(out->width, in->width);
    assert_int_equal(out->height, in->height);
    assert_int_equal(out->channels, in->channels);
}

static void test_noise_statistics(void **state)
{
    const char *dir = *state;
    aug_image in, out;
    double mean, sd;
    /* On flat grey images of 65536 samples; rounding adds 1/12 to each
     * variance. `spread`, when set, bounds every sample to level +- spread. */
    const struct {
        uint8_t level;
        const char *flags;
        double sd, sd_tol;
        int spread;
    } cases[] = {
        {128, "--type gaussian --sigma 10", 10.004, 0.25, 0},
        /* U(-20, 20): sd 20/sqrt(3), never beyond 128 +- 20 */
        {128, "--type uniform --sigma 20", 20 / sqrt(3.0), 0.25, 20},
        /* scale 1 on 100: mean 100, variance 100 */
        {100, "--type poisson", 10, 0.25, 0},
        /* scale 4: variance 100 / 4 */
        {100, "--type poisson --scale 4", 5.0, 0.2, 0},
        /* v + v * N(0, 25.5/255 = 0.1) on 100: sd 10 */
        {100, "--type speckle --sigma 25.5", 10.004, 0.25, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        flat_image(&in, 256, 256, 1, cases[k].level);
        run_noise(dir, &in, cases[k].flags, &out);
        noise_stats(&out, 0, &mean, &sd);
        if (!(fabs(mean - cases[k].level) < 0.3 && fabs(sd - cases[k].sd) < cases[k].sd_tol))
            fail_msg("noise %s on %d: mean %g, sd %g, expected sd %g", cases[k].flags,
                     cases[k].level, mean, sd, cases[k].sd);
        for (size_t i = 0; cases[k].spread && i < aug_image_size(&out); i++)
            assert_in_range(out.data[i], cases[k].level - cases[k].spread,
                            cases[k].level + cases[k].spread);
        aug_image_free(&out);
        aug_image_free(&in);
    }
    /* salt and pepper: 10% replaced, 30% of those salt */
    flat_image(&in, 256, 256, 1, 128);
    run_noise(dir, &in, "--type saltpepper --amount 0.1 --salt-ratio 0.3", &out);
    size_t salt = 0, pepper = 0, kept = 0, n = aug_image_size(&out);
    for (size_t i = 0; i < n; i++) {
        salt += out.data[i] == 255;
        pepper += out.data[i] == 0;
        kept += out.data[i] == 128;
    }
    assert_int_equal(salt + pepper + kept, n);
    assert_true(fabs((double)(salt + pepper) / (double)n - 0.1) < 0.006);
    assert_true(fabs((double)salt / (double)(salt + pepper) - 0.3) < 0.03);
    aug_image_free(&out);
    aug_image_free(&in);
}

/* Shared noise by default: a grey RGB image stays grey; --per-channel not. */
static void test_noise_channels(void **state)
{
    const char *dir = *state;
    aug_image in, out;
    flat_image(&in, 64, 64, 3, 128);
    run_noise(dir, &in, "--sigma 10", &out);
    size_t n = 64 * 64, changed = 0, grey = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = out.data + 3 * i;
        changed += p[0] != 128;
        grey += p[0] == p[1] && p[1] == p[2];
    }
    assert_true(changed > n / 2);
    assert_int_equal(grey, n);
    aug_image_free(&out);
    run_noise(dir, &in, "--sigma 10 --per-channel", &out);
    grey = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = out.data + 3 * i;
        grey += p[0] == p[1] && p[1] == p[2];
    }
    assert_true(grey < n / 4);
    aug_image_free(&out);
    aug_image_free(&in);
}

static void test_noise_alpha_untouched(void **state)
{
    const char *dir = *state;
    static const char *types[] = {
        "--type gaussian --sigma 40", "--type uniform --sigma 40 --per-channel",
        "--type saltpepper --amount 0.5", "--type speckle --sigma 80",
        "--type poisson --scale 0.1"};
    for (int ch = 2; ch <= 4; ch += 2)
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
            aug_image in, out;
            random_image(&in, 33, 21, ch, 400 + t);
            run_noise(dir, &in, types[t], &out);
            size_t changed = 0, n = 33 * 21;
            for (size_t i = 0; i < n; i++) {
                size_t a = i * (size_t)ch + (size_t)ch - 1;
                if (out.data[a] != in.data[a])
                    fail_msg("noise %s changed alpha of pixel %zu (%d channels)", types[t], i, ch);
                changed += memcmp(out.data + i * (size_t)ch, in.data + i * (size_t)ch,
                                  (size_t)ch - 1) != 0;
            }
            assert_true(changed > n / 4); /* the colour was noised */
            aug_image_free(&in);
            aug_image_free(&out);
        }
}

/* ---- erase: the manifest's rectangles are exactly what changed ---- */
static int parse_rects(const char *params, int rects[][4], int max)
{
    int n = 0;
    const char *p = params;
    while (n < max && (p = strstr(p, "rect=")) != NULL) {
        if (sscanf(p, "rect=%d,%d,%d,%d", &rects[n][0], &rects[n][1], &rects[n][2],
                   &rects[n][3]) != 4)
            fail_msg("cannot read a rectangle in '%s'", params);
        n++;
        p += 5;
    }
    return n;
}

static int in_rects(int rects[][4], int n, int x, int y)
{
    for (int i = 0; i < n; i++)
        if (x >= rects[i][0] && x < rects[i][0] + rects[i][2] && y >= rects[i][1] &&
            y < rects[i][1] + rects[i][3])
            return 1;
    return 0;
}

static void check_erase(const char *dir, int ch, const char *flags, const uint8_t *value,
                        int copies)
{
    char path_buf[CLI_PATH_MAX];
    aug_image in;
    /* no colour sample is 0, so every erased sample changes */
    make_image(&in, 40, 30, ch);
    fill_random_range(&in, 500 + (uint64_t)ch, 1, 255);
    save_ok(P("e.png"), &in);
    cli_sh("rm -rf %s/eout %s/e.csv", dir, dir);
    if (cli_run("erase %s -n %d --manifest %s/e.csv %s/e.png -o %s/eout", flags, copies,
                dir, dir, dir) != 0)
        fail_msg("augment erase %s failed", flags);
    cli_csv csv;
    assert_int_equal(cli_csv_read(P("e.csv"), &csv), 0);
    assert_int_equal(csv.rows, (size_t)copies + 1);
    int colour = ch == 2 || ch == 4 ? ch - 1 : ch;
    for (size_t r = 1; r < csv.rows; r++) {
        int rects[8][4];
        int n = parse_rects(csv.cell[r][3], rects, 8);
        assert_true(n >= 1);
        for (int i = 0; i < n; i++) {
            assert_true(rects[i][0] >= 0 && rects[i][1] >= 0);
            assert_true(rects[i][0] + rects[i][2] <= 40 && rects[i][1] + rects[i][3] <= 30);
        }
        aug_image out;
        load_ok(csv.cell[r][0], &out);
        assert_int_equal(out.channels, ch);
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < 40; x++) {
                const uint8_t *o = pixel_at(&out, x, y), *s = pixel_at(&in, x, y);
                int inside = in_rects(rects, n, x, y);
                if (colour < ch && o[colour] != s[colour])
                    fail_msg("erase %s: alpha changed at (%d,%d)", flags, x, y);
                if (!inside && memcmp(o, s, (size_t)colour))
                    fail_msg("erase %s: (%d,%d) outside %s changed", flags, x, y, csv.cell[r][3]);
                /* (a random fill is checked outside the rectangle only) */
                if (inside && value && memcmp(o, value, (size_t)colour))
                    fail_msg("erase %s: (%d,%d) inside %s is not the value", flags, x, y,
                             csv.cell[r][3]);
            }
        aug_image_free(&out);
    }
    cli_csv_free(&csv);
    aug_image_free(&in);
}

static void test_erase_rects(void **state)
{
    const char *dir = *state;
    static const uint8_t zero[3] = {0, 0, 0};
    const uint8_t colour[3] = {10, 20, 30};
    const uint8_t luma[1] = {(uint8_t)((299 * 10 + 587 * 20 + 114 * 30 + 500) / 1000)};
    for (int ch = 1; ch <= 4; ch++) {
        check_erase(dir, ch, "", zero, 6);
        check_erase(dir, ch, "--value 0 --count 3", zero, 4);
        check_erase(dir, ch, "--value 10,20,30 --scale 0.1:0.2",
                    ch >= 3 ? colour : luma, 4);
        check_erase(dir, ch, "--value random", NULL, 3);
    }
}

/* --value mean: the rectangle takes the image's per-channel mean. */
static void test_erase_mean(void **state)
{
    const char *dir = *state;
    char path_buf[CLI_PATH_MAX];
    aug_image in, out;
    random_image(&in, 40, 30, 3, 600);
    double mean[3] = {0, 0, 0};
    for (size_t i = 0; i < 40 * 30; i++)
        for (int c = 0; c < 3; c++)
            mean[c] += in.data[3 * i + (size_t)c] / 1200.0;
    save_ok(P("m.png"), &in);
    assert_int_equal(cli_run("erase --value mean --scale 0.2:0.2 --manifest %s/m.csv %s/m.png -o %s/mo.png",
                             dir, dir, dir), 0);
    cli_csv csv;
    assert_int_equal(cli_csv_read(P("m.csv"), &csv), 0);
    int rect[1][4];
    assert_int_equal(parse_rects(csv.cell[1][3], rect, 1), 1);
    assert_true(rect[0][2] > 0);
    load_ok(P("mo.png"), &out);
    for (int c = 0; c < 3; c++) {
        int v = pixel_at(&out, rect[0][0], rect[0][1])[c];
        assert_true(fabs(v - mean[c]) <= 1.0);
    }
    cli_csv_free(&csv);
    aug_image_free(&in);
    aug_image_free(&out);
}

/* ---- formats: what each edge file decodes to, channels kept ---- */
static void flip_and_load(const char *dir, const char *input, const char *flags,
                          aug_image *out)
{
    char path_buf[CLI_PATH_MAX];
    cli_sh("rm -f %s/fo.png", dir);
    if (cli_run("flip -q %s %s -o %s/fo.png", flags, input, dir) != 0)
        fail_msg("augment flip %s %s failed", flags, input);
    load_ok(P("fo.png"), out);
}

static void test_formats_channels(void **state)
{
    const char *dir = *state;
    static const struct {
        const char *file;
        int channels, w, h;
    } cases[] = {
        {"edge/chessboard_GRAY.png", 1, 200, 200}, {"edge/gray_alpha.png", 2, 31, 17},
        {"img/cat.png", 3, 64, 43},                {"edge/rgba_odd_size.png", 4, 53, 37},
        {"edge/one_pixel.png", 3, 1, 1},           {"edge/gray16.png", 1, 64, 48},
        {"edge/camera.pgm", 1, 40, 40},            {"edge/coffee.ppm", 3, 30, 20},
        {"edge/rocket_gray.jpg", 1, 640, 427},     {"edge/rocket_progressive.jpg", 3, 640, 427},
        {"edge/chelsea.bmp", 3, 45, 30},           {"edge/chelsea.tga", 3, 45, 30},
    };
    char in_path[CLI_PATH_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aug_image in, out;
        snprintf(in_path, sizeof in_path, "%s/%s", cli_data(), cases[i].file);
        load_ok(in_path, &in);
        flip_and_load(dir, in_path, "", &out);
        if (out.channels != cases[i].channels || out.width != cases[i].w ||
            out.height != cases[i].h)
            fail_msg("%s: output %dx%dx%d, expected %dx%dx%d", cases[i].file, out.width,
                     out.height, out.channels, cases[i].w, cases[i].h, cases[i].channels);
        /* the output is the flip of what the file decodes to */
        assert_mapped(&in, &out, src_h, cases[i].file);
        aug_image_free(&in);
        aug_image_free(&out);
    }
}

/* Palette PNGs come out RGB or RGBA, with the palette's colours. */
static void test_formats_palette(void **state)
{
    const char *dir = *state;
    static const char *files[] = {"edge/palette_color.png", "edge/green_palette.png",
                                  "edge/foo3x5x4indexed.png"};
    char in_path[CLI_PATH_MAX];
    for (size_t i = 0; i < 3; i++) {
        aug_image out;
        snprintf(in_path, sizeof in_path, "%s/%s", cli_data(), files[i]);
        flip_and_load(dir, in_path, "--prob 0 --format png", &out);
        if (out.channels != 3 && out.channels != 4)
            fail_msg("%s: palette image came out with %d channels", files[i], out.channels);
        aug_image_free(&out);
    }
    aug_image g;
    snprintf(in_path, sizeof in_path, "%s/edge/green_palette.png", cli_data());
    flip_and_load(dir, in_path, "--prob 0 --format png", &g);
    assert_int_equal(g.width, 320);
    assert_int_equal(g.height, 240);
    aug_image_free(&g);
}

/* GIF: the first frame (12x9 red; the second frame is blue). */
static void test_formats_gif_first_frame(void **state)
{
    const char *dir = *state;
    char in_path[CLI_PATH_MAX];
    aug_image out;
    snprintf(in_path, sizeof in_path, "%s/edge/two_frames.gif", cli_data());
    flip_and_load(dir, in_path, "", &out);
    assert_int_equal(out.width, 12);
    assert_int_equal(out.height, 9);
    assert_true(out.channels >= 3);
    for (int y = 0; y < 9; y++)
        for (int x = 0; x < 12; x++) {
            const uint8_t *p = pixel_at(&out, x, y);
            if (p[0] != 255 || p[1] != 0 || p[2] != 0)
                fail_msg("GIF pixel (%d,%d) is %d,%d,%d, not the first frame's red", x, y,
                         p[0], p[1], p[2]);
        }
    aug_image_free(&out);
}

/* Writing BMP and TGA keeps every value (grey in BMP becomes R = G = B). */
static void test_formats_lossless_writers(void **state)
{
    const char *dir = *state;
    char path_buf[CLI_PATH_MAX];
    static const char *fmts[] = {"bmp", "tga", "png"};
    for (int ch = 1; ch <= 4; ch++)
        for (int f = 0; f < 3; f++) {
            aug_image in, out;
            random_image(&in, 9, 6, ch, 700 + (uint64_t)ch);
            if (ch == 2 || ch == 4) /* BMP keeps alpha only when it is used */
                for (size_t i = 0; i < 9 * 6; i++)
                    in.data[i * (size_t)ch + (size_t)ch - 1] = (uint8_t)(i * 4);
            save_ok(P("w.png"), &in);
            cli_sh("rm -f %s/w_out.*", dir);
            assert_int_equal(cli_run("flip --prob 0 --format %s %s/w.png -o %s/w_out.%s",
                                     fmts[f], dir, dir, fmts[f]), 0);
            char out_path[CLI_PATH_MAX];
            snprintf(out_path, sizeof out_path, "%s/w_out.%s", dir, fmts[f]);
            load_ok(out_path, &out);
            assert_int_equal(out.width, 9);
            assert_int_equal(out.height, 6);
            int colour_in = ch == 2 || ch == 4 ? ch - 1 : ch;
            int colour_out = out.channels == 2 || out.channels == 4 ? out.channels - 1 : out.channels;
            if (colour_out < colour_in ||
                (aug_image_has_alpha(&in) && !aug_image_has_alpha(&out)))
                fail_msg("%s: %d channels written, %d read back", fmts[f], ch, out.channels);
            if (!strcmp(fmts[f], "png") || !strcmp(fmts[f], "tga"))
                assert_int_equal(out.channels, ch);
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 9; x++) {
                    const uint8_t *o = pixel_at(&out, x, y), *s = pixel_at(&in, x, y);
                    for (int c = 0; c < colour_out; c++)
                        if (o[c] != s[colour_in == 1 ? 0 : c])
                            fail_msg("%s, %d channels: (%d,%d) channel %d is %d, not %d", fmts[f],
                                     ch, x, y, c, o[c], s[colour_in == 1 ? 0 : c]);
                    if (aug_image_has_alpha(&in) && o[out.channels - 1] != s[ch - 1])
                        fail_msg("%s, %d channels: alpha at (%d,%d) is %d, not %d", fmts[f], ch,
                                 x, y, o[out.channels - 1], s[ch - 1]);
                }
            aug_image_free(&in);
            aug_image_free(&out);
        }
}

/* --prob 0 into another format: the same pixels. */
static void test_prob0_pixels(void **state)
{
    const char *dir = *state;
    char path_buf[CLI_PATH_MAX], in_path[CLI_PATH_MAX];
    aug_image in, out;
    snprintf(in_path, sizeof in_path, "%s/img/cat.jpg", cli_data());
    load_ok(in_path, &in);
    assert_int_equal(cli_run("rotate --range 0:90 --prob 0 --format png %s -o %s/p0.png",
                             in_path, dir), 0);
    load_ok(P("p0.png"), &out);
    assert_int_equal(out.channels, in.channels);
    assert_int_equal(out.width, in.width);
    assert_memory_equal(out.data, in.data, aug_image_size(&in));
    aug_image_free(&in);
    aug_image_free(&out);
}

/* ---- mixup and samplepairing on image sets ---- */
typedef struct manifest_row {
    char out[CLI_PATH_MAX], a[CLI_PATH_MAX], b[CLI_PATH_MAX];
    double lambda;
} manifest_row;

static size_t read_pairs_manifest(const char *path, manifest_row **rows)
{
    cli_csv csv;
    assert_int_equal(cli_csv_read(path, &csv), 0);
    CLI_ASSERT_HEADER(&csv, "output", "input_a", "input_b", "lambda");
    size_t n = csv.rows - 1;
    *rows = calloc(n ? n : 1, sizeof **rows);
    assert_non_null(*rows);
    for (size_t r = 0; r < n; r++) {
        assert_int_equal(csv.ncells[r + 1], 4);
        snprintf((*rows)[r].out, CLI_PATH_MAX, "%s", csv.cell[r + 1][0]);
        snprintf((*rows)[r].a, CLI_PATH_MAX, "%s", csv.cell[r + 1][1]);
        snprintf((*rows)[r].b, CLI_PATH_MAX, "%s", csv.cell[r + 1][2]);
        assert_int_equal(aug_csv_parse_double(csv.cell[r + 1][3], &(*rows)[r].lambda), 0);
    }
    cli_csv_free(&csv);
    return n;
}

/* "SET/<class>/<stem>.png" -> class and stem (into caller buffers). */
static void split_path(const char *path, const char *set, char *cls, char *stem)
{
    size_t n = strlen(set);
    assert_true(strncmp(path, set, n) == 0 && path[n] == '/');
    const char *rel = path + n + 1, *slash = strchr(rel, '/');
    assert_non_null(slash);
    snprintf(cls, 64, "%.*s", (int)(slash - rel), rel);
    const char *dot = strrchr(slash + 1, '.');
    snprintf(stem, 64, "%.*s", (int)(dot - slash - 1), slash + 1);
}

/* A and B of a manifest row (two different files of SET) as class and
 * stem, into 64-byte caller buffers. */
static void split_row(const manifest_row *m, const char *set, char *ca, char *sa, char *cb,
                      char *sb)
{
    split_path(m->a, set, ca, sa);
    split_path(m->b, set, cb, sb);
    assert_string_not_equal(m->a, m->b);
}

/* The images of a manifest row: A, B and the output, which has A's size. */
static void load_row(const manifest_row *m, aug_image *a, aug_image *b, aug_image *o)
{
    load_ok(m->a, a);
    load_ok(m->b, b);
    load_ok(m->out, o);
    assert_int_equal(o->width, a->width);
    assert_int_equal(o->height, a->height);
}

static void free_row(aug_image *a, aug_image *b, aug_image *o)
{
    aug_image_free(a);
    aug_image_free(b);
    aug_image_free(o);
}

static void test_mixup_digits(void **state)
{
    const char *dir = *state;
    char path_buf[CLI_PATH_MAX], set[CLI_PATH_MAX];
    snprintf(set, sizeof set, "%s/digits", cli_data());
    assert_int_equal(cli_run("mixup --alpha 1 -n 2 --seed 4 --manifest %s/mix.csv %s -o %s/mix",
                             dir, set, dir), 0);
    manifest_row *rows;
    size_t n = read_pairs_manifest(P("mix.csv"), &rows);
    assert_int_equal(n, 30); /* 15 images x 2 */
    cli_csv labels;
    assert_int_equal(cli_csv_read(P("mix/labels.csv"), &labels), 0);
    assert_int_equal(labels.rows, 31);
    assert_int_equal(labels.cols, 4);
    CLI_ASSERT_HEADER(&labels, "file", "0", "1", "2");
    int other_class = 0, interior = 0;
    for (size_t r = 0; r < n; r++) {
        const manifest_row *m = &rows[r];
        char ca[64], sa[64], cb[64], sb[64], want[CLI_PATH_MAX];
        split_row(m, set, ca, sa, cb, sb);
        /* flat names: OUT/<class>_<stem>_<k>.png, both copies present */
        snprintf(want, sizeof want, "%s/mix/%s_%s_", dir, ca, sa);
        assert_true(strncmp(m->out, want, strlen(want)) == 0);
        assert_true(m->lambda >= 0 && m->lambda <= 1);
        interior += m->lambda > 0.01 && m->lambda < 0.99;
        other_class += strcmp(ca, cb) != 0;
        aug_image a, b, o;
        load_row(m, &a, &b, &o);
        assert_int_equal(o.channels, 1);
        for (size_t i = 0; i < aug_image_size(&o); i++) {
            double v = floor(m->lambda * a.data[i] + (1 - m->lambda) * b.data[i] + 0.5);
            if (fabs(o.data[i] - v) > 1)
                fail_msg("%s sample %zu: %d, expected %g (lambda %.17g)", m->out, i, o.data[i],
                         v, m->lambda);
        }
        free_row(&a, &b, &o);
        /* its labels.csv row: lambda on A's class, 1 - lambda on B's */
        const char *base = strrchr(m->out, '/') + 1;
        size_t lr = 0;
        for (size_t i = 1; i < labels.rows; i++)
            if (strcmp(labels.cell[i][0], base) == 0)
                lr = i;
        if (!lr)
            fail_msg("labels.csv has no row for %s", base);
        double sum = 0, want_w[3] = {0, 0, 0};
        want_w[ca[0] - '0'] += m->lambda;
        want_w[cb[0] - '0'] += 1 - m->lambda;
        for (int c = 0; c < 3; c++) {
            double w;
            assert_int_equal(aug_csv_parse_double(labels.cell[lr][c + 1], &w), 0);
            if (fabs(w - want_w[c]) > 1e-12)
                fail_msg("labels.csv %s class %d: %.17g, expected %.17g", base, c, w, want_w[c]);
            sum += w;
        }
        assert_true(fabs(sum - 1) < 1e-12);
    }
    assert_true(other_class > 0);
    assert_true(interior > 10); /* alpha 1: lambda is uniform */
    cli_csv_free(&labels);
    free(rows);
}

static void test_samplepairing(void **state)
{
    const char *dir = *state;
    char path_buf[CLI_PATH_MAX], set[CLI_PATH_MAX];
    /* the digits plus one 16x16 RGB image: a partner of another size and
     * layout, resized (and made RGB) to A's */
    snprintf(set, sizeof set, "%s/set", dir);
    assert_int_equal(cli_sh("cp -r '%s/digits' '%s' && chmod -R u+w '%s'", cli_data(), set, set), 0);
    aug_image big;
    random_image(&big, 16, 16, 3, 800);
    save_ok(P("set/1/big.png"), &big);
    aug_image_free(&big);
    assert_int_equal(cli_run("samplepairing -n 3 --seed 9 --manifest %s/sp.csv %s -o %s/sp",
                             dir, set, dir), 0);
    manifest_row *rows;
    size_t n = read_pairs_manifest(P("sp.csv"), &rows);
    assert_int_equal(n, 48); /* 16 images x 3 */
    int resized = 0;
    for (size_t r = 0; r < n; r++) {
        const manifest_row *m = &rows[r];
        char ca[64], sa[64], cb[64], sb[64], want[CLI_PATH_MAX];
        split_row(m, set, ca, sa, cb, sb);
        assert_true(m->lambda == 0.5);
        /* in A's class folder, named after A */
        snprintf(want, sizeof want, "%s/sp/%s/%s_", dir, ca, sa);
        assert_true(strncmp(m->out, want, strlen(want)) == 0);
        aug_image a, b, o;
        load_row(m, &a, &b, &o);
        assert_int_equal(o.channels, a.channels == 3 || b.channels == 3 ? 3 : 1);
        if (a.width == b.width && a.channels == b.channels) {
            for (size_t i = 0; i < aug_image_size(&o); i++) {
                int v = (int)floor((a.data[i] + b.data[i]) / 2.0 + 0.5);
                if (o.data[i] != v)
                    fail_msg("%s sample %zu: %d, expected %d", m->out, i, o.data[i], v);
            }
        } else {
            resized++;
        }
        free_row(&a, &b, &o);
    }
    assert_true(resized >= 3); /* at least big.png's own three outputs */
    free(rows);

    /* --weight 0.25: floor(0.25 A + 0.75 B + 0.5), exact in binary */
    assert_int_equal(cli_run("samplepairing --weight 0.25 --manifest %s/spw.csv %s/digits -o %s/spw",
                             dir, cli_data(), dir), 0);
    n = read_pairs_manifest(P("spw.csv"), &rows);
    assert_int_equal(n, 15);
    for (size_t r = 0; r < n; r++) {
        aug_image a, b, o;
        assert_true(rows[r].lambda == 0.25);
        load_row(&rows[r], &a, &b, &o);
        for (size_t i = 0; i < aug_image_size(&o); i++)
            assert_int_equal(o.data[i], (int)floor(0.25 * a.data[i] + 0.75 * b.data[i] + 0.5));
        free_row(&a, &b, &o);
    }
    free(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CLI_TEST(test_flip_exact),
        CLI_TEST(test_rotate_quarter_turns),
        CLI_TEST(test_rotate_quarter_keep_size),
        CLI_TEST(test_noise_statistics),
        CLI_TEST(test_noise_channels),
        CLI_TEST(test_noise_alpha_untouched),
        CLI_TEST(test_erase_rects),
        CLI_TEST(test_erase_mean),
        CLI_TEST(test_formats_channels),
        CLI_TEST(test_formats_palette),
        CLI_TEST(test_formats_gif_first_frame),
        CLI_TEST(test_formats_lossless_writers),
        CLI_TEST(test_prob0_pixels),
        CLI_TEST(test_mixup_digits),
        CLI_TEST(test_samplepairing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
