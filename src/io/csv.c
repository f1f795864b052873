/* CSV (RFC 4180) reading and writing, and locale-free numbers.
 *
 * The reader is a byte state machine over getc: no line-length limit, and
 * every field remembers the physical line and byte column where it began
 * (both 1-based; a quoted newline starts a new line), so that the loader
 * can point at the exact value. CRLF is folded to LF below the parser,
 * inside quotes too, so output does not depend on the writer's platform.
 * Messages read FILE:LINE:COL: ...; for a ragged row COL is where the first
 * extra field starts, or where a short record ends (where the next field
 * was due).
 *
 * Numbers: printf and strtod follow LC_NUMERIC, and a program that called
 * setlocale(LC_ALL, "") in a ',' locale would read "1.5" as 1. We switch
 * this thread to the "C" locale (uselocale) around every conversion; and
 * check our own grammar first so that strtod's extras (hex, inf, nan,
 * leading tabs) never get through. */
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/csv.h"
#include "core/table_rows.h"

typedef struct field_pos {
    size_t off, line, col;
} field_pos;

struct aug_csv_reader {
    FILE *fp;
    char *name;
    int delim;              /* as an unsigned char, like getc's bytes */
    int started;            /* the BOM check has been done */
    int pend[4], npend;     /* bytes pushed back (BOM probe, CR lookahead) */
    size_t line, col;       /* position of the next byte */
    size_t cline, ccol;     /* position of the byte last returned */
    char *buf;              /* the record's fields, NUL-separated */
    size_t len, cap;
    field_pos *pos;
    char **fields;
    size_t nf, fcap;
    size_t rec_line;        /* where the last record started */
    size_t end_line, end_col; /* where it ended (its newline, or EOF) */
};

/* ---- the "C" numeric locale, for this thread only ---------------------- */

typedef struct c_locale {
    locale_t c, old;
} c_locale;

static int c_locale_enter(c_locale *l)
{
    l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0)
        return -1;
    l->old = uselocale(l->c);
    return 0;
}

static void c_locale_leave(c_locale *l)
{
    uselocale(l->old);
    freelocale(l->c);
}

/* ---- reading ----------------------------------------------------------- */

void aug_csv_options_default(aug_csv_options *o)
{
    o->delimiter = ',';
    o->header = 1;
    o->label = NULL;
}

static int bad_delimiter(char d)
{
    return d == '"' || d == '\r' || d == '\n' || d == '\0';
}

aug_status aug_csv_open(aug_csv_reader **r, FILE *fp, const char *name,
                        char delimiter, aug_error *err)
{
    *r = NULL;
    if (!fp)
        return aug_fail(err, AUG_ERR_ARG, "no input stream given");
    if (bad_delimiter(delimiter))
        return aug_fail(err, AUG_ERR_ARG,
                        "the CSV delimiter cannot be a quote, CR, LF or NUL");
    aug_csv_reader *rd = calloc(1, sizeof *rd);
    if (!rd || !(rd->name = strdup(name ? name : "-"))) {
        free(rd);
        return aug_fail(err, AUG_ERR_NOMEM, "cannot allocate a CSV reader");
    }
    rd->fp = fp;
    rd->delim = (unsigned char)delimiter;
    rd->line = rd->col = 1;
    *r = rd;
    return AUG_OK;
}

void aug_csv_close(aug_csv_reader *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->buf);
    free(r->pos);
    free(r->fields);
    free(r);
}

size_t aug_csv_line(const aug_csv_reader *r)
{
    return r ? r->rec_line : 0;
}

static int raw(aug_csv_reader *r)
{
    return r->npend ? r->pend[--r->npend] : getc_unlocked(r->fp);
}

static void unraw(aug_csv_reader *r, int c)
{
    if (c != EOF)
        r->pend[r->npend++] = c;
}

