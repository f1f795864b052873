/* Operations and chains: the declared-option parser, the chain grammar and
 * its messages, the streams each node draws from (recomputed here from
 * aug_rng_derive_stream), and plans that equal the kernels applied by hand.
 * The split of each op into draw and apply must give what its kernel gives
 * when it draws and applies in one go (the standalone commands' bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/kernels.h"
#include "augment/ops.h"
#include "testutil.h"

/* ---- the option parser ---- */

typedef struct opts {
    int flag, mode, count, choice;
    long big;
    double d, range[2];
    aug_color color;
    const char *name;
    uint64_t seed;
} opts;

static const char *const colours[] = {"red", "green", "blue", NULL};

static const aug_opt table[] = {
    AUG_OPT_FLAG_('f', "flag", "a flag", opts, flag),
    AUG_OPT_SET_(0, "left", "mode 1", opts, mode, 1),
    AUG_OPT_SET_(0, "right", "mode 2", opts, mode, 2),
    AUG_OPT_INT_('n', "count", "N", "an int", opts, count, 1, 10),
    AUG_OPT_LONG_(0, "big", "N", "a long", opts, big, -5, 5),
    AUG_OPT_DOUBLE_('d', "double", "X", "a double", opts, d, 0, 1),
    AUG_OPT_RANGE_(0, "range", "LO:HI", "a range", opts, range, 0, 10, AUG_OPT_ABOVE_LO),
    AUG_OPT_CHOICE_(0, "choice", "C", "a choice", opts, choice, colours),
    AUG_OPT_COLOR_(0, "color", "C", "a colour", opts, color),
    AUG_OPT_STRING_(0, "name", "S", "a string", opts, name),
    AUG_OPT_U64_('s', "seed", "S", "a seed", opts, seed),
    AUG_OPT_END_,
};

/* Parse a space-separated line; operands allowed. Returns the status. */
static aug_status parse(const char *line, opts *o, int *nops, char ***ops_out,
                        uint64_t *given, aug_error *err)
{
    static char buf[512];
    static char *argv[64];
    snprintf(buf, sizeof buf, "%s", line);
    int argc = 0;
    for (char *t = strtok(buf, " "); t && argc < 64; t = strtok(NULL, " "))
        argv[argc++] = t;
    memset(o, 0, sizeof *o);
    aug_optset set = {table, o, 0, 0};
    aug_status st = aug_opt_parse(&set, 1, argc, argv, nops, err);
    if (ops_out)
        *ops_out = argv;
    if (given)
        *given = set.given;
    return st;
}

static void test_opt_values(void **state)
{
    (void)state;
    opts o;
    int n;
    char **ops;
    uint64_t given;
    aug_error err;
    assert_int_equal(parse("in1 -f --count 7 --big=-5 -d 0.25 --range 2:3.5 --choice blue "
                           "--color 1,2,3 --name x in2 -s 18446744073709551615 --right",
                           &o, &n, &ops, &given, &err),
                     AUG_OK);
    assert_int_equal(o.flag, 1);
    assert_int_equal(o.count, 7);
    assert_int_equal(o.big, -5);
    assert_true(o.d == 0.25);
    assert_true(o.range[0] == 2.0 && o.range[1] == 3.5);
    assert_int_equal(o.choice, 2);
    assert_int_equal(o.color.n, 3);
    assert_int_equal(o.color.v[2], 3);
    assert_string_equal(o.name, "x");
    assert_true(o.seed == UINT64_MAX);
    assert_int_equal(o.mode, 2);
    /* operands keep their order, wherever they stood */
    assert_int_equal(n, 2);
    assert_string_equal(ops[0], "in1");
    assert_string_equal(ops[1], "in2");
    assert_true(aug_opt_given(table, given, "count"));
    assert_true(aug_opt_given(table, given, "right"));
    assert_false(aug_opt_given(table, given, "left"));
    /* a single value is a range of one; clusters; -nVALUE; prefixes; -- */
    assert_int_equal(parse("--range 4 -fn3 --dou 1 -- -x", &o, &n, &ops, NULL, &err), AUG_OK);
    assert_true(o.range[0] == 4.0 && o.range[1] == 4.0);
    assert_int_equal(o.flag, 1);
    assert_int_equal(o.count, 3);
    assert_true(o.d == 1.0);
    assert_int_equal(n, 1);
    assert_string_equal(ops[0], "-x");
    /* a value may start with '-' */
    assert_int_equal(parse("--big -3", &o, &n, NULL, NULL, &err), AUG_OK);
    assert_int_equal(o.big, -3);
    /* a colour of one value; and of four */
    assert_int_equal(parse("--color 255", &o, &n, NULL, NULL, &err), AUG_OK);
    assert_int_equal(o.color.n, 1);
    assert_int_equal(parse("--color 0,0,0,9", &o, &n, NULL, NULL, &err), AUG_OK);
    assert_int_equal(o.color.n, 4);
}

