/* Option parsing shared by every command: the common flags live here once,
 * each command adds its own table, and getopt_long sees the union. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum {
    OPT_OUTPUT = 'o', OPT_COPIES = 'n', OPT_SEED = 's', OPT_QUIET = 'q',
    OPT_VERBOSE = 'v', OPT_HELP = 'h',
    OPT_PROB = 1000, OPT_MANIFEST, OPT_FORMAT, OPT_QUALITY, OPT_MAX_PIXELS,
    OPT_DELIMITER, OPT_NO_HEADER, OPT_LABEL, OPT_PRECISION
};

typedef struct common_option {
    cli_option opt;
    unsigned needs; /* 0: every command */
} common_option;

static const common_option common_options[] = {
    {{"output", required_argument, OPT_OUTPUT, "OUT", "output file or folder; - for stdout"}, 0},
    {{"copies", required_argument, OPT_COPIES, "N", "outputs per input (default 1), named <stem>_<k>"}, COMMON_COPIES},
    {{"seed", required_argument, OPT_SEED, "S", "random seed, 0..2^64-1 (default 0)"}, 0},
    {{"prob", required_argument, OPT_PROB, "P", "apply with probability P, else copy (default 1)"}, COMMON_PROB},
    {{"manifest", required_argument, OPT_MANIFEST, "FILE", "write a CSV row per output: what was drawn"}, 0},
    {{"format", required_argument, OPT_FORMAT, "FMT", "output format: png, jpg, bmp, tga (default: from the name)"}, COMMON_IMAGE_OUT},
    {{"quality", required_argument, OPT_QUALITY, "Q", "JPEG quality 1..100 (default 95)"}, COMMON_IMAGE_OUT},
    {{"max-pixels", required_argument, OPT_MAX_PIXELS, "N", "refuse images over N pixels (default 178956970)"}, COMMON_MAX_PIXELS},
    {{"delimiter", required_argument, OPT_DELIMITER, "C", "CSV field separator (default ,; \\t for tab)"}, COMMON_TABLE},
    {{"no-header", no_argument, OPT_NO_HEADER, NULL, "the CSV has no header row (columns c0, c1, ...)"}, COMMON_TABLE},
    {{"label", required_argument, OPT_LABEL, "COL", "label column, by name or 0-based index (default: last)"}, COMMON_TABLE},
    {{"precision", required_argument, OPT_PRECISION, "D", "significant digits for new values (default: exact)"}, COMMON_TABLE},
    {{"quiet", no_argument, OPT_QUIET, NULL, "print errors only"}, 0},
    {{"verbose", no_argument, OPT_VERBOSE, NULL, "print a line per output"}, 0},
    {{"help", no_argument, OPT_HELP, NULL, "show this help"}, 0},
};
#define NCOMMON (sizeof common_options / sizeof common_options[0])

static void vmessage(const cli_common *c, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const cli_common *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
}

void cli_note(const cli_common *c, const char *fmt, ...)
{
    if (c->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
}

void cli_usage_error(const cli_common *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help'.\n", c->prog);
    exit(EXIT_USAGE);
}

static void print_option(FILE *fp, int letter, const cli_option *o)
{
    char left[64];
    int n = letter ? snprintf(left, sizeof left, "-%c, --%s", letter, o->name)
                   : snprintf(left, sizeof left, "    --%s", o->name);
    if (o->arg_name && n > 0 && (size_t)n < sizeof left)
        snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg_name);
    fprintf(fp, "  %-26s %s\n", left, o->help);
}

static int short_letter(int val)
{
    return val > 0 && val < 128 ? val : 0;
}

void cli_print_help(const cli_spec *spec, FILE *fp)
{
    fprintf(fp, "usage: %s\n\n%s\n", spec->synopsis, spec->description);
    if (spec->options && spec->options[0].name) {
        fprintf(fp, "\n%s options:\n", spec->name);
        for (const cli_option *o = spec->options; o->name; o++)
            print_option(fp, short_letter(o->val), o);
    }
    fprintf(fp, "\ncommon options:\n");
    for (size_t i = 0; i < NCOMMON; i++)
        if ((common_options[i].needs & spec->common) == common_options[i].needs)
            print_option(fp, short_letter(common_options[i].opt.val),
                         &common_options[i].opt);
    fprintf(fp, "\nExit status: 0 all done, 1 some inputs failed, 2 usage error.\n");
}

/* getopt_long wants one array and one short-option string: build both from
 * the common table (filtered) and the command's table. */