/* The next byte with CRLF folded to LF, tracking positions. */
static int get(aug_csv_reader *r)
{
    int c = raw(r);
    if (c == '\r') {
        int d = raw(r);
        if (d == '\n')
            c = '\n';
        else
            unraw(r, d);
    }
    r->cline = r->line;
    r->ccol = r->col;
    if (c == '\n') {
        r->line++;
        r->col = 1;
    } else if (c != EOF) {
        r->col++;
    }
    return c;
}

static void skip_bom(aug_csv_reader *r)
{
    int a = raw(r);
    if (a == 0xEF) {
        int b = raw(r);
        if (b == 0xBB) {
            int c = raw(r);
            if (c == 0xBF)
                return;
            unraw(r, c);
        }
        unraw(r, b);
    }
    unraw(r, a);
}

static int grow(aug_csv_reader *r)
{
    size_t cap = r->cap ? r->cap * 2 : 256;
    char *b = cap > r->cap ? realloc(r->buf, cap) : NULL;
    if (!b)
        return -1;
    r->buf = b;
    r->cap = cap;
    return 0;
}

static int put(aug_csv_reader *r, char c)
{
    if (r->len == r->cap && grow(r))
        return -1;
    r->buf[r->len++] = c;
    return 0;
}

/* The hot loop: ordinary bytes straight from stdio's buffer. The first
 * byte that needs thought (and the delimiter, outside quotes) goes back for
 * get(), which keeps the position bookkeeping. */
static int copy_plain(aug_csv_reader *r, int quoted)
{
    if (r->npend)
        return 0;
    FILE *fp = r->fp;
    int stop = quoted ? '"' : r->delim;
    size_t n = r->len;
    int c;
    while ((c = getc_unlocked(fp)) != stop && c != '"' && c != '\n' && c != '\r'
           && c != '\0' && c != EOF) {
        if (n == r->cap && grow(r))
            return -1;
        r->buf[n++] = (char)c;
    }
    unraw(r, c);
    r->col += n - r->len;
    r->len = n;
    return 0;
}

static int new_field(aug_csv_reader *r)
{
    if (r->nf == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 16;
        if (cap > SIZE_MAX / sizeof(field_pos))
            return -1;
        field_pos *p = realloc(r->pos, cap * sizeof *p);
        if (!p)
            return -1;
        r->pos = p;
        char **f = realloc(r->fields, cap * sizeof *f);
        if (!f)
            return -1;
        r->fields = f;
        r->fcap = cap;
    }
    r->pos[r->nf++] = (field_pos){r->len, r->cline, r->ccol};
    return 0;
}

static aug_status stream_error(aug_csv_reader *r, aug_error *err)
{
    return aug_fail(err, AUG_ERR_IO, "%s: read error: %s", r->name,
                    strerror(errno));
}

static aug_status nomem(aug_csv_reader *r, aug_error *err)
{
    return aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: record too large for memory",
                    r->name, r->rec_line);
}

static aug_status bad_byte(aug_csv_reader *r, int c, aug_error *err)
{
    if (c == EOF && ferror(r->fp))
        return stream_error(r, err);
    return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: %s", r->name, r->cline,
                    r->ccol, c == '"' ? "quote inside an unquoted field"
                    : c == '\0' ? "NUL byte in text"
                    : "unexpected character after a closing quote");
}

