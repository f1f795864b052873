/* The streaming CSV (RFC 4180) reader.
 *
 * Input is read in large blocks into one buffer and a record is parsed in
 * place: a plain field is a slice of the buffer, a quoted one too unless
 * it holds "" or CRLF (then its value is unescaped into a side buffer, CRLF
 * folded to LF inside quotes as outside, so values do not depend on the
 * writer's platform). The record's raw bytes stay in the buffer until the
 * next call, so a caller can copy a row to the output exactly as it came.
 * A record cut by the end of the buffer is parsed again once more input is
 * in (the buffer doubles when a record outgrows it), so there is no line or
 * field length limit.
 *
 * Positions for messages (1-based physical line and byte column) are not
 * tracked per byte: they are worked out from the raw record when asked,
 * which costs nothing on the good path. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_internal.h"

#define BLOCK (256u << 10)

struct aug_csv_reader {
    FILE *fp;
    char *name;
    unsigned char delim;
    unsigned char stop_plain[256];  /* bytes that end a run of plain text */
    unsigned char stop_quoted[256]; /* inside quotes */
    char *buf;                      /* input; [pos, len) not yet parsed */
    size_t cap, len, pos;
    int eof, started, had_bom;
    size_t line;                    /* line number at buf[pos] */
    /* the last record */
    size_t rec_off, rec_len;        /* its raw bytes in buf, with its line end */
    size_t rec_line;
    size_t body_len;                /* raw bytes before the line end */
    size_t rec_nl;                  /* newlines inside its quoted fields */
    aug_csv_cell *cells;
    size_t *val_off;                /* unescaped values: offsets in val, or SIZE_MAX */
    int copied;                     /* some value of the record is in val */
    size_t nf, fcap;
    char *val;                      /* unescaped values */
    size_t vlen, vcap;
    char **fields;                  /* aug_csv_next: NUL-terminated copies */
    char *text;
    size_t tcap;
};

aug_status aug_csv_check_delimiter(char d, aug_error *err)
{
    if (d == '"' || d == '\r' || d == '\n' || d == '\0')
        return aug_fail(err, AUG_ERR_ARG,
                        "the CSV delimiter cannot be a quote, CR, LF or NUL");
    return AUG_OK;
}

aug_status aug_csv_open(aug_csv_reader **r, FILE *fp, const char *name,
                        char delimiter, aug_error *err)
{
    *r = NULL;
    if (!fp)
        return aug_fail(err, AUG_ERR_ARG, "no input stream given");
    aug_status st = aug_csv_check_delimiter(delimiter, err);
    if (st)
        return st;
    aug_csv_reader *rd = calloc(1, sizeof *rd);
    if (!rd || !(rd->name = strdup(name ? name : "-")) || !(rd->buf = malloc(BLOCK))) {
        if (rd)
            free(rd->name);
        free(rd);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a CSV reader");
    }
    rd->cap = BLOCK;
    rd->fp = fp;
    rd->delim = (unsigned char)delimiter;
    rd->line = 1;
    const unsigned char special[] = {'\n', '\r', '"', '\0'};
    for (size_t i = 0; i < sizeof special; i++)
        rd->stop_plain[special[i]] = rd->stop_quoted[special[i]] = 1;
    rd->stop_plain[rd->delim] = 1;
    *r = rd;
    return AUG_OK;
}

void aug_csv_close(aug_csv_reader *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->buf);
    free(r->cells);
    free(r->val_off);
    free(r->val);
    free(r->fields);
    free(r->text);
    free(r);
}

size_t aug_csv_line(const aug_csv_reader *r)
{
    return r ? r->rec_line : 0;
}

const char *aug_csv_name(const aug_csv_reader *r)
{
    return r->name;
}

int aug_csv_had_bom(const aug_csv_reader *r)
{
    return r && r->had_bom;
}

const char *aug_csv_raw_record(const aug_csv_reader *r, size_t *len, size_t *body)
{
    *len = r->nf ? r->rec_len : 0;
    if (body)
        *body = r->nf ? r->body_len : 0;
    return r->nf ? r->buf + r->rec_off : NULL;
}

/* Line and column of byte `off` of the record at hand (records start at
 * the beginning of a line). */
