/* Chains: stages and groups of operations, parsed from text, drawn per
 * output into a plan, applied with one decode and one encode around them.
 *
 * Streams: every node (stage or group) is numbered in the order it is
 * written, from 0; node i draws from aug_rng_derive_stream(seed, key, copy,
 * i). Node 0's stream is the output's own stream, so a chain of one stage
 * draws exactly what the standalone command draws; later stages never
 * share draws with earlier ones, whatever those drew. */
#include <stdlib.h>
#include <string.h>

#include "augment/ops.h"

typedef enum node_kind { NODE_STAGE, NODE_ONE_OF, NODE_SOME_OF } node_kind;

typedef struct node {
    node_kind kind;
    unsigned index;  /* its stream */
    double prob;     /* a stage's --prob (its weight inside one-of); a group's --prob */
    const aug_op *op;
    void *cfg;
    struct node *kids;
    size_t nkids;
    double pick[2];  /* some-of: how many members, LO:HI */
} node;

struct aug_chain {
    node *items;
    size_t n;
    int single;      /* a standalone command: its text has no stage names */
    size_t nstages;
    unsigned nnodes;
};

static const char *const group_names[] = {"one-of", "some-of"};

/* ---- freeing ---- */

static void free_nodes(node *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(nodes[i].cfg);
        free_nodes(nodes[i].kids, nodes[i].nkids);
    }
    free(nodes);
}

void aug_chain_free(aug_chain *c)
{
    if (!c)
        return;
    free_nodes(c->items, c->n);
    free(c);
}

size_t aug_chain_stages(const aug_chain *c)
{
    return c ? c->nstages : 0;
}

/* ---- tokens ---- */

typedef enum tok_kind { TOK_END, TOK_WORD, TOK_SEP, TOK_OPEN, TOK_CLOSE } tok_kind;

typedef struct token {
    tok_kind kind;
    char *word;      /* TOK_WORD, malloc'd */
    unsigned line;
} token;

typedef struct parser {
    token *toks;
    size_t n, cap, pos;
    const char *source; /* recipe file name, or NULL */
    unsigned stage;     /* stages and groups seen so far, 1-based in messages */
    unsigned nodes;
    size_t nstages;
    aug_error *err;
} parser;

static aug_status push_tok(parser *p, tok_kind kind, char *word, unsigned line)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        token *t = realloc(p->toks, cap * sizeof *t);
        if (!t) {
            free(word);
            return aug_fail(p->err, AUG_ERR_NOMEM, "out of memory parsing the chain");
        }
        p->toks = t;
        p->cap = cap;
    }
    p->toks[p->n++] = (token){kind, word, line};
    return AUG_OK;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

static int is_special(char ch)
{
    return ch == '|' || ch == '{' || ch == '}' || ch == '\n';
}

/* Shell-like words: whitespace separates; '|', '{', '}' and new lines are
 * tokens of their own; '...' is literal, "..." honours \" and \\, a
 * backslash outside quotes escapes the next character (a backslash before
 * a new line joins the lines); '#' at the start of a word comments out the
 * rest of the line. */
static aug_status tokenize(parser *p, const char *s)
{
    unsigned line = 1;
    aug_buf w = {0};
    aug_status st = AUG_OK;
    while (!st) {
        while (is_space(*s))
            s++;
        if (*s == '\0')
            break;
        if (*s == '#') {
            while (*s && *s != '\n')
                s++;
            continue;
        }
        if (is_special(*s)) {
            tok_kind k = *s == '{' ? TOK_OPEN : *s == '}' ? TOK_CLOSE : TOK_SEP;
            st = push_tok(p, k, NULL, line);
            line += *s == '\n';
            s++;
            continue;
        }
        unsigned start = line;
        int any = 0;
        while (*s && !is_space(*s) && !is_special(*s)) {
            if (*s == '\'' || *s == '"') {
                char q = *s++;
                const char *from = s;
                while (*s && *s != q) {
                    if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\')) {
                        aug_buf_add(&w, from, (size_t)(s - from));
                        from = ++s;
                    }
                    line += *s == '\n';
                    s++;
                }
                if (*s != q) {
                    aug_buf_free(&w);
                    return aug_fail(p->err, AUG_ERR_ARG, "%s%s%u: unterminated %s quote",
                                    p->source ? p->source : "chain", p->source ? ":" : " line ",
                                    start, q == '"' ? "double" : "single");
                }
                aug_buf_add(&w, from, (size_t)(s - from));
                s++;
                any = 1;
            } else if (*s == '\\' && s[1]) {
                if (s[1] == '\n') {
                    line++;
                } else {
                    aug_buf_add(&w, s + 1, 1);
                    any = 1;
                }
                s += 2;
            } else {
                aug_buf_add(&w, s++, 1);
                any = 1;
            }
        }
        if (!any)
            continue;
        if (w.failed || !w.data) {
            aug_buf_free(&w);
            return aug_fail(p->err, AUG_ERR_NOMEM, "out of memory parsing the chain");
        }
        st = push_tok(p, TOK_WORD, w.data, start);
        w = (aug_buf){0};
    }
    aug_buf_free(&w);
    if (!st)
        st = push_tok(p, TOK_END, NULL, line);
    return st;
}

