/* Error records: the reason travels with the caller's aug_error, never in a
 * global, so two threads failing at once keep their own messages. */
#include <stdarg.h>
#include <stdio.h>

#include "augment/error.h"

aug_status aug_fail(aug_error *err, aug_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->errnum = 0;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

aug_status aug_fail_errno(aug_error *err, aug_status code, int errnum, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->errnum = errnum;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *aug_status_str(aug_status code)
{
    switch (code) {
    case AUG_OK: return "success";
    case AUG_ERR_NOMEM: return "out of memory";
    case AUG_ERR_ARG: return "invalid argument";
    case AUG_ERR_IO: return "input/output error";
    case AUG_ERR_FORMAT: return "invalid data";
    case AUG_ERR_LIMIT: return "limit exceeded";
    case AUG_ERR_UNSUPPORTED: return "unsupported";
    }
    return "unknown error";
}