/* One field starting with byte c; returns the byte after it. */
static aug_status read_field(aug_csv_reader *r, int *cp, aug_error *err)
{
    int c = *cp;
    if (new_field(r))
        return nomem(r, err);
    if (c == '"') {
        size_t qline = r->cline, qcol = r->ccol;
        for (;;) {
            c = get(r);
            if (c == EOF) {
                if (ferror(r->fp))
                    return stream_error(r, err);
                return aug_fail(err, AUG_ERR_FORMAT,
                                "%s:%zu:%zu: unterminated quoted field",
                                r->name, qline, qcol);
            }
            if (c == '"' && (c = get(r)) != '"')
                break;
            if (c == '\0')
                return bad_byte(r, c, err);
            if (put(r, (char)c) || copy_plain(r, 1))
                return nomem(r, err);
        }
        if (c != r->delim && c != '\n' && c != EOF)
            return bad_byte(r, c, err);
    } else {
        while (c != r->delim && c != '\n' && c != EOF) {
            if (c == '"' || c == '\0')
                return bad_byte(r, c, err);
            if (put(r, (char)c) || copy_plain(r, 0))
                return nomem(r, err);
            c = get(r);
        }
    }
    if (put(r, '\0'))
        return nomem(r, err);
    *cp = c;
    return AUG_OK;
}

aug_status aug_csv_next(aug_csv_reader *r, char ***fields, size_t *nfields,
                        aug_error *err)
{
    *fields = NULL;
    *nfields = 0;
    r->len = r->nf = 0;
    aug_status st = AUG_OK;
    flockfile(r->fp);
    if (!r->started) {
        r->started = 1;
        skip_bom(r);
    }
    int c;
    do
        c = get(r);
    while (c == '\n');
    if (c == EOF) {
        if (ferror(r->fp))
            st = stream_error(r, err);
        goto out;
    }
    r->rec_line = r->cline;
    for (;;) {
        st = read_field(r, &c, err);
        if (st || c != r->delim)
            break;
        c = get(r);
    }
    if (!st && c == EOF && ferror(r->fp))
        st = stream_error(r, err);
out:
    funlockfile(r->fp);
    if (st || !r->nf)
        return st;
    r->end_line = r->cline;
    r->end_col = r->ccol;
    for (size_t i = 0; i < r->nf; i++)
        r->fields[i] = r->buf + r->pos[i].off;
    *fields = r->fields;
    *nfields = r->nf;
    return AUG_OK;
}

/* ---- numbers ----------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
#define MANT_MAX 9007199254740992ULL /* 2^53 */

/* Needs the "C" numeric locale in force. 0: ok, -1: not a decimal number,
 * -2: a decimal number out of range (it would be infinite).
 *
 * Most real values have few digits: a mantissa up to 2^53 times a power of
 * ten up to 10^22 is one correctly rounded IEEE operation (Clinger's fast
 * path), the same double strtod returns at a fraction of its cost. The
 * rest goes to strtod. */
static int parse_c(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    const char *p = s;
    int neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    uint64_t m = 0;
    int exact = 1;  /* m holds every significant digit */
    long q = 0;     /* the value is m * 10^q */
    size_t digits = 0;
    for (int frac = 0;; p++) {
        if (*p == '.' && !frac) {
            frac = 1;
            continue;
        }
        if (!is_digit(*p))
            break;
        digits++;
        if (m < 100000000000000000ULL) {
            m = m * 10 + (uint64_t)(*p - '0');
            q -= frac;
        } else {
            exact = 0;
        }
    }
    if (!digits)
        return -1;
    long e = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = *p == '-';
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return -1;
        for (; is_digit(*p); p++)
            if (e < 100000) /* beyond this, only "huge" or "tiny" matters */
                e = e * 10 + (*p - '0');
        if (eneg)
            e = -e;
    }
    const char *end = p;
    while (*p == ' ')
        p++;
    if (*p)
        return -1;
#if FLT_EVAL_METHOD == 0
    q += e;
    if (exact && (m == 0 || (m <= MANT_MAX && q >= -22 && q <= 22))) {
        double v = (double)m;
        if (m)
            v = q < 0 ? v / POW10[-q] : v * POW10[q];
        *out = neg ? -v : v;
        return 0;
    }
#endif
    char *stop;
    double v = strtod(s, &stop);
    if (stop != end)
        return -1;
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}