/* ---- grammar ---- */

/* "stage 2 (noise): " inline; "recipe.txt:4: noise: " for a file. */
static aug_status fail_at(parser *p, unsigned line, const char *what, const char *msg)
{
    if (p->source)
        return aug_fail(p->err, AUG_ERR_ARG, "%s:%u: %s%s%s", p->source, line,
                        what ? what : "", what ? ": " : "", msg);
    if (what)
        return aug_fail(p->err, AUG_ERR_ARG, "stage %u (%s): %s", p->stage, what, msg);
    return aug_fail(p->err, AUG_ERR_ARG, "stage %u: %s", p->stage, msg);
}

static const token *peek(const parser *p)
{
    return &p->toks[p->pos];
}

/* The words of the current stage: up to the next separator, brace or end. */
static size_t stage_words(const parser *p, size_t from)
{
    size_t i = from;
    while (p->toks[i].kind == TOK_WORD)
        i++;
    return i - from;
}

static aug_status parse_seq(parser *p, node **out, size_t *nout, int in_group);

static aug_status words_argv(parser *p, size_t from, size_t n, char ***argv)
{
    *argv = malloc((n ? n : 1) * sizeof **argv);
    if (!*argv)
        return aug_fail(p->err, AUG_ERR_NOMEM, "out of memory parsing the chain");
    for (size_t i = 0; i < n; i++)
        (*argv)[i] = p->toks[from + i].word;
    return AUG_OK;
}

static aug_status parse_stage(parser *p, node *nd)
{
    const token *t = peek(p);
    const char *name = t->word;
    unsigned line = t->line;
    size_t n = stage_words(p, p->pos);
    nd->op = aug_op_find(name);
    if (!nd->op) {
        size_t nops;
        const aug_op *const *ops = aug_ops(&nops);
        aug_buf known = {0};
        for (size_t i = 0; i < nops; i++)
            aug_buf_addf(&known, "%s, ", ops[i]->name);
        aug_buf_addf(&known, "one-of, some-of");
        aug_buf msg = {0};
        aug_buf_addf(&msg, "'%s' is not an operation (%s)", name, known.data ? known.data : "");
        aug_status st = fail_at(p, line, NULL, msg.data ? msg.data : "unknown operation");
        aug_buf_free(&known);
        aug_buf_free(&msg);
        return st;
    }
    nd->kind = NODE_STAGE;
    nd->index = p->nodes++;
    p->nstages++;
    nd->cfg = calloc(1, nd->op->cfg_size ? nd->op->cfg_size : 1);
    if (!nd->cfg)
        return aug_fail(p->err, AUG_ERR_NOMEM, "out of memory parsing the chain");
    if (nd->op->init)
        nd->op->init(nd->cfg);
    aug_stage_opts so = {.prob = 1.0};
    aug_optset sets[2] = {{aug_stage_options, &so, 0, 0}, {nd->op->options, nd->cfg, 0, 0}};
    char **argv;
    aug_error e;
    aug_status st = words_argv(p, p->pos + 1, n - 1, &argv);
    if (st)
        return st;
    st = aug_opt_parse(sets, 2, (int)(n - 1), argv, NULL, &e);
    free(argv);
    if (!st && nd->op->check)
        st = nd->op->check(nd->cfg, sets[1].given, &e);
    if (st)
        return fail_at(p, line, name, e.msg);
    nd->prob = so.prob;
    p->pos += n;
    return AUG_OK;
}

