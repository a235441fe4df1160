/* document.h -- reading articles: .txt, .json, .jsonl (and .html, stripped),
 * one ext_doc at a time, so any input size streams in bounded memory. */
#ifndef EXT_DOCUMENT_H
#define EXT_DOCUMENT_H

#include <stddef.h>

#include "cx_err.h"

typedef struct ext_doc {
    char *id;          /* document id: the JSON "id", else the file's base name
                          (with ":N" for line N of a JSONL file without ids) */
    char *url;         /* may be NULL */
    char *title;       /* may be NULL */
    char *text;        /* UTF-8, NFC-normalised, NUL-terminated; owned */
    size_t text_len;
    char published[11];/* "YYYY-MM-DD" or "" */
    char lang[8];      /* "fr", "en", or "" when the source does not say */
    char source[512];  /* path the document came from ("-" for stdin) */
    long line;         /* line in `source` (JSONL), 0 otherwise */
} ext_doc;

typedef struct ext_reader ext_reader; /* opaque */

/* Hard limit on one document's size; bigger documents are refused with an error. */
#define EXT_DOC_MAX_BYTES (64u * 1024u * 1024u)

/** Open `path` ("-" for standard input) for reading documents. The format is
 *  chosen by extension (.jsonl/.ndjson, .json, .html/.htm, anything else is
 *  text), and for standard input by sniffing the first byte.
 *  Returns NULL and fills `err` (naming the path) on failure.
 *  Ownership: caller closes with ext_reader_close(). */
ext_reader *ext_reader_open(const char *path, cx_err *err);

/** Like ext_reader_open() but over the `len` bytes at `buf` (which may hold
 *  NUL bytes and must outlive the reader). `name` chooses the format by its
 *  extension as a path would ("-" or NULL: sniff) and names the source in
 *  errors. Used by the fuzz targets and tests. Returns NULL and fills `err`
 *  on failure. Ownership: caller closes with ext_reader_close(); `buf` stays
 *  the caller's. */
ext_reader *ext_reader_open_mem(const char *name, const char *buf, size_t len, cx_err *err);

/** Read the next document into `doc` (cleared first).
 *  Returns 1 when a document was read, 0 at the end, or a negative CX_E* code
 *  when this document is bad (invalid UTF-8, NUL bytes, malformed JSON line,
 *  too big, empty): `err` names source and line; the caller may call again to
 *  go on with the next document of the same file (JSONL), and gets 0 when
 *  nothing is left. Ownership: `doc`'s strings are the caller's; free them
 *  with ext_doc_clear(). */
int ext_reader_next(ext_reader *r, ext_doc *doc, cx_err *err);

/** Close `r`; NULL is a no-op. */
void ext_reader_close(ext_reader *r);

/** Free what `doc` owns and zero it. NULL-safe. */
void ext_doc_clear(ext_doc *doc);

#endif
