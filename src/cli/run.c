/* The run loop every image command sits on:
 *
 *   inputs -> keys -> shard -> units (input, copy) -> work queue on -j
 *   threads -> read and decode each input once -> the job (draw, make) ->
 *   encode once -> atomic write -> manifest rows in input order
 *
 * Threads take units in order from a counter and may run ahead of the
 * oldest unfinished unit by at most a window; finished units are recorded
 * in order by whichever thread completes the oldest, so the manifest, the
 * messages and the bytes are the same for every -j. The loop knows nothing
 * of what a job does to the pixels. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "cli/cli.h"

const uint8_t *cli_stdin_bytes(size_t *len);

/* Header bytes read for a probe: enough for every format's header and a
 * JPEG's usual metadata; a file whose header lies further is read whole. */
#define HEAD_BYTES 65536

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig; /* SA_RESETHAND: a second one ends the process at once */
}

int cli_in_shard(const cli_common *c, const char *key)
{
    if (c->shard[1] == 0)
        return 1;
    return XXH3_64bits(key, strlen(key)) % c->shard[1] == c->shard[0];
}

int cli_error_is_fatal(const aug_error *err)
{
    switch (err->errnum) {
    case ENOSPC:
    case EDQUOT:
    case EROFS:
    case EACCES:
    case EPERM:
        return 1;
    }
    return 0;
}

/* ---- one input, read and decoded once for all its copies ---- */
typedef struct slot {
    pthread_mutex_t mu;
    int probed, decoded, whole;
    aug_status st;     /* a failure is final: later copies fail alike */
    char *msg;
    uint8_t *bytes;
    size_t len;
    int borrowed;      /* bytes are stdin's, not ours to free */
    aug_header header;
    aug_image image;
    size_t left;       /* copies not finished yet */
} slot;

typedef struct result {
    int done;
    aug_status st;
    char *msg;         /* to print, NULL when another copy reports it */
    int note16, existed;
    int fatal;         /* stopped by an error that hits every output */
    void *plan;
    char *path;
} result;

enum { FLAG_FAILED = 1, FLAG_NOTED16 = 2 };

typedef struct run {
    const cli_common *c;
    const aug_input_list *list;
    const cli_job *job;
    size_t *sel, nsel;     /* the inputs of this shard */
    size_t per, units;     /* units per input: the copies, and the original */
    long first;            /* the first unit's copy: -1 with --include-original */
    slot **slots;
    result *ring;
    size_t window;
    size_t next, flushed;  /* units taken, units recorded */
    int stop;              /* fatal error or signal */
    char *fatal;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    cli_manifest manifest;
    unsigned char *input_flags; /* per selected input: FLAG_FAILED, FLAG_NOTED16 */
    char *last_msg;             /* the last message printed, and for which input */
    size_t last_ord;
    cli_run_result res;
    /* progress */
    int show_progress;
    struct timespec start, last;
    size_t progress_len;
} run;

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static slot *slot_get(run *r, size_t ord)
{
    pthread_mutex_lock(&r->mu);
    slot *s = r->slots[ord];
    if (!s && (s = calloc(1, sizeof *s))) {
        pthread_mutex_init(&s->mu, NULL);
        s->left = r->per;
        r->slots[ord] = s;
    }
    pthread_mutex_unlock(&r->mu);
    return s;
}

static void slot_free(slot *s)
{
    pthread_mutex_destroy(&s->mu);
    if (!s->borrowed)
        free(s->bytes);
    aug_image_free(&s->image);
    free(s->msg);
    free(s);
}

/* The last copy to finish frees the input. */
static void slot_release(run *r, size_t ord, slot *s)
{
    pthread_mutex_lock(&s->mu);
    size_t left = --s->left;
    pthread_mutex_unlock(&s->mu);
    if (left)
        return;
    pthread_mutex_lock(&r->mu);
    r->slots[ord] = NULL;
    pthread_mutex_unlock(&r->mu);
    slot_free(s);
}

static aug_status read_bytes(slot *s, const char *path, int whole, aug_error *err)
{
    if (strcmp(path, "-") == 0) {
        s->bytes = (uint8_t *)cli_stdin_bytes(&s->len);
        s->borrowed = s->whole = 1;
        return AUG_OK;
    }
    if (!s->borrowed)
        free(s->bytes);
    s->bytes = NULL;
    aug_status st = whole ? aug_read_file(path, &s->bytes, &s->len, err)
                          : aug_read_head(path, HEAD_BYTES, &s->bytes, &s->len, err);
    s->whole = whole || s->len < HEAD_BYTES;
    return st;
}