typedef struct group_opts {
    double prob;
} group_opts;

static const aug_opt group_options[] = {
    AUG_OPT_DOUBLE_(0, "prob", "P", "apply the group with probability P (default 1)",
                    group_opts, prob, 0, 1),
    AUG_OPT_END_,
};

/* some-of's count: N or LO:HI, whole numbers, 0 <= LO <= HI <= 1000. */
static int parse_pick(const char *s, double out[2])
{
    const aug_opt o = {.kind = AUG_OPT_RANGE, .name = "n", .lo = 0, .hi = 1000};
    if (aug_opt_value(&o, s, out, NULL))
        return -1;
    return out[0] == (double)(long)out[0] && out[1] == (double)(long)out[1] ? 0 : -1;
}

static aug_status parse_group(parser *p, node *nd, node_kind kind)
{
    const token *t = peek(p);
    const char *name = group_names[kind == NODE_SOME_OF];
    unsigned line = t->line;
    size_t n = stage_words(p, p->pos);
    nd->kind = kind;
    nd->index = p->nodes++;
    char **argv;
    aug_error e;
    group_opts go = {.prob = 1.0};
    aug_optset set = {group_options, &go, 0, 0};
    int nops = 0;
    aug_status st = words_argv(p, p->pos + 1, n - 1, &argv);
    if (st)
        return st;
    st = aug_opt_parse(&set, 1, (int)(n - 1), argv, &nops, &e);
    if (!st && kind == NODE_ONE_OF && nops > 0)
        st = aug_fail(&e, AUG_ERR_ARG, "unexpected '%s' (one-of takes only --prob)", argv[0]);
    if (!st && kind == NODE_SOME_OF &&
        (nops != 1 || parse_pick(argv[0], nd->pick)))
        st = aug_fail(&e, AUG_ERR_ARG,
                      "give how many members to apply: some-of N { ... } or some-of LO:HI { ... }");
    free(argv);
    if (st)
        return fail_at(p, line, name, e.msg);
    nd->prob = go.prob;
    p->pos += n;
    if (peek(p)->kind != TOK_OPEN)
        return fail_at(p, peek(p)->line, name, "expected '{' and the group's stages");
    p->pos++;
    unsigned at = p->stage;
    if ((st = parse_seq(p, &nd->kids, &nd->nkids, 1)))
        return st;
    if (peek(p)->kind != TOK_CLOSE) {
        p->stage = at;
        return fail_at(p, peek(p)->line, name, "missing '}' at the end of the group");
    }
    p->pos++;
    if (nd->nkids == 0) {
        p->stage = at;
        return fail_at(p, line, name, "an empty group: give at least one stage inside { }");
    }
    return AUG_OK;
}

/* seq := item { '|' item }, blank items (doubled separators, blank lines)
 * skipped; ends at '}' (inside a group) or at the end. */
static aug_status parse_seq(parser *p, node **out, size_t *nout, int in_group)
{
    node *items = NULL;
    size_t n = 0, cap = 0;
    aug_status st = AUG_OK;
    for (;;) {
        const token *t = peek(p);
        if (t->kind == TOK_SEP) {
            p->pos++;
            continue;
        }
        if (t->kind == TOK_END || t->kind == TOK_CLOSE)
            break;
        p->stage++;
        if (t->kind == TOK_OPEN) {
            st = fail_at(p, t->line, NULL, "'{' without one-of or some-of before it");
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            node *q = realloc(items, cap * sizeof *q);
            if (!q) {
                st = aug_fail(p->err, AUG_ERR_NOMEM, "out of memory parsing the chain");
                break;
            }
            items = q;
        }
        node *nd = &items[n++];
        memset(nd, 0, sizeof *nd);
        if (strcmp(t->word, "one-of") == 0)
            st = parse_group(p, nd, NODE_ONE_OF);
        else if (strcmp(t->word, "some-of") == 0)
            st = parse_group(p, nd, NODE_SOME_OF);
        else
            st = parse_stage(p, nd);
        if (st)
            break;
        t = peek(p);
        if (t->kind == TOK_OPEN) {
            st = fail_at(p, t->line, NULL, "'{' after a stage (groups are one-of { } and some-of N { })");
            break;
        }
    }
    if (!st && !in_group && peek(p)->kind == TOK_CLOSE)
        st = fail_at(p, peek(p)->line, NULL, "'}' without a group to close");
    if (st) {
        free_nodes(items, n);
        return st;
    }
    *out = items;
    *nout = n;
    return AUG_OK;
}

