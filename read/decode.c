/* decode.c -- conversion to UTF-8 through iconv (glibc). See decode.h.
 * What it does not do: guess an encoding. The readers (document.c) decide
 * which one applies (byte-order mark, declared charset, --encoding, else
 * windows-1252) and call this. */
#include "decode.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

bool rdp_decode_is_utf8(const char *name)
{
    char k[16];
    size_t m = 0;
    for (const char *p = name; *p && m + 1 < sizeof k; p++)
        if (isalnum((unsigned char)*p))
            k[m++] = (char)tolower((unsigned char)*p);
    k[m] = '\0';
    return strcmp(k, "utf8") == 0;
}

bool rdp_decode_known(const char *name)
{
    if (!name || !*name)
        return false;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

int rdp_decode(const char *from, const char *s, size_t n, cx_buf *out, size_t *n_bad,
               cx_err *err)
{
    if (n_bad)
        *n_bad = 0;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "unknown encoding '%s'", from);
    /* UTF-8 is at most 3 bytes per UTF-16 unit and per byte of legacy
     * encodings: reserve once, grow only for the rare longer case */
    int rc = cx_buf_reserve(out, n + n / 2 + 16);
    char *in = (char *)(uintptr_t)s; /* iconv's prototype is not const-correct */
    size_t in_left = n;
    while (rc == 0 && in_left > 0) {
        size_t room = out->cap - out->len - 1;
        if (room < 16) {
            if ((rc = cx_buf_reserve(out, out->cap)) != 0)
                break;
            continue;
        }
        char *dst = out->data + out->len;
        size_t dst_left = room;
        size_t r = iconv(cd, &in, &in_left, &dst, &dst_left);
        out->len += room - dst_left;
        out->data[out->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            rc = cx_buf_reserve(out, out->cap);
        else if (errno == EILSEQ || errno == EINVAL) {
            /* a byte the encoding does not define, or a cut sequence at the
             * end: U+FFFD, and go on after it */
            rc = cx_buf_append(out, "\xef\xbf\xbd", 3);
            in++;
            in_left--;
            if (n_bad)
                (*n_bad)++;
            iconv(cd, NULL, NULL, NULL, NULL);
        } else {
            rc = cx_err_set(err, CX_EFORMAT, NULL, 0, "cannot decode from %s: %s", from,
                            strerror(errno));
        }
    }
    iconv_close(cd);
    if (rc == CX_ENOMEM)
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    return rc;
}
