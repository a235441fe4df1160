/* cx_err.h -- the error record every stage fills, and the status codes.
 * The first error wins: cx_err_set() keeps an existing message so the root
 * cause survives. Library code never prints; only cli/ does. */
#ifndef CX_ERR_H
#define CX_ERR_H

#include <stddef.h>

enum {
    CX_OK = 0,
    CX_EINVAL = -1,   /* bad argument or option value */
    CX_EIO = -2,      /* file unreadable / unwritable */
    CX_ENOMEM = -3,   /* allocation failed */
    CX_EFORMAT = -4,  /* malformed input (bad UTF-8, bad JSON, bad row) */
    CX_EDB = -5,      /* gazetteer / SQLite error */
    CX_EOUT = -6,     /* output layer write or close failed */
    CX_ENOTFOUND = -7 /* no such thing (file, place, driver) */
};

typedef struct cx_err {
    int code;          /* 0 when no error is recorded */
    char source[256];  /* file, layer or table the error is about; may be "" */
    long line;         /* 1-based line in `source`, 0 when unknown */
    char msg[512];     /* human-readable reason, no trailing newline */
} cx_err;

/** Reset `err` to "no error". NULL is a no-op. */
void cx_err_clear(cx_err *err);

/** Record an error unless one is already recorded (first error wins).
 *  `source` may be NULL. Returns `code`, so `return cx_err_set(...)` works.
 *  NULL `err` is allowed: the code is still returned. */
int cx_err_set(cx_err *err, int code, const char *source, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/** Format `err` as "source:line: msg" (parts omitted when empty) into `buf`. */
void cx_err_format(const cx_err *err, char *buf, size_t size);

/** A short constant name for a status code ("I/O error", ...). */
const char *cx_strerror(int code);

#endif