aug_status aug_chain_parse(const char *text, const char *source, aug_chain **out,
                           aug_error *err)
{
    *out = NULL;
    parser p = {.source = source, .err = err};
    aug_chain *c = calloc(1, sizeof *c);
    aug_status st = c ? tokenize(&p, text ? text : "")
                      : aug_fail(err, AUG_ERR_NOMEM, "out of memory parsing the chain");
    if (!st)
        st = parse_seq(&p, &c->items, &c->n, 0);
    if (!st && c->n == 0)
        st = aug_fail(err, AUG_ERR_ARG, "%s%san empty chain: give at least one stage",
                      source ? source : "", source ? ": " : "");
    for (size_t i = 0; i < p.n; i++)
        free(p.toks[i].word);
    free(p.toks);
    if (st) {
        aug_chain_free(c);
        return st;
    }
    c->nstages = p.nstages;
    c->nnodes = p.nodes;
    *out = c;
    return AUG_OK;
}

aug_status aug_chain_single(const aug_op *op, void *cfg, double prob, aug_chain **out,
                            aug_error *err)
{
    *out = NULL;
    aug_chain *c = calloc(1, sizeof *c);
    node *nd = calloc(1, sizeof *nd);
    if (!c || !nd) {
        free(c);
        free(nd);
        free(cfg);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    *nd = (node){.kind = NODE_STAGE, .index = 0, .prob = prob, .op = op, .cfg = cfg};
    *c = (aug_chain){.items = nd, .n = 1, .single = 1, .nstages = 1, .nnodes = 1};
    *out = c;
    return AUG_OK;
}

/* ---- drawing ---- */

typedef struct step {
    const aug_op *op;
    void *params;
    aug_geom in; /* the geometry the step was drawn for */
} step;

struct aug_plan {
    step *steps;
    size_t n, cap;
    aug_geom geom; /* as it stands after the steps so far */
    aug_buf text;
};

typedef struct drawing {
    const aug_chain *chain;
    uint64_t seed, copy;
    const char *key;
    aug_plan *plan;
    aug_error *err;
} drawing;

static aug_status draw_node(drawing *d, const node *nd, int forced, aug_buf *text);

static aug_status add_step(drawing *d, const aug_op *op, void *params, const aug_geom *in)
{
    aug_plan *pl = d->plan;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 4;
        step *s = realloc(pl->steps, cap * sizeof *s);
        if (!s)
            return aug_fail(d->err, AUG_ERR_NOMEM, "out of memory");
        pl->steps = s;
        pl->cap = cap;
    }
    pl->steps[pl->n++] = (step){op, params, *in};
    return AUG_OK;
}

static aug_status draw_stage(drawing *d, const node *nd, aug_rng *rng, aug_buf *text)
{
    const aug_op *op = nd->op;
    void *params = malloc(op->params_size ? op->params_size : 1);
    if (!params)
        return aug_fail(d->err, AUG_ERR_NOMEM, "out of memory");
    aug_geom next = d->plan->geom;
    aug_status st = op->draw(nd->cfg, rng, &d->plan->geom, params, d->err);
    if (!st && op->geometry)
        st = op->geometry(params, &d->plan->geom, &next, d->err);
    if (!st)
        st = add_step(d, op, params, &d->plan->geom);
    if (st) {
        free(params);
        return st;
    }
    d->plan->geom = next;
    if (op->describe)
        op->describe(params, text);
    return AUG_OK;
}

/* Members of a group, drawn into "[a(..) | b(..)]". */
static aug_status draw_members(drawing *d, const node *group, const size_t *order, size_t k,
                               int forced, aug_buf *text)
{
    aug_buf_add(text, "[", 1);
    for (size_t i = 0; i < k; i++) {
        if (i)
            aug_buf_add(text, " | ", 3);
        aug_status st = draw_node(d, &group->kids[order[i]], forced, text);
        if (st)
            return st;
    }
    aug_buf_add(text, "]", 1);
    return AUG_OK;
}