static void expect_error(const char *line, const char *fragment)
{
    opts o;
    int n;
    aug_error err = {0};
    aug_status st = parse(line, &o, &n, NULL, NULL, &err);
    if (st == AUG_OK)
        fail_msg("'%s' parsed, expected an error mentioning '%s'", line, fragment);
    if (!strstr(err.msg, fragment))
        fail_msg("'%s': '%s' does not mention '%s'", line, err.msg, fragment);
}

static void test_opt_errors(void **state)
{
    (void)state;
    expect_error("--count 0", "--count: '0' is not an integer in 1..10");
    expect_error("--count 11", "1..10");
    expect_error("--count 2x", "--count");
    expect_error("--double 1.5", "--double: '1.5' is not a number in [0, 1]");
    expect_error("--double nan", "--double");
    expect_error("--double inf", "--double");
    expect_error("--range 0:1", "with 0 < LO"); /* the lower bound is open */
    expect_error("--range 3:2", "LO <= HI");
    expect_error("--range 1:", "--range");
    expect_error("--range 1:2:3", "--range");
    expect_error("--choice pink", "'pink' is not one of red, green, blue");
    expect_error("--color 1,2", "--color");
    expect_error("--color 256", "--color");
    expect_error("--color -1", "--color");
    expect_error("--color 1,2,3,4,5", "--color");
    expect_error("--seed -1", "--seed");
    expect_error("--seed 18446744073709551616", "--seed");
    expect_error("--bogus", "unknown option '--bogus'");
    expect_error("-z", "unknown option '-z'");
    expect_error("--count", "--count needs a value");
    expect_error("-n", "-n needs a value");
    expect_error("--flag=1", "--flag takes no value");
    expect_error("--left --right", "give only one of --left, --right");
    expect_error("--left --left", "give only one of --left, --right");
    expect_error("--c 1", "ambiguous option '--c'"); /* count, choice, color */
    /* without room for operands, an operand is an error */
    aug_optset set = {table, &(opts){0}, 0, 0};
    char *argv[] = {"stray"};
    aug_error err;
    assert_int_equal(aug_opt_parse(&set, 1, 1, argv, NULL, &err), AUG_ERR_ARG);
    assert_non_null(strstr(err.msg, "unexpected 'stray'"));
}

static void test_color_for(void **state)
{
    (void)state;
    aug_color rgb = {{10, 200, 30, 0}, 3}, one = {{7, 0, 0, 0}, 1}, rgba = {{1, 2, 3, 4}, 4};
    uint8_t out[4];
    aug_color_for(&rgb, 1, out);
    /* Rec.601 luma rounded: (299*10 + 587*200 + 114*30 + 500) / 1000 = 124 */
    assert_int_equal(out[0], 124);
    aug_color_for(&rgb, 2, out);
    assert_int_equal(out[1], 255); /* no alpha given: opaque */
    aug_color_for(&one, 3, out);
    assert_true(out[0] == 7 && out[1] == 7 && out[2] == 7);
    aug_color_for(&rgba, 4, out);
    assert_true(out[0] == 1 && out[3] == 4);
}

/* ---- the grammar ---- */

static void expect_chain_error(const char *text, const char *source, const char *fragment)
{
    aug_chain *c = NULL;
    aug_error err = {0};
    if (aug_chain_parse(text, source, &c, &err) == AUG_OK) {
        aug_chain_free(c);
        fail_msg("'%s' parsed, expected an error mentioning '%s'", text, fragment);
    }
    assert_null(c);
    if (!strstr(err.msg, fragment))
        fail_msg("'%s': '%s' does not mention '%s'", text, err.msg, fragment);
}