int aug_csv_parse_double(const char *s, double *out)
{
    c_locale l;
    double v;
    if (!s || !out || c_locale_enter(&l))
        return -1;
    int rc = parse_c(s, &v);
    c_locale_leave(&l);
    if (rc)
        return -1;
    *out = v;
    return 0;
}

#define NUMBUF 32 /* "-1.2345678901234567e-308" and room to spare */

/* The first `prec` significant digits of |v|, correctly rounded, and the
 * decimal exponent of the first one. */
static void e_digits(double v, int prec, char *dig, int *x)
{
    char t[40];
    snprintf(t, sizeof t, "%.*e", prec - 1, fabs(v));
    const char *p = t;
    for (int n = 0; *p != 'e'; p++)
        if (is_digit(*p))
            dig[n++] = *p;
    int neg = *++p == '-', e = 0;
    for (p++; is_digit(*p); p++)
        e = e * 10 + (*p - '0');
    *x = neg ? -e : e;
}

/* 17 digits rounded to p < 17 in text. It agrees with rounding the exact
 * value unless the dropped digits are exactly one half ("5", "50"): then
 * the 17 digits hide which side the exact value lies on, and we return 0. */
static int round_digits(const char *d17, int p, char *dig, int *x)
{
    memcpy(dig, d17, (size_t)p);
    if (d17[p] == '5') {
        int rest = 0;
        for (int i = p + 1; i < 17; i++)
            rest |= d17[i] != '0';
        if (!rest)
            return 0;
    }
    if (d17[p] >= '5') {
        int i = p - 1;
        while (i >= 0 && dig[i] == '9')
            dig[i--] = '0';
        if (i < 0) {
            dig[0] = '1';
            (*x)++;
        } else {
            dig[i]++;
        }
    }
    return 1;
}

/* printf's "%.{P}g" layout of the digits dig[0..P) with exponent x. */
static int render(char *b, int neg, const char *dig, int P, int x)
{
    int k = P;
    while (k > 1 && dig[k - 1] == '0')
        k--;
    char *o = b;
    if (neg)
        *o++ = '-';
    if (x >= -4 && x < P) {
        if (x < 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -x - 1; i++)
                *o++ = '0';
        }
        for (int i = 0; i < k || i <= x; i++) {
            if (i == x + 1 && x >= 0)
                *o++ = '.';
            *o++ = i < k ? dig[i] : '0';
        }
    } else {
        *o++ = dig[0];
        if (k > 1)
            *o++ = '.';
        memcpy(o, dig + 1, (size_t)(k - 1));
        o += k - 1;
        o += snprintf(o, 8, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    }
    *o = '\0';
    return (int)(o - b);
}

/* Needs the "C" numeric locale in force. For a normal double, if 15
 * significant digits read back, so would the nearest shorter rendering
 * (it is the 15-digit one with zeros dropped), so 15, 16, 17 finds the
 * shortest; a subnormal has fewer bits and may need fewer digits still.
 * One "%.17e" serves all three lengths in all but the rare half-way case. */
