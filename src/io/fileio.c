/* Reading whole files and writing them atomically. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/fileio.h"

char *aug_path_join(const char *dir, const char *rel)
{
    size_t a = strlen(dir), b = strlen(rel);
    while (a > 1 && dir[a - 1] == '/')
        a--;
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    size_t n = a;
    if (a && b && dir[a - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, rel, b + 1);
    return p;
}

aug_status aug_read_file(const char *path, uint8_t **buf, size_t *len,
                         aug_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    *buf = NULL;
    *len = 0;
    if (!fp)
        return aug_fail_errno(err, AUG_ERR_IO, errno, "cannot open: %s", strerror(errno));
    size_t cap = 65536, n = 0;
    struct stat st;
    /* Size the buffer from the file when we can, so a regular file is read
     * in one go; pipes grow geometrically. */
    if (!is_stdin && fstat(fileno(fp), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(fp);
            return aug_fail(err, AUG_ERR_IO, "is a directory");
        }
        if (S_ISREG(st.st_mode))
            cap = (size_t)st.st_size + 1;
    }
    uint8_t *data = malloc(cap);
    for (;;) {
        if (data && n == cap) {
            uint8_t *p = cap * 2 > cap ? realloc(data, cap * 2) : NULL;
            if (!p)
                free(data);
            data = p;
            cap *= 2;
        }
        if (!data) {
            if (!is_stdin)
                fclose(fp);
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory reading the file (%zu bytes)", cap);
        }
        size_t got = fread(data + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(fp);
    int saved = errno;
    if (!is_stdin)
        fclose(fp);
    if (bad) {
        free(data);
        return aug_fail_errno(err, AUG_ERR_IO, saved, "read error: %s", strerror(saved));
    }
    *buf = data;
    *len = n;
    return AUG_OK;
}

aug_status aug_read_head(const char *path, size_t max, uint8_t **buf, size_t *len,
                         aug_error *err)
{
    *buf = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return aug_fail_errno(err, AUG_ERR_IO, errno, "cannot open: %s", strerror(errno));
    uint8_t *data = malloc(max ? max : 1);
    if (!data) {
        fclose(fp);
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    }
    size_t n = fread(data, 1, max, fp);
    int bad = ferror(fp), saved = errno;
    fclose(fp);
    if (bad) {
        free(data);
        return aug_fail_errno(err, AUG_ERR_IO, saved, "read error: %s", strerror(saved));
    }
    *buf = data;
    *len = n;
    return AUG_OK;
}

/* Temporaries are named ".augtmp-HOST-PID-N": in the target's folder (so
 * the rename is atomic), hidden (so a folder walk never picks one up), of
 * a bounded length whatever the output's name (a 250-byte name must not
 * make a temporary over the 255-byte limit), and recognisable, so that a
 * later run can remove those a killed run left behind (aug_remove_stale_temps):
 * the host and process that own each are in its name. */
#define TEMP_PREFIX ".augtmp-"

/* This host's name as it goes into a temporary's name ('-' separates the
 * fields there, so it becomes '_'). Asked each time: a system call is
 * cheap next to writing a file, and there is no shared state to guard. */
static void host_name(char host[65])
{
    memset(host, 0, 65);
    if (gethostname(host, 64) != 0 || !host[0])
        snprintf(host, 65, "localhost");
    for (char *p = host; *p; p++)
        if (*p == '/' || *p == '-')
            *p = '_';
}

/* O_EXCL with a process-wide counter instead of mkstemp: mkstemp creates
 * mode 0600, while outputs should get the usual 0666 & ~umask. */
static int open_temp(const char *path, char **tmp_out)
{
    static unsigned long counter;
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    char host[65];
    host_name(host);
    size_t size = dirlen + sizeof TEMP_PREFIX + strlen(host) + 48;
    char *tmp = malloc(size);
    if (!tmp)
        return -1;
    for (unsigned tries = 0; tries < 100; tries++) {
        unsigned long n = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        snprintf(tmp, size, "%.*s" TEMP_PREFIX "%s-%ld-%lu", (int)dirlen, path, host,
                 (long)getpid(), n);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    int saved = errno;
    free(tmp);
    errno = saved;
    return -1;
}

size_t aug_remove_stale_temps(const char *dir)
{
    char host[65];
    host_name(host);
    size_t hl = strlen(host), removed = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strncmp(name, TEMP_PREFIX, sizeof TEMP_PREFIX - 1) != 0)
            continue;
        name += sizeof TEMP_PREFIX - 1;
        /* Only this host's: a process elsewhere on a shared folder is not
         * ours to judge. */
        if (strncmp(name, host, hl) != 0 || name[hl] != '-')
            continue;
        char *end;
        errno = 0;
        long pid = strtol(name + hl + 1, &end, 10);
        if (errno || end == name + hl + 1 || *end != '-' || pid <= 0)
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its owner lives: a run in progress */
        char *path = aug_path_join(dir, e->d_name);
        if (path && unlink(path) == 0)
            removed++;
        free(path);
    }
    closedir(d);
    return removed;
}