static void test_chain_grammar(void **state)
{
    (void)state;
    aug_chain *c;
    aug_error err;
    assert_int_equal(aug_chain_parse("flip|rotate --angle 3|noise", NULL, &c, &err), AUG_OK);
    assert_int_equal(aug_chain_stages(c), 3);
    aug_chain_free(c);
    /* new lines separate; comments, blank lines, quotes and escapes */
    assert_int_equal(aug_chain_parse("# a recipe\nflip --vertical   # why\n\n"
                                     "rotate --angle '-3'\n\"noise\" --sigma \\4\n",
                                     "r.txt", &c, &err),
                     AUG_OK);
    assert_int_equal(aug_chain_stages(c), 3);
    aug_chain_free(c);
    /* groups nest */
    assert_int_equal(aug_chain_parse("one-of --prob 0.5 { flip | some-of 1:2 { noise | erase "
                                     "| rotate --angle 2 } }",
                                     NULL, &c, &err),
                     AUG_OK);
    assert_int_equal(aug_chain_stages(c), 4);
    aug_chain_free(c);
    expect_chain_error("flip | nosie", NULL, "stage 2: 'nosie' is not an operation");
    expect_chain_error("flip | noise --sigma -1", NULL, "stage 2 (noise): --sigma");
    expect_chain_error("rotate", NULL, "stage 1 (rotate): give exactly one of --angle");
    expect_chain_error("flip\n\nnoise --bogus", "r.txt", "r.txt:3: noise: unknown option '--bogus'");
    expect_chain_error("flip 'x", NULL, "unterminated single quote");
    expect_chain_error("", NULL, "empty chain");
    expect_chain_error("# only a comment\n", "r.txt", "empty chain");
    expect_chain_error("one-of { }", NULL, "empty group");
    expect_chain_error("one-of flip", NULL, "one-of takes only --prob");
    expect_chain_error("one-of { flip", NULL, "missing '}'");
    expect_chain_error("flip }", NULL, "'}' without a group");
    expect_chain_error("{ flip }", NULL, "'{' without one-of or some-of");
    expect_chain_error("some-of { flip }", NULL, "some-of N");
    expect_chain_error("some-of 2.5 { flip }", NULL, "some-of N");
    expect_chain_error("some-of 3:1 { flip }", NULL, "some-of N");
    expect_chain_error("flip flip", NULL, "unexpected 'flip'");
}

/* ---- drawing: which stream each node uses ---- */

static void draw_text(const char *chain, uint64_t seed, const char *key, uint64_t copy,
                      int w, int h, char *out, size_t size)
{
    aug_chain *c;
    aug_plan *p;
    aug_error err;
    aug_geom g = {w, h, 3};
    assert_int_equal(aug_chain_parse(chain, NULL, &c, &err), AUG_OK);
    assert_int_equal(aug_chain_draw(c, seed, key, copy, &g, &p, &err), AUG_OK);
    snprintf(out, size, "%s", aug_plan_text(p));
    aug_plan_free(p);
    aug_chain_free(c);
}

static const char *flip_name(uint64_t i)
{
    static const char *const names[] = {"horizontal", "vertical", "none"};
    return names[i];
}

static void test_chain_streams(void **state)
{
    (void)state;
    for (uint64_t copy = 0; copy < 20; copy++) {
        char text[256], want[256];
        draw_text("flip --random | flip --random | rotate --range 0:1", 9, "a/b.png", copy, 8,
                  8, text, sizeof text);
        aug_rng r0, r1, r2;
        aug_rng_derive(&r0, 9, "a/b.png", copy);
        aug_rng_derive_stream(&r1, 9, "a/b.png", copy, 1);
        aug_rng_derive_stream(&r2, 9, "a/b.png", copy, 2);
        snprintf(want, sizeof want, "flip(flip=%s) | flip(flip=%s) | rotate(angle=%.17g)",
                 flip_name(aug_rng_below(&r0, 3)), flip_name(aug_rng_below(&r1, 3)),
                 aug_rng_range(&r2, 0, 1));
        assert_string_equal(text, want);
    }
    /* stream 0 of aug_rng_derive_stream is aug_rng_derive */
    aug_rng a, b;
    aug_rng_derive(&a, 5, "k", 3);
    aug_rng_derive_stream(&b, 5, "k", 3, 0);
    assert_memory_equal(&a, &b, sizeof a);
    /* --prob: the coin is the node's first draw */
    for (uint64_t copy = 0; copy < 40; copy++) {
        char text[256];
        draw_text("noise --prob 0.3 | flip --prob 0.6", 1, "x", copy, 8, 8, text, sizeof text);
        aug_rng r0, r1;
        aug_rng_derive(&r0, 1, "x", copy);
        aug_rng_derive_stream(&r1, 1, "x", copy, 1);
        int n_on = aug_rng_uniform(&r0) < 0.3, f_on = aug_rng_uniform(&r1) < 0.6;
        assert_int_equal(strstr(text, "noise(skipped)") == NULL, n_on);
        assert_int_equal(strstr(text, "flip(skipped)") == NULL, f_on);
    }
}