static int format_c(char *b, double v, int precision)
{
    if (!isfinite(v))
        return snprintf(b, NUMBUF, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
    if (precision > 0)
        return snprintf(b, NUMBUF, "%.*g", precision > 17 ? 17 : precision, v);
    int neg = signbit(v) != 0, x17 = 0, x, n;
    char d17[17], dig[17];
    double back;
    int subnormal = v != 0 && fabs(v) < DBL_MIN;
    if (!subnormal)
        e_digits(v, 17, d17, &x17);
    for (int p = subnormal ? 1 : 15; p < 17; p++) {
        x = x17;
        if (subnormal || !round_digits(d17, p, dig, &x))
            e_digits(v, p, dig, &x);
        n = render(b, neg, dig, p, x);
        if (parse_c(b, &back) == 0 && back == v)
            return n;
    }
    if (subnormal)
        e_digits(v, 17, d17, &x17);
    return render(b, neg, d17, 17, x17);
}

int aug_csv_format_double(char *buf, size_t size, double v, int precision)
{
    char b[NUMBUF];
    c_locale l;
    if (c_locale_enter(&l))
        return -1;
    int n = format_c(b, v, precision);
    c_locale_leave(&l);
    snprintf(buf, size, "%s", b);
    return n;
}

/* ---- loading a table --------------------------------------------------- */

/* A value or name fit for a one-line message: control bytes become '?',
 * long text is cut (at a UTF-8 boundary) and marked with "...". */
static const char *show(char *dst, size_t size, const char *s)
{
    size_t max = size - 4, n = 0;
    for (; s[n] && n < max; n++)
        dst[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
    if (s[n]) {
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
    return dst;
}

#define SHOW 48

static int is_nonfinite_word(const char *s)
{
    static const char *const words[] = {"nan", "inf", "infinity"};
    while (*s == ' ')
        s++;
    if (*s == '+' || *s == '-')
        s++;
    size_t n = 0;
    while (s[n] && s[n] != ' ')
        n++;
    for (size_t i = 0; s[n + i]; i++)
        if (s[n + i] != ' ')
            return 0;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        if (strlen(words[w]) != n)
            continue;
        size_t i = 0;
        while (i < n && (s[i] | 0x20) == words[w][i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Rows are appended in batches so that a label column with many distinct
 * values is sorted in once per batch (see core/table_rows.h): up to 8192
 * rows, or 8 MiB of features for wide tables. */
#define BATCH_ROWS 8192
#define BATCH_BYTES (8u << 20)

typedef struct loader {
    aug_csv_reader *r;
    const aug_csv_options *o;
    size_t ncols, label;    /* fields per row, index of the label */
    char **names;           /* ncols column names */
    double *x;              /* batch rows of features */
    size_t nb, batch;       /* rows in the batch, and room for */
    char *text;             /* their labels, NUL-separated */
    size_t tlen, tcap;
    size_t *off;            /* where each label starts in text */
    const char **labels;
} loader;

static aug_status flush(loader *ld, aug_table *t, aug_error *err)
{
    for (size_t i = 0; i < ld->nb; i++)
        ld->labels[i] = ld->text + ld->off[i];
    aug_status st = aug_table_append_rows(t, ld->x, ld->labels, ld->nb, err);
    ld->nb = ld->tlen = 0;
    return st;
}

static aug_status keep_label(loader *ld, const char *s, aug_error *err)
{
    size_t n = strlen(s) + 1;
    if (n > ld->tcap - ld->tlen) {
        size_t cap = ld->tcap ? ld->tcap : 4096;
        while (cap - ld->tlen < n && cap <= SIZE_MAX / 2)
            cap *= 2;
        char *b = cap - ld->tlen >= n ? realloc(ld->text, cap) : NULL;
        if (!b)
            return aug_fail(err, AUG_ERR_NOMEM, "%s: cannot keep labels", ld->r->name);
        ld->text = b;
        ld->tcap = cap;
    }
    ld->off[ld->nb] = ld->tlen;
    memcpy(ld->text + ld->tlen, s, n);
    ld->tlen += n;
    return AUG_OK;
}

static aug_status value(loader *ld, size_t i, double *out, aug_error *err)
{
    const char *s = ld->r->fields[i];
    const field_pos *p = &ld->r->pos[i];
    const char *name = ld->r->name;
    char sn[SHOW], sv[SHOW];
    int rc = parse_c(s, out);
    if (rc == 0)
        return AUG_OK;
    show(sn, sizeof sn, ld->names[i]);
    if (s[strspn(s, " ")] == '\0')
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: empty value in column '%s'",
                        name, p->line, p->col, sn);
    show(sv, sizeof sv, s);
    if (rc == -2 || is_nonfinite_word(s))
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s:%zu:%zu: '%s' in column '%s' is not a finite number",
                        name, p->line, p->col, sv, sn);
    return aug_fail(err, AUG_ERR_FORMAT,
                    "%s:%zu:%zu: column '%s' is not numeric ('%s'); "
                    "categorical features are not supported yet",
                    name, p->line, p->col, sn, sv);
}

/* COL of a ragged row: where the first extra field starts, or for a short
 * row, where the record ends (its newline), i.e. where the next field was
 * due. */
static aug_status take_row(loader *ld, aug_table *t, aug_error *err)
{
    aug_csv_reader *r = ld->r;
    if (r->nf != ld->ncols) {
        size_t line = r->nf > ld->ncols ? r->pos[ld->ncols].line : r->end_line;
        size_t col = r->nf > ld->ncols ? r->pos[ld->ncols].col : r->end_col;
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: expected %zu fields, found %zu",
                        r->name, line, col, ld->ncols, r->nf);
    }
    double *row = ld->x + ld->nb * (ld->ncols - 1);
    for (size_t i = 0, c = 0; i < ld->ncols; i++) {
        if (i == ld->label)
            continue;
        aug_status st = value(ld, i, &row[c++], err);
        if (st)
            return st;
    }
    if (!r->fields[ld->label][0])
        return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu: label is empty", r->name,
                        r->pos[ld->label].line);
    aug_status st = keep_label(ld, r->fields[ld->label], err);
    if (st)
        return st;
    return ++ld->nb == ld->batch ? flush(ld, t, err) : AUG_OK;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!is_digit(*s))
            return 0;
    return 1;
}

static aug_status no_label(loader *ld, const char *want, aug_error *err)
{
    char list[256], sn[SHOW], sw[SHOW];
    size_t n = 0;
    for (size_t i = 0; i < ld->ncols; i++) {
        show(sn, sizeof sn, ld->names[i]);
        /* keep room for ", ..." */
        if (n + strlen(sn) + 2 > sizeof list - 8) {
            snprintf(list + n, sizeof list - n, ", ...");
            break;
        }
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", sn);
    }
    return aug_fail(err, AUG_ERR_FORMAT, "%s: no label column '%s' (columns: %s)",
                    ld->r->name, show(sw, sizeof sw, want), list);
}

/* By name first; an all-digit option that names no column is an index. */
static aug_status find_label(loader *ld, aug_error *err)
{
    const char *want = ld->o->label;
    if (!want) {
        ld->label = ld->ncols - 1;
        return AUG_OK;
    }
    size_t hits = 0;
    for (size_t i = ld->ncols; i-- > 0;)
        if (!strcmp(ld->names[i], want)) {
            ld->label = i;
            hits++;
        }
    if (hits > 1) {
        char sw[SHOW];
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s: %zu columns are named '%s'; give the label column by index",
                        ld->r->name, hits, show(sw, sizeof sw, want));
    }
    if (hits)
        return AUG_OK;
    if (!all_digits(want))
        return no_label(ld, want, err);
    size_t k = 0;
    for (const char *s = want; *s; s++) {
        if (k > (SIZE_MAX - 9) / 10)
            return no_label(ld, want, err);
        k = k * 10 + (size_t)(*s - '0');
    }
    if (k >= ld->ncols)
        return no_label(ld, want, err);
    ld->label = k;
    return AUG_OK;
}

