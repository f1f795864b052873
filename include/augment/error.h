/* augment — error codes and the error record every fallible call fills. */
#ifndef AUGMENT_ERROR_H
#define AUGMENT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every function that can fail returns one of these; AUG_OK is zero so
 * `if (aug_x(...))` reads as "if it failed". */
typedef enum aug_status {
    AUG_OK = 0,
    AUG_ERR_NOMEM,    /* allocation failed or size overflowed */
    AUG_ERR_ARG,      /* a parameter is outside its documented range */
    AUG_ERR_IO,       /* open/read/write/rename failed */
    AUG_ERR_FORMAT,   /* the bytes are not a valid image or table */
    AUG_ERR_LIMIT,    /* the input exceeds a configured limit */
    AUG_ERR_UNSUPPORTED /* valid, but something we do not handle */
} aug_status;

/* The reason for the last failure, owned by the caller (no global state,
 * so kernels stay reentrant). Pass NULL where the reason is not wanted. */
#define AUG_ERROR_MAX 512
typedef struct aug_error {
    aug_status code;
    int errnum; /* the system's errno behind an AUG_ERR_IO, else 0 */
    char msg[AUG_ERROR_MAX];
} aug_error;

/* Record a failure (printf-style) and return `code`, so that callers can
 * write `return aug_fail(err, AUG_ERR_ARG, "bad k %d", k);`. */
aug_status aug_fail(aug_error *err, aug_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The same, recording the errno behind an I/O failure. */
aug_status aug_fail_errno(aug_error *err, aug_status code, int errnum, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* A short constant description of a status code. */
const char *aug_status_str(aug_status code);

#ifdef __cplusplus
}
#endif
#endif
