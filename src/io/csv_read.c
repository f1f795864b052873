/* The streaming CSV (RFC 4180) reader.
 *
 * A byte state machine over getc: no line-length limit, and every field
 * remembers the physical line and byte column where it began (both
 * 1-based; a quoted newline starts a new line), so that the loader can
 * point at the exact value. CRLF is folded to LF below the parser, inside
 * quotes too, so output does not depend on the writer's platform. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_internal.h"

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
    if (!rd || !(rd->name = strdup(name ? name : "-"))) {
        free(rd);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory starting the CSV reader");
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

const char *aug_csv_name(const aug_csv_reader *r)
{
    return r->name;
}

void aug_csv_where(const aug_csv_reader *r, size_t i, size_t *line,
                   size_t *col)
{
    *line = i < r->nf ? r->pos[i].line : r->end_line;
    *col = i < r->nf ? r->pos[i].col : r->end_col;
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
    return aug_fail(err, AUG_ERR_NOMEM, "%s:%zu: out of memory reading this record",
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
    if (c != EOF) {
        r->rec_line = r->cline;
        while (!(st = read_field(r, &c, err)) && c == r->delim)
            c = get(r);
    }
    /* getc reports a read error as the end of input. */
    if (!st && c == EOF && ferror(r->fp))
        st = stream_error(r, err);
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