/* How much of an input a unit needs. */
enum { NEED_HEADER, NEED_BYTES, NEED_PIXELS };

/* Make the slot ready for a copy: its header (from the first bytes only
 * when that is all it needs), its whole bytes, or its pixels too.
 * *reported: another copy already met (and reports) the error. */
static aug_status slot_ready(run *r, slot *s, const aug_input *in, int need,
                             int *reported, aug_error *err)
{
    aug_status st = AUG_OK;
    size_t max = r->c->max_pixels;
    pthread_mutex_lock(&s->mu);
    *reported = s->st != AUG_OK;
    if (s->st) {
        st = aug_fail(err, s->st, "%s", s->msg ? s->msg : "");
        pthread_mutex_unlock(&s->mu);
        return st;
    }
    if (need >= NEED_BYTES && !s->whole && (st = read_bytes(s, in->path, 1, err)))
        goto out;
    if (!s->probed) {
        if (!s->bytes && (st = read_bytes(s, in->path, 0, err)))
            goto out;
        /* a header past the first bytes: read it all and try again */
        if ((st = aug_probe(s->bytes, s->len, max, &s->header, err)) && !s->whole &&
            !(st = read_bytes(s, in->path, 1, err)))
            st = aug_probe(s->bytes, s->len, max, &s->header, err);
        if (st)
            goto out;
        s->probed = 1;
    }
    if (need == NEED_PIXELS && !s->decoded) {
        aug_decode_info info;
        if ((st = aug_decode(s->bytes, s->len, max, &s->image, &info, err)))
            goto out;
        /* the draw saw the header (as a dry run does): it must be the truth */
        if (s->header.width != s->image.width || s->header.height != s->image.height ||
            s->header.channels != s->image.channels) {
            st = aug_fail(err, AUG_ERR_FORMAT, "the header says %dx%dx%d, the pixels %dx%dx%d",
                          s->header.width, s->header.height, s->header.channels,
                          s->image.width, s->image.height, s->image.channels);
            goto out;
        }
        s->decoded = 1;
    }
out:
    if (st && !*reported) {
        s->st = st;
        s->msg = strdup(err->msg);
    }
    pthread_mutex_unlock(&s->mu);
    return st;
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* Do unit u; the result goes to *res. Runs without the run lock. */
static void process(run *r, size_t u, result *res, char **last_dir)
{
    const cli_common *c = r->c;
    const cli_job *job = r->job;
    size_t ord = u / r->per, i = r->sel[ord];
    long k = r->first + (long)(u % r->per);
    const aug_input *in = &r->list->items[i];
    aug_error err = {0};
    aug_format fmt = AUG_FMT_UNKNOWN;
    cli_source src = {0};
    slot *s = NULL;
    int reported = 0;
    *res = (result){0};
    aug_status st = job->output(job->ctx, i, k, &res->path, &fmt, &err);
    res->existed = !st && c->skip_existing && is_file(res->path);
    int make = !res->existed && !c->dry_run;
    if (!st && job->decodes) {
        /* an output to make reads the whole file at once; a row alone
         * (dry run, an existing output) the header only */
        if (!(s = slot_get(r, ord)))
            st = aug_fail(&err, AUG_ERR_NOMEM, "out of memory");
        else
            st = slot_ready(r, s, in, make ? NEED_BYTES : NEED_HEADER, &reported,
                            &err);
        if (!st)
            src = (cli_source){s->bytes, s->len, s->header, NULL};
    }
    if (!st)
        st = job->draw(job->ctx, i, k, &src, &res->plan, &err);
    if (!st && make) {
        if (job->decodes && (!job->needs_pixels || job->needs_pixels(job->ctx, res->plan)) &&
            !(st = slot_ready(r, s, in, NEED_PIXELS, &reported, &err)))
            src.image = &s->image;
        aug_image out = {0};
        cli_encoded enc = {NULL, 0};
        cli_files files = {.n = 0};
        int same = 0;
        if (!st)
            st = job->make(job->ctx, i, res->plan, &src, &out, &same, &enc, &files, &err);
        uint8_t *own = NULL;
        aug_image decoded = {0};
        if (!st && same && !src.bytes) {
            /* The input unchanged, from a job that reads its own inputs:
             * the bytes are read here, decoded only to change the format. */
            st = aug_read_file(in->path, &own, &src.len, &err);
            if (!st)
                st = aug_probe(own, src.len, c->max_pixels, &src.header, &err);
            if (!st && src.header.format != fmt &&
                !(st = aug_decode(own, src.len, c->max_pixels, &decoded, NULL, &err)))
                src.image = &decoded;
            src.bytes = own;
        }
        if (!st && same && !src.image && src.header.format != fmt &&
            !(st = slot_ready(r, s, in, NEED_PIXELS, &reported, &err)))
            src.image = &s->image;
        if (!st && !enc.bytes && !(same && fmt == src.header.format)) {
            st = cli_encode_image(c, same ? src.image : &out, fmt, &enc.bytes, &enc.len, &err);
            /* the pixels went out at 8 bits: say so once per input */
            res->note16 = src.header.bits == 16;
        }
        if (!st && enc.bytes)
            /* encoded here, or by the job itself (a lossless JPEG transform) */
            st = cli_write_with(res->path, enc.bytes, enc.len, &files, last_dir, &err);
        else if (!st)
            /* Unchanged and the same format: the input's own bytes, so a
             * JPEG does not lose quality to a second encode. */
            st = cli_write_with(res->path, src.bytes, src.len, &files, last_dir, &err);
        cli_files_free(&files);
        aug_image_free(&out);
        aug_image_free(&decoded);
        free(enc.bytes);
        free(own);
    }
    if (s)
        slot_release(r, ord, s);
    res->st = st;
    if (st && cli_error_is_fatal(&err)) {
        char *dir = parent_of(res->path ? res->path : c->output);
        pthread_mutex_lock(&r->mu);
        if (!r->fatal) {
            aug_buf b = {0};
            aug_buf_addf(&b, "cannot write to %s: %s; stopping", dir ? dir : c->output,
                         strerror(err.errnum));
            r->fatal = b.data;
        }
        r->stop = 1;
        pthread_mutex_unlock(&r->mu);
        free(dir);
        reported = res->fatal = 1;
    }
    if (st && !reported)
        res->msg = strdup(err.msg);
}

static void progress_line(run *r, int final)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!final && r->progress_len && seconds(&r->last, &now) < 0.1)
        return;
    r->last = now;
    if (final) {
        if (r->progress_len)
            fputs("\r\033[K", stderr);
        r->progress_len = 0;
        return;
    }
    double t = seconds(&r->start, &now), rate = t > 0 ? (double)r->flushed / t : 0;
    char eta[32] = "";
    if (rate > 0 && r->flushed < r->units) {
        long left = (long)((double)(r->units - r->flushed) / rate + 0.5);
        snprintf(eta, sizeof eta, ", %ld:%02ld left", left / 60, left % 60);
    }
    fprintf(stderr, "\r\033[K%s: %zu/%zu (%.0f%%), %.1f images/s%s", r->c->prog, r->flushed,
            r->units, r->units ? 100.0 * (double)r->flushed / (double)r->units : 100.0, rate,
            eta);
    fflush(stderr);
    r->progress_len = 1;
}

