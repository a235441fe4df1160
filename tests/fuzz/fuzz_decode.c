/* fuzz_decode.c -- libFuzzer target for read/decode (issue 19): the first
 * byte picks a source encoding, the rest is converted to UTF-8. The result
 * must be valid UTF-8 (replacement characters for what is not valid in the
 * source), of bounded growth, and an error must say why. Also built with
 * replay.c to replay corpus/decode/ as a ctest. */
#include "cx_buf.h"
#include "decode.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        unsigned cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encs[] = {"windows-1252", "latin1",     "UTF-16LE", "UTF-16BE",
                                       "UTF-16",       "windows-1251", "KOI8-R",  "ISO-8859-7",
                                       "UTF-32",       "GB18030",    "SHIFT_JIS", "no-such-enc"};
    if (size == 0)
        return 0;
    const char *from = encs[data[0] % 12];
    cx_buf out = CX_BUF_INIT;
    cx_err err;
    cx_err_clear(&err);
    size_t bad = 0;
    int rc = rdp_decode(from, (const char *)data + 1, size - 1, &out, &bad, &err);
    if (rc == 0) {
        if (!valid_utf8((const unsigned char *)out.data, out.len))
            __builtin_trap();
        if (out.len > 4 * (size - 1) + 16)
            __builtin_trap(); /* no encoding grows more than 4 bytes per input byte */
    } else if (!err.msg[0]) {
        __builtin_trap();
    }
    cx_buf_free(&out);
    return 0;
}