static void where_off(const aug_csv_reader *r, size_t off, size_t *line, size_t *col)
{
    const char *p = r->buf + r->rec_off;
    size_t l = r->rec_line, start = 0;
    for (size_t i = 0; i < off; i++)
        if (p[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = off - start + 1;
}

void aug_csv_where(const aug_csv_reader *r, size_t i, size_t *line, size_t *col)
{
    where_off(r, i < r->nf ? (size_t)(r->cells[i].raw - (r->buf + r->rec_off)) : r->body_len,
              line, col);
}

/* ---- input ---- */

/* More input after buf[len]; the record being parsed (from pos) is kept,
 * moved to the front. Returns 0, or -1 on a read error or no memory
 * (errno tells which). */
static int refill(aug_csv_reader *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap) {
        size_t cap = r->cap * 2;
        char *b = cap > r->cap ? realloc(r->buf, cap) : NULL;
        if (!b) {
            errno = ENOMEM;
            return -1;
        }
        r->buf = b;
        r->cap = cap;
    }
    size_t n = fread(r->buf + r->len, 1, r->cap - r->len, r->fp);
    r->len += n;
    if (n == 0) {
        if (ferror(r->fp))
            return -1;
        r->eof = 1;
    }
    return 0;
}

/* ---- one record ---- */

/* The first byte at or after i (before lim) that stop[] marks. On x86 16
 * bytes are looked at at once: a byte equal to `a` or `b`, or at most CR
 * (LF, CR, NUL and other control bytes), stops the vector step; the table
 * then says whether it really ends the run (a tab, say, may not). A
 * field's length is no longer a run of byte-by-byte branches. */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
typedef unsigned char u8x16 __attribute__((vector_size(16), aligned(1)));
typedef char c8x16 __attribute__((vector_size(16)));
static inline size_t run_end(const unsigned char *b, size_t i, size_t lim,
                             const unsigned char *stop, unsigned char a, unsigned char q)
{
    const u8x16 va = {a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a};
    const u8x16 vq = {q, q, q, q, q, q, q, q, q, q, q, q, q, q, q, q};
    const u8x16 vc = {13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13};
    while (i + 16 <= lim) {
        u8x16 v;
        memcpy(&v, b + i, 16);
        c8x16 m = (c8x16)((v == va) | (v == vq) | (v <= vc));
        unsigned mask = (unsigned)__builtin_ia32_pmovmskb128(m);
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (stop[b[at]])
                return at;
            mask &= mask - 1;
        }
        i += 16;
    }
    while (i < lim && !stop[b[i]])
        i++;
    return i;
}
#else
static inline size_t run_end(const unsigned char *b, size_t i, size_t lim,
                             const unsigned char *stop, unsigned char a, unsigned char q)
{
    (void)a;
    (void)q;
    while (i < lim && !stop[b[i]])
        i++;
    return i;
}
#endif

enum { REC_OK, REC_MORE, REC_ERR };

static int add_field(aug_csv_reader *r, size_t raw)
{
    if (r->nf == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 32;
        aug_csv_cell *c = cap < SIZE_MAX / sizeof *c ? realloc(r->cells, cap * sizeof *c) : NULL;
        if (!c)
            return -1;
        r->cells = c;
        size_t *b = realloc(r->val_off, cap * sizeof *b);
        if (!b)
            return -1;
        r->val_off = b;
        r->fcap = cap;
    }
    aug_csv_cell *c = &r->cells[r->nf];
    c->raw = r->buf + r->rec_off + raw;
    c->s = c->raw;
    r->val_off[r->nf] = SIZE_MAX;
    r->nf++;
    return 0;
}

static int val_put(aug_csv_reader *r, const char *s, size_t n)
{
    if (n == 0)
        return 0; /* an empty cell: nothing to copy, maybe no buffer yet */
    if (n > r->vcap - r->vlen) {
        size_t cap = r->vcap ? r->vcap : 256;
        while (cap - r->vlen < n) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        char *v = realloc(r->val, cap);
        if (!v)
            return -1;
        r->val = v;
        r->vcap = cap;
    }
    memcpy(r->val + r->vlen, s, n);
    r->vlen += n;
    return 0;
}

