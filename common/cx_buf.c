/* cx_buf.c -- growable buffer. See cx_buf.h. */
#include "cx_buf.h"
#include "cx_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cx_buf_reserve(cx_buf *b, size_t extra)
{
    if (extra > (size_t)-1 / 2 - b->len)
        return CX_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return CX_ENOMEM;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0';
    return 0;
}

int cx_buf_append(cx_buf *b, const char *s, size_t len)
{
    if (cx_buf_reserve(b, len) != 0)
        return CX_ENOMEM;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int cx_buf_puts(cx_buf *b, const char *s) { return cx_buf_append(b, s, strlen(s)); }


int cx_buf_printf(cx_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cx_buf_reserve(b, (size_t)n) != 0) {
        va_end(ap2);
        return CX_ENOMEM;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

void cx_buf_reset(cx_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *cx_buf_steal(cx_buf *b)
{
    if (!b->data && cx_buf_reserve(b, 0) != 0)
        return NULL;
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cx_buf_free(cx_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
