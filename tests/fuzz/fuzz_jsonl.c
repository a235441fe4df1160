/* fuzz_jsonl.c -- libFuzzer target comparing the two ways a JSON Lines line
 * is read (read/jsonl_fast.c in one pass, Jansson for anything unusual):
 * the input is a .jsonl file, read once as incimap reads it and once with
 * every line through Jansson (rdp_reader_no_fast); every document (id, title,
 * url, outlet, date, language, text, encoding, line) and every error (code, line,
 * message) must be the same. Also built without libFuzzer, linked with
 * replay.c, to replay corpus/jsonl/ as a ctest. */
#include "jsonl_fast.h"
#include "read.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cx_err e1, e2;
    cx_err_clear(&e1);
    cx_err_clear(&e2);
    rd_reader *fast = rd_reader_open_mem("f.jsonl", (const char *)data, size, &e1);
    rd_reader *slow = rd_reader_open_mem("f.jsonl", (const char *)data, size, &e2);
    if (!fast || !slow) {
        if (!!fast != !!slow)
            __builtin_trap();
        rd_reader_close(fast);
        rd_reader_close(slow);
        return 0;
    }
    rdp_reader_no_fast(slow);
    rd_doc a = {0}, b = {0};
    for (size_t i = 0; i <= size; i++) {
        cx_err_clear(&e1);
        cx_err_clear(&e2);
        int r1 = rd_reader_next(fast, &a, &e1);
        int r2 = rd_reader_next(slow, &b, &e2);
        if (r1 != r2)
            __builtin_trap();
        if (r1 == 0)
            break;
        if (r1 > 0) {
            if (!same_str(a.id, b.id) || !same_str(a.title, b.title) || !same_str(a.url, b.url) ||
                !same_str(a.outlet, b.outlet) ||
                strcmp(a.published, b.published) || strcmp(a.lang, b.lang) ||
                strcmp(a.encoding, b.encoding) || a.encoding_guessed != b.encoding_guessed ||
                a.line != b.line || a.text_len != b.text_len ||
                memcmp(a.text, b.text, a.text_len) != 0)
                __builtin_trap();
        } else if (e1.code != e2.code || e1.line != e2.line || strcmp(e1.msg, e2.msg) ||
                   strcmp(e1.source, e2.source)) {
            __builtin_trap();
        }
    }
    rd_doc_clear(&a);
    rd_doc_clear(&b);
    rd_reader_close(fast);
    rd_reader_close(slow);
    return 0;
}
