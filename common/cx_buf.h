/* cx_buf.h -- one growable byte buffer, always NUL-terminated.
 * Replaces strcat/sprintf everywhere. */
#ifndef CX_BUF_H
#define CX_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cx_buf {
    char *data; /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} cx_buf;

#define CX_BUF_INIT {NULL, 0, 0}

/** Make room for `extra` more bytes (plus the NUL). Returns 0 or CX_ENOMEM. */
int cx_buf_reserve(cx_buf *b, size_t extra);
/** Append `len` bytes. Returns 0 or CX_ENOMEM. */
int cx_buf_append(cx_buf *b, const char *s, size_t len);
/** Append a NUL-terminated string. */
int cx_buf_puts(cx_buf *b, const char *s);
/** Append one byte. Inline: tokenizers call it per byte; the slow path
 *  (growth) is cx_buf_append's. */
static inline int cx_buf_putc(cx_buf *b, char c)
{
    if (b->len + 2 <= b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return cx_buf_append(b, &c, 1);
}
/** Append printf-style formatted text. */
int cx_buf_printf(cx_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Empty the buffer, keeping its storage. */
void cx_buf_reset(cx_buf *b);
/** Give the storage to the caller (never NULL on success: "" for empty) and
 *  reset `b`. Returns NULL on allocation failure. Caller frees with free(). */
char *cx_buf_steal(cx_buf *b);
/** Release the storage. NULL-safe. */
void cx_buf_free(cx_buf *b);

#endif
