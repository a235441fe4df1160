/* jsonl_fast.h -- one pass over a JSON Lines line that is a flat object (the
 * string, integer, true, false and null members scrapers write), without
 * building a Jansson tree. It accepts only what Jansson accepts and reads it
 * as Jansson does (json_loadb with JSON_REJECT_DUPLICATES); anything
 * unusual (a nested value, a real number, \u0000, a duplicate key, bytes that
 * are not UTF-8, a syntax error) is refused, and the caller reads the line
 * with Jansson, which then gives the document or the error as before.
 * Private to read/. */
#ifndef RD_JSONL_FAST_H
#define RD_JSONL_FAST_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_buf.h"
#include "read.h"

enum { RDP_FLAT_STRING, RDP_FLAT_INTEGER, RDP_FLAT_OTHER /* true, false, null */ };

typedef struct rdp_flat_member {
    size_t key, key_len;   /* offsets into the object's buffer (decoded) */
    int type;              /* RDP_FLAT_* */
    size_t val, val_len;   /* RDP_FLAT_STRING: the decoded value in the buffer */
    long long integer;     /* RDP_FLAT_INTEGER */
} rdp_flat_member;

#define RDP_FLAT_MAX 64 /* more members: refused (Jansson reads it) */

typedef struct rdp_flat {
    rdp_flat_member m[RDP_FLAT_MAX];
    size_t n;
    cx_buf buf; /* decoded keys and strings, each followed by a NUL */
} rdp_flat;

/** Parse `s` (n bytes) as a flat JSON object into `f` (its buffer reused).
 *  Returns true when it could; false means "read it with Jansson". */
bool rdp_flat_parse(rdp_flat *f, const char *s, size_t n);

/** The member named `key` (NUL-terminated), or NULL. */
const rdp_flat_member *rdp_flat_get(const rdp_flat *f, const char *key);

/** A member's decoded key or string value (NUL-terminated, in f->buf). */
const char *rdp_flat_str(const rdp_flat *f, size_t off);

/** Free what `f` holds. */
void rdp_flat_free(rdp_flat *f);

/** Read every line of `r` with Jansson, never in one pass (document.c; for
 *  the tests that compare both paths). */
void rdp_reader_no_fast(rd_reader *r);

#endif
