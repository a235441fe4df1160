/* fuzz_container.c -- libFuzzer target for the readers of containers, not
 * covered by fuzz_reader (issue 19): feeds (RSS 2.0, RSS 1.0, Atom), WARC
 * records, archive members (zip, tar) and compressed streams (gzip, and a
 * gzipped WARC). The first byte picks the name the bytes are read under;
 * compression, archives and WARC are recognised by content whatever the
 * name. Every document is read until the end, as incimap extract does: the
 * reader must end, give NUL-terminated text of text_len bytes and an id,
 * and say why for every error. Also built with replay.c to replay
 * corpus/container/ as a ctest. */
#include "read.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"f.rss", "f.atom", "f.xml", "f.warc",
                                        "f.zip", "f.tar", "f.gz",  "f.warc.gz"};
    if (size == 0)
        return 0;
    const char *name = names[data[0] % 8];
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem(name, (const char *)data + 1, size - 1, &err);
    if (!r) {
        if (!err.msg[0])
            __builtin_trap();
        return 0;
    }
    rd_doc doc = {0};
    /* An archive or a feed may hold more documents than bytes only through
     * compression; bound the loop generously and require an end. */
    size_t limit = 64 * (size + 1);
    size_t i;
    for (i = 0; i < limit; i++) {
        cx_err_clear(&err);
        int rc = rd_reader_next(r, &doc, &err);
        if (rc == 0)
            break;
        if (rc > 0) {
            if (!doc.text || strlen(doc.text) != doc.text_len || !doc.id)
                __builtin_trap();
        } else if (!err.msg[0]) {
            __builtin_trap(); /* an error always says why */
        } else if (rc == CX_EIO || rc == CX_ENOMEM) {
            break; /* the stream itself failed: extract stops reading it too */
        }
    }
    if (i == limit)
        __builtin_trap(); /* the reader did not end */
    rd_doc_clear(&doc);
    rd_reader_close(r);
    return 0;
}
