/* read.h -- the read/ module: bytes in, documents out. The one public header
 * of read/ (prefix rd_; its files' shared helpers are rdp_, in decode.h,
 * archives.h, feed.h and warc.h, which only read/ and its unit tests include).
 *
 * It turns files, archives and streams into rd_doc documents: .txt, .json,
 * .jsonl, .html (stripped), RSS and Atom feeds, WARC files, in any encoding,
 * plain, compressed (gzip, bzip2, xz, zstd) or in zip/tar archives, one rd_doc
 * at a time, so any input size streams in bounded memory. What is done with
 * the text (incidents) is extract/'s job; read/ knows nothing of it. */
#ifndef RD_READ_H
#define RD_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

typedef struct rd_doc {
    char *id;          /* document id: the JSON "id", else the file's base name
                          (with ":N" for line N of a JSONL file without ids) */
    char *url;         /* may be NULL */
    char *outlet;      /* the outlet as the document names itself (a JSON field,
                          og:site_name, JSON-LD publisher, the feed's title),
                          or NULL: then the URL's host stands for it */
    char *title;       /* may be NULL */
    char *text;        /* UTF-8, NFC-normalised, NUL-terminated; owned */
    size_t text_len;
    char published[11];/* "YYYY-MM-DD", "YYYY-MM" (month only) or "" */
    char lang[8];      /* "fr", "en", or "" when the source does not say */
    char source[512];  /* path the document came from ("-" for stdin) */
    long line;         /* line in `source` (JSONL), 0 otherwise */
    char encoding[24]; /* the encoding the text was decoded from; "" for UTF-8 */
    bool encoding_guessed; /* not UTF-8 and nothing declared: read as windows-1252 */
    bool untitled;     /* page furniture over the first paragraph was dropped:
                        * the text opens on its body, with no title line */
    bool trim_pending; /* rd_reader_defer_trim: the furniture is still in the
                        * text; rd_doc_trim() drops it */
} rd_doc;

typedef struct rd_reader rd_reader; /* opaque */

/* Hard limit on one document's size; bigger documents are refused with an error. */
#define RD_DOC_MAX_BYTES (64u * 1024u * 1024u)

/** Open `path` ("-" for standard input) for reading documents. Compression
 *  and archives are recognised by content (gzip, bzip2, xz, zstd streams;
 *  zip and tar archives, whose members are read as the files of a folder,
 *  named "ARCHIVE:MEMBER"), WARC files by content; then the format is chosen
 *  by extension (.jsonl/.ndjson, .json, .html/.htm, .rss/.atom/.xml feeds,
 *  anything else is text; a compressed file by its name without the
 *  compression suffix), and for standard input by sniffing the first byte.
 *  A text or HTML file whose root element is <rss> or <feed> is a feed.
 *  Returns NULL and fills `err` (naming the path) on failure.
 *  Ownership: caller closes with rd_reader_close(). */
rd_reader *rd_reader_open(const char *path, cx_err *err);

/** Like rd_reader_open() but over the `len` bytes at `buf` (which may hold
 *  NUL bytes and must outlive the reader). `name` chooses the format by its
 *  extension as a path would ("-" or NULL: sniff) and names the source in
 *  errors. Used by the fuzz targets and tests. Returns NULL and fills `err`
 *  on failure. Ownership: caller closes with rd_reader_close(); `buf` stays
 *  the caller's. */
rd_reader *rd_reader_open_mem(const char *name, const char *buf, size_t len, cx_err *err);

/** Force the encoding of every document `r` reads: NULL or "" guesses
 *  (BOM, declared charset, UTF-8, else windows-1252), a UTF-8 name refuses
 *  anything that is not UTF-8, any other iconv name converts from it.
 *  Call before the first rd_reader_next(). Returns 0 or CX_EINVAL (unknown
 *  encoding, `err` says which). */
int rd_reader_set_encoding(rd_reader *r, const char *name, cx_err *err);

/** How HTML pages are read: "main" (the default: the article's body,
 *  title and subtitle, page furniture left out) or "whole" (every text node
 *  but scripts and styles). The same switch for plain text and JSON text:
 *  "main" drops the furniture lines of a text's head and tail (boiler.h),
 *  "whole" keeps every line. Feed items are always read whole (they are the
 *  article already). Call before the first rd_reader_next(). Returns 0 or
 *  CX_EINVAL (another word; `err` says so). */
int rd_reader_set_html(rd_reader *r, const char *mode, cx_err *err);

/** With `defer` true, the documents of JSON and JSON Lines inputs come with
 *  their head and tail furniture still in the text (trim_pending set), for
 *  the caller to drop with rd_doc_trim() in another thread: `extract -j N`
 *  does it on its workers, so that the reading thread only splits and
 *  decodes. Default false (the reader trims). */
void rd_reader_defer_trim(rd_reader *r, bool defer);

/** Drop the furniture a deferred reader left (rd_reader_defer_trim): the
 *  text then equals what the reader would have given. A no-op unless
 *  doc->trim_pending. Touches nothing but `doc`. */
void rd_doc_trim(rd_doc *doc);

/** True when `name` names an encoding the readers can decode (a UTF-8 name,
 *  or any name iconv converts from: "windows-1252", "UTF-16LE"...). Used to
 *  check --encoding before anything is read. */
bool rd_encoding_known(const char *name);

/** 1 when a file named `path` is read inside folders and archives as a
 *  document file (.txt .json .jsonl .ndjson .html .htm .rss .atom .xml
 *  .warc), 2 when it is compressed or an archive (.gz .bz2 .xz .zst .zip .tar
 *  .tgz ...), 0 otherwise. */
int rd_reader_wanted(const char *path);

/** Read the next document into `doc` (cleared first).
 *  Returns 1 when a document was read, 0 at the end, or a negative CX_E* code
 *  when this document is bad (invalid UTF-8, NUL bytes, malformed JSON line,
 *  too big, empty): `err` names source and line; the caller may call again to
 *  go on with the next document of the same file (JSONL), and gets 0 when
 *  nothing is left. Ownership: `doc`'s strings are the caller's; free them
 *  with rd_doc_clear(). */
int rd_reader_next(rd_reader *r, rd_doc *doc, cx_err *err);

/** Close `r`; NULL is a no-op. */
void rd_reader_close(rd_reader *r);

/** Free what `doc` owns and zero it. NULL-safe. */
void rd_doc_clear(rd_doc *doc);

#endif
