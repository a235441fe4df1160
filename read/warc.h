/* warc.h -- WARC files (ISO 28500; Common Crawl's CC-NEWS): records read one
 * at a time from a byte stream, and the HTTP response inside a `response`
 * record split into its headers and body. Pure C, no library. */
#ifndef RDP_WARC_H
#define RDP_WARC_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_buf.h"
#include "cx_err.h"

/** Read callback: up to n bytes into buf; the count, 0 at the end. A read
 *  error is reported by the caller's source, not here. */
typedef size_t (*rdp_warc_read_fn)(void *ctx, char *buf, size_t n);

typedef struct rdp_warc rdp_warc; /* opaque */

typedef struct rdp_warc_record {
    char type[32];         /* WARC-Type: "response", "request", "warcinfo"... */
    char uri[2048];        /* WARC-Target-URI, or "" */
    char date[32];         /* WARC-Date, or "" */
    char content_type[128];/* Content-Type of the block */
    long long offset;      /* byte offset of the record in the stream */
    const char *block;     /* the record's block (borrowed until the next call) */
    size_t block_len;
    bool too_big;          /* the block exceeded `max_block` and was skipped */
} rdp_warc_record;

/** Start reading WARC records from `read(ctx)`; blocks bigger than
 *  `max_block` bytes are skipped (rec->too_big). `name` names the stream in
 *  errors. Ownership: caller frees with rdp_warc_free(). NULL on no memory. */
rdp_warc *rdp_warc_new(const char *name, rdp_warc_read_fn read, void *ctx, size_t max_block);

/** Read the next record into `rec`. Returns 1, 0 at the end, or CX_EFORMAT
 *  (not a WARC record, bad Content-Length, or a record whose declared length
 *  runs past the end of the file: nothing more can be read) / CX_ENOMEM. */
int rdp_warc_next(rdp_warc *w, rdp_warc_record *rec, cx_err *err);

/** Free `w`; NULL is a no-op. */
void rdp_warc_free(rdp_warc *w);

/** Split an HTTP response (`s`, `n` bytes) into headers and body: *body and
 *  *body_len (OUT) the body after the blank line (de-chunked into `tmp` when
 *  Transfer-Encoding is chunked), `ctype` (OUT) the Content-Type (without
 *  parameters, lower case), `charset` (OUT) its charset parameter or "".
 *  Returns 0, or CX_EFORMAT when it is not an HTTP response. */
int rdp_warc_http(const char *s, size_t n, const char **body, size_t *body_len, cx_buf *tmp,
                  char ctype[64], char charset[40]);

#endif