static aug_status fail_at(aug_csv_reader *r, size_t off, const char *what, aug_error *err)
{
    size_t line, col;
    where_off(r, off, &line, &col);
    return aug_fail(err, AUG_ERR_FORMAT, "%s:%zu:%zu: %s", r->name, line, col, what);
}

/* A quoted field from buf[q] (the opening quote). On REC_OK *end is the
 * byte after the closing quote. */
static int quoted(aug_csv_reader *r, size_t q, size_t *end, aug_status *st, aug_error *err)
{
    const unsigned char *b = (const unsigned char *)r->buf;
    size_t i = q + 1, lim = r->len, from = i;
    size_t f = r->nf - 1;
    int copying = 0;
    for (;;) {
        i = run_end(b, i, lim, r->stop_quoted, '"', '"');
        if (i == lim) {
            if (!r->eof)
                return REC_MORE;
            r->rec_len = lim - r->rec_off; /* for the position */
            *st = fail_at(r, q - r->rec_off, "unterminated quoted field", err);
            return REC_ERR;
        }
        unsigned char c = b[i];
        if (c == '\0') {
            *st = fail_at(r, i - r->rec_off, "NUL byte in text", err);
            return REC_ERR;
        }
        if (c == '\n') {
            r->rec_nl++;
            i++;
            continue;
        }
        if (c == '\r') {
            if (i + 1 == lim && !r->eof)
                return REC_MORE;
            if (i + 1 < lim && b[i + 1] == '\n') { /* CRLF -> LF */
                r->rec_nl++;
                if (!copying) {
                    copying = r->copied = 1;
                    r->val_off[f] = r->vlen;
                }
                if (val_put(r, r->buf + from, i - from))
                    goto nomem;
                from = i + 1;
                i += 2;
                continue;
            }
            i++;
            continue;
        }
        /* a quote: doubled, or the end */
        if (i + 1 == lim && !r->eof)
            return REC_MORE;
        if (i + 1 < lim && b[i + 1] == '"') {
            if (!copying) {
                copying = r->copied = 1;
                r->val_off[f] = r->vlen;
            }
            if (val_put(r, r->buf + from, i + 1 - from))
                goto nomem;
            i += 2;
            from = i;
            continue;
        }
        if (copying) {
            if (val_put(r, r->buf + from, i - from))
                goto nomem;
            r->cells[f].len = r->vlen - r->val_off[f];
        } else {
            r->cells[f].len = i - (q + 1);
            r->cells[f].s = r->buf + q + 1;
        }
        *end = i + 1;
        return REC_OK;
    }
nomem:
    *st = aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: out of memory reading this record", r->name,
                   r->rec_line);
    return REC_ERR;
}

