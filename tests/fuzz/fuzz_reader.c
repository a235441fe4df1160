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
            /* Differential: a .txt without CR or BOM is exactly its
             * cx_text_normalize (the reader's fast path must agree). */
            if (data[0] % 5 == 0 && !memchr(data + 1, '\r', size - 1) &&
                !(size >= 4 && memcmp(data + 1, "\xef\xbb\xbf", 3) == 0)) {
                cx_buf want = CX_BUF_INIT;
                if (cx_text_normalize((const char *)data + 1, size - 1, &want) == 0 &&
                    (want.len != doc.text_len || memcmp(want.data, doc.text, want.len) != 0))
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