static aug_status draw_one_of(drawing *d, const node *nd, aug_rng *rng, aug_buf *text)
{
    double total = 0.0;
    for (size_t i = 0; i < nd->nkids; i++)
        total += nd->kids[i].prob;
    if (!(total > 0.0)) { /* every weight is 0: nothing to pick */
        aug_buf_add(text, "(skipped)", 9);
        return AUG_OK;
    }
    /* albumentations' OneOf: member i with probability prob_i / sum. */
    double u = aug_rng_uniform(rng) * total, acc = 0.0;
    size_t pick = nd->nkids - 1;
    for (size_t i = 0; i < nd->nkids; i++) {
        acc += nd->kids[i].prob;
        if (u < acc && nd->kids[i].prob > 0.0) {
            pick = i;
            break;
        }
    }
    while (nd->kids[pick].prob <= 0.0) /* rounding at the top end */
        pick--;
    return draw_members(d, nd, &pick, 1, 1, text);
}

static aug_status draw_some_of(drawing *d, const node *nd, aug_rng *rng, aug_buf *text)
{
    size_t lo = (size_t)nd->pick[0], hi = (size_t)nd->pick[1];
    size_t k = lo == hi ? lo : lo + (size_t)aug_rng_below(rng, hi - lo + 1);
    if (k > nd->nkids)
        k = nd->nkids;
    size_t stack[16], *order = nd->nkids <= 16 ? stack : malloc(nd->nkids * sizeof *order);
    if (!order)
        return aug_fail(d->err, AUG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nd->nkids; i++)
        order[i] = i;
    /* k members without replacement, in random order (partial shuffle) */
    for (size_t i = 0; i < k; i++) {
        size_t j = i + (size_t)aug_rng_below(rng, nd->nkids - i);
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    aug_status st = draw_members(d, nd, order, k, 0, text);
    if (order != stack)
        free(order);
    return st;
}

/* forced: chosen by one-of, so its own --prob (a weight there) is not
 * drawn again. */
static aug_status draw_node(drawing *d, const node *nd, int forced, aug_buf *text)
{
    aug_rng rng;
    aug_rng_derive_stream(&rng, d->seed, d->key, d->copy, nd->index);
    int applied = forced || nd->prob >= 1.0 || aug_rng_uniform(&rng) < nd->prob;
    const char *name = nd->kind == NODE_STAGE ? nd->op->name : group_names[nd->kind == NODE_SOME_OF];
    int named = !d->chain->single;
    if (!applied) {
        if (named)
            aug_buf_addf(text, "%s(skipped)", name);
        else
            aug_buf_add(text, "skipped", 7);
        return AUG_OK;
    }
    if (nd->kind != NODE_STAGE) {
        aug_buf_addf(text, "%s", name);
        return nd->kind == NODE_ONE_OF ? draw_one_of(d, nd, &rng, text)
                                       : draw_some_of(d, nd, &rng, text);
    }
    if (!named)
        return draw_stage(d, nd, &rng, text);
    aug_buf params = {0};
    aug_status st = draw_stage(d, nd, &rng, &params);
    aug_buf_addf(text, "%s(%s)", name, params.data ? params.data : "");
    if (params.failed)
        text->failed = 1;
    aug_buf_free(&params);
    return st;
}

aug_status aug_chain_draw(const aug_chain *c, uint64_t seed, const char *key, uint64_t copy,
                          const aug_geom *in, aug_plan **out, aug_error *err)
{
    *out = NULL;
    aug_plan *pl = calloc(1, sizeof *pl);
    if (!pl)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    pl->geom = *in;
    drawing d = {c, seed, copy, key, pl, err};
    aug_status st = AUG_OK;
    for (size_t i = 0; !st && i < c->n; i++) {
        if (i)
            aug_buf_add(&pl->text, " | ", 3);
        st = draw_node(&d, &c->items[i], 0, &pl->text);
    }
    if (!st && pl->text.failed)
        st = aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    if (st) {
        aug_plan_free(pl);
        return st;
    }
    *out = pl;
    return AUG_OK;
}

int aug_plan_is_identity(const aug_plan *p)
{
    return p->n == 0;
}

void aug_plan_geometry(const aug_plan *p, aug_geom *out)
{
    *out = p->geom;
}

int aug_plan_dihedral(const aug_plan *p)
{
    aug_dihedral all = AUG_D4_IDENTITY;
    for (size_t i = 0; i < p->n; i++) {
        const step *s = &p->steps[i];
        int d = s->op->dihedral ? s->op->dihedral(s->params, &s->in) : -1;
        if (d < 0)
            return -1;
        all = aug_dihedral_then(all, (aug_dihedral)d);
    }
    return (int)all;
}

const char *aug_plan_text(const aug_plan *p)
{
    return p->text.data ? p->text.data : "";
}

static aug_status copy_image(const aug_image *src, aug_image *dst, aug_error *err)
{
    aug_status st = aug_image_alloc(dst, src->width, src->height, src->channels, err);
    if (!st)
        memcpy(dst->data, src->data, aug_image_size(src));
    return st;
}

aug_status aug_plan_apply(const aug_plan *p, const aug_image *src, aug_image *dst,
                          aug_error *err)
{
    /* The source is read, never written: in-place steps work on a copy
     * made when the first of them comes; a step that makes a new image
     * reads straight from the source. */
    aug_image cur = {0};
    const aug_image *in = src;
    aug_status st = AUG_OK;
    for (size_t i = 0; !st && i < p->n; i++) {
        const step *s = &p->steps[i];
        if (s->op->apply_inplace) {
            if (in == src && !(st = copy_image(src, &cur, err)))
                in = &cur;
            if (!st)
                st = s->op->apply_inplace(s->params, &cur, err);
        } else {
            aug_image next;
            st = s->op->apply(s->params, in, &next, err);
            if (!st) {
                aug_image_free(&cur);
                cur = next;
                in = &cur;
            }
        }
    }
    if (!st && in == src)
        st = copy_image(src, &cur, err);
    if (st) {
        aug_image_free(&cur);
        *dst = (aug_image){0};
        return st;
    }
    *dst = cur;
    return AUG_OK;
}

void aug_plan_free(aug_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->steps[i].params);
    free(p->steps);
    aug_buf_free(&p->text);
    free(p);
}

