/* decode.h -- text in another encoding turned into UTF-8 (iconv). The only
 * module that includes iconv.h. */
#ifndef RDP_DECODE_H
#define RDP_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_buf.h"
#include "cx_err.h"

/** True when iconv can convert from `name` (e.g. "windows-1252", "latin1",
 *  "UTF-16LE"). Used to check --encoding before anything is read. */
bool rdp_decode_known(const char *name);

/** True when `name` names UTF-8 ("utf-8", "UTF8", "utf_8"...). */
bool rdp_decode_is_utf8(const char *name);

/** Convert the `n` bytes at `s` from encoding `from` to UTF-8, appended to
 *  `out`. A byte sequence that is not valid in `from` becomes U+FFFD (one per
 *  byte skipped); their count goes to *n_bad (OUT, may be NULL). Returns 0,
 *  CX_EINVAL (unknown encoding: `err` names it) or CX_ENOMEM.
 *  Ownership: `out` is the caller's. */
int rdp_decode(const char *from, const char *s, size_t n, cx_buf *out, size_t *n_bad,
               cx_err *err);

#endif
