/* mentions.h -- toponym mentions and their cues. Private to extract/. */
#ifndef EXT_MENTIONS_H
#define EXT_MENTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/** Append to s->men the toponyms of sentence `si` (gazetteer candidates in
 *  each). Returns 0 or CX_ENOMEM. */
int extp_spot_sentence(doc_state *s, size_t si);

/** Set the cues of mention `mi` (status, near, kind cues, list, speaker...). */
void extp_compute_cues(doc_state *s, size_t mi);

/** Does the document also write mention `m`'s single word in lower case
 *  ("Chaque" opening a sentence, "chaque" elsewhere)? Then, at the start of
 *  a sentence, it is a word capitalised by position, not a name. The first
 *  call indexes the document's lower-case words (by hash; a collision, at
 *  one in 2^64, would take a name for a word). */
bool extp_common_word(doc_state *s, const extp_mention *m);

/** Is mention `m` a dateline: it opens a paragraph, and after a comma or a
 *  parenthesis only names, agencies and dates come before a dash ("KAPAN,
 *  Arménie (AP) —", "Erevan, 14 oct. (AFP) -")? It says where the reporter
 *  files from (GUIDE.md): never an incident place. */
bool extp_is_dateline(const doc_state *s, const extp_mention *m);

/** Places the gazetteer lacks: every mention introduced as a place with no
 *  candidate in the theatre gets, as its only candidate, the point of the
 *  smallest enclosing unit the text gives (a region or district named in
 *  its sentence, after it first; else the last one of its paragraph before
 *  it), marked `unplaced`, with `unit` its name. Each such name is appended
 *  once to `names` ("Name (Unit)", or "Name" when no unit is given and the
 *  place gets no pin), "; "-separated. Call after extp_resolve. Returns 0 or
 *  CX_ENOMEM. */
int extp_place_unplaced(doc_state *s, cx_buf *names);

#endif
