/* boiler.h -- furniture lines out of plain text: the page furniture a scraper
 * kept ("Spread the love", "Leave a reply", "Share this"...) dropped from the
 * head and the tail of a text document by how its lines read, not by what
 * they say. Only read/ and its unit tests include it. */
#ifndef RDP_BOILER_H
#define RDP_BOILER_H

#include <stddef.h>

/** Drop the runs of furniture lines at the head and the tail of the `n`
 *  bytes of UTF-8 text at `s` (edited in place; NUL-terminated after when
 *  s[n] exists in the caller's buffer, which the caller must ensure). A
 *  furniture line is short (8 words at most), ends no sentence and holds
 *  no comma and no digit; the head run stops at the first line that reads
 *  as a headline (5 words or more, a capitalised word after the first, or
 *  a digit) or as prose, and goes only when it is two lines or more and
 *  that line is a headline of 5 to 20 words without a sentence's end (the
 *  first line is the title slot); the tail run stops at the first line of
 *  prose. A text of
 *  one line, or whose every line is furniture, is left whole. Returns the
 *  new length. */
size_t rdp_boiler_trim(char *s, size_t n);

#endif