static void build_getopt(const cli_spec *spec, struct option *longs,
                         char *shorts, size_t nshorts)
{
    size_t n = 0, s = 0;
    /* '-': operands come back in order as code 1, so they may stand before
     * or after flags ("augment flip in -o out"); ':': report a missing value. */
    shorts[s++] = '-';
    shorts[s++] = ':';
    for (size_t i = 0; i < NCOMMON; i++) {
        const cli_option *o = &common_options[i].opt;
        if ((common_options[i].needs & spec->common) != common_options[i].needs)
            continue;
        longs[n++] = (struct option){o->name, o->has_arg, NULL, o->val};
        if (short_letter(o->val) && s + 3 < nshorts) {
            shorts[s++] = (char)o->val;
            if (o->has_arg)
                shorts[s++] = ':';
        }
    }
    for (const cli_option *o = spec->options; o && o->name; o++) {
        longs[n++] = (struct option){o->name, o->has_arg, NULL, o->val};
        if (short_letter(o->val) && s + 3 < nshorts) {
            shorts[s++] = (char)o->val;
            if (o->has_arg)
                shorts[s++] = ':';
        }
    }
    longs[n] = (struct option){0, 0, 0, 0};
    shorts[s] = '\0';
}

static int parse_common(cli_common *c, int val, const char *arg)
{
    long l;
    double d;
    switch (val) {
    case OPT_OUTPUT: c->output = arg; return 0;
    case OPT_COPIES:
        if (cli_long(c, "--copies", arg, 1, 1000000, &l))
            return -1;
        c->copies = l;
        c->copies_given = 1;
        return 0;
    case OPT_SEED: {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(arg, &end, 10);
        if (errno || end == arg || *end || arg[0] == '-')
            cli_usage_error(c, "--seed: '%s' is not an integer in 0..2^64-1", arg);
        c->seed = (uint64_t)s;
        return 0;
    }
    case OPT_PROB: return cli_double(c, "--prob", arg, 0, 1, &c->prob);
    case OPT_MANIFEST: c->manifest = arg; return 0;
    case OPT_FORMAT:
        c->format = aug_format_from_name(arg);
        if (!aug_format_writable(c->format))
            cli_usage_error(c, "--format: '%s' is not one of png, jpg, bmp, tga", arg);
        return 0;
    case OPT_QUALITY:
        if (cli_long(c, "--quality", arg, 1, 100, &l))
            return -1;
        c->quality = (int)l;
        return 0;
    case OPT_MAX_PIXELS:
        if (cli_double(c, "--max-pixels", arg, 1, 1e15, &d))
            return -1;
        c->max_pixels = (size_t)d;
        return 0;
    case OPT_DELIMITER:
        if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
            c->delimiter = '\t';
        else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
            c->delimiter = arg[0];
        else
            cli_usage_error(c, "--delimiter: '%s' is not a single character (use \\t for tab)", arg);
        return 0;
    case OPT_NO_HEADER: c->header = 0; return 0;
    case OPT_LABEL: c->label = arg; return 0;
    case OPT_PRECISION:
        if (cli_long(c, "--precision", arg, 1, 17, &l))
            return -1;
        c->precision = (int)l;
        return 0;
    case OPT_QUIET: c->quiet = 1; c->verbose = 0; return 0;
    case OPT_VERBOSE: c->verbose = 1; c->quiet = 0; return 0;
    }
    return 1; /* not a common flag */
}

int cli_parse(const cli_spec *spec, cli_common *c, int argc, char **argv)
{
    static char prog[64];
    snprintf(prog, sizeof prog, "augment %s", spec->name);
    *c = (cli_common){.prog = prog, .copies = 1, .prob = 1.0, .quality = 95,
                      .max_pixels = AUG_DEFAULT_MAX_PIXELS, .delimiter = ',',
                      .header = 1};
    size_t nspec = 0;
    for (const cli_option *o = spec->options; o && o->name; o++)
        nspec++;
    struct option *longs = calloc(NCOMMON + nspec + 1, sizeof *longs);
    char shorts[128];
    if (!longs) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(EXIT_SOME_FAILED);
    }
    build_getopt(spec, longs, shorts, sizeof shorts);
    int nops = 0;
    opterr = 0;
    optind = 1;
    int val;
    while ((val = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (val == 1) { /* an operand; getopt has read past its slot */
            argv[nops + 1] = optarg;
            nops++;
            continue;
        }
        if (val == OPT_HELP) {
            cli_print_help(spec, stdout);
            free(longs);
            exit(EXIT_ALL_DONE);
        }
        if (val == '?' || val == ':') {
            const char *bad = argv[optind - 1];
            free(longs);
            if (val == ':')
                cli_usage_error(c, "%s needs a value", bad);
            if (optopt && optopt < 128)
                cli_usage_error(c, "unknown option '-%c'", optopt);
            cli_usage_error(c, "unknown option '%s'", bad);
        }
        int r = parse_common(c, val, optarg);
        for (size_t i = 0; r == 0 && i < NCOMMON; i++)
            if (common_options[i].opt.val == val)
                c->given |= common_options[i].needs;
        if (r == 1)
            r = spec->handle ? spec->handle(spec->ctx, c, val, optarg) : -1;
        if (r != 0) {
            free(longs);
            exit(EXIT_USAGE);
        }
    }
    /* Anything after "--" is an operand too. */
    for (int i = optind; i < argc; i++)
        argv[++nops] = argv[i];
    free(longs);
    return nops;
}