static aug_status set_columns(loader *ld, aug_table *t, aug_error *err)
{
    aug_csv_reader *r = ld->r;
    ld->ncols = r->nf;
    ld->names = calloc(ld->ncols, sizeof *ld->names);
    if (!ld->names)
        return aug_fail(err, AUG_ERR_NOMEM, "%s: cannot allocate %zu column names",
                        r->name, ld->ncols);
    for (size_t i = 0; i < ld->ncols; i++) {
        char gen[32];
        snprintf(gen, sizeof gen, "c%zu", i);
        ld->names[i] = strdup(ld->o->header ? r->fields[i] : gen);
        if (!ld->names[i])
            return aug_fail(err, AUG_ERR_NOMEM, "%s: cannot copy column names", r->name);
    }
    aug_status st = find_label(ld, err);
    if (st)
        return st;
    if (ld->ncols < 2) {
        char sn[SHOW];
        return aug_fail(err, AUG_ERR_FORMAT,
                        "%s: only the label column '%s'; a table needs at least one feature column",
                        r->name, show(sn, sizeof sn, ld->names[0]));
    }
    /* The feature names are the column names without the label's. */
    size_t fcols = ld->ncols - 1;
    const char **feat = malloc(fcols * sizeof *feat);
    ld->batch = BATCH_BYTES / sizeof(double) / fcols;
    ld->batch = ld->batch < 1 ? 1 : ld->batch > BATCH_ROWS ? BATCH_ROWS : ld->batch;
    if (fcols <= SIZE_MAX / sizeof(double) / ld->batch)
        ld->x = malloc(ld->batch * fcols * sizeof *ld->x);
    ld->off = malloc(ld->batch * sizeof *ld->off);
    ld->labels = malloc(ld->batch * sizeof *ld->labels);
    if (!feat || !ld->x || !ld->off || !ld->labels) {
        free(feat);
        return aug_fail(err, AUG_ERR_NOMEM, "%s: cannot allocate a row", r->name);
    }
    for (size_t i = 0, c = 0; i < ld->ncols; i++)
        if (i != ld->label)
            feat[c++] = ld->names[i];
    st = aug_table_init(t, fcols, feat, ld->names[ld->label], err);
    free(feat);
    t->label_pos = ld->label;
    return st;
}

