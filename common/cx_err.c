/* cx_err.c -- error records. See cx_err.h. */
#include "cx_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cx_err_clear(cx_err *err)
{
    if (!err)
        return;
    err->code = 0;
    err->source[0] = '\0';
    err->line = 0;
    err->msg[0] = '\0';
}

int cx_err_set(cx_err *err, int code, const char *source, long line, const char *fmt, ...)
{
    if (!err || err->code != 0)
        return code;
    err->code = code;
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void cx_err_format(const cx_err *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    if (!err || err->code == 0) {
        snprintf(buf, size, "no error");
        return;
    }
    if (err->source[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->source, err->line, err->msg);
    else if (err->source[0])
        snprintf(buf, size, "%s: %s", err->source, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
}

const char *cx_strerror(int code)
{
    switch (code) {
    case CX_OK: return "success";
    case CX_EINVAL: return "invalid argument";
    case CX_EIO: return "I/O error";
    case CX_ENOMEM: return "out of memory";
    case CX_EFORMAT: return "malformed input";
    case CX_EDB: return "gazetteer error";
    case CX_EOUT: return "output error";
    case CX_ENOTFOUND: return "not found";
    default: return "unknown error";
    }
}