/* Parse the record at buf[pos]; blank lines before it are skipped. */
static int record(aug_csv_reader *r, aug_status *st, aug_error *err)
{
    const unsigned char *b = (const unsigned char *)r->buf;
    size_t i = r->pos, lim = r->len;
    r->nf = 0;
    r->vlen = 0;
    r->rec_nl = 0;
    r->copied = 0;
    /* blank lines: LF or CRLF alone */
    size_t skipped = 0;
    for (;;) {
        if (i < lim && b[i] == '\n') {
            i++;
            skipped++;
        } else if (i + 1 < lim && b[i] == '\r' && b[i + 1] == '\n') {
            i += 2;
            skipped++;
        } else if (i + 1 == lim && b[i] == '\r' && !r->eof) {
            return REC_MORE;
        } else {
            break;
        }
    }
    if (i == lim) {
        if (!r->eof)
            return REC_MORE;
        r->pos = i;
        r->line += skipped;
        return REC_OK; /* the end: no record */
    }
    r->rec_off = i;
    r->rec_line = r->line + skipped;
    for (;;) {
        /* a field starts at i */
        if (add_field(r, i - r->rec_off))
            goto nomem;
        aug_csv_cell *cell = &r->cells[r->nf - 1];
        if (i < lim && b[i] == '"') {
            size_t end;
            int rc = quoted(r, i, &end, st, err);
            if (rc != REC_OK)
                return rc;
            cell->raw_len = end - i;
            i = end;
            if (i == lim && !r->eof)
                return REC_MORE;
            if (i < lim && b[i] == r->delim) {
                i++;
                continue;
            }
            if (i == lim || b[i] == '\n' || (b[i] == '\r' && i + 1 < lim && b[i + 1] == '\n'))
                break;
            if (b[i] == '\r' && i + 1 == lim && !r->eof)
                return REC_MORE;
            *st = fail_at(r, i - r->rec_off, b[i] == '\0' ? "NUL byte in text"
                          : "unexpected character after a closing quote", err);
            return REC_ERR;
        }
        size_t start = i;
        for (;;) {
            i = run_end(b, i, lim, r->stop_plain, r->delim, '"');
            if (i == lim) {
                if (!r->eof)
                    return REC_MORE;
                break;
            }
            unsigned char c = b[i];
            if (c == '\r') {
                if (i + 1 == lim) {
                    if (!r->eof)
                        return REC_MORE;
                    i++; /* a lone CR at the very end is data */
                    continue;
                }
                if (b[i + 1] == '\n')
                    break;
                i++; /* a lone CR is data */
                continue;
            }
            if (c == '"' || c == '\0') {
                *st = fail_at(r, i - r->rec_off, c == '"' ? "quote inside an unquoted field"
                              : "NUL byte in text", err);
                return REC_ERR;
            }
            break; /* the delimiter or LF */
        }
        cell->raw_len = cell->len = i - start;
        if (i < lim && b[i] == r->delim) {
            i++;
            continue;
        }
        break;
    }
    /* i is at the line end (LF, CRLF) or the end of the input */
    r->body_len = i - r->rec_off;
    if (i < lim)
        i += b[i] == '\r' ? 2 : 1;
    r->rec_len = i - r->rec_off;
    /* lines: the ones inside the record's quoted fields, and its own end */
    r->line = r->rec_line + r->rec_nl + (i > r->rec_off + r->body_len);
    r->pos = i;
    return REC_OK;
nomem:
    *st = aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: out of memory reading this record", r->name,
                   r->rec_line);
    return REC_ERR;
}

static void skip_bom(aug_csv_reader *r)
{
    if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0) {
        r->pos += 3;
        r->had_bom = 1;
    }
}

aug_status aug_csv_next_cells(aug_csv_reader *r, const aug_csv_cell **cells, size_t *n,
                              aug_error *err)
{
    *cells = NULL;
    *n = 0;
    r->nf = 0;
    aug_status st = AUG_OK;
    if (!r->started) {
        while (r->len < 3 && !r->eof)
            if (refill(r))
                goto read_error;
        r->started = 1;
        skip_bom(r);
    }
    for (;;) {
        int rc = record(r, &st, err);
        if (rc == REC_ERR) {
            r->nf = 0;
            return st;
        }
        if (rc == REC_OK)
            break;
        if (refill(r))
            goto read_error;
    }
    if (!r->nf)
        return AUG_OK;
    for (size_t i = 0; r->copied && i < r->nf; i++)
        if (r->val_off[i] != SIZE_MAX)
            r->cells[i].s = r->val + r->val_off[i];
    *cells = r->cells;
    *n = r->nf;
    return AUG_OK;
read_error:
    r->nf = 0;
    if (errno == ENOMEM)
        return aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: out of memory reading this record", r->name,
                        r->line);
    return aug_fail(err, AUG_ERR_IO, "%s: read error: %s", r->name, strerror(errno));
}

aug_status aug_csv_next(aug_csv_reader *r, char ***fields, size_t *nfields, aug_error *err)
{
    *fields = NULL;
    *nfields = 0;
    const aug_csv_cell *c;
    size_t n;
    aug_status st = aug_csv_next_cells(r, &c, &n, err);
    if (st || !n)
        return st;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += c[i].len + 1;
    if (total > r->tcap) {
        char *t = realloc(r->text, total);
        if (!t)
            return aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: out of memory reading this record",
                            r->name, r->rec_line);
        r->text = t;
        r->tcap = total;
    }
    char **f = realloc(r->fields, n * sizeof *f);
    if (!f)
        return aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: out of memory reading this record", r->name,
                        r->rec_line);
    r->fields = f;
    char *o = r->text;
    for (size_t i = 0; i < n; i++) {
        memcpy(o, c[i].s, c[i].len);
        f[i] = o;
        o[c[i].len] = '\0';
        o += c[i].len + 1;
    }
    *fields = f;
    *nfields = n;
    return AUG_OK;
}