/* Record finished units in order (under the run lock). */
static void flush(run *r)
{
    const cli_common *c = r->c;
    while (r->flushed < r->next && r->ring[r->flushed % r->window].done) {
        result *res = &r->ring[r->flushed % r->window];
        size_t u = r->flushed, ord = u / r->per, i = r->sel[ord];
        long k = r->first + (long)(u % r->per);
        const aug_input *in = &r->list->items[i];
        int note16 = res->note16 && !(r->input_flags[ord] & FLAG_NOTED16);
        if (res->msg || note16 || (res->st == AUG_OK && c->verbosity > 1))
            progress_line(r, 1);
        if (note16) {
            r->input_flags[ord] |= FLAG_NOTED16;
            cli_note(c, "%s: 16-bit image reduced to 8 bits per sample", in->path);
        }
        /* the copies of an input that fail alike (a bad label) say it once */
        if (res->msg && !(r->last_msg && r->last_ord == ord && strcmp(r->last_msg, res->msg) == 0))
            cli_error(c, "%s: %s", in->path, res->msg);
        if (res->msg) {
            free(r->last_msg);
            r->last_msg = res->msg;
            r->last_ord = ord;
            res->msg = NULL;
        }
        if (res->st) {
            if (!res->fatal && !(r->input_flags[ord] & FLAG_FAILED)) {
                r->input_flags[ord] |= FLAG_FAILED;
                r->res.failed++;
            }
        } else {
            const char *cols[16];
            aug_buf verbose = {0};
            r->job->record(r->job->ctx, i, k, res->plan, res->path, cols, &verbose);
            cli_manifest_row(&r->manifest, cols, r->job->ncols);
            if (c->verbosity > 1 && verbose.data)
                cli_note(c, "%s", verbose.data);
            aug_buf_free(&verbose);
            if (res->existed || r->c->dry_run)
                r->res.existing++;
            else
                r->res.outputs++;
        }
        if (res->plan)
            r->job->plan_free(res->plan);
        free(res->path);
        free(res->msg);
        *res = (result){0};
        r->flushed++;
    }
    if (r->show_progress)
        progress_line(r, 0);
}