static aug_status load(loader *ld, aug_table *t, aug_error *err)
{
    aug_csv_reader *r = ld->r;
    char **f;
    size_t nf;
    aug_status st = aug_csv_next(r, &f, &nf, err);
    if (st)
        return st;
    if (!nf)
        return aug_fail(err, AUG_ERR_FORMAT, ld->o->header ? "%s: empty file (no header)"
                        : "%s: no data rows", r->name);
    st = set_columns(ld, t, err);
    if (st)
        return st;
    if (!ld->o->header && (st = take_row(ld, t, err)))
        return st;
    for (;;) {
        if ((st = aug_csv_next(r, &f, &nf, err)))
            return st;
        if (!nf)
            break;
        if ((st = take_row(ld, t, err)))
            return st;
    }
    if (ld->nb && (st = flush(ld, t, err)))
        return st;
    if (!t->rows)
        return aug_fail(err, AUG_ERR_FORMAT, "%s: no data rows", r->name);
    return AUG_OK;
}

aug_status aug_csv_load_table(aug_table *t, FILE *fp, const char *name,
                              const aug_csv_options *o, aug_error *err)
{
    aug_csv_options def;
    if (!o) {
        aug_csv_options_default(&def);
        o = &def;
    }
    memset(t, 0, sizeof *t);
    loader ld = {.o = o};
    aug_status st = aug_csv_open(&ld.r, fp, name, o->delimiter, err);
    if (st)
        return st;
    c_locale l;
    if (c_locale_enter(&l)) {
        aug_csv_close(ld.r);
        return aug_fail(err, AUG_ERR_NOMEM, "cannot create the C locale");
    }
    st = load(&ld, t, err);
    c_locale_leave(&l);
    if (ld.names)
        for (size_t i = 0; i < ld.ncols; i++)
            free(ld.names[i]);
    free(ld.names);
    free(ld.x);
    free(ld.text);
    free(ld.off);
    free(ld.labels);
    aug_csv_close(ld.r);
    if (st)
        aug_table_free(t);
    return st;
}

/* ---- writing ----------------------------------------------------------- */