aug_status aug_atomic_open(aug_atomic *a, const char *path, aug_error *err)
{
    a->fp = NULL;
    a->tmp = NULL;
    a->path = strdup(path);
    if (!a->path)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    if (strcmp(path, "-") == 0) {
        a->fp = stdout;
        return AUG_OK;
    }
    int fd = open_temp(path, &a->tmp);
    if (fd < 0 || !(a->fp = fdopen(fd, "wb"))) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        free(a->tmp);
        free(a->path);
        a->tmp = a->path = NULL;
        if (saved == ENOMEM)
            return aug_fail(err, AUG_ERR_NOMEM, "out of memory creating the file");
        return aug_fail_errno(err, AUG_ERR_IO, saved, "cannot create: %s", strerror(saved));
    }
    return AUG_OK;
}

aug_status aug_atomic_commit(aug_atomic *a, int ok, aug_error *err)
{
    aug_status st = AUG_OK;
    if (!a->fp)
        return AUG_OK;
    if (a->fp == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            st = aug_fail_errno(err, AUG_ERR_IO, errno, "write error on stdout: %s",
                                strerror(errno));
    } else {
        int bad = ferror(a->fp);
        int saved = errno;
        if (fclose(a->fp) != 0 && !bad) {
            bad = 1;
            saved = errno;
        }
        if (ok && bad)
            st = aug_fail_errno(err, AUG_ERR_IO, saved, "write error: %s", strerror(saved));
        else if (ok && rename(a->tmp, a->path) != 0)
            st = aug_fail_errno(err, AUG_ERR_IO, errno, "cannot rename into place: %s",
                                strerror(errno));
        if (!ok || st != AUG_OK)
            unlink(a->tmp);
    }
    free(a->tmp);
    free(a->path);
    a->fp = NULL;
    a->tmp = a->path = NULL;
    return st;
}

aug_status aug_write_file_atomic(const char *path, const uint8_t *buf,
                                 size_t len, aug_error *err)
{
    aug_atomic a;
    aug_status st = aug_atomic_open(&a, path, err);
    if (st)
        return st;
    int ok = fwrite(buf, 1, len, a.fp) == len;
    int saved = errno;
    st = aug_atomic_commit(&a, ok, err);
    if (!ok && st == AUG_OK)
        st = aug_fail_errno(err, AUG_ERR_IO, saved, "write error: %s", strerror(saved));
    return st;
}

aug_status aug_mkdirs(const char *path, aug_error *err)
{
    char *p = strdup(path);
    if (!p)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory");
    for (char *s = p + 1;; s++) {
        int end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            struct stat st;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int saved = errno;
                aug_status r = aug_fail_errno(err, AUG_ERR_IO, saved,
                                              "cannot create folder %s: %s", p, strerror(saved));
                free(p);
                return r;
            }
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                aug_status r = aug_fail(err, AUG_ERR_IO, "%s is not a folder", p);
                free(p);
                return r;
            }
            if (end)
                break;
            *s = '/';
        }
    }
    free(p);
    return AUG_OK;
}
