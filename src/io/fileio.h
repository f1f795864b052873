/* Internal: files in and out, and walking input folders (src/io/). */
#ifndef AUGMENT_IO_FILEIO_H
#define AUGMENT_IO_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "augment/error.h"

/* Read a whole file ("-" = stdin) into a malloc'd buffer. */
aug_status aug_read_file(const char *path, uint8_t **buf, size_t *len,
                         aug_error *err);

/* Write a file so that no reader ever sees it half-written: the bytes go to
 * a hidden temporary in the same folder, which is renamed over `path` only
 * once complete. "-" writes to stdout. */
aug_status aug_write_file_atomic(const char *path, const uint8_t *buf,
                                 size_t len, aug_error *err);

/* The same for text built with stdio: aug_atomic_open gives a FILE on the
 * temporary; aug_atomic_commit closes it and renames it into place (or
 * removes it, when `ok` is 0 or any write failed). */
typedef struct aug_atomic {
    FILE *fp;
    char *path;
    char *tmp; /* NULL for stdout */
} aug_atomic;

aug_status aug_atomic_open(aug_atomic *a, const char *path, aug_error *err);
aug_status aug_atomic_commit(aug_atomic *a, int ok, aug_error *err);

/* Remove the temporaries (aug_atomic_open) that a process of this host,
 * now dead, left in `dir` (killed with -9, say). Returns how many. */
size_t aug_remove_stale_temps(const char *dir);

/* Create a directory and its parents (mkdir -p). */
aug_status aug_mkdirs(const char *path, aug_error *err);

/* One image found under an INPUT argument. */
typedef struct aug_input {
    char *path;  /* as opened: the argument joined with rel */
    char *rel;   /* relative to the argument (a file argument: its basename) */
    char *key;   /* what keys its random streams when it is not rel (stdin); else NULL */
    dev_t dev;   /* identity, to refuse writing over an input */
    ino_t ino;
} aug_input;

/* Files a folder walk passed over because their names are not of an image
 * format we read, counted by extension (for the message when a folder
 * holds no image at all). */
typedef struct aug_skipped {
    char ext[16]; /* ".txt", or "" for names without one */
    size_t n;
} aug_skipped;

typedef struct aug_input_list {
    aug_input *items;
    size_t n, cap;
    aug_skipped *skipped;
    size_t nskipped;
    char **loops;     /* folders reached again through a link: walked once */
    size_t nloops;
    char **dangling;  /* links to nothing met on the way */
    size_t ndangling;
    char **foreign;   /* images of a format we do not read (.heic, .avif, ...) */
    size_t nforeign;
} aug_input_list;

/* A folder by identity (device and inode). */
typedef struct aug_folder_id {
    dev_t dev;
    ino_t ino;
} aug_folder_id;

/* Add the argument: a file as it is, a directory walked recursively for the
 * extensions we read (hidden entries skipped, names sorted so that runs list
 * files in the same order), "-" for stdin. `skip` lists `nskip` folders
 * never to enter (the output folder or a mask folder, when one lies inside
 * an input). */
aug_status aug_inputs_add(aug_input_list *list, const char *arg, const aug_folder_id *skip,
                          size_t nskip, aug_error *err);
void aug_inputs_free(aug_input_list *list);
/* Add one file as an input with the given relative name (and key, which
 * may be NULL). */
aug_status aug_inputs_push(aug_input_list *list, const char *path, const char *rel,
                           const char *key, aug_error *err);
/* Read at most max bytes of the start of a file (for headers). */
aug_status aug_read_head(const char *path, size_t max, uint8_t **buf, size_t *len,
                         aug_error *err);

/* Join a directory and a relative path with one '/'. malloc'd. */
char *aug_path_join(const char *dir, const char *rel);

#endif