aug_status aug_csv_write_record(FILE *fp, char delimiter,
                                const char *const *fields, size_t n,
                                aug_error *err)
{
    if (!fp || !fields || n == 0)
        return aug_fail(err, AUG_ERR_ARG, "a CSV record needs at least one field");
    if (bad_delimiter(delimiter))
        return aug_fail(err, AUG_ERR_ARG,
                        "the CSV delimiter cannot be a quote, CR, LF or NUL");
    for (size_t i = 0; i < n; i++) {
        const char *s = fields[i] ? fields[i] : "";
        if (i)
            putc(delimiter, fp);
        /* A lone empty field would be a blank line, which readers skip. */
        int quote = n == 1 && !*s;
        for (const char *p = s; *p && !quote; p++)
            quote = *p == delimiter || *p == '"' || *p == '\r' || *p == '\n';
        if (!quote) {
            fputs(s, fp);
            continue;
        }
        putc('"', fp);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putc('"', fp);
            putc(*p, fp);
        }
        putc('"', fp);
    }
    putc('\n', fp);
    if (ferror(fp))
        return aug_fail(err, AUG_ERR_IO, "cannot write CSV: %s", strerror(errno));
    return AUG_OK;
}

aug_status aug_csv_write_header(FILE *fp, const aug_table *t, char delimiter,
                                aug_error *err)
{
    if (!t || !t->cols)
        return aug_fail(err, AUG_ERR_ARG, "no table to write");
    size_t n = t->cols + 1;
    if (n > SIZE_MAX / sizeof(char *))
        return aug_fail(err, AUG_ERR_NOMEM, "too many columns");
    const char **f = malloc(n * sizeof *f);
    if (!f)
        return aug_fail(err, AUG_ERR_NOMEM, "cannot allocate a header");
    size_t at = t->label_pos < t->cols ? t->label_pos : t->cols;
    for (size_t j = 0; j < n; j++)
        f[j] = j == at ? t->label_name : t->names[j < at ? j : j - 1];
    aug_status st = aug_csv_write_record(fp, delimiter, f, n, err);
    free(f);
    return st;
}

aug_status aug_csv_write_rows(FILE *fp, const aug_table *t, size_t from,
                              size_t to, char delimiter, int precision,
                              aug_error *err)
{
    if (!t || !t->cols || from > to || to > t->rows)
        return aug_fail(err, AUG_ERR_ARG, "rows [%zu, %zu) are not in the table",
                        from, to);
    size_t n = t->cols + 1;
    if (n > SIZE_MAX / NUMBUF)
        return aug_fail(err, AUG_ERR_NOMEM, "too many columns");
    const char **f = malloc(n * sizeof *f);
    char *text = malloc(t->cols * NUMBUF);
    c_locale l;
    int have_locale = 0;
    aug_status st = AUG_OK;
    if (!f || !text) {
        st = aug_fail(err, AUG_ERR_NOMEM, "cannot allocate a row");
        goto out;
    }
    if (c_locale_enter(&l)) {
        st = aug_fail(err, AUG_ERR_NOMEM, "cannot create the C locale");
        goto out;
    }
    have_locale = 1;
    size_t at = t->label_pos < t->cols ? t->label_pos : t->cols;
    for (size_t r = from; r < to && !st; r++) {
        if (t->label[r] >= t->nclasses) {
            st = aug_fail(err, AUG_ERR_ARG, "row %zu has no valid class", r);
            break;
        }
        const double *x = t->x + r * t->cols;
        for (size_t j = 0; j < n; j++) {
            if (j == at) {
                f[j] = t->classes[t->label[r]];
                continue;
            }
            size_t c = j < at ? j : j - 1;
            format_c(text + c * NUMBUF, x[c], precision);
            f[j] = text + c * NUMBUF;
        }
        st = aug_csv_write_record(fp, delimiter, f, n, err);
    }
out:
    if (have_locale)
        c_locale_leave(&l);
    free(f);
    free(text);
    return st;
}