static void test_groups(void **state)
{
    (void)state;
    /* one-of: node 0 (the group) picks with weights 1 : 3 from its stream;
     * the chosen member draws from its own (node 1 or 2) with no coin. */
    for (uint64_t copy = 0; copy < 40; copy++) {
        char text[256], want[256];
        draw_text("one-of { rotate --range 0:1 --prob 0.25 | rotate --range 5:6 --prob 0.75 }",
                  2, "k", copy, 8, 8, text, sizeof text);
        aug_rng g, m;
        aug_rng_derive(&g, 2, "k", copy);
        double u = aug_rng_uniform(&g) * 1.0;
        int pick = u < 0.25 ? 0 : 1;
        aug_rng_derive_stream(&m, 2, "k", copy, (uint64_t)pick + 1);
        snprintf(want, sizeof want, "one-of[rotate(angle=%.17g)]",
                 pick ? aug_rng_range(&m, 5, 6) : aug_rng_range(&m, 0, 1));
        assert_string_equal(text, want);
    }
    /* some-of: k members without replacement in the drawn order */
    for (uint64_t copy = 0; copy < 40; copy++) {
        char text[256];
        draw_text("some-of 2 { rotate --angle 1 | rotate --angle 2 | rotate --angle 3 }", 3,
                  "k", copy, 8, 8, text, sizeof text);
        aug_rng g;
        aug_rng_derive(&g, 3, "k", copy);
        size_t order[3] = {0, 1, 2};
        for (size_t i = 0; i < 2; i++) {
            size_t j = i + (size_t)aug_rng_below(&g, 3 - i), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        char want[256];
        snprintf(want, sizeof want, "some-of[rotate(angle=%zu) | rotate(angle=%zu)]",
                 order[0] + 1, order[1] + 1);
        assert_string_equal(text, want);
    }
    char text[256];
    draw_text("one-of --prob 0 { flip }", 1, "k", 0, 8, 8, text, sizeof text);
    assert_string_equal(text, "one-of(skipped)");
    draw_text("one-of { flip --prob 0 | flip --prob 0 }", 1, "k", 0, 8, 8, text, sizeof text);
    assert_string_equal(text, "one-of(skipped)");
}

/* ---- plans ---- */

static void test_plan_apply(void **state)
{
    (void)state;
    aug_image src, got, want, tmp;
    aug_error err;
    random_image(&src, 13, 9, 3, 77);
    aug_chain *c;
    aug_plan *p;
    aug_geom g = {13, 9, 3}, out;
    assert_int_equal(aug_chain_parse("rotate --angle 90 --expand | flip --vertical", NULL, &c,
                                     &err),
                     AUG_OK);
    assert_int_equal(aug_chain_draw(c, 0, "x", 0, &g, &p, &err), AUG_OK);
    aug_plan_geometry(p, &out);
    assert_int_equal(out.width, 9);
    assert_int_equal(out.height, 13);
    assert_false(aug_plan_is_identity(p));
    aug_image before = copy_image(&src);
    assert_int_equal(aug_plan_apply(p, &src, &got, &err), AUG_OK);
    assert_memory_equal(src.data, before.data, aug_image_size(&src)); /* source untouched */
    aug_rotate_params rp;
    aug_rotate_params_default(&rp);
    rp.angle = 90;
    rp.expand = 1;
    assert_int_equal(aug_rotate(&src, &want, &rp, &err), AUG_OK);
    assert_int_equal(aug_flip(&want, AUG_FLIP_VERTICAL, &err), AUG_OK);
    assert_int_equal(got.width, want.width);
    assert_memory_equal(got.data, want.data, aug_image_size(&want));
    /* a rotation by 90 then a vertical flip is a transpose: check one pixel
     * by hand. Source (x, y) -> CCW 90 -> (y, W-1-x) -> vflip -> (y, x). */
    assert_memory_equal(pixel_at(&got, 4, 7), pixel_at(&src, 7, 4), 3);
    aug_plan_free(p);
    aug_chain_free(c);
    aug_image_free(&got);
    aug_image_free(&want);
    /* an all-skipped plan is the identity, and applying it copies */
    assert_int_equal(aug_chain_parse("noise --prob 0", NULL, &c, &err), AUG_OK);
    assert_int_equal(aug_chain_draw(c, 0, "x", 0, &g, &p, &err), AUG_OK);
    assert_true(aug_plan_is_identity(p));
    assert_string_equal(aug_plan_text(p), "noise(skipped)");
    assert_int_equal(aug_plan_apply(p, &src, &tmp, &err), AUG_OK);
    assert_memory_equal(tmp.data, src.data, aug_image_size(&src));
    aug_image_free(&tmp);
    aug_plan_free(p);
    aug_chain_free(c);
    aug_image_free(&src);
    aug_image_free(&before);
}

/* Every op through a one-stage plan gives its kernel's bytes with the same
 * stream: the standalone commands' contract. */
static void one_stage(const char *chain, const aug_image *src, uint64_t copy, aug_image *out)
{
    aug_chain *c;
    aug_plan *p;
    aug_error err;
    aug_geom g = {src->width, src->height, src->channels};
    assert_int_equal(aug_chain_parse(chain, NULL, &c, &err), AUG_OK);
    assert_int_equal(aug_chain_draw(c, 4, "img", copy, &g, &p, &err), AUG_OK);
    assert_int_equal(aug_plan_apply(p, src, out, &err), AUG_OK);
    aug_plan_free(p);
    aug_chain_free(c);
}

static void test_split_equals_kernel(void **state)
{
    (void)state;
    aug_error err;
    for (int ch = 1; ch <= 4; ch++)
        for (uint64_t copy = 0; copy < 6; copy++) {
            aug_image src, got, want;
            random_image(&src, 37, 23, ch, 100 + copy);
            aug_rng rng;
            /* erase with a random fill and several rectangles: the draw
             * steps over each rectangle's fill draws */
            one_stage("erase --count 4 --value random --scale 0.05:0.2", &src, copy, &got);
            want = copy_image(&src);
            aug_erase_params ep;
            aug_erase_params_default(&ep);
            ep.count = 4;
            ep.fill = AUG_ERASE_RANDOM;
            ep.scale_lo = 0.05;
            ep.scale_hi = 0.2;
            aug_rng_derive(&rng, 4, "img", copy);
            assert_int_equal(aug_erase(&want, &ep, &rng, NULL, &err), AUG_OK);
            assert_memory_equal(got.data, want.data, aug_image_size(&want));
            aug_image_free(&got);
            aug_image_free(&want);
            /* noise: sigma drawn first, then the pixels continue the stream */
            one_stage("noise --sigma 2:30 --per-channel", &src, copy, &got);
            want = copy_image(&src);
            aug_noise_params np;
            aug_noise_params_default(&np);
            np.per_channel = 1;
            aug_rng_derive(&rng, 4, "img", copy);
            np.sigma = aug_rng_range(&rng, 2, 30);
            assert_int_equal(aug_noise(&want, &np, &rng, &err), AUG_OK);
            assert_memory_equal(got.data, want.data, aug_image_size(&want));
            aug_image_free(&got);
            aug_image_free(&want);
            aug_image_free(&src);
        }
}

static void test_buf(void **state)
{
    (void)state;
    aug_buf b = {0};
    for (int i = 0; i < 1000; i++)
        aug_buf_item(&b, "rect=%d,%d", i, i);
    assert_false(b.failed);
    assert_int_equal(strlen(b.data), b.len);
    assert_non_null(strstr(b.data, ";rect=999,999"));
    assert_int_equal(strncmp(b.data, "rect=0,0;rect=1,1", 17), 0);
    aug_buf_free(&b);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opt_values),
        cmocka_unit_test(test_opt_errors),
        cmocka_unit_test(test_color_for),
        cmocka_unit_test(test_chain_grammar),
        cmocka_unit_test(test_chain_streams),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_plan_apply),
        cmocka_unit_test(test_split_equals_kernel),
        cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
