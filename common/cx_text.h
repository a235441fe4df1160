/* cx_text.h -- Unicode text helpers shared by the gazetteer and extraction:
 * UTF-8 validation, NFC, the folded search key and the transliteration key.
 * The only module that includes utf8proc.h. */
#ifndef CX_TEXT_H
#define CX_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_buf.h"

/** True when `s[0..len)` is valid UTF-8 (no overlongs, no surrogates) and has
 *  no NUL byte. On false, *bad_off (OUT, may be NULL) is the first bad byte. */
bool cx_utf8_valid(const char *s, size_t len, size_t *bad_off);

/** Append the NFC form of `s` to `out`, with typographic apostrophes (’ ʼ ‘ `)
 *  turned into ', non-breaking and thin spaces into ' ', and soft hyphens
 *  dropped. `s` must be valid UTF-8. Returns 0 or a CX_E* code. */
int cx_text_normalize(const char *s, size_t len, cx_buf *out);

/** What cx_text_normalize makes of the single code point `cp` after NFC:
 *  -1 kept as it is, 0 dropped, 1 replaced by the ASCII byte *rep. */
int cx_text_map_cp(long cp, char *rep);

/** Append the folded search key of a name to `out` (after resetting it):
 *  NFKD, case folding, accents stripped, dotless i and schwa mapped to i and e,
 *  apostrophes removed, hyphens, dots and runs of spaces made one space,
 *  trimmed. "Haut-Karabakh" -> "haut karabakh", "Kut’" -> "kut".
 *  Returns 0 or a CX_E* code. */
int cx_fold_key(const char *s, size_t len, cx_buf *out);
/** cx_fold_key through utf8proc whatever the text (cx_fold_key takes a
 *  shorter way for ASCII and Latin letters): the reference its tests
 *  compare with. */
int cx_fold_key_unicode(const char *s, size_t len, cx_buf *out);

/** Append the NFC, case-folded form of `s` to `out` (after resetting it),
 *  accents kept: "À" -> "à". Returns 0 or a CX_E* code. */
int cx_lower(const char *s, size_t len, cx_buf *out);

/** Append the transliteration key of a name to `out` (after resetting it): a
 *  coarse phonetic skeleton under which the usual French, English,
 *  Azerbaijani, Armenian-English and Russian romanisations of one name meet
 *  (Latchine/Lachin/Laçın, Chouchi/Shusha/Şuşa, Gandja/Gəncə...). Names in a
 *  non-Latin script get their folded key. Returns 0 or a CX_E* code.
 *  The rules are documented in docs/matching.md. */
int cx_translit_key(const char *s, size_t len, cx_buf *out);

/** cx_translit_key of `s` (valid UTF-8) when its folded key (cx_fold_key)
 *  is already known: `fold`, `fold_len`. The same key, without folding `s`
 *  a second time when the transliteration's pre-pass leaves it as it is (no
 *  letter of the Azerbaijani alphabet, no x). */
int cx_translit_key_folded(const char *s, size_t len, const char *fold, size_t fold_len,
                           cx_buf *out);

/** Decode one code point at s[*i] (advancing *i); returns -1 on bad UTF-8
 *  (advancing by one byte). */
long cx_utf8_next(const char *s, size_t len, size_t *i);

/** Copy the string `src` into `dst` of `size` bytes (size > 0), cut to
 *  size-1 bytes and NUL-terminated: snprintf(dst, size, "%s", src) without
 *  the cost of printf on a hot path. Returns strlen(src). */
size_t cx_str_copy(char *dst, size_t size, const char *src);

/** True when the `n` bytes at `s` hold a control character: C0 (U+0000 to
 *  U+001F), DEL, or C1 (U+0080 to U+009F, as UTF-8). */
bool cx_has_controls(const char *s, size_t n);

/** Append `s` (`n` bytes) to `out` with every control character (as
 *  cx_has_controls) written as an escape, \n, \t, \r or \xNN
 *  (\u0085 for C1), so that a name or id printed to a terminal, a log or a
 *  CSV cell cannot move the cursor, retitle the terminal or end a line.
 *  Returns 0 or CX_ENOMEM. Ownership: `out` is the caller's. */
int cx_escape_controls(const char *s, size_t n, cx_buf *out);

/** Unicode category helpers on a code point. */
bool cx_cp_is_upper(long cp);
bool cx_cp_is_letter(long cp);
/** The lower case of a code point (Unicode's simple mapping), else itself;
 *  -1 stays -1. */
long cx_cp_lower(long cp);

#endif