static void *worker(void *arg)
{
    run *r = arg;
    char *last_dir = NULL;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stop && !stop_signal && r->next < r->units &&
               r->next >= r->flushed + r->window) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 100000000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&r->cv, &r->mu, &until);
        }
        if (stop_signal)
            r->stop = 1;
        if (r->stop || r->next >= r->units)
            break;
        size_t u = r->next++;
        pthread_mutex_unlock(&r->mu);
        result res;
        process(r, u, &res, &last_dir);
        pthread_mutex_lock(&r->mu);
        res.done = 1;
        r->ring[u % r->window] = res;
        flush(r);
        pthread_cond_broadcast(&r->cv);
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    free(last_dir);
    return NULL;
}

/* ---- checks before anything is written ---- */

typedef struct named {
    char *path;
    size_t input;
} named;

static int cmp_named(const void *a, const void *b)
{
    return strcmp(((const named *)a)->path, ((const named *)b)->path);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The output of copy k of input i. */
static char *output_of(const cli_common *c, const cli_job *job, const aug_input_list *list,
                       size_t i, long k)
{
    char *p = NULL;
    aug_format fmt;
    aug_error err;
    if (job->output(job->ctx, i, k, &p, &fmt, &err)) {
        /* only memory can fail here, and that is no usage error */
        cli_error(c, "%s: %s", list->items[i].path, err.msg);
        exit(EXIT_SOME_FAILED);
    }
    return p;
}

static void refuse_same(const cli_common *c, const aug_input_list *list, const named *a,
                        const named *b)
{
    cli_usage_error(c, "%s and %s would both write %s", list->items[a->input].path,
                    list->items[b->input].path, a->path);
}

/* Every output distinct (across all inputs, shards or not: the union of
 * the shards is the single run); the manifest not an output; no output
 * or manifest over an input. Usage errors: nothing is written.
 *
 * Copies add "_k" to every name alike, so comparing copy 0 of every input
 * is enough; an original ("x_1.png", --include-original) can only meet a
 * copy k of another input ("x" + "_1"), looked up by its name. */
static void check_outputs(const cli_common *c, const aug_input_list *list, const cli_job *job,
                          const char *const *extra, size_t nextra)
{
    size_t n = list->n;
    named *outs = calloc(n ? n : 1, sizeof *outs);
    named *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!outs || !sorted) {
        free(outs);
        free(sorted);
        return;
    }
    for (size_t i = 0; i < n; i++)
        outs[i] = (named){output_of(c, job, list, i, 0), i};
    memcpy(sorted, outs, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_named);
    for (size_t i = 1; i < n; i++)
        if (strcmp(sorted[i - 1].path, sorted[i].path) == 0)
            refuse_same(c, list, &sorted[i - 1], &sorted[i]);
    for (size_t i = 0; c->include_original && i < n; i++) {
        named orig = {output_of(c, job, list, i, -1), i};
        /* "dir/x_1.png" would also be copy 1 of "dir/x": look up "dir/x_0.png" */
        const char *dot = strrchr(orig.path, '.'), *us = NULL;
        for (const char *q = dot ? dot - 1 : NULL; q && q > orig.path && *q >= '0' && *q <= '9'; q--)
            if (q[-1] == '_')
                us = q - 1;
        char *end;
        long k = us ? strtol(us + 1, &end, 10) : -1;
        if (us && end == dot && k < c->copies && (us[1] != '0' || end == us + 2)) {
            aug_buf twin = {0};
            aug_buf_addf(&twin, "%.*s_0%s", (int)(us - orig.path), orig.path, dot);
            named key = {twin.data, 0};
            named *hit = twin.data ? bsearch(&key, sorted, n, sizeof *sorted, cmp_named) : NULL;
            if (hit) {
                char *copy = output_of(c, job, list, hit->input, k);
                if (strcmp(copy, orig.path) == 0)
                    refuse_same(c, list, &orig, hit);
                free(copy);
            }
            aug_buf_free(&twin);
        }
        free(orig.path);
    }
    free(sorted);
    cli_guard guard;
    int guarded = cli_guard_init(&guard, list) == 0;
    for (size_t e = 0; e < nextra; e++) {
        if (!extra[e] || strcmp(extra[e], "-") == 0)
            continue;
        char *canon = cli_canonical(extra[e]);
        for (size_t f = e + 1; canon && f < nextra; f++)
            if (extra[f] && cli_same_file(c, extra[e], extra[f]))
                cli_usage_error(c, "%s is given for two files of this run", extra[e]);
        for (size_t i = 0; canon && i < n; i++)
            for (long k = c->include_original ? -1 : 0; k < c->copies; k++) {
                char *p = k == 0 ? outs[i].path : output_of(c, job, list, i, k);
                int same = 0;
                if (strcmp(base_name(p), base_name(extra[e])) == 0) {
                    char *o = cli_canonical(p);
                    same = o && strcmp(o, canon) == 0;
                    free(o);
                }
                if (k)
                    free(p);
                if (same)
                    cli_usage_error(c, "refusing to write %s: it is also an output of this run",
                                    extra[e]);
                if (k == 0 && c->copies > 1 && !c->include_original)
                    break; /* "_k" names never end like a manifest's */
            }
        free(canon);
        if (guarded && cli_guard_hits(&guard, extra[e]))
            cli_usage_error(c, "refusing to write %s over one of the inputs", extra[e]);
    }
    /* Outputs over inputs: only possible when the output already exists. */
    for (size_t i = 0; guarded && i < n; i++)
        for (long k = c->include_original ? -1 : 0; k < c->copies; k++) {
            char *p = k == 0 ? outs[i].path : output_of(c, job, list, i, k);
            int hit = cli_guard_hits(&guard, p);
            if (hit)
                cli_usage_error(c, "refusing to write %s over one of the inputs", p);
            if (k)
                free(p);
        }
    if (guarded)
        cli_guard_free(&guard);
    for (size_t i = 0; i < n; i++)
        free(outs[i].path);
    free(outs);
}