int cli_double(const cli_common *c, const char *flag, const char *arg,
               double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !isfinite(v) || v < lo || v > hi)
        cli_usage_error(c, "%s: '%s' is not a number in [%g, %g]", flag, arg, lo, hi);
    *out = v;
    return 0;
}

int cli_long(const cli_common *c, const char *flag, const char *arg, long lo,
             long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < lo || v > hi)
        cli_usage_error(c, "%s: '%s' is not an integer in %ld..%ld", flag, arg, lo, hi);
    *out = v;
    return 0;
}

int cli_range(const cli_common *c, const char *flag, const char *arg, double lo,
              double hi, double out[2])
{
    char *end;
    errno = 0;
    out[0] = strtod(arg, &end);
    if (end != arg && *end == ':') {
        const char *second = end + 1;
        out[1] = strtod(second, &end);
        if (end == second)
            end = (char *)arg; /* force the error below */
    } else {
        out[1] = out[0];
    }
    if (errno || end == arg || *end || !isfinite(out[0]) || !isfinite(out[1]) ||
        out[0] < lo || out[1] > hi || out[0] > out[1])
        cli_usage_error(c, "%s: '%s' is not V or LO:HI with %g <= LO <= HI <= %g",
                        flag, arg, lo, hi);
    return 0;
}

int cli_color(const cli_common *c, const char *flag, const char *arg,
              uint8_t out[4], int *n)
{
    const char *p = arg;
    int k = 0;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (errno || end == p || v < 0 || v > 255 || k == 4)
            break;
        out[k++] = (uint8_t)v;
        if (*end == '\0') {
            if (k == 2)
                break; /* "V,W" is ambiguous: not a colour we accept */
            *n = k;
            return 0;
        }
        if (*end != ',')
            break;
        p = end + 1;
    }
    cli_usage_error(c, "%s: '%s' is not V or R,G,B or R,G,B,A with values 0..255",
                    flag, arg);
}

void cli_color_for(const uint8_t rgba[4], int n, int channels, uint8_t out[4])
{
    /* One value fills every colour channel; R,G,B on a grey image becomes
     * its Rec.601 luma. Alpha is the fourth value when given, else opaque. */
    uint8_t r = rgba[0], g = n >= 3 ? rgba[1] : rgba[0], b = n >= 3 ? rgba[2] : rgba[0];
    uint8_t a = n == 4 ? rgba[3] : 255;
    uint8_t grey = (uint8_t)((299u * r + 587u * g + 114u * b + 500u) / 1000u);
    switch (channels) {
    case 1: out[0] = grey; break;
    case 2: out[0] = grey; out[1] = a; break;
    case 3: out[0] = r; out[1] = g; out[2] = b; break;
    default: out[0] = r; out[1] = g; out[2] = b; out[3] = a; break;
    }
}

int cli_choice(const cli_common *c, const char *flag, const char *arg,
               const char *const *names)
{
    char allowed[256] = "";
    for (int i = 0; names[i]; i++) {
        if (strcmp(arg, names[i]) == 0)
            return i;
        size_t len = strlen(allowed);
        snprintf(allowed + len, sizeof allowed - len, "%s%s", i ? ", " : "", names[i]);
    }
    cli_usage_error(c, "%s: '%s' is not one of %s", flag, arg, allowed);
}

void cli_params_add(cli_params *p, const char *fmt, ...)
{
    if (p->len >= sizeof p->text - 1)
        return;
    if (p->len)
        p->text[p->len++] = ';';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->text + p->len, sizeof p->text - p->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        p->len += (size_t)n < sizeof p->text - p->len ? (size_t)n : sizeof p->text - p->len - 1;
    p->text[p->len] = '\0';
}
