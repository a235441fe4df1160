/* boiler.h -- furniture lines out of plain text: the page furniture a scraper
 * kept ("Spread the love", a theme's notice, "Leave a reply", "Share
 * this"...) dropped from the head and the tail of a text document by how its
 * lines read and what they share with the text, not by what they say. Only
 * read/ and its unit tests include it. */
#ifndef RDP_BOILER_H
#define RDP_BOILER_H

#include <stdbool.h>
#include <stddef.h>

/** Drop the furniture lines at the head and the tail of the `n` bytes of
 *  UTF-8 text at `s` (edited in place; NUL-terminated after when s[n]
 *  exists in the caller's buffer, which the caller must ensure).
 *  Head: from the first line down, lines that share no word with the text
 *  below them (short ones: not one word of five letters or more found
 *  again; longer ones: at most a quarter), hold no figure and name nothing
 *  the text goes on about, go when the line under them is a headline (3 to
 *  25 words, no full stop at its end, no figure in its first two words, two
 *  of its word stems and a third of them found again below): the first line
 *  is the title slot, which a sentence of the body, a dateline or a byline
 *  never takes; furniture lines over a paragraph of the body (a sentence of
 *  ten words or more, or any line of more than 25) go too when they share
 *  not one word stem (four letters or more) with the text, and then
 *  `*untitled` is set: the text has no title line, and the paragraph must
 *  not be read as one. A text whose first line is itself such a paragraph
 *  (a lead, no headline) loses nothing and is untitled too. Tail: the run of short lines (8 words at most) without a
 *  sentence's end, a comma or a digit at the end goes. A text of one line,
 *  or whose every line is such a short line, is left whole; a text of which
 *  nothing goes is left byte for byte. Returns the new length. */
size_t rdp_boiler_trim(char *s, size_t n, bool *untitled);

#endif