int cli_run(const cli_common *c, const aug_input_list *list, size_t bad_args,
            const cli_job *job, cli_run_result *res_out)
{
    run r = {.c = c, .list = list, .job = job,
             .per = (size_t)c->copies + (c->include_original != 0),
             .first = c->include_original ? -1 : 0};
    const char *extra[8] = {c->manifest};
    size_t nextra = 1;
    for (size_t e = 0; e < job->nextra && nextra < 8; e++)
        extra[nextra++] = job->extra[e];
    check_outputs(c, list, job, extra, nextra);

    r.sel = malloc((list->n ? list->n : 1) * sizeof *r.sel);
    if (!r.sel) {
        cli_error(c, "out of memory");
        return EXIT_SOME_FAILED;
    }
    for (size_t i = 0; i < list->n; i++)
        if (cli_in_shard(c, cli_input_key(&list->items[i])))
            r.sel[r.nsel++] = i;
    r.units = r.nsel * r.per;
    int jobs = c->jobs < 1 ? 1 : c->jobs;
    r.window = (size_t)jobs * 64 < 256 ? 256 : (size_t)jobs * 64;
    r.slots = calloc(r.nsel ? r.nsel : 1, sizeof *r.slots);
    r.ring = calloc(r.window, sizeof *r.ring);
    r.input_flags = calloc(r.nsel ? r.nsel : 1, 1);
    if (!r.slots || !r.ring || !r.input_flags) {
        free(r.sel);
        free(r.slots);
        free(r.ring);
        free(r.input_flags);
        cli_error(c, "out of memory");
        return EXIT_SOME_FAILED;
    }
    r.res.inputs = r.nsel;
    /* A dry run writes the manifest only: to --manifest, else to stdout. */
    const char *manifest = c->dry_run && !c->manifest ? "-" : c->manifest;
    int rc = cli_manifest_open(c, &r.manifest, manifest, job->header, job->ncols) ? -1 : 0;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    r.show_progress = c->progress == 1 ||
                      (c->progress < 0 && c->verbosity == 1 && isatty(STDERR_FILENO));
    clock_gettime(CLOCK_MONOTONIC, &r.start);
    r.last = r.start;

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    /* A signal ignored on entry stays ignored: a shell starts background
     * jobs with SIGINT ignored so that Ctrl-C spares them. */
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    if (old_int.sa_handler == SIG_IGN)
        sigaction(SIGINT, &old_int, NULL);
    if (old_term.sa_handler == SIG_IGN)
        sigaction(SIGTERM, &old_term, NULL);

    if (rc == 0) {
        if ((size_t)jobs > r.units)
            jobs = r.units ? (int)r.units : 1;
        pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
        int started = 0;
        for (int t = 1; threads && t < jobs; t++)
            if (pthread_create(&threads[t], NULL, worker, &r) == 0)
                started++;
            else
                break;
        worker(&r);
        for (int t = 1; t <= started; t++)
            pthread_join(threads[t], NULL);
        free(threads);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    r.res.interrupted = stop_signal != 0;
    if (r.show_progress)
        progress_line(&r, 1);

    int committed = rc == 0 && cli_manifest_close(c, &r.manifest, 1) == 0;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double t = seconds(&r.start, &end);
    size_t done = r.res.outputs + r.res.existing;
    if (r.fatal) {
        cli_error(c, "%s (%zu of %zu outputs written)", r.fatal, r.res.outputs, r.units);
        r.res.fatal = 1;
    }
    if (r.res.interrupted)
        cli_error(c, "interrupted: %zu of %zu outputs done%s", done, r.units,
                  c->manifest && committed ? ", the manifest lists them" : "");
    size_t failed = r.res.failed + bad_args;
    if (failed)
        cli_error(c, "%zu of %zu inputs failed", failed, r.nsel + bad_args);
    if (r.show_progress && !r.res.interrupted && !r.fatal && !c->dry_run)
        fprintf(stderr, "%s: %zu outputs%s from %zu inputs, %zu failed, %.1f s, %.1f images/s\n",
                c->prog, r.res.outputs, r.res.existing ? " written (others kept)" : "",
                r.nsel, failed, t, t > 0 ? (double)done / t : 0.0);
    pthread_cond_destroy(&r.cv);
    pthread_mutex_destroy(&r.mu);
    for (size_t i = 0; i < r.nsel; i++)
        if (r.slots[i])
            slot_free(r.slots[i]);
    free(r.fatal);
    free(r.last_msg);
    free(r.slots);
    free(r.ring);
    free(r.sel);
    free(r.input_flags);
    if (res_out)
        *res_out = r.res;
    if (r.res.interrupted)
        return EXIT_INTERRUPTED;
    return rc || !committed || failed || r.res.fatal ? EXIT_SOME_FAILED : EXIT_ALL_DONE;
}

/* ---- a plain pool for independent parts ---- */

typedef struct pool {
    pthread_mutex_t mu;
    size_t next, n;
    void (*task)(void *arg, size_t i);
    void *arg;
} pool;

static void *pool_worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            return NULL;
        p->task(p->arg, i);
    }
}

void cli_parallel(int jobs, size_t n, void (*task)(void *arg, size_t i), void *arg)
{
    pool p = {.n = n, .task = task, .arg = arg};
    pthread_mutex_init(&p.mu, NULL);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    pthread_t threads[1024];
    int started = 0;
    for (int t = 1; t < jobs; t++)
        if (pthread_create(&threads[started], NULL, pool_worker, &p) == 0)
            started++;
    pool_worker(&p);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&p.mu);
}

static void run_parts(void *self, size_t n, void (*task)(void *arg, size_t i), void *arg)
{
    cli_parallel(*(const int *)self, n, task, arg);
}

aug_runner cli_runner(const cli_common *c)
{
    return (aug_runner){run_parts, (void *)&c->jobs};
}