/* ---- labels through a plan ---- */

int aug_plan_moves_points(const aug_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->steps[i].op->map_points)
            return 1;
    return 0;
}

int aug_plan_changes_masks(const aug_plan *p, const aug_mask_opts *o)
{
    for (size_t i = 0; i < p->n; i++) {
        const aug_op *op = p->steps[i].op;
        /* erase is the one op whose masks follow only on request */
        if (op->apply_mask && (op->map_points || o->erase))
            return 1;
    }
    return 0;
}

size_t aug_plan_steps(const aug_plan *p)
{
    return p->n;
}

void aug_plan_step(const aug_plan *p, size_t i, const aug_op **op, const void **params,
                   aug_geom *in, aug_geom *out)
{
    const step *s = &p->steps[i];
    *op = s->op;
    *params = s->params;
    *in = s->in;
    *out = i + 1 < p->n ? p->steps[i + 1].in : p->geom;
}

aug_status aug_plan_map_points(const aug_plan *p, double *xy, size_t n, aug_error *err)
{
    for (size_t i = 0; i < p->n; i++) {
        const step *s = &p->steps[i];
        if (s->op->map_points) {
            aug_status st = s->op->map_points(s->params, &s->in, xy, n, err);
            if (st)
                return st;
        }
    }
    return AUG_OK;
}

aug_status aug_plan_apply_mask(const aug_plan *p, const aug_mask_opts *o, const aug_image *src,
                               aug_image *dst, aug_error *err)
{
    aug_image cur = {0};
    const aug_image *in = src;
    aug_status st = AUG_OK;
    for (size_t i = 0; !st && i < p->n; i++) {
        const step *s = &p->steps[i];
        if (!s->op->apply_mask)
            continue;
        aug_image next;
        st = s->op->apply_mask(s->params, o, in, &next, err);
        if (!st) {
            aug_image_free(&cur);
            cur = next;
            in = &cur;
        }
    }
    if (!st && in == src)
        st = copy_image(src, &cur, err);
    if (st) {
        aug_image_free(&cur);
        *dst = (aug_image){0};
        return st;
    }
    *dst = cur;
    return AUG_OK;
}
