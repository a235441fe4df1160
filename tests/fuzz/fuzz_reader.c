/* fuzz_reader.c -- libFuzzer target for the document readers (read/, through read.h).
 * The first input byte picks the format (txt, json, jsonl, html, sniffed
 * stdin); the rest is the file. Every document is read until the end, as
 * incimap extract does, and everything is freed. Also built without
 * libFuzzer, linked with replay.c, to replay corpus/reader/ as a ctest. */
#include "cx_buf.h"
#include "cx_text.h"
#include "read.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is `t` (of `tn` bytes) the `w` of `wn` bytes itself, or a piece of it that
 * starts where a line's text may (the start, or after a blank, a newline or
 * a no-break space)? */
static int piece_of(const char *w, size_t wn, const char *t, size_t tn)
{
    if (tn == wn)
        return memcmp(w, t, tn) == 0;
    for (size_t k = 0; tn < wn && k + tn <= wn; k++)
        if ((k == 0 || strchr(" \t\n\r\f\v", w[k - 1]) || (unsigned char)w[k - 1] == 0xa0) &&
            memcmp(w + k, t, tn) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"f.txt", "f.json", "f.jsonl", "f.html", "-"};
    if (size == 0)
        return 0;
    const char *name = names[data[0] % 5];
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem(name, (const char *)data + 1, size - 1, &err);
    if (!r)
        return 0;
    rd_doc doc = {0};
    /* A reader must end: at most one document per input byte, plus one. */
    for (size_t i = 0; i <= size; i++) {
        cx_err_clear(&err);
        int rc = rd_reader_next(r, &doc, &err);
        if (rc == 0)
            break;
        if (rc > 0) {
            /* The contract: NUL-terminated valid UTF-8 of text_len bytes. */
            if (!doc.text || strlen(doc.text) != doc.text_len || !doc.id)
                __builtin_trap();
            /* Differential: a .txt without CR, BOM or NUL (UTF-16 is told
             * by its NULs) is its cx_text_normalize (the reader's fast path
             * must agree), less the furniture lines of its head and tail
             * (read/boiler.c): what is left is one piece of it, starting a
             * line's text. */
            if (data[0] % 5 == 0 && !memchr(data + 1, '\r', size - 1) &&
                !memchr(data + 1, '\0', size - 1) &&
                !(size >= 4 && memcmp(data + 1, "\xef\xbb\xbf", 3) == 0)) {
                cx_buf want = CX_BUF_INIT;
                if (cx_text_normalize((const char *)data + 1, size - 1, &want) == 0 &&
                    !piece_of(want.data, want.len, doc.text, doc.text_len))
                    __builtin_trap();
                cx_buf_free(&want);
            }
        } else if (!err.msg[0]) {
            __builtin_trap(); /* an error always says why */
        }
        if (i == size)
            __builtin_trap(); /* the reader did not end */
    }
    rd_doc_clear(&doc);
    rd_reader_close(r);
    return 0;
}
